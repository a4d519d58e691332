import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {NOSUB_USER, TEST_USER, lookupUser, removeTree, runAs, sandbox, tspod, TSPOD_BIN} from '../helpers/rootless'

function subRange(file: string, name: string) {
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))!
  const [, start, count] = line.split(':')
  return [{start: Number(start), count: Number(count)}]
}

test('rootless info --format json: rootless, the subuid/subgid ranges, and a real overlay probe', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const r = await tspod(box, ['info', '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  const info = JSON.parse(r.stdout)
  t.true(info.host.security.rootless)
  t.is(info.host.user.uid, box.user.uid)
  t.deepEqual(info.host.subordinateIds.subuid, subRange('/etc/subuid', TEST_USER))
  t.deepEqual(info.host.subordinateIds.subgid, subRange('/etc/subgid', TEST_USER))
  t.is(info.host.subordinateIds.mode, 'subid')
  t.is(info.host.subordinateIds.setgroups, 'allow')
  t.deepEqual(info.host.idMappings.uidmap[0], {container_id: 0, host_id: box.user.uid, size: 1})
  t.true(info.host.idMapTools.newuidmap.setuid || info.host.idMapTools.newuidmap.fileCapabilities)
  t.true(info.host.maxUserNamespaces > 0)
  t.is(info.host.kernel, os.release())
  t.is(info.store.graphDriverName, 'overlay')
  t.is(info.store.graphRoot, path.join(box.dir, 'data/tspod/storage'))
  t.is(info.store.runRoot, `/run/user/${box.user.uid}/tspod`)
  // This machine supports native overlay in a user namespace; the probe must find it.
  t.deepEqual(info.store.nativeOverlay, {native: true})
  t.is(info.store.graphStatus['Native Overlay Diff'], 'true')
  t.deepEqual(info.store.imageStore, {number: 0})
  // The probe leaves nothing behind in the graph root.
  t.false(fs.readdirSync(info.store.graphRoot).some((name) => name.startsWith('.overlay-probe')))
})

test('info accepts Go templates the way Podman users write them', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const kernel = await tspod(box, ['info', '--format', '{{.Host.Kernel}}'])
  t.is(kernel.stdout, `${os.release()}\n`)
  const both = await tspod(box, ['info', '-f', '{{.Host.Security.Rootless}} {{.Store.GraphDriverName}}'])
  t.is(both.stdout, 'true overlay\n')
  const json = await tspod(box, ['info', '--format', '{{json .Host.IDMappings.UIDMap}}'])
  t.is(JSON.parse(json.stdout)[0].host_id, box.user.uid)
  // what Podman's system tests read: the runtime's name, the network, the containers
  const runtime = await tspod(box, ['info', '--format', '{{ .Host.OCIRuntime.Name }} {{.Host.NetworkBackend}} {{.Store.ContainerStore.Number}}'])
  t.is(runtime.stdout, 'tspod netavark 0\n')
})

test("info has Podman's sections and keys, and YAML in key order", async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const r = await tspod(box, ['info', '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  const info = JSON.parse(r.stdout)
  t.deepEqual(Object.keys(info).sort(), ['host', 'plugins', 'registries', 'store', 'version'])
  for (const key of ['arch', 'buildahVersion', 'cgroupManager', 'cgroupVersion', 'conmon', 'cpus', 'cpuUtilization', 'distribution', 'eventLogger',
    'hostname', 'idMappings', 'kernel', 'linkmode', 'logDriver', 'memFree', 'memTotal', 'networkBackend', 'ociRuntime', 'os', 'security',
    'serviceIsRemote', 'slirp4netns', 'pasta', 'rootlessNetworkCmd', 'swapFree', 'swapTotal', 'uptime'])
    t.true(key in info.host, key)
  t.regex(info.host.buildahVersion, /^[1-9][0-9]*\.[0-9.]+/)
  t.true(fs.existsSync(info.host.conmon.path))
  t.regex(info.host.uptime, /^\d+h \d+m \d+\.\d\ds \(Approximately \d+\.\d\d days\)$/)
  t.is(typeof info.host.security.seccompEnabled, 'boolean')
  t.is(info.store.configFile, path.join(box.dir, 'config/tspod/storage.conf'))
  t.is(info.store.volumePath, path.join(info.store.graphRoot, 'volumes'))
  t.deepEqual(info.store.graphOptions, {})
  t.true(info.store.graphRootAllocated >= info.store.graphRootUsed)
  t.deepEqual(info.store.containerStore, {number: 0, paused: 0, running: 0, stopped: 0})
  t.deepEqual(info.plugins.volume, ['local'])
  t.deepEqual(info.plugins.network, ['bridge', 'macvlan'], 'as Podman with netavark')
  t.is(info.version.Version, info.version.APIVersion)
  const yaml = await tspod(box, ['info'])
  t.regex(yaml.stdout, /\n {2}conmon:\n {4}package: /)
  t.regex(yaml.stdout, /\n {2}imageStore:\n {4}number: 0\n/)
})

test('info prints YAML by default', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const r = await tspod(box, ['info'])
  t.is(r.code, 0, r.stderr)
  t.regex(r.stdout, /^host:\n {2}arch: /)
  t.regex(r.stdout, /\n {2}graphRoot: .*data\/tspod\/storage\n/)
})

