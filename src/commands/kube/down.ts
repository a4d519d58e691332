import {Args} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {readKubeInput} from '../../cli/kube-input'

export default class KubeDown extends TspodCommand {
  static summary = 'Remove pods based on Kubernetes YAML.'
  static description = 'Reads in a structured file of Kubernetes YAML. Removes the pods created by kube play from the same YAML.'
  static usage = 'KUBEFILE|-'
  static args = {kubefile: Args.string({required: true, description: 'a YAML file, - for stdin, or an http(s) URL'})}
  static examples = ['<%= config.bin %> kube down nginx.yml', 'cat nginx.yml | <%= config.bin %> kube down -', '<%= config.bin %> kube down https://example.com/nginx.yml']

  async run(): Promise<void> {
    const {args, flags} = await this.parse(KubeDown)
    const text = await readKubeInput(args.kubefile)
    const kube = await this.engine(flags).kube()
    const report = await kube.downYaml(text, {stop: {onError: (err) => printError(err, false)}})
    this.print(['Pods stopped:', ...report.stopped, 'Pods removed:', ...report.removed].join('\n'))
    if (report.errors.length > 0) throw report.errors.at(-1) as Error
  }
}
