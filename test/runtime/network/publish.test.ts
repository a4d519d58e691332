// -p/--publish parsing: each expectation below is what `podman create -p ...` (4.3.1) stores or
// answers for the same value (checked by hand as tspoduser; host ports Podman picked are 0 here).
import test from 'ava'

import {exitCodeFor} from '../../../src/cli/exit-codes'
import {UsageError} from '../../../src/errors'
import {parseIp} from '../../../src/runtime/network/ip-address'
import {PortMapping, formatPortMapping, parsePublish} from '../../../src/runtime/network/publish'

function tcp(hostPort: number, containerPort: number, range = 1, hostIP = ''): PortMapping {
  return {hostIP, hostPort, containerPort, protocol: 'tcp', range}
}

const GOOD: [string[], PortMapping[]][] = [
  [['80'], [tcp(0, 80)]],
  [[':80'], [tcp(0, 80)]],
  [['8080:80'], [tcp(8080, 80)]],
  [['127.0.0.1:8080:80'], [tcp(8080, 80, 1, '127.0.0.1')]],
  [['127.0.0.1::80'], [tcp(0, 80, 1, '127.0.0.1')]],
  [['0.0.0.0:8080:80'], [tcp(8080, 80)]],
  [['[::1]:8080:80'], [tcp(8080, 80, 1, '::1')]],
  [['[::1]::80'], [tcp(0, 80, 1, '::1')]],
  [['[0:0::1]:8080:80'], [tcp(8080, 80, 1, '::1')]],
  [['[::ffff:1.2.3.4]:8080:80'], [tcp(8080, 80, 1, '1.2.3.4')]],
  [['8080-8081:80-81'], [tcp(8080, 80, 2)]],
  [['80-81'], [tcp(0, 80, 2)]],
  [['8080:80/udp'], [{hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'udp', range: 1}]],
  [['8080:80/TCP'], [tcp(8080, 80)]],
  [['8080:80/sctp'], [{hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'sctp', range: 1}]],
  [['+80'], [tcp(0, 80)]],
  [['080'], [tcp(0, 80)]],
  [['"80"'], [tcp(0, 80)]],
  [[''], []],
  // several mappings: merged, deduplicated, one per protocol, in a stable order
  [['80,81'], [tcp(0, 80), tcp(0, 81)]],
  [['80', '80'], [tcp(0, 80)]],
  [['80-82', '81'], [tcp(0, 80, 3)]],
  [['8080:80', '8080:80'], [tcp(8080, 80)]],
  [['8080:80', '8081:81'], [tcp(8080, 80, 2)]],
  [['8080-8082:80-82', '8081:81'], [tcp(8080, 80, 3)]],
  [['8080:80', '9090:80'], [tcp(8080, 80), tcp(9090, 80)]],
  [['9090:90', '8080:80', '90'], [tcp(8080, 80), tcp(9090, 90), tcp(0, 90)]],
  [
    ['8080:80', '8080:80/udp'],
    [tcp(8080, 80), {hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'udp', range: 1}],
  ],
  [['127.0.0.1:8080:80', '8080:81'], [tcp(8080, 80, 1, '127.0.0.1'), tcp(8080, 81)]],
  // a quoted comma list of protocols (reachable only through CSV quoting, as in Podman)
  [
    ['"8080:80/tcp,udp"'],
    [tcp(8080, 80), {hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'udp', range: 1}],
  ],
]

for (const [values, expected] of GOOD) {
  test(`-p ${values.map((v) => JSON.stringify(v)).join(' -p ')}`, (t) => {
    t.deepEqual(parsePublish(values), expected)
  })
}

