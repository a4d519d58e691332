// The output types of the commands' --format templates, as Podman's completion lists them.
import test from 'ava'

import {completeFormat} from '../../../src/cli/completion/format-fields'
import {FORMAT_TYPES} from '../../../src/cli/completion/format-types'
import {COMMANDS} from '../../../src/cli/commands'

const names = (id: string, text: string) => completeFormat(FORMAT_TYPES[id], text).candidates.map((c) => c.name.slice(text.lastIndexOf('.') + 1))

test('each is the type of a command that has --format', (t) => {
  for (const id of Object.keys(FORMAT_TYPES)) t.truthy((COMMANDS[id] as unknown as {flags: Record<string, unknown>}).flags.format, id)
})

test("ps: psReporter's methods, then ListContainer's fields not among them", (t) => {
  const top = names('container:ls', '{{.')
  t.deepEqual(top.slice(0, 3), ['CGROUPNS}}', 'Cgroup}}', 'Command}}'])
  t.deepEqual(top.slice(21), ['User}}', 'ListContainer.', 'AutoRemove}}', 'Created.', 'Exited}}', 'ExitedAt}}', 'ExitCode}}', 'Image}}', 'IsInfra}}', 'Labels.', 'Mounts}}', 'Namespaces.', 'Pid}}', 'PodName}}', 'StartedAt}}'])
  t.deepEqual(names('container:ls', '{{.Namespaces.'), ['MNT}}', 'Cgroup}}', 'IPC}}', 'NET}}', 'PIDNS}}', 'UTS}}', 'User}}'])
  t.deepEqual(names('container:ls', '{{.Size.'), ['RootFsSize}}', 'RwSize}}'])
})

test('pod ps, images, volume ls, network ls, version', (t) => {
  t.deepEqual(names('pod:ps', '{{.'), ['ContainerIds}}', 'ContainerNames}}', 'ContainerStatuses}}', 'Created}}', 'ID}}', 'Id}}', 'InfraID}}', 'InfraId}}', 'Labels.', 'Networks}}', 'NumberOfContainers}}', 'ListPodsReport.', 'Cgroup}}', 'Containers}}', 'Name}}', 'Namespace}}', 'Status}}'])
  t.deepEqual(names('image:ls', '{{.R'), ['Repository}}', 'RepoTags}}', 'RepoDigests}}', 'ReadOnly}}'])
  t.deepEqual(names('volume:ls', '{{.M'), ['Mountpoint}}', 'MountCount}}'])
  t.deepEqual(names('network:ls', '{{.I'), ['ID}}', 'IPv6Enabled}}', 'Internal}}', 'IPAMOptions.'])
  t.deepEqual(names('version', '{{.Client.B'), ['BuiltTime}}', 'Built}}'])
})

test("the inspect commands, history, search, secrets, events and info: Podman 4.3.1's top-level fields", (t) => {
  const top = (id: string) => names(id, '{{.').join(' ')
  t.is(top('image:history'), 'Created}} CreatedAt}} CreatedBy}} CreatedSince}} ID}} Size}} ImageHistoryLayer. Tags}} Comment}}')
  t.is(top('image:search'), 'Index}} Name}} Description}} Stars}} Official}} Automated}} Tag}}')
  t.is(top('secret:inspect'), 'ID}} CreatedAt. UpdatedAt. Spec.')
  t.is(top('secret:ls'), top('secret:inspect'))
  t.is(top('events'), 'Recycle ToHumanReadable ContainerExitCode}} ID}} Image}} Name}} Network}} Status}} Time. Type}} HealthStatus}} Details. PodID}} Attributes.')
  t.is(top('info'), 'Host. Store. Registries. Plugins. Version.')
  t.is(top('network:inspect'), 'Name}} ID}} Driver}} NetworkInterface}} Created. Subnets}} IPv6Enabled}} Internal}} DNSEnabled}} Labels. Options. IPAMOptions.')
  t.regex(top('container:inspect'), /^ID}} Created\. Path}} Args}} State\. Image}} .* Config\. HostConfig\.$/)
  t.regex(top('image:inspect'), /^ID}} Digest}} RepoTags}} .* NamesHistory}} HealthCheck\.$/)
  t.regex(top('pod:inspect'), /^InspectPodData\. ID}} Name}} .* BlkioWeightDevice}}$/)
  t.deepEqual(names('events', '{{.Time.Y'), ['Year}}', 'YearDay}}'])
})
