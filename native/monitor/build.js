#!/usr/bin/env node
'use strict'
// Build tspod-monitor (a plain C program, no Node API; installed as `conmon`, the name of Podman's monitor) and tspod-exec-helper (static: it runs
// inside containers, whatever libraries they have) into prebuilds/<platform>-<arch>/, next to the
// addon, where src/runtime/container/detach.ts and src/native.ts look for them. Run from the
// package root by `npm run build:native`, after prebuildify has put the addon there.
const {execFileSync} = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..', '..')
const outDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`)
const out = path.join(outDir, 'conmon')
const source = path.join(__dirname, 'tspod-monitor.c')
const cc = process.env.CC || 'cc'

fs.mkdirSync(outDir, {recursive: true})
execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-s', '-o', out, source], {stdio: 'inherit'})
const helperSource = path.join(__dirname, '..', 'exec-helper', 'tspod-exec-helper.c')
execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-static', '-s', '-o', path.join(outDir, 'tspod-exec-helper'), helperSource], {stdio: 'inherit'})
