import test from 'ava'

import {goStruct, isGoStruct, withJsonTags} from '../src/go-struct'

test('the Go struct mark is seen by isGoStruct and by nothing that lists or serialises keys', (t) => {
  const marked = goStruct({HostIp: '', HostPort: '80'})
  t.true(isGoStruct(marked))
  t.false(isGoStruct({HostIp: '', HostPort: '80'}))
  t.false(isGoStruct(null))
  t.deepEqual(Object.keys(marked), ['HostIp', 'HostPort'])
  t.is(JSON.stringify(marked), '{"HostIp":"","HostPort":"80"}')
  t.false(isGoStruct({...marked}), 'a copy is a plain record')
})

test('a record with JSON tags serialises as the tagged value and lists only its Go fields', (t) => {
  const record = withJsonTags({Subnet: '10.0.0.0/24', Gateway: '10.0.0.1'}, {subnet: '10.0.0.0/24', gateway: '10.0.0.1'})
  t.deepEqual(Object.keys(record), ['Subnet', 'Gateway'])
  t.is(JSON.stringify([record]), '[{"subnet":"10.0.0.0/24","gateway":"10.0.0.1"}]')
})
