// The config a commit records: the container's command, entrypoint, env, labels, user, cwd and ports over the image's.
import test from 'ava'

import {commitRunConfig} from '../../src/build/commit'
import type {Container} from '../../src/runtime/container/config'

function container(spec: Record<string, unknown>, env: string[], extra: Record<string, unknown> = {}): Container {
  return {
    config: {labels: {l: 'v'}, ports: [{hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 2}], spec: {process: {env, cwd: '/work'}}, containerSpec: {env: [], ...spec}, ...extra},
    state: {},
  } as unknown as Container
}

test('--entrypoint drops the image Cmd; the process env without the runtime\'s HOME and HOSTNAME', (t) => {
  const c = commitRunConfig({Cmd: ['sh'], Env: ['PATH=/bin']}, container({entrypoint: ['/bin/echo', 'x']}, ['PATH=/bin', 'container=podman', 'HOME=/root', 'HOSTNAME=abc']))
  t.deepEqual(c.Entrypoint, ['/bin/echo', 'x'])
  t.is(c.Cmd, null)
  t.deepEqual(c.Env, ['PATH=/bin', 'container=podman'])
  t.deepEqual(c.Labels, {l: 'v'})
  t.is(c.WorkingDir, '/work')
  t.deepEqual(Object.keys(c.ExposedPorts!), ['80/tcp', '81/tcp'])
})

test('a command replaces Cmd; a user given to the container is kept; HOME set by -e stays', (t) => {
  const c = commitRunConfig({Cmd: ['sh']}, container({command: ['top'], user: '1000', env: [['HOME', '/h']]}, ['HOME=/h']))
  t.deepEqual(c.Cmd, ['top'])
  t.is(c.User, '1000')
  t.deepEqual(c.Env, ['HOME=/h'])
})
