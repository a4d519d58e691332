// `build`: a Containerfile's stages run in order, each instruction a step whose result is an image
// (an intermediate one, unnamed) made from the step before, as buildah does with --layers: RUN
// runs a container of the step's parent image through the Engine's runtime and keeps its changes
// as a layer, COPY and ADD write their layer straight from the context, the others change only
// the config. With the layer cache, a step whose image already exists (cache.ts) is taken as is.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, UsageError} from '../errors'
import type {Image} from '../storage/store/images/images'
import type {Store} from '../storage/store/store'
import {ImageHealthcheck, RunConfig, applyInstruction, exposedPorts, parseKeyValuePairs, setEnv, splitWords} from './changes'
import {findCachedStep} from './cache'
import {FileSums} from './file-sums'
import {Instruction, parseContainerfile} from './containerfile'
import {expandVariables} from './expand'
import {parseGoDuration} from '../runtime/time-value'
import {ignoreFileLines} from './ignore'
import {ImageFormat, NewLayerTar, RawImageConfig, parentConfig, writeImage} from './image-writer'
import {LayerWorker, chownInNamespace, copyDigest, copyLayer} from './layer-diff'
import type {CopyLayerJob} from './copy-layer'
import {BuildSecret, keyValues, stepMounts} from './run-mounts'
import {MergedTree} from './merged-tree'
import {download, isRemoteContext} from './context'
import {squashLayers} from './squash'
import {applyLayerJob} from '../storage/store/archive/unpack'
import {HeldLock, lock} from '../storage/store/lockfile'
import {BuildStepError} from './step-error'
import {tracePhase} from '../trace'
import {MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_OCI_MANIFEST} from '../storage/image/manifest/media-types'

export interface BuildOptions {
  contextDir: string
  /** the Containerfile's path */
  file: string
  /** normalized names for the result */
  tags: string[]
  buildArgs: Record<string, string>
  /** --layers: keep and reuse each step's image */
  layers: boolean
  noCache: boolean
  format: ImageFormat
  /** --label KEY=VALUE on the result */
  labels: string[]
  target?: string
  /** the name COMMIT shows, as the user wrote it */
  commitName?: string
  /** --volume: on every RUN */
  volumes?: string[]
  /** where mounts.conf's default mounts go in each RUN step: mount points left out of its layer */
  defaultMountTargets?: string[]
  /** --network: every RUN's, unless the RUN says */
  network?: string
  /** --secret: what RUN --mount=type=secret mounts */
  secrets?: BuildSecret[]
  /** --userns: every RUN's */
  userns?: string
  /** where RUN --mount=type=cache dirs live */
  cacheRoot?: string
  /** --squash (the build's layers as one, over its base) or --squash-all (one layer in all) */
  squash?: 'new' | 'all'
  /** --cache-ttl: cached steps older than this many ms are not used */
  cacheTtlMs?: number
  /** --ignorefile: the ignore file instead of the context's .containerignore or .dockerignore */
  ignoreFile?: string
  /** --platform: the result's os, architecture and variant */
  platform?: {os: string; architecture: string; variant?: string}
}

/** What the builder needs of the Engine: images by name, and RUN steps as containers. */
export interface BuildRuntime {
  /** a local image, pulled when missing */
  image(name: string): Promise<Image>
  /** run argv in a container of `image`; its exit code and, when 0, its changes as a layer tar at `layerFile`; a container that could not start: exit code 1 and why */
  run(image: Image, step: RunStep): Promise<{exitCode: number; layer?: NewLayerTar; startError?: string}>
}

export interface RunStep {
  argv: string[]
  env: [string, string][]
  layerFile: string
  /** -v and --tmpfs forms: RUN --mount's, then the build's --volume */
  volumes: string[]
  tmpfs: string[]
  /** --network: RUN --network's, else the build's */
  network?: string
  userns?: string
  /** mount points the layer leaves out (relative paths the parent image lacks) */
  skip: string[]
  /** the build's layer worker, for the step's diff when the container has the store's namespace */
  layerWorker?: LayerWorker
}

export interface BuildEvents {
  /** a progress line (STEP …, --> …, COMMIT …) */
  onLine?: (line: string) => void
  /** something the build left out, as buildah warns of it */
  onWarning?: (text: string) => void
}

interface Stage {
  name?: string
  index: number
  from: Instruction
  steps: Instruction[]
}

const DEFAULT_SHELL = ['/bin/sh', '-c']

