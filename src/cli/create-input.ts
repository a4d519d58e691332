// `create` and `run` flags and arguments → the Engine's create input.
import {CreateInput, UsageError} from '../engine'
import {CreateFlagValues, SpecWarn, containerSpecOf} from './container-flags'
import {imageContext} from './image-flags'
import {commandLine} from './program-name'

/** argv: the image, then the command and its arguments. */
export function createInputOf(flags: CreateFlagValues, argv: string[], signal: AbortSignal, warn?: SpecWarn): CreateInput {
  const [image, ...command] = argv
  if (!image) throw new UsageError('requires at least 1 arg(s), only received 0')
  const f = flags as Record<string, unknown>
  if (flags.replace && !flags.name) throw new UsageError('cannot replace container without --name being set')
  return {
    image,
    // parsed and checked here, before the image is looked up or pulled
    spec: {...containerSpecOf(flags, command, warn), createCommand: commandLine()},
    pullPolicy: f.pull as string | undefined,
    // checked only when the image is pulled, as before: --platform or --creds mean nothing to a local image
    pullContext: () => imageContext(flags as Parameters<typeof imageContext>[0], signal),
    cidFile: f.cidfile as string | undefined,
    replace: flags.replace,
  }
}

/** `run --attach`: the output streams to show; undefined (both) without the flag. */
export function attachedStreams(attach: string[] | undefined): {stdout: boolean; stderr: boolean} | undefined {
  if (!attach || attach.length === 0) return undefined
  const streams = {stdout: false, stderr: false}
  for (const stream of attach) {
    const name = stream.toLowerCase()
    if (name === 'stdout' || name === 'stderr') streams[name] = true
    else if (name !== 'stdin') throw new UsageError(`invalid stream "${stream}" for --attach - must be one of stdin, stdout, or stderr: invalid argument`)
  }
  return streams
}
