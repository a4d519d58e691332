// The namespace a container's changes are read in, and a diff written in this process without one.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {containerMapping, diffLayer} from '../../src/build/layer-diff'
import type {OciSpec} from '../../src/runtime/oci-spec'
import type {UserNamespaceMapping} from '../../src/userns/idmap'
import {tarEntries} from '../helpers/tar-entries'

const STORE: UserNamespaceMapping = {mode: 'subid', uidMap: [{containerID: 0, hostID: 1000, size: 1}], gidMap: [{containerID: 0, hostID: 1000, size: 1}], setgroups: 'allow'}

test('the container\'s own maps when its spec has them, the store\'s otherwise, none for real root', (t) => {
  const keepId = {linux: {uidMappings: [{containerID: 0, hostID: 1, size: 1000}, {containerID: 1000, hostID: 0, size: 1}], gidMappings: [{containerID: 0, hostID: 1, size: 1000}]}} as unknown as OciSpec
  t.deepEqual(containerMapping(keepId, STORE)!.uidMap, keepId.linux!.uidMappings)
  t.is(containerMapping({} as OciSpec, STORE), STORE)
  t.is(containerMapping(keepId, undefined), undefined)
})

test('without a namespace the diff is written in this process', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-diff-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.mkdirSync(path.join(dir, 'upper'))
  fs.writeFileSync(path.join(dir, 'upper', 'f'), 'x')
  const r = await diffLayer(path.join(dir, 'upper'), path.join(dir, 'l.tar'), undefined)
  t.regex(r.diffID, /^sha256:[0-9a-f]{64}$/)
  t.deepEqual((await tarEntries(path.join(dir, 'l.tar'))).map((e) => e.name), ['f'])
})