function splitStages(instructions: Instruction[]): {globalArgs: Instruction[]; stages: Stage[]} {
  const globalArgs: Instruction[] = []
  const stages: Stage[] = []
  for (const ins of instructions) {
    if (ins.command === 'FROM') {
      const m = /^(\S+)(?:\s+[Aa][Ss]\s+(\S+))?\s*$/.exec(ins.rest)
      if (!m) throw new UsageError(`FROM requires either one or three arguments (line ${ins.line})`)
      stages.push({name: m[2]?.toLowerCase(), index: stages.length, from: ins, steps: []})
    } else if (stages.length === 0) {
      if (ins.command !== 'ARG') throw new UsageError(`no FROM statement found: ${ins.original} must follow a FROM`)
      globalArgs.push(ins)
    } else stages[stages.length - 1].steps.push(ins)
  }
  if (stages.length === 0) throw new UsageError('no FROM statement found')
  return {globalArgs, stages}
}

function argDefault(ins: Instruction): [string, string | undefined] {
  const eq = ins.rest.indexOf('=')
  if (eq < 0) return [ins.rest.trim(), undefined]
  return [ins.rest.slice(0, eq).trim(), splitWords(ins.rest.slice(eq + 1)).join(' ')]
}

function shortId(id: string): string {
  return id.slice(0, 11)
}

/** The stages or images a RUN's `--mount from=` flags name. */
function mountFroms(ins: Instruction): string[] {
  return ins.flagList.filter(([k]) => k === 'mount').flatMap(([, v]) => keyValues(v, '--mount').get('from') ?? [])
}

export class Builder {
  private readonly results = new Map<number, Image | undefined>()
  private readonly made: string[] = []
  private stepNumber = 0
  private healthcheckWarned = false
  private totalSteps = 0
  private readonly ignoreLines: string[]
  private readonly secrets: Map<string, BuildSecret>
  /** the target stage's base image and its number of steps (what --squash collapses) */
  private targetBase: Image | undefined
  private readonly layerWorker: LayerWorker | undefined
  private readonly fileSums: FileSums

  constructor(
    private readonly store: Store,
    private readonly runtime: BuildRuntime,
    private readonly options: BuildOptions,
    private readonly events: BuildEvents,
  ) {
    this.secrets = new Map((options.secrets ?? []).map((sec) => [sec.id, sec]))
    this.layerWorker = store.mapping && new LayerWorker(store.mapping)
    this.fileSums = new FileSums(path.join(store.layout.graphRoot, 'build-file-sums.json'))
    this.ignoreLines = ignoreFileLines(options.contextDir, options.ignoreFile)
  }

  private line(text: string): void {
    this.events.onLine?.(text)
  }

  /** Build; returns the result's id. */
  async build(): Promise<string> {
    try {
      return await this.buildAll()
    } finally {
      this.fileSums.save()
      await this.layerWorker?.close()
    }
  }

  private async buildAll(): Promise<string> {
    const text = fs.readFileSync(this.options.file, 'utf8')
    const {globalArgs, stages} = splitStages(parseContainerfile(text, this.options.file))
    const globals = new Map<string, string>()
    for (const ins of globalArgs) {
      const [name, def] = argDefault(ins)
      const value = this.options.buildArgs[name] ?? (def !== undefined ? expandVariables(def, globals) : undefined)
      if (value !== undefined) globals.set(name, value)
    }
    let target = stages.length - 1
    if (this.options.target !== undefined) {
      target = stages.findIndex((s) => s.name === this.options.target!.toLowerCase())
      if (target < 0) throw new UsageError(`The target "${this.options.target}" was not found in the provided Containerfile`)
    }
    const needed = this.neededStages(stages, target, globals)
    this.totalSteps = needed.reduce((n, i) => n + 1 + stages[i].steps.length, 0)
    let result: Image | undefined
    for (const i of needed) result = await this.buildStage(stages[i], stages, globals, i === target)
    this.line(`COMMIT ${this.options.commitName ?? ''}`.trimEnd())
    // without --layers, buildah commits each stage's steps once, as one layer: the same as --squash
    if (this.options.squash || !this.options.layers) result = await this.squash(result!)
    this.line(`--> ${shortId(result!.id)}`)
    for (const tag of this.options.tags) {
      this.store.images.addName(result!.id, tag)
      this.line(`Successfully tagged ${tag}`)
    }
    return result!.id
  }

