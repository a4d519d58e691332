#!/usr/bin/env node
'use strict'
// `tspod --version` is answered before oclif loads (loading it costs ~80 ms), in Podman's words.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`tspod version ${require('../package.json').version}\n`)
} else {
  require('../dist/src/cli/main.js').main(argv)
}
