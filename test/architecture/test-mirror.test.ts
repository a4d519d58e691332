// Tests mirror the code: every library module src/<dir>/<name>.ts has its unit test at
// test/<dir>/<name>.test.ts, or split by aspect as test/<dir>/<name>.<aspect>.test.ts (for example
// client.auth.test.ts; see README). src/commands/ is covered by test/commands/, which runs the
// real CLI. The lists below name files by their path, so that a script moving modules updates them.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

const REPO = path.resolve(__dirname, '..', '..', '..')

/** Modules that need no test of their own, each with the reason. Keep this list short. */
const NO_TEST_NEEDED: Record<string, string> = {
  // type-only: nothing runs (checked below: tsc emits no statement for them)
  'src/storage/image/transports/types.ts': 'type-only',
  'src/storage/store/check/check.ts': 'type-only',
  'src/storage/store/check/finding.ts': 'type-only',
  'src/storage/store/driver/layer-driver.ts': 'type-only',
  'src/specgen/container-spec.ts': 'type-only',
  'src/systemd/options.ts': 'type-only',
  'src/specgen/options.ts': 'type-only',
  'src/engine/events.ts': 'type-only',
  // entries: the CLI bundle and worker threads, exercised through their callers
  'src/cli/main.ts': 'the CLI entry (test/commands/ runs it)',
  'src/storage/store/archive/unpack-worker.ts': 'worker thread entry (test/storage/archive/unpack tests run it)',
  'src/storage/store/check/layer-check-worker.ts': 'worker thread entry (system check runs it)',
  'src/storage/store/mapped-layers/mapped-layers-worker.ts': 'worker thread entry (test/storage/mapped-layers tests run it)',
  'src/build/layer-diff-worker.ts': 'worker entry (test/commands/commit and build run it)',
  'src/storage/store/changes-worker.ts': 'worker entry (test/storage/store/changes-as-root and test/commands/external-containers run it)',
  'src/runtime/container/monitor-healthcheck.ts': "the monitor's timer entry (test/commands/healthcheck.test.ts runs it through the timer)",
}

/**
 * Modules that do not have their mirrored test yet. This list may only shrink: a module that
 * gains its test must leave it (the check below fails otherwise), and a new module must come
 * with its test instead of joining it.
 */
