// The Engine's public surface (src/engine/index.ts): what a front end imports. It must stay light:
// every command loads it, so the container launch, the pull/copy machinery, the transports and the
// flag parsers are loaded only by the verbs that use them. Checked in a fresh Node process, whose
// module cache holds only what index.js loads.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as path from 'node:path'

import * as surface from '../../src/engine'
import {Engine} from '../../src/engine/engine'
import {TspodError, UsageError} from '../../src/errors'

const DIST_SRC = path.resolve(__dirname, '..', '..', 'src')

/** The dist/src modules (relative paths) that requiring `module` loads in a fresh process. */
function modulesLoadedBy(module: string): string[] {
  const script = `require(${JSON.stringify(path.join(DIST_SRC, module))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], {encoding: 'utf8'})) as string[]
  return loaded.filter((file) => file.startsWith(DIST_SRC + path.sep)).map((file) => path.relative(DIST_SRC, file))
}

test('it exports the Engine and the base error classes', (t) => {
  t.is(surface.Engine, Engine)
  t.is(surface.UsageError, UsageError)
  t.is(surface.TspodError, TspodError)
  t.true(new surface.UsageError('x') instanceof surface.TspodError)
  t.is(typeof surface.goArchitecture, 'function')
})

test('loading it loads neither the container launch, the pull and copy machinery, the transports nor the spec parsers', (t) => {
  const loaded = modulesLoadedBy('engine/index.js')
  t.true(loaded.includes(path.join('engine', 'engine.js')))
  const heavy = loaded.filter((file) =>
    /^(runtime\/container\/(launch|create|exec|attach)\.js|storage\/image\/(pull|load|save)\.js|storage\/image\/copy\/|storage\/image\/transports\/|specgen\/|system\/doctor\/)/.test(file),
  )
  t.deepEqual(heavy, [])
})

test('the verbs\' own modules are apart: the spec parsers come with container-spec.js, the doctor with doctor-report.js', (t) => {
  t.true(modulesLoadedBy('engine/container-spec.js').includes(path.join('specgen', 'parse.js')))
  t.true(modulesLoadedBy('engine/doctor-report.js').includes(path.join('system', 'doctor', 'runner.js')))
  t.true(modulesLoadedBy('engine/save-formats.js').includes(path.join('storage', 'image', 'save.js')))
})
