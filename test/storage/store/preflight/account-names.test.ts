// Names for numeric ids in preflight's messages, from passwd and group files.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadAccounts} from '../../../../src/storage/store/preflight/account-names'

test('names by id (the first entry wins), ids by user name; unknown ids print as numbers', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-accounts-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const passwd = path.join(dir, 'passwd')
  const group = path.join(dir, 'group')
  fs.writeFileSync(passwd, '# comment\nroot:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbroken\nbad:x:notanumber:1::/:/bin/false\n')
  fs.writeFileSync(group, 'root:x:0:\nstaff:x:50:alice\n')
  const accounts = loadAccounts({passwd, group})
  t.is(accounts.userName(0), 'root')
  t.is(accounts.userName(1000), 'alice')
  t.is(accounts.userName(100000), '100000')
  t.is(accounts.groupName(50), 'staff')
  t.is(accounts.groupName(1000), '1000')
  t.is(accounts.uidOf('toor'), 0)
  t.is(accounts.uidOf('alice'), 1000)
  t.is(accounts.uidOf('bad'), undefined)
  t.is(accounts.uidOf('nobody-here'), undefined)
})

test('missing files give numbers only', (t) => {
  const accounts = loadAccounts({passwd: '/nonexistent/passwd', group: '/nonexistent/group'})
  t.is(accounts.userName(0), '0')
  t.is(accounts.groupName(0), '0')
})
