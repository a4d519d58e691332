// The phase trace: where a command's time goes, each phase marked with its elapsed ms since the
// process started (performance.now() counts from performance.timeOrigin, the process's start).
// The libraries cannot print: they mark phases here, and the front end that wants them (the
// CLI at --log-level=debug) attaches a sink. Until tracing is started a mark is one test of a
// variable; once started and before a sink is attached, marks are kept and handed to the sink.
import {performance} from 'node:perf_hooks'

export interface PhaseMark {
  phase: string
  /** ms since the process started */
  at: number
}

export type PhaseSink = (mark: PhaseMark) => void

let started = false
let sink: PhaseSink | undefined
let pending: PhaseMark[] = []

/**
 * Trace from now on. The first mark is the end of Node's own start (its bootstrap, before any
 * of tspod's code ran), taken from the times Node records of itself.
 */
export function startTrace(): void {
  if (started) return
  started = true
  pending.push({phase: 'node start', at: performance.nodeTiming.bootstrapComplete})
}

/** The end of `phase`, when tracing; nothing otherwise. */
export function tracePhase(phase: string): void {
  if (!started) return
  const mark = {phase, at: performance.now()}
  if (sink) sink(mark)
  else pending.push(mark)
}

/** Send the marks (those kept so far first) to `to`; tracing starts if it had not. */
export function attachTraceSink(to: PhaseSink): void {
  startTrace()
  sink = to
  const kept = pending
  pending = []
  for (const mark of kept) to(mark)
}

/** Stop tracing and forget what was kept: the marks were asked for, but the level turned out lower. */
export function stopTrace(): void {
  started = false
  sink = undefined
  pending = []
}
