// @userns
// The parts of the external-runtime path that need no container: finding and identifying the
// runtime, the bundle's config.json, and turning what the runtime logged into tspod's errors
// (messages as crun 1.8.1 and runc 1.1.5 print them here).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {exitCodeFor} from '../../../src/cli/exit-codes'
import {ExecCannotInvokeError, ExecNotFoundError, TspodError, UsageError} from '../../../src/errors'
import {startWithOciRuntime} from '../../../src/runtime/oci-runtime'
import {externalRuntimeSpec, helperNetworkNamespace, helperSysctls, specJson} from '../../../src/runtime/oci-runtime/bundle'
import {chosenRuntime, identifyOciRuntime, parseRuntimeVersion, resolveOciRuntime, versionAtLeast} from '../../../src/runtime/oci-runtime/resolve'
import {parseRuntimeLog, runtimeError, runtimeFailure} from '../../../src/runtime/oci-runtime/runtime-error'
import {OciSpec} from '../../../src/runtime/oci-spec'

test('a runtime by name is looked up in PATH; an unknown name or a missing path is Podman\'s error', (t) => {
  t.is(resolveOciRuntime('crun'), '/usr/bin/crun')
  t.is(resolveOciRuntime('runc', '/nonexistent'), '/usr/bin/runc', "containers.conf's default dirs after PATH")
  const unknown = t.throws(() => resolveOciRuntime('nosuchruntime'), {instanceOf: UsageError})
  t.is(unknown?.message, 'default OCI runtime "nosuchruntime" not found: invalid argument')
  t.is(exitCodeFor(unknown), 125)
  t.is(t.throws(() => resolveOciRuntime('/tmp/nosuch/rt'))?.message, 'no valid executable found for OCI runtime /tmp/nosuch/rt: invalid argument')
  t.is(t.throws(() => resolveOciRuntime('/etc/passwd'))?.message, 'no valid executable found for OCI runtime /etc/passwd: invalid argument', 'not executable')
  t.is(resolveOciRuntime('/usr/bin/crun'), '/usr/bin/crun')
})

test('containers.conf\'s [engine.runtimes] paths for a name come before PATH; a listed path that is not there is passed over', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-rt-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.symlinkSync('/usr/bin/crun', path.join(dir, 'crun'))
  t.is(resolveOciRuntime('crun', process.env.PATH, {crun: [path.join(dir, 'missing'), path.join(dir, 'crun')]}), path.join(dir, 'crun'))
  t.is(resolveOciRuntime('crun', process.env.PATH, {crun: [path.join(dir, 'missing')]}), '/usr/bin/crun')
  t.is(resolveOciRuntime('mine', '/nonexistent', {mine: [path.join(dir, 'crun')]}), path.join(dir, 'crun'), 'a name only the table knows')
})

test('the runtime chosen: --runtime over containers.conf\'s runtime; "tspod" or neither is the native runtime', (t) => {
  t.is(chosenRuntime(undefined, {}), undefined)
  t.is(chosenRuntime(undefined, {runtime: 'crun'}), 'crun')
  t.is(chosenRuntime('runc', {runtime: 'crun'}), 'runc')
  t.is(chosenRuntime('tspod', {runtime: 'crun'}), undefined)
  t.is(chosenRuntime(undefined, {runtime: 'tspod'}), undefined)
})

test('a runtime is identified by its --version, whatever its file is called', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-rt-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.symlinkSync('/usr/bin/crun', path.join(dir, 'my-runtime'))
  const info = identifyOciRuntime(path.join(dir, 'my-runtime'))
  t.is(info.kind, 'crun')
  t.is(info.name, 'my-runtime')
  t.regex(info.version!, /^\d+\.\d+/)
  t.is(identifyOciRuntime('runc').kind, 'runc')
  t.deepEqual(parseRuntimeVersion('crun version 1.8.1\ncommit: f8a096be\n'), {kind: 'crun', version: '1.8.1'})
  t.deepEqual(parseRuntimeVersion('runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\n'), {kind: 'runc', version: '1.1.5+ds1'})
  t.deepEqual(parseRuntimeVersion('youki version 0.3.0\n'), {kind: 'other', version: '0.3.0'})
  t.deepEqual(parseRuntimeVersion(''), {kind: 'other'})
  t.false(versionAtLeast('1.8.1', '1.10'))
  t.true(versionAtLeast('1.10', '1.10'))
  t.true(versionAtLeast('1.16.1', '1.10'))
  t.false(versionAtLeast(undefined, '1.10'))
})

