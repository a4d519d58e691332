// Pull progress on stderr, in Podman's words: per-layer bars with bytes and speed on a TTY,
// plain lines otherwise ("Copying blob 31e352740f53 done"), nothing with -q. A registry that went
// silent is a warning, even with -q, once per blob: it tells why the pull paused.
import type {CopyEvent} from '../storage/image/copy/copy'
import {formatDuration} from '../engine/registry'
import {humanSize} from './units'

const short = (digest: string) => digest.slice(digest.indexOf(':') + 1, digest.indexOf(':') + 13)

export interface PullReporter {
  line(text: string): void
  event(e: CopyEvent): void
  stop(): void
}

/** The warning line for a blob's first stall, then nothing more for that blob. */
function stallWarnings(): (e: CopyEvent) => string | undefined {
  const warned = new Set<string>()
  const configs = new Set<string>()
  return (e) => {
    if (e.kind === 'blob-start' && e.isConfig) configs.add(e.digest)
    if (e.kind !== 'blob-stalled' || warned.has(e.digest)) return undefined
    warned.add(e.digest)
    const what = configs.has(e.digest) ? 'config' : 'blob'
    const next = e.resumeAt > 0 ? `resuming at byte ${e.resumeAt}` : 'trying again'
    return `WARN[0000] Copying ${what} ${short(e.digest)}: ${e.server} sent nothing for ${formatDuration(e.silentMs)}; ${next}\n`
  }
}

export function quietReporter(out: NodeJS.WritableStream = process.stderr): PullReporter {
  const warning = stallWarnings()
  return {
    line: () => undefined,
    event(e) {
      const text = warning(e)
      if (text !== undefined) out.write(text)
    },
    stop: () => undefined,
  }
}

export function plainReporter(out: NodeJS.WritableStream = process.stderr): PullReporter {
  let started = false
  const configs = new Set<string>()
  const warning = stallWarnings()
  return {
    line: (text) => out.write(`${text}\n`),
    event(e) {
      const text = warning(e)
      if (text !== undefined) out.write(text)
      if (!started && (e.kind === 'blob-start' || e.kind === 'blob-done')) {
        started = true
        out.write('Getting image source signatures\n')
      }
      if (e.kind === 'blob-start' && e.isConfig) configs.add(e.digest)
      if (e.kind === 'blob-done') {
        const what = configs.has(e.digest) ? 'config' : 'blob'
        out.write(`Copying ${what} ${short(e.digest)} ${e.reused ? 'skipped: already exists' : 'done'}\n`)
      }
      if (e.kind === 'manifest') out.write('Writing manifest to image destination\n')
    },
    stop: () => undefined,
  }
}

export function ttyReporter(out: NodeJS.WriteStream = process.stderr): PullReporter {
  const {MultiBar, Presets} = require('cli-progress') as typeof import('cli-progress')
  const bars = new MultiBar(
    {
      stream: out,
      format: 'Copying {kind} {id} [{bar}] {done} / {total} | {speed}',
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? humanSize(v) : String(v)),
    },
    Presets.legacy,
  )
  const byDigest = new Map<string, {bar: ReturnType<InstanceType<typeof MultiBar>['create']>; kind: string; start: number; size: number}>()
  const payload = (kind: string, digest: string, bytes: number, size: number, start: number) => {
    const seconds = Math.max((Date.now() - start) / 1000, 0.001)
    return {kind, id: short(digest), done: humanSize(bytes), total: size > 0 ? humanSize(size) : '?', speed: `${humanSize(bytes / seconds)}/s`}
  }
  const warning = stallWarnings()
  return {
    line: (text) => bars.log(`${text}\n`),
    event(e) {
      const text = warning(e)
      if (text !== undefined) bars.log(text)
      if (e.kind === 'blob-start') {
        const kind = e.isConfig ? 'config' : 'blob'
        const bar = bars.create(Math.max(e.size, 1), 0, payload(kind, e.digest, 0, e.size, Date.now()))
        byDigest.set(e.digest, {bar, kind, start: Date.now(), size: e.size})
      } else if (e.kind === 'blob-progress') {
        const b = byDigest.get(e.digest)
        b?.bar.update(e.bytes, payload(b.kind, e.digest, e.bytes, b.size, b.start))
      } else if (e.kind === 'blob-done') {
        const b = byDigest.get(e.digest)
        if (b) b.bar.update(Math.max(b.size, 1), payload(b.kind, e.digest, b.size, b.size, b.start))
        else bars.log(`Copying blob ${short(e.digest)} skipped: already exists\n`)
      } else if (e.kind === 'manifest') {
        bars.log('Writing manifest to image destination\n')
      }
    },
    stop: () => bars.stop(),
  }
}

export function pullReporter(quiet: boolean): PullReporter {
  if (quiet) return quietReporter()
  return process.stderr.isTTY ? ttyReporter() : plainReporter()
}
