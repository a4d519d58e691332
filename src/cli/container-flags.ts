// Flags shared by `create` and `run`, and the container spec they give.
import {Flags, Interfaces} from '@oclif/core'

import {ContainerOptions, ContainerSpec, parseContainerSpec} from '../engine/container-spec'
import {pullFlags} from './image-flags'
import {podOf} from './pod-id-file'
import {parseSignal} from './signal'

const many = {multiple: true, multipleNonGreedy: true} as const

export const createFlags = {
  name: Flags.string({description: 'Assign a name to the container'}),
  label: Flags.string({char: 'l', ...many, description: 'Set metadata on container (KEY[=VALUE])'}),
  rm: Flags.boolean({description: 'Remove container and any anonymous unnamed volume associated with the container after exit'}),
  interactive: Flags.boolean({char: 'i', description: 'Make STDIN available to the contained process'}),
  tty: Flags.boolean({char: 't', description: 'Allocate a pseudo-TTY for container'}),
  env: Flags.string({char: 'e', ...many, description: 'Set environment variables in container'}),
  'env-file': Flags.string({...many, description: 'Read in a file of environment variables'}),
  'env-host': Flags.boolean({description: 'Use all current host environment variables in container'}),
  'http-proxy': Flags.boolean({allowNo: true, description: "Set proxy environment variables in the container based on the host proxy vars (default: containers.conf's http_proxy, else true)"}),
  unsetenv: Flags.string({...many, description: 'Unset environment default variables in container'}),
  'unsetenv-all': Flags.boolean({description: 'Unset all default environment variables in container'}),
  user: Flags.string({char: 'u', description: 'Username or UID (format: <name|uid>[:<group|gid>])'}),
  hostuser: Flags.string({...many, description: 'Host user account (name or uid) to add to /etc/passwd within the container'}),
  secret: Flags.string({...many, description: 'Add secret to container (NAME[,type=mount|env][,target=T][,uid=U][,gid=G][,mode=M])'}),
  workdir: Flags.string({char: 'w', description: 'Working directory inside the container'}),
  entrypoint: Flags.string({description: 'Overwrite the default ENTRYPOINT of the image'}),
  hostname: Flags.string({char: 'h', description: 'Set container hostname'}),
  'group-add': Flags.string({...many, description: "Add additional groups to the primary container process. 'keep-groups' allows container processes to use supplementary groups."}),
  'cap-add': Flags.string({...many, description: 'Add capabilities to the container'}),
  'cap-drop': Flags.string({...many, description: 'Drop capabilities from the container'}),
  volume: Flags.string({char: 'v', ...many, description: 'Bind mount a volume into the container (SRC:DST[:ro])'}),
  mount: Flags.string({...many, description: 'Attach a filesystem mount to the container: type=bind,source=PATH,destination=DIR[,ro][,bind-propagation=P][,U] | type=volume[,source=NAME],destination=DIR[,ro] | type=tmpfs,destination=DIR[,tmpfs-size=SIZE][,tmpfs-mode=MODE]'}),
  tmpfs: Flags.string({...many, description: 'Mount a temporary filesystem (tmpfs) into a container'}),
  'volumes-from': Flags.string({...many, description: 'Mount volumes from the specified container(s) (CONTAINER[:ro|rw|z])'}),
  device: Flags.string({...many, description: 'Add a host device to the container (HOST[:CONTAINER][:PERMISSIONS])'}),
  'read-only': Flags.boolean({description: 'Make containers root filesystem read-only'}),
  network: Flags.string({aliases: ['net'], description: 'Connect a container to a network: pasta[:OPTIONS] or slirp4netns (the default is pasta when it works, else slirp4netns, as Podman 5; containers.conf default_rootless_network_cmd), host, none, container:NAME|ID, ns:PATH, or named networks NAME[,NAME...] or NAME:alias=A,ip=IP,mac=MAC'}),
  'network-alias': Flags.string({...many, description: 'Add network-scoped alias for the container'}),
  ip: Flags.string({description: 'Specify a static IPv4 address for the container'}),
  'mac-address': Flags.string({description: 'Container MAC address (e.g. 92:d0:c6:0a:29:33)'}),
  pod: Flags.string({description: 'Run container in an existing pod, or a new one with new:NAME'}),
  'pod-id-file': Flags.string({description: 'Run container in an existing pod and read the pod\'s ID from the specified file'}),
  ipc: Flags.string({description: 'IPC namespace to use: host, private, shareable, none, container:NAME|ID or ns:PATH'}),
  uts: Flags.string({description: 'UTS namespace to use: host, private, container:NAME|ID or ns:PATH'}),
  pid: Flags.string({description: 'PID namespace to use: private, container:NAME|ID or ns:PATH'}),
  'add-host': Flags.string({...many, description: 'Add a custom host-to-IP mapping (host:ip)'}),
  'no-hosts': Flags.boolean({description: 'Do not create /etc/hosts within the container, instead use the version from the image'}),
  dns: Flags.string({...many, description: 'Set custom DNS servers'}),
  'dns-search': Flags.string({...many, description: 'Set custom DNS search domains'}),
  'dns-option': Flags.string({...many, aliases: ['dns-opt'], description: 'Set custom DNS options'}),
  publish: Flags.string({char: 'p', ...many, description: 'Publish a container\'s port, or a range of ports, to the host ([[ip:][hostPort]:]containerPort[/protocol])'}),
  init: Flags.boolean({description: 'Run an init binary inside the container that forwards signals and reaps processes'}),
  'init-path': Flags.string({description: 'Path to the container-init binary'}),
  userns: Flags.string({...many, description: "User namespace to use: '' or host (the user's ranges, the default), keep-id[:uid=,gid=,size=], nomap (the subordinate ranges only); the last one given wins"}),
  pull: Flags.string({options: ['always', 'missing', 'never', 'newer'], default: 'missing', description: 'Pull image policy: always, missing (the default), never; newer pulls only when missing (tspod does not compare with the registry)'}),
  quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pulling images'}),
  privileged: Flags.boolean({description: 'Give extended privileges to container: every capability the user has, the host\'s devices, no seccomp filter, no masked or read-only kernel paths'}),
  'security-opt': Flags.string({...many, description: 'Security options: seccomp=unconfined|PROFILE.json, no-new-privileges, label=disable, apparmor=unconfined, mask=PATHS, unmask=ALL|PATHS'}),
  'log-driver': Flags.string({description: 'Logging driver for the container: k8s-file (the default), json-file (the same file) or none'}),
  'log-opt': Flags.string({...many, description: 'Logging driver options: max-size=SIZE, path=FILE, tag=TAG'}),
  'image-volume': Flags.string({description: 'Tells tspod how to handle the builtin image volumes ("bind"|"tmpfs"|"ignore"); default: containers.conf\'s image_volume_mode, else bind'}),
  'preserve-fds': Flags.integer({min: 0, description: 'Pass a number of additional file descriptors into the container (3 .. 3+N-1, as given to tspod; a foreground run only)'}),
  'conmon-pidfile': Flags.string({description: "Path to the file that will receive the PID of the container's monitor (tspod's own conmon; the tspod process itself for a foreground run)"}),
  sdnotify: Flags.string({description: 'control sd-notify behavior ("container"|"conmon"|"ignore"): with $NOTIFY_SOCKET set, conmon: tspod\'s monitor sends MAINPID (its own pid) and READY=1 once the container runs; container (the default): the monitor sends MAINPID and the socket is bind-mounted at /run/notify/notify.sock with NOTIFY_SOCKET set, for the container\'s program to send READY=1; ignore: nothing'}),
  cgroups: Flags.string({description: 'control container cgroup configuration ("enabled"|"disabled"|"no-conmon"|"split"): tspod creates no cgroups (rootless here, neither does Podman), so enabled, disabled and no-conmon only record the mode (inspect\'s HostConfig.Cgroups); split needs tspod\'s own cgroup in a cgroup v2 hierarchy at each start'}),
  sysctl: Flags.string({...many, description: 'Sysctl options (KEY=VALUE: net.*, fs.mqueue.*, kernel.msg*, kernel.sem, kernel.shm*), over containers.conf\'s default_sysctls'}),
  tz: Flags.string({...many, description: 'Set timezone in container: a zone under /usr/share/zoneinfo (Europe/Berlin, UTC, MST7MDT) or local (the host\'s /etc/localtime)'}),
  timeout: Flags.integer({min: 0, description: 'Maximum time a container is allowed to run before it is killed (SIGKILL; its exit code is then -1, as Podman\'s)'}),
  cidfile: Flags.string({description: 'Write the container ID to the file'}),
  restart: Flags.string({description: 'Restart policy to apply when a container exits ("always"|"no"|"on-failure"|"unless-stopped")'}),
  replace: Flags.boolean({description: 'If a container with the same name exists, replace it'}),
  'stop-signal': Flags.string({description: 'Signal to stop a container (a name as SIGTERM or TERM, or a number); default: the image\'s StopSignal, else SIGTERM'}),
  'stop-timeout': Flags.integer({description: 'Timeout (in seconds) that containers stopped by user command have to exit. If exceeded, the container will be forcibly stopped via SIGKILL.'}),
  memory: Flags.string({char: 'm', description: 'Memory limit (format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g (gibibytes)); 0: no limit'}),
  'kernel-memory': Flags.string({description: 'Kernel memory limit: no longer supported, a no-op (with a warning), as in Podman 4'}),
  'health-cmd': Flags.string({description: "set a healthcheck command for the container ('none' disables the existing healthcheck)"}),
  'health-interval': Flags.string({description: 'set an interval for the healthchecks (a value of disable results in no automatic timer setup) (default "30s")'}),
  'health-on-failure': Flags.string({description: 'action to take once the container turns unhealthy (default "none")'}),
  'health-retries': Flags.custom<string>({
    description: 'the number of retries allowed before a healthcheck is considered to be unhealthy (default 3)',
    // a uint flag: pflag refuses what is not one
    parse: async (value) => {
      if (!/^\+?\d+$/.test(value)) throw new Error(`invalid argument ${JSON.stringify(value)} for "--health-retries" flag: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`)
      return value
    },
  })(),
  'health-start-period': Flags.string({description: 'the initialization time needed for a container to bootstrap (default "0s")'}),
  'health-timeout': Flags.string({description: 'the maximum time allowed to complete the healthcheck before an interval is considered failed (default "30s")'}),
  'no-healthcheck': Flags.boolean({description: 'Disable healthchecks on container'}),
  ...pullFlags,
}

