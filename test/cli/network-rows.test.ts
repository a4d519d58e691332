import test from 'ava'

import {inspectRow, networkRow} from '../../src/cli/network-rows'
import {renderRecord} from '../../src/cli/render'
import type {Network} from '../../src/runtime/network/netavark/config'

const NET: Network = {
  name: 'app',
  id: 'a'.repeat(64),
  driver: 'bridge',
  network_interface: 'podman1',
  created: '2026-12-07T18:57:41.913817581Z',
  subnets: [{subnet: '10.89.0.0/24', gateway: '10.89.0.1'}],
  ipv6_enabled: false,
  internal: false,
  dns_enabled: true,
  labels: {team: 'x'},
  ipam_options: {driver: 'host-local'},
}

test("templates see Go's field names, and json prints the struct tags as Podman's", (t) => {
  t.is(renderRecord(inspectRow(NET), '{{.Name}} {{.NetworkInterface}} {{range .Subnets}}{{.Subnet}} via {{.Gateway}}{{end}}'), 'app podman1 10.89.0.0/24 via 10.89.0.1\n')
  t.is(renderRecord(inspectRow(NET), '{{json .Subnets}}'), '[{"subnet":"10.89.0.0/24","gateway":"10.89.0.1"}]\n')
  t.deepEqual(JSON.parse(renderRecord(inspectRow(NET), '{{json .}}')), NET)
})

test('ls rows truncate the ID and join the labels', (t) => {
  t.is(renderRecord(networkRow(NET, true), '{{.ID}} {{.Labels}}'), 'aaaaaaaaaaaa team=x\n')
})
