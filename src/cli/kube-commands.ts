// The kube generate and kube play commands, each under two names (kube generate / generate kube, kube play / play kube).
import {Args, Flags} from '@oclif/core'
import {TspodCommand} from './base-command'
import {printError} from './exit'
import {imageContext} from './image-flags'
import {readKubeInput, writeKubeOutput} from './kube-input'
import {pullReporter} from './pull-progress'
import {TspodError} from '../engine'

const many = {multiple: true, multipleNonGreedy: true} as const

/** Podman's StringSlice flags: each value may hold several, comma-separated. */
function slice(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '')
}

export class KubeGenerateCommand extends TspodCommand {
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
    const parsed = await this.parse(KubeGenerateCommand)
    const {flags} = parsed
    const kube = await this.engine(flags).kube()
    const text = await kube.generate(this.positionalArgs(parsed), {service: flags.service, type: flags.type}, (w) => this.printWarning(w))
    if (flags.filename !== undefined) return writeKubeOutput(flags.filename, text)
    // Podman prints the YAML with Println: a blank line after it
    this.print(`${text}\n`)
  }
}

export class KubePlayCommand extends TspodCommand {
  static summary = 'Play a pod or volume based on Kubernetes YAML.'
  static description = `Creates pods or volumes based on the Kubernetes kind described in the YAML. Supported kinds are Pods, Deployments, PersistentVolumeClaims and ConfigMaps.`
  static usage = '[options] KUBEFILE|-'
  static args = {kubefile: Args.string({required: true, description: 'a YAML file, - for stdin, or an http(s) URL'})}
  static examples = ['<%= config.bin %> kube play nginx.yml', 'cat nginx.yml | <%= config.bin %> kube play -', '<%= config.bin %> kube play https://example.com/nginx.yml']
  static flags = {
    annotation: Flags.string({...many, description: 'Add annotations to pods (key=value)'}),
    authfile: Flags.string({description: 'Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    build: Flags.boolean({allowNo: true, description: 'Build all images in a YAML (given Containerfiles exist)'}),
    'context-dir': Flags.string({description: 'Path to top level of context directory'}),
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
    'service-container': Flags.boolean({hidden: true, description: 'Starts a service container before all pods'}),
    start: Flags.boolean({default: true, allowNo: true, description: 'Start the pod after creating it'}),
    'tls-verify': Flags.boolean({allowNo: true, description: 'Require HTTPS and verify certificates when contacting registries'}),
    userns: Flags.string({description: 'User namespace to use'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(KubePlayCommand)
    const text = await readKubeInput(args.kubefile)
    const kube = await this.engine(flags).kube()
    if (flags.down) {
      const report = await kube.downYaml(text, {stop: {onError: (err) => printError(err, false)}})
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
        serviceContainer: flags['service-container'],
        networks: flags.network ?? [],
        publish: flags.publish ?? [],
        configMapFiles: slice(flags.configmap),
        logDriver: flags['log-driver'],
        logOptions: slice(flags['log-opt']),
        userns: flags.userns ?? process.env.PODMAN_USERNS,
        noHosts: flags['no-hosts'],
        annotations: flags.annotation ?? [],
        build: flags.build,
        contextDir: flags['context-dir'],
      },
      {pullContext: () => imageContext(flags, signal), events: {pullProgress: () => pullReporter(flags.quiet), onWarning: (w) => this.printWarning(w), onLine: (line) => this.print(line)}},
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
