// Secrets as containers/common's secrets manager keeps them with its file driver, so Podman and
// tspod read each other's: under <graph root>/secrets/,
//
//   secrets.json               {secrets: {ID: record}, nameToID: {NAME: ID}, idToName: {ID: NAME}}
//   secrets.lock
//   filedriver/secretsdata.json  {ID: base64(data)}   (0600; the file driver stores it unencrypted)
//   filedriver/secretsdata.lock
//
// IDs are 25 hex characters, as the manager makes them. The data of a secret never leaves this
// module except through `data()`, for a container that uses it.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, UsageError} from '../../errors'
import {withLock} from '../../storage/store/lockfile'

/** One secret in secrets.json (containers/common's Secret, its JSON field names). */
export interface SecretRecord {
  name: string
  id: string
  labels?: Record<string, string>
  metadata?: Record<string, string>
  createdAt: string
  driver: string
  driverOptions: Record<string, string>
}

interface SecretsFile {
  secrets: Record<string, SecretRecord>
  nameToID: Record<string, string>
  idToName: Record<string, string>
}

export class NoSuchSecretError extends TspodError {
  constructor(nameOrId: string) {
    super(`no secret with name or id ${JSON.stringify(nameOrId)}: no such secret`)
  }
}

/** containers/common's maxSecretSize: data must be 1 byte up to less than this. */
export const MAX_SECRET_SIZE = 512_000
const ID_LENGTH = 25
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/
const FILE_DRIVER = 'file'

export function validateSecretName(name: string): void {
  if (name.length === 0 || name.length > 64 || !NAME.test(name) || !/[a-zA-Z0-9]$/.test(name))
    throw new UsageError(`only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: ${name}: invalid secret name`)
}

/** RFC 3339 with nanoseconds, as Go's time.Time marshals (a JS clock has milliseconds; the rest from hrtime). */
function nowRfc3339Nano(): string {
  const now = new Date()
  const nanos = String(now.getUTCMilliseconds() * 1_000_000 + Number(process.hrtime.bigint() % 1_000_000n)).padStart(9, '0').replace(/0+$/, '')
  return now.toISOString().replace(/\.\d{3}Z$/, nanos ? `.${nanos}Z` : 'Z')
}

function readJson<T>(file: string, empty: T): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty
    throw new TspodError(`reading ${file}: ${(err as Error).message}`, {cause: err})
  }
}

function writeJson(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2), {mode: 0o600})
  fs.renameSync(tmp, file)
}

export class SecretStore {
  readonly dir: string
  readonly driverDir: string

  constructor(graphRoot: string) {
    this.dir = path.join(graphRoot, 'secrets')
    this.driverDir = path.join(this.dir, 'filedriver')
  }

  private get file(): string {
    return path.join(this.dir, 'secrets.json')
  }

  private get dataFile(): string {
    return path.join(this.driverDir, 'secretsdata.json')
  }

  private read(): SecretsFile {
    const parsed = readJson<Partial<SecretsFile>>(this.file, {})
    return {secrets: parsed.secrets ?? {}, nameToID: parsed.nameToID ?? {}, idToName: parsed.idToName ?? {}}
  }

  private async locked<T>(action: () => T): Promise<T> {
    fs.mkdirSync(this.driverDir, {recursive: true, mode: 0o700})
    return withLock(path.join(this.dir, 'secrets.lock'), 'exclusive', action)
  }

  /** The secret a full name, a full ID or a unique ID prefix names. */
  private find(file: SecretsFile, nameOrId: string): SecretRecord {
    const byName = file.nameToID[nameOrId]
    if (byName && file.secrets[byName]) return file.secrets[byName]
    if (file.secrets[nameOrId]) return file.secrets[nameOrId]
    const matches = Object.keys(file.secrets).filter((id) => id.startsWith(nameOrId))
    if (matches.length > 1) throw new TspodError(`more than one result secret with prefix ${nameOrId}: secret is ambiguous`)
    if (matches.length === 1 && nameOrId !== '') return file.secrets[matches[0]]
    throw new NoSuchSecretError(nameOrId)
  }

  list(): SecretRecord[] {
    return Object.values(this.read().secrets)
  }

  lookup(nameOrId: string): SecretRecord {
    return this.find(this.read(), nameOrId)
  }

  exists(nameOrId: string): boolean {
    try {
      this.lookup(nameOrId)
      return true
    } catch (err) {
      if (err instanceof NoSuchSecretError) return false
      throw err
    }
  }

  async create(name: string, data: Buffer, options: {driver?: string; driverOptions?: Record<string, string>; labels?: Record<string, string>} = {}): Promise<string> {
    validateSecretName(name)
    const driver = options.driver ?? FILE_DRIVER
    if (driver !== FILE_DRIVER) throw new UsageError('invalid driver')
    if (data.length === 0 || data.length >= MAX_SECRET_SIZE) throw new UsageError(`secret data must be larger than 0 and less than ${MAX_SECRET_SIZE} bytes`)
    return this.locked(() => {
      const file = this.read()
      if (file.nameToID[name]) throw new TspodError(`${name}: secret name in use`)
      let id: string
      do id = crypto.randomBytes(16).toString('hex').slice(0, ID_LENGTH)
      while (file.secrets[id])
      const record: SecretRecord = {
        name,
        id,
        ...(options.labels && Object.keys(options.labels).length > 0 ? {labels: options.labels} : {}),
        createdAt: nowRfc3339Nano(),
        driver,
        driverOptions: {path: this.driverDir, ...options.driverOptions},
      }
      const stored = readJson<Record<string, string>>(this.dataFile, {})
      stored[id] = data.toString('base64')
      writeJson(this.dataFile, stored)
      file.secrets[id] = record
      file.nameToID[name] = id
      file.idToName[id] = name
      writeJson(this.file, file)
      return id
    })
  }

  /** Remove one secret (its data first); the removed record. */
  async remove(nameOrId: string): Promise<SecretRecord> {
    return this.locked(() => {
      const file = this.read()
      const record = this.find(file, nameOrId)
      const stored = readJson<Record<string, string>>(this.dataFile, {})
      delete stored[record.id]
      writeJson(this.dataFile, stored)
      delete file.secrets[record.id]
      delete file.nameToID[record.name]
      delete file.idToName[record.id]
      writeJson(this.file, file)
      return record
    })
  }

  /** The secret's data, for a container that uses it. */
  data(nameOrId: string): Buffer {
    const record = this.lookup(nameOrId)
    const stored = readJson<Record<string, string>>(this.dataFile, {})[record.id]
    if (stored === undefined) throw new TspodError(`${record.id}: no such secret data in ${this.dataFile}`)
    return Buffer.from(stored, 'base64')
  }
}
