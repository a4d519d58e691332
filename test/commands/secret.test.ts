// `tspod secret …` and run --secret end to end as the rootless user, in Podman's words and exit codes.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, sandboxWithImages} from '../helpers/image-sandbox'
import {tspod} from '../helpers/rootless'

test('create from a file, stdin or a variable; ls, inspect, rm; a container gets them mounted and in its environment', async (t) => {
  const box = await sandboxWithImages(t)
  const file = path.join(box.dir, 'secret.txt')
  fs.writeFileSync(file, 'hello\n', {mode: 0o644})

  const created = await tspod(box, ['secret', 'create', 's1', file])
  t.is(created.code, 0, created.stderr)
  const id = created.stdout.trim()
  t.regex(id, /^[0-9a-f]{25}$/)
  t.is((await tspod(box, ['secret', 'create', '-l', 'k=v', 's2', '-'], {input: 'piped'})).code, 0)
  t.is((await tspod(box, ['secret', 'create', '--env', 's3', 'MYVAR'], {env: {MYVAR: 'from-env'}})).code, 0)
  t.true(fs.existsSync(path.join(graphRoot(box), 'secrets', 'filedriver', 'secretsdata.json')))

  const dup = await tspod(box, ['secret', 'create', 's1', file])
  t.deepEqual([dup.code, dup.stderr], [125, 'Error: s1: secret name in use\n'])
  const noVar = await tspod(box, ['secret', 'create', '--env', 's4', 'UNSET_VAR'])
  t.deepEqual([noVar.code, noVar.stderr], [125, 'Error: cannot create store secret data: environment variable UNSET_VAR is not set\n'])

  const ls = await tspod(box, ['secret', 'ls', '--format', '{{.Name}} {{.Driver}}', '--filter', 'name=^s[12]$'])
  t.deepEqual(ls.stdout.split('\n').filter(Boolean).sort(), ['s1 file', 's2 file'])
  t.regex((await tspod(box, ['secret', 'ls'])).stdout, /^ID +NAME +DRIVER +CREATED +UPDATED\n/)
  t.is((await tspod(box, ['secret', 'ls', '--noheading', '-f', 'name=s1'])).stdout.split('\n')[0].slice(0, 25), id)
  const inspect = await tspod(box, ['secret', 'inspect', '--format', '{{.Spec.Name}} {{.ID}} {{.Spec.Labels.k}}', 's2', 's1'])
  t.deepEqual(inspect.stdout.split('\n').slice(0, 2).map((l) => l.split(' ')[0]), ['s2', 's1'])
  t.regex(inspect.stdout, / v\n/)
  const missing = await tspod(box, ['secret', 'inspect', 's1', 'nope'])
  t.deepEqual([missing.code, JSON.parse(missing.stdout).length, missing.stderr], [125, 1, 'Error: inspecting secret: no secret with name or id "nope": no such secret\n'])
  t.is((await tspod(box, ['secret', 'exists', 's1'])).code, 0)
  t.is((await tspod(box, ['secret', 'exists', 'nope'])).code, 1)

  const run = await tspod(box, [
    'run', '--rm',
    '--secret', 's1',
    '--secret', 's3,type=env,target=FROM_ENV',
    '--secret', 's2,target=/tmp/x,uid=5,gid=6,mode=0400',
    'localhost/busybox', 'sh', '-c', 'cat /run/secrets/s1; echo "$FROM_ENV"; cat /tmp/x; echo; stat -c "%a %u:%g" /run/secrets/s1 /tmp/x',
  ])
  t.is(run.code, 0, run.stderr)
  t.is(run.stdout, 'hello\nfrom-env\npiped\n444 0:0\n400 5:6\n')
  const created2 = await tspod(box, ['create', '--secret', 's3,type=env', 'localhost/busybox', 'true'])
  t.is(created2.code, 0, created2.stderr)
  t.notRegex((await tspod(box, ['inspect', '--format', '{{.Config.Env}}', created2.stdout.trim()])).stdout, /from-env/, 'the value stays out of the config')
  const noSecret = await tspod(box, ['run', '--rm', '--secret', 'nope', 'localhost/busybox', 'true'])
  t.deepEqual([noSecret.code, noSecret.stderr], [125, 'Error: no secret with name or id "nope": no such secret\n'])

  const rm = await tspod(box, ['secret', 'rm', 's1', 'nope'])
  t.deepEqual([rm.code, rm.stdout, rm.stderr], [125, `${id}\n`, 'Error: no secret with name or id "nope": no such secret\n'])
  const noArgs = await tspod(box, ['secret', 'rm'])
  t.deepEqual([noArgs.code, noArgs.stderr], [125, 'Error: `podman secret rm` requires one argument, or the --all flag\n'])
  const all = await tspod(box, ['secret', 'rm', '-a'])
  t.deepEqual([all.code, all.stdout.split('\n').filter(Boolean).length], [0, 2])
  t.is((await tspod(box, ['secret', 'ls', '-q'])).stdout, '')
})
