// A build step (scripts/bundle.js) for @oclif/core's compiled modules: each top-level
// `const x_1 = require("y")` becomes a stand-in that requires y when first used. oclif's
// modules require, at load, all that any command might use (its config loader, help renderer,
// templates, spinners, their Node built-ins), and a start paid for evaluating them all; a
// command now evaluates only what its run touches. Only a binding whose every use is a property
// access (`x_1.name`, as tsc's CommonJS output uses one) can wait, and the stand-in forwards those.

/** `const|var NAME = require("M");`, bare or wrapped in tsc's __importDefault/__importStar. */
const REQUIRE_BINDING = /^(const|var) ([A-Za-z_$][\w$]*) = ((?:__importDefault|__importStar)\()?require\(("[^"]+")\)(\))?;$/gm

/** The stand-in: a Proxy over the module, loaded on the first property asked of it (a declaration: hoisted, so appended). */
const LAZY_HELPER =
  '\nfunction __lazyRequire(load) { let m; const get = () => (m === undefined ? (m = load()) : m); ' +
  'return new Proxy({}, {get: (_, k) => get()[k], has: (_, k) => k in get(), ownKeys: () => Reflect.ownKeys(get()), ' +
  'getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(get(), k); if (d) d.configurable = true; return d } }) }\n'

/** Whether every use of `name` after its binding is a property access. */
function onlyPropertyUses(source: string, name: string, from: number): boolean {
  const escaped = name.replaceAll('$', '\\$')
  const uses = [...source.slice(from).matchAll(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])(.?)`, 'g'))]
  return uses.every((use) => use[1] === '.')
}

/** `source` (a CommonJS module) with its top-level requires made lazy where that cannot change what it does. */
export function lazyRequires(source: string): string {
  let changed = false
  const out = source.replace(REQUIRE_BINDING, (line, kind: string, name: string, wrapper: string | undefined, specifier: string, close: string | undefined, offset: number) => {
    if (Boolean(wrapper) !== Boolean(close)) return line
    if (!onlyPropertyUses(source, name, offset + line.length)) return line
    changed = true
    const load = wrapper ? `${wrapper}require(${specifier}))` : `require(${specifier})`
    return `${kind} ${name} = __lazyRequire(() => ${load});`
  })
  return changed ? out + LAZY_HELPER : source
}
