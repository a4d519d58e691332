// `volume create --opt`: what tspod's plain-directory volumes take, in Podman's words where Podman
// refuses too (checked against Podman 4.3.1: o=uid=abc, o=uid, foo=bar).
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {hasNoCopy, parseCreateOptions, parseKeyValues, volumeFilesystem} from '../../../src/runtime/volume/create-options'

test('-o values: k=v, or k alone with an empty value; an empty key is refused', (t) => {
  t.deepEqual(parseKeyValues(['o=uid=1000,gid=1000', 'nocopy', 'a=b=c'], 'options'), {o: 'uid=1000,gid=1000', nocopy: '', a: 'b=c'})
  t.throws(() => parseKeyValues(['=x'], 'labels'), {instanceOf: UsageError, message: 'unable to process labels: invalid label format: "=x"'})
})

test('o=uid/gid own the directory; noquota is noted; copy and nocopy are kept', (t) => {
  t.deepEqual(parseCreateOptions({o: 'uid=1000,gid=100'}), {options: {UID: '1000', GID: '100', o: 'uid=1000,gid=100'}, uid: 1000, gid: 100})
  t.deepEqual(parseCreateOptions({o: 'noquota'}), {options: {NOQUOTA: 'true'}, uid: undefined, gid: undefined})
  t.deepEqual(parseCreateOptions({nocopy: ''}, {uid: 5, gid: 6}), {options: {nocopy: ''}, uid: 5, gid: 6})
  t.true(hasNoCopy({NoCopy: ''}))
  t.false(hasNoCopy({copy: ''}))
})

test('Podman\'s errors for bad ids and unknown options', (t) => {
  t.throws(() => parseCreateOptions({o: 'uid=abc'}), {instanceOf: UsageError, message: 'cannot convert UID abc to integer: strconv.Atoi: parsing "abc": invalid syntax'})
  t.throws(() => parseCreateOptions({o: 'uid'}), {message: 'uid option must provide a UID: invalid argument'})
  t.throws(() => parseCreateOptions({o: 'gid'}), {message: 'gid option must provide a GID: invalid argument'})
  t.throws(() => parseCreateOptions({foo: 'bar'}), {message: "invalid mount option foo for driver 'local': invalid argument"})
  t.throws(() => parseCreateOptions({o: 'uid=-1'}), {message: 'invalid UID -1: must be between 0 and 4294967294'})
})

test('what tspod cannot mount or a quota is refused, not ignored', (t) => {
  t.throws(() => parseCreateOptions({type: 'nfs'}), {message: 'volume option "type=nfs" is not supported by tspod (rootless volumes can only mount type=bind and type=tmpfs)'})
  t.throws(() => parseCreateOptions({device: '/dev/sda'}), {message: /^volume option "device=\/dev\/sda" is not supported/})
  t.throws(() => parseCreateOptions({o: 'size=10m'}), {message: 'volume option "o=size=10m" is not supported by tspod (volume quotas)'})
  t.throws(() => parseCreateOptions({o: 'bind'}), {message: 'volume option "o=bind" is not supported by tspod (local volumes without a type are plain directories, never mounted with options)'})
  t.throws(() => parseCreateOptions({type: 'tmpfs', o: 'bogus'}), {message: 'volume option "o=bogus" is not supported by tspod (not a tmpfs mount option tspod knows)'})
})

test('type=bind needs an existing device; type=tmpfs takes its mount options; both are mounted filesystems', (t) => {
  t.throws(() => parseCreateOptions({type: 'bind', device: '/bogus'}), {message: "invalid volume option device for driver 'local': stat /bogus: no such file or directory"})
  t.deepEqual(parseCreateOptions({type: 'bind', device: '/tmp', o: 'bind'}).options, {type: 'bind', device: '/tmp', o: 'bind'})
  t.deepEqual(volumeFilesystem({type: 'bind', device: '/tmp', o: 'bind'}), {type: 'bind', device: '/tmp', options: ['bind']})
  const tmpfs = parseCreateOptions({type: 'tmpfs', device: 'tmpfs', o: 'size=2m,mode=0700,uid=5'})
  t.deepEqual(tmpfs.options, {type: 'tmpfs', device: 'tmpfs', o: 'size=2m,mode=0700,uid=5', UID: '5'})
  t.is(tmpfs.uid, 5)
  t.deepEqual(volumeFilesystem(tmpfs.options), {type: 'tmpfs', device: 'tmpfs', options: ['size=2m', 'mode=0700', 'uid=5']})
  t.is(volumeFilesystem({o: 'uid=5'}), undefined)
})
