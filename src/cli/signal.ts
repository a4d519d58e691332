// --signal as Podman takes it (kill): containers/common's ParseSignalNameOrNumber, then Podman's
// range check.
import * as os from 'node:os'

import {UsageError} from '../engine'

const SIGRTMIN = 34
const SIGRTMAX = 64

/** NAME (with or without SIG, any case; RTMIN+N, RTMAX-N), or its number. */
function signalByName(text: string): number | undefined {
  const name = text.toUpperCase().replace(/^SIG/, '')
  if (name === 'RTMIN') return SIGRTMIN
  if (name === 'RTMAX') return SIGRTMAX
  const rt = /^RTMIN\+([1-9]|1[0-5])$/.exec(name) ?? /^RTMAX-([1-9]|1[0-4])$/.exec(name)
  if (rt) return name.startsWith('RTMIN') ? SIGRTMIN + Number(rt[1]) : SIGRTMAX - Number(rt[1])
  if (name === 'CLD') return os.constants.signals.SIGCHLD
  if (name === 'POLL') return os.constants.signals.SIGIO
  return (os.constants.signals as Record<string, number>)[`SIG${name}`]
}

/** A signal number from a name or number, one leading dash allowed, in Podman's words when bad. */
export function parseSignal(text: string): number {
  const base = text.startsWith('-') ? text.slice(1) : text
  let sig: number | undefined
  if (/^[+-]?\d+$/.test(base)) {
    sig = Number(base)
    if (sig === 0) sig = undefined
  } else {
    sig = signalByName(base)
  }
  if (sig === undefined) throw new UsageError(`invalid signal: ${base}`)
  if (sig < 1 || sig > SIGRTMAX) throw new UsageError('valid signals are 1 through 64')
  return sig
}
