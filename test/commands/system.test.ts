// `tspod system reset|prune|migrate|df -v` end to end as the rootless user, with Podman's
// prompts, output and exit codes.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, sandboxWithImages} from '../helpers/image-sandbox'
import {busyboxImage, multiLayerImage, writeOciArchive} from '../helpers/oci-image'
import {processAlive} from '../helpers/processes'
import {Sandbox, TEST_USER, lookupUser, tspod, tspodOk as ok} from '../helpers/rootless'

const user = lookupUser(TEST_USER)

/**
 * A sandbox with its own XDG_RUNTIME_DIR, so that a reset deletes a run root of its own (the
 * other tests share the user's), with busybox and multi loaded.
 */
async function privateSandbox(t: {teardown(fn: () => unknown): void}): Promise<Sandbox & {runtimeDir: string}> {
  const box = await sandboxWithImages(t)
  const runtimeDir = path.join(box.dir, 'run')
  fs.mkdirSync(runtimeDir, {mode: 0o700})
  fs.chownSync(runtimeDir, user.uid, user.gid)
  box.env.XDG_RUNTIME_DIR = runtimeDir
  return {...box, runtimeDir}
}

/** busybox and multi as an archive `load` reads. */
async function imagesArchive(box: Sandbox): Promise<string> {
  const archive = path.join(box.dir, 'images.tar')
  await writeOciArchive(archive, [
    {image: await busyboxImage(), ref: 'localhost/busybox:latest'},
    {image: await multiLayerImage(), ref: 'localhost/multi:latest'},
  ])
  fs.chmodSync(archive, 0o644)
  return archive
}

/** A container that ends at once on SIGTERM (busybox sh as pid 1 ignores it otherwise). */
const SERVICE = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done']

const RESET_PROMPT = (box: Sandbox & {runtimeDir: string}) =>
  'WARNING! This will remove:\n' +
  '        - all containers\n' +
  '        - all images\n' +
  '        - all volumes\n' +
  `        - the graphRoot directory: "${graphRoot(box)}"\n` +
  `        - the runRoot directory: "${path.join(box.runtimeDir, 'tspod')}"\n` +
  'Are you sure you want to continue? [y/N] '

test('system reset: asks first, then stops every container and deletes all of the store; the next command starts afresh', async (t) => {
  const box = await privateSandbox(t)
  const running = (await ok(box, ['run', '-d', '--name', 'up', '-v', 'data:/data', 'busybox', 'sleep', '1000'])).trim()
  // files of subordinate ids in a container's upper dir and in a volume
  await ok(box, ['run', '--name', 'down', '-v', 'other:/v', 'busybox', 'sh', '-c', 'mkdir /owned && touch /owned/f && chown -R 1000:1000 /owned && touch /v/f && chown 5:5 /v/f'])
  await ok(box, ['volume', 'create', 'spare'])
  const pid = Number((await ok(box, ['inspect', '--format', '{{.State.Pid}}', 'up'])).trim())
  t.true(processAlive(pid))
  const runRoot = path.join(box.runtimeDir, 'tspod')
  t.true(fs.existsSync(path.join(runRoot, 'locks')))

  // no answer (no input at all): Podman logs EOF and exits 1; nothing is removed
  const noAnswer = await tspod(box, ['system', 'reset'])
  t.deepEqual([noAnswer.code, noAnswer.stdout, noAnswer.stderr], [1, RESET_PROMPT(box), 'ERRO[0000] EOF\n'])
  const no = await tspod(box, ['system', 'reset'], {input: 'n\n'})
  t.deepEqual([no.code, no.stdout, no.stderr], [0, RESET_PROMPT(box), ''])
  t.is((await ok(box, ['ps', '-a', '-q'])).trim().split('\n').length, 2)

  const yes = await tspod(box, ['system', 'reset'], {input: 'y\n'})
  t.deepEqual([yes.code, yes.stdout, yes.stderr], [0, RESET_PROMPT(box), ''])
  t.false(processAlive(pid), `container ${running} was stopped`)
  t.false(fs.existsSync(graphRoot(box)))
  t.false(fs.existsSync(path.join(box.dir, 'data', 'tspod')), 'the dir tspod made for the graph root is gone too')
  t.false(fs.existsSync(runRoot))
  t.deepEqual(fs.readdirSync(box.runtimeDir), [])

  // a fresh store: empty, and it works
  t.is(await ok(box, ['images', '-q']), '')
  t.is(await ok(box, ['volume', 'ls', '-q']), '')
  await ok(box, ['load', '-q', '-i', await imagesArchive(box)])
  t.is(await ok(box, ['run', '--rm', 'busybox', 'echo', 'fresh']), 'fresh\n')
})

