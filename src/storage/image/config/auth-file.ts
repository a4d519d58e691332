// Registry credentials in containers-auth.json(5) files, found, read and written the way Podman
// does (containers/common's --authfile defaults over containers/image's pkg/docker/config).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {randomBytes} from 'node:crypto'

import {TspodError, UsageError} from '../../../errors'

interface Env {
  [key: string]: string | undefined
}

export interface AuthFileOptions {
  /** --authfile: the only file read and the one written */
  authFile?: string
  /** REGISTRY_AUTH_FILE, DOCKER_CONFIG, XDG_RUNTIME_DIR, XDG_CONFIG_HOME, HOME */
  env?: Env
  /** for /run/containers/<uid>/auth.json when XDG_RUNTIME_DIR is unset; default the real uid */
  uid?: number
  /** prefixed to /run (tests); default "/" */
  rootDir?: string
}

export interface Credentials {
  username: string
  password: string
  identityToken?: string
}

export interface AuthFileLocation {
  path: string
  /** ~/.dockercfg: a bare map of registry → entry, looked up by registry only */
  legacyFormat: boolean
}

interface WriteTarget {
  path: string
  /** DOCKER_CONFIG's config.json: Docker's key for Docker Hub, no per-repository keys */
  dockerCompat: boolean
}

interface AuthEntry {
  auth?: string
  identitytoken?: string
  [key: string]: unknown
}

interface AuthDocument {
  auths: Record<string, AuthEntry>
  /** the rest of the file, written back untouched */
  other: Record<string, unknown>
}

function homeDir(env: Env): string {
  return env.HOME || os.userInfo().homedir
}

function userSpecifiedFile(options: AuthFileOptions, env: Env): string | undefined {
  if (options.authFile) return options.authFile
  if (env.REGISTRY_AUTH_FILE) return env.REGISTRY_AUTH_FILE
  // c/common's default --authfile: with DOCKER_CONFIG set, Podman reads only that config.json.
  if (env.DOCKER_CONFIG) return path.join(env.DOCKER_CONFIG, 'config.json')
  return undefined
}

function runtimeDirMissing(dir: string): boolean {
  try {
    fs.statSync(dir)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT'
  }
}

/** The default file that logins write: $XDG_RUNTIME_DIR/containers/auth.json, else /run/containers/<uid>/auth.json. */
function primaryAuthFile(options: AuthFileOptions, env: Env): string {
  const runtimeDir = env.XDG_RUNTIME_DIR
  if (runtimeDir) {
    if (runtimeDirMissing(runtimeDir)) {
      throw new TspodError(
        `${JSON.stringify(runtimeDir)} directory set by $XDG_RUNTIME_DIR does not exist. Either create the directory or unset $XDG_RUNTIME_DIR.`,
        {code: 'ENOENT', path: runtimeDir},
      )
    }
    return path.join(runtimeDir, 'containers/auth.json')
  }
  const uid = options.uid ?? process.getuid!()
  return path.join(options.rootDir ?? '/', 'run/containers', String(uid), 'auth.json')
}

/**
 * The files credentials are looked up in, first match wins: the --authfile path,
 * $REGISTRY_AUTH_FILE or $DOCKER_CONFIG/config.json alone when given; otherwise the runtime
 * auth.json, $XDG_CONFIG_HOME/containers/auth.json, ~/.docker/config.json and ~/.dockercfg.
 */
export function authFileLookupPaths(options: AuthFileOptions = {}): AuthFileLocation[] {
  const env = options.env ?? process.env
  const explicit = userSpecifiedFile(options, env)
  if (explicit) return [{path: explicit, legacyFormat: false}]
  const home = homeDir(env)
  const paths: AuthFileLocation[] = []
  try {
    paths.push({path: primaryAuthFile(options, env), legacyFormat: false})
  } catch {
    // containers/image only warns about a missing $XDG_RUNTIME_DIR when reading, and goes on.
  }
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config')
  paths.push({path: path.join(configHome, 'containers/auth.json'), legacyFormat: false})
  paths.push({path: path.join(home, '.docker/config.json'), legacyFormat: false})
  paths.push({path: path.join(home, '.dockercfg'), legacyFormat: true})
  return paths
}

