// Progress of an image written from a container (commit, build), on stderr as Podman prints it:
// every layer and the config by full digest, then the manifest and signatures; nothing with -q.
import type {CopyEvent} from '../storage/image/copy/copy'
import type {PullReporter} from './pull-progress'

export function commitReporter(quiet: boolean, out: NodeJS.WritableStream = process.stderr): PullReporter {
  let started = false
  const write = (text: string) => {
    if (!quiet) out.write(`${text}\n`)
  }
  return {
    line: write,
    event(e: CopyEvent) {
      if (!started && (e.kind === 'blob-start' || e.kind === 'blob-done')) {
        started = true
        write('Getting image source signatures')
      }
      if (e.kind === 'blob-start') write(`Copying ${e.isConfig ? 'config' : 'blob'} ${e.digest}`)
      else if (e.kind === 'blob-done' && e.reused) write(`Copying blob ${e.digest}`)
      else if (e.kind === 'manifest') write('Writing manifest to image destination')
    },
    stop: () => undefined,
  }
}
