// How each command's positional arguments complete, as Podman's ValidArgsFunctions choose.
import test from 'ava'

import {CONTAINER_STATES, POD_STATES, argumentCompletion} from '../../../src/cli/completion/argument-rules'

test('an argument\'s name says which objects complete it', (t) => {
  t.deepEqual(argumentCompletion('container:rm', 'containers'), {kinds: ['containers']})
  t.deepEqual(argumentCompletion('pod:rm', 'pods'), {kinds: ['pods']})
  t.deepEqual(argumentCompletion('secret:rm', 'secrets'), {kinds: ['secrets']})
  t.deepEqual(argumentCompletion('login', 'registry'), {kinds: ['registries']})
  t.deepEqual(argumentCompletion('manifest:add', 'list'), {kinds: ['images']})
  t.deepEqual(argumentCompletion('image:untag', 'name'), {kinds: ['images']})
  t.deepEqual(argumentCompletion('image:push', 'destination'), {kinds: ['images']}, 'as Podman: images for every argument')
  t.deepEqual(argumentCompletion('volume:import', 'source'), {kinds: ['volumes']}, 'as Podman: volumes for every argument')
  t.deepEqual(argumentCompletion('container:top', 'descriptors'), {kinds: ['descriptors']})
})

test('verbs taking several kinds of object complete all of them', (t) => {
  t.deepEqual(argumentCompletion('inspect', 'names'), {kinds: ['containers', 'images', 'pods', 'networks', 'volumes']})
  t.deepEqual(argumentCompletion('generate:kube', 'names'), {kinds: ['containers', 'pods', 'volumes']})
  t.deepEqual(argumentCompletion('generate:systemd', 'name'), {kinds: ['containers', 'pods']})
  t.deepEqual(argumentCompletion('diff', 'name'), {kinds: ['containers', 'images']})
})

test('host paths are left to the shell; a new name completes nothing; a fixed set completes its values', (t) => {
  t.is(argumentCompletion('image:build', 'context'), 'host-paths')
  t.is(argumentCompletion('kube:play', 'kubefile'), 'host-paths')
  t.is(argumentCompletion('container:runlabel', 'arg'), 'host-paths', "runlabel's ARG... goes to a host command")
  t.is(argumentCompletion('volume:create', 'name'), 'nothing')
  t.deepEqual(argumentCompletion('completion', 'shell'), {values: ['bash', 'zsh', 'fish', 'powershell']})
})

test('verbs that only apply to some states offer only those containers and pods', (t) => {
  t.deepEqual(CONTAINER_STATES['container:stop'], ['running'])
  t.deepEqual(CONTAINER_STATES['container:start'], ['created', 'exited'])
  t.deepEqual(CONTAINER_STATES['container:unpause'], ['paused'])
  t.deepEqual(POD_STATES['pod:stop'], ['running', 'degraded'])
  t.false('container:rm' in CONTAINER_STATES, 'rm takes any container')
})
