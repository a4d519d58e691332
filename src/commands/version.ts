import {Flags} from '@oclif/core'

import {TspodCommand} from '../cli/base-command'
import {alignColumns, isJsonFormat} from '../cli/format/go-template'
import {renderRecord} from '../cli/render'
import {goArchitecture} from '../engine'
import {builtTime} from '../engine'

export default class Version extends TspodCommand {
  static summary = 'Display the tspod version information'
  static flags = {format: Flags.string({char: 'f', description: 'Change the output format to JSON or a Go template'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    const client = {
      Version: this.config.version,
      NodeVersion: process.version,
      OsArch: `linux/${goArchitecture()}`,
      Built: builtTime(),
    }
    // the engine is this process (Podman's local mode): templates read the Client as its Server, JSON shows the Client alone
    if (flags.format) return this.print(renderRecord(isJsonFormat(flags.format) ? {Client: client} : {Client: client, Server: client}, flags.format))
    this.print(alignColumns(`Version:\t${client.Version}\nNode Version:\t${client.NodeVersion}\nOS/Arch:\t${client.OsArch}`))
  }
}
