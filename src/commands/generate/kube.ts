import KubeGenerate from '../kube/generate'

export default class GenerateKube extends KubeGenerate {
  static examples = KubeGenerate.examples.map((e) => e.replace('kube generate', 'generate kube'))
}