test('system reset -f: no prompt; the storage.conf note; roots that must not go and bad input', async (t) => {
  const box = await privateSandbox(t)
  await ok(box, ['create', '--name', 'c', 'busybox', 'true'])
  const conf = path.join(box.dir, 'config', 'tspod', 'storage.conf')
  fs.mkdirSync(path.dirname(conf), {recursive: true})
  fs.writeFileSync(conf, '[storage]\ndriver = "overlay"\n')
  fs.chmodSync(conf, 0o644)
  const reset = await tspod(box, ['system', 'reset', '-f'])
  t.deepEqual([reset.code, reset.stdout, reset.stderr], [0, `A storage.conf file exists at ${conf}\nYou should remove this file if you did not modify the configuration.\n`, ''])
  t.false(fs.existsSync(graphRoot(box)))

  const home = await tspod(box, ['system', 'reset', '-f', '--root', box.runtimeDir])
  t.is(home.code, 125)
  t.regex(home.stderr, /^Error: refusing to remove the graph root .*\$XDG_RUNTIME_DIR itself; set graphroot in storage.conf to a dir of tspod's own\n$/)
  t.true(fs.existsSync(box.runtimeDir))
  const extra = await tspod(box, ['system', 'reset', '-f', 'now'])
  t.deepEqual([extra.code, extra.stderr], [125, 'Error: `podman system reset` takes no arguments\n'])
  const flag = await tspod(box, ['system', 'reset', '--yes'])
  t.deepEqual([flag.code, flag.stderr], [125, "Error: unknown flag: --yes\nSee 'podman system reset --help'\n"])
})

test('system reset deletes a store whose database cannot be opened', async (t) => {
  const box = await privateSandbox(t)
  const db = path.join(graphRoot(box), 'tspod.db')
  fs.writeFileSync(db, 'not a database at all, not even its header'.repeat(200))
  const reset = await tspod(box, ['system', 'reset', '-f'])
  t.is(reset.code, 0, reset.stderr)
  t.regex(reset.stderr, /^WARN\[0000\] .*: removing the store's dirs without stopping its containers\n$/)
  t.false(fs.existsSync(graphRoot(box)))
  t.is(await ok(box, ['images', '-q']), '')
})

const PRUNE_PROMPT =
  'WARNING! This command removes:\n' + '\t- all stopped containers\n' + '\t- all dangling images\n\n' + 'Are you sure you want to continue? [y/N] '
const PRUNE_ALL_VOLUMES_PROMPT =
  'WARNING! This command removes:\n' +
  '\t- all stopped containers\n' +
  '\t- all volumes not used by at least one container\n' +
  '\t- all images without at least one container associated with them\n\n' +
  'Are you sure you want to continue? [y/N] '

test('system prune removes stopped containers and dangling images, with --volumes unused volumes, with -a every unused image', async (t) => {
  const box = await sandboxWithImages(t)
  const up = (await ok(box, ['run', '-d', '--name', 'up', 'busybox', ...SERVICE])).trim()
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'up']))
  const down = (await ok(box, ['create', '--name', 'down', '-v', 'keep:/k', 'multi', 'true'])).trim()
  await ok(box, ['start', '-a', 'down'])
  const labelled = (await ok(box, ['create', '--name', 'labelled', '-l', 'team=a', 'busybox', 'true'])).trim()
  await ok(box, ['volume', 'create', 'spare'])
  await ok(box, ['volume', 'create', '--label', 'a=b', 'marked'])
  const multiId = (await ok(box, ['inspect', '--format', '{{.Id}}', 'multi'])).trim()
  const busyboxId = (await ok(box, ['inspect', '--format', '{{.Id}}', 'busybox'])).trim()
  await ok(box, ['untag', 'localhost/multi']) // dangling, but `down` uses it until it is pruned

  const noAnswer = await tspod(box, ['system', 'prune'])
  t.deepEqual([noAnswer.code, noAnswer.stdout, noAnswer.stderr], [125, PRUNE_PROMPT, 'Error: EOF\n'])
  const no = await tspod(box, ['system', 'prune', '-a', '--volumes'], {input: 'N\n'})
  t.deepEqual([no.code, no.stdout, no.stderr], [0, PRUNE_ALL_VOLUMES_PROMPT, ''])
  const badKey = await tspod(box, ['system', 'prune', '-f', '--filter', 'name=x'])
  t.deepEqual([badKey.code, badKey.stderr], [125, 'Error: name is an invalid filter\n'])
  const badForm = await tspod(box, ['system', 'prune', '-f', '--filter', 'label'])
  t.deepEqual([badForm.code, badForm.stderr], [125, 'Error: filter input must be in the form of filter=value: label is invalid\n'])
  const badTime = await tspod(box, ['system', 'prune', '-f', '--filter', 'until=soon'])
  t.deepEqual([badTime.code, badTime.stderr], [125, 'Error: failed to parse value as time or duration: "soon"\n'])
  t.is((await ok(box, ['ps', '-a', '-q'])).trim().split('\n').length, 3, 'a refused prune removed nothing')

  // a label filter: only the labelled container (no image or volume carries that label)
  t.regex(await ok(box, ['system', 'prune', '-f', '--filter', 'label=team=a']), new RegExp(`^Deleted Containers\\n${labelled}\\nTotal reclaimed space: \\d+(\\.\\d+)?k?B\\n$`))
  // until an hour ago: nothing is that old
  t.is(await ok(box, ['system', 'prune', '-f', '--filter', 'until=1h']), 'Total reclaimed space: 0B\n')

  const pruned = await ok(box, ['system', 'prune'], {input: 'y\n'})
  t.regex(pruned, new RegExp(`^${PRUNE_PROMPT.replace(/[[\]?]/g, '\\$&')}Deleted Containers\\n${down}\\nDeleted Images\\n${multiId}\\nTotal reclaimed space: \\d+(\\.\\d+)?[kM]?B\\n$`))
  t.is(await ok(box, ['ps', '-a', '-q', '--no-trunc']), `${up}\n`)
  t.is(await ok(box, ['images', '-q', '--no-trunc']), `sha256:${busyboxId}\n`)
  t.is(await ok(box, ['volume', 'ls', '-q']), 'keep\nmarked\nspare\n', 'volumes stay without --volumes')
  t.is(await ok(box, ['system', 'prune', '-f']), 'Total reclaimed space: 0B\n')

  t.is(await ok(box, ['system', 'prune', '-f', '--volumes', '--filter', 'label=a=b']), 'Deleted Volumes\nmarked\nTotal reclaimed space: 0B\n')
  await ok(box, ['rm', '-f', '-t', '0', 'up'])
  const all = await ok(box, ['system', 'prune', '-a', '--volumes'], {input: 'yes\n'})
  t.regex(all, new RegExp(`Deleted Volumes\\nkeep\\nspare\\nDeleted Images\\n${busyboxId}\\nTotal reclaimed space: \\d+(\\.\\d+)?MB\\n$`))
  t.is(await ok(box, ['images', '-a', '-q']), '')
  t.is(await ok(box, ['volume', 'ls', '-q']), '')
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'overlay')), [], 'every layer is gone with its images')
})

