// Storage's migrations (owner "storage"): layers, images and storage's container rows. The
// registry of every owner's lists is migrations.ts. Append only: a released migration is never edited.
export interface Migration {
  owner: string
  version: number
  sql: string
}

export const STORAGE_MIGRATIONS: Migration[] = [
  {
    owner: 'storage',
    version: 1,
    sql: `
      -- A layer is content-addressed by its OCI ChainID (hex). Rows are written with
      -- incomplete = 1 (and the writing process as owner) before the layer dir appears, so a
      -- killed writer leaves a row the next start can recognise and clean. parent is no foreign
      -- key: the layers of one pull are claimed in parallel, children possibly first.
      CREATE TABLE layers (
        id TEXT PRIMARY KEY,
        parent TEXT,
        diff_digest TEXT NOT NULL,
        -- the layer blob as pulled, kept under blobs/ so that save writes the same bytes
        compressed_digest TEXT,
        compressed_size INTEGER,
        compressed_media_type TEXT,
        diff_size INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        incomplete INTEGER NOT NULL DEFAULT 1,
        owner TEXT
      );
      CREATE INDEX layers_parent ON layers(parent);
      CREATE INDEX layers_diff ON layers(diff_digest);

      -- An image is identified by its config digest (hex), as in Podman.
      CREATE TABLE images (
        id TEXT PRIMARY KEY,
        top_layer TEXT REFERENCES layers(id),
        digest TEXT NOT NULL,
        manifest BLOB NOT NULL,
        manifest_type TEXT NOT NULL,
        config BLOB NOT NULL,
        created TEXT,
        added TEXT NOT NULL,
        size INTEGER NOT NULL
      );

      -- The layers of an image, bottom (0) to top; this is what counts references to layers.
      CREATE TABLE image_layers (
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        layer_id TEXT NOT NULL REFERENCES layers(id),
        PRIMARY KEY (image_id, position)
      );
      CREATE INDEX image_layers_layer ON image_layers(layer_id);

      -- Fully qualified names ("docker.io/library/alpine:latest"); a name points to one image.
      CREATE TABLE image_names (
        name TEXT PRIMARY KEY,
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        added TEXT NOT NULL
      );
      CREATE INDEX image_names_image ON image_names(image_id);

      -- Manifest digests the image is known by (its own, and a manifest list's it was chosen from).
      CREATE TABLE image_digests (
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        digest TEXT NOT NULL,
        PRIMARY KEY (image_id, digest)
      );
    `,
  },
  {
    owner: 'storage',
    version: 2,
    sql: `
      -- A container as storage sees it (containers/storage's containers.json): its image and its
      -- own read-write dirs under containers/<id>/. The runtime keeps its config and state in
      -- tables of its own, keyed by this id. An image with containers cannot be removed.
      CREATE TABLE containers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        image_id TEXT NOT NULL REFERENCES images(id),
        created TEXT NOT NULL
      );
      CREATE INDEX containers_image ON containers(image_id);
    `,
  },
  {
    owner: 'storage',
    version: 3,
    sql: `
      -- Layers a pull in progress decided to reuse (owner as in layers.owner), so that rmi and
      -- prune keep them until the pull registers its image (docs/design/locking.md). A pin whose
      -- owner is gone counts for nothing and is dropped by the next layer deletion.
      CREATE TABLE layer_pins (
        layer_id TEXT NOT NULL,
        owner TEXT NOT NULL,
        PRIMARY KEY (layer_id, owner)
      );
    `,
  },
  {
    owner: 'storage',
    version: 4,
    sql: `
      -- Every name an image has had, newest first (containers/storage's NamesHistory): each change
      -- of its names puts them, in order, before what was there; an untagged name stays listed.
      -- Images stored before this migration start with their names of now.
      ALTER TABLE images ADD COLUMN names_history TEXT NOT NULL DEFAULT '[]';
      UPDATE images SET names_history = (
        SELECT json_group_array(name) FROM (SELECT name FROM image_names WHERE image_id = images.id ORDER BY added DESC, name DESC)
      );
    `,
  },
  {
    owner: 'storage',
    version: 5,
    sql: `
      -- A manifest list made by \`manifest create\` is an image without layers or config whose
      -- manifest is the list (buildah's manifests package). list_instances is its instances data:
      -- JSON, each instance digest to the reference it was added from; NULL for other images.
      ALTER TABLE images ADD COLUMN list_instances TEXT;
    `,
  },
]
