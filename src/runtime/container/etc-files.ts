// The container's /etc/hosts, /etc/hostname and /etc/resolv.conf: written into its userdata dir
// when it is created and bind-mounted read-write, as Podman does.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {OciMount} from '../oci-spec'

export interface EtcFileExtras {
  /** more /etc/hosts lines, after localhost and the hostname (slirp4netns: host.containers.internal) */
  hosts?: string
  /** the whole /etc/resolv.conf (slirp4netns: its DNS forwarder first); default the host's */
  resolvConf?: string
}

function hostResolvConf(): string {
  try {
    return fs.readFileSync('/etc/resolv.conf', 'utf8')
  } catch {
    return ''
  }
}

export function writeEtcFiles(userdata: string, hostname: string, extras: EtcFileExtras = {}): OciMount[] {
  const hosts = [
    '127.0.0.1\tlocalhost localhost.localdomain',
    '::1\tlocalhost localhost.localdomain',
    // the container's names go on its own address when it has one (extras.hosts)
    ...(extras.hosts === undefined ? [`127.0.1.1\t${hostname}`] : []),
  ].join('\n') + '\n' + (extras.hosts ?? '')
  const files: [string, string][] = [
    ['hosts', hosts],
    ['hostname', `${hostname}\n`],
    ['resolv.conf', extras.resolvConf ?? hostResolvConf()],
  ]
  return files.map(([name, content]) => {
    const file = path.join(userdata, name)
    fs.writeFileSync(file, content, {mode: 0o644})
    return {destination: `/etc/${name}`, type: 'bind', source: file, options: ['rbind', 'rprivate']}
  })
}
