// containers.conf: which files are read in which order, and log_size_max.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {containersConfFiles, loadContainersConf, readContainersConf} from '../../../src/storage/config/containers-conf'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-conf-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text)
  return file
}

test('rootless: the user\'s file under XDG_CONFIG_HOME, then its .d files sorted, after the system ones; a later file wins', (t) => {
  const config = tempDir(t)
  const user = write(path.join(config, 'containers/containers.conf'), '[containers]\nlog_size_max = 100000\n')
  const second = write(path.join(config, 'containers/containers.conf.d/20-b.conf'), '[containers]\nlog_size_max = 300000\n')
  const first = write(path.join(config, 'containers/containers.conf.d/10-a.conf'), '[engine]\n')
  write(path.join(config, 'containers/containers.conf.d/ignored.txt'), 'not toml')
  const files = containersConfFiles({XDG_CONFIG_HOME: config}, 1000)
  t.deepEqual(files.slice(-3), [user, first, second])
  t.true(files.slice(0, -3).every((f) => f.startsWith('/usr/share/containers/') || f.startsWith('/etc/containers/')))
  t.is(loadContainersConf({XDG_CONFIG_HOME: config}, 1000).logSizeMax, 300000)
  t.false(containersConfFiles({XDG_CONFIG_HOME: config}, 0).includes(user), 'root reads no user file')
  const home = tempDir(t)
  const inHome = write(path.join(home, '.config/containers/containers.conf'), '')
  t.is(containersConfFiles({HOME: home}, 1000).at(-1), inHome)
})

test('CONTAINERS_CONF is the only file read; a missing one is an error in Podman\'s words', (t) => {
  const dir = tempDir(t)
  const only = write(path.join(dir, 'only.conf'), '[containers]\nlog_size_max = -1\n')
  write(path.join(dir, 'containers/containers.conf'), '[containers]\nlog_size_max = 100000\n')
  t.deepEqual(loadContainersConf({CONTAINERS_CONF: only, XDG_CONFIG_HOME: dir}, 1000), {files: [only], logSizeMax: -1})
  t.throws(() => containersConfFiles({CONTAINERS_CONF: path.join(dir, 'nope.conf')}, 1000), {
    message: `finding config on system: CONTAINERS_CONF file: stat ${path.join(dir, 'nope.conf')}: no such file or directory`,
  })
})

test('log_size_max must be an integer, negative or at least 8192, as containers/common validates it', (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'c.conf')
  write(file, '[containers]\nlog_size_max = 8192\n')
  t.is(loadContainersConf({CONTAINERS_CONF: file}, 1000).logSizeMax, 8192)
  write(file, '[containers]\nlog_size_max = 8191\n')
  t.throws(() => loadContainersConf({CONTAINERS_CONF: file}, 1000), {message: `validating containers config: log size max should be negative or >= 8192 (log_size_max = 8191 in ${file})`})
  write(file, '[containers]\nlog_size_max = "1m"\n')
  t.throws(() => loadContainersConf({CONTAINERS_CONF: file}, 1000), {message: `reading system config "${file}": log_size_max must be an integer, not "1m"`})
  write(file, '[containers\nlog_size_max = 10000\n')
  t.throws(() => loadContainersConf({CONTAINERS_CONF: file}, 1000), {message: new RegExp(`^${file}: invalid TOML: `)})
  write(file, '[engine\n# log_size_max = 1\n')
  t.is(loadContainersConf({CONTAINERS_CONF: file}, 1000).logSizeMax, -1, 'a file that sets no key tspod reads is not parsed')
})

test('[engine] runtime and [engine.runtimes]: a later file\'s runtime wins; the paths tables of all files merge', (t) => {
  const dir = tempDir(t)
  const system = write(path.join(dir, 'a.conf'), '[engine]\nruntime = "runc"\n[engine.runtimes]\ncrun = ["/opt/crun", "/usr/bin/crun"]\n')
  const user = write(path.join(dir, 'b.conf'), '[engine]\nruntime = "crun"\n[engine.runtimes]\nmine = ["/opt/mine"]\n')
  const conf = readContainersConf([system, user])
  t.is(conf.runtime, 'crun')
  t.deepEqual(conf.runtimePaths, {crun: ['/opt/crun', '/usr/bin/crun'], mine: ['/opt/mine']})
  const onlyTable = write(path.join(dir, 'c.conf'), '[engine.runtimes]\n# a comment\n\nkrun = ["/opt/krun"]\n')
  t.deepEqual(readContainersConf([onlyTable]).runtimePaths, {krun: ['/opt/krun']}, 'a file setting only the table is read')
  const commented = write(path.join(dir, 'd.conf'), '[engine]\n#runtime = "crun"\n[engine.runtimes]\n#crun = ["/x"]\n')
  t.deepEqual(readContainersConf([commented]), {files: [commented], logSizeMax: -1})
  const bad = write(path.join(dir, 'e.conf'), '[engine.runtimes]\ncrun = "/usr/bin/crun"\n')
  t.throws(() => readContainersConf([bad]), {message: `reading system config "${bad}": [engine.runtimes] crun must be a list of paths, as crun = ["/usr/bin/crun"]`})
})

