// The rootless network namespace, as Podman 4 builds it for netavark (libpod/networking_linux.go):
// one network namespace, in a user namespace with the store's id mapping and a mount namespace
// of its own, held by a process that sleeps, and linked to the host by slirp4netns. netavark
// runs in it (its bridges, veths, firewall rules and aardvark-dns live there), and each
// container's network namespace is a file bind-mounted in its mount namespace, which the
// container's process joins (with the user namespace) by path.
//
// It is created on first use and torn down (the holder killed; slirp4netns and aardvark-dns end
// with it) once no container uses it. Its state (the holder's and slirp4netns' pids) is a file
// in the run dir, under a lock held while containers are added to it or removed.
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import {withLock} from '../../../storage/store/lockfile'
import {processStartTime} from '../../../storage/store/owner'
import type {Store} from '../../../storage/store/store'
import {spawnInNamespaces} from '../../../userns/spawn'
import {isAlive} from '../../container/records'
import {startSlirp4netns} from '../slirp4netns'

export const NETAVARK_BINARY = '/usr/lib/podman/netavark'
export const AARDVARK_BINARY = '/usr/lib/podman/aardvark-dns'
const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

interface NetnsState {
  holder: {pid: number; start?: string}
  slirp4netns: {pid: number; start?: string}
  /** containers whose network namespace is in it */
  users: string[]
}

export class RootlessNetns {
  constructor(readonly store: Store) {}

  /** netavark's --config dir (its aardvark-dns configs), the netns files, the state */
  get runDir(): string {
    return path.join(this.store.config.runRoot, 'networks')
  }

  private get stateFile(): string {
    return path.join(this.runDir, 'rootless-netns.json')
  }

  netnsFile(containerId: string): string {
    return path.join(this.runDir, 'netns', `netns-${containerId}`)
  }

  private readState(): NetnsState | undefined {
    try {
      const state = JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as NetnsState
      return isAlive(state.holder.pid, state.holder.start) ? state : undefined
    } catch {
      return undefined
    }
  }

  private writeState(state: NetnsState): void {
    fs.writeFileSync(this.stateFile, JSON.stringify(state), {mode: 0o600})
  }

  async locked<T>(action: () => Promise<T>): Promise<T> {
    fs.mkdirSync(path.join(this.runDir, 'netns'), {recursive: true, mode: 0o700})
    return withLock(path.join(this.runDir, 'rootless-netns.lock'), 'exclusive', action)
  }

  /** The holder's pid, the namespace made first when there is none. Under locked(). */
  private async ensure(): Promise<NetnsState> {
    const current = this.readState()
    if (current) return current
    if (!this.store.mapping) throw new TspodError('named networks need the rootless user namespace: tspod as root has no bridge networking')
    const devNull = fs.openSync('/dev/null', 'r+')
    try {
      const holder = await spawnInNamespaces({
        namespaces: ['user', 'mount', 'net'],
        mapping: this.store.mapping,
        // its own session: a terminal's ^C is not for it
        command: {file: '/usr/bin/setsid', argv: ['setsid', 'sleep', 'infinity'], env: [`PATH=${HOST_PATH}`], cwd: '/'},
        stdio: [devNull, 'pipe', devNull],
        dieWithParent: false,
        noReap: true,
      })
      await holder.started
      // slirp4netns ends when the holder does: its exit fd is the read end of the holder's stdout
      const out = holder.stdout as net.Socket & {_handle?: {fd: number}}
      let slirp
      try {
        slirp = await startSlirp4netns({pid: holder.pid, ports: [], exitFd: out._handle!.fd})
      } catch (err) {
        process.kill(holder.pid, 'SIGKILL')
        throw err
      } finally {
        out.destroy()
      }
      const state: NetnsState = {
        holder: {pid: holder.pid, start: processStartTime(holder.pid)},
        slirp4netns: {pid: slirp.pid, start: processStartTime(slirp.pid)},
        users: [],
      }
      this.writeState(state)
      return state
    } finally {
      fs.closeSync(devNull)
    }
  }