const BAD: [string[], string][] = [
  [['80/tcp/udp'], 'invalid port format - protocol can only be specified once'],
  [['abc'], 'parsing container port: invalid port number: strconv.Atoi: parsing "abc": invalid syntax'],
  [['[::1]:80'], 'invalid port format - must provide host and destination port if specifying an IP'],
  [['::1:8080:80'], 'invalid port format - format is [[hostIP:]hostPort:]containerPort'],
  [['a:b:c:d'], 'invalid port format - format is [[hostIP:]hostPort:]containerPort'],
  [['[::1:8080:80'], 'invalid port format - format is [[hostIP:]hostPort:]containerPort'],
  [['::1]:8080:80'], 'invalid port format - IPv6 addresses must be enclosed by []'],
  [['[::1]8080:80'], "invalid port format - IPv6 address must be followed by a colon (':')"],
  [['[::1]:[::2]:80'], 'invalid port format - at most one IPv6 address can be specified in a --publish'],
  [['[::1]:1:2:80'], 'invalid port format - when v6 address specified, must be [ipv6]:hostPort:ctrPort'],
  [['8080-8082:80-81'], 'host and container port ranges have different lengths: 3 vs 2'],
  [['8080:80/tcp,udp'], 'parsing container port: invalid port number: strconv.Atoi: parsing "udp": invalid syntax'],
  [['8080:80/'], 'must provide a non-empty protocol to publish'],
  [['8080:80/foo'], 'unrecognized protocol "foo" in port mapping'],
  [['8080:80/FOO'], 'unrecognized protocol "foo" in port mapping'],
  [['0:80'], 'parsing host port: port numbers must be between 1 and 65535 (inclusive), got 0'],
  [['8080:0'], 'parsing container port: port numbers must be between 1 and 65535 (inclusive), got 0'],
  [['65536:80'], 'parsing host port: port numbers must be between 1 and 65535 (inclusive), got 65536'],
  [['99999999999999999999'], 'parsing container port: invalid port number: strconv.Atoi: parsing "99999999999999999999": value out of range'],
  [['8080:-1'], 'parsing container port: port numbers cannot be negative'],
  [['8080:81-80'], 'parsing container port: the end port of a range must be higher than the start port - 80 is not higher than 81'],
  [['65535-65535:80'], 'parsing host port: the end port of a range must be higher than the start port - 65535 is not higher than 65535'],
  [['8080:80-'], 'parsing container port: must provide ending number for port range'],
  [['8080:80-81-82'], 'parsing container port: invalid port format - port ranges are formatted as startPort-stopPort'],
  [[':'], 'must provide a non-empty container port to publish'],
  [['8080:80:'], 'must provide a non-empty container port to publish'],
  [['80,'], 'must provide a non-empty container port to publish'],
  [['1.2.3:8080:80'], 'cannot parse "1.2.3" as an IP address'],
  [['localhost:8080:80'], 'cannot parse "localhost" as an IP address'],
  [['01.2.3.4:8080:80'], 'cannot parse "01.2.3.4" as an IP address'],
  [['[fe80::1%eth0]:8080:80'], 'cannot parse "fe80::1%eth0" as an IP address'],
  [[':8080:80'], 'must provide a non-empty container host IP to publish'],
  [['8080: 80'], 'parsing container port: invalid port number: strconv.Atoi: parsing " 80": invalid syntax'],
  [['"8,0",81'], 'parsing container port: invalid port number: strconv.Atoi: parsing "8,0": invalid syntax'],
  [['"8""0"'], 'parsing container port: invalid port number: strconv.Atoi: parsing "8\\"0": invalid syntax'],
  // CSV quoting errors, as pflag reports them
  [['8"0'], 'invalid argument "8\\"0" for "-p, --publish" flag: parse error on line 1, column 2: bare " in non-quoted-field'],
  [['x"80"'], 'invalid argument "x\\"80\\"" for "-p, --publish" flag: parse error on line 1, column 2: bare " in non-quoted-field'],
  [['"80'], 'invalid argument "\\"80" for "-p, --publish" flag: parse error on line 1, column 4: extraneous or missing " in quoted-field'],
  [['"8"0'], 'invalid argument "\\"8\\"0" for "-p, --publish" flag: parse error on line 1, column 3: extraneous or missing " in quoted-field'],
  [['"80"x'], 'invalid argument "\\"80\\"x" for "-p, --publish" flag: parse error on line 1, column 4: extraneous or missing " in quoted-field'],
  [['80,"81'], 'invalid argument "80,\\"81" for "-p, --publish" flag: parse error on line 1, column 7: extraneous or missing " in quoted-field'],
  // a host port given to two container ports
  [['8080-8082:80-82', '8081:90'], 'conflicting port mappings for host port 8081 (protocol tcp)'],
  [['8080:80', '8080:81'], 'conflicting port mappings for host port 8080 (protocol tcp)'],
]

for (const [values, message] of BAD) {
  test(`-p ${values.map((v) => JSON.stringify(v)).join(' -p ')} is refused`, (t) => {
    const err = t.throws(() => parsePublish(values), {instanceOf: UsageError})
    t.is(err?.message, message)
    t.is(exitCodeFor(err), 125)
  })
}

test('IP addresses are read and printed as Go does', (t) => {
  t.deepEqual(parseIp('10.0.2.100'), {family: 4, text: '10.0.2.100'})
  t.deepEqual(parseIp('2001:DB8:0:0:1:0:0:1'), {family: 6, text: '2001:db8::1:0:0:1'})
  t.deepEqual(parseIp('2001:db8:0:0:0:0:2:1'), {family: 6, text: '2001:db8::2:1'})
  t.deepEqual(parseIp('2001:db8:0:1:1:1:1:1'), {family: 6, text: '2001:db8:0:1:1:1:1:1'})
  t.deepEqual(parseIp('::'), {family: 6, text: '::'})
  t.deepEqual(parseIp('::1.2.3.4'), {family: 6, text: '::102:304'})
  t.deepEqual(parseIp('1:2:3:4:5:6:1.2.3.4'), {family: 6, text: '1:2:3:4:5:6:102:304'})
  for (const bad of ['', '1.2.3.256', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7::8', '12345::', 'fe80::1%lo'])
    t.is(parseIp(bad), undefined, bad)
})

test('a mapping prints in -p syntax', (t) => {
  t.is(formatPortMapping(tcp(8080, 80, 2, '::1')), '[::1]:8080-8081:80-81/tcp')
  t.is(formatPortMapping(tcp(0, 80, 1, '127.0.0.1')), '127.0.0.1::80/tcp')
})
