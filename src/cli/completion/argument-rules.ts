// Which names complete a command's positional arguments beyond what the argument's name says
// (candidates.ts): the container and pod states Podman offers for a verb (only running
// containers can be stopped, only paused ones unpaused), as Podman's ValidArgsFunctions choose them.

/** Container states (ps --filter status=) whose containers complete the verb's arguments. */
export const CONTAINER_STATES: Record<string, string[]> = {
  'container:attach': ['running'],
  'container:checkpoint': ['running'],
  'container:cleanup': ['exited'],
  'container:exec': ['running'],
  'container:init': ['created'],
  'container:kill': ['running'],
  'container:pause': ['running'],
  'container:start': ['created', 'exited'],
  'container:stats': ['running'],
  'container:stop': ['running'],
  'container:unpause': ['paused'],
  'healthcheck:run': ['running'],
}

/** Pod states (pod ps --filter status=) whose pods complete the verb's arguments. */
export const POD_STATES: Record<string, string[]> = {
  'pod:kill': ['running', 'degraded'],
  'pod:pause': ['running', 'degraded'],
  'pod:stats': ['running', 'degraded'],
  'pod:stop': ['running', 'degraded'],
  'pod:unpause': ['paused', 'degraded'],
}

type Kind = 'containers' | 'images' | 'volumes' | 'networks' | 'pods' | 'secrets' | 'registries' | 'descriptors'

/** Verbs whose argument is any of several kinds of object (`inspect NAME`, `generate kube NAME`). */
const COMMAND_KINDS: Record<string, Kind[]> = {
  diff: ['containers', 'images'],
  inspect: ['containers', 'images', 'pods', 'networks', 'volumes'],
  'generate:kube': ['containers', 'pods', 'volumes'],
  'generate:systemd': ['containers', 'pods'],
  'kube:generate': ['containers', 'pods', 'volumes'],
  'image:ls': ['images'],
  // Podman completes volumes for both of its arguments
  'volume:import': ['volumes'],
}

/** Argument names that are images whatever their verb: manifest lists and their entries, new tags, push destinations. */
const IMAGE_ARGUMENTS = new Set(['list', 'lists', 'digest', 'target', 'destination'])

/** Argument names the shell completes as host paths (or a command, or runlabel's ARG... appended to one): left to its file completion. */
const HOST_PATH_ARGUMENTS = new Set(['context', 'kubefile', 'source', 'file', 'path', 'command', 'arg'])

/** Values of an argument that is one of a fixed set. */
const FIXED_VALUES: Record<string, string[]> = {'completion:shell': ['bash', 'zsh', 'fish', 'powershell']}

export type ArgumentCompletion = {kinds: Kind[]} | {values: string[]} | 'host-paths' | 'nothing'

/** How the argument `argName` of the command `commandId` completes. */
export function argumentCompletion(commandId: string, argName: string): ArgumentCompletion {
  const fixed = FIXED_VALUES[`${commandId}:${argName}`]
  if (fixed) return {values: fixed}
  const kinds = COMMAND_KINDS[commandId]
  if (kinds) return {kinds}
  const name = argName.toLowerCase()
  for (const kind of ['container', 'image', 'volume', 'network', 'pod', 'secret'] as const) if (name.startsWith(kind)) return {kinds: [`${kind}s`]}
  if (name.startsWith('registr')) return {kinds: ['registries']}
  if (name === 'descriptors') return {kinds: ['descriptors']}
  if (IMAGE_ARGUMENTS.has(name) || (commandId === 'image:untag' && name === 'name')) return {kinds: ['images']}
  if (HOST_PATH_ARGUMENTS.has(name)) return 'host-paths'
  return 'nothing'
}
