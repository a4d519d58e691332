#!/usr/bin/env node
'use strict'
// Write a busybox image built from Debian's busybox-static (no network) as an oci-archive:
//   node .ci/build-demo-image.js FILE [NAME]
// It uses the test bed's image builder (compiled into dist/ by `npm run build`).
const path = require('node:path')
const {busyboxImage, writeOciArchive} = require(path.join(__dirname, '..', 'dist/test/helpers/oci-image'))

const [file, name = 'localhost/busybox:latest'] = process.argv.slice(2)
if (!file) {
  console.error('usage: build-demo-image.js FILE [NAME]')
  process.exit(2)
}
busyboxImage().then((image) => writeOciArchive(file, [{image, ref: name}]))
