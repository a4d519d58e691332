// @userns
// `generate systemd` through the CLI as the rootless user: units for a container and for a pod
// and its containers, with --new re-creating them from the command line that made them (kept
// as inspect's CreateCommand), the tspod CLI the user ran as their executable; --files writes
// them; errors are one line and 125. (No user systemd here: the text is checked, not run.)
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, TSPOD_BIN, tspod} from '../helpers/rootless'

async function ok(box: Sandbox, args: string[], cwd?: string): Promise<string> {
  const r = await tspod(box, args, {cwd, env: {FOO: 'from-the-host'}})
  if (r.code !== 0) throw new Error(`tspod ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

const EXE = fs.realpathSync(TSPOD_BIN)

test('a container: a forking unit by id, its monitor pid file the PIDFile, the store\'s run root required', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['create', '--name', 'web', 'localhost/busybox', 'sleep', '100'])).trim()
  const runRoot = (await ok(box, ['info', '--format', '{{.Store.RunRoot}}'])).trim()
  const pidFile = (await ok(box, ['inspect', '--format', '{{.ConmonPidFile}}', 'web'])).trim()
  const text = await ok(box, ['generate', 'systemd', '--no-header', 'web'])
  t.is(
    text,
    [
      `# container-${id}.service`,
      '',
      '[Unit]',
      `Description=Podman container-${id}.service`,
      'Documentation=man:podman-generate-systemd(1)',
      'Wants=network-online.target',
      'After=network-online.target',
      `RequiresMountsFor=${runRoot}`,
      '',
      '[Service]',
      'Environment=PODMAN_SYSTEMD_UNIT=%n',
      'Restart=on-failure',
      'TimeoutStopSec=70',
      `ExecStart=${EXE} start ${id}`,
      `ExecStop=${EXE} stop  \\`,
      `\t-t 10 ${id}`,
      `ExecStopPost=${EXE} stop  \\`,
      `\t-t 10 ${id}`,
      `PIDFile=${pidFile}`,
      'Type=forking',
      '',
      '[Install]',
      'WantedBy=default.target',
      '',
    ].join('\n'),
  )
  t.is(pidFile, path.join(box.dir, 'data', 'tspod', 'storage', 'containers', id, 'userdata', 'conmon.pid'))
  // the monitor writes it at each start, as the unit's PIDFile needs
  await ok(box, ['start', 'web'])
  try {
    t.is(fs.readFileSync(pidFile, 'utf8'), (await ok(box, ['inspect', '--format', '{{.State.ConmonPid}}', 'web'])).trim())
  } finally {
    await ok(box, ['rm', '-f', '-t', '0', 'web'])
  }
})

test('--new: the command line that created the container, run again detached into the unit\'s id file', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'job', '-e', 'FOO', '--restart', 'on-failure:3', '--label', 'a=b c', 'localhost/busybox', 'sh', '-c', 'echo "$FOO"; sleep 1'])
  t.deepEqual(JSON.parse(await ok(box, ['inspect', '--format', '{{json .Config.CreateCommand}}', 'job'])), [
    TSPOD_BIN, 'create', '--name', 'job', '-e', 'FOO', '--restart', 'on-failure:3', '--label', 'a=b c', 'localhost/busybox', 'sh', '-c', 'echo "$FOO"; sleep 1',
  ])
  const text = await ok(box, ['generate', 'systemd', '--new', '--name', '--no-header', '--stop-timeout', '5', 'job'])
  const service = text.slice(text.indexOf('[Service]'))
  t.is(
    service,
    [
      '[Service]',
      'Environment=PODMAN_SYSTEMD_UNIT=%n',
      'Environment=FOO=from-the-host',
      'Restart=on-failure',
      'StartLimitBurst=3',
      'TimeoutStopSec=65',
      'ExecStartPre=/bin/rm \\',
      '\t-f %t/%n.ctr-id',
      `ExecStart=${EXE} run \\`,
      '\t--cidfile=%t/%n.ctr-id \\',
      '\t--cgroups=no-conmon \\',
      '\t--rm \\',
      '\t--sdnotify=conmon \\',
      '\t-d \\',
      '\t--replace \\',
      '\t--name job \\',
      '\t-e FOO \\',
      '\t--label "a=b c" localhost/busybox sh \\',
      '\t-c "echo \\"$$FOO\\"; sleep 1"',
      `ExecStop=${EXE} stop \\`,
      '\t--ignore -t 5 \\',
      '\t--cidfile=%t/%n.ctr-id',
      `ExecStopPost=${EXE} rm \\`,
      '\t-f \\',
      '\t--ignore -t 5 \\',
      '\t--cidfile=%t/%n.ctr-id',
      'Type=notify',
      'NotifyAccess=all',
      '',
      '[Install]',
      'WantedBy=default.target',
      '',
    ].join('\n'),
  )
  t.true(text.startsWith('# container-job.service\n\n[Unit]\n'))
  t.true(text.includes('\nRequiresMountsFor=%t/containers\n'))
})

