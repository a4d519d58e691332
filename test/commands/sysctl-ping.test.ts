// ping in a rootless container: containers.conf's default_sysctls (containers/common's default
// net.ipv4.ping_group_range=0 0) lets the container's gid 0 open ICMP echo sockets in every
// network namespace the container owns, as with Podman 4.3.1 + crun here; --sysctl overrides it,
// and --network host refuses a net.* one. A static probe (built here with gcc -static) opens an
// ICMP datagram socket (what an unprivileged ping uses; busybox's ping wants a raw socket, which
// needs CAP_NET_RAW) and pings 127.0.0.1. Podman gave, for each of slirp4netns, pasta (Podman 5's),
// a named network, none and a pod member: root and --user 1000:0 "reply", --user 1000:1000
// "socket: Permission denied"; with --network host "socket: Permission denied" for all.
// As real root (the CI's own user) the same with tspod's runtime, crun and runc. Without
// subordinate ids Podman refuses --userns=keep-id; tspod runs it, without the default, which
// names gid 0, a group such a container cannot have.
import test, {ExecutionContext} from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {buildImage, busyboxRootfsEntries, writeOciArchive} from '../helpers/oci-image'
import {NOSUB_USER, RunResult, Sandbox, TestUser, lookupUser, removeTree, sandbox, tspod} from '../helpers/rootless'

const PROBE_SOURCE = `
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
int main(void) {
  int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  if (s < 0) { printf("socket: %s\\n", strerror(errno)); return 1; }
  struct sockaddr_in to = {.sin_family = AF_INET};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  struct icmphdr echo = {.type = ICMP_ECHO};
  echo.un.echo.sequence = htons(1);
  if (sendto(s, &echo, sizeof echo, 0, (struct sockaddr *)&to, sizeof to) < 0) { printf("sendto: %s\\n", strerror(errno)); return 1; }
  struct timeval wait = {5, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  char reply[256];
  if (recv(s, reply, sizeof reply, 0) < 0) { printf("recv: %s\\n", strerror(errno)); return 1; }
  printf("reply\\n");
  return 0;
}
`

const REPLY = 'reply\n'
const DENIED = 'socket: Permission denied\n'

/** The probe, built static into dir (owned by the box's user, so it can bind it in). */
function buildProbe(box: Sandbox): string {
  const src = path.join(box.dir, 'icmp-echo.c')
  const probe = path.join(box.dir, 'icmp-echo')
  fs.writeFileSync(src, PROBE_SOURCE)
  execFileSync('gcc', ['-static', '-O2', '-o', probe, src])
  fs.chmodSync(probe, 0o755)
  return probe
}

async function boxWithProbe(t: Parameters<typeof sandboxWithImages>[0]): Promise<{box: Sandbox; probe: string}> {
  const box = await sandboxWithImages(t)
  return {box, probe: buildProbe(box)}
}

/**
 * A sandbox of user's with localhost/busybox loaded, its files all root's (a user without
 * subordinate ids can store no other owner); args go before tspod's command (a store as root).
 */
async function boxWithRootOwnedImage(t: ExecutionContext, user: TestUser, storeArgs: (box: Sandbox) => string[] = () => []): Promise<{box: Sandbox; probe: string; run: (args: string[]) => Promise<RunResult>}> {
  const box = sandbox(user)
  t.teardown(() => removeTree(box.dir))
  const run = (args: string[]) => tspod(box, [...storeArgs(box), ...args])
  const archive = path.join(box.dir, 'busybox.tar')
  const image = await buildImage({layers: [(await busyboxRootfsEntries()).filter((e) => !e.uid && !e.gid)]})
  await writeOciArchive(archive, [{image, ref: 'localhost/busybox:latest'}])
  fs.chownSync(archive, user.uid, user.gid)
  const loaded = await run(['load', '-i', archive])
  if (loaded.code !== 0) throw new Error(`tspod load exited ${loaded.code}: ${loaded.stderr}`)
  return {box, probe: buildProbe(box), run}
}

