// --tz: the zone file copied to the container's /etc/localtime.
import test from 'ava'
import * as fs from 'node:fs'

import {UsageError} from '../../../src/errors'
import {timezoneFile, zoneFilePath} from '../../../src/runtime/spec/timezone'

test('a zone name is a file under /usr/share/zoneinfo; local is the host\'s /etc/localtime', (t) => {
  t.is(zoneFilePath('Europe/Berlin'), '/usr/share/zoneinfo/Europe/Berlin')
  t.is(zoneFilePath('UTC'), '/usr/share/zoneinfo/UTC')
  t.is(zoneFilePath('local'), '/etc/localtime')
  for (const outside of ['../../etc/shadow', '/etc/passwd', '..'])
    t.throws(() => zoneFilePath(outside), {instanceOf: UsageError, message: `--tz ${outside}: a zone is a name under /usr/share/zoneinfo (Europe/Berlin, UTC, MST7MDT) or local`}, outside)
})

test('the file\'s bytes become /etc/localtime, mode 0644; a missing zone is refused naming the file', (t) => {
  const file = timezoneFile('UTC')
  t.is(file.destination, '/etc/localtime')
  t.is(file.mode, 0o644)
  t.deepEqual(file.content, fs.readFileSync('/usr/share/zoneinfo/UTC'))
  t.is(file.content.subarray(0, 4).toString(), 'TZif')
  t.throws(() => timezoneFile('Nope/Zone'), {
    instanceOf: UsageError,
    message: 'running container create option: stat /usr/share/zoneinfo/Nope/Zone: no such file or directory: --tz takes a zone under /usr/share/zoneinfo (Europe/Berlin, UTC) or local',
  })
  t.throws(() => timezoneFile('Europe'), {message: /^running container create option: stat \/usr\/share\/zoneinfo\/Europe: is a directory: /})
})
