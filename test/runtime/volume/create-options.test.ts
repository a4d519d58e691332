// `volume create --opt`: what tspod's plain-directory volumes take, in Podman's words where Podman
// refuses too (checked against Podman 4.3.1: o=uid=abc, o=uid, foo=bar).
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {hasNoCopy, parseCreateOptions, parseKeyValues} from '../../../src/runtime/volume/create-options'

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

test('what would mount a filesystem or set a quota is refused, not ignored', (t) => {
  t.throws(() => parseCreateOptions({type: 'tmpfs'}), {message: 'volume option "type=tmpfs" is not supported by tspod (local volumes are plain directories, never mounted filesystems)'})
  t.throws(() => parseCreateOptions({device: '/dev/sda'}), {message: /^volume option "device=\/dev\/sda" is not supported/})
  t.throws(() => parseCreateOptions({o: 'size=10m'}), {message: 'volume option "o=size=10m" is not supported by tspod (volume quotas)'})
  t.throws(() => parseCreateOptions({o: 'bind'}), {message: 'volume option "o=bind" is not supported by tspod (local volumes are plain directories, never mounted with options)'})
})
