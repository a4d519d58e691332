// registries.conf (containers-registries.conf(5)) read from the same files, merged the same way
// and validated with the same messages as containers/image's sysregistriesv2 does for Podman.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import {DockerReference, isRegistryDomain, parseNormalizedName, parseReferenceParts} from '../reference/docker-reference'

export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled'
/** A mirror's restriction: used for every pull, only digest pulls, or only tag pulls. */
export type PullFromMirror = 'all' | 'digest-only' | 'tag-only'

export interface Endpoint {
  /** host[:port][/namespace]; empty only for a "*.example.com" prefix */
  location: string
  /** skip TLS verification and allow plain HTTP */
  insecure: boolean
}

export interface Mirror extends Endpoint {
  pullFromMirror?: PullFromMirror
}

export interface Registry extends Endpoint {
  /** the names this entry applies to; defaults to location */
  prefix: string
  blocked: boolean
  mirrorByDigestOnly: boolean
  mirrors: Mirror[]
}

export interface ShortNameAlias {
  /** undefined when a later file cleared the alias with "" */
  value?: DockerReference
  /** the file that defined it */
  origin: string
}

export interface RegistriesConfig {
  /** sorted by prefix, one entry per prefix */
  registries: Registry[]
  unqualifiedSearchRegistries: string[]
  /** the file that set unqualifiedSearchRegistries, if any file was read */
  unqualifiedSearchRegistriesOrigin?: string
  shortNameMode: ShortNameMode
  /** short name ("alpine", "library/alpine") → fully qualified repository */
  aliases: Map<string, ShortNameAlias>
  /** the main registries.conf (read or not), as containers/image names it in messages */
  configPath: string
  /** the drop-in directory containers/image names in messages */
  configDirPath: string
  /** every file that was read, in the order applied */
  files: string[]
}

interface Env {
  [key: string]: string | undefined
}

export interface RegistriesConfOptions {
  /** HOME, CONTAINERS_REGISTRIES_CONF, REGISTRIES_CONFIG_PATH, XDG_CACHE_HOME */
  env?: Env
  /** prefixed to /etc/containers and /var/cache (tests); default "/" */
  rootDir?: string
  /** chooses the short-name alias cache: root's is under /var/cache; default the effective uid */
  uid?: number
}

export interface RegistriesConfPaths {
  /** the main registries.conf */
  configPath: string
  /** set by CONTAINERS_REGISTRIES_CONF / REGISTRIES_CONFIG_PATH: it must exist */
  explicit: boolean
  /** drop-in directories, applied in this order */
  dropInDirs: string[]
  /** the drop-in directory named in "blocked" errors */
  configDirPath: string
  /** Podman's record of short-name choices (short-name-aliases.conf) */
  aliasCacheFile: string
}

function homeDir(env: Env): string {
  return env.HOME || os.userInfo().homedir
}

/** containers/image's newConfigWrapper, with Podman's environment overrides. */
export function registriesConfPaths(options: RegistriesConfOptions = {}): RegistriesConfPaths {
  const env = options.env ?? process.env
  const root = options.rootDir ?? '/'
  const home = homeDir(env)
  const systemFile = path.join(root, 'etc/containers/registries.conf')
  const systemDir = path.join(root, 'etc/containers/registries.conf.d')
  // containers/image joins these to $HOME, not to $XDG_CONFIG_HOME.
  const userFile = path.join(home, '.config/containers/registries.conf')
  const userDir = path.join(home, '.config/containers/registries.conf.d')
  const uid = options.uid ?? process.geteuid!()
  const aliasCacheFile =
    uid === 0
      ? path.join(root, 'var/cache/containers/short-name-aliases.conf')
      : path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'containers/short-name-aliases.conf')

  // libimage: CONTAINERS_REGISTRIES_CONF, when set at all, wins over REGISTRIES_CONFIG_PATH.
  const override = env.CONTAINERS_REGISTRIES_CONF !== undefined ? env.CONTAINERS_REGISTRIES_CONF : env.REGISTRIES_CONFIG_PATH
  if (override) {
    // The override replaces only the main file: drop-ins are still read.
    return {configPath: override, explicit: true, dropInDirs: [systemDir, userDir], configDirPath: userDir, aliasCacheFile}
  }
  if (fs.existsSync(userFile)) {
    // A per-user registries.conf replaces the system file and the system drop-in directory.
    return {configPath: userFile, explicit: false, dropInDirs: [userDir], configDirPath: userDir, aliasCacheFile}
  }
  return {configPath: systemFile, explicit: false, dropInDirs: [systemDir, userDir], configDirPath: userDir, aliasCacheFile}
}