test('global flags --root and --runroot, before or after the command', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const root = path.join(box.dir, 'elsewhere')
  const before = await tspod(box, ['--root', root, '--runroot', path.join(box.dir, 'run'), 'info', '--format', '{{.Store.GraphRoot}} {{.Store.RunRoot}}'])
  t.is(before.stdout, `${root} ${path.join(box.dir, 'run')}\n`, before.stderr)
  const after = await tspod(box, ['info', `--root=${root}`, '--format', '{{.Store.GraphRoot}}'])
  t.is(after.stdout, `${root}\n`)
})

test('--cgroup-manager cgroupfs|systemd changes nothing (no cgroups); another is refused (125); an empty --format prints an empty line', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  for (const manager of ['cgroupfs', 'systemd']) {
    const r = await tspod(box, ['--log-level', 'warning', `--cgroup-manager=${manager}`, 'info', '-f', ''])
    t.deepEqual([r.code, r.stdout, r.stderr], [0, '\n', ''])
  }
  const bad = await tspod(box, ['--cgroup-manager', 'bogus', 'info'])
  t.deepEqual([bad.code, bad.stderr], [125, 'Error: configuring runtime: cgroup manager must be one of cgroupfs and systemd: invalid argument\n'])
})

test('TSPOD_STORAGE_CONF selects the store', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const conf = path.join(box.dir, 'storage.conf')
  fs.writeFileSync(conf, `[storage]\ngraphroot = "${box.dir}/g"\nrunroot = "${box.dir}/r"\n`)
  const r = await tspod(box, ['info', '--format', '{{.Store.ConfigFile}} {{.Store.GraphRoot}}'], {env: {TSPOD_STORAGE_CONF: conf}})
  t.is(r.stdout, `${conf} ${box.dir}/g\n`, r.stderr)
})

test('a user without subordinate ranges sees the single mapping and why', async (t) => {
  const box = sandbox(lookupUser(NOSUB_USER))
  t.teardown(() => removeTree(box.dir))
  const r = await tspod(box, ['info', '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  const info = JSON.parse(r.stdout)
  t.is(info.host.subordinateIds.mode, 'single')
  t.is(info.host.subordinateIds.setgroups, 'deny')
  t.is(info.host.subordinateIds.reason, `no range for user "${NOSUB_USER}" in /etc/subuid`)
  t.deepEqual(info.host.idMappings.uidmap, [{container_id: 0, host_id: box.user.uid, size: 1}])
  t.deepEqual(info.store.nativeOverlay, {native: true})
})

test('as root, info says rootless false', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-root-'))
  t.teardown(() => removeTree(dir))
  const r = await runAs(lookupUser('root'), [process.execPath, TSPOD_BIN, '--root', path.join(dir, 'g'), '--runroot', path.join(dir, 'r'), 'info', '--format', '{{.Host.Security.Rootless}}'])
  t.is(r.stdout, 'false\n', r.stderr)
})
