// The image's StopSignal as a number, for the annotations Podman writes into config.json
// (org.opencontainers.image.stopSignal): names with or without SIG, any case, or numbers
// (containers/common pkg/signal ParseSignalNameOrNumber).
import * as os from 'node:os'

import {TspodError} from '../../errors'

export const DEFAULT_STOP_SIGNAL = os.constants.signals.SIGTERM

const SIGRTMIN = 34
const SIGRTMAX = 64

function byName(name: string): number | undefined {
  const upper = name.toUpperCase().replace(/^SIG/, '')
  const known = (os.constants.signals as Record<string, number>)[`SIG${upper}`]
  if (known !== undefined) return known
  const rt = /^RTM(IN|AX)(?:([+-])(\d+))?$/.exec(upper)
  if (!rt) return undefined
  const base = rt[1] === 'IN' ? SIGRTMIN : SIGRTMAX
  const n = base + (rt[2] === '-' ? -1 : 1) * Number(rt[3] ?? 0)
  return n >= SIGRTMIN && n <= SIGRTMAX ? n : undefined
}

export function parseStopSignal(raw: string): number {
  const name = raw.replace(/^-/, '')
  if (/^\d+$/.test(name)) {
    const n = Number(name)
    if (n > 0 && n <= SIGRTMAX) return n
  } else {
    const n = byName(name)
    if (n !== undefined) return n
  }
  throw new TspodError(`invalid signal: ${name}`)
}
