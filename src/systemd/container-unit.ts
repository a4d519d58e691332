// A container's systemd unit, as Podman 4.3.1's pkg/systemd/generate/containers.go writes it:
// a forking unit that starts and stops the existing container, or with --new a notify unit
// that runs it again from its create command and removes it when stopped.
import {TspodError, UsageError} from '../errors'
import {lastValue, parseKnownFlags, withoutCommonContainerFlags, withoutPodFlags, withoutSdNotify, withoutWords} from './create-args'
import type {SystemdOptions, UnitContainer, UnitEnvironment} from './options'
import {
  DEFAULT_RESTART_POLICY,
  MIN_TIMEOUT_STOP_SEC,
  UNIT_ENV_VARIABLE,
  checkRestartPolicy,
  escapeSystemdArg,
  formatOptions,
  serviceName,
  unitHeader,
  userDependencies,
} from './unit-text'

/** The pod a container's unit belongs to: its service, and (with --new) the file its id is in. */
export interface PodOfUnit {
  serviceName: string
  podIdFile: string
}

const CONTAINER_ID_FILE = '%t/%n.ctr-id'

/** The container's id, or its name with --name, and the unit's name. */
export function containerServiceName(container: {id: string; name: string}, options: SystemdOptions): {nameOrId: string; serviceName: string} {
  const nameOrId = options.name ? container.name : container.id
  return {nameOrId, serviceName: serviceName(options.containerPrefix, options.separator, nameOrId)}
}

export interface ContainerUnitInput {
  container: UnitContainer
  /** the units it is bound to (its pod's, the containers it depends on), without .service */
  boundTo?: string[]
  pod?: PodOfUnit
}

/** The unit's name (without .service) and its text. */
export function containerUnit(input: ContainerUnitInput, options: SystemdOptions, env: UnitEnvironment): {name: string; text: string} {
  const {container} = input
  if (options.new && container.createCommand === undefined) {
    throw new TspodError(`cannot use --new on container "${container.id}": no create command found: only works on containers created directly with podman but not via REST API`)
  }
  if (!options.new && container.restartPolicy !== '' && container.restartPolicy !== 'no') {
    env.onWarning(`Container ${container.id} has restart policy "${container.restartPolicy}" which can lead to issues on shutdown: consider recreating the container without a restart policy and use systemd's restart mechanism instead`)
  }
  const {nameOrId, serviceName: name} = containerServiceName(container, options)
  let restartPolicy = DEFAULT_RESTART_POLICY
  if (options.restartPolicy !== undefined) {
    checkRestartPolicy(options.restartPolicy)
    restartPolicy = options.restartPolicy
  }
  const stopTimeout = options.stopTimeout ?? container.stopTimeout
  const exe = env.executable
  const extraEnvs: string[] = []
  let startLimitBurst = ''
  const service: string[] = []
  let execStartPre: string | undefined
  let execStart = `${exe} start ${nameOrId}`
  // `stop  \` with two blanks: Podman's template leaves an empty word before -t
  let execStop = formatOptions([exe, 'stop', '', '-t', `${stopTimeout} ${nameOrId}`])
  let execStopPost = execStop
  let pidFile: string | undefined = container.pidFile
  let type = 'forking'
  let notifyAccess: string | undefined
  if (options.new) {
    type = 'notify'
    notifyAccess = 'all'
    pidFile = undefined
    execStartPre = formatOptions(['/bin/rm', '-f', CONTAINER_ID_FILE])
    // `--ignore -t N` on one line, as Podman's template splits it
    execStop = formatOptions([exe, 'stop', `--ignore -t ${stopTimeout}`, `--cidfile=${CONTAINER_ID_FILE}`])
    execStopPost = formatOptions([exe, 'rm', '-f', `--ignore -t ${stopTimeout}`, `--cidfile=${CONTAINER_ID_FILE}`])
    const run = runCommand(input, options, name, (policy, burst) => {
      restartPolicy = policy
      startLimitBurst = burst
    }, extraEnvs, exe)
    execStart = formatOptions(run)
  }
  service.push(`Environment=${UNIT_ENV_VARIABLE}=%n${options.template ? '-%i' : ''}`)
  if (extraEnvs.length > 0) service.push(`Environment=${extraEnvs.join(' ')}`)
  for (const variable of options.env) service.push(`Environment=${escapeSystemdArg(variable)}`)
  service.push(`Restart=${restartPolicy}`)
  if (startLimitBurst !== '') service.push(`StartLimitBurst=${startLimitBurst}`)
  if (options.startTimeout) service.push(`TimeoutStartSec=${options.startTimeout}`)
  service.push(`TimeoutStopSec=${MIN_TIMEOUT_STOP_SEC + stopTimeout}`)
  if (execStartPre) service.push(`ExecStartPre=${execStartPre}`)
  service.push(`ExecStart=${execStart}`, `ExecStop=${execStop}`, `ExecStopPost=${execStopPost}`)
  if (pidFile) service.push(`PIDFile=${pidFile}`)
  service.push(`Type=${type}`)
  if (notifyAccess) service.push(`NotifyAccess=${notifyAccess}`)

  const bound = [...(input.boundTo ?? [])].sort()
  let text = unitHeader(name, options.noHeader ? undefined : {generator: env.generator, time: env.now}, options.new ? '%t/containers' : env.runRoot, options.template)
  if (bound.length > 0) text += `BindsTo=${bound.map((b) => `${b}.service`).join(' ')}\nAfter=${bound.map((b) => `${b}.service`).join(' ')}\n`
  text += userDependencies(options)
  text += `\n[Service]\n${service.join('\n')}\n\n[Install]\nWantedBy=default.target\n`
  return {name, text}
}

