// A rootless sandbox that pulls from a given local registry: registries.conf with the registry
// as the only (insecure) search registry, through CONTAINERS_REGISTRIES_CONF.
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {busyboxImage, multiLayerImage, writeOciArchive} from './oci-image'
import {Sandbox, TEST_USER, lookupUser, removeTree, sandbox, tspod} from './rootless'

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

/**
 * A rootless sandbox with localhost/busybox and localhost/multi loaded (from locally built images).
 * The images are loaded once per test process into a template store, which each sandbox gets a
 * copy of (`cp -a`: owners, modes, xattrs and links as the load left them): the same store a
 * load makes, without a load per test.
 */
export async function sandboxWithImages(t: {teardown(fn: () => unknown): void}): Promise<Sandbox> {
  const template = await imagesTemplate()
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  copyStore(template, box)
  return box
}

/**
 * `from`'s store as `to`'s (which has none yet), copied with `cp -a`: owners, modes, xattrs and
 * links as they are. The store records one absolute path, its volume path, rewritten here.
 */
export function copyStore(from: Sandbox, to: Sandbox): void {
  execFileSync('cp', ['-a', path.join(from.dir, 'data'), to.dir])
  const record = path.join(graphRoot(to), 'store.json')
  fs.writeFileSync(record, fs.readFileSync(record, 'utf8').split(from.dir).join(to.dir))
}

let template: Promise<Sandbox> | undefined

function imagesTemplate(): Promise<Sandbox> {
  template ??= (async () => {
    const box = sandbox(lookupUser(TEST_USER))
    process.on('exit', () => removeTree(box.dir))
    const archive = path.join(box.dir, 'images.tar')
    await writeOciArchive(archive, [
      {image: await busyboxImage(), ref: 'localhost/busybox:latest'},
      {image: await multiLayerImage(), ref: 'localhost/multi:latest'},
    ])
    fs.chmodSync(archive, 0o644)
    const load = await tspod(box, ['load', '-q', '-i', archive])
    if (load.code !== 0) throw new Error(load.stderr)
    return box
  })()
  return template
}

/** The sandbox's own events log (containers.conf events_logfile_path under its XDG_CONFIG_HOME). */
export function privateEventsLog(box: Sandbox): string {
  const log = path.join(box.dir, 'events', 'events.log')
  const conf = path.join(box.env.XDG_CONFIG_HOME, 'containers', 'containers.conf')
  fs.mkdirSync(path.dirname(conf), {recursive: true})
  fs.writeFileSync(conf, `[engine]\nevents_logger = "file"\nevents_logfile_path = "${log}"\n`)
  fs.chmodSync(conf, 0o644)
  return log
}
