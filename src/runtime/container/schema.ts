// The runtime's own tables (migration owner "runtime"), next to storage's `containers` rows
// they extend: a container's immutable config and its mutable state, both as JSON, like
// Podman's ContainerConfig / ContainerState tables. Append only.
import type {Migration} from '../../storage/store/db/schema'

export const RUNTIME_MIGRATIONS: Migration[] = [
  {
    owner: 'runtime',
    version: 1,
    sql: `
      CREATE TABLE container_configs (
        id TEXT PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
        json TEXT NOT NULL
      );
      CREATE TABLE container_states (
        id TEXT PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        json TEXT NOT NULL
      );
    `,
  },
  {
    owner: 'runtime',
    version: 2,
    sql: `
      -- The exit codes of removed containers, kept a few minutes (Podman's ContainerExitCode), so
      -- that \`wait\` on a --rm container still answers with its code.
      CREATE TABLE container_exit_codes (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        exit_code INTEGER NOT NULL,
        removed TEXT NOT NULL
      );
    `,
  },
  {
    owner: 'runtime',
    version: 3,
    // No table changes: container_configs.json holds the typed ContainerSpec (containerSpec,
    // ports) instead of the options as given (options, publish). ContainerRecords.open converts
    // the rows of an older store once (upgrade-config.ts), with their record files.
    sql: `SELECT 1;`,
  },
]