test('system migrate stops running containers; --new-runtime moves every container to another runtime', async (t) => {
  const box = await sandboxWithImages(t)
  const up = (await ok(box, ['run', '-d', '--name', 'up', 'busybox', ...SERVICE])).trim()
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'up']))
  await ok(box, ['create', '--name', 'later', 'busybox', 'echo', 'started by the new runtime'])

  t.is(await ok(box, ['system', 'migrate']), `stopped ${up}\n`)
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.State}}']), 'up exited\nlater created\n')
  t.is(await ok(box, ['system', 'migrate']), '', 'nothing runs: nothing to stop')

  const bad = await tspod(box, ['system', 'migrate', '--new-runtime', 'nosuch'])
  t.deepEqual([bad.code, bad.stdout, bad.stderr], [125, '', 'Error: change to runtime "nosuch" requested but no such runtime is defined: invalid argument\n'])
  t.is(await ok(box, ['inspect', '--format', '{{.OCIRuntime}}', 'up', 'later']), 'tspod\ntspod\n')

  t.is(await ok(box, ['system', 'migrate', '--new-runtime', 'runc']), '')
  t.is(await ok(box, ['inspect', '--format', '{{.OCIRuntime}}', 'up', 'later']), 'runc\nrunc\n')
  t.is(await ok(box, ['start', '-a', 'later']), 'started by the new runtime\n')

  t.is(await ok(box, ['system', 'migrate', '--new-runtime', 'tspod']), '')
  t.is(await ok(box, ['inspect', '--format', '{{.OCIRuntime}}', 'up', 'later']), 'tspod\ntspod\n')
  t.is(await ok(box, ['start', '-a', 'later']), 'started by the new runtime\n')
  const extra = await tspod(box, ['system', 'migrate', 'now'])
  t.deepEqual([extra.code, extra.stderr], [125, 'Error: `podman system migrate` takes no arguments\n'])
})

