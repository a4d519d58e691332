// @userns
// /sys in a rootless container, natively and with crun, through the CLI as the rootless user: a
// sysfs of the network namespace the container is in (its own, another container's, a pod's,
// a named network's), so /sys/class/net lists that namespace's interfaces; the host's /sys,
// read-only, for --network host (as Podman's canMountSys).
import test from 'ava'
import * as fs from 'node:fs'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, tspod, tspodOk as ok} from '../helpers/rootless'

/** The interfaces the container sees in /sys/class/net and in its network namespace (ip link). */
async function interfaces(box: Sandbox, args: string[]): Promise<{sys: string[]; netns: string[]}> {
  const out = await ok(box, ['run', '--rm', ...args, 'busybox', 'sh', '-c', 'ls /sys/class/net | tr "\\n" " "; echo; ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d " " | tr "\\n" " "'])
  const [sys, netns] = out.split('\n').map((line) => line.trim().split(/\s+/).filter(Boolean).sort())
  return {sys, netns}
}

const HOST_INTERFACES = fs.readdirSync('/sys/class/net').sort()

for (const runtime of ['tspod', 'crun']) {
  test.serial(`${runtime}: /sys/class/net shows the container's network namespace, joined or its own; the host's with --network host`, async (t) => {
    const box = await sandboxWithImages(t)
    t.teardown(() => tspod(box, ['rm', '-a', '-f', '-t', '0']))
    t.teardown(() => tspod(box, ['pod', 'rm', '-a', '-f', '-t', '0']))
    const rt = ['--runtime', runtime]
    for (const network of ['none', 'slirp4netns']) {
      const seen = await interfaces(box, [...rt, '--network', network])
      t.deepEqual(seen.sys, seen.netns, `--network ${network}`)
      t.notDeepEqual(seen.sys, HOST_INTERFACES, `--network ${network}`)
    }
    t.deepEqual((await interfaces(box, [...rt, '--network', 'none'])).sys, ['lo'])

    await ok(box, [...rt, 'run', '-d', '--name', 'donor', '--network', 'slirp4netns', 'busybox', 'sleep', '300'])
    const joined = await interfaces(box, [...rt, '--network', 'container:donor'])
    t.deepEqual(joined.sys, ['lo', 'tap0'], 'the donor\'s interfaces')
    t.deepEqual(joined.sys, joined.netns)

    await ok(box, ['pod', 'create', '--name', 'syspod', '--network', 'slirp4netns'])
    const member = await interfaces(box, [...rt, '--pod', 'syspod'])
    t.deepEqual(member.sys, ['lo', 'tap0'], 'the infra container\'s interfaces')

    const host = await ok(box, [...rt, 'run', '--rm', '--network', 'host', 'busybox', 'sh', '-c', 'ls /sys/class/net; touch /sys/x 2>&1 || true'])
    const lines = host.trim().split('\n')
    t.deepEqual(lines.slice(0, -1).sort(), HOST_INTERFACES, 'the host\'s /sys')
    t.regex(lines[lines.length - 1], /Read-only file system/)
  })
}
