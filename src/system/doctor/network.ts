// network: what the default network needs (pasta or slirp4netns, chosen as Podman 5 does: see
// runtime/network/pasta.ts) and a /dev/net/tun the user can open. Without them every run
// without --network none|host fails.
import {findPasta, rootlessNetworkDefault} from '../../runtime/network/pasta'
import {checkTunDevice, findSlirp4netns} from '../../runtime/network/slirp4netns'
import {CheckGroup, CheckResult, fail, ok} from './check-result'

const GROUP = 'network'
const WORKAROUND = 'or run containers with `--network none` or `--network host`'

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const networkChecks: CheckGroup = {
  name: GROUP,
  summary: 'the default network (pasta or slirp4netns) and /dev/net/tun',
  async run(): Promise<CheckResult[]> {
    const results: CheckResult[] = []
    let choice
    try {
      choice = rootlessNetworkDefault()
      results.push(ok('default network', `${choice.cmd}: ${choice.reason}`))
    } catch (err) {
      results.push(fail('default network', messageOf(err), 'fix default_rootless_network_cmd in containers.conf ("pasta" or "slirp4netns")'))
    }
    if (choice?.cmd === 'pasta') {
      const pasta = findPasta()
      if (pasta) results.push(ok('pasta', pasta))
      else results.push(fail('pasta', 'pasta is not installed', `as root: \`apt-get install passt\`, or set default_rootless_network_cmd = "slirp4netns", ${WORKAROUND}`))
    } else {
      try {
        results.push(ok('slirp4netns', findSlirp4netns()))
      } catch (err) {
        results.push(fail('slirp4netns', messageOf(err), `as root: \`apt-get install slirp4netns\`, ${WORKAROUND}`))
      }
    }
    try {
      checkTunDevice()
      results.push(ok('/dev/net/tun', 'readable and writable by the user'))
    } catch (err) {
      // the message already carries the chmod/mknod fix
      results.push(fail('/dev/net/tun', messageOf(err).split('; ')[0], `${messageOf(err).split('; ').slice(1).join('; ')}, ${WORKAROUND}`))
    }
    return results
  },
}
