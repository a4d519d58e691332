// --signal as Podman takes it (kill).
import * as os from 'node:os'

import {UsageError} from '../engine'

/** A signal as Podman takes it: a name with or without SIG, any case, or a number. */
export function parseSignal(text: string): NodeJS.Signals | number {
  const signals = os.constants.signals as Record<string, number>
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    if (n >= 1 && n <= 64) return n
  } else {
    const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`
    if (name in signals) return name as NodeJS.Signals
  }
  throw new UsageError(`invalid signal: ${text}`)
}
