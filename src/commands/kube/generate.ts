import {Args, Flags} from '@oclif/core'
import * as fs from 'node:fs'

import {TspodCommand} from '../../cli/base-command'
import {TspodError} from '../../errors'

export default class KubeGenerate extends TspodCommand {
  static summary = 'Generate Kubernetes YAML from containers, pods or volumes.'
  static description = `Command generates Kubernetes Pod, Service or PersistentVolumeClaim YAML (v1 specification) from containers, pods or volumes.

  Whether the input is for a container or pod, the specification is always generated as a pod (or, with --type deployment, a Deployment).`
  static strict = false
  static usage = '[options] {CONTAINER...|POD...|VOLUME...}'
  static args = {names: Args.string({required: true, description: 'containers, pods or volumes'})}
  static examples = ['<%= config.bin %> kube generate ctrID', '<%= config.bin %> kube generate podID', '<%= config.bin %> kube generate --service podID', '<%= config.bin %> kube generate volumeName', '<%= config.bin %> kube generate ctrID podID volumeName --service']
  static flags = {
    service: Flags.boolean({char: 's', description: 'Generate YAML for a Kubernetes service object'}),
    filename: Flags.string({char: 'f', description: 'Write output to the specified path'}),
    type: Flags.string({char: 't', default: 'pod', description: 'Generate YAML for the given Kubernetes kind (pod or deployment)'}),
  }

  async run(): Promise<void> {
    const parsed = await this.parse(KubeGenerate)
    const {flags} = parsed
    const kube = await this.engine(flags).kube()
    const text = await kube.generate(this.positionalArgs(parsed), {service: flags.service, type: flags.type}, (w) => this.printWarning(w))
    if (flags.filename !== undefined) {
      if (fs.existsSync(flags.filename)) throw new TspodError(`cannot write to ${JSON.stringify(flags.filename)}; file exists`)
      try {
        fs.writeFileSync(flags.filename, text, {mode: 0o644})
      } catch (err) {
        throw new TspodError(`cannot write to ${JSON.stringify(flags.filename)}: ${(err as Error).message}`)
      }
      return
    }
    // Podman prints the YAML with Println: a blank line after it
    this.print(`${text}\n`)
  }
}
