// Podman's records are Go structs, and a Go template prints a struct unlike a map: `{ 8080}`
// (the field values in declaration order) rather than `map[HostIp: HostPort:8080]`. tspod's
// records are plain objects, so the ones that stand for a Go struct carry this mark; the
// template engine prints marked objects as structs. The mark is a symbol that is not
// enumerable, so JSON output and key listings do not see it.
const GO_STRUCT = Symbol('go struct')

/** Marks `fields` (in Go's field order) as a Go struct and returns it. */
export function goStruct<T extends object>(fields: T): T {
  Object.defineProperty(fields, GO_STRUCT, {value: true, enumerable: false})
  return fields
}

export function isGoStruct(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, GO_STRUCT)
}

/**
 * Gives a record keyed by Go field names the JSON that Go's struct tags give it: the `json`
 * template function and JSON output print `tagged` instead (`{"subnet": …}` for a field `Subnet`).
 */
export function withJsonTags<T extends object>(fields: T, tagged: unknown): T {
  Object.defineProperty(fields, 'toJSON', {value: () => tagged, enumerable: false})
  return fields
}