  /** The result's layers from the build (--squash) or all of them (--squash-all) as one. */
  private async squash(result: Image): Promise<Image> {
    const all = this.options.squash === 'all'
    if (!all && result.id === this.targetBase?.id) return result
    const base = all ? undefined : this.targetBase
    const baseLayers = base?.layers.length ?? 0
    const config = parentConfig(result)
    const baseHistory = this.targetBase ? parentConfig(this.targetBase).history.length : 0
    // the build's own entries: none with a layer but the last, which carries the squashed one
    const added = config.history.slice(baseHistory).map((h) => ({...h, empty_layer: true}))
    const last: RawImageConfig['history'][number] = added.pop() ?? {created_by: ''}
    delete last.empty_layer
    const history = [...(all ? [] : config.history.slice(0, baseHistory)), ...added]
    const work = this.store.newWorkDir('tmp')
    try {
      const file = path.join(work, 'layer.tar')
      const tarred = await squashLayers(result.layers.slice(baseLayers).map((l) => this.store.layout.blobFile(l)), file, work, !all)
      const id = await writeImage(this.store, {
        parent: base,
        config: {...config, rootfs: {type: 'layers', diff_ids: base ? parentConfig(base).rootfs.diff_ids : []}, history},
        layer: {file, ...tarred},
        history: last,
        format: this.options.format,
        unpackWith: this.layerWorker?.unpack,
        names: [],
      })
      this.made.push(id)
      return this.store.images.get(id)!
    } finally {
      fs.rmSync(work, {recursive: true, force: true})
    }
  }

  /** The target and every stage it takes files or its base from, in order. */
  private neededStages(stages: Stage[], target: number, globals: Map<string, string>): number[] {
    const needed = new Set<number>()
    const visit = (i: number) => {
      if (needed.has(i)) return
      needed.add(i)
      const refs = [
        expandVariables(stages[i].from.rest.split(/\s+/)[0], globals),
        ...stages[i].steps.filter((s) => s.flags.from).map((s) => s.flags.from),
        ...stages[i].steps.flatMap((s) => (s.command === 'RUN' ? mountFroms(s) : [])),
      ]
      for (const ref of refs) {
        const dep = this.stageIndex(stages, ref, i)
        if (dep !== undefined) visit(dep)
      }
    }
    visit(target)
    return [...needed].sort((a, b) => a - b)
  }

  private stageIndex(stages: Stage[], ref: string, before: number): number | undefined {
    const byName = stages.findIndex((s, i) => i < before && s.name === ref.toLowerCase())
    if (byName >= 0) return byName
    if (/^\d+$/.test(ref) && Number(ref) < before) return Number(ref)
    return undefined
  }

