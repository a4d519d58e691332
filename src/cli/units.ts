// Human-readable sizes and durations exactly as Podman prints them (docker/go-units).

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']

/** go-units HumanSizeWithPrecision(size, 3): "7.63 MB", "123 B", "1.5 kB". */
export function humanSize(bytes: number): string {
  let size = bytes
  let i = 0
  while (size >= 1000 && i < DECIMAL_UNITS.length - 1) {
    size /= 1000
    i++
  }
  return `${formatG(size, 3)} ${DECIMAL_UNITS[i]}`
}

/** go-units HumanSize (4 significant digits, no space): "4.275MB", "12B", as `system df` and prune totals print. */
export function compactSize(bytes: number): string {
  let size = bytes
  let i = 0
  while (size >= 1000 && i < DECIMAL_UNITS.length - 1) {
    size /= 1000
    i++
  }
  return `${formatG(size, 4)}${DECIMAL_UNITS[i]}`
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']

/** go-units BytesSize (4 significant digits, powers of 1024): "1.5KiB", "7.629MiB", "0B". */
export function binarySize(bytes: number): string {
  let size = bytes
  let i = 0
  while (size >= 1024 && i < BINARY_UNITS.length - 1) {
    size /= 1024
    i++
  }
  return `${formatG(size, 4)}${BINARY_UNITS[i]}`
}

/** C/Go "%.Ng": N significant digits, trailing zeros dropped. */
function formatG(value: number, digits: number): string {
  if (value === 0) return '0'
  const s = value.toPrecision(digits)
  return s.includes('e') ? String(Number(s)) : s.includes('.') ? s.replace(/\.?0+$/, '') : s
}

/** go-units HumanDuration: "Less than a second", "About a minute", "3 weeks", … */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  const minutes = Math.floor(ms / 60_000)
  const hours = Math.floor(ms / 3_600_000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`
  return `${Math.floor(hours / 24 / 365)} years`
}

/** Podman's "CREATED" column: "2 weeks ago". */
export function timeAgo(date: Date, now: Date = new Date()): string {
  return `${humanDuration(now.getTime() - date.getTime())} ago`
}
