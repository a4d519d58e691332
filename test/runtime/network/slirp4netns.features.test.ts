// Which options a slirp4netns program knows is asked of its --help once, then kept in the user's
// runtime dir for the same program file: the next tspod process starts no probe. A changed
// program file is asked again; a runtime dir others may write is never used for it.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

const MODULE = path.resolve(__dirname, '../../../src/runtime/network/slirp4netns.js')

/** A fake slirp4netns: counts its runs in `asked`, prints `help`. */
function writeProgram(file: string, asked: string, help: string): void {
  fs.writeFileSync(file, `#!/bin/sh\necho x >> ${asked}\necho '${help}'\n`, {mode: 0o755})
}

/** slirp4netnsFeatures in a new process (its in-memory cache empty), as a tspod command would ask. */
function featuresInNewProcess(binary: string, runtimeDir: string): Record<string, boolean> {
  const script = `require(${JSON.stringify(MODULE)}).slirp4netnsFeatures(${JSON.stringify(binary)}).then((f) => process.stdout.write(JSON.stringify(f)))`
  return JSON.parse(execFileSync(process.execPath, ['-e', script], {env: {...process.env, XDG_RUNTIME_DIR: runtimeDir}, encoding: 'utf8'}))
}

test('a slirp4netns program is asked once for its options, again once it changed, never kept in a dir others may write', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-slirp-features-'))
  try {
    const binary = path.join(dir, 'slirp4netns')
    const asked = path.join(dir, 'asked')
    const runtimeDir = path.join(dir, 'run')
    fs.mkdirSync(runtimeDir, {mode: 0o700})
    writeProgram(binary, asked, 'Usage: --mtu --enable-sandbox --enable-seccomp --enable-ipv6 --api-socket --disable-host-loopback')
    const all = {disableHostLoopback: true, mtu: true, enableSandbox: true, enableSeccomp: true, ipv6: true, apiSocket: true}
    t.deepEqual(featuresInNewProcess(binary, runtimeDir), all)
    t.deepEqual(featuresInNewProcess(binary, runtimeDir), all)
    t.is(fs.readFileSync(asked, 'utf8').split('\n').length - 1, 1)
    t.is(fs.statSync(path.join(runtimeDir, 'tspod', 'slirp4netns-features.json')).mode & 0o777, 0o600)

    writeProgram(binary, asked, 'Usage: --mtu --api-socket')
    t.like(featuresInNewProcess(binary, runtimeDir), {mtu: true, apiSocket: true, ipv6: false, enableSandbox: false})
    t.is(fs.readFileSync(asked, 'utf8').split('\n').length - 1, 2)

    const shared = path.join(dir, 'shared')
    fs.mkdirSync(shared)
    fs.chmodSync(shared, 0o777)
    featuresInNewProcess(binary, shared)
    t.false(fs.existsSync(path.join(shared, 'tspod')))
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})
