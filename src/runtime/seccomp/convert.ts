// A containers/common profile turned into the OCI `linux.seccomp` section of one container, as
// Podman does it when it generates the spec (containers/common pkg/seccomp): the native
// architecture's entry of archMap, and only the rules whose includes/excludes match this
// architecture, this kernel and the container's bounding capabilities.
import * as os from 'node:os'

import {TspodError} from '../../errors'
import {OciSeccomp, OciSyscallRule} from '../oci-spec'
import {ProfileSyscall, SeccompProfile} from './profile'

/** What a profile's rules are filtered by. */
export interface SeccompTarget {
  /** Go's architecture name (amd64, arm64, ...), as the profile's includes/excludes arches use it */
  arch: string
  /** the kernel release, e.g. "6.1.0-13-amd64" */
  kernel: string
  /** the container's bounding set */
  capabilities: string[]
}

/** Node's process.arch → Go's GOARCH, the names profiles use. */
const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: '386',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  mips: 'mips',
  mipsel: 'mipsle',
  riscv64: 'riscv64',
}

/** The 64-bit architectures whose archMap entry (with its sub-architectures) a profile applies. */
const SECCOMP_ARCH: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64',
  arm64: 'SCMP_ARCH_AARCH64',
  mips64: 'SCMP_ARCH_MIPS64',
  mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  mipsel64n32: 'SCMP_ARCH_MIPSEL64N32',
  s390x: 'SCMP_ARCH_S390X',
}

export function hostSeccompTarget(capabilities: string[]): SeccompTarget {
  return {arch: GO_ARCH[process.arch] ?? process.arch, kernel: os.release(), capabilities}
}

/** "5.15.0-91-generic" → [5, 15]; a part that is not a number counts as 0. */
function kernelVersion(release: string): [number, number] {
  const [major, minor] = release.split(/[.-]/).map((p) => Number.parseInt(p, 10))
  return [Number.isNaN(major) ? 0 : major, Number.isNaN(minor) ? 0 : (minor ?? 0)]
}

function atLeast(kernel: string, minimum: string): boolean {
  const [a, b] = kernelVersion(kernel)
  const [x, y] = kernelVersion(minimum)
  return a > x || (a === x && b >= y)
}

function applies(rule: ProfileSyscall, target: SeccompTarget): boolean {
  const {includes = {}, excludes = {}} = rule
  const has = (cap: string) => target.capabilities.includes(cap)
  if (excludes.arches?.length && excludes.arches.includes(target.arch)) return false
  if (excludes.caps?.length && excludes.caps.some(has)) return false
  if (excludes.minKernel && atLeast(target.kernel, excludes.minKernel)) return false
  if (includes.arches?.length && !includes.arches.includes(target.arch)) return false
  if (includes.caps?.length && !includes.caps.every(has)) return false
  if (includes.minKernel && !atLeast(target.kernel, includes.minKernel)) return false
  return true
}

function ociRule(names: string[], rule: ProfileSyscall): OciSyscallRule {
  const out: OciSyscallRule = {names, action: rule.action}
  if (rule.errnoRet !== undefined && rule.errnoRet !== null) out.errnoRet = rule.errnoRet
  if (rule.args && rule.args.length > 0)
    out.args = rule.args.map((a) => ({index: a.index, value: a.value ?? 0, valueTwo: a.valueTwo ?? 0, op: a.op}))
  return out
}

function architectures(profile: SeccompProfile, target: SeccompTarget): string[] {
  if (profile.architectures?.length && profile.archMap?.length)
    throw new TspodError("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'")
  if (profile.architectures?.length) return [...profile.architectures]
  const native = SECCOMP_ARCH[target.arch]
  const entry = profile.archMap?.find((a) => a.architecture === native)
  return entry ? [entry.architecture, ...(entry.subArchitectures ?? [])] : []
}

/** The spec's seccomp section; undefined when the profile has neither a default action nor rules (seccomp off). */
export function ociSeccomp(profile: SeccompProfile, target: SeccompTarget): OciSeccomp | undefined {
  if (!profile.defaultAction && !profile.syscalls?.length) return undefined
  const section: OciSeccomp = {defaultAction: profile.defaultAction}
  if (profile.defaultErrnoRet !== undefined && profile.defaultErrnoRet !== null) section.defaultErrnoRet = profile.defaultErrnoRet
  const arches = architectures(profile, target)
  if (arches.length > 0) section.architectures = arches
  if (profile.flags?.length) section.flags = [...profile.flags]
  const syscalls: OciSyscallRule[] = []
  for (const rule of profile.syscalls ?? []) {
    if (!applies(rule, target)) continue
    if (rule.name && rule.names?.length)
      throw new TspodError("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'")
    if (rule.name) syscalls.push(ociRule([rule.name], rule))
    if (rule.names?.length) syscalls.push(ociRule([...rule.names], rule))
  }
  section.syscalls = syscalls
  return section
}
