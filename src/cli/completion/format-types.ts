// The Go types whose fields a command's `--format` template reads, as Podman declares them (its
// reporters embed the report types of pkg/domain/entities), for completing `{{.` (format-fields.ts).
import type {GoType} from './format-fields'

/** time.Time: its methods a template can call (one result), the fields being unexported. */
const TIME: GoType = {
  methods: [
    'Add/1', 'AddDate/3', 'After/1', 'AppendFormat/2', 'Before/1', 'Day', 'Equal/1', 'Format/1', 'GoString', 'Hour', 'In/1', 'IsDST', 'IsZero', 'Local.', 'Location',
    'Minute', 'Month', 'Nanosecond', 'Round/1', 'Second', 'String', 'Sub/1', 'Truncate/1', 'UTC.', 'Unix', 'UnixMicro', 'UnixMilli', 'UnixNano', 'Weekday', 'Year', 'YearDay',
  ],
}

/** entities.ListContainer */
const LIST_CONTAINER: GoType = {
  methods: ['CGROUPNS', 'IPC', 'MNT', 'NET', 'PIDNS', 'USERNS', 'UTS'],
  fields: [
    'AutoRemove', 'Command', {name: 'Created', struct: TIME}, 'CreatedAt', 'Exited', 'ExitedAt', 'ExitCode', 'ID', 'Image', 'ImageID', 'IsInfra', {name: 'Labels', map: 'value'},
    'Mounts', 'Names', {name: 'Namespaces', struct: {fields: ['MNT', 'Cgroup', 'IPC', 'NET', 'PIDNS', 'UTS', 'User']}}, 'Networks', 'Pid', 'Pod', 'PodName', 'Ports',
    {name: 'Size', struct: {fields: ['RootFsSize', 'RwSize']}}, 'StartedAt', 'State', 'Status',
  ],
}

/** `ps`: cmd/podman/containers psReporter */
const PS: GoType = {
  methods: [
    'CGROUPNS', 'Cgroup', 'Command', 'CreatedAt', 'CreatedHuman', 'ID', 'IPC', 'ImageID', 'MNT', 'NET', 'Names', 'Networks', 'PIDNS', 'Pod', 'Ports', 'RunningFor', 'Size',
    'State', 'Status', 'USERNS', 'UTS', 'User',
  ],
  fields: [{name: 'ListContainer', struct: LIST_CONTAINER, embedded: true}],
}

/** `pod ps`: cmd/podman/pods ListPodReporter over entities.ListPodsReport */
const POD_PS: GoType = {
  methods: ['ContainerIds', 'ContainerNames', 'ContainerStatuses', 'Created', 'ID', 'Id', 'InfraID', 'InfraId', 'Labels.', 'Networks', 'NumberOfContainers'],
  fields: [
    {
      name: 'ListPodsReport',
      embedded: true,
      struct: {fields: ['Cgroup', 'Containers', {name: 'Created', struct: TIME}, 'Id', 'InfraId', 'Name', 'Namespace', 'Networks', 'Status', {name: 'Labels', map: 'value'}]},
    },
  ],
}

/** `images`: cmd/podman/images imageReporter over entities.ImageSummary */
const IMAGES: GoType = {
  methods: ['Created', 'CreatedAt', 'CreatedSince', 'CreatedTime', 'History', 'ID', 'Id', 'IsDangling', 'IsReadOnly', 'Size'],
  fields: [
    'Repository',
    'Tag',
    {
      name: 'ImageSummary',
      embedded: true,
      struct: {
        fields: [
          'ID', 'ParentId', 'RepoTags', 'RepoDigests', 'Created', 'Size', 'SharedSize', 'VirtualSize', {name: 'Labels', map: 'value'}, 'Containers', 'ReadOnly', 'Dangling', 'Names',
          'Digest', 'History',
        ],
      },
    },
  ],
}

/** define.InspectVolumeData */
const VOLUME_DATA: GoType = {
  fields: [
    'Name', 'Driver', 'Mountpoint', {name: 'CreatedAt', struct: TIME}, {name: 'Status', map: 'value'}, {name: 'Labels', map: 'value'}, 'Scope', {name: 'Options', map: 'value'},
    'UID', 'GID', 'Anonymous', 'MountCount', 'NeedsCopyUp', 'NeedsChown', 'Timeout', 'StorageID',
  ],
}

/** `volume ls`: entities.VolumeListReport, a VolumeConfigResponse embedding InspectVolumeData */
const VOLUME_LS: GoType = {
  fields: [{name: 'VolumeConfigResponse', embedded: true, struct: {fields: [{name: 'InspectVolumeData', embedded: true, struct: VOLUME_DATA}]}}],
}

/** `network ls`: cmd/podman/networks ListPrintReports over types.Network */
const NETWORK_LS: GoType = {
  methods: ['ID', 'Labels'],
  fields: [
    {
      name: 'Network',
      embedded: true,
      struct: {
        fields: [
          'Name', 'ID', 'Driver', 'NetworkInterface', {name: 'Created', struct: TIME}, 'Subnets', 'IPv6Enabled', 'Internal', 'DNSEnabled', {name: 'Labels', map: 'value'},
          {name: 'Options', map: 'value'}, {name: 'IPAMOptions', map: 'value'},
        ],
      },
    },
  ],
}

/** define.Version */
const VERSION: GoType = {fields: ['APIVersion', 'Version', 'GoVersion', 'GitCommit', 'BuiltTime', 'Built', 'OsArch', 'Os']}

/** `version`: entities.SystemVersionReport */
const SYSTEM_VERSION: GoType = {fields: [{name: 'Client', struct: VERSION}, {name: 'Server', struct: VERSION}]}

/** The output type of each command's --format, by command id. */
export const FORMAT_TYPES: Record<string, GoType> = {
  'container:ls': PS,
  'pod:ps': POD_PS,
  'image:ls': IMAGES,
  'volume:ls': VOLUME_LS,
  'network:ls': NETWORK_LS,
  version: SYSTEM_VERSION,
}