test('system df -v: the images, containers and volumes tables, as Podman lays them out', async (t) => {
  const box = await sandboxWithImages(t)
  const up = (await ok(box, ['run', '-d', '--name', 'up', '-v', 'data:/data', 'busybox', ...SERVICE])).trim()
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'up']))
  const down = (await ok(box, ['run', '--name', 'down', '-v', '/anon', 'multi', 'sh', '-c', 'echo hello > /f'])).trim() || (await ok(box, ['inspect', '--format', '{{.Id}}', 'down'])).trim()
  await ok(box, ['volume', 'create', 'spare'])
  const busyboxId = (await ok(box, ['inspect', '--format', '{{.Id}}', 'busybox'])).trim()
  const multiId = (await ok(box, ['inspect', '--format', '{{.Id}}', 'multi'])).trim()

  const lines = (await ok(box, ['system', 'df', '-v'])).split('\n')
  t.is(lines[0], 'Images space usage:')
  t.is(lines[1], '')
  t.regex(lines[2], /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE +SHARED SIZE +UNIQUE SIZE +CONTAINERS$/)
  const size = '\\d+(\\.\\d+)?[kM]?B'
  const imageRows = lines.slice(3, 5).sort()
  // the two images share busybox's layer
  t.regex(imageRows[0], new RegExp(`^localhost/busybox +latest +${busyboxId.slice(0, 12)} +\\d+ years? +${size} +${size} +0B +1$`))
  t.regex(imageRows[1], new RegExp(`^localhost/multi +latest +${multiId.slice(0, 12)} +\\d+ years? +${size} +${size} +${size} +1$`))
  t.deepEqual(lines.slice(5, 8), ['', 'Containers space usage:', ''])
  t.regex(lines[8], /^CONTAINER ID +IMAGE +COMMAND +LOCAL VOLUMES +SIZE +CREATED +STATUS +NAMES$/)
  const containerRows = lines.slice(9, 11).sort((a, b) => a.split(/ +/).at(-1)!.localeCompare(b.split(/ +/).at(-1)!))
  t.regex(containerRows[0], new RegExp(`^${down.slice(0, 12)} +${multiId.slice(0, 12)} +sh -c echo hello > /f +1 +${size} +.* +exited +down$`))
  t.regex(containerRows[1], new RegExp(`^${up.slice(0, 12)} +${busyboxId.slice(0, 12)} +sh -c trap "exit 0" TERM; while :; do sleep 0.1; done +1 +${size} +.* +running +up$`))
  t.deepEqual(lines.slice(11, 14), ['', 'Local Volumes space usage:', ''])
  t.regex(lines[14], /^VOLUME NAME +LINKS +SIZE$/)
  const volumeRows = lines.slice(15, 18)
  // by name, as the store lists them: where the anonymous volume's random name falls varies
  const volumeRow = (pattern: RegExp) => t.is(volumeRows.filter((l) => pattern.test(l)).length, 1, `${pattern} in ${volumeRows.join(' | ')}`)
  volumeRow(new RegExp(`^[0-9a-f]{64} +1 +${size}$`))
  volumeRow(new RegExp(`^data +1 +${size}$`))
  volumeRow(/^spare +0 +0B$/)
  t.is(lines.slice(18).join('\n'), '')

  const summary = await ok(box, ['system', 'df'])
  t.regex(summary, new RegExp(`^TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE\\nImages +2 +2 +${size} +0B \\(0%\\)\\nContainers +2 +1 +${size} +${size} \\(\\d+%\\)\\nLocal Volumes +3 +2 +${size} +0B \\(0%\\)\\n$`))
  const both = await tspod(box, ['system', 'df', '-v', '--format', '{{.Type}}'])
  t.deepEqual([both.code, both.stderr], [125, 'Error: cannot combine --format and --verbose flags\n'])
})