/** The probe's output in a container the runtime runs with args; exit 0 or 1 is the probe's. */
async function probeWith(run: (args: string[]) => Promise<RunResult>, probe: string, runtime: string, args: string[]): Promise<string> {
  const r = await run(['--runtime', runtime, 'run', '--rm', '-v', `${probe}:/icmp-echo:ro`, ...args, 'busybox', '/icmp-echo'])
  if (r.code !== 0 && r.code !== 1) throw new Error(`tspod --runtime ${runtime} run ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

async function ping(box: Sandbox, probe: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await tspod(box, ['run', '--rm', '-v', `${probe}:/icmp-echo:ro`, ...args, 'busybox', '/icmp-echo'], {env})
  if (r.code !== 0 && r.code !== 1) throw new Error(`tspod run ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

function writeConf(box: Sandbox, text: string): string {
  const file = path.join(box.dir, 'containers.conf')
  fs.writeFileSync(file, text)
  fs.chownSync(file, box.user.uid, box.user.gid)
  return file
}

test('the container\'s gid 0 pings in each network namespace it owns, a pod member in its pod\'s; not with --network host', async (t) => {
  const {box, probe} = await boxWithProbe(t)
  t.is((await tspod(box, ['network', 'create', 'pingnet'])).code, 0)
  t.is((await tspod(box, ['pod', 'create', '--name', 'pingpod'])).code, 0)
  t.teardown(() => tspod(box, ['pod', 'rm', '-f', 'pingpod']))
  for (const mode of [['--network', 'slirp4netns'], ['--network', 'pasta'], ['--network', 'pingnet'], ['--network', 'none'], ['--pod', 'pingpod']]) {
    t.is(await ping(box, probe, mode), REPLY, `${mode.join(' ')} as root`)
    t.is(await ping(box, probe, [...mode, '--user', '1000:0']), REPLY, `${mode.join(' ')} as 1000:0`)
    t.is(await ping(box, probe, [...mode, '--user', '1000:1000']), DENIED, `${mode.join(' ')} as 1000:1000`)
  }
  t.is(await ping(box, probe, ['--network', 'host']), DENIED)
})

test('with crun and runc: the same, and with keep-id the container\'s root pings, not the keep-id user, on a named network too', async (t) => {
  const {box, probe} = await boxWithProbe(t)
  t.is((await tspod(box, ['network', 'create', 'pingnet'])).code, 0)
  // a container kept on the network, so the runs below do not each set it up and tear it down
  // (once, under load, a run's netavark setup failed with "iptables: Chain already exists" right
  // after the previous run had torn the network down; not reproduced in 24 runs in a row)
  t.is((await tspod(box, ['run', '-d', '--name', 'keeper', '--network', 'pingnet', 'busybox', 'sleep', '1000'])).code, 0)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'keeper']))
  for (const runtime of ['crun', 'runc']) {
    const run = (args: string[]) => probeWith((a) => tspod(box, a), probe, runtime, args)
    for (const mode of [['--network', 'slirp4netns'], ['--network', 'pasta'], ['--network', 'none'], ['--network', 'pingnet']]) {
      t.is(await run(mode), REPLY, `${runtime} ${mode.join(' ')} as root`)
      t.is(await run([...mode, '--user', '1000:1000']), DENIED, `${runtime} ${mode.join(' ')} as 1000:1000`)
    }
    for (const mode of [['--network', 'slirp4netns'], ['--network', 'pingnet']]) {
      t.is(await run([...mode, '--userns', 'keep-id']), DENIED, `${runtime} ${mode.join(' ')} keep-id`)
      t.is(await run([...mode, '--userns', 'keep-id', '--user', '0:0']), REPLY, `${runtime} ${mode.join(' ')} keep-id as 0:0`)
    }
    t.is(await run(['--network', 'host']), DENIED, `${runtime} --network host`)
  }
})

