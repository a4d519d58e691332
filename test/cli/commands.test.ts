import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {COMMANDS} from '../../src/cli/commands'
import {REPO} from '../helpers/rootless'

/** oclif ids of the command modules under dist/src/commands (`container/run.js` → container:run). */
function commandFiles(dir = path.join(REPO, 'dist', 'src', 'commands'), prefix: string[] = []): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    if (entry.isDirectory()) return commandFiles(path.join(dir, entry.name), [...prefix, entry.name])
    return entry.name.endsWith('.js') ? [[...prefix, entry.name.slice(0, -3)].join(':')] : []
  })
}

test('COMMANDS names every command module once, and each loads as its own command class', (t) => {
  t.deepEqual(Object.keys(COMMANDS).sort(), commandFiles().sort())
  for (const [id, command] of Object.entries(COMMANDS)) {
    t.is(typeof command, 'function', id)
    t.is(typeof command.prototype.run, 'function', id)
  }
})

test('oclif.manifest.json lists the same commands as COMMANDS', (t) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
  t.deepEqual(Object.keys(manifest.commands).sort(), Object.keys(COMMANDS).sort())
})