const NOT_YET_MIRRORED = new Set<string>([
  // landed together with networks, pods and events; covered end to end by test/commands/network,
  // pod, namespaces, events and run-runtime-flags tests: unit tests to come
  'src/engine/networks.ts',
  'src/engine/pods.ts',
  'src/runtime/container/dependencies.ts',
  'src/runtime/network/netavark/config.ts',
  'src/runtime/network/netavark/inspect.ts',
  'src/runtime/network/netavark/netavark.ts',
  'src/runtime/network/netavark/rootless-netns.ts',
  'src/runtime/pod/pause-image.ts',
  'src/runtime/pod/schema.ts',
  // covered end to end by test/commands/network.test.ts, container-options.test.ts (pasta and the
  // port forwarder on a named network) and pod.test.ts (the pods' /dev/shm and exit policy): unit
  // tests to come
  'src/runtime/network/netavark/port-forwarder.ts',
  'src/runtime/network/netavark/port-forwarding.ts',
  'src/runtime/network/pasta.ts',
  'src/runtime/pod/exit-policy.ts',
  'src/runtime/pod/shm.ts',
  // covered end to end by test/commands/build.test.ts (a store and the runtime): unit tests to come
  'src/build/builder.ts',
  'src/build/cache.ts',
  'src/engine/build-runtime.ts',
  'src/cli/base-command.ts',
  'src/cli/container-command.ts',
  'src/cli/container-flags.ts',
  'src/cli/exit.ts',
  'src/cli/format/go-template/evaluate.ts',
  'src/cli/prompt.ts',
  'src/errors.ts',
  'src/hooks/command-not-found.ts',
  'src/package-info.ts',
  'src/runtime/container-stdout.ts',
  'src/runtime/container/attach.ts',
  'src/runtime/container/copy-confined.ts',
  'src/runtime/container/copy.ts',
  'src/runtime/container/create.ts',
  'src/runtime/container/detach.ts',
  'src/runtime/container/exec.ts',
  'src/runtime/container/launch.ts',
  'src/runtime/container/lock.ts',
  'src/runtime/container/log-reader.ts',
  'src/runtime/container/migrate.ts',
  'src/runtime/container/monitor-cleanup.ts',
  'src/runtime/container/monitor-setup.ts',
  'src/runtime/container/mtab-link.ts',
  'src/runtime/container/preflight.ts',
  'src/runtime/container/prune.ts',
  'src/runtime/container/rebuild-records.ts',
  'src/runtime/container/remove.ts',
  'src/runtime/container/rename.ts',
  'src/runtime/container/report.ts',
  'src/runtime/container/schema.ts',
  'src/runtime/container/stop.ts',
  'src/runtime/container/store-check-hooks.ts',
  'src/runtime/executables.ts',
  'src/runtime/host.ts',
  'src/runtime/network/host-ports.ts',
  'src/runtime/network/slirp4netns-api.ts',
  'src/runtime/network/slirp4netns-network.ts',
  'src/runtime/oci-runtime/bundle.ts',
  'src/runtime/oci-runtime/helper-steps.ts',
  'src/runtime/oci-runtime/index.ts',
  'src/runtime/oci-runtime/preflight.ts',
  'src/runtime/oci-runtime/resolve.ts',
  'src/runtime/oci-runtime/runtime-error.ts',
  'src/runtime/oci-spec.ts',
  'src/runtime/preflight-paths.ts',
  'src/runtime/spec/host-facts.ts',
  'src/runtime/terminal.ts',
  'src/runtime/volume/errors.ts',
  'src/runtime/volume/index.ts',
  'src/runtime/volume/mapped-root.ts',
  'src/runtime/volume/mount.ts',
  'src/runtime/volume/prune.ts',
  'src/runtime/volume/rebuild-records.ts',
  'src/runtime/volume/report.ts',
  'src/runtime/volume/schema.ts',
  'src/storage/store/archive/pax-xattrs.ts',
  'src/storage/store/check/checks.ts',
  'src/storage/store/check/containers.ts',
  'src/storage/store/check/database.ts',
  'src/storage/store/check/images.ts',
  'src/storage/store/check/layer-check-job.ts',
  'src/storage/store/check/layer-compare.ts',
  'src/storage/store/check/leftover-mounts.ts',
  'src/storage/store/check/leftovers.ts',
  'src/storage/store/check/run.ts',
  'src/storage/store/check/unused-layers.ts',
  'src/storage/image/copy/copy.ts',
  'src/storage/store/db/connection.ts',
  'src/storage/store/db/migrate.ts',
  'src/storage/store/db/schema.ts',
  'src/storage/store/dirs.ts',
  'src/storage/store/disk-usage.ts',
  'src/storage/image/download-archive.ts',
  'src/storage/store/mapped-layers/id-shift.ts',
  'src/storage/store/images/history.ts',
  'src/storage/store/images/lookup.ts',
  'src/storage/store/images/remove.ts',
  'src/storage/store/images/report.ts',
  'src/storage/image/load.ts',
  'src/storage/store/mapped-layers/mapped-layers-build.ts',
  'src/storage/store/driver/overlay-probe.ts',
  'src/storage/store/preflight/finding-text.ts',
  'src/storage/store/preflight/preflight.ts',
  'src/storage/image/pull.ts',
  'src/storage/image/registry-login.ts',
  'src/storage/store/remove-tree.ts',
  'src/storage/image/save.ts',
  'src/storage/store/mapped-layers/shift-copy.ts',
  'src/storage/store/containers.ts',
  'src/storage/store/layers.ts',
  'src/storage/store/layout.ts',
  'src/storage/store/owner.ts',
  'src/storage/store/rebuild.ts',
  'src/storage/store/record-files.ts',
  'src/storage/image/transports/docker-archive/destination.ts',
  'src/storage/image/transports/docker-archive/source.ts',
  'src/storage/image/transports/docker-archive/tar-index.ts',
  'src/storage/image/transports/docker-archive/tar-writer.ts',
  'src/storage/image/transports/docker/blob-stream.ts',
  'src/storage/image/transports/docker/errors.ts',
  'src/storage/image/transports/docker/http-request.ts',
  'src/storage/image/transports/docker/transport.ts',
  'src/storage/image/transports/containers-storage/names.ts',
  'src/storage/image/transports/containers-storage/source.ts',
  'src/storage/image/transports/oci-archive/destination.ts',
  'src/storage/image/transports/oci-archive/extract.ts',
  'src/storage/image/transports/oci-archive/source.ts',
  'src/storage/image/transports/oci-archive/tar-directory.ts',
  'src/storage/image/transports/oci-layout/destination.ts',
  'src/storage/image/transports/oci-layout/file-writes.ts',
  'src/storage/image/transports/oci-layout/layout.ts',
  'src/storage/image/transports/oci-layout/source.ts',
  'src/system/disk-usage-report.ts',
  'src/system/doctor/context.ts',
  'src/system/doctor/disk-space.ts',
  'src/system/doctor/file-capabilities.ts',
  'src/system/doctor/namespace-probe.ts',
  'src/system/doctor/network.ts',
  'src/system/doctor/overlay.ts',
  'src/system/doctor/runtime-dir.ts',
  'src/system/doctor/setgroups.ts',
  'src/system/doctor/store-database.ts',
  'src/system/doctor/store-leftovers.ts',
  'src/system/doctor/store-paths.ts',
  'src/system/doctor/user-namespaces.ts',
  'src/system/info.ts',
  'src/system/prune.ts',
  'src/system/reset.ts',
])

