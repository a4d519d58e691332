// --preserve-fds N: the fds 3 .. 3+N-1 that tspod's caller passed go into the container, as
// Podman's (which records the fds it inherited before its runtime starts and refuses the others).
// Node opens its own fds before any of tspod's code runs, each at the lowest free number, the
// first being its event loop's epoll: a range with a hole in it (a number the caller did not
// pass) therefore holds that epoll, and a range without one holds only the caller's fds. Node
// also marks the low inherited fds close-on-exec, so a close-on-exec test cannot tell them apart;
// the native child clears that flag on the range (native/src/child.c).
import * as fs from 'node:fs'

import {UsageError} from '../../errors'

/** Node's own fds: its event loop (epoll) and its wake-ups (eventfd). */
const NODE_OWN = /^anon_inode:\[(eventpoll|eventfd)\]$/

function passedByCaller(fd: number): boolean {
  try {
    return !NODE_OWN.test(fs.readlinkSync(`/proc/self/fd/${fd}`))
  } catch {
    return false // not open
  }
}

/** Throws Podman's error for the first fd of 3 .. 3+count-1 that tspod's caller did not pass. */
export function checkPreservedFds(count: number): void {
  for (let fd = 3; fd < 3 + count; fd++)
    if (!passedByCaller(fd)) throw new UsageError(`file descriptor ${fd} is not available - the preserve-fds option requires that all file descriptors must be passed`)
}

/** tspod-monitor keeps only its own fds: a detached start cannot pass the caller's. */
export function preserveFdsNeedForeground(count: number): UsageError {
  return new UsageError(`--preserve-fds=${count}: tspod passes file descriptors only into a container started in the foreground (run without -d, start --attach)`)
}
