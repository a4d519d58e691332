// The commands by the words that name them, written at build time (scripts/command-table.js,
// dist/command-table.json) so that a start finds the command it runs without oclif's Config,
// which reads and builds all of oclif.manifest.json. The words are placed as help/command-tree.ts
// places them; test/cli/command-table.test.ts checks the two agree.
import * as fs from 'node:fs'
import * as path from 'node:path'

export interface CommandTable {
  /** package.json's name, version, oclif.bin and oclif.exitCodes: what a command reads of oclif's config */
  name: string
  version: string
  bin: string
  exitCodes: Record<string, number>
  /** each command's id and aliases as their words joined by spaces → the command's id; a group's words → null */
  words: Record<string, string | null>
}

interface PackageJson {
  name: string
  version: string
  oclif: {bin: string; exitCodes?: Record<string, number>; plugins?: string[]; hooks?: Record<string, unknown>}
}

/** The hook the CLI keeps on its fast path too: an unknown command goes to oclif's path, which runs it. */
const HOOKS_WITHOUT_CONFIG = new Set(['command_not_found'])

/**
 * The table of `commands` (oclif ids → classes), or undefined when oclif's config does more than
 * find a command (plugins, or hooks such as prerun): then every start takes oclif's path.
 */
export function buildCommandTable(commands: Record<string, {aliases?: string[]}>, pjson: PackageJson): CommandTable | undefined {
  if ((pjson.oclif.plugins ?? []).length > 0) return undefined
  if (Object.keys(pjson.oclif.hooks ?? {}).some((hook) => !HOOKS_WITHOUT_CONFIG.has(hook))) return undefined
  const words: Record<string, string | null> = {}
  for (const [id, command] of Object.entries(commands)) {
    for (const name of [id, ...(command.aliases ?? [])]) {
      const parts = name.split(':')
      for (let i = 1; i < parts.length; i++) words[parts.slice(0, i).join(' ')] ??= null
      words[parts.join(' ')] = id
    }
  }
  return {name: pjson.name, version: pjson.version, bin: pjson.oclif.bin, exitCodes: pjson.oclif.exitCodes ?? {}, words}
}

export const COMMAND_TABLE_FILE = path.join('dist', 'command-table.json')

/** The table written at build time under `root`; undefined without one (a build that made none, a source checkout). */
export function readCommandTable(root: string): CommandTable | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, COMMAND_TABLE_FILE), 'utf8')) as CommandTable
  } catch {
    return undefined
  }
}

/**
 * The command that argv's leading words name, as help/command-tree.ts's findNode walks them (the
 * words up to the first flag, as far as they name a command or group), and the arguments after
 * them; undefined when they name no command (the root, a group, `help`).
 */
export function findCommand(table: CommandTable, argv: string[]): {id: string; path: string[]; args: string[]} | undefined {
  let used = 0
  while (used < argv.length && !argv[used].startsWith('-') && Object.hasOwn(table.words, argv.slice(0, used + 1).join(' '))) used++
  const id = used > 0 ? table.words[argv.slice(0, used).join(' ')] : null
  return id ? {id, path: argv.slice(0, used), args: argv.slice(used)} : undefined
}
