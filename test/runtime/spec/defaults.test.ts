// Podman's other defaults: mounts by namespace situation, rlimits from the caller's limits,
// host-specific masked paths, mqueue detection.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {defaultMounts, defaultRlimits, mqueueSupported, readProcessLimits, thermalThrottlePaths} from '../../../src/runtime/spec/defaults'

function tempFile(t: {teardown: (fn: () => void) => void}, name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-caps-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, name), content)
  return path.join(dir, name)
}

test('default mounts: private namespaces get new sysfs and mqueue; devpts uses gid 5 only when mapped', (t) => {
  const mounts = defaultMounts({sys: 'new', ttyGidMapped: true, mqueue: true})
  t.deepEqual(
    mounts.map((m) => `${m.destination} ${m.type} ${m.source} ${m.options!.join(',')}`),
    [
      '/proc proc proc nosuid,noexec,nodev',
      '/dev tmpfs tmpfs nosuid,strictatime,mode=755,size=65536k',
      '/dev/pts devpts devpts nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5',
      '/dev/shm tmpfs shm nosuid,noexec,nodev,mode=1777,size=65536k',
      '/dev/mqueue mqueue mqueue nosuid,noexec,nodev',
      '/sys sysfs sysfs nosuid,noexec,nodev,ro',
      '/sys/fs/cgroup cgroup cgroup rprivate,nosuid,noexec,nodev,relatime,ro',
    ],
  )
  const hostNet = defaultMounts({sys: 'bind', ttyGidMapped: false, mqueue: false})
  t.false(hostNet.some((m) => m.destination === '/dev/mqueue'))
  t.deepEqual(hostNet.find((m) => m.destination === '/sys'), {destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind']})
  t.false(hostNet.find((m) => m.destination === '/dev/pts')!.options!.includes('gid=5'))
  t.is(typeof mqueueSupported(), 'boolean')
  t.true(mqueueSupported(tempFile(t, 'filesystems', 'nodev\tsysfs\nnodev\tmqueue\n')))
  t.false(mqueueSupported(tempFile(t, 'filesystems', 'nodev\tsysfs\n')))
})

test('rlimits: 1048576, lowered to the caller’s own limits when rootless or without CAP_SYS_RESOURCE', (t) => {
  const limits = readProcessLimits(
    tempFile(
      t,
      'limits',
      'Limit                     Soft Limit           Hard Limit           Units\nMax processes             4096                 63000                processes\nMax open files            1024                 unlimited            files\n',
    ),
  )
  t.deepEqual(limits, {nproc: {soft: 4096, hard: 63000}, nofile: {soft: 1024, hard: Infinity}})
  t.deepEqual(defaultRlimits({clamp: true, limits}), [
    {type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1024},
    {type: 'RLIMIT_NPROC', hard: 63000, soft: 4096},
  ])
  t.deepEqual(defaultRlimits({clamp: false, limits}), [
    {type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576},
    {type: 'RLIMIT_NPROC', hard: 1048576, soft: 1048576},
  ])
  const own = readProcessLimits()
  t.true((own.nofile?.soft ?? 0) > 0)
})

test('thermal_throttle dirs of the host are found like the glob', (t) => {
  const dir = path.dirname(tempFile(t, 'x', ''))
  for (const cpu of ['cpu0', 'cpu1', 'cpufreq']) fs.mkdirSync(path.join(dir, cpu))
  fs.mkdirSync(path.join(dir, 'cpu1', 'thermal_throttle'))
  fs.mkdirSync(path.join(dir, 'cpu0', 'thermal_throttle'))
  t.deepEqual(thermalThrottlePaths(dir), [`${dir}/cpu0/thermal_throttle`, `${dir}/cpu1/thermal_throttle`])
  t.deepEqual(thermalThrottlePaths('/no/such/dir'), [])
})
