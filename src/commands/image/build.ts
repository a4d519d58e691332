import {Args, Flags} from '@oclif/core'

import {TspodCommand} from '../../cli/base-command'
import {LogFile} from '../../cli/log-file'
import {pullReporter} from '../../cli/pull-progress'
import {checkAuthfile, imageContext, pullFlags} from '../../cli/image-flags'
import {UsageError} from '../../engine'
import {BuildStepError} from '../../engine/errors'
import type {PullPolicy} from '../../engine/create'

const PULL_POLICIES: Record<string, PullPolicy> = {true: 'always', false: 'missing', always: 'always', missing: 'missing', never: 'never', newer: 'newer', ifmissing: 'missing', ifnewer: 'newer'}

/** Podman's default for --layers: true, unless $BUILDAH_LAYERS says false or 0. */
function layersDefault(): boolean {
  const env = process.env.BUILDAH_LAYERS ?? ''
  return !(env.toLowerCase() === 'false' || env === '0')
}

export default class ImageBuild extends TspodCommand {
  static summary = 'Build an image using instructions from Containerfiles'
  static description = 'RUN steps run as rootless containers of tspod\'s own runtime (isolation "rootless"), on the same store.'
  static aliases = ['build', 'buildx:build']
  static args = {context: Args.string({description: 'context directory, URL of a tar archive, or - (a tar archive or a Containerfile on stdin); default: the current directory'})}
  static flags = {
    file: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'pathname or URL of a Dockerfile ("-": read it from stdin)'}),
    tag: Flags.string({char: 't', multiple: true, multipleNonGreedy: true, description: 'tagged name to apply to the built image'}),
    'build-arg': Flags.string({multiple: true, multipleNonGreedy: true, description: 'argument=value to supply to the builder'}),
    layers: Flags.boolean({allowNo: true, description: 'use intermediate layers during build and cache them (default: true, false when $BUILDAH_LAYERS is false or 0)'}),
    'no-cache': Flags.boolean({description: 'do not use existing cached images for the container build'}),
    quiet: Flags.boolean({char: 'q', description: 'refrain from announcing build instructions and image read/write progress'}),
    iidfile: Flags.string({description: 'file to write the image ID to'}),
    format: Flags.string({default: 'oci', description: 'format of the built image\'s manifest and metadata (oci or docker)'}),
    label: Flags.string({multiple: true, multipleNonGreedy: true, description: 'set metadata for an image'}),
    target: Flags.string({description: 'set the target build stage to build'}),
    // Podman's buildx --load: the built image always lands in the local store, as here
    load: Flags.boolean({hidden: true, description: 'buildx --load (the image is always stored locally)'}),
    pull: Flags.string({description: 'pull image policy: always, missing, never, newer (true: always)'}),
    'pull-always': Flags.boolean({hidden: true, description: 'pull the image even if the named image is present in store'}),
    'pull-never': Flags.boolean({hidden: true, description: 'do not pull the image, use the image present in store if available'}),
    ignorefile: Flags.string({description: 'path to an alternate .containerignore file'}),
    volume: Flags.string({char: 'v', multiple: true, multipleNonGreedy: true, description: 'bind mount a volume into the container of every RUN step'}),
    network: Flags.string({description: 'the network mode of RUN steps (slirp4netns, host, none, ns:PATH)'}),
    secret: Flags.string({multiple: true, multipleNonGreedy: true, description: 'secret file to expose to RUN --mount=type=secret (id=ID,src=PATH)'}),
    userns: Flags.string({description: 'the user namespace of RUN steps, as run --userns'}),
    squash: Flags.boolean({description: 'squash all of the image\'s new layers into a single new layer; any preexisting layers are not squashed'}),
    'squash-all': Flags.boolean({description: 'squash all of the image\'s layers, including the base image\'s, into one layer'}),
    'cache-ttl': Flags.string({description: 'only consider cached images created less than this duration ago (0: no cache)'}),
    platform: pullFlags.platform,
    arch: pullFlags.arch,
    os: pullFlags.os,
    variant: pullFlags.variant,
    isolation: Flags.string({description: 'type of process isolation: oci, rootless or chroot (tspod runs every RUN step as a rootless container)'}),
    'tls-verify': pullFlags['tls-verify'],
    authfile: pullFlags.authfile,
    creds: pullFlags.creds,
    ulimit: Flags.string({multiple: true, multipleNonGreedy: true, description: 'ulimit options of every RUN step (TYPE=SOFT[:HARD])'}),
    dns: Flags.string({multiple: true, multipleNonGreedy: true, description: 'set custom DNS servers of every RUN step'}),
    'dns-search': Flags.string({multiple: true, multipleNonGreedy: true, description: 'set custom DNS search domains of every RUN step'}),
    'dns-option': Flags.string({multiple: true, multipleNonGreedy: true, description: 'set custom DNS options of every RUN step'}),
    'security-opt': Flags.string({multiple: true, multipleNonGreedy: true, description: 'security options of every RUN step (seccomp=PROFILE|unconfined, apparmor=..., label=..., no-new-privileges)'}),
    logfile: Flags.string({description: 'log to file instead of stdout/stderr (the steps, the RUN output and the image ID)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageBuild)
    const format = flags.format.toLowerCase()
    if (format !== 'oci' && format !== 'docker') throw new UsageError(`unrecognized image type "${flags.format}"`)
    if ([flags.pull !== undefined, flags['pull-always'], flags['pull-never']].filter(Boolean).length > 1) throw new UsageError("can only set one of 'pull' or 'pull-always' or 'pull-never'")
    const pullPolicy = PULL_POLICIES[(flags.pull ?? (flags['pull-always'] ? 'always' : flags['pull-never'] ? 'never' : 'missing')).toLowerCase()]
    if (!pullPolicy) throw new UsageError(`unsupported pull policy "${flags.pull}"`)
    const buildArgs: Record<string, string> = {}
    for (const a of flags['build-arg'] ?? []) {
      const eq = a.indexOf('=')
      if (eq < 0) {
        if (process.env[a] !== undefined) buildArgs[a] = process.env[a]!
      } else buildArgs[a.slice(0, eq)] = a.slice(eq + 1)
    }
    if (flags.isolation !== undefined && !['oci', 'rootless', 'chroot', 'default'].includes(flags.isolation.toLowerCase()))
      throw new UsageError(`unrecognized isolation type "${flags.isolation}"`)
    if (flags.squash && flags['squash-all']) throw new UsageError('cannot specify --squash with --layers and --squash-all with --squash')
    if (flags.platform !== undefined && flags.platform.includes(',')) throw new UsageError(`building for several platforms at once (--platform ${flags.platform}) is not supported by tspod: build each one`)
    if (flags.platform !== undefined && !/^[^/]+\/[^/]+(\/[^/]+)?$/.test(flags.platform)) throw new UsageError(`invalid platform syntax for "${flags.platform}" (use OS/ARCH[/VARIANT][,...])`)
    checkAuthfile(flags.authfile)
    const file = flags.file?.at(-1)
    const signal = this.interruptSignal()
    const quiet = flags.quiet
    // --logfile: what the build would print goes there, as Podman's (its errors still to stderr)
    const log = flags.logfile === undefined ? undefined : LogFile.open(flags.logfile)
    const out = (text: string) => (log === undefined ? this.print(text) : log.line(text))
    let id: string
    try {
      id = await this.engine(flags).build(
        {
          context: args.context ?? '.',
          file,
          stdin: process.stdin,
          signal,
          iidFile: flags.iidfile,
          tags: flags.tag ?? [],
          buildArgs,
          layers: (flags.layers ?? layersDefault()) && !flags.squash && !flags['squash-all'],
          noCache: flags['no-cache'],
          squash: flags['squash-all'] ? 'all' : flags.squash ? 'new' : undefined,
          cacheTtl: flags['cache-ttl'],
          ignoreFile: flags.ignorefile,
          format,
          labels: flags.label ?? [],
          target: flags.target,
          pullPolicy,
          volumes: flags.volume ?? [],
          network: flags.network,
          secrets: flags.secret ?? [],
          userns: flags.userns,
          runtime: flags.runtime,
          runtimeFlags: flags['runtime-flag'],
          outputFd: log?.fd,
          ulimits: flags.ulimit,
          dns: {servers: flags.dns, search: flags['dns-search'], options: flags['dns-option']},
          securityOpt: flags['security-opt'],
          pullContext: () => imageContext(flags, signal),
        },
        {
          onLine: quiet ? undefined : out,
          onWarning: (w) => (log === undefined ? this.printWarning(w) : log.line(`WARN[0000] ${w}`)),
          pullProgress: () => pullReporter(quiet),
        },
      )
    } catch (err) {
      log?.close()
      if (err instanceof BuildStepError) {
        if (err.runtimeMessage) process.stderr.write(`${err.runtimeMessage}\n`)
        process.stderr.write(`Error: ${err.message}\n`)
        this.exit(err.exitCode)
      }
      throw err
    }
    if (log === undefined) this.print(id)
    else {
      log.line(id)
      log.close()
    }
  }
}
