// A pod's systemd units, as Podman 4.3.1's pkg/systemd/generate/pods.go writes them: the pod's
// own unit (its infra container's, or with --new one that creates the pod from its create
// command), which wants each container's unit, each bound to it.
import {TspodError, UsageError} from '../errors'
import {ContainerUnitInput, containerServiceName, containerUnit} from './container-unit'
import {lastValue, parseKnownFlags, withoutPodFlags, withoutWords} from './create-args'
import type {SystemdOptions, UnitContainer, UnitEnvironment, UnitPod} from './options'
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

/** The units by name (without .service): the pod's first, then its containers' by name. */
export function podUnits(pod: UnitPod, options: SystemdOptions, env: UnitEnvironment): Map<string, string> {
  if (options.template) throw new UsageError('--template is not supported for pods')
  const infra = pod.infra
  if (!infra) throw new TspodError(`generating systemd unit files: Pod "${pod.name}" has no infra container`)
  if (options.new && (pod.createCommand === undefined || pod.createCommand.length === 0)) {
    throw new TspodError(`cannot use --new on pod "${pod.id}": no create command found`)
  }
  const podService = serviceName(options.podPrefix, options.separator, options.name ? pod.name : pod.id)
  const podIdFile = `%t/${podService}.pod-id`
  const byId = new Map([infra, ...pod.containers].map((c) => [c.id, c]))
  const containerInputs: ContainerUnitInput[] = pod.containers.map((container) => ({
    container,
    boundTo: container.dependencies.map((dep) => (dep === infra.id ? podService : containerServiceName(byId.get(dep) ?? {id: dep, name: dep}, options).serviceName)),
    pod: {serviceName: podService, podIdFile},
  }))
  const required = containerInputs.map((c) => containerServiceName(c.container, options).serviceName).sort()
  const units = new Map<string, string>([[podService, podUnitText(pod, infra, podService, podIdFile, required, options, env)]])
  const containerUnits = containerInputs.map((input) => containerUnit(input, options, env)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const unit of containerUnits) units.set(unit.name, unit.text)
  return units
}

function podUnitText(pod: UnitPod, infraContainer: UnitContainer, name: string, podIdFile: string, required: string[], options: SystemdOptions, env: UnitEnvironment): string {
  let restartPolicy = DEFAULT_RESTART_POLICY
  if (options.restartPolicy !== undefined) {
    checkRestartPolicy(options.restartPolicy)
    restartPolicy = options.restartPolicy
  }
  const exe = env.executable
  const stopTimeout = options.stopTimeout ?? infraContainer.stopTimeout
  const infra = options.name ? infraContainer.name : infraContainer.id
  let pidFile = infraContainer.pidFile
  const service = [`Environment=${UNIT_ENV_VARIABLE}=%n`, `Restart=${restartPolicy}`]
  if (options.restartSec) service.push(`RestartSec=${options.restartSec}`)
  service.push(`TimeoutStopSec=${MIN_TIMEOUT_STOP_SEC + stopTimeout}`)
  if (options.new) {
    pidFile = `%t/${name}.pid`
    const {rootFlags, createArgs} = podCreateParts(pod.createCommand!)
    const start = [exe, ...rootFlags.map(escapeSystemdArg), 'pod', 'create', '--infra-conmon-pidfile', pidFile, '--pod-id-file', podIdFile]
    let args = createArgs
    const parsed = parseKnownFlags(args, [
      {long: 'name', kind: 'string'},
      {long: 'replace', kind: 'bool'},
    ])
    const replace = lastValue(parsed, 'replace')
    if (lastValue(parsed, 'name') !== undefined && (replace === undefined || !['1', 't', 'T', 'TRUE', 'true', 'True'].includes(replace))) {
      if (replace !== undefined) args = withoutWords(args, parsed.nArg, ['--replace=false'])
      args = [...args, '--replace']
    }
    if (![...start, ...args].some((w) => w === '--exit-policy' || w.startsWith('--exit-policy='))) start.push('--exit-policy=stop')
    // the pid and id files are systemd specifiers: escaped, they would not expand
    const words = [...start, ...args].map((w, i) => (i > 0 && (w === pidFile || w === podIdFile) ? w : escapeSystemdArg(w)))
    // Podman escapes the root flags once more for the unit's own commands
    const inline = rootFlags.map(escapeSystemdArg).join(' ')
    const exeAndRoot = inline === '' ? exe : `${exe} ${inline}`
    service.push(
      `ExecStartPre=${formatOptions(['/bin/rm', '-f', pidFile, podIdFile])}`,
      `ExecStartPre=${formatOptions(words)}`,
      `ExecStart=${formatOptions([exeAndRoot, 'pod', 'start', '--pod-id-file', podIdFile])}`,
      // `FILE  \` with two blanks: Podman's template leaves an empty word before -t
      `ExecStop=${formatOptions([exeAndRoot, 'pod', 'stop', '--ignore', '--pod-id-file', `${podIdFile} `, '-t', String(stopTimeout)])}`,
      `ExecStopPost=${formatOptions([exeAndRoot, 'pod', 'rm', '--ignore', '-f', '--pod-id-file', podIdFile])}`,
    )
  } else {
    const stop = formatOptions([exe, 'stop', '', '-t', `${stopTimeout} ${infra}`])
    service.push(`ExecStart=${formatOptions([exe, 'start', infra])}`, `ExecStop=${stop}`, `ExecStopPost=${stop}`)
  }
  service.push(`PIDFile=${pidFile}`, 'Type=forking')
  const services = required.map((r) => `${r}.service`).join(' ')
  let text = unitHeader(name, options.noHeader ? undefined : {generator: env.generator, time: env.now}, env.runRoot)
  text += `Wants=${services}\nBefore=${services}\n`
  text += userDependencies(options)
  text += `\n[Service]\n${service.join('\n')}\n\n[Install]\nWantedBy=default.target\n`
  return text
}

/** The root flags before `pod create` and the flags after it (--pod, --pod-id-file ... dropped). */
function podCreateParts(command: string[]): {rootFlags: string[]; createArgs: string[]} {
  const at = command.findIndex((word, i) => i > 0 && command[i - 1] === 'pod' && word === 'create')
  if (command.length < 3 || at < 0) throw new TspodError(`pod does not appear to be created via \`podman pod create\`: [${command.join(' ')}]`)
  return {rootFlags: command.slice(1, at - 1), createArgs: withoutPodFlags(command.slice(at + 1), 0)}
}
