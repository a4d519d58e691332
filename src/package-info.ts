// Where tspod is installed, and its version. The tsc output (dist/src/...) and the bundles that
// bin/run.js loads (dist/*.js) sit at different depths, so the root is found by walking up to
// the first package.json.
import * as fs from 'node:fs'
import * as path from 'node:path'

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`tspod is installed without its package.json (looked above ${from})`)
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname)

// tsc puts this file at dist/src/package-info.js; the bundler inlines the JSON.
export const VERSION: string = require('../../package.json').version

/** When this tspod was built or installed (its package.json's mtime), in Unix seconds: version's Built. */
export function builtTime(): number {
  try {
    return Math.floor(fs.statSync(path.join(PACKAGE_ROOT, 'package.json')).mtimeMs / 1000)
  } catch {
    return 0
  }
}
