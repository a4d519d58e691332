import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {readKubeInput} from '../../src/cli/kube-input'

test('readKubeInput: a file, or one line naming a missing one', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-input-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'kind: Pod\n')
  t.is(await readKubeInput(path.join(dir, 'a.yaml')), 'kind: Pod\n')
  await t.throwsAsync(readKubeInput(path.join(dir, 'no.yaml')), {message: `open ${path.join(dir, 'no.yaml')}: no such file or directory`})
})
