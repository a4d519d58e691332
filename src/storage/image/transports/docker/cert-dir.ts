// A registry's certificate directory (containers-certs.d(5)), read as containers/image's
// tlsclientconfig reads it: every *.crt is a CA trusted besides the system's, a *.cert with its
// *.key is the client certificate. --cert-dir names the directory; otherwise the first of
// ~/.config/containers/certs.d/HOST[:PORT] (rootless), /etc/containers/certs.d/HOST[:PORT] and
// /etc/docker/certs.d/HOST[:PORT] that exists.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../../../errors'
import type {TlsMaterial} from './http-request'

export interface CertDirOptions {
  /** --cert-dir: the only directory read */
  certDir?: string
  env?: NodeJS.ProcessEnv
  /** prefixed to /etc (tests); default "/" */
  rootDir?: string
}

/** The directory that applies to registry (host[:port]), or undefined when there is none. */
export function certDirFor(registry: string, options: CertDirOptions = {}): string | undefined {
  if (options.certDir !== undefined) return options.certDir
  const env = options.env ?? process.env
  const root = options.rootDir ?? '/'
  const candidates: string[] = []
  if (process.getuid?.() !== 0) candidates.push(path.join(env.HOME || os.userInfo().homedir, '.config/containers/certs.d'))
  candidates.push(path.join(root, 'etc/containers/certs.d'), path.join(root, 'etc/docker/certs.d'))
  for (const base of candidates) {
    const dir = path.join(base, registry)
    try {
      if (fs.statSync(dir).isDirectory()) return dir
    } catch {
      // not there: the next candidate
    }
  }
  return undefined
}

function readPem(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`reading ${file}: ${e.message}`, {code: e.code, path: file, cause: err})
  }
}

/** The CAs and client certificate of dir; a missing dir holds none. */
export function readCertDir(dir: string): TlsMaterial | undefined {
  let names: string[]
  try {
    names = fs.readdirSync(dir).sort()
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') return undefined
    throw new TspodError(`reading certificate directory ${dir}: ${e.message}`, {code: e.code, path: dir, cause: err})
  }
  const material: TlsMaterial = {ca: []}
  for (const name of names) {
    const file = path.join(dir, name)
    if (name.endsWith('.crt')) {
      material.ca.push(readPem(file))
    } else if (name.endsWith('.cert')) {
      const keyName = `${name.slice(0, -'.cert'.length)}.key`
      if (!names.includes(keyName)) {
        throw new TspodError(`missing key ${keyName} for client certificate ${name}. Note that CA certificates should use the extension .crt`)
      }
      material.cert = readPem(file)
      material.key = readPem(path.join(dir, keyName))
    } else if (name.endsWith('.key')) {
      const certName = `${name.slice(0, -'.key'.length)}.cert`
      if (!names.includes(certName)) throw new TspodError(`missing client certificate ${certName} for key ${name}`)
    }
  }
  return material.ca.length > 0 || material.cert ? material : undefined
}
