// What a running command reads of oclif's Config, made from the build-time command table
// (command-table.ts) without Config.load: the program's name and version, its user agent, its
// scoped environment variables (TSPOD_...), and hooks, of which the table's CLI has none that run
// around a command (buildCommandTable makes no table otherwise).
import type {Config} from '@oclif/core'

import type {CommandTable} from './command-table'

export interface StartConfig {
  bin: string
  name: string
  version: string
  userAgent: string
  pjson: {name: string; version: string; oclif: {bin: string; exitCodes: Record<string, number>}}
  scopedEnvVarKey(key: string): string
  scopedEnvVarKeys(key: string): string[]
  scopedEnvVar(key: string): string | undefined
  scopedEnvVarTrue(key: string): boolean
  runHook(event: string, options: unknown): Promise<{successes: []; failures: []}>
}

/** oclif's Config.scopedEnvVarKey: `TSPOD_KEY` for bin `tspod`. */
function scopedKey(bin: string, key: string): string {
  return [bin, key]
    .map((part) => part.replaceAll('@', '').replaceAll(/[/-]/g, '_'))
    .join('_')
    .toUpperCase()
}

export function startConfig(table: CommandTable): StartConfig {
  const {bin, name, version} = table
  const config: StartConfig = {
    bin,
    name,
    version,
    userAgent: `${name}/${version} ${process.platform}-${process.arch} node-${process.version}`,
    pjson: {name, version, oclif: {bin, exitCodes: table.exitCodes}},
    scopedEnvVarKey: (key) => scopedKey(bin, key),
    scopedEnvVarKeys: (key) => [scopedKey(bin, key)],
    scopedEnvVar: (key) => process.env[scopedKey(bin, key)] || undefined,
    scopedEnvVarTrue(key) {
      const value = config.scopedEnvVar(key)
      return value === '1' || value === 'true'
    },
    runHook: async () => ({successes: [], failures: []}),
  }
  return config
}

/** The stand-in where oclif's types want its Config. */
export function asOclifConfig(config: StartConfig): Config {
  return config as unknown as Config
}
