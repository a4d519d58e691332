// Completion of a `--format` Go template, as Podman's AutocompleteFormat: `json` while nothing else
// is typed; after `{{.` the fields and methods of the command's output type, `{{.Name}}` for a
// value, `{{.Name.` for a struct or a map (followed on the next `.`), a method that takes
// arguments told by its description. Podman reads its Go types by reflection; tspod describes
// them here (the output types of the commands it renders the same way).
import {DIRECTIVE} from './directive'

/** A method: `Name`, `Name.` (it returns a struct or map), `Name/2` (it takes 2 arguments). */
type Method = string

/** A field: a value, a struct (followed), a map (its element followed), or an embedded struct. */
type Field = string | {name: string; struct: GoType; embedded?: boolean} | {name: string; map: GoType | 'value'}

export interface GoType {
  methods?: Method[]
  fields?: Field[]
}

interface Suggestion {
  name: string
  /** `}}`, `.`, or a tab and the description of a method that takes arguments */
  suffix: string
}

function fieldName(field: Field): string {
  return typeof field === 'string' ? field : field.name
}

function methodSuggestion(method: Method): Suggestion {
  const m = /^([^./]+)(\.|\/(\d+))?$/.exec(method)!
  if (m[2] === '.') return {name: m[1], suffix: '.'}
  const args = m[3] === undefined ? 0 : Number(m[3])
  if (args === 0) return {name: m[1], suffix: '}}'}
  return {name: m[1], suffix: `\tThis is a function and requires ${args} argument${args > 1 ? 's' : ''}`}
}

/** getStructFields: the methods, the fields, then an embedded struct's own that are not there yet. */
function suggestions(type: GoType, prefix: string): Suggestion[] {
  const found = (type.methods ?? []).map(methodSuggestion).filter((s) => s.name.startsWith(prefix))
  const embedded: Suggestion[] = []
  for (const field of type.fields ?? []) {
    const name = fieldName(field)
    if (typeof field !== 'string' && 'struct' in field && field.embedded) embedded.push(...suggestions(field.struct, prefix))
    if (name.startsWith(prefix)) found.push({name, suffix: typeof field === 'string' ? '}}' : '.'})
  }
  for (const s of embedded) if (!found.some((f) => f.name === s.name)) found.push(s)
  return found
}

/** A field by name, an embedded struct's too (Go's FieldByName). */
function fieldByName(type: GoType, name: string): Field | undefined {
  for (const field of type.fields ?? []) if (fieldName(field) === name) return field
  for (const field of type.fields ?? []) {
    if (typeof field === 'string' || !('struct' in field) || !field.embedded) continue
    const inner = fieldByName(field.struct, name)
    if (inner) return inner
  }
  return undefined
}

/** What a step of the template's path leads to: a struct, a map, a value, or no field at all. */
type Step = GoType | {mapOf: GoType | 'value'} | 'value' | 'none'

/** The next step, undefined where Podman stops completing (a value or no field on the way). */
function follow(step: Step, name: string): Step | undefined {
  if (step === 'value' || step === 'none') return undefined
  // any key of a map leads to its element
  if ('mapOf' in step) return step.mapOf
  const field = fieldByName(step, name)
  if (field === undefined) return 'none'
  if (typeof field === 'string') return 'value'
  return 'struct' in field ? field.struct : {mapOf: field.map}
}

export interface FormatCompletion {
  candidates: {name: string; description?: string}[]
  directive: number
}

/** The completion of a `--format` value being typed, for a command whose output type is `type` (undefined: none known). */
export function completeFormat(type: GoType | undefined, toComplete: string): FormatCompletion {
  if ('json'.startsWith(toComplete)) return {candidates: [{name: 'json'}], directive: DIRECTIVE.noFileComp}
  const none = {candidates: [], directive: DIRECTIVE.noFileComp}
  if (!type) return none
  const vars = toComplete.split('{{')
  if (vars.length === 1) return none
  const words = vars[vars.length - 1].split(' ')
  const path = words[words.length - 1].split('.')
  let step: Step = type
  for (let i = 1; i < path.length; i++) {
    if (i === path.length - 1) {
      const found = typeof step === 'object' && !('mapOf' in step) ? suggestions(step, path[i]) : []
      const parts = toComplete.split('.')
      parts[parts.length - 1] = ''
      const before = parts.join('.')
      const candidates = found.map((s) => {
        const [name, description] = s.suffix.startsWith('\t') ? [s.name, s.suffix.slice(1)] : [s.name + s.suffix, undefined]
        return description === undefined ? {name: before + name} : {name: before + name, description}
      })
      return {candidates, directive: DIRECTIVE.noSpace | DIRECTIVE.noFileComp}
    }
    const next = follow(step, path[i])
    if (next === undefined) return none
    step = next
  }
  return none
}
