// Push progress on stderr, in Podman's words: a line as each layer is taken on ("Copying blob
// sha256:…", whether it is uploaded or already there), the config's line after the layers (Podman
// writes the config last), then "Writing manifest to image destination"; nothing with -q.
import type {PullProgress} from '../engine/events'

export function pushReporter(quiet: boolean, out: NodeJS.WritableStream = process.stderr): PullProgress {
  if (quiet) return {line: () => undefined, event: () => undefined, stop: () => undefined}
  let started = false
  let config: string | undefined
  const seen = new Set<string>()
  const begin = (): void => {
    if (!started) out.write('Getting image source signatures\n')
    started = true
  }
  return {
    line: (text) => out.write(`${text}\n`),
    event(e) {
      if (e.kind === 'blob-start' && e.isConfig) {
        config = e.digest
        return
      }
      if ((e.kind === 'blob-start' || e.kind === 'blob-done') && e.digest !== config && !seen.has(e.digest)) {
        seen.add(e.digest)
        begin()
        out.write(`Copying blob ${e.digest}\n`)
      }
      if (e.kind === 'manifest') {
        begin()
        if (config !== undefined) out.write(`Copying config ${config}\n`)
        out.write('Writing manifest to image destination\n')
      }
    },
    stop: () => undefined,
  }
}
