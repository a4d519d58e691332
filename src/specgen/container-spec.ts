// What a container is asked to be, parsed and checked (Podman's specgen.SpecGenerator). Every
// front end builds one: `create`/`run` from their flags (options.ts and parse.ts), later a
// Containerfile RUN step, a kube YAML or a REST body. The runtime reads only this form: it
// generates config.json from it (runtime/spec/generate.ts) and keeps it in the container's record,
// where start, inspect and the monitor read it. No field holds flag syntax.
import type {ImageVolumeMode} from '../storage/config/containers-conf'
import type {LogConfig} from '../runtime/container/log-config'
import type {OciRlimit} from '../runtime/oci-spec'
import type {PortMapping} from '../runtime/network/publish'
import type {IdMapping} from '../userns/idmap'
import type {NamespaceMode} from './namespaces'
import type {HealthConfig, HealthOnFailure} from './healthcheck'
import type {RestartPolicy} from './restart'
import type {SecretRequest} from './secrets'
import type {SdNotify} from './sd-notify'
import type {CgroupsMode} from './cgroups-mode'

/** -v SRC:DST[:OPTIONS] with a host path: SRC absolute (./relative already resolved). */
export interface BindMountSpec {
  type: 'bind'
  source: string
  destination: string
  /** the options as given, checked (validateVolumeOptions); completed for the spec by processMountOptions */
  options: string[]
}

/** -v NAME:DST[:OPTIONS], or -v DST alone (an anonymous volume, name ''). */
export interface VolumeMountSpec {
  type: 'volume'
  name: string
  destination: string
  options: string[]
}

/** --tmpfs DST[:OPTIONS] */
export interface TmpfsMountSpec {
  type: 'tmpfs'
  destination: string
  /** as given, checked */
  options: string[]
}

export type MountSpec = BindMountSpec | VolumeMountSpec | TmpfsMountSpec

/** --volumes-from CONTAINER[:OPTIONS]: the container's volumes and bind mounts, with ro, rw or z */
export interface VolumesFromSpec {
  /** the name or id as given; create resolves it */
  container: string
  options: string[]
}

/** --device HOST[:CONTAINER][:PERMISSIONS]; HOST is a device node or a dir of them. */
export interface DeviceSpec {
  source: string
  destination: string
  /** r, w and m; checked, not enforced (no device cgroup, as rootless Podman) */
  permissions: string
}

/** --userns: "" or host (the user's ranges, the default), keep-id[:uid=,gid=,size=] */
export type UsernsMode =
  | {kind: 'host'}
  | {kind: 'keep-id'; uid?: number; gid?: number; size?: number}
  /** the subordinate ranges only: the user's own id is not mapped (rootless only) */
  | {kind: 'nomap'}
  /**
   * a range of the subordinate ids no other auto container uses; size: its length (default from
   * the image); uidMappings/gidMappings (uidmapping=, gidmapping=): ranges it must map, their
   * hostIDs in the ids of the rootless namespace
   */
  | {kind: 'auto'; size?: number; uidMappings?: IdMapping[]; gidMappings?: IdMapping[]}

/**
 * --network: slirp4netns (the default; private and "" mean it too), host, none, a namespace to
 * join, or another container's (`container`: the name or id as given until create resolves it to the id)
 */
export type NetworkMode = {kind: 'slirp4netns'; options?: Slirp4netnsModeOptions} | {kind: 'pasta'; options: string[]} | {kind: 'host'} | {kind: 'none'} | {kind: 'ns'; path: string} | {kind: 'container'; container: string}
  | BridgeNetworkMode

/** `--network slirp4netns:OPTIONS` (absent: slirp4netns' defaults, as Podman's). Ports always go through slirp4netns' own forwarding (Podman's port_handler=slirp4netns). */
export interface Slirp4netnsModeOptions {
  /** cidr=: the IPv4 network slirp4netns configures (default 10.0.2.0/24) */
  cidr?: string
  allowHostLoopback?: boolean
  enableIPv6?: boolean
  mtu?: number
}

/** One named network of a container, as Podman's PerNetworkOptions. */
export interface PerNetworkOptions {
  aliases: string[]
  staticIps: string[]
  staticMac?: string
  /** eth0, eth1, ... in the order given */
  interfaceName: string
}

/** --network NAME[,NAME...] (the default network `podman` included): netavark bridges in the rootless netns */
export interface BridgeNetworkMode {
  kind: 'bridge'
  networks: Record<string, PerNetworkOptions>
}

/** --security-opt */
export interface SecurityOptions {
  /** seccomp=unconfined or seccomp=PROFILE.json; absent (or seccomp=): containers.conf's default */
  seccomp?: string
  noNewPrivileges?: boolean
  /** label=disable: tspod applies no SELinux labels, so this only shows in inspect */
  label?: string
  /** apparmor=unconfined: tspod applies no AppArmor profile, so this only shows in inspect */
  apparmor?: string
  /** mask=PATH[:PATH...]: more paths to mask */
  mask: string[]
  /** unmask=ALL or PATH[:PATH...]: default masked or read-only paths to leave alone */
  unmask: string[]
}

