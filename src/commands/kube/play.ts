import {KubePlayCommand} from '../../cli/kube-commands'

export default class KubePlay extends KubePlayCommand {}
