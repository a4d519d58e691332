// `container runlabel`: the command an image's label describes (`LABEL run="podman run … IMAGE"`),
// shown with --display or run on the host, as Podman's ContainerRunlabel: the image pulled when
// missing, the label found by its name in any case, the command built from it (label-command.ts)
// and run without a shell. The image is not trusted: its label runs only because the user named
// it, and only as words exec'd directly.
import * as fs from 'node:fs'

import {TspodError, UsageError} from '../errors'
import type {ContainerRecords} from '../runtime/container/records'
import {NoSuchContainerError} from '../runtime/container/records'
import {runHostCommand} from '../runtime/runlabel/host-command'
import {SELF, defaultContainerName, labelCommand, labelValue, replacedName} from '../runtime/runlabel/label-command'
import type {RegistriesConfig} from '../storage/image/config/registries-conf'
import type {ImageContext} from '../storage/image/transports/types'
import {resolveLocalImage} from '../storage/store/images/lookup'
import {imageConfig} from '../storage/store/images/report'
import type {Store} from '../storage/store/store'
import {CreateEvents, pullReporting} from './create'

export interface RunlabelInput {
  /** the label's name, matched regardless of case */
  label: string
  /** the image as the user named it */
  image: string
  /** arguments appended to the label's command */
  args: string[]
  /** --name: $NAME (default: the image's name) */
  name?: string
  /** --opt1, --opt2, --opt3: $OPT1… (default: the environment's) */
  opt1?: string
  opt2?: string
  opt3?: string
  /** --display: build the command and return it, run nothing */
  display?: boolean
  /** --quiet: no pull progress, and the command's stdio is /dev/null */
  quiet?: boolean
  /** --replace: the container the command names with --name is removed first */
  replace?: boolean
  /** the deprecated --pull (default true): false, a missing image is an error instead of pulled */
  pull?: boolean
  /** --authfile: must exist, as Podman checks first */
  authfile?: string
  /** how to reach a registry when the image must be pulled */
  pullContext: () => ImageContext
  /** how this engine runs itself (for a label naming podman or docker), and the name it is shown by */
  self: {argv: string[]; shown: string}
  /** the environment the command gets (with $OPT1-3 and PODMAN_RUNLABEL_NESTED=1 added) */
  env: NodeJS.ProcessEnv
  cwd: string
}

export interface RunlabelDeps {
  store: Store
  records: ContainerRecords
  registries: RegistriesConfig
  /** remove a container by ID, stopping it if it runs (rm --force); returns the errors */
  removeContainer: (id: string) => Promise<unknown[]>
}

/** The command as `--display` shows it; when run (not --display), after it has exited 0. */
export interface RunlabelResult {
  command: string[]
}

export async function runlabel(deps: RunlabelDeps, input: RunlabelInput, events: CreateEvents = {}): Promise<RunlabelResult> {
  if (input.authfile !== undefined && !fs.existsSync(input.authfile)) throw new UsageError(`stat ${input.authfile}: no such file or directory`)
  const {store, registries} = deps
  const quietEvents = input.quiet ? {...events, pullProgress: undefined} : events
  let image = resolveLocalImage(store, input.image, registries)?.image
  if (!image && input.pull === false) throw new UsageError(`${input.image}: image not known`)
  image ??= await pullReporting(store, input.image, {...input.pullContext(), registries}, quietEvents)

  const value = labelValue(imageConfig(image).config?.Labels, input.label)
  if (value === undefined) throw new TspodError(`cannot find the value of label: ${input.label} in image: ${input.image}`)

  const imageName = image.namesHistory[0] ?? image.id
  const options = {
    OPT1: input.opt1 || input.env.OPT1,
    OPT2: input.opt2 || input.env.OPT2,
    OPT3: input.opt3 || input.env.OPT3,
  }
  const argv = labelCommand({
    label: value,
    args: input.args,
    imageName,
    name: input.name || defaultContainerName(input.image, image.id, imageName),
    options,
    cwd: input.cwd,
  })
  const runsSelf = argv[0] === SELF
  const program = runsSelf ? input.self.shown : argv[0]
  const command = [program, ...argv.slice(1)]
  if (input.display) return {command}

  if (input.replace) await replaceContainer(deps, argv)
  const env: NodeJS.ProcessEnv = {...input.env, PODMAN_RUNLABEL_NESTED: '1'}
  if (input.opt1) env.OPT1 = input.opt1
  if (input.opt2) env.OPT2 = input.opt2
  if (input.opt3) env.OPT3 = input.opt3
  await runHostCommand({
    program,
    file: runsSelf ? input.self.argv[0] : argv[0],
    args: runsSelf ? [...input.self.argv.slice(1), ...argv.slice(1)] : argv.slice(1),
    shownArgs: argv.slice(1),
    env,
    inheritStdio: !input.quiet,
  })
  return {command}
}

/** --replace: the container the command will create under its --name, removed (stopped first) if it exists. */
async function replaceContainer(deps: RunlabelDeps, argv: string[]): Promise<void> {
  const name = replacedName(argv)
  if (name === undefined) return
  let id: string
  try {
    id = deps.records.lookup(name).config.id
  } catch (err) {
    if (err instanceof NoSuchContainerError) return
    throw err
  }
  const errors = await deps.removeContainer(id)
  if (errors.length > 0) throw errors[0]
}
