// Driver option values parsed as libnetwork parses them, with Go's errors.
import test from 'ava'

import {parseBool, parseMtu, parseVlan} from '../../../../src/runtime/network/netavark/driver-options'

test('mtu and vlan: empty is the default, numbers in range, Go errors otherwise', (t) => {
  t.is(parseMtu(''), 0)
  t.is(parseMtu('1400'), 1400)
  t.is(parseMtu('+9000'), 9000)
  t.throws(() => parseMtu('-1'), {message: 'mtu -1 is less than zero'})
  t.throws(() => parseMtu('1.5'), {message: 'strconv.Atoi: parsing "1.5": invalid syntax'})
  t.is(parseVlan(''), 0)
  t.is(parseVlan('4094'), 4094)
  t.throws(() => parseVlan('4095'), {message: 'vlan ID 4095 must be between 0 and 4094'})
  t.throws(() => parseVlan('x'), {message: 'strconv.Atoi: parsing "x": invalid syntax'})
})

test('booleans as strconv.ParseBool reads them', (t) => {
  for (const v of ['1', 't', 'T', 'true', 'TRUE', 'True']) t.true(parseBool(v))
  for (const v of ['0', 'f', 'F', 'false', 'FALSE', 'False']) t.false(parseBool(v))
  t.throws(() => parseBool('yes'), {message: 'strconv.ParseBool: parsing "yes": invalid syntax'})
})
