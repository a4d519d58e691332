// Hostile layers for unpack-safety tests. Every file an escape would create outside the rootfs has
// ESCAPE_MARKER in its name, so a test can look for it in the unpack directory's parent and in /tmp.
import {createHash} from 'node:crypto'

import {buildLayerTar, gzip, MEDIA_TYPE_OCI_LAYER_GZIP, sha256, type LayerEntry, type LayerInput} from './oci-layer'

export const ESCAPE_MARKER = 'tspod-escape'

export type HostileKind =
  | 'dotdot'
  | 'absolute-path'
  | 'symlink-escape-absolute'
  | 'symlink-escape-relative'
  | 'hardlink-outside'
  | 'whiteout-outside'
  | 'symlink-then-file-overwrite'
  | 'absurd-uid'
  | 'truncated-tar'
  | 'corrupt-gzip'
  | 'device-nodes'

export interface HostileCase {
  /** what the layers do, and what a safe unpacker does with them */
  description: string
  /** the layers, bottom first */
  layers(): Promise<LayerInput[]>
}

const DEEP_DOTDOT = '../../../../../../../../..'

/** Incompressible, deterministic bytes. */
function noise(size: number): Buffer {
  const blocks: Buffer[] = []
  for (let i = 0; blocks.length * 32 < size; i++) blocks.push(createHash('sha256').update(`noise ${i}`).digest())
  return Buffer.concat(blocks).subarray(0, size)
}

export const HOSTILE_LAYERS: Record<HostileKind, HostileCase> = {
  dotdot: {
    description: 'files named with ".." components; must be refused or kept inside the rootfs',
    layers: async () => [
      [
        {path: `../${ESCAPE_MARKER}-dotdot`, content: 'escaped via ..\n'},
        {path: 'sub/', type: 'dir'},
        {path: `sub/../../${ESCAPE_MARKER}-dotdot-nested`, content: 'escaped via sub/../..\n'},
      ],
    ],
  },
  'absolute-path': {
    description: 'a file with an absolute name; must land under the rootfs (or be refused), never on the host',
    layers: async () => [[{path: `/tmp/${ESCAPE_MARKER}-absolute`, content: 'escaped via absolute name\n'}]],
  },
  'symlink-escape-absolute': {
    description: 'a symlink to /tmp, then a file written through it; the link must resolve inside the rootfs',
    layers: async () => [
      [
        {path: 'escape', type: 'symlink', linkname: '/tmp'},
        {path: `escape/${ESCAPE_MARKER}-symlink-absolute`, content: 'escaped via absolute symlink\n'},
      ],
    ],
  },
  'symlink-escape-relative': {
    description: 'a symlink climbing out with "..", then a file written through it; must stay inside the rootfs',
    layers: async () => [
      [
        {path: 'a/', type: 'dir'},
        {path: 'a/escape', type: 'symlink', linkname: `${DEEP_DOTDOT}/tmp`},
        {path: `a/escape/${ESCAPE_MARKER}-symlink-relative`, content: 'escaped via relative symlink\n'},
      ],
    ],
  },
  'hardlink-outside': {
    description: "hardlinks to the host's /etc/passwd, by '..', by absolute name and through a symlink; must never link a host file",
    layers: async () => [
      [
        {path: 'hardlink-dotdot', type: 'link', linkname: `${DEEP_DOTDOT}/etc/passwd`},
        {path: 'hardlink-absolute', type: 'link', linkname: '/etc/passwd'},
        {path: 'etc-link', type: 'symlink', linkname: '/etc'},
        {path: 'hardlink-via-symlink', type: 'link', linkname: 'etc-link/passwd'},
      ],
    ],
  },
  'whiteout-outside': {
    description: `whiteouts naming ${ESCAPE_MARKER}-victim outside the rootfs, by ".." and through a symlink; must delete nothing outside`,
    layers: async () => [
      [
        {path: `../.wh.${ESCAPE_MARKER}-victim`},
        {path: 'escape', type: 'symlink', linkname: '/tmp'},
        {path: `escape/.wh.${ESCAPE_MARKER}-victim`},
      ],
    ],
  },
  'symlink-then-file-overwrite': {
    description:
      'a symlink to a host path replaced by a regular file of the same name, across layers and within one ' +
      'layer; the file must replace the link, not write through it',
    layers: async () => [
      [{path: 'overwrite', type: 'symlink', linkname: `/tmp/${ESCAPE_MARKER}-overwrite`}],
      [
        {path: 'overwrite', content: 'replaced the symlink\n'},
        {path: 'same-layer', type: 'symlink', linkname: `/tmp/${ESCAPE_MARKER}-overwrite-same-layer`},
        {path: 'same-layer', content: 'replaced the symlink in the same layer\n'},
      ],
    ],
  },
  'absurd-uid': {
    description: 'files owned by uid/gid 4294967294 (PAX records) and by 100000, beyond any usual id mapping',
    layers: async () => [
      [
        {path: 'absurd-uid', content: 'owned by 4294967294\n', uid: 4294967294, gid: 4294967294},
        {path: 'unmapped-uid', content: 'owned by 100000\n', uid: 100000, gid: 100000},
      ],
    ],
  },
  'truncated-tar': {
    description: 'a tar cut off in the middle of a file body (no end-of-archive blocks); must fail cleanly',
    layers: async () => {
      const whole = await buildLayerTar([{path: 'big-file', content: noise(8192)}])
      return [whole.subarray(0, 512 + 3000)]
    },
  },
  'corrupt-gzip': {
    description:
      'a gzip blob whose digest matches its bytes but whose compressed data was damaged; must fail on decompression',
    layers: async () => {
      const tarData = await buildLayerTar([{path: 'noise', content: noise(64 * 1024)}])
      const data = Buffer.from(gzip(tarData))
      for (let i = data.length >> 1; i < (data.length >> 1) + 16; i++) data[i] ^= 0xff
      return [{digest: sha256(data), size: data.length, diffID: sha256(tarData), mediaType: MEDIA_TYPE_OCI_LAYER_GZIP, data}]
    },
  },
  'device-nodes': {
    description:
      'character and block devices, a fifo, and a 0/0 character device (an overlay whiteout); rootless cannot mknod these',
    layers: async () => {
      const entries: LayerEntry[] = [
        {path: 'dev/', type: 'dir'},
        {path: 'dev/tspod-null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3},
        {path: 'dev/tspod-sda', type: 'block', mode: 0o660, devmajor: 8, devminor: 0},
        {path: 'dev/tspod-fifo', type: 'fifo', mode: 0o644},
        {path: 'dev/tspod-overlay-whiteout', type: 'char', mode: 0o000, devmajor: 0, devminor: 0},
      ]
      return [entries]
    },
  },
}

export const HOSTILE_KINDS = Object.keys(HOSTILE_LAYERS) as HostileKind[]