const spec: OciSpec = {
  ociVersion: '1.0.2-dev',
  process: {
    terminal: false,
    user: {uid: 0, gid: 0, additionalGids: [0]},
    args: ['sh'],
    env: ['PATH=/bin'],
    cwd: '/',
    rlimits: [{type: 'RLIMIT_NOFILE', soft: 1024, hard: Infinity}],
  },
  root: {path: '/store/c/merged', readonly: false},
  hostname: 'h',
  mounts: [{destination: '/vol', type: 'bind', source: '/srv/vol', options: ['rbind']}],
  linux: {
    namespaces: [{type: 'pid'}, {type: 'network'}, {type: 'mount'}, {type: 'user'}, {type: 'uts'}],
    uidMappings: [{containerID: 0, hostID: 1001, size: 1}],
    gidMappings: [{containerID: 0, hostID: 1002, size: 1}],
    maskedPaths: ['/proc/kcore'],
    readonlyPaths: ['/proc/sys'],
  },
  annotations: {'run.oci.keep_original_groups': '1'},
}

test('config.json for the runtime: no user namespace, no id maps, the merged dir as root, everything else kept', (t) => {
  const adjusted = externalRuntimeSpec(spec, '/store/c/./merged', true)
  t.deepEqual(adjusted.linux?.namespaces, [{type: 'pid'}, {type: 'network'}, {type: 'mount'}, {type: 'uts'}])
  t.false('uidMappings' in adjusted.linux!)
  t.false('gidMappings' in adjusted.linux!)
  t.deepEqual(adjusted.root, {path: '/store/c/merged', readonly: false})
  t.true(adjusted.process.terminal)
  t.deepEqual(adjusted.mounts, spec.mounts)
  t.deepEqual(adjusted.linux?.maskedPaths, spec.linux?.maskedPaths)
  t.deepEqual(adjusted.annotations, spec.annotations)
  t.is(spec.linux?.uidMappings?.length, 1, 'the given spec is left alone')
  // RLIM_INFINITY is a uint64 that a JS number cannot hold: written out exactly
  t.regex(specJson(adjusted), /"soft": 1024,\s+"hard": 18446744073709551615/)
})

test('config.json as real root: a device cgroup that denies all but the devices bound in (--device); none rootless', (t) => {
  const withDevice: OciSpec = {...spec, mounts: [...spec.mounts!, {destination: '/dev/n2', type: 'bind', source: '/dev/null', options: ['rbind']}]}
  t.deepEqual(externalRuntimeSpec(withDevice, '/store/c/merged', false).linux?.resources, {
    devices: [
      {allow: false, access: 'rwm'},
      {allow: true, type: 'c', major: 1, minor: 3, access: 'rwm'},
    ],
  })
  const rootless = {uidMap: [{containerID: 0, hostID: 1001, size: 1}], gidMap: [{containerID: 0, hostID: 1002, size: 1}]}
  t.false('resources' in externalRuntimeSpec(withDevice, '/store/c/merged', false, {rootless}).linux!)
})

