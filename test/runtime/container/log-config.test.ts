// --log-driver and --log-opt as Podman 4.3 parses them (go-units sizes), and inspect's Size.
import test from 'ava'

import {humanSize, parseHumanSize, parseLogConfig} from '../../../src/runtime/container/log-config'

test('sizes are go-units FromHumanSize: decimal units, an optional i and B, one optional space', (t) => {
  const cases: [string, number][] = [
    ['10', 10],
    ['1k', 1000],
    ['1.5k', 1500],
    ['1 k', 1000],
    ['1KB', 1000],
    ['1m', 1_000_000],
    ['1MiB', 1_000_000],
    ['2g', 2_000_000_000],
    ['0', 0],
    ['99999999999999999999', 0],
  ]
  for (const [text, bytes] of cases) t.is(parseHumanSize(text), bytes, text)
  for (const bad of ['abc', '', '-1', '1e3', '0x10', '1  k', '1kk'])
    t.throws(() => parseHumanSize(bad), {message: `invalid size: '${bad}'`})
  t.throws(() => parseHumanSize('1.5.5k'), {message: 'strconv.ParseFloat: parsing "1.5.5": invalid syntax'})
})

test('inspect shows the size as go-units HumanSize', (t) => {
  t.deepEqual([0, 10, 1500, 30_000, 1_000_000, 1_048_576, 2_500_000_000].map(humanSize), ['0B', '10B', '1.5kB', '30kB', '1MB', '1.049MB', '2.5GB'])
})

test('--log-opt keys: driver, path, max-size, tag (any case); others are kept unused; a later one wins', (t) => {
  t.deepEqual(parseLogConfig(undefined, []), {driver: 'k8s-file', size: 0})
  t.deepEqual(parseLogConfig('', ['MAX-SIZE=1m', 'max-size=20k', 'tag={{.Name}}', 'max-file=3', 'path=/var/log/../log/c.log']), {
    driver: 'k8s-file',
    size: 20_000,
    tag: '{{.Name}}',
    path: '/var/log/c.log',
  })
  t.is(parseLogConfig('k8s-file', ['driver=none']).driver, 'none')
  t.is(parseLogConfig('json-file').driver, 'json-file')
  t.throws(() => parseLogConfig(undefined, ['nokey']), {message: 'invalid log option "nokey"'})
  t.throws(() => parseLogConfig(undefined, ['path=rel.log']), {message: '--log-opt path=rel.log: the log path must be absolute'})
  t.throws(() => parseLogConfig('bogus'), {message: 'running container create option: invalid log driver: invalid argument'})
  t.throws(() => parseLogConfig('journald'), {message: '--log-driver journald is not supported by tspod: use k8s-file (the default), json-file or none'})
})
