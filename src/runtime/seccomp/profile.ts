// A seccomp profile in containers/common's JSON format (the format of Podman's
// /usr/share/containers/seccomp.json and of `--security-opt seccomp=PROFILE.json`): read and
// checked, with Podman's messages for a file that cannot be opened or decoded.
import * as fs from 'node:fs'

import {UsageError} from '../../errors'
import {OciSeccompArg} from '../oci-spec'
import {systemErrorText} from '../spec/system-error'

/** Where a rule applies: the container holds all of `caps`, runs on one of `arches`, on a kernel at least `minKernel`. */
export interface ProfileFilter {
  caps?: string[]
  /** Go's names: amd64, arm64, x86, x32, arm, ppc64le, s390x, ... */
  arches?: string[]
  /** "5.8" and the like */
  minKernel?: string
}

export interface ProfileSyscall {
  name?: string
  names?: string[]
  action: string
  errnoRet?: number
  args?: OciSeccompArg[] | null
  comment?: string
  includes?: ProfileFilter
  excludes?: ProfileFilter
}

export interface ProfileArchMap {
  architecture: string
  subArchitectures?: string[] | null
}

export interface SeccompProfile {
  defaultAction: string
  defaultErrnoRet?: number
  architectures?: string[]
  archMap?: ProfileArchMap[]
  flags?: string[]
  syscalls?: ProfileSyscall[]
}

function fail(problem: string): never {
  throw new Error(problem)
}

function checkStrings(value: unknown, what: string): void {
  if (value === undefined || value === null) return
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`${what} must be a list of strings`)
}

function checkNumber(value: unknown, what: string): void {
  if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 0))
    fail(`${what} must be an unsigned integer`)
}

function checkFilter(value: unknown, what: string): void {
  if (value === undefined || value === null) return
  if (typeof value !== 'object' || Array.isArray(value)) fail(`${what} must be an object`)
  const f = value as Record<string, unknown>
  checkStrings(f.caps, `${what}.caps`)
  checkStrings(f.arches, `${what}.arches`)
  if (f.minKernel !== undefined && typeof f.minKernel !== 'string') fail(`${what}.minKernel must be a string`)
}

function checkSyscall(value: unknown, i: number): void {
  const what = `syscalls[${i}]`
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${what} must be an object`)
  const s = value as Record<string, unknown>
  if (s.name !== undefined && typeof s.name !== 'string') fail(`${what}.name must be a string`)
  checkStrings(s.names, `${what}.names`)
  if (typeof s.action !== 'string') fail(`${what}.action must be a string`)
  checkNumber(s.errnoRet, `${what}.errnoRet`)
  if (s.args !== undefined && s.args !== null) {
    if (!Array.isArray(s.args)) fail(`${what}.args must be a list`)
    s.args.forEach((a: unknown, j: number) => {
      const arg = a as Record<string, unknown> | null
      if (arg === null || typeof arg !== 'object') fail(`${what}.args[${j}] must be an object`)
      checkNumber(arg.index, `${what}.args[${j}].index`)
      checkNumber(arg.value, `${what}.args[${j}].value`)
      checkNumber(arg.valueTwo, `${what}.args[${j}].valueTwo`)
      if (typeof arg.op !== 'string') fail(`${what}.args[${j}].op must be a string`)
    })
  }
  checkFilter(s.includes, `${what}.includes`)
  checkFilter(s.excludes, `${what}.excludes`)
}

/** Parse a profile; throws a plain Error naming what is wrong (the caller adds the file). */
export function parseProfile(text: string): SeccompProfile {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    fail((err as Error).message)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('the profile must be a JSON object')
  const p = value as Record<string, unknown>
  if (p.defaultAction !== undefined && typeof p.defaultAction !== 'string') fail('defaultAction must be a string')
  checkNumber(p.defaultErrnoRet, 'defaultErrnoRet')
  checkStrings(p.architectures, 'architectures')
  checkStrings(p.flags, 'flags')
  if (p.archMap !== undefined && p.archMap !== null) {
    if (!Array.isArray(p.archMap)) fail('archMap must be a list')
    p.archMap.forEach((a: unknown, i: number) => {
      const entry = a as Record<string, unknown> | null
      if (entry === null || typeof entry !== 'object' || typeof entry.architecture !== 'string') fail(`archMap[${i}].architecture must be a string`)
      checkStrings(entry.subArchitectures, `archMap[${i}].subArchitectures`)
    })
  }
  if (p.syscalls !== undefined && p.syscalls !== null) {
    if (!Array.isArray(p.syscalls)) fail('syscalls must be a list')
    p.syscalls.forEach((s: unknown, i: number) => checkSyscall(s, i))
  }
  return {...(p as object), defaultAction: (p.defaultAction as string | undefined) ?? ''} as SeccompProfile
}

/** Read a profile file, failing as Podman does when it cannot be opened or decoded. */
export function loadProfileFile(file: string): SeccompProfile {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`opening seccomp profile failed: open ${file}: ${systemErrorText(err)}`, {path: file, cause: err})
  }
  try {
    return parseProfile(text)
  } catch (err) {
    throw new UsageError(`loading seccomp profile (${file}) failed: decoding seccomp profile failed: ${(err as Error).message}`, {path: file})
  }
}
