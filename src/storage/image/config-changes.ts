// `import --change`: Dockerfile instructions applied to an image's config, as Podman's
// --change takes them ("CMD=/bin/true", "ENV A=b", 'ENTRYPOINT ["/bin/sh"]').
import {UsageError} from '../../errors'

export interface ChangedConfig {
  Cmd?: string[]
  Entrypoint?: string[]
  Env?: string[]
  ExposedPorts?: Record<string, object>
  Labels?: Record<string, string>
  OnBuild?: string[]
  StopSignal?: string
  User?: string
  Volumes?: Record<string, object>
  WorkingDir?: string
}

/** A JSON array of strings (exec form), else the shell form `/bin/sh -c VALUE`. */
function command(value: string): string[] {
  if (value.trimStart().startsWith('[')) {
    try {
      const parsed = JSON.parse(value) as unknown
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed as string[]
    } catch {
      // not JSON: the shell form
    }
  }
  return ['/bin/sh', '-c', value]
}

function list(value: string): string[] {
  const form = command(value)
  return form[0] === '/bin/sh' && form[1] === '-c' && form.length === 3 ? value.split(/\s+/).filter(Boolean) : form
}

/** "K=V K2=V2" or "K V" */
function pairs(value: string, instruction: string): [string, string][] {
  const trimmed = value.trim()
  if (!trimmed.includes('=')) {
    const i = trimmed.search(/\s/)
    if (i < 0) throw new UsageError(`${instruction} requires KEY=VALUE or KEY VALUE, got ${JSON.stringify(value)}`)
    return [[trimmed.slice(0, i), trimmed.slice(i).trim()]]
  }
  return trimmed.split(/\s+/).map((kv) => {
    const i = kv.indexOf('=')
    if (i <= 0) throw new UsageError(`${instruction} requires KEY=VALUE, got ${JSON.stringify(kv)}`)
    return [kv.slice(0, i), kv.slice(i + 1).replace(/^"(.*)"$/, '$1')]
  })
}

export function applyChange(config: ChangedConfig, change: string): ChangedConfig {
  const match = /^\s*([A-Za-z]+)(?:\s*=\s*|\s+)([\s\S]*)$/.exec(change)
  if (!match) throw new UsageError(`invalid change ${JSON.stringify(change)}: expected INSTRUCTION VALUE`)
  const instruction = match[1].toUpperCase()
  const value = match[2]
  const out = {...config}
  switch (instruction) {
    case 'CMD':
      out.Cmd = command(value)
      break
    case 'ENTRYPOINT':
      out.Entrypoint = command(value)
      break
    case 'ENV': {
      const env = [...(out.Env ?? [])]
      for (const [k, v] of pairs(value, instruction)) {
        const i = env.findIndex((e) => e.startsWith(`${k}=`))
        if (i >= 0) env[i] = `${k}=${v}`
        else env.push(`${k}=${v}`)
      }
      out.Env = env
      break
    }
    case 'EXPOSE':
      out.ExposedPorts = {...out.ExposedPorts}
      for (const port of value.trim().split(/\s+/)) out.ExposedPorts[port.includes('/') ? port : `${port}/tcp`] = {}
      break
    case 'LABEL':
      out.Labels = {...out.Labels, ...Object.fromEntries(pairs(value, instruction))}
      break
    case 'ONBUILD':
      out.OnBuild = [...(out.OnBuild ?? []), value]
      break
    case 'STOPSIGNAL':
      out.StopSignal = value.trim()
      break
    case 'USER':
      out.User = value.trim()
      break
    case 'VOLUME':
      out.Volumes = {...out.Volumes}
      for (const v of list(value)) out.Volumes[v] = {}
      break
    case 'WORKDIR':
      out.WorkingDir = value.trim()
      break
    default:
      throw new UsageError(`invalid change ${JSON.stringify(change)} - invalid instruction ${instruction}`)
  }
  return out
}
