// The bundle's warm-up: the start path run on a throwaway store, its output dropped, nothing left.
import test from 'ava'
import * as fs from 'node:fs'

import {warmStartPath} from '../../src/cli/warm-start'

test('each command runs on a temporary store that is gone afterwards; output and exit status are not kept', async (t) => {
  const runs: string[][] = []
  const exitCode = process.exitCode
  await warmStartPath(async (argv) => {
    runs.push(argv)
    t.true(fs.existsSync(argv[1].replace(/\/root$/, '')))
    process.stdout.write('dropped\n')
    process.exitCode = 125
  })
  t.is(process.exitCode, exitCode)
  t.true(runs.length > 3)
  t.true(runs.some((argv) => argv.includes('images')))
  for (const argv of runs) {
    t.deepEqual([argv[0], argv[2], argv[4]], ['--root', '--runroot', '--volumepath'])
    t.false(fs.existsSync(argv[1].replace(/\/root$/, '')))
  }
})
