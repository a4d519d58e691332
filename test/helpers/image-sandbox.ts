// A rootless sandbox that pulls from a given local registry: registries.conf with the registry
// as the only (insecure) search registry, through CONTAINERS_REGISTRIES_CONF.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {Sandbox, TEST_USER, lookupUser, sandbox} from './rootless'

export function registrySandbox(registryHost: string, extraConf = ''): Sandbox {
  const box = sandbox(lookupUser(TEST_USER))
  const conf = path.join(box.dir, 'registries.conf')
  fs.writeFileSync(
    conf,
    `unqualified-search-registries = ["${registryHost}"]
short-name-mode = "permissive"

[[registry]]
location = "${registryHost}"
insecure = true
${extraConf}`,
  )
  fs.chmodSync(conf, 0o644)
  box.env.CONTAINERS_REGISTRIES_CONF = conf
  return box
}

export function graphRoot(box: Sandbox): string {
  return path.join(box.dir, 'data', 'tspod', 'storage')
}

/** Entries left in the store's tmp/ and staging/ dirs (a clean store has none). */
export function leftovers(box: Sandbox): string[] {
  return ['tmp', 'staging'].flatMap((d) => {
    const dir = path.join(graphRoot(box), d)
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((e) => `${d}/${e}`) : []
  })
}
