// The CLI runs as a bundle in dist/, where __dirname is dist/ itself: every script a module
// starts by a path next to its own file must have a bundle of the same name there.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {REPO} from '../helpers/rootless'

function sources(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : []
  })
}

test('every script started from a path beside its module has a bundle in dist/', (t) => {
  const scripts = sources(path.join(REPO, 'src')).flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/path\.join\(__dirname, '([\w.-]+\.js)'\)/g)].map((m) => m[1]),
  )
  t.true(scripts.length >= 3, scripts.join(' '))
  for (const script of scripts) t.true(fs.existsSync(path.join(REPO, 'dist', script)), `dist/${script} (scripts/bundle.js entryPoints)`)
})

test('the CLI bundle is pure ASCII, so Node reads it without decoding UTF-8', (t) => {
  t.true(/^[\x00-\x7f]*$/.test(fs.readFileSync(path.join(REPO, 'dist', 'tspod.js'), 'latin1')))
})
