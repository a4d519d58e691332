// The spec's seccomp section compiled to the BPF program the native child loads (a `seccomp`
// step). libseccomp does the compiling (native/src/seccomp.cc), in the parent, before clone.
// Compiling Podman's default profile takes about 14 ms, so programs are kept in the run root,
// named by a hash of the section and the architecture: a run of the same profile reads 9 KiB.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {ChildStep, native} from '../../native'
import {OciSeccomp} from '../oci-spec'

/** linux/seccomp.h */
const FILTER_FLAGS: Record<string, number> = {
  SECCOMP_FILTER_FLAG_TSYNC: 1,
  SECCOMP_FILTER_FLAG_LOG: 2,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 4,
}

/** A classic BPF instruction (struct sock_filter) is 8 bytes; the kernel takes at most 4096 of them. */
const INSTRUCTION_SIZE = 8
const MAX_INSTRUCTIONS = 4096

export function filterFlags(section: OciSeccomp): number {
  let flags = 0
  for (const name of section.flags ?? []) {
    const flag = FILTER_FLAGS[name]
    if (flag === undefined) throw new TspodError(`seccomp flag \`${name}\` is not supported`)
    flags |= flag
  }
  return flags
}

export function compileSeccomp(section: OciSeccomp): Buffer {
  let program: Buffer
  try {
    program = native().compileSeccomp(section)
  } catch (err) {
    throw new TspodError(`cannot compile the seccomp profile: ${(err as Error).message}`, {cause: err})
  }
  if (program.length / INSTRUCTION_SIZE > MAX_INSTRUCTIONS)
    throw new TspodError(`the seccomp profile compiles to ${program.length / INSTRUCTION_SIZE} BPF instructions, more than the kernel's ${MAX_INSTRUCTIONS}`)
  return program
}

function cacheKey(section: OciSeccomp): string {
  return crypto.createHash('sha256').update(process.arch).update('\0').update(JSON.stringify(section)).digest('hex')
}

function readCached(file: string): Buffer | undefined {
  try {
    const program = fs.readFileSync(file)
    return program.length > 0 && program.length % INSTRUCTION_SIZE === 0 ? program : undefined
  } catch {
    return undefined
  }
}

/** The program for a section, from cacheDir when compiled before; a cache that cannot be written is only slower. */
export function seccompProgram(section: OciSeccomp, cacheDir?: string): Buffer {
  if (!cacheDir) return compileSeccomp(section)
  const file = path.join(cacheDir, `${cacheKey(section)}.bpf`)
  const cached = readCached(file)
  if (cached) return cached
  const program = compileSeccomp(section)
  try {
    fs.mkdirSync(cacheDir, {recursive: true, mode: 0o700})
    const temp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(temp, program, {mode: 0o600})
    fs.renameSync(temp, file)
  } catch {
    // a read-only or full run root: the next run compiles again
  }
  return program
}

/** The step that loads the filter (see processSteps for where it goes). */
export function seccompStep(section: OciSeccomp, cacheDir?: string): ChildStep {
  return {kind: 'seccomp', name: 'load the seccomp filter', filter: seccompProgram(section, cacheDir), flags: filterFlags(section)}
}
