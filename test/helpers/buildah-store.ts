// A containers/storage store that real buildah fills, in a rootless sandbox: storage.conf in the
// sandbox's XDG config dir (overlay, graph and run roots inside the sandbox), and the busybox
// image as an OCI layout that `buildah from oci:...` takes without a registry.
import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {busyboxImage, writeOciLayout} from './oci-image'
import {type RunResult, type Sandbox, TEST_USER, lookupUser, removeTree, runAs, sandbox} from './rootless'

export interface BuildahSandbox extends Sandbox {
  graphRoot: string
  runRoot: string
  /** `oci:DIR:busybox`, for `buildah from` */
  image: string
}

export async function buildahSandbox(t: {teardown(fn: () => unknown): void}): Promise<BuildahSandbox> {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const graphRoot = path.join(box.dir, 'cs-graph')
  const runRoot = path.join(box.dir, 'cs-run')
  const confDir = path.join(box.env.XDG_CONFIG_HOME, 'containers')
  fs.mkdirSync(confDir, {recursive: true})
  fs.writeFileSync(path.join(confDir, 'storage.conf'), `[storage]\ndriver = "overlay"\ngraphroot = "${graphRoot}"\nrunroot = "${runRoot}"\n`)
  // buildah names the image after the layout's path, which must be a lowercase reference
  const layout = path.join(os.tmpdir(), `tspod-buildah-layout-${randomBytes(6).toString('hex')}`)
  t.teardown(() => fs.rmSync(layout, {recursive: true, force: true}))
  await writeOciLayout(layout, [{image: await busyboxImage(), ref: 'busybox'}])
  execFileSync('chown', ['-R', `${box.user.uid}:${box.user.gid}`, box.env.XDG_CONFIG_HOME, layout])
  return {...box, graphRoot, runRoot, image: `oci:${layout}:busybox`}
}

/** Run buildah as the sandbox's user; a failure fails with its stderr. */
export async function buildah(box: BuildahSandbox, args: string[]): Promise<string> {
  const r: RunResult = await runAs(box.user, ['buildah', ...args], {env: box.env, timeoutMs: 120_000})
  if (r.code !== 0) throw new Error(`buildah ${args.join(' ')}: exit ${r.code}: ${r.stderr}`)
  return r.stdout.trim()
}

/** buildah's working container `name` from busybox (its ID), with /added made, /etc/passwd deleted and /etc/group changed in its layer. */
export async function changedBuildahContainer(box: BuildahSandbox, name: string): Promise<string> {
  await buildah(box, ['from', '--quiet', '--name', name, box.image])
  await buildah(box, ['unshare', 'sh', '-c', `set -e; m=$(buildah mount ${name}); touch "$m/added"; rm "$m/etc/passwd"; echo x >> "$m/etc/group"; buildah umount ${name}`])
  return await buildah(box, ['inspect', '--format', '{{.ContainerID}}', name])
}
