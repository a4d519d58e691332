// --preserve-fds: only fds tspod's caller passed may go into the container.
import test from 'ava'
import {spawnSync} from 'node:child_process'
import * as path from 'node:path'

import {checkPreservedFds, preserveFdsNeedForeground} from '../../../src/runtime/container/preserve-fds'

const MODULE = path.resolve(__dirname, '../../../src/runtime/container/preserve-fds.js')

/** checkPreservedFds(count) in a fresh node whose caller passed `passed` extra fds (3, 4, ...). */
function checkIn(passed: number, count: number): string {
  const script = `try { require(${JSON.stringify(MODULE)}).checkPreservedFds(${count}); console.log('ok') } catch (e) { console.log(e.message) }`
  const stdio: ('ignore' | 'inherit' | 'pipe')[] = ['ignore', 'pipe', 'inherit', ...new Array<'pipe'>(passed).fill('pipe')]
  return spawnSync(process.execPath, ['-e', script], {stdio, encoding: 'utf8'}).stdout.trim()
}

test('fds the caller passed are accepted; the first one it did not pass is named', (t) => {
  t.is(checkIn(2, 2), 'ok')
  t.is(checkIn(1, 2), 'file descriptor 4 is not available - the preserve-fds option requires that all file descriptors must be passed')
  t.notThrows(() => checkPreservedFds(0))
})

test('a detached start cannot pass fds: the error says where they work', (t) => {
  t.regex(preserveFdsNeedForeground(2).message, /^--preserve-fds=2: .*foreground/)
})
