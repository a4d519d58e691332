// Run a container in the foreground, with tspod's native runtime: a fresh read-write layer over
// the image's layers, the OCI spec from the image config and the options, the planned child
// steps, then wait for it and remove the container again.
//
// Containers are not recorded yet (no `ps`, `start` or `logs`): every run is removed when it
// ends, as with --rm.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../errors'
import {parseImageConfig} from '../storage/manifest/image-config'
import type {Image} from '../storage/store/images'
import {IN_USE_FILE, Store} from '../storage/store/store'
import {AccessWalk} from '../storage/preflight/access-walk'
import type {AccessFinding} from '../storage/preflight/finding-text'
import {PreflightPath, checkPaths, explainPermissionError, findingsOf} from '../storage/preflight/preflight'
import {ChildExit, spawnInNamespaces} from '../userns/spawn'
import {currentUser} from '../userns/user'
import type {OciIdMapping, OciMount} from './oci-spec'
import {planContainer} from './plan'
import {AttachedTerminal, attachTerminal} from './terminal'
import {RunOptions, addMounts, generateSpec} from './spec/generate'

export interface RunResult extends ChildExit {
  id: string
  warnings: string[]
}

function ociMappings(map: {containerID: number; hostID: number; size: number}[]): OciIdMapping[] {
  return map.map(({containerID, hostID, size}) => ({containerID, hostID, size}))
}

/** /etc/hosts, /etc/hostname and /etc/resolv.conf for the container, bind-mounted read-write like Podman's. */
function etcFiles(userdata: string, hostname: string): OciMount[] {
  const hosts = `127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n127.0.1.1\t${hostname}\n`
  let resolv = ''
  try {
    resolv = fs.readFileSync('/etc/resolv.conf', 'utf8')
  } catch {
    resolv = ''
  }
  const files: [string, string][] = [
    ['hosts', hosts],
    ['hostname', `${hostname}\n`],
    ['resolv.conf', resolv],
  ]
  return files.map(([name, content]) => {
    const file = path.join(userdata, name)
    fs.writeFileSync(file, content, {mode: 0o644})
    return {destination: `/etc/${name}`, type: 'bind', source: file, options: ['rbind', 'rprivate']}
  })
}

/** Forward the signals a terminal user sends to the container's init, as Podman does. */
function forwardSignals(pid: number): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']
  const handlers = signals.map((sig) => {
    const handler = () => {
      try {
        process.kill(pid, sig)
      } catch {
        // the container is gone already
      }
    }
    process.on(sig, handler)
    return [sig, handler] as const
  })
  return () => handlers.forEach(([sig, handler]) => process.off(sig, handler))
}

/**
 * A preflight finding as `run` reports it. For the store's own dirs (layers, upper, work,
 * merged) tspod's order makes a supplementary-group-only ancestor harmless — it mounts and
 * pivots before it sets the container's groups — so it says so, and why other runtimes fail.
 */
function runWarning(finding: AccessFinding): string {
  if (finding.kind === 'supplementary-group-only' && finding.role !== 'bind mount source') {
    const why = finding.message.split('; inside the user namespace')[0]
    return `${why}; tspod mounts and pivots into the container before it sets the container's groups, so this run works, but runtimes that drop supplementary groups first (crun, runc) fail with "Permission denied" here; fix: ${finding.fix}`
  }
  return `${finding.message}; fix: ${finding.fix}`
}

/**
 * Check, before anything is mounted, how the user reaches every dir the container needs: the
 * image's layers, its upper/work/merged dirs and each bind-mount source (see
 * src/storage/preflight). The walks also explain a permission error the kernel gives later.
 */
