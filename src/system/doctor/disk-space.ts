// Free space and inodes on the graph root's filesystem (statfs, as the user sees it: the root
// reserve does not count). Layers are unpacked file by file, so inodes run out too.
import * as fs from 'node:fs'

import {CheckGroup, CheckResult, ok, warn} from './check-result'
import {DoctorContext, nearestExisting, relocationHint} from './context'

const CHECK = 'graph root space'
export const MIN_FREE_BYTES = 1024 ** 3
export const MIN_FREE_FRACTION = 0.05

export function binarySize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let size = bytes
  let i = 0
  while (size >= 1024 && i < units.length - 1) {
    size /= 1024
    i++
  }
  return `${i === 0 ? size : size.toFixed(1)} ${units[i]}`
}

function percent(part: number, whole: number): string {
  return `${Math.floor((part / whole) * 100)}%`
}

export interface SpaceFacts {
  dir: string
  freeBytes: number
  totalBytes: number
  freeInodes: number
  totalInodes: number
}

export function readSpace(dir: string): SpaceFacts {
  const s = fs.statfsSync(dir)
  return {dir, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize, freeInodes: s.ffree, totalInodes: s.files}
}

export function judgeSpace(ctx: Pick<DoctorContext, 'env'>, facts: SpaceFacts): CheckResult {
  const space = `${binarySize(facts.freeBytes)} free of ${binarySize(facts.totalBytes)} (${percent(facts.freeBytes, facts.totalBytes)})`
  // Filesystems without an inode limit (btrfs) report 0 inodes.
  const inodes = facts.totalInodes > 0 ? `, ${facts.freeInodes} of ${facts.totalInodes} inodes free (${percent(facts.freeInodes, facts.totalInodes)})` : ''
  const found = `${space}${inodes} on the filesystem of ${facts.dir}`
  const low: string[] = []
  if (facts.freeBytes < MIN_FREE_BYTES || facts.freeBytes < facts.totalBytes * MIN_FREE_FRACTION) low.push('space')
  if (facts.totalInodes > 0 && facts.freeInodes < facts.totalInodes * MIN_FREE_FRACTION) low.push('inodes')
  if (low.length === 0) return ok(CHECK, found)
  return warn(
    CHECK,
    `${found}: low on ${low.join(' and ')} (under ${binarySize(MIN_FREE_BYTES)} or ${MIN_FREE_FRACTION * 100}%); pulls and containers fail with "no space left on device"`,
    `free some: \`tspod image prune\`, \`tspod rmi IMAGE\`; or ${relocationHint(ctx, 'graph root', 'on a larger filesystem')}`,
  )
}

export const diskSpaceChecks: CheckGroup = {
  name: 'disk',
  summary: 'free space and inodes on the graph root (WARN under 1 GiB or 5%)',
  async run(ctx) {
    return [judgeSpace(ctx, readSpace(nearestExisting(ctx.config.graphRoot)))]
  },
}
