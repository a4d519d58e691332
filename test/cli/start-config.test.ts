// The stand-in for oclif's Config on the fast start path, against the real one.
import {Config} from '@oclif/core'
import test from 'ava'

import {readCommandTable} from '../../src/cli/command-table'
import {startConfig} from '../../src/cli/start-config'
import {REPO} from '../helpers/rootless'

test("what a command reads of oclif's config is what Config.load gives", async (t) => {
  const real = await Config.load(REPO)
  const stand = startConfig(readCommandTable(REPO)!)
  t.is(stand.bin, real.bin)
  t.is(stand.name, real.name)
  t.is(stand.version, real.version)
  t.is(stand.userAgent, real.userAgent)
  t.deepEqual(stand.pjson.oclif.exitCodes, real.pjson.oclif.exitCodes)
  t.is(stand.scopedEnvVarKey('REDIRECTED'), real.scopedEnvVarKey('REDIRECTED'))
  t.deepEqual(stand.scopedEnvVarKeys('REDIRECTED'), real.scopedEnvVarKeys('REDIRECTED'))
  process.env.TSPOD_START_CONFIG_TEST = 'true'
  t.is(stand.scopedEnvVar('START_CONFIG_TEST'), real.scopedEnvVar('START_CONFIG_TEST'))
  t.is(stand.scopedEnvVarTrue('START_CONFIG_TEST'), real.scopedEnvVarTrue('START_CONFIG_TEST'))
  delete process.env.TSPOD_START_CONFIG_TEST
  t.is(stand.scopedEnvVar('START_CONFIG_TEST'), real.scopedEnvVar('START_CONFIG_TEST'))
  for (const hook of ['preparse', 'prerun', 'postrun']) {
    const {successes, failures} = await real.runHook(hook as 'prerun', {argv: []} as never)
    t.deepEqual(await stand.runHook(hook, {}), {successes, failures}, hook)
  }
})
