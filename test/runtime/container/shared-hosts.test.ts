// A container joining another's network shares its /etc/hosts: its names on 127.0.0.1 added
// there (the donor's hostname when it shares its UTS namespace), the file rewritten in place,
// and the entry taken out again; in a real temporary store.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {Container} from '../../../src/runtime/container/config'
import {containerDirs} from '../../../src/runtime/container/paths'
import {ContainerRecords} from '../../../src/runtime/container/records'
import {shareHostsFile} from '../../../src/runtime/container/shared-hosts'
import {ContainerSpec} from '../../../src/specgen/container-spec'
import {parseContainerSpec} from '../../../src/specgen/parse'
import {containerConfig, tempRecords} from '../../helpers/container-records'

function add(records: ContainerRecords, name: string, containerSpec: ContainerSpec, hostname?: string): Container {
  const config = containerConfig(name, {
    spec: {ociVersion: '1.0.2', hostname, process: {user: {uid: 0, gid: 0}, args: ['true'], cwd: '/'}, root: {path: '/x'}, mounts: [{destination: '/etc/hosts', type: 'bind', source: '/own/hosts', options: ['rbind']}]},
    containerSpec,
  })
  return records.add(config)
}

test('joined network: the donor\'s hosts file mounted, the names added once on 127.0.0.1 and taken out on release', async (t) => {
  const {store, records} = await tempRecords(t, 'tspod-shared-hosts-')
  const infra = add(records, 'infra', parseContainerSpec({network: 'none'}), 'mypod')
  const file = path.join(containerDirs(store, infra.config.id).userdata, 'hosts')
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, '127.0.0.1\tlocalhost\n10.0.2.100\tmypod infra\n')
  const inode = fs.statSync(file).ino
  const joined = {network: {kind: 'container', container: infra.config.id}, uts: {kind: 'container', container: infra.config.id}} as const
  const member = add(records, 'member', {...parseContainerSpec({}), ...joined})
  const shared = shareHostsFile(store, records, member)!
  t.is(shared.container.config.spec.mounts![0].source, file)
  t.is(fs.readFileSync(file, 'utf8'), '127.0.0.1\tlocalhost\n10.0.2.100\tmypod infra\n127.0.0.1\tmember\n', 'the pod\'s hostname is there already')
  t.is(fs.statSync(file).ino, inode, 'rewritten in place')
  shared.release()
  t.is(fs.readFileSync(file, 'utf8'), '127.0.0.1\tlocalhost\n10.0.2.100\tmypod infra\n')

  const own = add(records, 'own', {...parseContainerSpec({}), network: joined.network})
  const second = shareHostsFile(store, records, own)!
  t.is(fs.readFileSync(file, 'utf8'), `127.0.0.1\tlocalhost\n10.0.2.100\tmypod infra\n127.0.0.1\t${own.config.id.slice(0, 12)} own\n`, 'its own hostname when it has its own UTS namespace')
  second.release()

  t.is(shareHostsFile(store, records, add(records, 'nohosts', {...parseContainerSpec({}), network: joined.network, noHosts: true})), undefined, '--no-hosts')
  t.is(shareHostsFile(store, records, add(records, 'alone', parseContainerSpec({network: 'none'}))), undefined, 'a network of its own')
  fs.rmSync(file)
  t.is(shareHostsFile(store, records, member), undefined, 'a donor without a hosts file')
})