  /** Run a program inside the rootless netns (its user, mount and network namespaces). */
  async exec(holderPid: number, argv: string[], input?: string, namespaces: ('user' | 'mount' | 'net')[] = ['user', 'mount', 'net']): Promise<{code: number; stdout: string; stderr: string}> {
    const child = await spawnInNamespaces({
      namespaces: [],
      join: {pid: holderPid, namespaces},
      command: {file: argv[0], argv, env: [`PATH=${HOST_PATH}`, `XDG_RUNTIME_DIR=${process.env.XDG_RUNTIME_DIR ?? ''}`], cwd: '/'},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const collect = (s?: NodeJS.ReadableStream): Promise<string> =>
      new Promise((resolve) => {
        if (!s) return resolve('')
        const chunks: Buffer[] = []
        s.on('data', (c: Buffer) => chunks.push(c))
        s.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        s.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')))
      })
    const [stdout, stderr] = [collect(child.stdout), collect(child.stderr)]
    child.stdin?.end(input ?? '')
    const exit = await child.exited
    return {code: exit.code ?? 128, stdout: await stdout, stderr: await stderr}
  }

  /**
   * A network namespace for the container, made in the rootless netns' user namespace and kept
   * by a bind mount in its mount namespace; returns the holder's pid and the path to open it by
   * from this process (through the holder's root).
   */
  async addContainer(containerId: string): Promise<{holderPid: number; netnsPath: string}> {
    return this.locked(async () => {
      const state = await this.ensure()
      const file = this.netnsFile(containerId)
      fs.writeFileSync(file, '', {mode: 0o600})
      const made = await this.exec(state.holder.pid, ['unshare', '--net', 'mount', '--bind', '/proc/self/ns/net', file], undefined, ['user', 'mount'])
      if (made.code !== 0) throw new TspodError(`creating the network namespace of container ${containerId}: ${made.stderr.trim() || `exit status ${made.code}`}`)
      if (!state.users.includes(containerId)) state.users.push(containerId)
      this.writeState(state)
      return {holderPid: state.holder.pid, netnsPath: `/proc/${state.holder.pid}/root${file}`}
    })
  }

  /**
   * aardvark-dns (netavark starts it in the rootless netns) would keep that netns alive, and
   * netavark would signal it instead of starting one in the next: it ends with the namespace.
   */
  private stopAardvark(): void {
    const dir = path.join(this.runDir, 'aardvark-dns')
    try {
      const pid = Number(fs.readFileSync(path.join(dir, 'aardvark.pid'), 'utf8').trim())
      if (Number.isSafeInteger(pid) && pid > 0 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('aardvark-dns')) process.kill(pid, 'SIGTERM')
    } catch {
      // not running
    }
    fs.rmSync(dir, {recursive: true, force: true})
  }

  /** The holder of a running rootless netns, if any. */
  current(): {holderPid: number} | undefined {
    const state = this.readState()
    return state && {holderPid: state.holder.pid}
  }

  /** After its teardown: the container's netns unmounted, the rootless netns ended when it was the last one. */
  async removeContainer(containerId: string, teardown: (holderPid: number, netns: string) => Promise<void>): Promise<void> {
    await this.locked(async () => {
      const state = this.readState()
      const file = this.netnsFile(containerId)
      if (state) {
        try {
          await teardown(state.holder.pid, file)
        } finally {
          await this.exec(state.holder.pid, ['umount', file], undefined, ['user', 'mount']).catch(() => undefined)
          state.users = state.users.filter((u) => u !== containerId)
          if (state.users.length === 0) {
            this.stopAardvark()
            for (const p of [state.holder, state.slirp4netns]) if (isAlive(p.pid, p.start)) process.kill(p.pid, 'SIGTERM')
            fs.rmSync(this.stateFile, {force: true})
          } else this.writeState(state)
        }
      }
      fs.rmSync(file, {force: true})
    })
  }
}
