import {Args, Flags} from '@oclif/core'

import {ContainerCommand} from '../../cli/container-command'
import {imageContext} from '../../cli/image-flags'
import {commandLine} from '../../cli/program-name'
import {writeOutput} from '../../cli/output-file'

const many = {multiple: true, multipleNonGreedy: true} as const

export default class PodCreate extends ContainerCommand {
  static summary = 'Create a new empty pod'
  static description = 'After creating the pod, the pod ID is printed to stdout. Its infra container (catatonit, from a locally built pause image unless --infra-image) holds the namespaces the pod\'s containers share.'
  static args = {name: Args.string({description: 'the pod\'s name (or --name)'})}
  static flags = {
    name: Flags.string({description: 'Assign a name to the pod'}),
    label: Flags.string({char: 'l', ...many, description: 'Set metadata on pod (default [])'}),
    infra: Flags.boolean({default: true, allowNo: true, description: 'Create an infra container associated with the pod to share namespaces with'}),
    'infra-image': Flags.string({description: 'Image to use to override builtin infra container'}),
    'infra-command': Flags.string({description: 'Overwrite the default ENTRYPOINT of the image'}),
    'infra-name': Flags.string({description: 'Assign a name to the container'}),
    network: Flags.string({aliases: ['net'], description: 'Connect the pod\'s infra container to a network (as run --network)'}),
    hostname: Flags.string({description: 'Set the pod\'s hostname (default: its name)'}),
    'add-host': Flags.string({...many, description: 'Add a custom host-to-IP mapping (host:ip)'}),
    dns: Flags.string({...many, description: 'Set custom DNS servers'}),
    'dns-search': Flags.string({...many, description: 'Set custom DNS search domains'}),
    'dns-option': Flags.string({...many, aliases: ['dns-opt'], description: 'Set custom DNS options'}),
    publish: Flags.string({char: 'p', ...many, description: 'Publish a container\'s port, or a range of ports, to the host'}),
    share: Flags.string({description: 'A comma delimited list of kernel namespaces the pod will share (ipc, net, pid, uts or none)'}),
    'pod-id-file': Flags.string({description: 'Write the pod ID to the file'}),
    userns: Flags.string({description: 'User namespace to use'}),
    replace: Flags.boolean({description: 'If a pod with the same name exists, replace it'}),
    'exit-policy': Flags.string({description: 'Behaviour when the last container exits: continue (the default) or stop (the pod stops)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PodCreate)
    const pods = await this.engine(flags).pods()
    const pod = await pods.create({
      name: flags.name ?? args.name,
      labels: flags.label ?? [],
      infra: flags.infra,
      infraImage: flags['infra-image'],
      infraCommand: flags['infra-command'],
      infraName: flags['infra-name'],
      network: flags.network,
      hostname: flags.hostname,
      addHost: flags['add-host'],
      dns: flags.dns,
      dnsSearch: flags['dns-search'],
      dnsOption: flags['dns-option'],
      publish: flags.publish ?? [],
      share: flags.share,
      userns: flags.userns,
      replace: flags.replace,
      exitPolicy: flags['exit-policy'],
      pullContext: () => imageContext({}, this.interruptSignal()),
      createCommand: commandLine(),
    })
    if (flags['pod-id-file']) writeOutput(flags['pod-id-file'], pod.id)
    this.print(pod.id)
  }
}
