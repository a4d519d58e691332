// The client side of the monitor's attach protocol: frames as tspod-monitor.c reads them, the
// monitor's frames however the stream cuts them, and a container without a monitor's socket.
import test from 'ava'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

import {FrameReader, connectAttachSocket, frame, resizeFrame} from '../../../src/runtime/container/attach-socket'

function monitorFrame(type: string, payload: string): Buffer {
  const header = Buffer.alloc(5)
  header[0] = type.charCodeAt(0)
  header.writeUInt32BE(Buffer.byteLength(payload), 1)
  return Buffer.concat([header, Buffer.from(payload)])
}

test('input, stdin-close and window-size frames: type byte, 4-byte big-endian length, payload', (t) => {
  t.deepEqual(frame('i', Buffer.from('ab')), Buffer.from([0x69, 0, 0, 0, 2, 0x61, 0x62]))
  t.deepEqual(frame('c'), Buffer.from([0x63, 0, 0, 0, 0]))
  t.deepEqual(resizeFrame(300, 80), Buffer.from([0x77, 0, 0, 0, 4, 0x01, 0x2c, 0, 80]))
})

test('the monitor\'s frames are read whole, whether split across chunks or several in one', (t) => {
  const reader = new FrameReader()
  const all = Buffer.concat([monitorFrame('o', 'out'), monitorFrame('e', 'err'), monitorFrame('x', '137')])
  t.deepEqual(reader.feed(all.subarray(0, 3)), [])
  t.deepEqual(reader.feed(all.subarray(3, 9)), [{type: 'stdout', data: Buffer.from('out')}])
  t.deepEqual(reader.feed(all.subarray(9)), [
    {type: 'stderr', data: Buffer.from('err')},
    {type: 'exit', code: 137},
  ])
})

test('a long bundle dir is reached through /proc/self/fd; no monitor is a one-line error', async (t) => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-attach-sock-'))
  t.teardown(() => fs.rmSync(top, {recursive: true, force: true}))
  const dir = path.join(top, 'x'.repeat(60), 'y'.repeat(64))
  fs.mkdirSync(dir, {recursive: true})
  const socketPath = path.join(dir, 'attach.sock')
  await t.throwsAsync(connectAttachSocket(socketPath, 'abc'), {message: /^cannot attach to container abc: its monitor's socket: ENOENT$/})
  await t.throwsAsync(connectAttachSocket(path.join(top, 'gone', 'attach.sock'), 'abc'), {message: 'no attach socket for container abc: its monitor is gone'})

  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY)
  const server = net.createServer((socket) => socket.end('hello'))
  await new Promise<void>((resolve) => server.listen(`/proc/self/fd/${fd}/attach.sock`, resolve))
  t.teardown(() => server.close())
  const socket = await connectAttachSocket(socketPath, 'abc')
  const text = await new Promise<string>((resolve) => {
    let got = ''
    socket.on('data', (d: Buffer) => (got += d.toString()))
    socket.on('end', () => resolve(got))
  })
  t.is(text, 'hello')
  fs.closeSync(fd)
})
