'use strict'
// What the store benchmarks share: a generated image of a given size (and, from as-user.js,
// timing a command as the rootless test user). Uses the test helpers compiled in dist/.
const crypto = require('node:crypto')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {buildImage} = require(path.join(repo, 'dist/test/helpers/oci-image'))
const {user, timedAsUser} = require('./as-user')

/** Files that compress about like real images do: half random, half repetitive text. */
function layerEntries(index, bytes) {
  const entries = [{path: `layer${index}/`, type: 'dir', mode: 0o755}]
  const fileSize = 4 * 1024 * 1024
  for (let i = 0; i * fileSize < bytes; i++) {
    const random = crypto.randomBytes(fileSize / 2)
    const text = Buffer.alloc(fileSize / 2, `layer ${index} file ${i} lorem ipsum dolor sit amet\n`)
    entries.push({path: `layer${index}/file${i}`, type: 'file', content: Buffer.concat([random, text]), mode: 0o644, uid: i % 3 === 0 ? 0 : 1000, gid: 0})
  }
  return entries
}

/** An image of about totalMB, in `layers` equal layers. */
function generatedImage(totalMB, layers) {
  process.stderr.write(`building a ${totalMB} MB, ${layers}-layer image...\n`)
  const per = (totalMB * 1024 * 1024) / layers
  return buildImage({layers: Array.from({length: layers}, (_, i) => layerEntries(i, per))})
}

module.exports = {user, generatedImage, timedAsUser}