type Table = Record<string, unknown>

/** What one file says; keys it does not set stay undefined so that merging can tell. */
interface ParsedFile {
  registries: Registry[]
  unqualifiedSearchRegistries?: string[]
  shortNameMode?: ShortNameMode
  aliases: Map<string, ShortNameAlias>
}

/** One line from a system error, worded like Go's *PathError ("open /x: no such file or directory"). */
function systemErrorLine(err: NodeJS.ErrnoException, syscall: string, file: string): string {
  const description = /^[A-Z]+: ([^,]+)/.exec(err.message)?.[1] ?? err.message
  return `${syscall} ${file}: ${description}`
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function parseToml(text: string): Table {
  const {parse} = require('smol-toml') as typeof import('smol-toml')
  try {
    return parse(text) as Table
  } catch (err) {
    const e = err as Error & {line?: number; column?: number}
    const first = e.message.split('\n')[0]
    throw new Error(e.line !== undefined ? `${first} at line ${e.line}, column ${e.column}` : first)
  }
}

function isTable(value: unknown): value is Table {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
}

function getString(t: Table, key: string, where: string): string | undefined {
  const value = t[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new Error(`"${where}${key}" must be a string`)
  return value
}

function getBool(t: Table, key: string, where: string): boolean {
  const value = t[key]
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw new Error(`"${where}${key}" must be a boolean`)
  return value
}

function getStringArray(t: Table, key: string, where: string): string[] | undefined {
  const value = t[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error(`"${where}${key}" must be an array of strings`)
  }
  return [...(value as string[])]
}

function getTableArray(t: Table, key: string, where: string): Table[] {
  const value = t[key]
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every(isTable)) throw new Error(`"${where}${key}" must be an array of tables`)
  return value as Table[]
}

/** sysregistriesv2's parseLocation: trailing slashes go, URI schemes are refused. */
function parseLocation(input: string): string {
  const trimmed = input.replace(/\/+$/, '')
  if (trimmed.startsWith('http://') || trimmed.startsWith('https://')) {
    throw new Error(`invalid location '${input}': URI schemes are not supported`)
  }
  return trimmed
}

const anchoredDomainRegexp =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/

function parseShortNameMode(mode: string): ShortNameMode {
  if (mode === 'enforcing' || mode === 'permissive' || mode === 'disabled') return mode
  throw new Error(`invalid short-name mode: ${JSON.stringify(mode)}`)
}

function parsePullFromMirror(value: string | undefined, mirrorLocation: string): PullFromMirror | undefined {
  if (value === undefined || value === '') return undefined
  if (value === 'all' || value === 'digest-only' || value === 'tag-only') return value
  throw new Error(`unsupported pull-from-mirror value ${JSON.stringify(value)} for mirror ${JSON.stringify(mirrorLocation)}`)
}

/** A [[registry]] table as written; pull-from-mirror is only read to refuse it on a primary. */
interface RawRegistry extends Registry {
  pullFromMirror?: string
}

function readRegistry(t: Table): RawRegistry {
  const where = 'registry.'
  const mirrors = getTableArray(t, 'mirror', where).map((m) => ({
    location: getString(m, 'location', 'registry.mirror.') ?? '',
    insecure: getBool(m, 'insecure', 'registry.mirror.'),
    pullFromMirror: getString(m, 'pull-from-mirror', 'registry.mirror.') as PullFromMirror | undefined,
  }))
  return {
    prefix: getString(t, 'prefix', where) ?? '',
    location: getString(t, 'location', where) ?? '',
    insecure: getBool(t, 'insecure', where),
    blocked: getBool(t, 'blocked', where),
    mirrorByDigestOnly: getBool(t, 'mirror-by-digest-only', where),
    mirrors,
    pullFromMirror: getString(t, 'pull-from-mirror', where),
  }
}

/** The sysregistries v1 format ([registries.search] registries = [...]), converted to v2. */
function convertV1(v1: Table): {registries: RawRegistry[]; search?: string[]} {
  const list = (name: string) => {
    const section = v1[name]
    return isTable(section) ? getStringArray(section, 'registries', `registries.${name}.`) : undefined
  }
  const byLocation = new Map<string, RawRegistry>()
  const get = (location: string): RawRegistry => {
    const parsed = parseLocation(location)
    let reg = byLocation.get(parsed)
    if (!reg) {
      reg = {prefix: parsed, location: parsed, insecure: false, blocked: false, mirrorByDigestOnly: false, mirrors: []}
      byLocation.set(parsed, reg)
    }
    return reg
  }
  for (const location of list('block') ?? []) get(location).blocked = true
  for (const location of list('insecure') ?? []) get(location).insecure = true
  return {registries: [...byLocation.values()], search: list('search')}
}

function hasV1Fields(doc: Table): boolean {
  const v1 = doc.registries
  return isTable(v1) && ['search', 'insecure', 'block'].some((s) => isTable(v1[s]) && v1[s].registries !== undefined)
}

const V2_KEYS = ['registry', 'unqualified-search-registries', 'credential-helpers', 'short-name-mode', 'additional-layer-store-auth-helper', 'aliases']

/** postProcessRegistries: defaults, sanity checks, conflicts, one entry per prefix sorted by prefix. */
function postProcessRegistries(registries: RawRegistry[]): Registry[] {
  for (const reg of registries) {
    reg.location = parseLocation(reg.location)
    if (reg.prefix === '') {
      if (reg.location === '') throw new Error('invalid condition: both location and prefix are unset')
      reg.prefix = reg.location
    } else {
      reg.prefix = parseLocation(reg.prefix)
      if (!reg.prefix.startsWith('*.') && reg.location === '') {
        throw new Error('invalid condition: location is unset and prefix is not in the format: *.example.com')
      }
    }
    if (reg.pullFromMirror) {
      throw new Error(`pull-from-mirror must not be set for a non-mirror registry ${JSON.stringify(reg.prefix)}`)
    }
    delete reg.pullFromMirror
    for (const mirror of reg.mirrors) {
      mirror.location = parseLocation(mirror.location)
      if (mirror.location === '') throw new Error('invalid condition: mirror location is unset')
      if (reg.mirrorByDigestOnly && mirror.pullFromMirror) {
        throw new Error(
          `cannot set mirror usage mirror-by-digest-only for the registry (${JSON.stringify(reg.prefix)}) and pull-from-mirror for per-mirror (${JSON.stringify(mirror.location)}) at the same time`,
        )
      }
      mirror.pullFromMirror = parsePullFromMirror(mirror.pullFromMirror, mirror.location)
      if (mirror.pullFromMirror === undefined) delete mirror.pullFromMirror
    }
  }

  const sameRegistry = new Map<string, Registry[]>()
  for (const reg of registries) {
    const key = reg.location === '' ? reg.prefix : reg.location
    sameRegistry.set(key, [...(sameRegistry.get(key) ?? []), reg])
  }
  for (const reg of registries) {
    for (const other of sameRegistry.get(reg.location === '' ? reg.prefix : reg.location)!) {
      if (reg.insecure !== other.insecure) {
        throw new Error(`registry '${reg.location}' is defined multiple times with conflicting 'insecure' setting`)
      }
      if (reg.blocked !== other.blocked) {
        throw new Error(`registry '${reg.location}' is defined multiple times with conflicting 'blocked' setting`)
      }
    }
  }

  // The first entry for a prefix wins; later ones could never be chosen.
  const unique = new Map<string, Registry>()
  for (const reg of registries) if (!unique.has(reg.prefix)) unique.set(reg.prefix, reg)
  return sortedByPrefix(unique)
}

function sortedByPrefix(byPrefix: Map<string, Registry>): Registry[] {
  return [...byPrefix.keys()].sort(compareBytes).map((prefix) => byPrefix.get(prefix)!)
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** sysregistriesv2's validateShortName: an alias key must be a bare name without registry, tag or digest. */
function validateShortName(name: string): void {
  let parts
  try {
    parts = parseReferenceParts(name)
  } catch (err) {
    throw new Error(`cannot parse short name: ${JSON.stringify(name)}: ${(err as Error).message}`)
  }
  if (parts.digest !== undefined) throw new Error(`invalid short name ${JSON.stringify(name)}: must not contain digest`)
  if (parts.tag !== undefined) throw new Error(`invalid short name ${JSON.stringify(name)}: must not contain tag`)
  if (isRegistryDomain(parts.domain)) throw new Error(`invalid short name ${JSON.stringify(name)}: must not contain registry`)
}

/** sysregistriesv2's parseShortNameValue: an alias value is a registry and repository, nothing more. */
function parseAliasValue(alias: string): DockerReference {
  let parts
  try {
    parts = parseReferenceParts(alias)
  } catch (err) {
    throw new Error(`parsing alias ${JSON.stringify(alias)}: ${(err as Error).message}`)
  }
  if (parts.digest !== undefined) throw new Error(`invalid alias ${JSON.stringify(alias)}: must not contain digest`)
  if (parts.tag !== undefined) throw new Error(`invalid alias ${JSON.stringify(alias)}: must not contain tag`)
  if (!isRegistryDomain(parts.domain)) throw new Error(`invalid alias ${JSON.stringify(alias)}: must contain registry and repository`)
  return parseNormalizedName(alias)
}

function readAliases(doc: Table, origin: string): Map<string, ShortNameAlias> {
  const aliases = new Map<string, ShortNameAlias>()
  const table = doc.aliases
  if (table === undefined) return aliases
  if (!isTable(table)) throw new Error('"aliases" must be a table')
  try {
    for (const [name, value] of Object.entries(table)) {
      if (typeof value !== 'string') throw new Error(`alias ${JSON.stringify(name)} must be a string`)
      validateShortName(name)
      aliases.set(name, value === '' ? {origin} : {value: parseAliasValue(value), origin})
    }
  } catch (err) {
    throw new Error(`validating short-name aliases: ${(err as Error).message}`)
  }
  return aliases
}

/** loadConfigFile: one file, v1 converted unless it is a drop-in, checked on its own. */
function parseFile(text: string, file: string, dropIn: boolean): ParsedFile {
  const doc = parseToml(text)
  let raw: RawRegistry[]
  let search: string[] | undefined
  if (hasV1Fields(doc)) {
    if (dropIn) throw new Error('registry must be in v2 format but is in v1')
    if (V2_KEYS.some((k) => doc[k] !== undefined)) throw new Error('mixing sysregistry v1/v2 is not supported')
    ;({registries: raw, search} = convertV1(doc.registries as Table))
  } else {
    raw = getTableArray(doc, 'registry', '').map(readRegistry)
    search = getStringArray(doc, 'unqualified-search-registries', '')
  }
  const registries = postProcessRegistries(raw)
  search = search?.map((entry) => {
    const registry = parseLocation(entry)
    if (!anchoredDomainRegexp.test(registry)) {
      throw new Error(`Invalid unqualified-search-registries entry ${JSON.stringify(registry)}`)
    }
    return registry
  })
  const modeText = getString(doc, 'short-name-mode', '')
  const shortNameMode = modeText ? parseShortNameMode(modeText) : undefined
  for (const reg of registries) {
    if (reg.prefix.startsWith('*.') && /[/@:]/.test(reg.prefix)) {
      throw new Error(
        `Wildcarded prefix should be in the format: *.example.com. Current prefix ${JSON.stringify(reg.prefix)} is incorrectly formatted`,
      )
    }
  }
  return {
    registries,
    unqualifiedSearchRegistries: search,
    shortNameMode,
    aliases: readAliases(doc, file),
  }
}

function loadFile(file: string, dropIn: boolean): ParsedFile | undefined {
  const context = dropIn ? 'loading drop-in registries configuration' : 'loading registries configuration'
  let text: string | undefined
  try {
    text = readText(file)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`${context} ${JSON.stringify(file)}: ${systemErrorLine(e, 'open', file)}`, {code: e.code, path: file, cause: err})
  }
  if (text === undefined) return undefined
  try {
    return parseFile(text, file, dropIn)
  } catch (err) {
    throw new TspodError(`${context} ${JSON.stringify(file)}: ${(err as Error).message}`, {path: file, cause: err})
  }
}

/** *.conf files of each directory in name order, system directory first; missing directories are skipped. */
function dropInFiles(dirs: string[]): string[] {
  const files: string[] = []
  for (const dir of dirs) {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, {withFileTypes: true})
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') continue
      throw new TspodError(`reading registries.conf.d: ${systemErrorLine(e, 'open', dir)}`, {code: e.code, path: dir, cause: err})
    }
    const names = entries.filter((e) => !e.isDirectory() && e.name.endsWith('.conf')).map((e) => e.name)
    for (const name of names.sort(compareBytes)) files.push(path.join(dir, name))
  }
  return files
}