/** Repo-relative paths of the .ts files under dir. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), {withFileTypes: true}).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`
    if (entry.isDirectory()) return tsFiles(rel)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : []
  })
}

/** The modules the test files mirror: test/a/name.test.ts and test/a/name.aspect.test.ts → src/a/name.ts. */
function mirroredModules(): Set<string> {
  const mirrored = new Set<string>()
  for (const file of tsFiles('test')) {
    const m = /^test\/(.*\/)?([^/.]+)(\.[\w-]+)*\.test\.ts$/.exec(file)
    if (m) mirrored.add(`src/${m[1] ?? ''}${m[2]}.ts`)
  }
  return mirrored
}

const libraryModules = tsFiles('src').filter((file) => !file.startsWith('src/commands/'))

test('every library module under src/ has a test beside its name under test/', (t) => {
  const mirrored = mirroredModules()
  const missing = libraryModules.filter((m) => !mirrored.has(m) && !(m in NO_TEST_NEEDED)).sort()
  const unlisted = missing.filter((m) => !NOT_YET_MIRRORED.has(m))
  t.deepEqual(unlisted, [], 'modules without test/<dir>/<name>.test.ts')
  const done = [...NOT_YET_MIRRORED].filter((m) => !missing.includes(m)).sort()
  t.deepEqual(done, [], 'these have their test now (or are gone): drop them from NOT_YET_MIRRORED')
})

test('the modules that need no test exist, and the type-only ones really are', (t) => {
  for (const [module, reason] of Object.entries(NO_TEST_NEEDED)) {
    t.true(libraryModules.includes(module), `${module} is gone: drop it from NO_TEST_NEEDED`)
    if (reason !== 'type-only') continue
    const emitted = fs.readFileSync(path.join(REPO, 'dist', module.replace(/\.ts$/, '.js')), 'utf8')
    const statements = emitted.split('\n').filter((line) => line.trim() && !/^("use strict";|Object\.defineProperty\(exports, "__esModule"|\/\/)/.test(line))
    t.deepEqual(statements, [], `${module} has code: give it a test`)
  }
})
