// network: what the default network (slirp4netns, as Podman 4 rootless) needs: the program and
// a /dev/net/tun the user can open. Without them every run without --network none|host fails.
import {checkTunDevice, findSlirp4netns} from '../../runtime/network/slirp4netns'
import {CheckGroup, CheckResult, fail, ok} from './check-result'

const GROUP = 'network'
const WORKAROUND = 'or run containers with `--network none` or `--network host`'

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const networkChecks: CheckGroup = {
  name: GROUP,
  summary: 'slirp4netns (the default network) and /dev/net/tun',
  async run(): Promise<CheckResult[]> {
    const results: CheckResult[] = []
    try {
      results.push(ok('slirp4netns', findSlirp4netns()))
    } catch (err) {
      results.push(fail('slirp4netns', messageOf(err), `as root: \`apt-get install slirp4netns\`, ${WORKAROUND}`))
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