/** Podman's registries configuration: the main file, then drop-ins, then the short-name alias cache. */
export function loadRegistriesConf(options: RegistriesConfOptions = {}): RegistriesConfig {
  const paths = registriesConfPaths(options)
  const config: RegistriesConfig = {
    registries: [],
    unqualifiedSearchRegistries: [],
    shortNameMode: 'permissive',
    aliases: new Map(),
    configPath: paths.configPath,
    configDirPath: paths.configDirPath,
    files: [],
  }
  let mode: ShortNameMode | undefined

  const main = loadFile(paths.configPath, false)
  if (main === undefined && paths.explicit) {
    throw new TspodError(
      `loading registries configuration ${JSON.stringify(paths.configPath)}: open ${paths.configPath}: no such file or directory`,
      {code: 'ENOENT', path: paths.configPath},
    )
  }
  if (main) {
    config.files.push(paths.configPath)
    config.registries = main.registries
    config.unqualifiedSearchRegistries = main.unqualifiedSearchRegistries ?? []
    config.unqualifiedSearchRegistriesOrigin = paths.configPath
    mode = main.shortNameMode
    config.aliases = main.aliases
  }

  for (const file of dropInFiles(paths.dropInDirs)) {
    const dropIn = loadFile(file, true)
    if (!dropIn) continue // removed since the directory was listed
    config.files.push(file)
    const byPrefix = new Map(config.registries.map((r) => [r.prefix, r]))
    for (const reg of dropIn.registries) byPrefix.set(reg.prefix, reg)
    config.registries = sortedByPrefix(byPrefix)
    // An explicit empty list in a drop-in clears the search registries; an absent key keeps them.
    if (dropIn.unqualifiedSearchRegistries !== undefined) {
      config.unqualifiedSearchRegistries = dropIn.unqualifiedSearchRegistries
      config.unqualifiedSearchRegistriesOrigin = file
    }
    if (dropIn.shortNameMode !== undefined) mode = dropIn.shortNameMode
    for (const [name, alias] of dropIn.aliases) config.aliases.set(name, alias)
  }
  if (mode !== undefined) config.shortNameMode = mode

  // Podman records prompted choices in this cache; its entries take precedence over registries.conf.
  for (const [name, alias] of loadAliasCache(paths.aliasCacheFile)) config.aliases.set(name, alias)
  return config
}

