import {KubeGenerateCommand} from '../../cli/kube-commands'

export default class GenerateKube extends KubeGenerateCommand {
  static examples = KubeGenerateCommand.examples.map((e) => e.replace('kube generate', 'generate kube'))
}