test('as real root: the default reaches each runtime, runc too, in the network namespace tspod makes (slirp4netns) and in none; not with --network host', async (t) => {
  const root = lookupUser('root')
  const {probe, run} = await boxWithRootOwnedImage(t, root, (box) => ['--root', path.join(box.dir, 'graph'), '--runroot', path.join(box.dir, 'run')])
  for (const runtime of ['tspod', 'crun', 'runc']) {
    for (const mode of [[], ['--network', 'none']]) {
      t.is(await probeWith(run, probe, runtime, mode), REPLY, `${runtime} ${mode.join(' ')} as root`)
      t.is(await probeWith(run, probe, runtime, [...mode, '--user', '1000:1000']), DENIED, `${runtime} ${mode.join(' ')} as 1000:1000`)
    }
    const host = await run(['--runtime', runtime, 'run', '--rm', '--network', 'host', 'busybox', 'cat', '/proc/sys/net/ipv4/ping_group_range'])
    t.is(host.stdout.trim().split(/\s+/).join(' '), fs.readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim().split(/\s+/).join(' '), `${runtime} --network host: the host's own`)
  }
})

test('a user without subordinate ids: keep-id runs, the default naming gid 0 (which it lacks) left out; a --sysctl naming gid 0 is refused', async (t) => {
  const {probe, run} = await boxWithRootOwnedImage(t, lookupUser(NOSUB_USER))
  for (const runtime of ['tspod', 'crun']) {
    // without keep-id the user is the container's root, gid 0
    t.is(await probeWith(run, probe, runtime, []), REPLY, `${runtime} as root`)
    // (slirp4netns cannot join a user namespace without gid 0: its setegid(0) fails)
    for (const mode of [['--network', 'pasta'], ['--network', 'none']]) {
      t.is(await probeWith(run, probe, runtime, [...mode, '--userns', 'keep-id']), DENIED, `${runtime} ${mode.join(' ')} keep-id`)
      const refused = await run(['--runtime', runtime, 'run', '--rm', ...mode, '--userns', 'keep-id', '--sysctl', 'net.ipv4.ping_group_range=0 0', 'busybox', 'true'])
      t.is(refused.code, 125)
      t.is(refused.stderr.trim(), "Error: sysctl net.ipv4.ping_group_range=0 0 can't be set since the container's user namespace does not map gid 0: invalid argument")
    }
  }
})

test('containers.conf default_sysctls replaces the default, --sysctl overrides it; a net.* --sysctl with --network host is refused', async (t) => {
  const {box, probe} = await boxWithProbe(t)
  const conf = writeConf(box, '[containers]\ndefault_sysctls = ["net.ipv4.ping_group_range=0 2000"]\n')
  t.is(await ping(box, probe, ['--user', '1000:1000'], {CONTAINERS_CONF: conf}), REPLY)
  t.is(await ping(box, probe, ['--sysctl', 'net.ipv4.ping_group_range=1 0'], {CONTAINERS_CONF: conf}), DENIED)
  const none = writeConf(box, '[containers]\ndefault_sysctls = []\n')
  t.is(await ping(box, probe, [], {CONTAINERS_CONF: none}), DENIED)
  const shown = await tspod(box, ['run', '--rm', '--sysctl', 'net.ipv4.ip_unprivileged_port_start=80', '--sysctl', 'kernel.shm_rmid_forced=1', 'busybox', 'cat', '/proc/sys/net/ipv4/ip_unprivileged_port_start', '/proc/sys/kernel/shm_rmid_forced', '/proc/sys/net/ipv4/ping_group_range'])
  t.is(shown.stdout, '80\n1\n0\t0\n')
  const host = await tspod(box, ['run', '--rm', '--network', 'host', '--sysctl', 'net.ipv4.ping_group_range=0 0', 'busybox', 'true'])
  t.is(host.code, 125)
  t.is(host.stderr.trim(), "Error: sysctl net.ipv4.ping_group_range=0 0 can't be set since Network Namespace set to host: invalid argument")
  const bad = await tspod(box, ['run', '--rm', '--sysctl', 'kernel.foo=1', 'busybox', 'true'])
  t.is(bad.code, 125)
  t.is(bad.stderr.trim(), "Error: sysctl 'kernel.foo' is not allowed")
})
