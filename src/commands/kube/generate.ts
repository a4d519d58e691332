import {KubeGenerateCommand} from '../../cli/kube-commands'

export default class KubeGenerate extends KubeGenerateCommand {}
