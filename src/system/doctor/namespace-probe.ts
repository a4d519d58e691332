// One real user namespace, created through tspod's own primitive with the mapping tspod would
// use, reporting from inside what the kernel made of it: the setgroups policy and the groups the
// process holds there (before any runtime has called setgroups).
import {UserNamespaceMapping} from '../../userns/idmap'
import {spawnInNamespaces} from '../../userns/spawn'

export interface NamespaceProbe {
  ok: boolean
  /** why the namespace could not be created */
  error?: string
  /** /proc/self/setgroups inside */
  setgroups?: 'allow' | 'deny'
  /** the Groups: line of /proc/self/status inside (unmapped groups show as 65534) */
  groups?: number[]
}

function collect(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  return new Promise((resolve) => {
    if (!stream) return resolve('')
    let text = ''
    stream.on('data', (d) => (text += d))
    stream.on('error', () => resolve(text))
    stream.on('end', () => resolve(text))
    stream.on('close', () => resolve(text))
  })
}

export function parseProbeOutput(text: string): Pick<NamespaceProbe, 'setgroups' | 'groups'> {
  const lines = text.split('\n')
  const setgroups = lines[0].trim()
  const groupsLine = lines.find((l) => l.startsWith('Groups:'))
  return {
    setgroups: setgroups === 'allow' || setgroups === 'deny' ? setgroups : undefined,
    groups: groupsLine ? groupsLine.slice('Groups:'.length).trim().split(/\s+/).filter(Boolean).map(Number) : undefined,
  }
}

export async function probeUserNamespace(mapping: UserNamespaceMapping): Promise<NamespaceProbe> {
  try {
    const child = await spawnInNamespaces({
      namespaces: ['user'],
      mapping,
      command: {file: '/bin/cat', argv: ['cat', '/proc/self/setgroups', '/proc/self/status'], env: ['PATH=/usr/bin:/bin', 'LC_ALL=C']},
      stdio: ['inherit', 'pipe', 'pipe'],
    })
    const [stdout, stderr, exit] = await Promise.all([collect(child.stdout), collect(child.stderr), child.exited])
    if (exit.code !== 0) return {ok: false, error: `cat inside the namespace exited ${exit.code ?? exit.signal}: ${stderr.trim()}`}
    return {ok: true, ...parseProbeOutput(stdout)}
  } catch (err) {
    return {ok: false, error: (err as Error).message}
  }
}