function preflight(store: Store, mounts: OciMount[], dirs: {lowerDirs: string[]; upperDir: string; workDir: string; mergedDir: string}, userdata: string, keepGroups: boolean): AccessWalk[] {
  const binds = mounts.filter((m) => m.type === 'bind' && m.source && !m.source.startsWith(userdata) && path.isAbsolute(m.source) && !m.source.startsWith('/dev/'))
  const paths: PreflightPath[] = [
    ...dirs.lowerDirs.map((dir) => ({path: dir, need: 'read' as const, role: 'layer dir'})),
    {path: dirs.upperDir, need: 'write', role: 'upper dir'},
    {path: dirs.workDir, need: 'write', role: 'work dir'},
    {path: dirs.mergedDir, need: 'traverse', role: 'container root'},
    ...binds.map((m) => ({path: m.source!, need: m.options?.includes('ro') ? ('read' as const) : ('write' as const), role: 'bind mount source'})),
  ]
  return checkPaths(paths, currentUser(), {mapping: store.mapping, keepGroups})
}

export async function runContainer(store: Store, image: Image, options: RunOptions): Promise<RunResult> {
  const id = crypto.randomBytes(32).toString('hex')
  const rootless = store.mapping !== undefined
  // Until containers are recorded, a container lives in a work dir of this process: if tspod is
  // killed, the next start removes it with the other leftovers of dead processes.
  const dir = store.newWorkDir('staging')
  fs.writeFileSync(path.join(dir, IN_USE_FILE), `${image.id}\n${id}`)
  const [upperDir, workDir, mergedDir, userdata] = ['upper', 'work', 'merged', 'userdata'].map((d) => path.join(dir, d))
  for (const d of [upperDir, workDir, mergedDir, userdata]) fs.mkdirSync(d, {recursive: true, mode: 0o700})
  try {
    const lowerDirs = [...image.layers].reverse().map((layer) => store.layout.diffDir(layer))
    // The container's / takes the upper dir's mode: give it the image's, as containers-storage does.
    if (lowerDirs.length > 0) fs.chmodSync(upperDir, fs.statSync(lowerDirs[0]).mode & 0o7777)
    const hostname = options.hostname ?? id.slice(0, 12)
    const generated = generateSpec({
      image: {config: parseImageConfig(image.config), layerDirs: lowerDirs},
      options: {...options, network: options.network ?? 'none'},
      rootfs: mergedDir,
      hostname,
      hostEnv: process.env,
      rootless,
      uidMappings: store.mapping && ociMappings(store.mapping.uidMap),
      gidMappings: store.mapping && ociMappings(store.mapping.gidMap),
    })
    if (generated.namedVolumes.length > 0)
      throw new TspodError(`named volumes are not supported by tspod yet: ${generated.namedVolumes.map((v) => v.name ?? v.destination).join(', ')}`)
    const spec = addMounts(generated.spec, etcFiles(userdata, hostname))
    const walks = preflight(store, spec.mounts ?? [], {lowerDirs, upperDir, workDir, mergedDir}, userdata, generated.keepGroups)
    const findings = findingsOf(walks).filter((f) => f.severity !== 'info')
    const fatal = findings.find((f) => f.severity === 'error' && f.role === 'bind mount source')
    if (fatal) throw new TspodError(`${fatal.message}; fix: ${fatal.fix}`, {path: fatal.path})
    // one warning per dir at fault, however many of the container's paths pass through it
    const warnings = [...new Set([...generated.warnings, ...findings.map(runWarning)])]
    const plan = planContainer(spec, {lowerDirs, upperDir, workDir, mergedDir, rootless})
    const child = await spawnInNamespaces({
      namespaces: plan.namespaces,
      mapping: plan.mapping,
      steps: plan.steps,
      command: plan.command,
      stdio: ['inherit', 'inherit', 'inherit'],
      console: options.tty ?? false,
    }).catch((err) => Promise.reject(explainPermissionError(err, walks)))
    let terminal: AttachedTerminal | undefined
    if (options.tty) {
      await child.started.catch(() => undefined) // a failure shows in child.exited below
      try {
        terminal = attachTerminal(child.consoleMaster(), options.interactive ?? false)
      } catch {
        // the child failed before it sent its terminal
      }
    }
    const stopForwarding = forwardSignals(child.pid)
    try {
      const exit = await child.exited.catch((err) => Promise.reject(explainPermissionError(err, walks)))
      await terminal?.closed
      return {...exit, id, warnings}
    } finally {
      terminal?.detach()
      stopForwarding()
    }
  } finally {
    await store.removeTrees([dir])
  }
}
