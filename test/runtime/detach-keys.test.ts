// --detach-keys: Podman's key syntax and error, and the watcher that finds the sequence in a
// terminal's input (held back while it may be the sequence, released when it is not).
import test from 'ava'

import {DEFAULT_DETACH_KEYS, DetachKeyWatcher, parseDetachKeys} from '../../src/runtime/detach-keys'

test('keys: single characters and ctrl-@ … ctrl-_, comma-separated; "" disables', (t) => {
  t.deepEqual([...parseDetachKeys(DEFAULT_DETACH_KEYS)], [0x10, 0x11])
  t.deepEqual([...parseDetachKeys('ctrl-@,ctrl-a,ctrl-z,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_')], [0, 1, 26, 27, 28, 29, 30, 31])
  t.deepEqual([...parseDetachKeys('a,b,ctrl-x')], [0x61, 0x62, 0x18])
  t.is(parseDetachKeys('').length, 0)
})

test('a key that is neither one character nor a known ctrl- name is Podman\'s error', (t) => {
  for (const bad of ['foo', 'ctrl-A', 'ctrl-1', 'ctrl-', 'ctrl-ab', 'a,', ',']) {
    const key = bad.split(',').find((k) => k.length !== 1 && !/^ctrl-[a-z@[\\\]^_]$/.test(k))
    t.throws(() => parseDetachKeys(bad), {message: `invalid detach keys: Unknown character: '${key}'`}, bad)
  }
})

test('the watcher passes input through, holds a possible start, detaches on the whole sequence', (t) => {
  const w = new DetachKeyWatcher(parseDetachKeys('ctrl-p,ctrl-q'))
  t.deepEqual(w.feed(Buffer.from('ls\n')), {pass: Buffer.from('ls\n'), detach: false})
  // ctrl-p alone is held; what follows decides
  t.deepEqual(w.feed(Buffer.from([0x10])), {pass: Buffer.alloc(0), detach: false})
  t.deepEqual(w.feed(Buffer.from('x')), {pass: Buffer.from([0x10, 0x78]), detach: false})
  // ctrl-p ctrl-p: the first was input, the second may start the sequence
  t.deepEqual(w.feed(Buffer.from([0x10, 0x10])), {pass: Buffer.from([0x10]), detach: false})
  t.deepEqual(w.feed(Buffer.from([0x11, 0x61])), {pass: Buffer.alloc(0), detach: true})
  // split over reads, after other input
  const again = new DetachKeyWatcher(parseDetachKeys('ctrl-p,ctrl-q'))
  t.deepEqual(again.feed(Buffer.from([0x61, 0x10])), {pass: Buffer.from('a'), detach: false})
  t.deepEqual(again.feed(Buffer.from([0x11])), {pass: Buffer.alloc(0), detach: true})
})

test('with detaching disabled every byte passes', (t) => {
  const w = new DetachKeyWatcher(parseDetachKeys(''))
  t.deepEqual(w.feed(Buffer.from([0x10, 0x11])), {pass: Buffer.from([0x10, 0x11]), detach: false})
})