function loadAliasCache(file: string): Map<string, ShortNameAlias> {
  const context = `loading short-name aliases config file ${JSON.stringify(file)}`
  let text: string | undefined
  try {
    text = readText(file)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`${context}: ${systemErrorLine(e, 'open', file)}`, {code: e.code, path: file, cause: err})
  }
  if (text === undefined) return new Map()
  try {
    return readAliases(parseToml(text), file)
  } catch (err) {
    throw new TspodError(`${context}: ${(err as Error).message}`, {path: file, cause: err})
  }
}

function refMatchingSubdomainPrefix(ref: string, prefix: string): number {
  const domain = prefix.slice(1)
  let index = ref.indexOf(domain)
  if (index === -1) return -1
  if (ref.slice(0, index).includes('/')) return -1
  index += domain.length
  if (index === ref.length) return index
  return ':/@'.includes(ref[index]) ? index : -1
}

/**
 * The length of ref's part that prefix matches, or -1. A plain prefix must end where ref ends or
 * at a ":", "/" or "@"; "*.example.com" matches any subdomain of the first component.
 */
export function refMatchingPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) return refMatchingSubdomainPrefix(ref, prefix)
  if (ref.length < prefix.length || !ref.startsWith(prefix)) return -1
  if (ref.length === prefix.length) return prefix.length
  return ':/@'.includes(ref[prefix.length]) ? prefix.length : -1
}

