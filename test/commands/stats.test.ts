// @userns
// `stats` and `pod stats` through the CLI as the rootless user: the numbers tspod reads from /proc
// for a container burning CPU, one holding memory, one with several processes, network bytes
// after traffic; Podman's table, JSON keys and templates; its errors.
import test from 'ava'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {until} from '../helpers/processes'
import {Sandbox, tspod} from '../helpers/rootless'

async function ok(box: Sandbox, args: string[]): Promise<string> {
  const r = await tspod(box, args)
  if (r.code !== 0) throw new Error(`tspod ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

interface JsonStats {
  id: string
  name: string
  cpu_time: string
  cpu_percent: string
  avg_cpu: string
  mem_usage: string
  mem_percent: string
  net_io: string
  block_io: string
  pids: string
}

async function statsOf(box: Sandbox, name: string): Promise<JsonStats> {
  const [one] = JSON.parse(await ok(box, ['stats', '--no-stream', '--format', 'json', name])) as JsonStats[]
  return one
}

/** "1.5kB / 2MB" → bytes of each side (go-units HumanSize, decimal). */
function sizes(text: string): [number, number] {
  const units: Record<string, number> = {B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12}
  const [a, b] = text.split(' / ').map((s) => {
    const m = /^([\d.]+)(B|kB|MB|GB|TB)$/.exec(s)
    if (!m) throw new Error(`not a size: ${s}`)
    return Number(m[1]) * units[m[2]]
  })
  return [a, b]
}

test('stats: CPU of a busy loop, memory a shell holds, the tasks of a container, table and JSON as Podman', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(async () => void (await tspod(box, ['rm', '-af', '-t', '0'])))
  const burnId = (await ok(box, ['run', '-d', '--name', 'burn', 'busybox', 'sh', '-c', 'while :; do :; done'])).trim()
  // the shell keeps a 30 MB variable (the trailing `true` keeps the shell from exec'ing sleep)
  await ok(box, ['run', '-d', '--name', 'mem', 'busybox', 'sh', '-c', 'x=$(head -c 30000000 /dev/zero | tr "\\0" a); echo held; sleep 1000; true'])
  await ok(box, ['run', '-d', '--name', 'many', 'busybox', 'sh', '-c', 'sleep 1000 & sleep 1001 & sleep 1002 & wait'])
  await ok(box, ['create', '--name', 'idle', 'busybox', 'true'])
  await until(async () => (await ok(box, ['logs', 'mem'])).includes('held'), 'the memory held', 60_000)

  await until(async () => Number.parseFloat((await statsOf(box, 'burn')).cpu_percent) > 5, 'a busy loop shows CPU use')
  const burn = await statsOf(box, 'burn')
  t.deepEqual(Object.keys(burn), ['id', 'name', 'cpu_time', 'cpu_percent', 'avg_cpu', 'mem_usage', 'mem_percent', 'net_io', 'block_io', 'pids'])
  t.is(burn.id, burnId.slice(0, 12))
  t.is(burn.name, 'burn')
  t.regex(burn.cpu_time, /^[\d.]+m?s$/)
  t.regex(burn.avg_cpu, /^\d+\.\d\d%$/)
  t.true(Number.parseFloat(burn.avg_cpu) > 0)
  t.is(burn.pids, '1')

  const mem = await statsOf(box, 'mem')
  const [used, limit] = sizes(mem.mem_usage)
  t.true(used > 25e6, `the 30 MB string counts: ${mem.mem_usage}`)
  t.true(limit > used)
  t.true(Number.parseFloat(mem.mem_percent) > 0)

  t.is((await statsOf(box, 'many')).pids, '4', 'the shell and its three sleeps')

  // the default table: every container, a created one with zeros
  const table = (await ok(box, ['stats', '--no-stream'])).split('\n')
  t.regex(table[0], /^ID {12}NAME {8}CPU % +MEM USAGE \/ LIMIT +MEM % +NET IO +BLOCK IO +PIDS +CPU TIME +AVG CPU %$/)
  t.deepEqual(table.slice(1, -1).map((l) => l.split(/\s+/)[1]), ['burn', 'mem', 'many', 'idle'])
  t.regex(table.find((l) => l.includes(' idle '))!, / idle +0\.00% +0B \/ 0B +0\.00% +0B \/ 0B +0B \/ 0B +0 +0s +0\.00%$/)

  // Go templates over Podman's fields; --no-trunc
  t.is(await ok(box, ['stats', '--no-stream', '--no-trunc', '--format', '{{.ID}} {{.Name}} {{.PIDs}} {{.PIDS}}', 'many']), `${(await ok(box, ['inspect', '--format', '{{.Id}}', 'many'])).trim()} many 4 4\n`)
  t.regex(await ok(box, ['stats', '--no-stream', '--format', 'table {{.Name}} {{.MemUsageBytes}} {{.UpTime}}', 'idle']), /^NAME {8}MEM USAGE \/ LIMIT +CPU TIME\nidle {8}0B \/ 0B +0s\n$/)
  t.is(await ok(box, ['container', 'stats', '--no-stream', '-l', '--format', '{{.Name}}']), 'idle\n')
})

test('stats: network bytes after traffic; streaming reports until interrupted', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(async () => void (await tspod(box, ['rm', '-af', '-t', '0'])))
  await ok(box, ['run', '-d', '--name', 'net', 'busybox', 'sleep', '1000'])
  const before = sizes((await statsOf(box, 'net')).net_io)
  await tspod(box, ['exec', 'net', 'sh', '-c', 'for i in 1 2 3; do nslookup example.com; done; true'])
  const after = sizes((await statsOf(box, 'net')).net_io)
  t.true(after[1] > before[1], `bytes sent: ${before} → ${after}`)
  t.true(after[0] > before[0], `bytes received (the DNS answers): ${before} → ${after}`)

  const streamed = await tspod(box, ['stats', '-i', '1', '--format', '{{.Name}}', 'net'], {timeoutMs: 3500})
  t.true(streamed.stdout.split('\n').filter((l) => l === 'net').length >= 2, streamed.stdout)
})

test('stats errors as Podman: unknown container, --latest or --all with names, a bad interval', async (t) => {
  const box = await sandboxWithImages(t)
  const refused = async (args: string[]): Promise<[number | null, string]> => {
    const r = await tspod(box, args)
    return [r.code, r.stderr]
  }
  t.deepEqual(await refused(['stats', '--no-stream', 'nosuch']), [125, 'Error: unable to get list of containers: unable to look up container nosuch: no container with name or ID "nosuch" found: no such container\n'])
  t.deepEqual(await refused(['stats', '-l', 'x']), [125, 'Error: --all, --latest and containers cannot be used together\n'])
  t.deepEqual(await refused(['stats', '-a', '-l']), [125, 'Error: --all, --latest and containers cannot be used together\n'])
  t.deepEqual(await refused(['stats', '--no-stream', '-i', '0']), [125, 'Error: invalid interval, must be a positive number greater zero\n'])
  t.deepEqual(await refused(['pod', 'stats', '--no-stream', 'nosuch']), [125, 'Error: unable to get list of pods: no pod with name or ID nosuch found: no such pod\n'])
  t.deepEqual(await refused(['pod', 'stats', '-a', 'x']), [125, 'Error: --all, --latest and arguments cannot be used together\n'])
  t.is(await ok(box, ['stats', '--no-stream', '--format', 'json']), '[]\n')
})

test('pod stats: a row per container of each pod, "--" where a number is 0, JSON as Podman', async (t) => {
  const box = await sandboxWithImages(t)
  t.teardown(async () => void (await tspod(box, ['pod', 'rm', '-af', '-t', '0'])))
  t.is(await ok(box, ['pod', 'stats', '--no-stream']), 'POD         CID         NAME        CPU %       MEM USAGE/ LIMIT  MEM %       NET IO      BLOCK IO    PIDS\n--          --          --          --          --                --          --          --          --\n')
  const podId = (await ok(box, ['pod', 'create', '--name', 'pp'])).trim()
  await ok(box, ['run', '-d', '--pod', 'pp', '--name', 'member', 'busybox', 'sh', '-c', 'sleep 1000 & sleep 1001'])
  await ok(box, ['create', '--pod', 'pp', '--name', 'later', 'busybox', 'true'])
  const rows = JSON.parse(await ok(box, ['pod', 'stats', '--no-stream', '--format', 'json', 'pp'])) as Record<string, string>[]
  t.deepEqual(rows.map((r) => Object.keys(r)), rows.map(() => ['CPU', 'MemUsage', 'MemUsageBytes', 'Mem', 'NetIO', 'BlockIO', 'PIDS', 'Pod', 'CID', 'Name']))
  t.deepEqual(rows.map((r) => [r.Pod, r.Name.replace(podId.slice(0, 12), 'ID')]), [[podId.slice(0, 12), 'ID-infra'], [podId.slice(0, 12), 'member'], [podId.slice(0, 12), 'later']])
  const [infra, member, later] = rows
  t.is(infra.PIDS, '1')
  t.is(member.PIDS, '2', 'its own processes, not the infra container\'s')
  t.regex(member.MemUsage, /^[\d.]+[kM]B \/ [\d.]+GB$/)
  t.deepEqual([later.CPU, later.MemUsage, later.PIDS, later.NetIO], ['--', '-- / --', '--', '-- / --'])
  t.is(await ok(box, ['pod', 'stats', '--no-stream', '--format', '{{.Name}}', '-l']), 'NAME\n' + rows.map((r) => `${r.Name}\n`).join(''))
})
