// Load a CommonJS bundle with a V8 code cache beside it (FILE.cache), the way Node 22's
// module.enableCompileCache would: compiling tspod's bundle costs more than running most
// commands. The cache is written at build time (scripts/bundle.js); one that this Node's V8
// rejects (another version or flags) is ignored and the bundle is compiled as usual.
import * as fs from 'node:fs'
import Module = require('node:module')
import * as path from 'node:path'
import * as vm from 'node:vm'

interface InternalModule {
  filename: string
  paths: string[]
  loaded: boolean
  exports: Record<string, unknown>
}

type ModuleStatics = typeof Module & {_nodeModulePaths(dir: string): string[]; wrap(source: string): string}

/** `file` compiled as a CommonJS module; `cachedDataRejected` tells whether V8 took the cache. */
export function compile(file: string, cachedData: Buffer | undefined): vm.Script {
  const wrapper = (Module as ModuleStatics).wrap(fs.readFileSync(file, 'utf8'))
  return new vm.Script(wrapper, {filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER})
}

export function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file)
  } catch {
    return undefined
  }
}

/** Evaluate `file` as a CommonJS module registered in require's cache, so `require(file)` finds this instance. */
function evaluate(file: string, script: vm.Script): Record<string, unknown> {
  const mod = new Module(file) as unknown as InternalModule
  mod.filename = file
  mod.paths = (Module as ModuleStatics)._nodeModulePaths(path.dirname(file))
  require.cache[file] = mod as unknown as NodeJS.Module
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  try {
    wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file))
  } catch (err) {
    delete require.cache[file]
    throw err
  }
  mod.loaded = true
  return mod.exports
}

/** require() of `file` (an absolute path), compiled with the code cache at `file`.cache when there is one. */
export function requireCached(file: string): Record<string, unknown> {
  return evaluate(file, compile(file, readCache(`${file}.cache`)))
}

/**
 * Evaluate `file`, let `warm` run what should be compiled ahead (V8 compiles functions lazily,
 * on first call, and the cache holds what was compiled so far), and write the code to `file`.cache.
 */
export async function writeCodeCache(file: string, warm: (exports: Record<string, unknown>) => unknown = () => undefined): Promise<number> {
  const script = compile(file, undefined)
  await warm(evaluate(file, script))
  const data = script.createCachedData()
  fs.writeFileSync(`${file}.cache`, data)
  return data.length
}
