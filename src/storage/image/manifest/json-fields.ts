// Typed reads of JSON documents (manifests, indexes, image configs) that fail with one line naming
// the document and the field at fault: `invalid OCI image manifest: "layers[1].size" must be a
// non-negative integer`.
import {TspodError} from '../../../errors'
import {isDigest} from '../../digest'

export type JsonObject = Record<string, unknown>

/** A JSON document being read; `what` names it in errors ("OCI image manifest"). */
export class JsonFields {
  constructor(readonly what: string) {}

  fail(field: string, problem: string): never {
    throw new TspodError(`invalid ${this.what}: ${JSON.stringify(field)} ${problem}`)
  }

  /** Parses bytes as a JSON object. */
  parse(bytes: Buffer | string): JsonObject {
    let value: unknown
    try {
      value = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'))
    } catch (err) {
      throw new TspodError(`invalid ${this.what}: ${(err as Error).message}`, {cause: err})
    }
    if (!isObject(value)) throw new TspodError(`invalid ${this.what}: not a JSON object`)
    return value
  }

  object(value: unknown, field: string): JsonObject {
    if (!isObject(value)) this.fail(field, 'must be an object')
    return value
  }

  optionalObject(value: unknown, field: string): JsonObject | undefined {
    return value === undefined || value === null ? undefined : this.object(value, field)
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'must be a string')
    return value
  }

  optionalString(value: unknown, field: string): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, field)
  }

  nonEmptyString(value: unknown, field: string): string {
    const text = this.string(value, field)
    if (text === '') this.fail(field, 'must not be empty')
    return text
  }

  size(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.fail(field, 'must be a non-negative integer')
    return value
  }

  digest(value: unknown, field: string): string {
    if (!isDigest(value)) this.fail(field, `must be a digest ("sha256:<64 hex digits>"), got ${JSON.stringify(value)}`)
    return value
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false')
    return value
  }

  optionalBoolean(value: unknown, field: string): boolean | undefined {
    return value === undefined || value === null ? undefined : this.boolean(value, field)
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'must be an array')
    return value
  }

  /** An array, with JSON null read as empty. */
  optionalArray(value: unknown, field: string): unknown[] | undefined {
    return value === undefined || value === null ? undefined : this.array(value, field)
  }

  stringArray(value: unknown, field: string): string[] {
    return this.array(value, field).map((item, i) => this.string(item, `${field}[${i}]`))
  }

  optionalStringArray(value: unknown, field: string): string[] | undefined {
    return value === undefined || value === null ? undefined : this.stringArray(value, field)
  }

  stringMap(value: unknown, field: string): Record<string, string> {
    const object = this.object(value, field)
    const out: Record<string, string> = {}
    for (const [key, item] of Object.entries(object)) out[key] = this.string(item, `${field}.${key}`)
    return out
  }

  optionalStringMap(value: unknown, field: string): Record<string, string> | undefined {
    return value === undefined || value === null ? undefined : this.stringMap(value, field)
  }

  /** A set written as an object of empty objects: {"80/tcp": {}}. */
  optionalKeySet(value: unknown, field: string): Record<string, object> | undefined {
    const object = this.optionalObject(value, field)
    if (!object) return undefined
    const out: Record<string, object> = {}
    for (const [key, item] of Object.entries(object)) {
      out[key] = item === null ? {} : this.object(item, `${field}.${key}`)
    }
    return out
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
