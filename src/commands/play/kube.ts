import {KubePlayCommand} from '../../cli/kube-commands'

export default class PlayKube extends KubePlayCommand {
  static examples = KubePlayCommand.examples.map((e) => e.replace('kube play', 'play kube'))
}
