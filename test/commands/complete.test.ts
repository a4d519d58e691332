// @userns
// `tspod __completeNoDesc` end to end as the rootless user: paths inside an image and a container
// (read from their layers, owned by subordinate ids), cobra's directive on stdout and its name
// on stderr, and containers offered by the states a verb takes.
import test from 'ava'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, tspod, tspodOk as ok} from '../helpers/rootless'

async function completion(box: Sandbox, words: string[]): Promise<{lines: string[]; stderr: string}> {
  const r = await tspod(box, ['__completeNoDesc', ...words])
  return {lines: r.stdout.trimEnd().split('\n'), stderr: r.stderr}
}

test('paths inside an image and a container, dirs with a slash; the directive named on stderr', async (t) => {
  const box = await sandboxWithImages(t)
  const image = await completion(box, ['create', 'busybox', ''])
  t.true(image.lines.includes('/etc/'), image.lines.join(' '))
  t.is(image.lines[image.lines.length - 1], ':2')
  t.is(image.stderr, 'Completion ended with directive: ShellCompDirectiveNoSpace\n')
  t.true((await completion(box, ['run', 'busybox', '/etc/pass'])).lines.includes('/etc/passwd'))
  t.deepEqual((await completion(box, ['run', 'busybox', '../../e'])).lines, ['../../etc/', ':2'])

  // the container's own changes show, and its symlinks to / and above list its root, not the host's
  await ok(box, ['run', '--name', 'changed', 'busybox', 'sh', '-c', 'mkdir /emptydir && touch /tmp/made-here && ln -s / /root-link && ln -s ../../../.. /up'])
  t.true((await completion(box, ['cp', 'changed:/tmp/'])).lines.includes('changed:/tmp/made-here'))
  const empty = await completion(box, ['cp', 'changed:/emptydir'])
  t.deepEqual(empty.lines, ['changed:/emptydir/', ':2'])
  t.is(empty.stderr, 'Completion ended with directive: ShellCompDirectiveNoSpace\n')
  const root = (await completion(box, ['cp', 'changed:/'])).lines
  t.true(root.includes('changed:/emptydir/'), root.join(' '))
  for (const link of ['/root-link', '/up']) {
    const linked = (await completion(box, ['cp', `changed:${link}/`])).lines
    t.deepEqual(linked, root.map((l) => l.replace('changed:/', `changed:${link}/`)))
  }
})

test('container names by the states a verb takes, with the NoFileComp directive', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'made', 'busybox', 'true'])
  t.deepEqual((await completion(box, ['cp', 'ma'])).lines, ['made:', ':2'])
  t.deepEqual((await completion(box, ['start', ''])).lines, ['made', ':4'])
  const stop = await completion(box, ['stop', ''])
  t.deepEqual(stop.lines, [':4'], 'nothing runs')
  t.is(stop.stderr, 'Completion ended with directive: ShellCompDirectiveNoFileComp\n')
  t.true((await completion(box, ['inspect', ''])).lines.includes('made'))
})
