import * as crypto from 'node:crypto'

/**
 * OCI ChainIDs for a stack of DiffIDs, bottom first: ChainID(L0) = DiffID(L0), and
 * ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln)). A layer is stored under its
 * ChainID, so the same layer on the same parents is unpacked once and shared.
 */
export function chainIds(diffIDs: string[]): string[] {
  const ids: string[] = []
  for (const diffID of diffIDs) {
    const previous = ids.at(-1)
    ids.push(previous === undefined ? diffID : `sha256:${crypto.createHash('sha256').update(`${previous} ${diffID}`).digest('hex')}`)
  }
  return ids
}

export function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1)
}
