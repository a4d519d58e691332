#!/usr/bin/env node
'use strict'
// Part of `npm run build:bundle`: write dist/command-table.json, the commands by the words that
// name them, from the CLI bundle's COMMANDS (src/cli/command-table.ts says why). Run in a process
// of its own: it loads every command, which the bundle's code cache should not hold.
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const {buildCommandTable, COMMAND_TABLE_FILE} = require(path.join(root, 'dist/src/cli/command-table.js'))
const {COMMANDS} = require(path.join(root, 'dist/tspod.js'))
const pjson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const table = buildCommandTable(COMMANDS, pjson)
const file = path.join(root, COMMAND_TABLE_FILE)
if (table) fs.writeFileSync(file, JSON.stringify(table))
else fs.rmSync(file, {force: true})
console.log(table ? `${COMMAND_TABLE_FILE}: ${Object.keys(table.words).length} command words` : `${COMMAND_TABLE_FILE}: none (plugins or hooks need oclif's config)`)
