// tspod's own log lines on stderr, as Podman's logrus writes them when stderr is not a terminal:
// `time="2026-01-02T03:04:05Z" level=debug msg="..."`. --log-level (or --debug) picks the threshold.
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Most verbose first; `warning` is logrus's other name for `warn`. */
const SEVERITY: Record<LogLevel, number> = {trace: 6, debug: 5, info: 4, warn: 3, warning: 3, error: 2, fatal: 1, panic: 0}

let threshold: number = SEVERITY.warn

export function isLogLevel(level: string): level is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(level)
}

export function setLogLevel(level: LogLevel): void {
  threshold = SEVERITY[level]
}

export function logEnabled(level: LogLevel): boolean {
  return SEVERITY[level] <= threshold
}

/** Go's %q closely enough for a message: JSON's escaping of quotes, backslashes and controls. */
function quote(text: string): string {
  return JSON.stringify(text)
}

export function log(level: 'trace' | 'debug' | 'info', message: string): void {
  if (!logEnabled(level)) return
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  process.stderr.write(`time="${time}" level=${level} msg=${quote(message)}\n`)
}
