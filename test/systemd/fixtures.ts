// What the unit generator tests share: Podman 4.3.1's own units (podman-4.3.1/, written by
// `podman generate systemd --no-header` as a rootless user) and the containers and pods they
// were generated from, so that tspod's text can be compared byte for byte.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {SystemdOptions, UnitContainer, UnitEnvironment} from '../../src/systemd/options'

const GOLDEN = path.resolve(__dirname, '..', '..', '..', 'test', 'systemd', 'podman-4.3.1')

/** Podman's unit `unit` of the case `name` (podman-4.3.1/CASE.UNIT.service). */
export function podmanUnit(name: string, unit: string): string {
  return fs.readFileSync(path.join(GOLDEN, `${name}.${unit}.service`), 'utf8')
}

export const OPTIONS: SystemdOptions = {
  name: false,
  new: false,
  noHeader: true,
  template: false,
  containerPrefix: 'container',
  podPrefix: 'pod',
  separator: '-',
  wants: [],
  after: [],
  requires: [],
  env: [],
}

export function environment(warnings: string[] = []): UnitEnvironment {
  return {executable: '/usr/bin/podman', runRoot: '/run/user/2008/bats-containers', generator: 'tspod 0.0.0', now: new Date(0), onWarning: (w) => warnings.push(w)}
}

const IMAGE = 'localhost:5000/lp/testimage:20220615'

function pidFile(id: string): string {
  return `/run/user/2008/bats-containers/overlay-containers/${id}/userdata/conmon.pid`
}

function container(id: string, name: string, createCommand: string[], extra: Partial<UnitContainer> = {}): UnitContainer {
  return {id, name, createCommand, stopTimeout: 10, pidFile: pidFile(id), restartPolicy: '', env: ['PATH=/usr/bin', 'HOSTNAME=x'], dependencies: [], ...extra}
}

export const C1 = container('15c218f3ebf7c04508ffb938c05d8145c360c1be04bcae7e64b0c3d6e79b6783', 'c1', ['podman', 'create', '--name', 'c1', IMAGE, 'top'])

export const C2 = container(
  '3dfb074077c8b000e3ff9a47e882c568eba731f18c133d86cdd92dd2a037e6b8',
  'c2',
  ['podman', 'create', '--name', 'c2', '-e', 'FOO', '-e', 'BAR=1', '--restart', 'on-failure:5', '--rm=false', '-h', 'myhost', '--label', 'a=b c', '--env', 'X=$HOME 50%', IMAGE, 'sh', '-c', 'echo "hi there"; sleep 1'],
  {restartPolicy: 'on-failure', env: ['PATH=/usr/bin', 'FOO=fromhost', 'BAR=1', 'X=$HOME 50%']},
)

export const C3 = container('7d8682f72565122e6af9fab444a94bce70b20060984bc6a67c67c7ae7429c423', 'c3', ['podman', '--log-level=error', 'create', '--name', 'c3', IMAGE, 'true'])

const PN_INFRA = container('6c19c2800c0b393a9b176ab26dcda0c4cc48dd91b5f41a0989e86737a06b622d', 'b3a8603b68b3-infra', [])

/** The pod pn: made by `pod create --name pn --label x=y`, with pc1 and pc2 (which requires pc1). */
export const PN = {
  id: 'b3a8603b68b336e5227b9b624b9b7d41c1dd2f6053b1162aa9a6ebe3853979f7',
  name: 'pn',
  createCommand: ['podman', 'pod', 'create', '--name', 'pn', '--label', 'x=y'],
  infra: PN_INFRA,
  containers: [
    container('9002e7fd1044ee941e84d3cd54f015410e9b004bcbe0d5a54b97a9a4612c4121', 'pc1', ['podman', 'create', '--pod', 'pn', '--name', 'pc1', IMAGE, 'top'], {dependencies: [PN_INFRA.id]}),
    container('3ff301b2ebffc497463e467dd8bd1197279f823520c7fec11d689e6ef471f0c8', 'pc2', ['podman', 'create', '--pod=pn', '--name', 'pc2', '--requires', 'pc1', IMAGE, 'top'], {
      dependencies: [PN_INFRA.id, '9002e7fd1044ee941e84d3cd54f015410e9b004bcbe0d5a54b97a9a4612c4121'],
    }),
  ],
}

/** The pod p3, made by `podman --log-level error pod create --name p3`, with its infra container alone. */
export const P3 = {
  id: '5f0c9b4ddc0a8c8a1c5f6b1b33a0e0bf0cb1a5bbf7f8ff1f50b2a0ea0c6d9d11',
  name: 'p3',
  createCommand: ['podman', '--log-level', 'error', 'pod', 'create', '--name', 'p3'],
  infra: container('d3f7e0a2f7c54f4f8a1ad93a6b8f8a0f3b3bd2a3c4bd1c6f0d1f7f3b0b1a2c3d', 'p3-infra', []),
  containers: [],
}
