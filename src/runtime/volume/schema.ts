// The volume tables (migration owner "volumes"), like Podman's VolumeConfig/VolumeState and
// ContainerVolume tables. Append only: a released migration is never edited.
import type {Migration} from '../../storage/store/db/schema'

export const VOLUME_MIGRATIONS: Migration[] = [
  {
    owner: 'volumes',
    version: 1,
    sql: `
      -- A named volume; its data is <graphRoot>/volumes/<name>/_data. labels and options are
      -- JSON objects. needs_copy_up / needs_chown: Podman's state for the first mount (copy the
      -- image's contents at the destination in, take the destination's owner and mode).
      -- created_for: the container an anonymous volume was made for (no foreign key, so the link
      -- survives the container's row for rm -v).
      CREATE TABLE volumes (
        name TEXT PRIMARY KEY,
        driver TEXT NOT NULL,
        created TEXT NOT NULL,
        labels TEXT NOT NULL,
        options TEXT NOT NULL,
        anonymous INTEGER NOT NULL DEFAULT 0,
        created_for TEXT,
        uid INTEGER,
        gid INTEGER,
        needs_copy_up INTEGER NOT NULL DEFAULT 1,
        needs_chown INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX volumes_created_for ON volumes(created_for);

      -- The containers a volume is mounted into. A volume with users cannot be removed (the
      -- foreign key refuses it too); removing a container's row drops its uses.
      CREATE TABLE volume_users (
        volume TEXT NOT NULL REFERENCES volumes(name),
        container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
        PRIMARY KEY (volume, container_id)
      );
      CREATE INDEX volume_users_container ON volume_users(container_id);
    `,
  },
]
