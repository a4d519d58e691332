// `import --change`: Dockerfile instructions onto an image config.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {applyChange} from '../../../src/storage/image/config-changes'

test('CMD and ENTRYPOINT: shell form under /bin/sh -c, a JSON array as it is; KEY=VALUE or KEY VALUE', (t) => {
  t.deepEqual(applyChange({}, 'CMD=/bin/true'), {Cmd: ['/bin/sh', '-c', '/bin/true']})
  t.deepEqual(applyChange({}, 'CMD ["/bin/echo", "hi"]'), {Cmd: ['/bin/echo', 'hi']})
  t.deepEqual(applyChange({}, 'entrypoint /bin/sh'), {Entrypoint: ['/bin/sh', '-c', '/bin/sh']})
})

test('ENV, LABEL, EXPOSE, VOLUME, WORKDIR, USER, STOPSIGNAL accumulate on the config', (t) => {
  let c = applyChange({}, 'ENV A=1 B=2')
  c = applyChange(c, 'ENV A 3')
  t.deepEqual(c.Env, ['A=3', 'B=2'])
  t.deepEqual(applyChange({}, 'LABEL x=y').Labels, {x: 'y'})
  t.deepEqual(applyChange({}, 'EXPOSE 80 53/udp').ExposedPorts, {'80/tcp': {}, '53/udp': {}})
  t.deepEqual(applyChange({}, 'VOLUME /data').Volumes, {'/data': {}})
  t.deepEqual(applyChange({}, 'VOLUME ["/a", "/b"]').Volumes, {'/a': {}, '/b': {}})
  t.is(applyChange({}, 'WORKDIR=/tmp').WorkingDir, '/tmp')
  t.is(applyChange({}, 'USER 1000').User, '1000')
  t.is(applyChange({}, 'STOPSIGNAL SIGINT').StopSignal, 'SIGINT')
})

test('an unknown instruction is refused', (t) => {
  t.throws(() => applyChange({}, 'RUN ls'), {instanceOf: UsageError, message: 'invalid change "RUN ls" - invalid instruction RUN'})
  t.throws(() => applyChange({}, 'CMD'), {instanceOf: UsageError})
})
