// `generate systemd`'s output: units printed one after another, written to files, or as JSON.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {unitsOutput, writeUnitFiles} from '../../src/cli/systemd-output'

const UNITS = new Map([
  ['pod-p', '# pod-p.service\nA\n'],
  ['container-c', '# container-c.service\nB & <C>\n'],
])

test('the units printed one after another, as they come', (t) => {
  t.is(unitsOutput(UNITS, ''), '# pod-p.service\nA\n# container-c.service\nB & <C>\n')
})

test('--format json: an object by unit name, keys sorted, one-blank indent, HTML characters escaped as Go does', (t) => {
  t.is(unitsOutput(UNITS, 'json'), '{\n "container-c": "# container-c.service\\nB \\u0026 \\u003cC\\u003e\\n",\n "pod-p": "# pod-p.service\\nA\\n"\n}\n')
  t.is(unitsOutput(UNITS, '{{ json . }}'), unitsOutput(UNITS, 'json'))
  t.throws(() => unitsOutput(UNITS, 'yaml'), {message: 'unknown --format argument: yaml'})
})

test('--files: each unit written to NAME.service, the paths printed instead (a newline each as text)', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'units-'))
  try {
    const paths = writeUnitFiles(UNITS, dir, true)
    t.is(fs.readFileSync(path.join(dir, 'pod-p.service'), 'utf8'), '# pod-p.service\nA\n')
    t.is(unitsOutput(paths, ''), `${dir}/pod-p.service\n${dir}/container-c.service\n`)
    t.deepEqual(JSON.parse(unitsOutput(writeUnitFiles(UNITS, dir, false), 'json')), {'container-c': `${dir}/container-c.service`, 'pod-p': `${dir}/pod-p.service`})
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})
