// Which seccomp profile a container gets, as Podman decides it: `--security-opt seccomp=`
// (unconfined or a file), else containers.conf's seccomp_profile, else the first of
// /etc/containers/seccomp.json and /usr/share/containers/seccomp.json that exists, else the
// built-in default. The profile is turned into the spec's section when the container is created.
import * as fs from 'node:fs'

import {ContainersConf, DEFAULT_SECCOMP_PROFILE} from '../../storage/config/containers-conf'

/** What the profile choice reads of containers.conf. */
export type SeccompSettings = Pick<ContainersConf, 'seccompProfile'>
import {OciSeccomp} from '../oci-spec'
import {hostSeccompTarget, ociSeccomp} from './convert'
import {defaultProfile} from './default-profile'
import {SeccompProfile, loadProfileFile} from './profile'

export const UNCONFINED = 'unconfined'

/** containers/common's override of the packaged profile. */
const OVERRIDE_SECCOMP_PROFILE = '/etc/containers/seccomp.json'

/** The profile file a container gets by default (undefined: the built-in one). */
export function configuredProfile(conf: SeccompSettings): string | undefined {
  if (conf.seccompProfile !== undefined && conf.seccompProfile !== '') return conf.seccompProfile
  return [OVERRIDE_SECCOMP_PROFILE, DEFAULT_SECCOMP_PROFILE].find((file) => fs.existsSync(file))
}

/** The profile for `option` (the value of --security-opt seccomp=); undefined: unconfined. */
export function chooseProfile(option: string | undefined, conf: SeccompSettings): SeccompProfile | undefined {
  const file = option ?? configuredProfile(conf)
  if (file === UNCONFINED) return undefined
  return file === undefined ? defaultProfile() : loadProfileFile(file)
}

/** The spec's linux.seccomp for a container with this bounding set. */
export function containerSeccomp(option: string | undefined, conf: SeccompSettings, bounding: string[]): OciSeccomp | undefined {
  const profile = chooseProfile(option, conf)
  return profile && ociSeccomp(profile, hostSeccompTarget(bounding))
}
