// The secrets a container gets (--secret): mounted ones written into its userdata dir when it is
// created, owned and moded as asked, and bound at their targets; env ones read from the store
// each time it starts, so their values are never kept in its config (nor shown by inspect).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {spawnInNamespaces} from '../../userns/spawn'
import {mappedLayersPlan, ContainerIdMaps} from '../../storage/store/mapped-layers/mapped-layers'
import {shiftId} from '../../storage/store/mapped-layers/id-shift'
import {collect} from '../../storage/store/remove-tree'
import type {Image} from '../../storage/store/images/images'
import type {Store} from '../../storage/store/store'
import type {SecretRequest} from '../../specgen/secrets'
import type {OciMount} from '../oci-spec'
import {SecretStore} from './secret-store'

/** Fail (before anything is made) when a secret the container asks for does not exist. */
export function checkSecretsExist(graphRoot: string, requests: SecretRequest[]): void {
  const secrets = new SecretStore(graphRoot)
  for (const r of requests) secrets.lookup(r.source)
}

/** Give files to container ids: through the container's id maps (a mapped-layers copy) or the store's namespace. */
async function chownInContainer(store: Store, image: Image, maps: ContainerIdMaps | undefined, file: string, uid: number, gid: number): Promise<void> {
  if (!store.mapping) {
    fs.chownSync(file, uid, gid)
    return
  }
  const plan = mappedLayersPlan(store, image, maps)
  const owner = plan ? `${shiftId(plan.uids, uid, 'uid', file)}:${shiftId(plan.gids, gid, 'gid', file)}` : `${uid}:${gid}`
  if (owner === '0:0' && !plan) return // the user is the container's root in the store's namespace
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping: store.mapping,
    command: {file: '/bin/chown', argv: ['chown', '-h', owner, '--', path.resolve(file)], env: ['PATH=/usr/bin:/bin', 'LC_ALL=C']},
    stdio: ['inherit', 'inherit', 'pipe'],
  })
  const stderr = collect(child.stderr!)
  const exit = await child.exited
  if (exit.code !== 0) throw new TspodError(`${file}: changing owner to ${uid}:${gid} in the container: ${(await stderr).trim().split('\n')[0] || `chown exit status ${exit.code}`}`)
}

/** Write each mounted secret into `userdata`/secrets and return the bind mounts of them. */
export async function writeSecretFiles(
  store: Store,
  image: Image,
  maps: ContainerIdMaps | undefined,
  userdata: string,
  requests: SecretRequest[],
): Promise<OciMount[]> {
  const mounted = requests.filter((r) => r.type === 'mount')
  if (mounted.length === 0) return []
  const secrets = new SecretStore(store.config.graphRoot)
  const dir = path.join(userdata, 'secrets')
  fs.mkdirSync(dir, {recursive: true, mode: 0o700})
  // the dir is searchable by the container's users (the files keep their own modes)
  fs.chmodSync(dir, 0o755)
  const mounts: OciMount[] = []
  for (const [i, r] of mounted.entries()) {
    const file = path.join(dir, `${i}-${secrets.lookup(r.source).id}`)
    fs.writeFileSync(file, secrets.data(r.source), {mode: 0o600})
    fs.chmodSync(file, r.mode)
    await chownInContainer(store, image, maps, file, r.uid, r.gid)
    mounts.push({destination: r.target, type: 'bind', source: file, options: ['rbind', 'rprivate']})
  }
  return mounts
}

/** The variables of the env secrets, read from the store now: NAME=VALUE. */
export function secretEnv(graphRoot: string, requests: SecretRequest[] | undefined): string[] {
  const env = (requests ?? []).filter((r) => r.type === 'env')
  if (env.length === 0) return []
  const secrets = new SecretStore(graphRoot)
  return env.map((r) => `${r.target}=${secrets.data(r.source).toString()}`)
}
