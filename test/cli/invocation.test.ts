// The words that named the running command: what a command's messages name it by, once main.ts
// has set them; the command's id until then.
import test from 'ava'
import type {Config} from '@oclif/core'

import {TspodCommand} from '../../src/cli/base-command'
import {invocation} from '../../src/cli/invocation'

class ListContainers extends TspodCommand {
  static id = 'container:list'
  async run(): Promise<void> {}
  path(): string[] {
    return this.commandPath()
  }
}

test.serial('nothing is named before a command runs: a command goes by its id', (t) => {
  t.deepEqual(invocation.path, [])
  t.deepEqual(new ListContainers([], {bin: 'tspod'} as Config).path(), ['container', 'list'])
})

test.serial('once set, the words as typed name the command', (t) => {
  t.teardown(() => (invocation.path = []))
  invocation.path = ['ps']
  t.deepEqual(new ListContainers([], {bin: 'tspod'} as Config).path(), ['ps'])
})
