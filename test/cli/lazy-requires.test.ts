// The build step that makes @oclif/core's requires wait until first use.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {lazyRequires} from '../../src/cli/lazy-requires'
import {REPO} from '../helpers/rootless'

/** Evaluate a CommonJS source with `modules` as what it may require, recording each load. */
function evaluate(source: string, modules: Record<string, unknown>, loaded: string[]): Record<string, unknown> {
  const exports: Record<string, unknown> = {}
  const load = (name: string) => {
    loaded.push(name)
    return modules[name]
  }
  new Function('exports', 'require', '__importDefault', source)(exports, load, (m: {__esModule?: boolean}) => (m?.__esModule ? m : {default: m}))
  return exports
}

const SOURCE = ['"use strict";', 'const a_1 = require("a");', 'const b_1 = __importDefault(require("b"));', 'exports.useA = () => (0, a_1.f)();', 'exports.useB = () => b_1.default.g();', ''].join('\n')
const MODULES = {a: {f: () => 'A'}, b: {g: () => 'B'}}

test('a module required by a binding used only for its properties loads at first use', (t) => {
  const loaded: string[] = []
  const exports = evaluate(lazyRequires(SOURCE), MODULES, loaded)
  t.deepEqual(loaded, [])
  t.is((exports.useB as () => string)(), 'B')
  t.deepEqual(loaded, ['b'])
  t.is((exports.useA as () => string)(), 'A')
  t.deepEqual(loaded, ['b', 'a'], 'each once')
})

test('a binding used as a value, and a require for its effects, stay as they are', (t) => {
  const source = ['const a_1 = require("a");', 'require("c");', 'exports.a = a_1;', 'const b_1 = require("b");', 'exports.g = b_1.g;', ''].join('\n')
  const out = lazyRequires(source)
  t.true(out.includes('const a_1 = require("a");'))
  t.true(out.includes('\nrequire("c");'))
  t.false(out.includes('const b_1 = require("b");'))
  const loaded: string[] = []
  evaluate(out, {...MODULES, c: {}}, loaded)
  t.deepEqual(loaded, ['a', 'c', 'b'], 'b is read at load by exports.g = b_1.g')
  t.is(lazyRequires('exports.x = 1;\n'), 'exports.x = 1;\n', 'nothing to make lazy: unchanged')
})

test("the CLI bundle has oclif's modules made lazy (scripts/bundle.js)", (t) => {
  const bundle = fs.readFileSync(path.join(REPO, 'dist', 'tspod.js'), 'latin1')
  t.true(bundle.includes('new Proxy({},{get:'), 'the stand-in is in the bundle')
})