/**
 * The create command made a `run` that systemd can follow: detached, writing its id to the
 * unit's id file, notifying through the monitor, removed when it ends, replacing a container of
 * the same name left behind; the restart policy it was made with becomes the unit's.
 */
function runCommand(
  input: ContainerUnitInput,
  options: SystemdOptions,
  unitName: string,
  setRestart: (policy: string, burst: string) => void,
  extraEnvs: string[],
  exe: string,
): string[] {
  const {container} = input
  const created = container.createCommand!
  const verb = created.findIndex((word) => word === 'run' || word === 'create')
  if (verb < 0) throw new TspodError(`container's create command is too short or invalid: [${created.join(' ')}]`)
  const rootFlags = created.slice(1, verb)
  const start = [exe, ...rootFlags, 'run', `--cidfile=${CONTAINER_ID_FILE}`, '--cgroups=no-conmon', '--rm']
  let remaining = created.slice(verb + 1)
  const parsed = parseKnownFlags(remaining, [
    {long: 'detach', short: 'd', kind: 'bool'},
    {long: 'name', kind: 'string'},
    {long: 'replace', kind: 'bool'},
    {long: 'env', short: 'e', kind: 'array'},
    {long: 'sdnotify', kind: 'string'},
    {long: 'restart', kind: 'string'},
    // -h is --hostname to run: known here so that its value is not taken for the image
    {long: 'help', short: 'h', kind: 'string'},
  ])
  const argCount = parsed.nArg
  remaining = withoutCommonContainerFlags(remaining, argCount)
  if (input.pod) {
    start.push('--pod-id-file', input.pod.podIdFile)
    remaining = withoutPodFlags(remaining, argCount)
  }
  const detach = lastValue(parsed, 'detach')
  const replace = lastValue(parsed, 'replace')
  const sdnotify = lastValue(parsed, 'sdnotify')
  if (sdnotify === undefined) {
    start.push('--sdnotify=conmon')
  } else if (sdnotify === 'ignore') {
    // a notify unit would never hear from an ignored notification: the monitor's it is
    remaining = withoutSdNotify(remaining, argCount)
    start.push('--sdnotify=conmon')
  }
  if (detach === undefined || !goTrue(detach)) {
    start.push('-d')
    if (detach !== undefined) remaining = withoutWords(remaining, argCount, ['-d=false', '--detach=false'])
  }
  if (lastValue(parsed, 'name') !== undefined && (replace === undefined || !goTrue(replace))) {
    start.push('--replace')
    if (replace !== undefined) remaining = withoutWords(remaining, argCount, ['--replace=false'])
  }
  if (options.restartPolicy === undefined) {
    const restart = lastValue(parsed, 'restart') ?? ''
    if (restart.startsWith('on-failure:')) setRestart('on-failure', restart.split(':')[1])
    else if (restart === 'unless-stopped') setRestart('always', '')
    else if (restart !== '') setRestart(restart, '')
  }
  for (const variable of parsed.values.get('env') ?? []) {
    if (variable.includes('=')) continue
    // a bare KEY took the creator's value: the unit must give it again
    for (const entry of container.env) if (entry.split('=')[0] === variable) extraEnvs.push(escapeSystemdArg(entry))
  }
  let words = [...start, ...remaining]
  // the id file and pod id file are systemd specifiers: escaped, they would not expand
  words = words.map((w) => (w === `--cidfile=${CONTAINER_ID_FILE}` || w === input.pod?.podIdFile ? w : escapeSystemdArg(w)))
  if (options.template) words = withInstanceName(words, unitName)
  return words
}

function goTrue(value: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)
}

/** --template: the container's --name gets the instance (-%i); without one, it is named UNIT-%i. */
function withInstanceName(words: string[], unitName: string): string[] {
  const out = [...words]
  const flag = out.findIndex((w) => w === '--name' || w.startsWith('--name='))
  if (flag >= 0) {
    const at = out[flag] === '--name' ? flag + 1 : flag
    out[at] = `${out[at]}-%i`
    return out
  }
  const run = out.indexOf('run')
  if (run < 0) throw new UsageError('"run" is missing in the command arguments')
  out.splice(run + 1, 0, `--name=${unitName}-%i`)
  return out
}