/** --add-host NAME:IP */
export interface ExtraHost {
  name: string
  ip: string
}

export interface ContainerSpec {
  /** --name; absent: a random name is picked at create */
  name?: string
  /** --label: on top of the image's labels */
  labels: Record<string, string>
  /** the command after the image; absent: the image's Cmd */
  command?: string[]
  /** --entrypoint, split (a JSON array, or one word) */
  entrypoint?: string[]
  /** -w/--workdir, absolute */
  workdir?: string
  tty: boolean
  /** -i: stdin is kept open (the monitor pipes it) */
  interactive: boolean
  /** --user name|uid[:group|gid], looked up in the image at create; absent: the image's User */
  user?: string
  /** --hostuser: host users (names or uids) added to the container's /etc/passwd; absent in records older than it */
  hostUsers?: string[]
  /** --secret: the secrets the container gets, mounted or in its environment; absent in records older than it */
  secrets?: SecretRequest[]
  /** --group-add names or gids */
  groups: string[]
  /** --group-add keep-groups */
  keepGroups: boolean
  /**
   * Variables set on top of the defaults and the image's Env, in order, each name once: the
   * host's (--env-host, or the proxy variables with --http-proxy), --env-file, -e. Values taken
   * from the host were read when the spec was parsed.
   */
  env: [string, string][]
  /** --unsetenv: default or image variables to leave out */
  unsetenv: string[]
  /** --unsetenv-all */
  unsetenvAll: boolean
  /** --cap-add, normalised (CAP_NAME or ALL), sorted */
  capAdd: string[]
  /** --cap-drop, normalised */
  capDrop: string[]
  /** -v and --tmpfs, in the order given (binds and volumes first, as Podman merges them) */
  mounts: MountSpec[]
  /** --volumes-from, in the order given (a later one wins at a destination; -v, --mount and --tmpfs win over all) */
  volumesFrom?: VolumesFromSpec[]
  devices: DeviceSpec[]
  /** --hostname; absent: Podman's default for the network */
  hostname?: string
  network: NetworkMode
  /** --pod: the pod's id once create has resolved it (the name or id as given before) */
  pod?: string
  /** a pod's service container (kube play --service-container) */
  isService?: boolean
  /** OCI annotations set by the caller (kube play: the pod's); absent in older records */
  annotations?: Record<string, string>
  /** --ipc, --uts, --pid; absent in records older than them: shareable, private, private */
  ipc?: NamespaceMode
  uts?: NamespaceMode
  pid?: NamespaceMode
  /** -p/--publish, merged as Podman merges them; a host port 0 is picked at each start */
  ports: PortMapping[]
  extraHosts: ExtraHost[]
  /** --no-hosts */
  noHosts: boolean
  /** --dns, --dns-search, --dns-option; absent: the host's */
  dns?: string[]
  dnsSearch?: string[]
  dnsOption?: string[]
  readOnly: boolean
  /** --read-only-tmpfs (default true): tmpfs on /tmp, /var/tmp and /run with --read-only */
  readOnlyTmpfs: boolean
  /** --init */
  init: boolean
  /** --init-path: the init binary on the host */
  initPath?: string
  userns: UsernsMode
  security: SecurityOptions
  /** --privileged: every capability the user has, the host's devices, no seccomp, no masked or read-only paths; absent in older records */
  privileged?: boolean
  /** --rm */
  autoRemove: boolean
  /** --restart; absent in records made before it: none */
  restart?: RestartPolicy
  /** --runtime: an external OCI runtime (name or path) */
  runtime?: string
  /** --ulimit: limits in place of the defaults of their types; absent: the defaults */
  ulimits?: OciRlimit[]
  /** --sysctl: key to value, over containers.conf's default_sysctls; absent: none given */
  sysctls?: Record<string, string>
  /** the global --runtime-flag, each as the runtime gets it (--FLAG), before its verb; absent: none */
  runtimeFlags?: string[]
  /** --preserve-fds: the caller's fds 3 .. 3+N-1 go into the container at each foreground start */
  preserveFds?: number
  /** --image-volume; absent: containers.conf's image_volume_mode, else bind */
  imageVolume?: ImageVolumeMode
  /** --conmon-pidfile, absolute */
  monitorPidFile?: string
  /** --sdnotify and the $NOTIFY_SOCKET it applies to; absent: container, no socket */
  sdNotify?: SdNotify
  /** --cgroups; absent: enabled */
  cgroups?: CgroupsMode
  /** the command line that created it (Podman's CreateCommand): what `generate systemd --new` runs again */
  createCommand?: string[]
  /** --timeout seconds; absent or 0: none */
  timeout?: number
  /** --tz: a zone under /usr/share/zoneinfo, or local */
  timezone?: string
  /** --stop-timeout seconds */
  stopTimeout?: number
  /** --stop-signal: overrides the image's StopSignal */
  stopSignal?: number
  /** --log-driver, --log-opt */
  log: LogConfig
  /** --health-cmd and its companions, or --no-healthcheck (Test NONE); absent: the image's */
  healthcheck?: HealthConfig
  /** --health-on-failure; absent: none */
  healthOnFailure?: HealthOnFailure
}
