// ChainIDs as the OCI image spec defines them.
import test from 'ava'
import * as crypto from 'node:crypto'

import {chainIds, hexOf} from '../../../../src/storage/store/images/chain-id'

const sha = (text: string) => `sha256:${crypto.createHash('sha256').update(text).digest('hex')}`

test('the bottom layer\'s ChainID is its DiffID; each next one hashes the previous ChainID, a space and its DiffID', (t) => {
  const [a, b, c] = [sha('a'), sha('b'), sha('c')]
  const ab = sha(`${a} ${b}`)
  t.deepEqual(chainIds([]), [])
  t.deepEqual(chainIds([a]), [a])
  t.deepEqual(chainIds([a, b, c]), [a, ab, sha(`${ab} ${c}`)])
  t.notDeepEqual(chainIds([b, a])[1], ab, 'order matters')
})

test('hexOf drops the algorithm', (t) => {
  t.is(hexOf(`sha256:${'ab'.repeat(32)}`), 'ab'.repeat(32))
  t.is(hexOf('abc'), 'abc')
})