test('a pod: its unit creates it from `pod create`, wants its containers\' units, which run into it and are bound to it', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['pod', 'create', '--name', 'pp', '--label', 'x=y'])
  t.deepEqual(JSON.parse(await ok(box, ['pod', 'inspect', '--format', '{{json .CreateCommand}}', 'pp'])), [TSPOD_BIN, 'pod', 'create', '--name', 'pp', '--label', 'x=y'])
  await ok(box, ['create', '--pod', 'pp', '--name', 'member', 'localhost/busybox', 'sleep', '100'])
  const units = JSON.parse(await ok(box, ['generate', 'systemd', '--new', '-n', '--no-header', '--format', 'json', 'pp'])) as Record<string, string>
  t.deepEqual(Object.keys(units), ['container-member', 'pod-pp'])
  const pod = units['pod-pp']
  t.true(pod.includes('\nWants=container-member.service\nBefore=container-member.service\n'))
  t.true(
    pod.includes(
      `\nExecStartPre=${EXE} pod create \\\n\t--infra-conmon-pidfile %t/pod-pp.pid \\\n\t--pod-id-file %t/pod-pp.pod-id \\\n\t--exit-policy=stop \\\n\t--name pp \\\n\t--label x=y \\\n\t--replace\nExecStart=${EXE} pod start \\\n\t--pod-id-file %t/pod-pp.pod-id\n`,
    ),
  )
  const member = units['container-member']
  t.true(member.includes('\nBindsTo=pod-pp.service\nAfter=pod-pp.service\n'))
  t.true(member.includes(`ExecStart=${EXE} run \\\n\t--cidfile=%t/%n.ctr-id \\\n\t--cgroups=no-conmon \\\n\t--rm \\\n\t--pod-id-file %t/pod-pp.pod-id \\\n\t--sdnotify=conmon \\\n\t-d \\\n\t--replace \\\n\t--name member localhost/busybox sleep 100\n`))
  // without --new: the infra container's unit, started and stopped by name
  const plain = await ok(box, ['generate', 'systemd', '-n', 'pp'])
  const infra = (await ok(box, ['pod', 'inspect', '--format', '{{.InfraContainerID}}', 'pp'])).trim()
  const infraName = (await ok(box, ['inspect', '--format', '{{.Name}}', infra])).trim()
  t.true(plain.includes(`\nExecStart=${EXE} start ${infraName}\n`))
  t.regex(plain, /^# pod-pp\.service\n# autogenerated by tspod \S+\n# \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \S+ \d{4}\n/)
})

test('--files: NAME.service in the working directory, the paths printed', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'web', 'localhost/busybox', 'true'])
  const out = await ok(box, ['generate', 'systemd', '--files', '--name', 'web'], box.dir)
  const file = path.join(box.dir, 'container-web.service')
  t.is(out, `${file}\n`)
  t.true(fs.readFileSync(file, 'utf8').startsWith('# container-web.service\n# autogenerated by tspod'))
})

test('errors in Podman\'s words, one line, 125', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'web', 'localhost/busybox', 'true'])
  await ok(box, ['pod', 'create', '--name', 'pp'])
  const cases: [string[], string][] = [
    [['nosuch'], 'Error: nosuch does not refer to a container or pod: no pod with name or ID nosuch found: no such pod: no container with name or ID "nosuch" found: no such container\n'],
    [['--restart-policy', 'sometimes', 'web'], 'Error: sometimes is not a valid restart policy\n'],
    [['--template', 'pp'], 'Error: --template is not supported for pods\n'],
    [['--new=false', '--template', 'web'], 'Error: --template cannot be set with --new=false\n'],
    [['--stop-timeout', '1', '-t', '2', 'web'], 'Error: stop-timeout and time are redundant and cannot be used together\n'],
    [['--format', 'yaml', 'web'], 'Error: unknown --format argument: yaml\n'],
    [['-e', '=x', 'web'], 'Error: parsing environment variables: invalid environment variable: "=x"\n'],
  ]
  for (const [args, stderr] of cases) {
    const r = await tspod(box, ['generate', 'systemd', ...args])
    t.is(r.code, 125, args.join(' '))
    t.is(r.stderr, stderr, args.join(' '))
  }
})
