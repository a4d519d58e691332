#!/usr/bin/env -S node --
'use strict'
// `tspod --version` is answered before the CLI bundle loads, in Podman's words.
// The `--` ends Node's own options: Node 20 reads an --env-file anywhere on the command line,
// so without it `tspod run --env-file FILE` would be Node's to read (and to die on when missing).
// Everything else runs the CLI bundle (scripts/bundle.js), compiled with its V8 code cache.
const path = require('node:path')

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const line = `tspod version ${require('../package.json').version}\n`
  // written to fd 1 directly: making process.stdout costs more than the rest of this start
  try {
    require('node:fs').writeSync(1, line)
  } catch {
    process.stdout.write(line)
  }
} else {
  const {requireCached} = require('../dist/src/cli/code-cache.js')
  // @oclif/core checks Node's version against an engines range when it loads, with semver: a few
  // ms of every start for what package.json's engines already says. Unset again at once, so that
  // no container (--env-host) or child sees it.
  const given = process.env.OCLIF_DISABLE_ENGINE_WARNING
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
  const cli = requireCached(path.join(__dirname, '..', 'dist', 'tspod.js'))
  if (given === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING
  else process.env.OCLIF_DISABLE_ENGINE_WARNING = given
  cli.main(argv)
}
