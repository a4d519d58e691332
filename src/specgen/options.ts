// The options of `podman create` and `run` as a front end receives them: strings in Podman's
// flag syntax, named after its flags. parse.ts turns them into a ContainerSpec; nothing else
// reads them.
import type {HealthcheckOptions} from './healthcheck'

export interface ContainerOptions {
  /** --name */
  name?: string
  /** --label KEY=VALUE or KEY */
  labels?: string[]
  /** --rm */
  autoRemove?: boolean
  /** --restart POLICY[:RETRIES] */
  restart?: string
  /** --user name|uid[:group|gid] */
  user?: string
  /** --hostuser */
  hostUsers?: string[]
  /** --secret NAME[,type=mount|env,target=,uid=,gid=,mode=] */
  secrets?: string[]
  /** --group-add: names, gids, or keep-groups alone */
  groupAdd?: string[]
  /** -e/--env KEY=VAL, KEY (the host's value) or PREFIX* */
  env?: string[]
  /** --env-file paths */
  envFile?: string[]
  /** --env-host */
  envHost?: boolean
  /** --unsetenv NAME: a default or image variable to leave out */
  unsetenv?: string[]
  /** --unsetenv-all */
  unsetenvAll?: boolean
  /** --http-proxy (default true): copy the host's proxy variables */
  httpProxy?: boolean
  /** --entrypoint: a command, or a JSON array */
  entrypoint?: string
  /** the command and its arguments after the image */
  args?: string[]
  /** -w/--workdir */
  workdir?: string
  /** -t/--tty */
  tty?: boolean
  /** -i/--interactive */
  interactive?: boolean
  /** --cap-add */
  capAdd?: string[]
  /** --cap-drop */
  capDrop?: string[]
  /** -v/--volume [SRC:]DST[:OPTIONS] */
  volumes?: string[]
  /** --tmpfs DST[:OPTIONS] */
  tmpfs?: string[]
  /** --mount type=bind|volume|tmpfs,KEY=VALUE,... */
  mount?: string[]
  /** --volumes-from CONTAINER[:ro|rw|z] */
  volumesFrom?: string[]
  /** --device HOST[:CONTAINER][:PERMISSIONS] */
  devices?: string[]
  /** --hostname */
  hostname?: string
  /** --network: host, none, private, slirp4netns, or ns:PATH */
  network?: string
  /** --network-alias, --ip, --mac-address: for the first named network */
  networkAliases?: string[]
  ip?: string
  macAddress?: string
  /** --pod: a pod's name or id, or new:NAME */
  pod?: string
  /** --ipc, --uts, --pid: a namespace mode (host, private, container:X, ns:PATH; ipc also shareable, none) */
  ipc?: string
  uts?: string
  pid?: string
  /** -p/--publish [[ip:][hostPort]:]containerPort[/protocol] */
  publish?: string[]
  /** --add-host NAME:IP */
  addHost?: string[]
  /** --no-hosts */
  noHosts?: boolean
  dns?: string[]
  dnsSearch?: string[]
  dnsOption?: string[]
  /** --read-only */
  readOnly?: boolean
  /** --read-only-tmpfs (default true) */
  readOnlyTmpfs?: boolean
  /** --init */
  init?: boolean
  /** --init-path */
  initPath?: string
  /** --userns */
  userns?: string
  /** --security-opt no-new-privileges (a shorthand the kube and REST front ends have) */
  noNewPrivileges?: boolean
  /** --security-opt */
  securityOpt?: string[]
  /** --privileged */
  privileged?: boolean
  /** --preserve-fds */
  preserveFds?: number
  /** --image-volume */
  imageVolume?: string
  /** --runtime */
  runtime?: string
  /** --sysctl KEY=VALUE */
  sysctl?: string[]
  /** --ulimit TYPE=SOFT[:HARD] */
  ulimit?: string[]
  /** the global --runtime-flag, as given (without the leading --) */
  runtimeFlags?: string[]
  /** --conmon-pidfile */
  monitorPidFile?: string
  /** --sdnotify container|conmon|ignore */
  sdNotify?: string
  /** --cgroups enabled|disabled|no-conmon|split */
  cgroups?: string
  /** --timeout seconds */
  timeout?: number
  /** --tz */
  timezone?: string
  /** --stop-timeout seconds */
  stopTimeout?: number
  /** --stop-signal, as a number */
  stopSignal?: number
  /** --log-driver */
  logDriver?: string
  /** --log-opt KEY=VALUE */
  logOptions?: string[]
  /** --memory SIZE (0: no limit) */
  memory?: string
  /** --kernel-memory: accepted and ignored, as Podman 4 */
  kernelMemory?: string
  /** --health-cmd, --health-interval, --health-retries, --health-timeout, --health-start-period, --no-healthcheck */
  healthcheck?: HealthcheckOptions
  /** --health-on-failure */
  healthOnFailure?: string
}
