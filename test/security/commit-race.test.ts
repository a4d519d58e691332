// `commit --pause=false` reads a running container's upper dir while the container writes it. The
// attack, for real: the container keeps swapping a file for a symlink to a host file and a dir for
// a symlink to a host dir (paths it does not have, which the reader on the host does), so that a
// reader that lstats a name and then opens or lists it by path follows the link and tars the
// host's file into the image. Before the fix the layer writer opened files and listed dirs by
// path; now each dir is held open and its entries are reached through it, each file opened
// O_NOFOLLOW and checked against its lstat, so a swap fails the commit or is read as the link.
import test from 'ava'
import {spawnSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, sandboxWithImages} from '../helpers/image-sandbox'
import {tspod} from '../helpers/rootless'

const SECRET = 'host-only-secret-4f1c9a'
const COMMITS = 8

const SWAPPER = (hostDir: string) => `mkdir -p /w; cd /w
i=0; while :; do
  i=$((i+1)); echo "c$i" > f.new; mv -f f.new f; ln -sfn ${hostDir}/secret f.l; mv -f f.l f
  rm -f d; mkdir -p d.real; echo "c$i" > d.real/in; mv d.real d
  mv d d.real; ln -s ${hostDir} d
done`

test('commit --pause=false of a container swapping its files and dirs for symlinks to host paths never tars a host file', async (t) => {
  const box = await sandboxWithImages(t)
  const hostDir = path.join(box.dir, 'host')
  fs.mkdirSync(hostDir)
  fs.writeFileSync(path.join(hostDir, 'secret'), `${SECRET}\n`)
  for (const p of [hostDir, path.join(hostDir, 'secret')]) fs.chownSync(p, box.user.uid, box.user.gid)
  const run = await tspod(box, ['run', '-d', '--name', 'swapper', 'busybox', 'sh', '-c', SWAPPER(hostDir)])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'swapper']))

  // a commit may fail when it meets a swap, with one line; it must never succeed with the host's file
  const failures: string[] = []
  for (let i = 0; i < COMMITS; i++) {
    const commit = await tspod(box, ['commit', '-q', '--pause=false', 'swapper', `localhost/swapped:${i}`])
    if (commit.code !== 0) failures.push(commit.stderr)
  }
  // the store holds each committed layer unpacked and as a blob: no file there holds the secret
  const grep = spawnSync('grep', ['-rl', '--binary-files=text', SECRET, graphRoot(box)], {encoding: 'utf8'})
  t.is(grep.stdout.trim(), '')
  t.true(failures.length < COMMITS, 'no commit succeeded')
  for (const failure of failures) t.regex(failure, /^Error: [^\n]*(changed while it was read|no such file or directory)[^\n]*\n$/i)
})
