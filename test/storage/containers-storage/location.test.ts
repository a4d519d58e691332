// Where containers/storage's store is for a user: storage.conf's graphroot/runroot/driver, the
// rootless defaults under XDG dirs, rootless_storage_path, and the driver of an existing store.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {containersStorageLocation} from '../../../src/storage/containers-storage/location'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-csloc-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

function writeConf(dir: string, text: string): string {
  const file = path.join(dir, 'config', 'containers', 'storage.conf')
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text)
  return file
}

test('rootless defaults: $XDG_DATA_HOME/containers/storage and $XDG_RUNTIME_DIR/containers', (t) => {
  const dir = tempDir(t)
  const env = {HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_DATA_HOME: path.join(dir, 'data'), XDG_RUNTIME_DIR: '/run/user/1000', USER: 'u'}
  const at = containersStorageLocation(env, 1000)
  t.is(at.graphRoot, path.join(dir, 'data', 'containers', 'storage'))
  t.is(at.runRoot, '/run/user/1000/containers')
  t.is(containersStorageLocation({HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_RUNTIME_DIR: '/run/user/1000'}, 1000).graphRoot, path.join(dir, '.local', 'share', 'containers', 'storage'))
})

test("the user's storage.conf: graphroot, runroot and driver (overlay2 is overlay); rootless_storage_path with $HOME and $UID", (t) => {
  const dir = tempDir(t)
  const env = {HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_RUNTIME_DIR: '/run/user/1000'}
  writeConf(dir, '[storage]\ndriver = "overlay2"\ngraphroot = "/g"\nrunroot = "/r"\n')
  t.deepEqual(containersStorageLocation(env, 1000), {graphRoot: '/g', runRoot: '/r', driver: 'overlay'})
  writeConf(dir, '[storage]\ndriver = "vfs"\nrootless_storage_path = "$HOME/s-$UID"\n')
  t.deepEqual(containersStorageLocation(env, 1000), {graphRoot: path.join(dir, 's-1000'), runRoot: '/run/user/1000/containers', driver: 'vfs'})
  const other = writeConf(path.join(dir, 'elsewhere'), '[storage]\ngraphroot = "/e"\ndriver = "overlay"\n')
  t.is(containersStorageLocation({...env, CONTAINERS_STORAGE_CONF: other}, 1000).graphRoot, '/e')
})

test('without a driver in any file, the one an existing store was made with (else overlay)', (t) => {
  const dir = tempDir(t)
  const graph = path.join(dir, 'g')
  const env = {HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_RUNTIME_DIR: '/run/user/1000', CONTAINERS_STORAGE_CONF: writeConf(dir, `[storage]\ngraphroot = "${graph}"\n`)}
  const systemDriver = containersStorageLocation(env, 1000).driver
  fs.mkdirSync(path.join(graph, 'vfs-containers'), {recursive: true})
  const withStore = containersStorageLocation(env, 1000).driver
  // a system storage.conf naming a driver wins over the probe, as in containers/storage
  if (fs.existsSync('/etc/containers/storage.conf') && /^\s*driver\s*=\s*"\w+"/m.test(fs.readFileSync('/etc/containers/storage.conf', 'utf8'))) t.is(withStore, systemDriver)
  else t.is(withStore, 'vfs')
})

test('a storage.conf that is not TOML is an error naming it', (t) => {
  const dir = tempDir(t)
  const file = writeConf(dir, '[storage\n')
  t.throws(() => containersStorageLocation({HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config')}, 1000), {message: new RegExp(`^${file}: invalid TOML`)})
})
