import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {readLine} from '../cli/prompt'
import {TspodError, UsageError} from '../engine'

/** All of stdin (for --password-stdin), without the trailing newline. */
async function readStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += String(chunk)
  return text.replace(/\r?\n$/, '')
}

/** A password typed on the terminal, not echoed (Go's term.ReadPassword: a terminal is required). */
async function readPassword(): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) throw new TspodError('getting username and password: reading password: inappropriate ioctl for device')
  stdin.setRawMode(true)
  try {
    let text = ''
    for await (const chunk of stdin) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return text
        if (ch === '\u0003') throw new TspodError('getting username and password: interrupted')
        if (ch === '\u007f') text = text.slice(0, -1)
        else text += ch
      }
    }
    return text
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    process.stdout.write('\n')
  }
}

export default class Login extends TspodCommand {
  static summary = 'Log in to a container registry'
  static description =
    'Checks the credentials with the registry and stores them in the auth file ($REGISTRY_AUTH_FILE, or ${XDG_RUNTIME_DIR}/containers/auth.json), which skopeo and Podman read too. Without a registry, the first of unqualified-search-registries in registries.conf.'
  static args = {registry: Args.string({description: 'registry (host[:port], or host[:port]/namespace/repository for credentials of that repository only)'})}
  static flags = {
    authfile: Flags.string({description: 'path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    'cert-dir': Flags.string({description: 'use certificates at the specified path to access the registry'}),
    'get-login': Flags.boolean({description: 'Return the current login user for the registry'}),
    password: Flags.string({char: 'p', description: 'Password for registry'}),
    'password-stdin': Flags.boolean({description: 'Take the password from stdin'}),
    'tls-verify': Flags.boolean({description: 'require HTTPS and verify certificates when contacting registries', allowNo: true}),
    username: Flags.string({char: 'u', description: 'Username for registry'}),
    verbose: Flags.boolean({char: 'v', description: 'Write more detailed information to stdout'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Login)
    if (flags.password !== undefined && flags['password-stdin']) throw new UsageError("Can't specify both --password-stdin and --password")
    if (flags['password-stdin'] && !flags.username) throw new UsageError('must provide --username with --password-stdin')
    const engine = this.engine(flags)
    const target = await engine.loginTarget(args.registry, true)
    const authFile = flags.authfile
    if (flags['get-login']) {
      const stored = await engine.storedLogin(target, {authFile})
      if (!stored?.username) throw new TspodError(`not logged into ${target.key}`)
      this.print(stored.username)
      return
    }
    const options = {authFile, tlsVerify: flags['tls-verify'], certDir: flags['cert-dir'], signal: this.interruptSignal()}
    if (!flags.username && flags.password === undefined && !flags['password-stdin']) {
      const stored = await engine.storedLogin(target, {authFile})
      if (stored?.username && stored.password) {
        this.print(`Authenticating with existing credentials for ${target.key}`)
        try {
          await engine.login(target, stored, {...options, store: false})
          this.print(`Existing credentials are valid. Already logged in to ${target.registry}`)
          return
        } catch {
          this.print('Existing credentials are invalid, please enter valid username and password')
        }
      }
    }
    let username = flags.username
    if (!username) {
      process.stdout.write('Username: ')
      try {
        username = (await readLine()).trim()
      } catch (err) {
        throw new TspodError(`getting username and password: reading username: ${(err as Error).message}`)
      }
    }
    let password = flags['password-stdin'] ? await readStdin() : flags.password
    if (password === undefined) {
      process.stdout.write('Password: ')
      password = await readPassword()
    }
    if (!username || !password) throw new UsageError('username and password are required')
    const written = await engine.login(target, {username, password}, {...options, store: true})
    if (flags.verbose) this.print(`Used:  ${written}`)
    this.print('Login Succeeded!')
  }
}
