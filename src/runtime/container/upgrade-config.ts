// Container records written before the typed ContainerSpec kept the create options as given
// (`options`, Podman's flag syntax) and the -p values (`publish`). This turns such a record into
// today's form. Those options were checked when the container was created, so the pure parsers
// accept them again; what was read from the host then is taken from what the container kept:
// a relative -v source from its spec's mount, the variables -e KEY and --env-host copied from
// its process environment (--env-file files are not read again: their values are in that
// environment already).
import type {ContainerSpec, MountSpec} from '../../specgen/container-spec'
import {resolveEnv} from '../../specgen/env'
import {parseDevice} from '../../specgen/devices'
import {splitGroupAdd} from '../../specgen/groups'
import {parseExtraHosts} from '../../specgen/hosts'
import {parseNetwork} from '../../specgen/network'
import {parseSecurityOpts} from '../../specgen/security-opt'
import {parseUserns} from '../../specgen/userns'
import {validateContainerDir} from '../../specgen/volumes'
import {parsePublish} from '../network/publish'
import type {OciSpec} from '../oci-spec'
import {ALL, CAPABILITY_NAMES} from '../spec/capabilities'
import {parseEntrypoint} from '../spec/command'
import {type ContainerConfig, isLegacyConfig} from './config'
import {DEFAULT_LOG_CONFIG} from './log-config'

export {isLegacyConfig}

/** The options a record of the old form holds (RunOptions and CreateOptions as they were). */
interface LegacyOptions {
  name?: string
  labels?: Record<string, string>
  user?: string
  groupAdd?: string[]
  env?: string[]
  envHost?: boolean
  httpProxy?: boolean
  unsetenv?: string[]
  unsetenvAll?: boolean
  entrypoint?: string
  args?: string[]
  workdir?: string
  tty?: boolean
  interactive?: boolean
  capAdd?: string[]
  capDrop?: string[]
  volumes?: string[]
  tmpfs?: string[]
  devices?: string[]
  hostname?: string
  readOnly?: boolean
  readOnlyTmpfs?: boolean
  init?: boolean
  initPath?: string
  userns?: string
  noNewPrivileges?: boolean
  securityOpt?: string[]
  addHost?: string[]
  noHosts?: boolean
  dns?: string[]
  dnsSearch?: string[]
  dnsOption?: string[]
  runtime?: string
  monitorPidFile?: string
  timeout?: number
  timezone?: string
  stopTimeout?: number
}

type LegacyConfig = Omit<ContainerConfig, 'containerSpec' | 'ports'> & {options: LegacyOptions; publish?: string[]}


function capabilities(names: string[] | undefined): string[] {
  const normal = (names ?? []).map((n) => {
    const upper = n.toUpperCase()
    return upper === ALL || upper.startsWith('CAP_') ? upper : `CAP_${upper}`
  })
  return [...new Set(normal)].filter((c) => c === ALL || CAPABILITY_NAMES.includes(c)).sort()
}

function mounts(options: LegacyOptions, spec: OciSpec): MountSpec[] {
  const out: MountSpec[] = []
  const seen = new Set<string>()
  const add = (m: MountSpec): void => {
    if (seen.has(m.destination)) return
    seen.add(m.destination)
    out.push(m)
  }
  const tmpfs: MountSpec[] = []
  for (const value of options.volumes ?? []) {
    const parts = value.split(':')
    const source = parts.length === 1 ? '' : parts[0]
    const destination = validateContainerDir(parts.length === 1 ? parts[0] : parts[1])
    const opts = parts.length > 2 ? parts[2].split(',').filter((o) => o !== 'cached' && o !== 'delegated') : []
    if (source.startsWith('/') || source.startsWith('.')) {
      const kept = (spec.mounts ?? []).find((m) => m.destination === destination)?.source
      add({type: 'bind', source: source.startsWith('.') ? (kept ?? source) : source, destination, options: opts})
    } else {
      add({type: 'volume', name: source, destination, options: opts})
    }
  }
  // binds before volumes, as the parser orders them
  out.sort((a, b) => (a.type === b.type ? 0 : a.type === 'bind' ? -1 : 1))
  for (const value of options.tmpfs ?? []) {
    const colon = value.indexOf(':')
    const destination = validateContainerDir(colon < 0 ? value : value.slice(0, colon))
    if (seen.has(destination)) continue
    seen.add(destination)
    tmpfs.push({type: 'tmpfs', destination, options: colon < 0 ? [] : value.slice(colon + 1).split(',')})
  }
  return [...out, ...tmpfs]
}

function containerSpecOf(legacy: LegacyConfig): ContainerSpec {
  const options = legacy.options ?? {}
  const processEnv = Object.fromEntries((legacy.spec.process.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
  const security = parseSecurityOpts(options.securityOpt)
  if (options.noNewPrivileges !== undefined && security.noNewPrivileges === undefined) security.noNewPrivileges = options.noNewPrivileges
  const {groups, keepGroups} = splitGroupAdd(options.groupAdd ?? [])
  return {
    name: options.name,
    labels: options.labels ?? {},
    command: options.args && options.args.length > 0 ? options.args : undefined,
    entrypoint: options.entrypoint === undefined ? undefined : parseEntrypoint(options.entrypoint),
    workdir: options.workdir || undefined,
    tty: options.tty ?? false,
    interactive: options.interactive ?? false,
    user: options.user || undefined,
    groups,
    keepGroups,
    env: resolveEnv({env: options.env, envHost: options.envHost, httpProxy: options.httpProxy}, processEnv),
    unsetenv: options.unsetenv ?? [],
    unsetenvAll: options.unsetenvAll ?? false,
    capAdd: capabilities(options.capAdd),
    capDrop: capabilities(options.capDrop),
    mounts: mounts(options, legacy.spec),
    devices: (options.devices ?? []).filter((d) => d !== '').map(parseDevice),
    hostname: options.hostname,
    network: parseNetwork(legacy.network),
    ports: parsePublish(legacy.publish ?? []),
    extraHosts: parseExtraHosts(options.addHost ?? []),
    noHosts: options.noHosts ?? false,
    dns: options.dns,
    dnsSearch: options.dnsSearch,
    dnsOption: options.dnsOption,
    readOnly: options.readOnly ?? false,
    readOnlyTmpfs: options.readOnlyTmpfs ?? true,
    init: options.init ?? false,
    initPath: options.initPath,
    userns: parseUserns(options.userns),
    security,
    autoRemove: legacy.autoRemove,
    runtime: options.runtime,
    monitorPidFile: legacy.monitorPidFile,
    timeout: legacy.timeout,
    timezone: options.timezone,
    stopTimeout: options.stopTimeout,
    log: legacy.log ?? DEFAULT_LOG_CONFIG,
  }
}

/** A stored config in today's form: a legacy one converted, any other returned as it is. */
export function upgradeConfig(stored: ContainerConfig | LegacyConfig): ContainerConfig {
  if (!isLegacyConfig(stored)) return stored as ContainerConfig
  const legacy = stored as LegacyConfig
  const containerSpec = containerSpecOf(legacy)
  // the options and -p values as given are dropped: containerSpec holds them parsed
  const {options, publish, ...rest} = legacy
  return {...rest, containerSpec, ports: containerSpec.ports}
}
