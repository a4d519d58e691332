// `--volumes-from CONTAINER[:OPTIONS]` as Podman parses it (pkg/specgen/generate getVolumesFrom):
// OPTIONS a comma list of ro, rw and z, each kind at most once. The container is looked up at create.
import {UsageError} from '../errors'
import type {VolumesFromSpec} from './container-spec'

export function parseVolumesFrom(specs: string[]): VolumesFromSpec[] {
  return specs.map((spec) => {
    const colon = spec.indexOf(':')
    const container = colon < 0 ? spec : spec.slice(0, colon)
    const options = colon < 0 ? [] : spec.slice(colon + 1).split(',')
    let readWriteSet = false
    let labelSet = false
    for (const option of options) {
      if (option === 'z') {
        if (labelSet) throw new UsageError('cannot set :z more than once in mount options')
        labelSet = true
      } else if (option === 'ro' || option === 'rw') {
        if (readWriteSet) throw new UsageError('cannot set ro or rw options more than once')
        readWriteSet = true
      } else {
        throw new UsageError(`invalid option ${JSON.stringify(option)} specified - volumes from another container can only use z,ro,rw options`)
      }
    }
    if (container === '') throw new UsageError('looking up container "" for volumes-from: name or ID cannot be empty')
    return {container, options}
  })
}

/** The flag's value as given, for inspect's HostConfig.VolumesFrom. */
export function volumesFromText(from: VolumesFromSpec): string {
  return from.options.length > 0 ? `${from.container}:${from.options.join(',')}` : from.container
}
