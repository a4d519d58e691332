import {Args, Flags} from '@oclif/core'
import * as fs from 'node:fs'

import {TspodCommand} from '../../cli/base-command'
import {printError} from '../../cli/exit'
import {imageContext} from '../../cli/image-flags'
import {readKubeInput} from '../../cli/kube-input'
import {pullReporter} from '../../cli/pull-progress'
import {TspodError} from '../../errors'

const many = {multiple: true, multipleNonGreedy: true} as const

/** Podman's StringSlice flags: each value may hold several, comma-separated. */
function slice(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '')
}

export default class KubePlay extends TspodCommand {
  static summary = 'Play a pod or volume based on Kubernetes YAML.'
  static description = `Creates pods or volumes based on the Kubernetes kind described in the YAML. Supported kinds are Pods, Deployments, PersistentVolumeClaims and ConfigMaps.`
  static usage = '[options] KUBEFILE|-'
  static args = {kubefile: Args.string({required: true, description: 'a YAML file, - for stdin, or an http(s) URL'})}
  static examples = ['<%= config.bin %> kube play nginx.yml', 'cat nginx.yml | <%= config.bin %> kube play -', '<%= config.bin %> kube play https://example.com/nginx.yml']
  static flags = {
    authfile: Flags.string({description: 'Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    configmap: Flags.string({...many, description: '`Pathname` of a YAML file containing a kubernetes configmap'}),
    creds: Flags.string({description: '`Credentials` (USERNAME:PASSWORD) to use for authenticating to a registry'}),
    down: Flags.boolean({hidden: true, description: 'Stop pods defined in the YAML file'}),
    'log-driver': Flags.string({description: 'Logging driver for the container'}),
    'log-opt': Flags.string({...many, description: 'Logging driver options'}),
    network: Flags.string({aliases: ['net'], ...many, description: 'Connect pod to network(s) or network mode'}),
    'no-hosts': Flags.boolean({description: 'Do not create /etc/hosts within the pod\'s containers, instead use the version from the image'}),
    publish: Flags.string({...many, description: 'Publish a container\'s port, or a range of ports, to the host'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pulling images'}),
    replace: Flags.boolean({description: 'Delete and recreate pods defined in the YAML file'}),
    start: Flags.boolean({default: true, allowNo: true, description: 'Start the pod after creating it'}),
    'tls-verify': Flags.boolean({allowNo: true, description: 'Require HTTPS and verify certificates when contacting registries'}),
    userns: Flags.string({description: 'User namespace to use'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(KubePlay)
    const text = await readKubeInput(args.kubefile)
    const kube = await this.engine(flags).kube()
    if (flags.down) {
      const {podNames} = await import('../../kube/play')
      const report = await kube.down(podNames(text), {}, {stop: {onError: (err) => printError(err, false)}})
      this.print(['Pods stopped:', ...report.stopped, 'Pods removed:', ...report.removed].join('\n'))
      if (report.errors.length > 0) throw report.errors.at(-1) as Error
      return
    }
    const signal = this.interruptSignal()
    const report = await kube.play(
      text,
      {
        start: flags.start,
        replace: flags.replace,
        networks: flags.network ?? [],
        publish: flags.publish ?? [],
        configMapFiles: slice(flags.configmap),
        logDriver: flags['log-driver'],
        logOptions: slice(flags['log-opt']),
        userns: flags.userns ?? process.env.PODMAN_USERNS,
        noHosts: flags['no-hosts'],
        selinuxEnabled: fs.existsSync('/sys/fs/selinux/enforce'),
      },
      {pullContext: () => imageContext(flags, signal), events: {pullProgress: () => pullReporter(flags.quiet), onWarning: (w) => this.printWarning(w)}},
    )
    const lines: string[] = []
    if (report.volumes.length > 0) lines.push('Volumes:', ...report.volumes)
    let failed = 0
    for (const pod of report.pods) {
      lines.push('Pod:', pod.id)
      if (pod.containers.length > 0) lines.push(pod.containers.length === 1 ? 'Container:' : 'Containers:', ...pod.containers)
      for (const e of pod.errors) process.stderr.write(`${e}\n`)
      failed += pod.errors.length
      lines.push('')
    }
    if (lines.length > 0) this.print(`${lines.join('\n')}\n`)
    if (failed > 0) throw new TspodError(`failed to start ${failed} containers`)
  }
}
