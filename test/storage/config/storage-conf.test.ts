import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadStorageConfig} from '../../../src/storage/config/storage-conf'

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-conf-'))
}

test('rootless defaults: XDG data home and XDG runtime dir, under "tspod"', (t) => {
  const home = tempDir()
  const c = loadStorageConfig({}, {HOME: home, XDG_DATA_HOME: '/data', XDG_RUNTIME_DIR: '/run/user/1000'}, 1000)
  t.is(c.graphRoot, '/data/tspod/storage')
  t.is(c.runRoot, '/run/user/1000/tspod')
  t.is(c.driver, 'overlay')
  t.is(c.configFile, undefined)
})

test('rootless fallbacks: ~/.local/share and a private dir under /tmp', (t) => {
  const home = tempDir()
  const c = loadStorageConfig({}, {HOME: home}, 1000)
  t.is(c.graphRoot, path.join(home, '.local/share/tspod/storage'))
  t.is(c.runRoot, '/tmp/tspod-run-1000')
})

test('root uses system paths, like Podman', (t) => {
  const c = loadStorageConfig({}, {HOME: tempDir()}, 0)
  t.is(c.graphRoot, '/var/lib/tspod/storage')
  t.is(c.runRoot, '/run/tspod')
})

test('~/.config/tspod/storage.conf sets roots and overlay options with containers-storage keys', (t) => {
  const home = tempDir()
  fs.mkdirSync(path.join(home, '.config/tspod'), {recursive: true})
  fs.writeFileSync(
    path.join(home, '.config/tspod/storage.conf'),
    `[storage]
driver = "overlay"
runroot = "/run/x"
rootless_storage_path = "$HOME/store"

[storage.options.overlay]
ignore_chown_errors = "true"
mount_program = "/usr/bin/fuse-overlayfs"
`,
  )
  const c = loadStorageConfig({}, {HOME: home}, 1000)
  t.is(c.configFile, path.join(home, '.config/tspod/storage.conf'))
  t.is(c.graphRoot, path.join(home, 'store'))
  t.is(c.runRoot, '/run/x')
  t.true(c.overlay.ignoreChownErrors)
  t.is(c.overlay.mountProgram, '/usr/bin/fuse-overlayfs')
})

test('TSPOD_STORAGE_CONF wins over the user file, and flags win over both', (t) => {
  const dir = tempDir()
  const file = path.join(dir, 'custom.conf')
  fs.writeFileSync(file, '[storage]\ngraphroot = "/g"\nrunroot = "/r"\n')
  const env = {HOME: dir, TSPOD_STORAGE_CONF: file}
  t.is(loadStorageConfig({}, env, 1000).graphRoot, '/g')
  const c = loadStorageConfig({root: '/flag/root', runRoot: '/flag/run'}, env, 1000)
  t.is(c.graphRoot, '/flag/root')
  t.is(c.runRoot, '/flag/run')
})

test('bad files give one clear line naming the file', (t) => {
  const dir = tempDir()
  const file = path.join(dir, 'bad.conf')
  fs.writeFileSync(file, '[storage\ndriver = \n')
  const err = t.throws(() => loadStorageConfig({}, {HOME: dir, TSPOD_STORAGE_CONF: file}, 1000))
  t.true(err!.message.startsWith(`${file}: invalid TOML: `))
  t.false(err!.message.includes('\n'))
  // a driver tspod has not is refused when a store is opened with it (driver/select.ts), as Podman does
  fs.writeFileSync(file, '[storage]\ndriver = "btrfs"\n')
  t.is(loadStorageConfig({}, {HOME: dir, TSPOD_STORAGE_CONF: file}, 1000).driver, 'btrfs')
  t.throws(() => loadStorageConfig({root: 'relative/dir'}, {HOME: dir}, 1000), {
    message: 'graph root must be an absolute path: "relative/dir"',
  })
})

test('--storage-driver, --storage-opt and --volumepath over storage.conf', (t) => {
  const dir = tempDir()
  const file = path.join(dir, 'storage.conf')
  fs.writeFileSync(file, '[storage]\ndriver = "overlay2"\n[storage.options.overlay]\nmountopt = "nodev"\n[storage.options.vfs]\nignore_chown_errors = "true"\n')
  const env = {HOME: dir, TSPOD_STORAGE_CONF: file}
  const plain = loadStorageConfig({}, env, 1000)
  t.is(plain.driver, 'overlay')
  t.false(plain.driverSet)
  t.is(plain.overlay.mountOpt, 'nodev')
  t.is(plain.volumePath, path.join(plain.graphRoot, 'volumes'))
  t.false(plain.volumePathSet)

  const vfs = loadStorageConfig({driver: 'vfs', root: '/x/root', storageOpts: ['overlay.mountopt=ro']}, env, 1000)
  t.true(vfs.driverSet)
  t.is(vfs.vfs.ignoreChownErrors, true)
  t.is(vfs.overlay.mountOpt, 'nodev', "the other driver's options are left alone")
  t.is(vfs.volumePath, '/x/root/volumes')
  t.true(vfs.volumePathSet, '--root sets the volume path, as in Podman')

  t.is(loadStorageConfig({storageOpts: ['overlay.mountopt=ro']}, env, 1000).overlay.mountOpt, 'ro')
  const cleared = loadStorageConfig({storageOpts: ['']}, env, 1000)
  t.is(cleared.overlay.mountOpt, undefined)
  t.false(cleared.vfs.ignoreChownErrors)
  t.is(loadStorageConfig({volumePath: '/v'}, env, 1000).volumePath, '/v')
  t.throws(() => loadStorageConfig({driver: 'vfs', storageOpts: ['vfs.size=10G']}, env, 1000), {message: 'vfs driver does not support size options'})
  t.throws(() => loadStorageConfig({storageOpts: ['mountopt']}, env, 1000), {message: 'unable to parse storage option "mountopt": it must be KEY=VALUE'})
  t.throws(() => loadStorageConfig({volumePath: 'rel'}, env, 1000), {message: 'volume path must be an absolute path: "rel"'})
})
