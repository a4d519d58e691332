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