test('[containers] http_proxy, base_hosts_file and host_containers_internal_ip: a later file wins; http_proxy must be a boolean', (t) => {
  const dir = tempDir(t)
  const first = write(path.join(dir, 'a.conf'), '[containers]\nhttp_proxy = false\nbase_hosts_file = "/a/hosts"\n')
  const second = write(path.join(dir, 'b.conf'), '[containers]\nbase_hosts_file = "image"\nhost_containers_internal_ip = "10.1.2.3"\n')
  t.like(readContainersConf([first, second]), {httpProxy: false, baseHostsFile: 'image', hostContainersInternalIp: '10.1.2.3'})
  t.is(readContainersConf([second]).httpProxy, undefined, 'unset: the flag\'s default (true)')
  const bad = write(path.join(dir, 'bad.conf'), '[containers]\nhttp_proxy = "no"\n')
  t.throws(() => readContainersConf([bad]), {message: `reading system config "${bad}": http_proxy must be true or false`})
})

test('[containers] dns_servers, dns_searches and dns_options: lists of strings, a later file\'s list replacing (an empty one clearing) the earlier', (t) => {
  const dir = tempDir(t)
  const first = write(path.join(dir, 'a.conf'), '[containers]\ndns_servers = ["1.1.1.1", "100.100.100.100"]\ndns_searches = ["example.com"]\ndns_options = ["ndots:2"]\n')
  const second = write(path.join(dir, 'b.conf'), '[containers]\ndns_searches = []\ndns_options = ["attempts:3", "edns0"]\n')
  t.like(readContainersConf([first]), {dnsServers: ['1.1.1.1', '100.100.100.100'], dnsSearches: ['example.com'], dnsOptions: ['ndots:2']})
  const both = readContainersConf([first, second])
  t.deepEqual([both.dnsServers, both.dnsSearches, both.dnsOptions], [['1.1.1.1', '100.100.100.100'], undefined, ['attempts:3', 'edns0']])
  const bad = write(path.join(dir, 'bad.conf'), '[containers]\ndns_servers = "1.1.1.1"\n')
  t.throws(() => readContainersConf([bad]), {message: `reading system config "${bad}": dns_servers must be a list of strings`})
})

test('[containers] default_mounts_file: a later file wins; an empty one is unset', (t) => {
  const dir = tempDir(t)
  const first = write(path.join(dir, 'a.conf'), '[containers]\ndefault_mounts_file = "/srv/mounts.conf"\n')
  const empty = write(path.join(dir, 'b.conf'), '[containers]\ndefault_mounts_file = ""\n')
  t.is(readContainersConf([first]).defaultMountsFile, '/srv/mounts.conf')
  t.is(readContainersConf([empty]).defaultMountsFile, undefined)
  const bad = write(path.join(dir, 'bad.conf'), '[containers]\ndefault_mounts_file = 3\n')
  t.throws(() => readContainersConf([bad]), {message: `reading system config "${bad}": default_mounts_file must be a string`})
})

test('[containers] default_sysctls: a list of strings, absent unless set, an empty list kept (no defaults)', (t) => {
  const dir = tempDir(t)
  const first = write(path.join(dir, 'a.conf'), '[containers]\ndefault_sysctls = ["net.ipv4.ping_group_range=0 1000"]\n')
  const second = write(path.join(dir, 'b.conf'), '[containers]\ndefault_sysctls = []\n')
  t.deepEqual(readContainersConf([first]).defaultSysctls, ['net.ipv4.ping_group_range=0 1000'])
  t.deepEqual(readContainersConf([first, second]).defaultSysctls, [])
  t.is(readContainersConf([write(path.join(dir, 'c.conf'), '[containers]\nuserns = "host"\n')]).defaultSysctls, undefined)
  const bad = write(path.join(dir, 'bad.conf'), '[containers]\ndefault_sysctls = "net.x=1"\n')
  t.throws(() => readContainersConf([bad]), {message: `reading system config "${bad}": default_sysctls must be a list of strings`})
})

test('[engine] detach_keys: the --detach-keys default, a later file winning; "" kept (it disables detaching)', (t) => {
  const dir = tempDir(t)
  const first = write(path.join(dir, 'a.conf'), '[engine]\ndetach_keys = "ctrl-x"\n')
  const second = write(path.join(dir, 'b.conf'), '[engine]\ndetach_keys = ""\n')
  t.is(readContainersConf([first]).detachKeys, 'ctrl-x')
  t.is(readContainersConf([first, second]).detachKeys, '')
  t.is(readContainersConf([]).detachKeys, undefined)
})
