// @userns
// A worker script started as root of the rootless user's namespace: it runs under this Node, as
// uid 0 of the namespace, with only the environment Node needs, and talks over pipes.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {REPO, TEST_USER, lookupUser, removeTree, runAs, userTempDir} from '../helpers/rootless'

const MODULE = path.join(REPO, 'dist', 'src', 'userns', 'node-worker.js')
const STORE = path.join(REPO, 'dist', 'src', 'storage', 'store', 'store.js')

test('the worker runs as root of the namespace, reads its job on stdin and keeps only PATH, HOME, LANG and NODE_OPTIONS', async (t) => {
  const user = lookupUser(TEST_USER)
  const dir = userTempDir(user)
  t.teardown(() => removeTree(dir))
  const worker = path.join(dir, 'worker.js')
  fs.writeFileSync(worker, `
    let job = ''
    process.stdin.on('data', (c) => { job += c })
    process.stdin.on('end', () => {
      console.log(JSON.stringify({uid: process.getuid(), job, env: Object.keys(process.env).sort(), execPath: process.execPath}))
    })`)
  fs.chownSync(worker, user.uid, user.gid)
  const script = `
    const {spawnNodeWorker} = require(${JSON.stringify(MODULE)})
    const {storeMapping} = require(${JSON.stringify(STORE)})
    process.env.SECRET_TOKEN = 'x'
    spawnNodeWorker(${JSON.stringify(worker)}, storeMapping()).then(async (child) => {
      child.stdin.end('the job')
      let out = ''
      for await (const c of child.stdout) out += c
      const exit = await child.exited
      console.log(JSON.stringify({exit, answer: JSON.parse(out)}))
    }, (e) => { console.error(e.message); process.exit(1) })`
  const r = await runAs(user, [process.execPath, '-e', script])
  t.is(r.code, 0, r.stderr)
  const {exit, answer} = JSON.parse(r.stdout) as {exit: {code: number}; answer: {uid: number; job: string; env: string[]; execPath: string}}
  t.is(exit.code, 0)
  t.is(answer.uid, 0)
  t.is(answer.job, 'the job')
  t.is(answer.execPath, process.execPath)
  t.false(answer.env.includes('SECRET_TOKEN'))
  t.true(answer.env.every((k) => ['PATH', 'HOME', 'LANG', 'NODE_OPTIONS'].includes(k)), answer.env.join(' '))
})