/** Told each warning the options give; plain: Podman prints it as a bare line, not a log entry. */
export type SpecWarn = (text: string, plain: boolean) => void

export type CreateFlagValues = Partial<Interfaces.InferredFlags<typeof createFlags>> & {
  /** the global --runtime */
  runtime?: string
  /** the global --runtime-flag */
  'runtime-flag'?: string[]
}

/** The flags in specgen's terms, still as given. */
export function containerOptionsOf(f: CreateFlagValues, args: string[]): ContainerOptions {
  return {
    name: f.name,
    labels: f.label,
    autoRemove: f.rm,
    restart: f.restart,
    env: f.env,
    envFile: f['env-file'],
    envHost: f['env-host'],
    httpProxy: f['http-proxy'],
    unsetenv: f.unsetenv,
    unsetenvAll: f['unsetenv-all'],
    user: f.user,
    hostUsers: f.hostuser,
    secrets: f.secret,
    workdir: f.workdir,
    entrypoint: f.entrypoint,
    hostname: f.hostname,
    groupAdd: f['group-add'],
    capAdd: f['cap-add'],
    capDrop: f['cap-drop'],
    volumes: f.volume,
    tmpfs: f.tmpfs,
    mount: f.mount,
    volumesFrom: f['volumes-from'],
    devices: f.device,
    readOnly: f['read-only'],
    network: f.network,
    networkAliases: f['network-alias'],
    ip: f.ip,
    macAddress: f['mac-address'],
    pod: podOf(f.pod, f['pod-id-file']),
    ipc: f.ipc,
    uts: f.uts,
    pid: f.pid,
    publish: f.publish,
    addHost: f['add-host'],
    noHosts: f['no-hosts'],
    dns: f.dns,
    dnsSearch: f['dns-search'],
    dnsOption: f['dns-option'],
    stopTimeout: f['stop-timeout'],
    stopSignal: f['stop-signal'] === undefined ? undefined : parseSignal(f['stop-signal']),
    timeout: f.timeout,
    // Podman's last --tz wins
    timezone: f.tz?.at(-1),
    monitorPidFile: f['conmon-pidfile'],
    sdNotify: f.sdnotify,
    cgroups: f.cgroups,
    securityOpt: f['security-opt'],
    privileged: f.privileged,
    logDriver: f['log-driver'],
    logOptions: f['log-opt'],
    init: f.init,
    initPath: f['init-path'],
    userns: f.userns?.at(-1),
    runtime: f.runtime,
    imageVolume: f['image-volume'],
    preserveFds: f['preserve-fds'],
    runtimeFlags: f['runtime-flag'],
    args: args.length > 0 ? args : undefined,
    tty: f.tty,
    interactive: f.interactive,
    memory: f.memory,
    kernelMemory: f['kernel-memory'],
    sysctl: f.sysctl,
    healthcheck: {
      cmd: f['health-cmd'],
      interval: f['health-interval'],
      retries: f['health-retries'],
      timeout: f['health-timeout'],
      startPeriod: f['health-start-period'],
      disabled: f['no-healthcheck'],
    },
    healthOnFailure: f['health-on-failure'],
  }
}

/** The flags parsed and checked: a bad value fails here (UsageError, exit 125), before anything is created. */
export function containerSpecOf(flags: CreateFlagValues, args: string[], warn?: SpecWarn): ContainerSpec {
  return parseContainerSpec(containerOptionsOf(flags, args), {warn})
}
