// The layers' import rules, read from the sources: a command parses, calls the Engine and renders,
// so src/commands/ imports only the Engine (src/engine/) and the CLI helpers (src/cli/); src/cli/
// may name the libraries' types but calls nothing past the Engine.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'
import ts from 'typescript'

import {REPO} from '../helpers/rootless'

const SRC = path.join(REPO, 'src')

interface ModuleImport {
  file: string
  specifier: string
  typeOnly: boolean
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') ? [full] : []
  })
}

/** Every module a file names: import and export declarations, require() and import(). */
function importsOf(file: string): ModuleImport[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: ModuleImport[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({file, specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false})
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({file, specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly})
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({file, specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly})
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require'
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) found.push({file, specifier: node.arguments[0].text, typeOnly: false})
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({file, specifier: node.argument.literal.text, typeOnly: true})
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** The source path (relative to src/, without extension) a relative import names; undefined for a package. */
function target(imp: ModuleImport): string | undefined {
  if (!imp.specifier.startsWith('.')) return undefined
  return path.relative(SRC, path.resolve(path.dirname(imp.file), imp.specifier))
}

const within = (dirs: string[]) => (where: string) => dirs.some((d) => where === d || where.startsWith(`${d}/`))

function describe(imp: ModuleImport): string {
  return `${path.relative(REPO, imp.file)} imports '${imp.specifier}'`
}

test('src/commands/ imports only the Engine (src/engine/) and the CLI helpers (src/cli/), besides oclif', (t) => {
  const allowed = within(['engine', 'cli'])
  const files = sourceFiles(path.join(SRC, 'commands'))
  t.true(files.length > 40)
  const wrong = files.flatMap(importsOf).filter((imp) => {
    const where = target(imp)
    return where === undefined ? imp.specifier !== '@oclif/core' : !allowed(where)
  })
  t.deepEqual(wrong.map(describe), [])
})

test('src/cli/ calls nothing past the Engine: its value imports stay in the CLI, the Engine, the commands, the error classes, the Go struct mark and the trace', (t) => {
  const allowed = within(['cli', 'engine', 'commands', 'hooks', 'errors', 'go-struct', 'package-info', 'trace'])
  const wrong = sourceFiles(path.join(SRC, 'cli'))
    .flatMap(importsOf)
    .filter((imp) => {
      const where = target(imp)
      return where !== undefined && !imp.typeOnly && !allowed(where)
    })
  t.deepEqual(wrong.map(describe), [])
})

test('the import scan sees every kind of import', (t) => {
  const dir = fs.mkdtempSync(path.join(REPO, 'dist', 'import-scan-'))
  try {
    const file = path.join(dir, 'sample.ts')
    fs.writeFileSync(
      file,
      [
        "import {a} from './value'",
        "import type {B} from './type-only'",
        "export {c} from './re-export'",
        "const d = require('./required')",
        "const e = () => import('./dynamic')",
        "let f: import('./type-query').F",
      ].join('\n'),
    )
    t.deepEqual(
      importsOf(file).map((imp) => [imp.specifier, imp.typeOnly]),
      [
        ['./value', false],
        ['./type-only', true],
        ['./re-export', false],
        ['./required', false],
        ['./dynamic', false],
        ['./type-query', true],
      ],
    )
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})