  private async buildStage(stage: Stage, stages: Stage[], globals: Map<string, string>, last: boolean): Promise<Image> {
    this.stepNumber++
    this.line(`STEP ${this.stepNumber}/${this.totalSteps}: ${stage.from.original}`)
    const baseName = expandVariables(stage.from.rest.split(/\s+/)[0], globals)
    const dep = this.stageIndex(stages, baseName, stage.index)
    let parent: Image | undefined
    if (dep !== undefined) parent = this.results.get(dep)
    else if (baseName.toLowerCase() !== 'scratch') {
      // as buildah, a base image that cannot be had fails the stage's build container
      parent = await this.runtime.image(baseName).catch((err: Error) => {
        throw new TspodError(`creating build container: ${err.message}`)
      })
    }
    if (last) {
      this.targetBase = parent
    }
    let config = parentConfig(parent)
    // the base's ONBUILD triggers run first, as steps of this stage; they are not passed on
    const triggers = (config.config.OnBuild ?? []).flatMap((text) => parseContainerfile(text, `${baseName} ONBUILD`))
    const forbidden = triggers.find((t) => ['ONBUILD', 'FROM', 'MAINTAINER'].includes(t.command))
    if (forbidden) throw new UsageError(`${forbidden.command} isn't allowed as an ONBUILD trigger (in ${baseName})`)
    delete config.config.OnBuild
    this.totalSteps += triggers.length
    if (this.options.platform) {
      const {os, architecture, variant} = this.options.platform
      Object.assign(config, {os, architecture})
      if (variant) config.variant = variant
      else delete config.variant
    }
    let fromRef = dep !== undefined ? shortId(parent!.id) : baseName
    const args = new Map<string, string>()
    const vars = () => {
      const v = new Map(args)
      for (const e of config.config.Env ?? []) {
        const eq = e.indexOf('=')
        v.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? '' : e.slice(eq + 1))
      }
      return v
    }
    const steps = [...triggers, ...stage.steps]
    if (last && this.options.labels.length > 0) {
      // --label: one more step on the result, as buildah adds the labels when it commits
      const rest = this.options.labels.map((l) => (l.includes('=') ? `${l.slice(0, l.indexOf('='))}=${JSON.stringify(l.slice(l.indexOf('=') + 1))}` : `${l}=""`)).join(' ')
      steps.push({command: 'LABEL', flags: {}, flagList: [], heredocs: [], rest, original: `LABEL ${rest}`, line: 0, synthetic: true} as Instruction & {synthetic: boolean})
    }
    if (steps.length === 0) {
      const id = await writeImage(this.store, {parent, config, history: {created_by: `/bin/sh -c #(nop) ${stage.from.original}`, comment: `FROM ${fromRef}`}, format: this.options.format,
        unpackWith: this.layerWorker?.unpack, names: []})
      parent = this.store.images.get(id)!
      this.made.push(id)
    }
    for (const [n, ins] of steps.entries()) {
      const isLast = n === steps.length - 1
      if (!(ins as {synthetic?: boolean}).synthetic) {
        this.stepNumber++
        this.line(`STEP ${this.stepNumber}/${this.totalSteps}: ${ins.original}`)
      }
      const next: RawImageConfig = structuredClone(config)
      const step = await this.step(ins, next, parent, args, globals, vars(), stages, stage.index)
      tracePhase('step key')
      let image: Image | undefined
      const useCache = this.options.layers && !this.options.noCache && !this.options.squash
      const limits = {notBefore: this.options.cacheTtlMs === undefined ? undefined : Date.now() - this.options.cacheTtlMs, platform: this.options.platform, manifestType: this.options.format === 'oci' ? MEDIA_TYPE_OCI_MANIFEST : MEDIA_TYPE_DOCKER_MANIFEST}
      const cached = useCache ? findCachedStep(this.store, parent, step.createdBy, step.copy !== undefined || step.runs !== undefined, limits) : undefined
      tracePhase('cache lookup')
      if (cached) {
        this.line(`--> Using cache ${cached.id}`)
        image = cached
        if (step.work) await this.removeWork(step.work, step.mappedWork)
      } else {
        let layer: NewLayerTar | undefined
        const work = this.store.newWorkDir('tmp')
        try {
          if (step.runs) {
            const file = path.join(work, 'layer.tar')
            // sharing=locked caches: one step at a time, across builds
            const held: HeldLock[] = []
            let result: Awaited<ReturnType<BuildRuntime['run']>>
            try {
              for (const lockFile of step.locks ?? []) held.push(await lock(lockFile, 'exclusive'))
              result = await this.runtime.run(parent!, {...step.runs, layerFile: file, layerWorker: this.layerWorker})
            } finally {
              for (const h of held) h.release()
            }
            if (result.exitCode !== 0)
              throw new BuildStepError(`building at STEP "${ins.original}": while running runtime: exit status ${result.exitCode}`, result.exitCode, result.startError)
            layer = result.layer
          }
          if (step.copy) {
            layer = {file: step.copy.output, ...(await this.writeCopy(step.copy))}
            tracePhase('copy layer')
          }
          const id = await writeImage(this.store, {
            parent,
            config: next,
            layer,
            history: {created_by: step.createdBy, comment: `FROM ${fromRef}`},
            format: this.options.format,
        unpackWith: this.layerWorker?.unpack,
            names: [],
          })
          image = this.store.images.get(id)!
          this.made.push(id)
          tracePhase('image written')
        } finally {
          if (step.work) await this.removeWork(step.work, step.mappedWork)
          fs.rmSync(work, {recursive: true, force: true})
        }
      }
      parent = image
      config = parentConfig(image)
      fromRef = shortId(image.id)
      if (!(last && isLast) && this.options.layers && !this.options.squash) this.line(`--> ${shortId(image.id)}`)
    }
    this.results.set(stage.index, parent)
    return parent!
  }

  /** Apply one instruction to `config`; what the step runs or copies, and its history text. */
  private async step(
    ins: Instruction,
    next: RawImageConfig,
    parent: Image | undefined,
    args: Map<string, string>,
    globals: Map<string, string>,
    vars: Map<string, string>,
    stages: Stage[],
    stageIndex: number,
  ): Promise<{createdBy: string; copy?: CopyLayerJob; runs?: Omit<RunStep, 'layerFile'>; work?: string; locks?: string[]; mappedWork?: boolean}> {
    const c: RunConfig = next.config
    const expand = (t: string) => expandVariables(t, vars)
    const nop = (text: string) => `/bin/sh -c #(nop) ${text}`
    switch (ins.command) {
      case 'ARG': {
        const [name, def] = argDefault(ins)
        if (!name) throw new UsageError(`ARG requires exactly one argument (line ${ins.line})`)
        const value = this.options.buildArgs[name] ?? (def !== undefined ? expand(def) : globals.get(name))
        if (value !== undefined) args.set(name, value)
        return {createdBy: nop(`ARG ${name}`)}
      }
      case 'ENV': {
        const pairs = parseKeyValuePairs(expand(ins.rest), 'ENV')
        for (const [k, v] of pairs) c.Env = setEnv(c.Env ?? [], k, v)
        return {createdBy: nop(`ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`)}
      }
      case 'LABEL': {
        const pairs = parseKeyValuePairs(expand(ins.rest), 'LABEL')
        c.Labels ??= {}
        for (const [k, v] of pairs) c.Labels[k] = v
        return {createdBy: nop(`LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`)}
      }
      case 'MAINTAINER':
        next.author = expand(ins.rest)
        return {createdBy: nop(`MAINTAINER ${next.author}`)}
      case 'SHELL':
        if (!ins.json) throw new UsageError(`SHELL requires the arguments to be in JSON form (line ${ins.line})`)
        c.Shell = ins.json
        return {createdBy: nop(`SHELL ${JSON.stringify(ins.json)}`)}
      case 'CMD':
      case 'ENTRYPOINT': {
        const argv = ins.json ?? [...(c.Shell ?? DEFAULT_SHELL), ins.rest]
        if (ins.command === 'CMD') c.Cmd = argv
        else c.Entrypoint = argv
        return {createdBy: nop(`${ins.command} ${JSON.stringify(argv)}`)}
      }
      case 'EXPOSE': {
        const ports = exposedPorts(splitWords(expand(ins.rest)))
        c.ExposedPorts ??= {}
        for (const p of ports) c.ExposedPorts[p] = {}
        return {createdBy: nop(`EXPOSE ${ports.join(' ')}`)}
      }
      case 'VOLUME': {
        const text = expand(ins.rest)
        const volumes = ins.json ?? splitWords(text)
        if (volumes.length === 0) throw new UsageError(`VOLUME requires at least one argument (line ${ins.line})`)
        c.Volumes ??= {}
        for (const v of volumes) c.Volumes[v] = {}
        return {createdBy: nop(`VOLUME ${JSON.stringify(volumes)}`)}
      }
      case 'WORKDIR':
      case 'USER':
      case 'STOPSIGNAL':
      case 'ONBUILD':
        applyInstruction(c, ins.command, ins.command === 'ONBUILD' ? ins.rest : expand(ins.rest), ins.original)
        return {createdBy: nop(`${ins.command} ${ins.command === 'WORKDIR' ? c.WorkingDir : ins.command === 'ONBUILD' ? ins.rest : expand(ins.rest)}`)}
      case 'HEALTHCHECK': {
        const rest = ins.rest.trim()
        const healthcheck = this.healthcheckOf(ins, rest)
        // the OCI image config has no field for it: buildah leaves it out there, and warns once
        if (this.options.format === 'oci') {
          if (!this.healthcheckWarned) this.events.onWarning?.('HEALTHCHECK is not supported for OCI image format and will be ignored. Must use `docker` format')
          this.healthcheckWarned = true
        } else {
          c.Healthcheck = healthcheck
        }
        return {createdBy: nop(`HEALTHCHECK ${ins.flagList.map(([k, v]) => `--${k}=${v} `).join('')}${rest}`)}
      }
      case 'RUN':
        return await this.runStep(ins, c, parent, args, stages, stageIndex)
      case 'COPY':
      case 'ADD':
        return await this.copyStep(ins, c, parent, vars, stages, stageIndex)
      default:
        throw new UsageError(`${this.options.file}:${ins.line}: ${ins.command} is not supported by tspod build yet`)
    }
  }

  /** HEALTHCHECK NONE | [--interval= --timeout= --start-period= --retries=] CMD …, as the config's Healthcheck (durations in ns). */
  private healthcheckOf(ins: Instruction, rest: string): ImageHealthcheck {
    const unknown = Object.keys(ins.flags).find((f) => !['interval', 'timeout', 'start-period', 'retries'].includes(f))
    if (unknown) throw new UsageError(`${this.options.file}:${ins.line}: HEALTHCHECK does not take --${unknown}`)
    if (/^NONE$/i.test(rest)) return {Test: ['NONE']}
    const m = /^CMD\s+([\s\S]*)$/i.exec(rest)
    if (!m) throw new UsageError(`HEALTHCHECK requires CMD or NONE (line ${ins.line})`)
    const json = m[1].trim().startsWith('[') ? (JSON.parse(m[1]) as string[]) : undefined
    const healthcheck: ImageHealthcheck = {Test: json ? ['CMD', ...json] : ['CMD-SHELL', m[1].trim()]}
    const durations: [string, 'Interval' | 'Timeout' | 'StartPeriod'][] = [['interval', 'Interval'], ['timeout', 'Timeout'], ['start-period', 'StartPeriod']]
    for (const [flag, field] of durations) {
      const text = ins.flags[flag]
      if (text === undefined) continue
      const ms = parseGoDuration(text)
      if (ms === undefined || ms < 0) throw new UsageError(`${this.options.file}:${ins.line}: HEALTHCHECK --${flag}: invalid duration ${JSON.stringify(text)}`)
      healthcheck[field] = Math.round(ms * 1e6)
    }
    if (ins.flags.retries !== undefined) {
      if (!/^\d+$/.test(ins.flags.retries)) throw new UsageError(`${this.options.file}:${ins.line}: HEALTHCHECK --retries: invalid number ${JSON.stringify(ins.flags.retries)}`)
      healthcheck.Retries = Number(ins.flags.retries)
    }
    return healthcheck
  }

  private async runStep(
    ins: Instruction,
    c: RunConfig,
    parent: Image | undefined,
    args: Map<string, string>,
    stages: Stage[],
    stageIndex: number,
  ): Promise<{createdBy: string; runs: Omit<RunStep, 'layerFile'>; work: string; locks: string[]; mappedWork: boolean}> {
    const shell = c.Shell ?? DEFAULT_SHELL
    const env = [...args].sort(([a], [b]) => a.localeCompare(b))
    const work = this.store.newWorkDir('tmp')
    try {
      const flags = ins.flagList.filter(([k]) => k !== 'mount' && k !== 'network')
      if (flags.length > 0) throw new UsageError(`${this.options.file}:${ins.line}: RUN does not take --${flags[0][0]}`)
      const network = ins.flags.network ?? this.options.network
      if (ins.flags.network !== undefined && !['default', 'none', 'host'].includes(ins.flags.network))
        throw new UsageError(`${this.options.file}:${ins.line}: RUN --network=${ins.flags.network}: must be default, none or host`)
      const mountValues = ins.flagList.filter(([k]) => k === 'mount').map(([, v]) => v)
      const fromSources = await this.mountSources(mountValues, stages, stageIndex, work, ins.original)
      const mounts = stepMounts(mountValues, {
        contextDir: this.options.contextDir,
        cacheRoot: this.options.cacheRoot ?? path.join(work, 'cache'),
        work,
        secrets: this.secrets,
        workdir: c.WorkingDir ?? '/',
        fromSources,
      })
      for (const {dir, uid, gid} of mounts.chowns) await chownInNamespace(dir, uid, gid, this.store.mapping, this.layerWorker)
      let argv: string[]
      let script = ins.rest
      if (ins.json) argv = ins.json
      else if (ins.heredocs.length === 1 && ins.rest.trim() === ins.rest.trim().match(/^<<-?["']?[A-Za-z_][A-Za-z0-9_]*["']?$/)?.[0]) {
        // RUN <<EOF: the body is the script; one with a #! line runs as its own program, as BuildKit does
        const doc = ins.heredocs[0]
        script = doc.content
        if (doc.content.startsWith('#!')) {
          const file = path.join(work, `heredoc-${doc.name}`)
          fs.writeFileSync(file, doc.content, {mode: 0o755})
          const target = `/dev/pipes/${doc.name}`
          mounts.volumes.push(`${file}:${target}:ro`)
          argv = [target]
        } else argv = [...shell, doc.content]
      } else {
        // a command that reads heredocs: the shell gets the line and the bodies, as written
        script = [ins.rest, ...ins.heredocs.map((d) => d.raw)].join('\n')
        argv = [...shell, script]
      }
      const volumes = [...mounts.volumes, ...(this.options.volumes ?? [])]
      const targets = [...mounts.targets, ...(this.options.volumes ?? []).map((v) => v.split(':')[1]).filter((t) => t?.startsWith('/')), ...(this.options.defaultMountTargets ?? [])]
      const mountFlags = ins.flagList.map(([k, v]) => `--${k}=${v} `).join('')
      const prefix = env.length > 0 ? `|${env.length} ${env.map(([k, v]) => `${k}=${v}`).join(' ')} ` : ''
      return {
        createdBy: `${prefix}/bin/sh -c ${mountFlags}${ins.json ? JSON.stringify(ins.json) : script}`,
        runs: {argv, env, volumes, tmpfs: mounts.tmpfs, network: network === 'default' ? undefined : network, userns: this.options.userns, skip: this.mountPoints(parent, targets)},
        work,
        locks: mounts.locks,
        mappedWork: fromSources.size > 0,
      }
    } catch (err) {
      await this.removeWork(work, true)
      throw err
    }
  }

  /**
   * Each `--mount from=STAGE|IMAGE` source as a scratch copy of that path of the stage's or
   * image's tree, made as the store's namespace root (so owners and modes are the image's).
   */
  private async mountSources(values: string[], stages: Stage[], stageIndex: number, work: string, step: string): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const value of values) {
      const f = keyValues(value, '--mount')
      const from = f.get('from')
      const type = f.get('type') ?? 'bind'
      if (from === undefined || (type !== 'bind' && type !== 'cache')) continue
      const dep = this.stageIndex(stages, from, stageIndex)
      // as buildah, a cache takes its source from a stage only
      if (dep === undefined && type === 'cache') throw new UsageError(`RUN --mount: no stage found with name ${from}`)
      const image = dep !== undefined ? this.results.get(dep) : await this.runtime.image(from)
      const layers = (image?.layers ?? []).map((l) => this.store.layout.diffDir(l)).reverse()
      const rel = path.posix.normalize(`/${f.get('source') ?? f.get('src') ?? '/'}`).slice(1).replace(/\/+$/, '')
      const entry = new MergedTree(layers).lookup(rel)
      if (!entry) throw new UsageError(`RUN --mount from=${from}: source ${JSON.stringify(`/${rel}`)}: no such file or directory`)
      const n = out.size
      const tarFile = path.join(work, `from-${n}.tar`)
      const dir = path.join(work, `from-${n}`)
      fs.mkdirSync(dir, {mode: 0o755})
      const job: CopyLayerJob = {output: tarFile, sources: [rel || '.'], sourceLayers: layers, dest: '/', destLayers: [], add: false, keepOwners: true, followLinks: false, step}
      await this.writeCopy(job)
      const unpack = {layers: [{blob: tarFile, dest: dir}], ignoreChownErrors: false}
      if (this.layerWorker) await this.layerWorker.unpack(unpack)
      else await applyLayerJob(unpack.layers[0], 0, unpack)
      fs.rmSync(tarFile, {force: true})
      out.set(value, entry.stat.isDirectory() ? dir : path.join(dir, path.posix.basename(rel)))
    }
    return out
  }

  /** A step's work dir, which may hold files of the namespace's other ids (--mount from= copies). */
  private async removeWork(work: string, mapped = false): Promise<void> {
    if (mapped && this.store.mapping) await this.store.removeTrees([work])
    else fs.rmSync(work, {recursive: true, force: true})
  }

  /** The parts of each mount target that the image lacks: the runtime makes them, the layer leaves them out. */
  private mountPoints(parent: Image | undefined, targets: string[]): string[] {
    const tree = new MergedTree((parent?.layers ?? []).map((l) => this.store.layout.diffDir(l)).reverse())
    const out = new Set<string>()
    for (const target of targets) {
      const parts = target.split('/').filter(Boolean)
      for (let n = 1; n <= parts.length; n++) {
        const rel = parts.slice(0, n).join('/')
        if (!tree.lookup(rel)) out.add(rel)
      }
    }
    return [...out]
  }

  private async copyStep(ins: Instruction, c: RunConfig, parent: Image | undefined, vars: Map<string, string>, stages: Stage[], stageIndex: number) {
    const words = ins.json ?? splitWords(expandVariables(ins.rest, vars))
    if (words.length < 2) throw new UsageError(`${ins.command} requires at least two arguments, but only one was provided. Destination could not be determined.`)
    const unknownFlag = Object.keys(ins.flags).find((f) => !['from', 'chown', 'chmod', 'link'].includes(f))
    if (unknownFlag) throw new UsageError(`${ins.command} only supports the --chmod=<permissions> --chown=<uid:gid> --link and the --from=<image|stage> flags`)
    if (ins.flags.link !== undefined && !['true', 'false'].includes(ins.flags.link)) throw new UsageError(`${ins.command} --link=${ins.flags.link}: must be true or false`)
    let sources = words.slice(0, -1)
    let dest = words[words.length - 1]
    if (!path.posix.isAbsolute(dest)) dest = path.posix.join(c.WorkingDir || '/', dest) + (dest.endsWith('/') || dest === '.' ? '/' : '')
    let sourceLayers = [path.resolve(this.options.contextDir)]
    let keepOwners = false
    let ignore: string[] | undefined = this.ignoreLines
    if (ins.flags.from) {
      const dep = this.stageIndex(stages, ins.flags.from, stageIndex)
      const image = dep !== undefined ? this.results.get(dep) : await this.runtime.image(ins.flags.from)
      sourceLayers = (image?.layers ?? []).map((l) => this.store.layout.diffDir(l)).reverse()
      keepOwners = true
      ignore = undefined
    }
    let chown: {uid: number; gid: number} | undefined
    if (ins.flags.chown) chown = this.resolveOwner(ins.flags.chown, parent)
    let chmod: number | undefined
    if (ins.flags.chmod) {
      if (!/^[0-7]{3,4}$/.test(ins.flags.chmod)) throw new UsageError(`invalid --chmod value "${ins.flags.chmod}"`)
      chmod = parseInt(ins.flags.chmod, 8)
    }
    const work = this.store.newWorkDir('tmp')
    const noExtract: string[] = []
    try {
      const remote = ins.command === 'ADD' ? sources.filter(isRemoteContext) : []
      if (remote.length > 0) {
        // ADD URL: the file downloaded as is (mode 0600, its Last-Modified time), never unpacked
        const dir = path.join(work, 'remote')
        fs.mkdirSync(dir, {mode: 0o755})
        for (const url of remote) {
          const name = path.posix.basename(new URL(url).pathname) || 'index.html'
          const file = path.join(dir, name)
          const modified = await download(url, file, undefined, `building at STEP "${ins.original}": reading "${url}"`)
          fs.chmodSync(file, 0o600)
          if (modified) fs.utimesSync(file, modified, modified)
          noExtract.push(name)
          sources = sources.map((s) => (s === url ? name : s))
        }
        sourceLayers = [dir, ...sourceLayers]
      }
      if (ins.heredocs.length > 0) {
        // COPY <<EOF /path: each body a file named by its delimiter, above the other sources
        const docs = path.join(work, 'heredocs')
        fs.mkdirSync(docs, {mode: 0o755})
        for (const doc of ins.heredocs) fs.writeFileSync(path.join(docs, doc.name), doc.expand ? expandVariables(doc.content, vars) : doc.content, {mode: 0o644})
        sources = sources.map((src) => src.replace(/^<<-?["']?([A-Za-z_][A-Za-z0-9_]*)["']?$/, '$1'))
        if (ins.flags.from) throw new UsageError(`${this.options.file}:${ins.line}: ${ins.command} --from cannot take a heredoc`)
        sourceLayers = [docs, ...sourceLayers]
      }
      const job: CopyLayerJob = {
        output: path.join(work, 'layer.tar'),
        sources,
        sourceLayers,
        ignore,
        dest,
        // --link: a layer of its own, made without looking at the image below
        destLayers: ins.flags.link === 'true' ? [] : (parent?.layers ?? []).map((l) => this.store.layout.diffDir(l)).reverse(),
        chown,
        chmod,
        add: ins.command === 'ADD',
        noExtract,
        keepOwners,
        followLinks: !ins.flags.from,
        step: ins.original,
      }
      // the key first; the layer is written only when no cached step has it
      const digest = await copyDigest(job, this.store.mapping, !ins.flags.from, this.layerWorker, this.fileSums)
      const kind = sources.length === 1 && !/[*?[]/.test(sources[0]) ? 'file' : 'multi'
      const flags = Object.entries(ins.flags).map(([k, v]) => `--${k}=${v} `).join('')
      return {
        createdBy: `/bin/sh -c #(nop) ${ins.command} ${flags}${kind}:${digest.slice(7)} in ${dest} `,
        copy: job,
        work,
      }
    } catch (err) {
      fs.rmSync(work, {recursive: true, force: true})
      throw err instanceof TspodError ? err : new TspodError((err as Error).message)
    }
  }

  private async writeCopy(job: CopyLayerJob) {
    try {
      return await copyLayer(job, this.store.mapping, this.layerWorker)
    } catch (err) {
      throw err instanceof TspodError ? err : new TspodError((err as Error).message)
    }
  }

  /** --chown USER[:GROUP], names looked up in the parent image's /etc/passwd and /etc/group. */
  private resolveOwner(text: string, parent: Image | undefined): {uid: number; gid: number} {
    const [user, group] = text.split(':')
    const layers = (parent?.layers ?? []).map((l) => this.store.layout.diffDir(l)).reverse()
    const lookup = (file: string, name: string): string[] | undefined => {
      for (const layer of layers) {
        try {
          const line = fs
            .readFileSync(path.join(layer, file), 'utf8')
            .split('\n')
            .find((l) => l.split(':')[0] === name)
          return line?.split(':')
        } catch {
          continue
        }
      }
      return undefined
    }
    let uid: number
    let gid: number
    if (/^\d+$/.test(user)) {
      uid = Number(user)
      gid = uid
    } else {
      const entry = lookup('etc/passwd', user)
      if (!entry) throw new UsageError(`looking up UID for "${user}": no such user`)
      uid = Number(entry[2])
      gid = Number(entry[3])
    }
    if (group !== undefined) {
      if (/^\d+$/.test(group)) gid = Number(group)
      else {
        const entry = lookup('etc/group', group)
        if (!entry) throw new UsageError(`looking up GID for "${group}": no such group`)
        gid = Number(entry[2])
      }
    }
    return {uid, gid}
  }

  /** Images this build made (intermediate and final), oldest first. */
  get images(): string[] {
    return this.made
  }
}
