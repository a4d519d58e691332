// The /etc/passwd and /etc/group lines Podman adds: the keep-id user and numeric users the image
// does not know (compared with `podman run` 4.3 here: see the expectations quoted below).
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {PasswdEntriesRequest, hostAccounts, passwdEntries} from '../../../src/runtime/spec/passwd-entries'
import {BUSYBOX_GROUP, BUSYBOX_PASSWD} from './layer-dirs'

const HOST_PASSWD = 'root:x:0:0:root:/root:/bin/bash\ntspoduser:x:1001:1002:Test User,,,:/home/tspoduser:/bin/bash\nother:x:4000:4000::/home/other:/bin/sh\n'
const HOST_GROUP = 'root:x:0:\ntspodstor:x:1001:tspoduser\ntspoduser:x:1002:\n'
const accounts = hostAccounts(HOST_PASSWD, HOST_GROUP)

function request(overrides: Partial<PasswdEntriesRequest>): PasswdEntriesRequest {
  return {
    imagePasswd: BUSYBOX_PASSWD,
    imageGroup: BUSYBOX_GROUP,
    user: '',
    addCurrentUser: false,
    hostUser: {uid: 1001, gid: 1002},
    accounts,
    workdir: '/',
    mountDestinations: [],
    ...overrides,
  }
}

test('keep-id: the user running tspod and its group, home at the workdir (podman: "tspoduser:*:1001:1002::/:/bin/sh")', (t) => {
  t.deepEqual(passwdEntries(request({user: '1001:1002', addCurrentUser: true})), {
    passwd: 'tspoduser:*:1001:1002:Test User,,,:/:/bin/sh\n',
    group: 'tspoduser:x:1002:tspoduser\n',
  })
  t.is(passwdEntries(request({user: '1001:1002', addCurrentUser: true, workdir: '/tmp'})).passwd, 'tspoduser:*:1001:1002:Test User,,,:/tmp:/bin/sh\n')
})

test('keep-id: the real home when it or a dir above it is mounted', (t) => {
  for (const mounted of ['/home/tspoduser', '/home']) {
    const entries = passwdEntries(request({user: '1001:1002', addCurrentUser: true, mountDestinations: ['/data', mounted]}))
    t.is(entries.passwd, 'tspoduser:*:1001:1002:Test User,,,:/home/tspoduser:/bin/sh\n', mounted)
  }
})

test('nothing is added for users and groups the image has, by name or id', (t) => {
  const image = `${BUSYBOX_PASSWD}tspoduser:x:2000:2000::/home/t:/bin/sh\n`
  t.deepEqual(passwdEntries(request({imagePasswd: image, user: '1001:1002', addCurrentUser: true})), {passwd: '', group: 'tspoduser:x:1002:tspoduser\n'})
  t.deepEqual(passwdEntries(request({user: '1234'})), {passwd: '', group: ''})
  t.deepEqual(passwdEntries(request({user: 'user'})), {passwd: '', group: ''})
  t.deepEqual(passwdEntries(request({user: ''})), {passwd: '', group: ''})
  t.deepEqual(passwdEntries(request({user: '0:0', addCurrentUser: true, hostUser: {uid: 0, gid: 0}})), {passwd: '', group: ''})
})

test('numeric users the image lacks: named after the host user with that uid, else "container user" (podman: "1000:*:1000:1000:container user:/:/bin/sh")', (t) => {
  t.deepEqual(passwdEntries(request({user: '1000:1000'})), {passwd: '1000:*:1000:1000:container user:/:/bin/sh\n', group: '1000:x:1000:1000\n'})
  t.deepEqual(passwdEntries(request({user: '4000', workdir: '/srv'})), {passwd: 'other:*:4000:0::/srv:/bin/sh\n', group: ''})
  t.deepEqual(passwdEntries(request({user: '4321:staff'})), {passwd: '4321:*:4321:50:container user:/:/bin/sh\n', group: ''})
  t.throws(() => passwdEntries(request({user: '4321:nogroup-here'})), {
    instanceOf: UsageError,
    message: 'unable to get gid nogroup-here from group file: no matching entries in group file',
  })
})

test('an image without /etc/passwd or /etc/group gets the lines alone', (t) => {
  t.deepEqual(passwdEntries(request({imagePasswd: undefined, imageGroup: undefined, user: '1001:1002', addCurrentUser: true})), {
    passwd: 'tspoduser:*:1001:1002:Test User,,,:/:/bin/sh\n',
    group: 'tspoduser:x:1002:tspoduser\n',
  })
})

test('--hostuser: host users by name or uid, home at the workdir, each once; an unknown one fails the start', (t) => {
  t.is(passwdEntries(request({hostUsers: ['other'], workdir: '/home/podman'})).passwd, 'other:*:4000:4000::/home/podman:/bin/sh\n')
  t.is(passwdEntries(request({hostUsers: ['4000', 'other']})).passwd, 'other:*:4000:4000::/:/bin/sh\n')
  // the image has root already; --user 1001 adds tspoduser, which --hostuser then finds there
  t.is(passwdEntries(request({hostUsers: ['root']})).passwd, '')
  t.is(passwdEntries(request({user: '1001', hostUsers: ['tspoduser']})).passwd, 'tspoduser:*:1001:0:Test User,,,:/:/bin/sh\n')
  const err = t.throws(() => passwdEntries(request({hostUsers: ['bogus']})))
  t.is(err?.name, 'ContainerStartError')
  t.is(err?.message, 'creating temporary passwd file: user: unknown user bogus')
})
