// The container's argv and working directory from the image config and `--entrypoint`, the
// command arguments and `-w` (Podman's pkg/specgenutil and makeCommand in
// pkg/specgen/generate/oci.go).
import * as path from 'node:path'

import {TspodError, UsageError} from '../../errors'
import {ContainerConfig} from '../../storage/image/manifest/image-config'

/** `--entrypoint`: a JSON array of strings, or else the whole value as one word. */
export function parseEntrypoint(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value)
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed
  } catch {
    // not JSON: a single word
  }
  return [value]
}

export interface CommandRequest {
  image: ContainerConfig
  /** `--entrypoint` as given on the command line, or already split */
  entrypoint?: string | string[]
  /** the arguments after the image name */
  args?: string[]
  /** `-w/--workdir` */
  workdir?: string
}

export interface ResolvedCommand {
  args: string[]
  cwd: string
  /**
   * Create cwd in the rootfs if it is missing: true for the image's WorkingDir (and "/"), false
   * for `-w`, where a missing dir must fail the start (exit 126, as in Podman's system tests).
   */
  createWorkingDir: boolean
}

function resolveEntrypoint(flag: string | string[] | undefined): string[] | undefined {
  if (flag === undefined) return undefined
  return typeof flag === 'string' ? parseEntrypoint(flag) : flag
}

/**
 * Entrypoint: `--entrypoint` replaces the image's; `--entrypoint ""` leaves none. Command: the
 * arguments replace the image's Cmd, which is dropped whenever `--entrypoint` names a program.
 */
export function resolveCommand(request: CommandRequest): ResolvedCommand {
  const flagEntrypoint = resolveEntrypoint(request.entrypoint)
  const entrypoint = flagEntrypoint ?? request.image.Entrypoint ?? []
  const args = entrypoint.length === 1 && entrypoint[0] === '' ? [] : [...entrypoint]
  let command = request.args ?? []
  if (command.length === 0 && (flagEntrypoint === undefined || flagEntrypoint.length === 0)) command = request.image.Cmd ?? []
  args.push(...command)
  if (args.length === 0) throw new TspodError('no command or entrypoint provided, and no CMD or ENTRYPOINT from image')

  if (request.workdir) {
    if (!path.posix.isAbsolute(request.workdir))
      throw new UsageError(`the working directory '${request.workdir}' is invalid, it needs to be an absolute path`)
    return {args, cwd: path.posix.normalize(request.workdir), createWorkingDir: false}
  }
  // Docker resolves a relative WORKDIR against / when it builds; do the same for odd configs.
  const cwd = request.image.WorkingDir ? path.posix.resolve('/', request.image.WorkingDir) : '/'
  return {args, cwd, createWorkingDir: true}
}
