import test from 'ava'

import {containerEnvEngine, containerEnvFile} from '../../../src/runtime/spec/container-files'

test('/run/.containerenv: empty unless privileged; then the engine, the container, its image and rootless=1 as shell variables', (t) => {
  t.deepEqual(containerEnvFile([]), [{destination: '/run/.containerenv', content: '', mode: 0o644}])
  const facts = {engine: containerEnvEngine('0.1.0'), name: 'c1', id: 'a'.repeat(64), image: 'localhost/busybox:latest', imageId: 'b'.repeat(64), rootless: true}
  t.is(
    containerEnvFile([], facts)[0].content,
    `engine="podman-tspod-0.1.0"\nname="c1"\nid="${'a'.repeat(64)}"\nimage="localhost/busybox:latest"\nimageid="${'b'.repeat(64)}"\nrootless=1\n`,
  )
  t.false(containerEnvFile([], {...facts, rootless: false})[0].content.includes('rootless'))
  t.deepEqual(containerEnvFile([{destination: '/run/.containerenv', type: 'bind', source: '/x'}], facts), [])
})
