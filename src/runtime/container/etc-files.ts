// The container's /etc/hosts, /etc/hostname and /etc/resolv.conf: written into its userdata dir
// when it is created and bind-mounted read-write, as Podman does.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {OciMount} from '../oci-spec'

export interface EtcFileExtras {
  /** more /etc/hosts lines ("10.0.2.2\thost.containers.internal") */
  hosts?: string[]
  /** replaces the host's nameservers (slirp4netns: its own DNS forwarder) */
  nameservers?: string[]
}

function hostResolvConf(): string {
  try {
    return fs.readFileSync('/etc/resolv.conf', 'utf8')
  } catch {
    return ''
  }
}

function resolvConf(nameservers: string[] | undefined): string {
  const host = hostResolvConf()
  if (!nameservers) return host
  const kept = host.split('\n').filter((line) => line.trim() !== '' && !/^\s*nameserver\s/.test(line))
  return [...kept, ...nameservers.map((ns) => `nameserver ${ns}`)].join('\n') + '\n'
}

export function writeEtcFiles(userdata: string, hostname: string, extras: EtcFileExtras = {}): OciMount[] {
  const hosts = [
    '127.0.0.1\tlocalhost localhost.localdomain',
    '::1\tlocalhost localhost.localdomain',
    `127.0.1.1\t${hostname}`,
    ...(extras.hosts ?? []),
  ].join('\n') + '\n'
  const files: [string, string][] = [
    ['hosts', hosts],
    ['hostname', `${hostname}\n`],
    ['resolv.conf', resolvConf(extras.nameservers)],
  ]
  return files.map(([name, content]) => {
    const file = path.join(userdata, name)
    fs.writeFileSync(file, content, {mode: 0o644})
    return {destination: `/etc/${name}`, type: 'bind', source: file, options: ['rbind', 'rprivate']}
  })
}
