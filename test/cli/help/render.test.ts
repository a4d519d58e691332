// Help text in Podman's layout: pflag's flag list, the Usage line, the sections of a help.
import test from 'ava'
import type {Command} from '@oclif/core'

import type {Node} from '../../../src/cli/help/command-tree'
import {flagUsages, renderHelp, renderUsage, usageLine} from '../../../src/cli/help/render'
import {programName} from '../../../src/cli/program-name'

const bin = programName()

function node(path: string[], command?: Partial<Command.Loadable>, children: Node[] = []): Node {
  return {
    path,
    summary: `About ${path.join(' ') || 'the root'}`,
    command: command && ({id: path.join(':'), aliases: [], args: {}, flags: {}, strict: true, ...command} as unknown as Command.Loadable),
    children: new Map(children.map((c) => [c.path[c.path.length - 1], c])),
  }
}

test('flags are listed as pflag lists them, descriptions in one column', (t) => {
  const text = flagUsages([
    {name: 'all', char: 'a', type: 'boolean', description: 'Show all'},
    {name: 'format', type: 'option', description: 'Format output', default: 'json'},
    {name: 'filter', type: 'option', multiple: true, description: 'Filter output'},
  ] as never)
  t.is(text, ['  -a, --all              Show all', '      --format string    Format output (default "json")', '      --filter strings   Filter output'].join('\n'))
})

test('a value name and a default of each kind', (t) => {
  const text = flagUsages([
    {name: 'time', type: 'option', helpValue: 'SECONDS', default: 10, description: 'Seconds to wait'},
    {name: 'label', type: 'option', multiple: true, default: ['a', 'b'], description: 'Labels\nmore text'},
    {name: 'none', type: 'option', multiple: true, default: [], description: 'Nothing by default'},
  ] as never)
  t.is(text, ['      --time SECONDS    Seconds to wait (default 10)', '      --label strings   Labels (default [a,b])', '      --none strings    Nothing by default'].join('\n'))
})

test('the Usage line of the root, a group and a command', (t) => {
  t.is(usageLine(node([])), `${bin} [options] [command]`)
  t.is(usageLine(node(['image'])), `${bin} image [command]`)
  t.is(usageLine(node(['image', 'rm'], {args: {images: {required: true}}, strict: false, flags: {force: {type: 'boolean'}}} as never)), `${bin} image rm [options] IMAGE [IMAGE...]`)
  t.is(usageLine(node(['version'], {})), `${bin} version`)
})

test("a group's help lists its listed commands, sorted, and a command's its examples and options", (t) => {
  const hidden = {...node(['image', 'secret'], {}), unlisted: true}
  const group = node(['image'], undefined, [node(['image', 'tag'], {}), node(['image', 'ls'], {}), hidden])
  t.is(
    renderHelp(group),
    `About image\n\nDescription:\n  About image\n\nUsage:\n  ${bin} image [command]\n\nAvailable Commands:\n  ls          About image ls\n  tag         About image tag\n\n`,
  )
  const ps = node(['ps'], {examples: ['<%= config.bin %> ps -a'], flags: {all: {type: 'boolean', char: 'a', description: 'Show all'}}} as never)
  t.is(renderUsage(ps), `Usage:\n  ${bin} ps [options]\n\nExamples:\n  ${bin} ps -a\n\nOptions:\n  -a, --all   Show all\n`)
})

test("the root's help lists the global flags and cobra's --help and --version, with no Description", (t) => {
  const text = renderHelp(node([], undefined, [node(['version'], {})]))
  t.regex(text, /^About the root\n\nUsage:\n/)
  t.regex(text, /\nOptions:\n(.*\n)*      --help +Help for /)
  t.regex(text, /\n  -v, --version +version for /)
  t.regex(text, /\n      --root string +/)
})
