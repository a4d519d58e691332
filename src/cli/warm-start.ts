// What scripts/bundle.js runs before it writes the CLI bundle's code cache: V8 compiles a function
// when it is first called and the cache holds only what was compiled, so the start path (oclif's
// config, routing, argument parsing, the store's open, listing, rendering, errors) is run once
// here, on an empty store in a temporary directory, rather than compiled again at every start.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

/**
 * The listing commands that scripts call in loops, a lookup that fails (the error path), and
 * run/start/exec up to their lookup of what does not exist there (their argument parsing).
 */
const WARM_COMMANDS = [
  ['images'],
  ['ps', '-a'],
  ['container', 'exists', 'warm-up'],
  ['inspect', 'warm-up'],
  ['volume', 'ls'],
  ['run', '--pull=never', '--rm', '--network', 'none', 'warm-up', 'true'],
  ['start', 'warm-up'],
  ['exec', 'warm-up', 'true'],
]

type Write = typeof process.stdout.write

/** Run the warm-up commands through `main`, their output and exit status dropped. */
export async function warmStartPath(main: (argv: string[]) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-warm-'))
  const store = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--volumepath', path.join(dir, 'volumes')]
  const {exitCode} = process
  const writes = [process.stdout.write, process.stderr.write]
  const drop = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') process.nextTick(done as () => void)
    return true
  }) as Write
  process.stdout.write = drop
  process.stderr.write = drop
  try {
    for (const args of WARM_COMMANDS) await main([...store, ...args])
  } finally {
    ;[process.stdout.write, process.stderr.write] = writes as [Write, Write]
    process.exitCode = exitCode
    fs.rmSync(dir, {recursive: true, force: true})
  }
}
