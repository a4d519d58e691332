// Every tspod command by its oclif id, for oclif's "explicit" command discovery: the CLI runs as
// one bundle (dist/tspod.js), and each getter leaves its command's code unevaluated until that
// command runs. test/cli/commands.test.ts checks this list against src/commands.
/* eslint-disable @typescript-eslint/no-require-imports */
import type {Command} from '@oclif/core'

type CommandModule = {default: Command.Class}

function lazily(loaders: Record<string, () => CommandModule>): Record<string, Command.Class> {
  const commands: Record<string, Command.Class> = {}
  for (const [id, load] of Object.entries(loaders)) Object.defineProperty(commands, id, {enumerable: true, get: () => load().default})
  return commands
}

export const COMMANDS = lazily({
  '__complete': () => require('../commands/__complete'),
  'completion': () => require('../commands/completion'),
  'container:commit': () => require('../commands/container/commit'),
  'container:cp': () => require('../commands/container/cp'),
  'container:create': () => require('../commands/container/create'),
  'container:diff': () => require('../commands/container/diff'),
  'container:exec': () => require('../commands/container/exec'),
  'container:export': () => require('../commands/container/export'),
  'container:exists': () => require('../commands/container/exists'),
  'container:inspect': () => require('../commands/container/inspect'),
  'container:kill': () => require('../commands/container/kill'),
  'container:logs': () => require('../commands/container/logs'),
  'container:ls': () => require('../commands/container/ls'),
  'container:port': () => require('../commands/container/port'),
  'container:prune': () => require('../commands/container/prune'),
  'container:rename': () => require('../commands/container/rename'),
  'container:restart': () => require('../commands/container/restart'),
  'container:rm': () => require('../commands/container/rm'),
  'container:run': () => require('../commands/container/run'),
  'container:start': () => require('../commands/container/start'),
  'container:stop': () => require('../commands/container/stop'),
  'container:top': () => require('../commands/container/top'),
  'container:wait': () => require('../commands/container/wait'),
  'diff': () => require('../commands/diff'),
  'doctor': () => require('../commands/doctor'),
  'image:build': () => require('../commands/image/build'),
  'image:diff': () => require('../commands/image/diff'),
  'image:exists': () => require('../commands/image/exists'),
  'image:history': () => require('../commands/image/history'),
  'image:import': () => require('../commands/image/import'),
  'image:inspect': () => require('../commands/image/inspect'),
  'image:load': () => require('../commands/image/load'),
  'image:ls': () => require('../commands/image/ls'),
  'image:prune': () => require('../commands/image/prune'),
  'image:pull': () => require('../commands/image/pull'),
  'image:push': () => require('../commands/image/push'),
  'image:rm': () => require('../commands/image/rm'),
  'image:save': () => require('../commands/image/save'),
  'image:tag': () => require('../commands/image/tag'),
  'image:untag': () => require('../commands/image/untag'),
  'info': () => require('../commands/info'),
  'inspect': () => require('../commands/inspect'),
  'login': () => require('../commands/login'),
  'logout': () => require('../commands/logout'),
  'system:check': () => require('../commands/system/check'),
  'system:df': () => require('../commands/system/df'),
  'system:migrate': () => require('../commands/system/migrate'),
  'system:prune': () => require('../commands/system/prune'),
  'system:reset': () => require('../commands/system/reset'),
  'unshare': () => require('../commands/unshare'),
  'version': () => require('../commands/version'),
  'network:create': () => require('../commands/network/create'),
  'network:exists': () => require('../commands/network/exists'),
  'network:inspect': () => require('../commands/network/inspect'),
  'network:ls': () => require('../commands/network/ls'),
  'network:prune': () => require('../commands/network/prune'),
  'network:rm': () => require('../commands/network/rm'),
  'volume:create': () => require('../commands/volume/create'),
  'volume:exists': () => require('../commands/volume/exists'),
  'volume:export': () => require('../commands/volume/export'),
  'volume:import': () => require('../commands/volume/import'),
  'volume:inspect': () => require('../commands/volume/inspect'),
  'volume:ls': () => require('../commands/volume/ls'),
  'volume:mount': () => require('../commands/volume/mount'),
  'volume:prune': () => require('../commands/volume/prune'),
  'volume:rm': () => require('../commands/volume/rm'),
  'volume:unmount': () => require('../commands/volume/unmount'),
})