/** The file setCredentials and removeCredentials edit. */
export function authFileForWriting(options: AuthFileOptions = {}): WriteTarget {
  const env = options.env ?? process.env
  if (options.authFile) return {path: options.authFile, dockerCompat: false}
  if (env.REGISTRY_AUTH_FILE) return {path: env.REGISTRY_AUTH_FILE, dockerCompat: false}
  if (env.DOCKER_CONFIG) return {path: path.join(env.DOCKER_CONFIG, 'config.json'), dockerCompat: true}
  return {path: primaryAuthFile(options, env), dockerCompat: false}
}

function unmarshalError(file: string, detail: string, cause?: unknown): TspodError {
  return new TspodError(`reading JSON file ${JSON.stringify(file)}: unmarshaling JSON at ${JSON.stringify(file)}: ${detail}`, {
    path: file,
    cause,
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function readAuthDocument(location: AuthFileLocation): AuthDocument {
  const file = location.path
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') return {auths: {}, other: {}}
    throw new TspodError(`reading JSON file ${JSON.stringify(file)}: ${e.message}`, {code: e.code, path: file, cause: err})
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw unmarshalError(file, (err as Error).message, err)
  }
  if (!isObject(parsed)) throw unmarshalError(file, 'the file must hold a JSON object')
  let auths: unknown
  let other: Record<string, unknown>
  if (location.legacyFormat) {
    auths = parsed
    other = {}
  } else {
    ;({auths, ...other} = parsed)
    auths ??= {}
  }
  if (!isObject(auths)) throw unmarshalError(file, '"auths" must be an object')
  for (const [key, entry] of Object.entries(auths)) {
    if (!isObject(entry)) throw unmarshalError(file, `the entry for ${JSON.stringify(key)} must be an object`)
    for (const field of ['auth', 'identitytoken']) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') {
        throw unmarshalError(file, `"${field}" of ${JSON.stringify(key)} must be a string`)
      }
    }
  }
  return {auths: auths as Record<string, AuthEntry>, other}
}

/** A stored key or the registry to match, with Docker Hub's aliases folded into index.docker.io. */
function normalizeRegistry(registry: string): string {
  return registry === 'registry-1.docker.io' || registry === 'docker.io' ? 'index.docker.io' : registry
}

/** "https://index.docker.io/v1/" → "index.docker.io"; scheme-less keys keep their path. */
function normalizeAuthFileKey(key: string, legacyFormat: boolean): string {
  let stripped = key.replace(/^http:\/\//, '')
  stripped = stripped.replace(/^https:\/\//, '')
  if (legacyFormat || stripped !== key) stripped = stripped.split('/')[0]
  return normalizeRegistry(stripped)
}

/** containers/image's validateKey: host[:port][/path], returning whether it names a namespace. */
function validateKey(key: string): boolean {
  if (key.startsWith('http://') || key.startsWith('https://')) throw new UsageError(`key ${key} contains http[s]:// prefix`)
  if (key.includes('@')) throw new UsageError(`key ${key} contains a '@' character`)
  const firstSlash = key.indexOf('/')
  if (firstSlash !== -1 && key.slice(firstSlash + 1).includes(':')) {
    throw new UsageError(`key ${key} contains a ':' character after host[:port]`)
  }
  return firstSlash !== -1
}

function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text)
}

/** An entry's credentials; undefined for an empty entry (a credential-helper marker) or one without "user:". */
function decodeEntry(file: string, key: string, entry: AuthEntry): Credentials | undefined {
  const auth = entry.auth ?? ''
  if (!isStrictBase64(auth)) {
    throw new TspodError(`reading JSON file ${JSON.stringify(file)}: the "auth" field of ${JSON.stringify(key)} is not valid base64`, {
      path: file,
    })
  }
  const decoded = Buffer.from(auth, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  const credentials: Credentials = {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1).replace(/^\0+|\0+$/g, ''),
  }
  if (entry.identitytoken) credentials.identityToken = entry.identitytoken
  return credentials
}

