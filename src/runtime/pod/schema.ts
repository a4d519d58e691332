// The pods table (migration owner "pods"), like Podman's PodConfig: a pod's config as JSON. Its
// containers name it in their ContainerSpec (pod); its state is derived from theirs. Append only.
import type {Migration} from '../../storage/store/db/schema'

export const POD_MIGRATIONS: Migration[] = [
  {
    owner: 'pods',
    version: 1,
    sql: `
      CREATE TABLE pods (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        json TEXT NOT NULL
      );
    `,
  },
]