test("config.json sysctls: net.* ones of tspod's network namespace (as root too) are its helper's to write, not the runtime's; in a nested user namespace, ping_group_range as outer gids", (t) => {
  const rootless = {uidMap: [{containerID: 0, hostID: 1001, size: 1}, {containerID: 1, hostID: 100000, size: 65536}], gidMap: [{containerID: 0, hostID: 1002, size: 1}, {containerID: 1, hostID: 100000, size: 65536}]}
  const sysctl = {'net.ipv4.ping_group_range': '0 0', 'kernel.shmmni': '100'}
  const plain: OciSpec = {...spec, linux: {...spec.linux!, uidMappings: [{containerID: 0, hostID: 1001, size: 1}, {containerID: 1, hostID: 100000, size: 65536}], gidMappings: rootless.gidMap, sysctl}}
  // runc refuses a net.* sysctl in the namespace it runs in: the runtime gets none of them
  for (const options of [{ownNetwork: true, rootless}, {ownNetwork: true}]) {
    const own = externalRuntimeSpec(plain, '/store/c/merged', false, options)
    t.deepEqual(own.linux?.namespaces, [{type: 'pid'}, {type: 'mount'}, {type: 'uts'}])
    t.deepEqual(own.linux?.sysctl, {'kernel.shmmni': '100'})
    t.deepEqual(helperSysctls(plain, options), {'net.ipv4.ping_group_range': '0 0'})
    t.is(helperNetworkNamespace(plain, options), undefined)
  }
  // a network namespace the runtime makes or joins (--network none, a named one): the runtime's
  const named: OciSpec = {...plain, linux: {...plain.linux!, namespaces: plain.linux!.namespaces!.map((ns) => (ns.type === 'network' ? {type: 'network', path: '/run/netns/c'} : ns))}}
  for (const s of [plain, named]) {
    t.deepEqual(externalRuntimeSpec(s, '/store/c/merged', false, {rootless}).linux?.sysctl, sysctl)
    t.deepEqual(helperSysctls(s, {rootless}), {})
  }
  // keep-id for host uid/gid 1001/1002 as container 1000/1000: container gid 0 is outer gid 1
  const keepIdGids = [{containerID: 0, hostID: 100000, size: 1000}, {containerID: 1000, hostID: 1002, size: 1}, {containerID: 1001, hostID: 101000, size: 64536}]
  const keepIdUids = [{containerID: 0, hostID: 100000, size: 1000}, {containerID: 1000, hostID: 1001, size: 1}, {containerID: 1001, hostID: 101000, size: 64536}]
  const keepId: OciSpec = {...plain, linux: {...plain.linux!, uidMappings: keepIdUids, gidMappings: keepIdGids}}
  const nested = externalRuntimeSpec(keepId, '/store/c/merged', false, {ownNetwork: true, rootless})
  t.deepEqual(nested.linux?.sysctl, {'kernel.shmmni': '100'})
  t.false(nested.linux!.namespaces!.some((ns) => ns.type === 'network'))
  t.deepEqual(helperSysctls(keepId, {ownNetwork: true, rootless}), {'net.ipv4.ping_group_range': '1 1'})
  t.deepEqual(helperSysctls({...keepId, linux: {...keepId.linux!, sysctl: {'net.ipv4.ping_group_range': '1 0'}}}, {ownNetwork: true, rootless}), {'net.ipv4.ping_group_range': '1 0'})
  // keep-id on a named network: the nested namespace cannot write in the joined netns; the helper joins it
  const keepIdNamed: OciSpec = {...named, linux: {...named.linux!, uidMappings: keepIdUids, gidMappings: keepIdGids}}
  const joined = externalRuntimeSpec(keepIdNamed, '/store/c/merged', false, {rootless})
  t.deepEqual(joined.linux?.sysctl, {'kernel.shmmni': '100'})
  t.true(joined.linux!.namespaces!.some((ns) => ns.type === 'network' && ns.path === '/run/netns/c'))
  t.deepEqual(helperSysctls(keepIdNamed, {rootless}), {'net.ipv4.ping_group_range': '1 1'})
  t.is(helperNetworkNamespace(keepIdNamed, {rootless}), '/run/netns/c')
  // keep-id with --network none: the runtime makes the netns in the nested namespace and writes them
  t.deepEqual(externalRuntimeSpec(keepId, '/store/c/merged', false, {rootless}).linux?.sysctl, sysctl)
  t.deepEqual(helperSysctls(keepId, {rootless}), {})
})

