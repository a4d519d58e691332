// Run by tests as the rootless user: spawn a child in new user, net, mount and pid namespaces through
// tspod's namespace primitive, start slirp4netns for it before it is released (publishing
// ports), run a busybox script in it, and report as JSON lines on stdout:
//   {"event":"network","pid":<slirp4netns>,"ports":[...],"socketDir":...}  once the network is up
//   {"event":"child","line":"..."}                           each line the script prints
//   {"event":"done","exit":{...},"slirpAlive":false,"socketDirEntries":[]}  after stop()
//   {"event":"error","error":{...},"slirpChildren":[],"socketDirEntries":[]}  when it failed
// With "orphan": true it never stops the network: the test kills this process instead.
// Usage: node slirp-fixture.js '<json {publish, script, binary?, orphan?, targetPid?}>'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as readline from 'node:readline'

import {exitCodeFor} from '../../../src/cli/exit-codes'
import {parsePublish} from '../../../src/runtime/network/publish'
import {NetworkHandle, prepareSlirp4netns, startSlirp4netns} from '../../../src/runtime/network/slirp4netns'
import {planUserNamespaceMapping} from '../../../src/userns/idmap'
import {spawnInNamespaces} from '../../../src/userns/spawn'
import {currentUser} from '../../../src/userns/user'
import {processAlive} from '../../helpers/processes'

interface Request {
  publish: string[]
  script: string
  /** start slirp4netns for this process instead of a child of ours (no child is spawned) */
  targetPid?: number
  binary?: string
  orphan?: boolean
}

function emit(event: object): void {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

/** Live slirp4netns processes started by this process. */
function slirpChildren(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8')
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        return comm === 'slirp4netns' && Number(ppid) === process.pid && state !== 'Z'
      } catch {
        return false
      }
    })
    .map(Number)
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]) as Request
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-slirp-test-'))
  const mapping = planUserNamespaceMapping(currentUser())
  let network: NetworkHandle | undefined
  try {
    // as `run` does: what can fail without the container fails before it is created
    const ports = await prepareSlirp4netns({ports: parsePublish(request.publish), binary: request.binary, socketDir})
    if (request.targetPid !== undefined) {
      network = await startSlirp4netns({pid: request.targetPid, ports, binary: request.binary, socketDir})
      throw new Error(`slirp4netns started for process ${request.targetPid}`)
    }
    const child = await spawnInNamespaces({
      namespaces: ['user', 'net', 'mount', 'pid'], // pid: nothing of the script outlives it
      mapping,
      command: {file: '/bin/busybox', argv: ['sh', '-c', request.script], env: ['PATH=/bin:/usr/bin']},
      stdio: ['inherit', 'pipe', 'inherit'],
      beforeRelease: async (pid) => {
        try {
          network = await startSlirp4netns({pid, ports, binary: request.binary, socketDir})
        } catch (err) {
          // The held child keeps a copy of the parent's end of its sync socket (native clone
          // without closing it), so it never sees the EOF spawnInNamespaces' failure path
          // relies on: end it here until the primitive does.
          process.kill(pid, 'SIGKILL')
          throw err
        }
        emit({event: 'network', pid: network.pid, ports: network.ports, socketDir})
      },
    })
    readline.createInterface({input: child.stdout!}).on('line', (line) => emit({event: 'child', line}))
    const exit = await child.exited
    if (request.orphan) return // the test kills this process while the network is up
    await network!.stop()
    emit({event: 'done', exit, slirpAlive: processAlive(network!.pid), socketDirEntries: fs.readdirSync(socketDir)})
  } catch (err) {
    const e = err as Error & {code?: string}
    await network?.stop()
    emit({
      event: 'error',
      error: {name: e.name, message: e.message, exitCode: exitCodeFor(e), code: e.code},
      slirpChildren: slirpChildren(),
      socketDirEntries: fs.readdirSync(socketDir),
    })
  } finally {
    if (!request.orphan) fs.rmSync(socketDir, {recursive: true, force: true})
  }
}

void main()
