// Go's text for a time.Duration and a time.Time, which `podman top` prints as they come out of
// psgo's fmt.Sprintf("%v", ...): "3.618443563s", "1h2m0s", "2026-11-23 11:17:10 +0000 UTC".

const NS_PER_SECOND = 1_000_000_000n

/** The fraction v / 10**prec without trailing zeros (and without the point when it is 0); v / 10**prec. */
function fraction(v: bigint, prec: number): {text: string; rest: bigint} {
  let digits = ''
  let printed = false
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n
    printed = printed || digit !== 0n
    if (printed) digits = `${digit}${digits}`
    v /= 10n
  }
  return {text: printed ? `.${digits}` : '', rest: v}
}

/** time.Duration.String() for a duration in nanoseconds. */
export function goDuration(ns: bigint): string {
  const negative = ns < 0n
  let u = negative ? -ns : ns
  let text: string
  if (u < NS_PER_SECOND) {
    if (u === 0n) return '0s'
    const [prec, unit] = u < 1_000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms']
    const f = fraction(u, prec)
    text = `${f.rest}${f.text}${unit}`
  } else {
    const f = fraction(u, 9)
    u = f.rest
    text = `${u % 60n}${f.text}s`
    u /= 60n
    if (u > 0n) {
      text = `${u % 60n}m${text}`
      u /= 60n
      if (u > 0n) text = `${u}h${text}`
    }
  }
  return negative ? `-${text}` : text
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** The local zone's abbreviation as far as Intl knows it ("UTC", "CET" or "GMT+1"). */
function zoneName(date: Date): string {
  const part = new Intl.DateTimeFormat('en-US', {timeZoneName: 'short'}).formatToParts(date).find((p) => p.type === 'timeZoneName')
  return part?.value ?? 'UTC'
}

/** time.Time.String() of a whole-second Unix time, in the local zone: "2006-01-02 15:04:05 -0700 MST". */
export function goTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000)
  const offset = -date.getTimezoneOffset()
  const sign = offset < 0 ? '-' : '+'
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  return `${day} ${time} ${zone} ${zoneName(date)}`
}
