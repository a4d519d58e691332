import KubePlay from '../kube/play'

export default class PlayKube extends KubePlay {
  static examples = KubePlay.examples.map((e) => e.replace('kube play', 'play kube'))
}
