#!/usr/bin/env node
'use strict'
// `npm run build:bundle`, after tsc: bundle each program tspod runs into one file in dist/, so a
// start reads one file instead of hundreds, then write the CLI bundle's V8 code cache.
//   dist/tspod.js            the CLI (bin/run.js), exporting oclif's COMMANDS
//   dist/command-table.json  its commands by their words, for a start without oclif's config
//   dist/monitor-setup.js    run by tspod-monitor to start a detached container
//   dist/monitor-cleanup.js  run by tspod-monitor after the container exits
//   dist/monitor-healthcheck.js  run by tspod-monitor every --health-interval
//   dist/unpack-worker.js    unpacks layers inside the user namespace
//   dist/mapped-layers-worker.js  copies layers chowned for a container's id mapping (keep-id)
//   dist/layer-check-worker.js    compares layers with their kept blobs (system check)
//   dist/layer-diff-worker.js     tars a container's read-write layer (commit, build)
//   dist/changes-worker.js        reads a read-write layer's changes (diff) inside the user namespace
//   dist/port-forwarder.js        publishes ports of a container on named networks
// Each bundle sits in dist/ under the same name its module has in dist/src/..., so the paths
// that modules derive from __dirname hold in both layouts (tests load dist/src directly).
const esbuild = require('esbuild')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const dist = path.join(root, 'dist')

const entryPoints = {
  tspod: 'dist/src/cli/main.js',
  'monitor-setup': 'dist/src/runtime/container/monitor-setup.js',
  'monitor-cleanup': 'dist/src/runtime/container/monitor-cleanup.js',
  'monitor-healthcheck': 'dist/src/runtime/container/monitor-healthcheck.js',
  'unpack-worker': 'dist/src/storage/store/archive/unpack-worker.js',
  'mapped-layers-worker': 'dist/src/storage/store/mapped-layers/mapped-layers-worker.js',
  'layer-check-worker': 'dist/src/storage/store/check/layer-check-worker.js',
  'layer-diff-worker': 'dist/src/build/layer-diff-worker.js',
  'changes-worker': 'dist/src/storage/store/changes-worker.js',
  'port-forwarder': 'dist/src/runtime/network/netavark/port-forwarder.js',
}

// @oclif/core's modules with their requires made lazy (src/cli/lazy-requires.ts says why).
const {lazyRequires} = require(path.join(dist, 'src/cli/lazy-requires.js'))
const lazyOclif = {
  name: 'lazy-oclif-requires',
  setup(build) {
    build.onLoad({filter: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/}, (args) => ({
      contents: lazyRequires(fs.readFileSync(args.path, 'utf8')),
      loader: 'js',
    }))
  },
}

async function bundle() {
  await esbuild.build({
    entryPoints,
    plugins: [lazyOclif],
    absWorkingDir: root,
    outdir: dist,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Native addons find their binaries relative to their own package (better-sqlite3's JS is
    // bundled: its addon is named by path, src/storage/store/db/connection.ts); typescript is only
    // what oclif would use to run .ts sources in development.
    external: ['better-sqlite3/package.json', 'bindings', 'node-gyp-build', 'typescript'],
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  })

  // Pure ASCII, so that Node reads each bundle into a one-byte string without UTF-8 decoding.
  const {asciiSource} = require(path.join(dist, 'src/cli/ascii-source.js'))
  for (const name of Object.keys(entryPoints)) {
    const file = path.join(dist, `${name}.js`)
    const source = fs.readFileSync(file, 'utf8')
    const ascii = asciiSource(source)
    if (ascii !== source) fs.writeFileSync(file, ascii)
  }

  // The command table (scripts/command-table.js) before the code cache: the warm-up runs the start
  // path that reads it.
  require('node:child_process').execFileSync(process.execPath, [path.join(__dirname, 'command-table.js')], {stdio: 'inherit'})

  const {writeCodeCache} = require(path.join(dist, 'src/cli/code-cache.js'))
  // run's module graph (most of the runtime, which the other container commands share) is evaluated
  // once, and the listing commands run once, so their code is in the cache; the rest compiles on first use.
  const bytes = await writeCodeCache(path.join(dist, 'tspod.js'), (cli) => cli.warmCodeCache())
  console.log(`dist/tspod.js bundled, code cache ${Math.round(bytes / 1024)} KiB`)
}

bundle().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
