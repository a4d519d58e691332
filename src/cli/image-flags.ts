// Flags shared by the commands that read images from somewhere (pull, load, create, run).
import {Flags} from '@oclif/core'
import * as fs from 'node:fs'

import {TspodError, UsageError} from '../engine'
import {registryIdleTimeoutMs} from '../engine/registry'
import type {ImageContext, Platform} from '../storage/image/transports/types'

export const pullFlags = {
  arch: Flags.string({description: 'use ARCH instead of the architecture of the machine for choosing images'}),
  os: Flags.string({description: 'use OS instead of the running OS for choosing images'}),
  variant: Flags.string({description: 'use VARIANT instead of the running architecture variant for choosing images'}),
  platform: Flags.string({description: 'Specify the platform for selecting the image (OS/ARCH[/VARIANT])'}),
  'tls-verify': Flags.boolean({description: 'require HTTPS and verify certificates when contacting registries', allowNo: true}),
  authfile: Flags.string({description: 'path of the authentication file'}),
  creds: Flags.string({description: 'use `[username[:password]]` for accessing the registry'}),
}

interface PullFlagValues {
  arch?: string
  os?: string
  variant?: string
  platform?: string
  'tls-verify'?: boolean
  authfile?: string
  creds?: string
}

function platformOf(flags: PullFlagValues): Partial<Platform> | undefined {
  if (flags.platform) {
    if (flags.arch || flags.os || flags.variant) throw new UsageError('--platform option can not be specified with --arch or --os')
    const [os, architecture, variant, extra] = flags.platform.split('/')
    if (!os || !architecture || extra !== undefined) throw new UsageError(`invalid platform syntax for --platform=${JSON.stringify(flags.platform)}: use OS/ARCH[/VARIANT]`)
    return {os, architecture, variant}
  }
  if (!flags.arch && !flags.os && !flags.variant) return undefined
  return {os: flags.os, architecture: flags.arch, variant: flags.variant}
}

export function imageContext(flags: PullFlagValues, signal: AbortSignal): ImageContext {
  let credentials: ImageContext['credentials']
  if (flags.creds !== undefined) {
    const i = flags.creds.indexOf(':')
    if (i <= 0) throw new UsageError('credentials must be in the form USERNAME:PASSWORD')
    credentials = {username: flags.creds.slice(0, i), password: flags.creds.slice(i + 1)}
  }
  return {signal, tlsVerify: flags['tls-verify'], authFile: flags.authfile, credentials, platform: platformOf(flags), registryIdleTimeoutMs: registryIdleTimeoutMs()}
}

/** --authfile names a file that must exist, as Podman checks before it builds. */
export function checkAuthfile(file: string | undefined): void {
  if (file !== undefined && !fs.existsSync(file)) throw new UsageError(`checking authfile: stat ${file}: no such file or directory`)
}

/**
 * The auth file a search reads (--authfile, else $REGISTRY_AUTH_FILE), which must exist: Podman's
 * search stats it first and fails with the stat's own words.
 */
export function existingAuthfile(flag: string | undefined): string | undefined {
  const file = flag ?? process.env.REGISTRY_AUTH_FILE
  if (!file) return undefined
  if (!fs.existsSync(file)) throw new TspodError(`stat ${file}: no such file or directory`)
  return file
}
