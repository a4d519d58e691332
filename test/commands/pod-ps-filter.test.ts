// @userns
// `pod ps --filter` and `ps --filter` through the CLI as the rootless user: the values of one key
// ORed, keys ANDed, values also comma-separated (Podman's string-slice flag).
import test from 'ava'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {type Sandbox, tspod} from '../helpers/rootless'

async function listed(box: Sandbox, args: string[]): Promise<string> {
  const r = await tspod(box, args)
  if (r.code !== 0) throw new Error(`tspod ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

test('pod ps --filter status=a --filter status=b lists pods in either state; ps --filter too', async (t) => {
  const box = await sandboxWithImages(t)
  for (const [name, label] of [['empty', 'tier=a'], ['done', 'tier=b'], ['idle', 'tier=b']]) await listed(box, ['pod', 'create', '--infra=false', '--name', name, '--label', label])
  await listed(box, ['run', '--pod', 'done', '--name', 'ran', 'busybox', 'true'])
  await listed(box, ['create', '--pod', 'idle', '--name', 'waits', 'busybox', 'true'])
  const pods = (...filters: string[]) => listed(box, ['pod', 'ps', '--format', '{{.Name}}', ...filters.flatMap((f) => ['--filter', f])])
  const sorted = async (...filters: string[]) => (await pods(...filters)).split('\n').filter(Boolean).sort().join(' ')
  t.is(await sorted('status=exited'), 'done')
  t.is(await sorted('status=exited', 'status=created'), 'done empty idle')
  t.is(await sorted('status=exited,status=created', 'label=tier=b'), 'done idle')
  t.is(await sorted('ctr-names=ran', 'ctr-names=waits'), 'done idle')
  t.is(await sorted('ctr-number=0'), 'empty')
  const bad = await tspod(box, ['pod', 'ps', '--filter', 'status=sleeping'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: sleeping is not a valid pod status\n')
  const noValue = await tspod(box, ['pod', 'ps', '--filter', 'status=exited,label'])
  t.is(noValue.code, 125)
  t.is(noValue.stderr, 'Error: filter input must be in the form of filter=value: label is invalid\n')

  const ctrs = async (...filters: string[]) => (await listed(box, ['ps', '-a', '--format', '{{.Names}}', ...filters.flatMap((f) => ['--filter', f])])).split('\n').filter(Boolean).sort().join(' ')
  t.is(await ctrs('status=exited', 'status=created'), 'ran waits')
  t.is(await ctrs('status=exited,status=created', 'name=^w'), 'waits')
  t.is(await ctrs('network=nosuch'), '')
  const badCsv = await tspod(box, ['ps', '--filter', 'name="a'])
  t.is(badCsv.code, 125)
  t.is(badCsv.stderr, 'Error: invalid argument "name=\\"a" for "-f, --filter" flag: parse error on line 1, column 6: bare " in non-quoted-field\nSee \'podman ps --help\'\n')
  await listed(box, ['pod', 'rm', '-af', '-t', '0'])
})
