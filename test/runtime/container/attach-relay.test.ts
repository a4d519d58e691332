// The relay's ends: the monitor's exit code, a connection that ends without one, and (without
// this process's stdin attached) nothing sent but what the terminal needs.
import test from 'ava'
import * as net from 'node:net'

import {relayAttach} from '../../../src/runtime/container/attach-relay'

function exitFrame(code: string): Buffer {
  const header = Buffer.alloc(5)
  header[0] = 'x'.charCodeAt(0)
  header.writeUInt32BE(code.length, 1)
  return Buffer.concat([header, Buffer.from(code)])
}

/** A socket pair over loopback TCP: the relay's connection and the monitor's side. */
async function pair(t: {teardown(fn: () => void): void}): Promise<{client: net.Socket; monitor: net.Socket}> {
  const server = net.createServer()
  t.teardown(() => server.close())
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
  await new Promise((resolve) => client.once('connect', resolve))
  return {client, monitor: await accepted}
}

const noInput = {tty: false, stdin: false, closeStdinAtEnd: false, detachKeys: Buffer.alloc(0)}

test('the exit code the monitor sends, once the connection closes', async (t) => {
  const {client, monitor} = await pair(t)
  const received: Buffer[] = []
  monitor.on('data', (d: Buffer) => received.push(d))
  const outcome = relayAttach(client, noInput)
  // split: the frame is read whole all the same
  monitor.write(exitFrame('42').subarray(0, 2))
  setTimeout(() => monitor.end(exitFrame('42').subarray(2)), 20)
  t.deepEqual(await outcome, {exitCode: 42})
  t.deepEqual(Buffer.concat(received), Buffer.alloc(0), 'without stdin or a terminal nothing is sent')
})

test('a connection that ends without an exit code is lost (the monitor was killed)', async (t) => {
  const {client, monitor} = await pair(t)
  const outcome = relayAttach(client, noInput)
  monitor.destroy()
  t.deepEqual(await outcome, {lost: true})
})
