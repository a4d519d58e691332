// crun's echo of an exec failure on the container's stderr: dropped when the runtime reports that
// failure, kept in every other case.
import test from 'ava'
import {PassThrough} from 'node:stream'
import {buffer} from 'node:stream/consumers'

import {withoutRuntimeEcho} from '../../../src/runtime/container/runtime-echo'

async function filtered(chunks: string[], exited: Promise<unknown>): Promise<string> {
  const stderr = new PassThrough()
  const out = buffer(withoutRuntimeEcho(stderr, exited))
  for (const chunk of chunks) stderr.write(chunk)
  stderr.end()
  return (await out).toString()
}

const NOT_FOUND = 'executable file `/no/such` not found in $PATH: No such file or directory'
const failed = () => Promise.reject(new Error(`crun: ${NOT_FOUND}: OCI runtime attempted to invoke a command that was not found`))

test('the echo is dropped when the runtime reports the same failure, even in pieces', async (t) => {
  t.is(await filtered([`${NOT_FOUND}\n`], failed()), '')
  t.is(await filtered(['exec', 'utable file `/no/such` ', 'not found in $PATH: No such file or directory\n'], failed()), '')
})

test('kept: the container ran, said more, said something else, or the failure was another', async (t) => {
  t.is(await filtered([`${NOT_FOUND}\n`], Promise.resolve({code: 1})), `${NOT_FOUND}\n`)
  t.is(await filtered([`${NOT_FOUND}\n`, 'more\n'], failed()), `${NOT_FOUND}\nmore\n`)
  t.is(await filtered(['hello\n', 'world\n'], failed()), 'hello\nworld\n')
  t.is(await filtered(['open executable: Permission denied\n'], failed()), 'open executable: Permission denied\n')
})