/** The [[registry]] with the longest prefix matching ref (a domain, repository or full reference). */
export function findRegistry(config: RegistriesConfig, ref: string): Registry | undefined {
  let found: Registry | undefined
  for (const reg of config.registries) {
    if (refMatchingPrefix(ref, reg.prefix) !== -1 && (found === undefined || reg.prefix.length > found.prefix.length)) found = reg
  }
  return found
}

/** Whether pulls of ref (a repository or full reference) are blocked by registries.conf. */
export function isBlocked(config: RegistriesConfig, ref: string): boolean {
  return findRegistry(config, ref)?.blocked ?? false
}

/** Throws containers/image's error when registries.conf blocks ref. */
export function assertNotBlocked(config: RegistriesConfig, ref: string): void {
  const reg = findRegistry(config, ref)
  if (reg?.blocked) {
    throw new TspodError(`registry ${reg.prefix} is blocked in ${config.configPath} or ${config.configDirPath}`)
  }
}

export interface PullSource {
  /** the reference to pull, rewritten to the endpoint's location */
  reference: DockerReference
  insecure: boolean
  mirror: boolean
}

function rewriteReference(endpoint: Endpoint, ref: DockerReference, prefix: string): DockerReference {
  const refString = ref.toString()
  const prefixLength = refMatchingPrefix(refString, prefix)
  if (prefixLength === -1) throw new TspodError(`invalid prefix '${prefix}' for reference '${refString}'`)
  if (endpoint.location === '') return ref
  const rewritten = endpoint.location + refString.slice(prefixLength)
  let parsed: DockerReference
  try {
    parsed = parseNormalizedName(rewritten)
  } catch (err) {
    throw new TspodError(`rewriting reference: ${(err as Error).message}`, {cause: err})
  }
  // ParseNamed: the rewritten text must already be in normalized form.
  if (parsed.toString() !== rewritten) throw new TspodError('rewriting reference: repository name must be canonical')
  return parsed
}

/**
 * Where to pull ref from, in order: its registry's mirrors (only digest pulls when
 * mirror-by-digest-only, and as each mirror's pull-from-mirror allows), then the registry itself.
 * Blocking is checked per source by the caller (assertNotBlocked), as containers/image does.
 */
export function pullSources(config: RegistriesConfig, ref: DockerReference): PullSource[] {
  const reg = findRegistry(config, ref.repository())
  if (!reg) return [{reference: ref, insecure: false, mirror: false}]
  const byDigest = ref.digest !== undefined
  const mirrors = reg.mirrors.filter((m) => {
    if (reg.mirrorByDigestOnly) return byDigest
    if (m.pullFromMirror === 'digest-only') return byDigest
    if (m.pullFromMirror === 'tag-only') return !byDigest
    return true
  })
  return [
    ...mirrors.map((m) => ({reference: rewriteReference(m, ref, reg.prefix), insecure: m.insecure, mirror: true})),
    {reference: rewriteReference(reg, ref, reg.prefix), insecure: reg.insecure, mirror: false},
  ]
}
