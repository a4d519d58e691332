// A tspod worker script (a compiled .js beside its caller) run by this Node binary as root of a
// rootless user namespace: the store's layers belong to subordinate ids the host user cannot read.
// Its environment is cut to what Node needs, and its stdio are pipes for the worker protocol
// (src/storage/store/worker-io.ts).
import type {UserNamespaceMapping} from './idmap'
import {spawnInNamespaces, type NamespacedChild} from './spawn'

const WORKER_ENV_KEYS = ['PATH', 'HOME', 'LANG', 'NODE_OPTIONS']

function workerEnv(): string[] {
  return WORKER_ENV_KEYS.filter((k) => process.env[k] !== undefined).map((k) => `${k}=${process.env[k]}`)
}

/** Start `script` in a new user namespace mapped by `mapping`. */
export async function spawnNodeWorker(script: string, mapping: UserNamespaceMapping): Promise<NamespacedChild> {
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping,
    command: {file: process.execPath, argv: [process.execPath, script], env: workerEnv()},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin!.on('error', () => undefined) // a worker that died early shows in its exit status
  return child
}
