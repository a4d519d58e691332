import test from 'ava'

import {goStruct, isGoStruct} from '../src/go-struct'

test('the Go struct mark is seen by isGoStruct and by nothing that lists or serialises keys', (t) => {
  const marked = goStruct({HostIp: '', HostPort: '80'})
  t.true(isGoStruct(marked))
  t.false(isGoStruct({HostIp: '', HostPort: '80'}))
  t.false(isGoStruct(null))
  t.deepEqual(Object.keys(marked), ['HostIp', 'HostPort'])
  t.is(JSON.stringify(marked), '{"HostIp":"","HostPort":"80"}')
  t.false(isGoStruct({...marked}), 'a copy is a plain record')
})