function findInFile(key: string, registry: string, location: AuthFileLocation): Credentials | undefined {
  const {auths} = readAuthDocument(location)
  // Most specific first: host/ns/repo, host/ns, host (the legacy format only has hosts).
  const lookupOrder: string[] = []
  if (location.legacyFormat) {
    lookupOrder.push(registry)
  } else {
    for (let k = key; ; k = k.slice(0, k.lastIndexOf('/'))) {
      lookupOrder.push(k)
      if (!k.includes('/')) break
    }
  }
  for (const k of lookupOrder) {
    if (Object.hasOwn(auths, k)) return decodeEntry(location.path, k, auths[k])
  }
  const wanted = normalizeRegistry(registry)
  for (const [k, entry] of Object.entries(auths)) {
    if (normalizeAuthFileKey(k, location.legacyFormat) === wanted) return decodeEntry(location.path, k, entry)
  }
  return undefined
}

/**
 * Credentials for a registry host ("docker.io", "localhost:5000") and optionally a repository
 * path on it ("library/alpine"): the most specific key of the first file that has one.
 */
export function getCredentials(registryHost: string, repositoryPath?: string, options: AuthFileOptions = {}): Credentials | undefined {
  const key = repositoryPath ? `${registryHost}/${repositoryPath}` : registryHost
  validateKey(key)
  const registry = key.split('/')[0]
  for (const location of authFileLookupPaths(options)) {
    const credentials = findInFile(key, registry, location)
    if (credentials) return credentials
  }
  return undefined
}

function writeAtomically(file: string, data: string): void {
  const temp = path.join(path.dirname(file), `.tmp-${path.basename(file)}-${randomBytes(6).toString('hex')}`)
  try {
    const fd = fs.openSync(temp, 'wx', 0o600)
    try {
      fs.writeFileSync(fd, data)
      fs.fchmodSync(fd, 0o600)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, file)
  } catch (err) {
    fs.rmSync(temp, {force: true})
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`writing to file ${JSON.stringify(file)}: ${e.message}`, {code: e.code, path: file, cause: err})
  }
}

/** Read the target file, let edit change its "auths", and write it back if edit says so. */
function editAuthFile(target: WriteTarget, edit: (auths: Record<string, AuthEntry>) => boolean): void {
  const dir = path.dirname(target.path)
  try {
    fs.mkdirSync(dir, {recursive: true, mode: 0o700})
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`creating ${dir}: ${e.message}`, {code: e.code, path: dir, cause: err})
  }
  const doc = readAuthDocument({path: target.path, legacyFormat: false})
  if (!edit(doc.auths)) return
  const auths: Record<string, AuthEntry> = {}
  for (const k of Object.keys(doc.auths).sort()) auths[k] = doc.auths[k]
  writeAtomically(target.path, JSON.stringify({...doc.other, auths}, null, '\t') + '\n')
}

/** The key as stored in the target file; Docker-compatible files cannot hold per-repository keys. */
function keyForTarget(key: string, target: WriteTarget): string {
  const namespaced = validateKey(key)
  if (!target.dockerCompat) return key
  if (namespaced) throw new UsageError(`Credentials cannot be recorded in Docker-compatible format with namespaced key ${JSON.stringify(key)}`)
  return key === 'docker.io' ? 'https://index.docker.io/v1/' : key
}

/**
 * Store credentials for key (a registry "host[:port]" or a repository "host/ns/repo") in the
 * login file, keeping every other entry; returns the file written.
 */
export function setCredentials(key: string, username: string, password: string, options: AuthFileOptions = {}): string {
  const target = authFileForWriting(options)
  const storedKey = keyForTarget(key, target)
  editAuthFile(target, (auths) => {
    auths[storedKey] = {auth: Buffer.from(`${username}:${password}`).toString('base64')}
    return true
  })
  return target.path
}

/** Remove key's entry from the login file; false when there was none ("not logged in"). */
export function removeCredentials(key: string, options: AuthFileOptions = {}): boolean {
  const target = authFileForWriting(options)
  const storedKey = keyForTarget(key, target)
  let removed = false
  editAuthFile(target, (auths) => {
    removed = Object.hasOwn(auths, storedKey)
    delete auths[storedKey]
    return removed
  })
  return removed
}

/** Remove every entry from the login file (podman logout --all); returns the file written. */
export function removeAllCredentials(options: AuthFileOptions = {}): string {
  const target = authFileForWriting(options)
  editAuthFile(target, (auths) => {
    for (const k of Object.keys(auths)) delete auths[k]
    return true
  })
  return target.path
}
