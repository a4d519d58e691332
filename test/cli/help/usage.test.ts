// A command's synopsis and the flags its help lists, derived from its definition.
import test from 'ava'
import type {Command} from '@oclif/core'

import {argsSynopsis, ownFlags, synopsisTail} from '../../../src/cli/help/usage'

const arg = (required = false) => ({required}) as never

function command(fields: Partial<Command.Loadable>): Command.Loadable {
  return {id: 'x', aliases: [], args: {}, flags: {}, strict: true, ...fields} as unknown as Command.Loadable
}

test('the synopsis of the arguments comes from their definition', (t) => {
  t.is(argsSynopsis({args: {}, strict: true}), '')
  t.is(argsSynopsis({args: {container: arg(true), name: arg(true)}, strict: true}), 'CONTAINER NAME')
  t.is(argsSynopsis({args: {containers: arg()}, strict: false}), '[CONTAINER...]')
  t.is(argsSynopsis({args: {image: arg(true), command: arg()}, strict: false}), 'IMAGE [COMMAND...]')
  t.is(argsSynopsis({args: {image: arg(true)}, strict: false}), 'IMAGE [IMAGE...]')
  t.is(argsSynopsis({args: {container: arg(), port: arg()}, strict: true}), '[CONTAINER] [PORT]')
})

test("a command's own flags, by name: not the global ones, not hidden ones", (t) => {
  const flags = {
    quiet: {type: 'boolean', char: 'q'},
    all: {type: 'boolean', char: 'a'},
    root: {type: 'option'},
    secret: {type: 'boolean', hidden: true},
  }
  t.deepEqual(ownFlags(command({flags} as never)).map((f) => f.name), ['all', 'quiet'])
})

test('the synopsis tail: [options] when it has flags, then the arguments; its own usage when it sets one', (t) => {
  t.is(synopsisTail(command({args: {image: arg(true)}, flags: {all: {type: 'boolean'}}} as never)), '[options] IMAGE')
  t.is(synopsisTail(command({args: {image: arg(true)}})), 'IMAGE')
  t.is(synopsisTail(command({})), '')
  t.is(synopsisTail(command({usage: 'SHELL', args: {shell: arg(true)}})), 'SHELL')
  t.is(synopsisTail(command({usage: ['FIRST', 'SECOND']})), 'FIRST')
})
