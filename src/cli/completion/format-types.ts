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

/** types.Network (`network inspect`) */
const NETWORK: GoType = {
  fields: [
    'Name', 'ID', 'Driver', 'NetworkInterface', {name: 'Created', struct: TIME}, 'Subnets', 'IPv6Enabled', 'Internal', 'DNSEnabled', {name: 'Labels', map: 'value'},
    {name: 'Options', map: 'value'}, {name: 'IPAMOptions', map: 'value'},
  ],
}

/** `network ls`: cmd/podman/networks ListPrintReports over types.Network */
const NETWORK_LS: GoType = {
  methods: ['ID', 'Labels'],
  fields: [{name: 'Network', embedded: true, struct: NETWORK}],
}

/** define.Version */
const VERSION: GoType = {fields: ['APIVersion', 'Version', 'GoVersion', 'GitCommit', 'BuiltTime', 'Built', 'OsArch', 'Os']}

/** `version`: entities.SystemVersionReport */
const SYSTEM_VERSION: GoType = {fields: [{name: 'Client', struct: VERSION}, {name: 'Server', struct: VERSION}]}

/**
 * A struct whose own fields are not described here: completed as `Name.` and no further (tspod's
 * templates still read every field of it).
 */
const OPAQUE: GoType = {}

const MAP = 'value' as const

/** define.InspectContainerData (`container inspect`) */
const CONTAINER_INSPECT: GoType = {
  fields: [
    'ID', {name: 'Created', struct: TIME}, 'Path', 'Args', {name: 'State', struct: OPAQUE}, 'Image', 'ImageDigest', 'ImageName', 'Rootfs', 'Pod', 'ResolvConfPath',
    'HostnamePath', 'HostsPath', 'StaticDir', 'OCIConfigPath', 'OCIRuntime', 'ConmonPidFile', 'PidFile', 'Name', 'RestartCount', 'Driver', 'MountLabel', 'ProcessLabel',
    'AppArmorProfile', 'EffectiveCaps', 'BoundingCaps', 'ExecIDs', {name: 'GraphDriver', struct: OPAQUE}, 'SizeRw', 'SizeRootFs', 'Mounts', 'Dependencies',
    {name: 'NetworkSettings', struct: OPAQUE}, 'Namespace', 'IsInfra', 'IsService', {name: 'Config', struct: OPAQUE}, {name: 'HostConfig', struct: OPAQUE},
  ],
}

/** inspect.ImageData (`image inspect`) */
const IMAGE_INSPECT: GoType = {
  fields: [
    'ID', 'Digest', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', {name: 'Created', struct: TIME}, {name: 'Config', struct: OPAQUE}, 'Version', 'Author', 'Architecture',
    'Os', 'Size', 'VirtualSize', {name: 'GraphDriver', struct: OPAQUE}, {name: 'RootFS', struct: OPAQUE}, {name: 'Labels', map: MAP}, {name: 'Annotations', map: MAP},
    'ManifestType', 'User', 'History', 'NamesHistory', {name: 'HealthCheck', struct: OPAQUE},
  ],
}

/** `pod inspect`: a reporter embedding define.InspectPodData */
const POD_INSPECT: GoType = {
  fields: [
    {
      name: 'InspectPodData',
      embedded: true,
      struct: {
        fields: [
          'ID', 'Name', 'Namespace', {name: 'Created', struct: TIME}, 'CreateCommand', 'ExitPolicy', 'State', 'Hostname', {name: 'Labels', map: MAP}, 'CreateCgroup',
          'CgroupParent', 'CgroupPath', 'CreateInfra', 'InfraContainerID', {name: 'InfraConfig', struct: OPAQUE}, 'SharedNamespaces', 'NumContainers', 'Containers',
          'CPUPeriod', 'CPUQuota', 'CPUShares', 'CPUSetCPUs', 'CPUSetMems', 'Mounts', 'Devices', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps', 'VolumesFrom',
          'SecurityOpts', 'MemoryLimit', 'MemorySwap', 'BlkioWeight', 'BlkioWeightDevice',
        ],
      },
    },
  ],
}

/** entities.SecretInfoReport (`secret inspect`, `secret ls`) */
const SECRET: GoType = {fields: ['ID', {name: 'CreatedAt', struct: TIME}, {name: 'UpdatedAt', struct: TIME}, {name: 'Spec', struct: OPAQUE}]}

/** events.Event */
const EVENT: GoType = {
  methods: ['Recycle/2', 'ToHumanReadable/1'],
  fields: [
    'ContainerExitCode', 'ID', 'Image', 'Name', 'Network', 'Status', {name: 'Time', struct: TIME}, 'Type', 'HealthStatus',
    {name: 'Details', embedded: true, struct: {fields: ['ID', 'PodID', {name: 'Attributes', map: MAP}]}},
  ],
}

/** `history`: cmd/podman/images historyReporter over entities.ImageHistoryLayer */
const HISTORY: GoType = {
  methods: ['Created', 'CreatedAt', 'CreatedBy', 'CreatedSince', 'ID', 'Size'],
  fields: [{name: 'ImageHistoryLayer', embedded: true, struct: {fields: ['ID', {name: 'Created', struct: TIME}, 'CreatedBy', 'Tags', 'Size', 'Comment']}}],
}

/** entities.ImageSearchReport (`search`) */
const SEARCH: GoType = {fields: ['Index', 'Name', 'Description', 'Stars', 'Official', 'Automated', 'Tag']}

/** define.Info (`info`) */
const INFO: GoType = {
  fields: [{name: 'Host', struct: OPAQUE}, {name: 'Store', struct: OPAQUE}, {name: 'Registries', map: MAP}, {name: 'Plugins', struct: OPAQUE}, {name: 'Version', struct: VERSION}],
}

/** The output type of each command's --format, by command id. */
export const FORMAT_TYPES: Record<string, GoType> = {
  'container:ls': PS,
  'container:inspect': CONTAINER_INSPECT,
  'pod:ps': POD_PS,
  'pod:inspect': POD_INSPECT,
  'image:ls': IMAGES,
  'image:inspect': IMAGE_INSPECT,
  'image:history': HISTORY,
  'image:search': SEARCH,
  'volume:ls': VOLUME_LS,
  'volume:inspect': VOLUME_DATA,
  'network:ls': NETWORK_LS,
  'network:inspect': NETWORK,
  'secret:inspect': SECRET,
  'secret:ls': SECRET,
  events: EVENT,
  info: INFO,
  version: SYSTEM_VERSION,
}
