// The API socket of a running slirp4netns (--api-socket): one JSON request per connection, the
// writing side shut down to mark its end, one JSON answer; an answer with "error" is a refusal.
import * as net from 'node:net'

import {TspodError} from '../../errors'

const API_TIMEOUT_MS = 10_000

export interface HostForward {
  proto: 'tcp' | 'udp'
  /** an IPv4 address; 0.0.0.0 for all */
  host_addr: string
  host_port: number
  guest_port: number
}

export class Slirp4netnsApiError extends TspodError {}

function request(socketPath: string, body: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({path: socketPath})
    let answer = ''
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${API_TIMEOUT_MS / 1000}s`)), API_TIMEOUT_MS)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.end(`${JSON.stringify(body)}\n`))
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('error', (err) => {
      clearTimeout(timer)
      reject(new TspodError(`cannot talk to slirp4netns at ${socketPath}: ${err.message}`, {cause: err}))
    })
    socket.on('close', (hadError) => {
      clearTimeout(timer)
      if (hadError) return
      try {
        resolve(JSON.parse(answer) as Record<string, unknown>)
      } catch {
        reject(new TspodError(`error parsing error status from slirp4netns: ${JSON.stringify(answer)}`))
      }
    })
  })
}

/** Ask slirp4netns to forward a host port to the container (add_hostfwd). */
export async function addHostForward(socketPath: string, forward: HostForward): Promise<void> {
  const answer = await request(socketPath, {execute: 'add_hostfwd', arguments: forward})
  const error = answer.error as {desc?: string} | undefined
  if (error !== undefined)
    throw new Slirp4netnsApiError(`error from slirp4netns while setting up port redirection: ${error.desc ?? JSON.stringify(error)}`)
}
