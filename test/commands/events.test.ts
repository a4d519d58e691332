// @userns
// `events` through the CLI as the rootless user: the events the Engine and a detached
// container's monitor record, in Podman's order and fields, read back with filters and formats.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {privateEventsLog, sandboxWithImages} from '../helpers/image-sandbox'
import {tspod, tspodOk as ok} from '../helpers/rootless'


test('container and image events: what run, run -d (its monitor), rm, tag and untag record, read back with filters and formats', async (t) => {
  const box = await sandboxWithImages(t)
  const log = privateEventsLog(box)
  const run = await tspod(box, ['run', '--rm', '--name', 'fg', '--label', 'tier=web app', 'busybox', 'sh', '-c', 'exit 17'])
  t.is(run.code, 17, run.stderr)
  const id = (await ok(box, ['run', '-d', '--name', 'bg', 'busybox', 'true'])).trim()
  await ok(box, ['wait', 'bg'])
  await ok(box, ['rm', 'bg'])
  await ok(box, ['tag', 'busybox', 'example.com/other'])
  await ok(box, ['untag', 'busybox', 'example.com/other'])
  t.true(fs.existsSync(log))

  const statuses = (filters: string[]) => ok(box, ['events', '--stream=false', ...filters.flatMap((f) => ['--filter', f]), '--format', '{{.Status}}'])
  t.is(await statuses(['container=fg']), 'create\ninit\nstart\nattach\ndied\nremove\n')
  t.is(await statuses(['container=bg']), 'create\ninit\nstart\ndied\nremove\n', 'the monitor wrote init, start and died')
  // filters of one key are alternatives; a label filter matches the container's labels
  t.is(await ok(box, ['events', '--stream=false', '--filter', 'container=fg', '--filter', 'container=bg', '--filter', 'event=died', '--format', '{{.Name}} {{.ContainerExitCode}}']), 'fg 17\nbg 0\n')
  t.is(await ok(box, ['events', '--stream=false', '--filter', 'status=died', '--filter', 'label=tier=web app', '--format', '{{.Attributes.tier}}']), 'web app\n')
  t.is(await ok(box, ['events', '--stream=false', '--filter', 'type=image', '--format', '{{.Status}}--{{.Name}}']), 'pull--busybox\npull--busybox\ntag--example.com/other\nuntag--example.com/other:latest\n')

  // the default line, its ID truncated with --no-trunc=false, and JSON lines as the log has them
  const human = await ok(box, ['events', '--stream=false', '--filter', 'container=bg', '--filter', 'event=start'])
  t.regex(human, new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? [+-]\\d{4} \\S+ container start ${id} \\(image=localhost/busybox:latest, name=bg(, .*)?\\)\\n$`))
  t.regex(await ok(box, ['events', '--stream=false', '--no-trunc=false', '--filter', 'container=bg', '--filter', 'event=start']), new RegExp(` container start ${id.slice(0, 12)} \\(`))
  const json = await ok(box, ['events', '--stream=false', '--filter', 'container=bg', '--filter', 'event=remove', '--format', 'json'])
  t.like(JSON.parse(json), {ID: id, Image: 'localhost/busybox:latest', Name: 'bg', Status: 'remove', Type: 'container'})
  t.true(fs.readFileSync(log, 'utf8').includes(json.trim()))
  t.is(await ok(box, ['events', '--stream=false', '--since', '2000-01-01', '--until', '2000-01-02']), '', 'nothing in that time')

  // rmi takes each name off (untag), then removes the image by the name it was given; volumes too
  await ok(box, ['rmi', '-f', 'multi'])
  t.is(
    await ok(box, ['events', '--stream=false', '--filter', 'event=untag', '--filter', 'event=remove', '--filter', 'type=image', '--format', '{{.Status}}--{{.Name}}']),
    'untag--example.com/other:latest\nuntag--localhost/multi:latest\nremove--multi\n',
  )
  await ok(box, ['volume', 'create', 'vol1'])
  await ok(box, ['volume', 'rm', 'vol1'])
  t.is(await ok(box, ['events', '--stream=false', '--filter', 'volume=vol1', '--format', '{{.Type}} {{.Status}} {{.Name}}']), 'volume create vol1\nvolume remove vol1\n')

  // --events-backend: none records nothing and cannot be read; journald and unknown names are refused
  await ok(box, ['--events-backend', 'none', 'tag', 'busybox', 'example.com/none'])
  t.false(fs.readFileSync(log, 'utf8').includes('example.com/none'))
  t.is(await ok(box, ['--events-backend', 'none', 'info', '--format', '{{.Host.EventLogger}}']), 'none\n')
  t.is(await ok(box, ['info', '--format', '{{.Host.EventLogger}}']), 'file\n')
  const none = await tspod(box, ['--events-backend', 'none', 'events', '--stream=false'])
  t.is(none.code, 125)
  t.is(none.stderr, 'Error: cannot read events with the "none" backend\n')
  const journald = await tspod(box, ['--events-backend=journald', 'events'])
  t.is(journald.code, 125)
  t.regex(journald.stderr, /^Error: .*journald events backend is not available in tspod/)
  const bad = await tspod(box, ['events', '--stream=false', '--filter', 'colour=red'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: failed to parse event filters: colour is an invalid filter\n')
})
