import {Args, Flags} from '@oclif/core'
import * as fs from 'node:fs'

import {TspodCommand} from '../../cli/base-command'
import {UsageError} from '../../engine/errors'
import {parseKeyValues} from '../../runtime/volume/create-options'

/** Read the secret's data: a file, stdin for `-`, or (--env) the named environment variable. */
function secretData(source: string, env: boolean): Buffer {
  if (env) {
    const value = process.env[source]
    if (value === undefined) throw new UsageError(`cannot create store secret data: environment variable ${source} is not set`)
    return Buffer.from(value)
  }
  try {
    return fs.readFileSync(source === '-' ? 0 : source)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EISDIR') return Buffer.alloc(0) // as Podman: no data, refused for its size
    throw new UsageError(`open ${source}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message}`)
  }
}

export default class SecretCreate extends TspodCommand {
  static summary = 'Create a new secret'
  static description = 'Create a secret. Input can be a path to a file or "-" (read from stdin). Default driver is file (unencrypted).'
  static usage = '[options] NAME FILE|-'
  static examples = ['<%= config.bin %> secret create mysecret /path/to/secret', 'printf "secretdata" | <%= config.bin %> secret create mysecret -']
  static args = {
    name: Args.string({required: true, description: 'NAME'}),
    source: Args.string({required: true, description: 'FILE|-'}),
  }
  static flags = {
    driver: Flags.string({char: 'd', default: 'file', description: 'Specify secret driver'}),
    'driver-opts': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Specify driver specific options'}),
    env: Flags.boolean({default: false, description: 'Read secret data from environment variable'}),
    label: Flags.string({char: 'l', multiple: true, multipleNonGreedy: true, description: 'Specify labels on the secret'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SecretCreate)
    const data = secretData(args.source, flags.env)
    const id = await (
      await this.engine(flags).secrets()
    ).create({
      name: args.name,
      data,
      driver: flags.driver,
      driverOptions: parseKeyValues((flags['driver-opts'] ?? []).flatMap((o) => o.split(',')), 'options'),
      labels: parseKeyValues(flags.label ?? [], 'labels'),
    })
    this.print(id)
  }
}