test('the runtime log: crun and runc JSON lines, the last error wins; warnings are no failure', (t) => {
  const runc = parseRuntimeLog(
    '{"error":"no directory specified for memory.oom_control","level":"warning","msg":"unable to get oom kill count","time":"2026-11-23T11:17:18Z"}\n' +
      '{"level":"error","msg":"runc run failed: unable to start container process: exec: \\"nosuch\\": executable file not found in $PATH","time":"2026-11-23T11:17:18Z"}\n',
  )
  t.is(runtimeFailure(runc), 'runc run failed: unable to start container process: exec: "nosuch": executable file not found in $PATH')
  t.is(runtimeFailure(parseRuntimeLog('{"msg":"unable to get oom kill count","level":"warning"}\n')), undefined)
  t.is(runtimeFailure(parseRuntimeLog('plain text error\n')), 'plain text error')
  t.is(runtimeFailure([]), undefined)
})

test("runtime failures in Podman's words: 127 for a program not found, 126 for one that cannot run or a bad cwd, 125 otherwise", (t) => {
  const cases: [string, string, typeof TspodError, string][] = [
    ['crun', 'executable file `nosuch` not found in $PATH: No such file or directory', ExecNotFoundError, 'OCI runtime attempted to invoke a command that was not found'],
    ['crun', 'open executable: Operation not permitted', ExecCannotInvokeError, 'OCI permission denied'],
    ['crun', 'the path `/etc` is not a regular file: Operation not permitted', ExecCannotInvokeError, 'OCI permission denied'],
    ['crun', 'the path `/x` exists but it is not executable: Operation not permitted', ExecCannotInvokeError, 'OCI permission denied'],
    ['crun', 'exec container process (missing dynamic library?) `/script`: No such file or directory', ExecNotFoundError, 'OCI runtime attempted to invoke a command that was not found'],
    ['crun', 'chdir to `/nowhere`: No such file or directory', ExecCannotInvokeError, 'OCI runtime attempted to invoke a command that was not found'],
    ['runc', 'runc run failed: unable to start container process: exec: "/etc": permission denied', ExecCannotInvokeError, 'OCI permission denied'],
    ['runc', 'runc run failed: unable to start container process: exec: "/no/such": stat /no/such: no such file or directory', ExecNotFoundError, 'OCI runtime attempted to invoke a command that was not found'],
    ['runc', 'runc run failed: unable to start container process: error during container init: chdir to cwd ("/nowhere") set in config.json failed: no such file or directory', ExecCannotInvokeError, 'OCI runtime attempted to invoke a command that was not found'],
    ['crun', 'make `/s/overlay/x/merged` private: Permission denied', TspodError, 'OCI permission denied'],
    ['crun', 'cgroups in hybrid mode not supported, drop all controllers from cgroupv2', TspodError, 'OCI runtime error'],
  ]
  for (const [name, message, kind, suffix] of cases) {
    const err = runtimeError(name, message)
    t.is(err.constructor, kind, message)
    t.is(err.message, `${name}: ${message}: ${suffix}`)
  }
  t.is(runtimeError('crun', 'make `/m` private: Permission denied').code, 'EACCES')
})

test("a runtime that cannot be executed is tspod's error (125), not the container's 126/127", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-rt-exec-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const runtime = path.join(dir, 'broken-runtime')
  fs.writeFileSync(runtime, '#!/no/such/interpreter\n', {mode: 0o755})
  const [lower, upper, work, merged, bundle] = ['lower', 'upper', 'work', 'merged', 'bundle'].map((d) => path.join(dir, d))
  for (const d of [lower, upper, work, merged, bundle]) fs.mkdirSync(d, {mode: 0o700})
  const err = await t.throwsAsync(
    startWithOciRuntime({
      runtime,
      containerId: 'broken',
      spec: {...spec, root: {path: merged}, linux: {namespaces: [{type: 'mount'}]}, mounts: []},
      layout: {lowerDirs: [lower], upperDir: upper, workDir: work, mergedDir: merged, rootless: false},
      bundleDir: bundle,
      stdio: ['inherit', 'inherit', 'inherit'],
      keepGroups: false,
    }).then((child) => child.exited),
  )
  t.is(err?.constructor, TspodError)
  t.is(exitCodeFor(err), 125)
  t.is(err?.message, `cannot run the OCI runtime \`${runtime}\`: exec container process (missing dynamic library?) \`${runtime}\`: No such file or directory`)
})
