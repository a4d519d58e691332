import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {UsageError} from '../engine'

/** All of stdin (for --password-stdin), without the trailing newline. */
async function readStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += String(chunk)
  return text.replace(/\r?\n$/, '')
}

export default class Login extends TspodCommand {
  static summary = 'Log in to a container registry'
  static args = {registry: Args.string({required: true, description: 'registry (host[:port][/repository])'})}
  static flags = {
    username: Flags.string({char: 'u', description: 'Username for registry'}),
    password: Flags.string({char: 'p', description: 'Password for registry'}),
    'password-stdin': Flags.boolean({description: 'Take the password from stdin'}),
    authfile: Flags.string({description: 'path of the authentication file'}),
    'tls-verify': Flags.boolean({description: 'require HTTPS and verify certificates when contacting registries', allowNo: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Login)
    if (flags.password !== undefined && flags['password-stdin']) throw new UsageError("can't specify both --password-stdin and --password")
    if (!flags.username) throw new UsageError('username is required: use --username (tspod login does not prompt)')
    const password = flags['password-stdin'] ? await readStdin() : flags.password
    if (!password) throw new UsageError('password is required: use --password or --password-stdin')
    await this.engine(flags).login(args.registry, {username: flags.username, password}, {authFile: flags.authfile, tlsVerify: flags['tls-verify']})
    this.print('Login Succeeded!')
  }
}
