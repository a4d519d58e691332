import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../../../src/errors'
import {
  RegistriesConfOptions,
  assertNotBlocked,
  findRegistry,
  isBlocked,
  loadRegistriesConf,
  pullSources,
  refMatchingPrefix,
  registriesConfPaths,
} from '../../../../src/storage/image/config/registries-conf'
import {parseNormalizedName} from '../../../../src/storage/image/reference/docker-reference'

const tempDirs: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-regconf-'))
  tempDirs.push(dir)
  return dir
}
test.after.always(() => {
  for (const dir of tempDirs) fs.rmSync(dir, {recursive: true, force: true})
})

const DIGEST = `sha256:${'a'.repeat(64)}`

interface Sandbox {
  root: string
  home: string
  options: RegistriesConfOptions
  systemFile: string
  systemDir: string
  userFile: string
  userDir: string
  write(file: string, text: string): string
}

function sandbox(env: Record<string, string> = {}, uid = 1000): Sandbox {
  const root = tempDir()
  const home = path.join(root, 'home')
  fs.mkdirSync(home)
  return {
    root,
    home,
    options: {rootDir: root, env: {HOME: home, ...env}, uid},
    systemFile: path.join(root, 'etc/containers/registries.conf'),
    systemDir: path.join(root, 'etc/containers/registries.conf.d'),
    userFile: path.join(home, '.config/containers/registries.conf'),
    userDir: path.join(home, '.config/containers/registries.conf.d'),
    write(file, text) {
      fs.mkdirSync(path.dirname(file), {recursive: true})
      fs.writeFileSync(file, text)
      return file
    },
  }
}

test('no files at all: empty configuration, permissive mode', (t) => {
  const s = sandbox()
  const c = loadRegistriesConf(s.options)
  t.deepEqual(c.registries, [])
  t.deepEqual(c.unqualifiedSearchRegistries, [])
  t.is(c.unqualifiedSearchRegistriesOrigin, undefined)
  t.is(c.shortNameMode, 'permissive')
  t.is(c.aliases.size, 0)
  t.deepEqual(c.files, [])
  t.is(c.configPath, s.systemFile)
  t.is(c.configDirPath, s.userDir)
})

test('system file with all v2 keys', (t) => {
  const s = sandbox()
  s.write(
    s.systemFile,
    `unqualified-search-registries = ["registry.fedoraproject.org", "quay.io/", "docker.io"]
short-name-mode = "enforcing"

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"alpine" = "docker.io/alpine"
"opensuse/leap" = "registry.opensuse.org/opensuse/leap"

[[registry]]
location = "registry.example.com/"
insecure = true

[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/bar"
mirror-by-digest-only = true
[[registry.mirror]]
location = "mirror.example.com/foo"
insecure = true
[[registry.mirror]]
location = "mirror2.example.com"

[[registry]]
location = "blocked.io"
blocked = true
`,
  )
  const c = loadRegistriesConf(s.options)
  t.deepEqual(c.files, [s.systemFile])
  t.deepEqual(c.unqualifiedSearchRegistries, ['registry.fedoraproject.org', 'quay.io', 'docker.io'])
  t.is(c.unqualifiedSearchRegistriesOrigin, s.systemFile)
  t.is(c.shortNameMode, 'enforcing')
  t.is(c.aliases.get('fedora')!.value!.toString(), 'registry.fedoraproject.org/fedora')
  t.is(c.aliases.get('alpine')!.value!.toString(), 'docker.io/library/alpine')
  t.is(c.aliases.get('opensuse/leap')!.origin, s.systemFile)
  // sorted by prefix, prefix defaulting to location, trailing slashes gone
  t.deepEqual(
    c.registries.map((r) => r.prefix),
    ['blocked.io', 'example.com/foo', 'registry.example.com'],
  )
  t.deepEqual(c.registries[1], {
    prefix: 'example.com/foo',
    location: 'internal.example.com/bar',
    insecure: false,
    blocked: false,
    mirrorByDigestOnly: true,
    mirrors: [
      {location: 'mirror.example.com/foo', insecure: true},
      {location: 'mirror2.example.com', insecure: false},
    ],
  })
  t.true(c.registries[2].insecure)
  t.true(c.registries[0].blocked)
})

test('the per-user file replaces the system file and the system drop-in directory', (t) => {
  const s = sandbox()
  s.write(s.systemFile, 'unqualified-search-registries = ["system.io"]\n')
  s.write(path.join(s.systemDir, '10-system.conf'), 'short-name-mode = "disabled"\n')
  s.write(s.userFile, 'unqualified-search-registries = ["user.io"]\n')
  s.write(path.join(s.userDir, '10-user.conf'), '[aliases]\n"app" = "user.io/team/app"\n')
  const c = loadRegistriesConf(s.options)
  t.deepEqual(c.files, [s.userFile, path.join(s.userDir, '10-user.conf')])
  t.deepEqual(c.unqualifiedSearchRegistries, ['user.io'])
  t.is(c.shortNameMode, 'permissive')
  t.is(c.aliases.get('app')!.value!.toString(), 'user.io/team/app')
  t.is(c.configPath, s.userFile)
})

test('CONTAINERS_REGISTRIES_CONF replaces the main file only; drop-ins still apply', (t) => {
  const s = sandbox()
  const custom = s.write(path.join(s.root, 'custom.conf'), 'unqualified-search-registries = ["custom.io"]\n')
  s.write(s.userFile, 'unqualified-search-registries = ["user.io"]\n')
  s.write(path.join(s.systemDir, 'a.conf'), 'short-name-mode = "enforcing"\n')
  const options = {...s.options, env: {...s.options.env, CONTAINERS_REGISTRIES_CONF: custom}}
  const c = loadRegistriesConf(options)
  t.deepEqual(c.files, [custom, path.join(s.systemDir, 'a.conf')])
  t.deepEqual(c.unqualifiedSearchRegistries, ['custom.io'])
  t.is(c.shortNameMode, 'enforcing')
  t.is(c.configPath, custom)

  // REGISTRIES_CONFIG_PATH is the older name; CONTAINERS_REGISTRIES_CONF wins over it.
  const legacy = s.write(path.join(s.root, 'legacy.conf'), 'unqualified-search-registries = ["legacy.io"]\n')
  t.is(registriesConfPaths({...s.options, env: {...s.options.env, REGISTRIES_CONFIG_PATH: legacy}}).configPath, legacy)
  t.is(
    registriesConfPaths({...s.options, env: {...s.options.env, REGISTRIES_CONFIG_PATH: legacy, CONTAINERS_REGISTRIES_CONF: custom}})
      .configPath,
    custom,
  )

  // A missing explicit file is an error, a missing default file is not.
  const missing = path.join(s.root, 'missing.conf')
  t.throws(() => loadRegistriesConf({...s.options, env: {...s.options.env, CONTAINERS_REGISTRIES_CONF: missing}}), {
    instanceOf: TspodError,
    message: `loading registries configuration "${missing}": open ${missing}: no such file or directory`,
  })
})

test('drop-ins: *.conf only, name order, system dir then user dir; later files override', (t) => {
  const s = sandbox()
  s.write(
    s.systemFile,
    `unqualified-search-registries = ["a.io"]
[aliases]
"one" = "a.io/one"
"two" = "a.io/two"
[[registry]]
location = "keep.io"
[[registry]]
location = "replaced.io"
insecure = true
`,
  )
  s.write(path.join(s.systemDir, '20-second.conf'), 'unqualified-search-registries = ["c.io"]\n')
  s.write(path.join(s.systemDir, '10-first.conf'), 'unqualified-search-registries = ["b.io"]\nshort-name-mode = "disabled"\n')
  s.write(path.join(s.systemDir, 'ignored.conf.bak'), 'this is not toml [')
  fs.mkdirSync(path.join(s.systemDir, 'subdir.conf'))
  s.write(path.join(s.systemDir, 'subdir.conf', 'nested.conf'), 'this is not toml [')
  const user = s.write(
    path.join(s.userDir, '00-user.conf'),
    `[aliases]
"one" = "user.io/one"
"two" = ""
[[registry]]
location = "replaced.io"
blocked = true
[[registry]]
prefix = "*.example.com"
`,
  )
  const c = loadRegistriesConf(s.options)
  t.deepEqual(c.files, [s.systemFile, path.join(s.systemDir, '10-first.conf'), path.join(s.systemDir, '20-second.conf'), user])
  t.deepEqual(c.unqualifiedSearchRegistries, ['c.io'])
  t.is(c.unqualifiedSearchRegistriesOrigin, path.join(s.systemDir, '20-second.conf'))
  t.is(c.shortNameMode, 'disabled')
  t.is(c.aliases.get('one')!.value!.toString(), 'user.io/one')
  t.is(c.aliases.get('one')!.origin, user)
  t.is(c.aliases.get('two')!.value, undefined)
  t.deepEqual(
    c.registries.map((r) => [r.prefix, r.insecure, r.blocked]),
    [
      ['*.example.com', false, false],
      ['keep.io', false, false],
      ['replaced.io', false, true],
    ],
  )
})

test('an empty list in a drop-in clears the search registries', (t) => {
  const s = sandbox()
  s.write(s.systemFile, 'unqualified-search-registries = ["a.io"]\n')
  const dropIn = s.write(path.join(s.systemDir, 'x.conf'), 'unqualified-search-registries = []\n')
  const c = loadRegistriesConf(s.options)
  t.deepEqual(c.unqualifiedSearchRegistries, [])
  t.is(c.unqualifiedSearchRegistriesOrigin, dropIn)
})

test('the short-name alias cache Podman records choices in overrides registries.conf', (t) => {
  const s = sandbox({XDG_CACHE_HOME: ''})
  s.write(s.systemFile, '[aliases]\n"app" = "a.io/app"\n"gone" = "a.io/gone"\n')
  const cache = s.write(path.join(s.home, '.cache/containers/short-name-aliases.conf'), '[aliases]\n"app" = "b.io/app"\n"gone" = ""\n')
  const c = loadRegistriesConf(s.options)
  t.is(c.aliases.get('app')!.value!.toString(), 'b.io/app')
  t.is(c.aliases.get('app')!.origin, cache)
  t.is(c.aliases.get('gone')!.value, undefined)
  t.is(registriesConfPaths({...s.options, env: {...s.options.env, XDG_CACHE_HOME: '/xdg'}}).aliasCacheFile, '/xdg/containers/short-name-aliases.conf')
  t.is(registriesConfPaths({...s.options, uid: 0}).aliasCacheFile, path.join(s.root, 'var/cache/containers/short-name-aliases.conf'))
  s.write(cache, '[aliases]\n"quay.io/x" = "b.io/x"\n')
  t.throws(() => loadRegistriesConf(s.options), {
    message: `loading short-name aliases config file "${cache}": validating short-name aliases: invalid short name "quay.io/x": must not contain registry`,
  })
})

test('sysregistries v1 files are converted; drop-ins must be v2; v1 and v2 do not mix', (t) => {
  const s = sandbox()
  s.write(
    s.systemFile,
    `[registries.search]
registries = ["docker.io", "quay.io"]
[registries.insecure]
registries = ["insecure.io", "both.io"]
[registries.block]
registries = ["both.io/"]
`,
  )
  const c = loadRegistriesConf(s.options)
  t.deepEqual(c.unqualifiedSearchRegistries, ['docker.io', 'quay.io'])
  t.deepEqual(
    c.registries.map((r) => [r.prefix, r.location, r.insecure, r.blocked]),
    [
      ['both.io', 'both.io', true, true],
      ['insecure.io', 'insecure.io', true, false],
    ],
  )

  const dropIn = s.write(path.join(s.systemDir, 'v1.conf'), '[registries.search]\nregistries = ["x.io"]\n')
  t.throws(() => loadRegistriesConf(s.options), {
    message: `loading drop-in registries configuration "${dropIn}": registry must be in v2 format but is in v1`,
  })
  fs.rmSync(dropIn)
  s.write(s.systemFile, 'short-name-mode = "enforcing"\n[registries.search]\nregistries = ["x.io"]\n')
  t.throws(() => loadRegistriesConf(s.options), {
    message: `loading registries configuration "${s.systemFile}": mixing sysregistry v1/v2 is not supported`,
  })
})

test('invalid files: one line naming the file, containers/image wording', (t) => {
  const cases: Array<[string, string]> = [
    ['[[registry]]\nlocation = "https://x.io"\n', `invalid location 'https://x.io': URI schemes are not supported`],
    ['[[registry]]\ninsecure = true\n', 'invalid condition: both location and prefix are unset'],
    ['[[registry]]\nprefix = "x.io"\n', 'invalid condition: location is unset and prefix is not in the format: *.example.com'],
    ['[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\ninsecure = true\n', 'invalid condition: mirror location is unset'],
    [
      '[[registry]]\nlocation = "x.io"\n[[registry]]\nprefix = "y.io"\nlocation = "x.io"\ninsecure = true\n',
      `registry 'x.io' is defined multiple times with conflicting 'insecure' setting`,
    ],
    [
      '[[registry]]\nlocation = "x.io"\nblocked = true\n[[registry]]\nprefix = "y.io"\nlocation = "x.io"\n',
      `registry 'x.io' is defined multiple times with conflicting 'blocked' setting`,
    ],
    ['unqualified-search-registries = ["x.io/ns"]\n', 'Invalid unqualified-search-registries entry "x.io/ns"'],
    ['unqualified-search-registries = "x.io"\n', '"unqualified-search-registries" must be an array of strings'],
    ['short-name-mode = "prompt"\n', 'invalid short-name mode: "prompt"'],
    [
      '[[registry]]\nprefix = "*.example.com/ns"\n',
      'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.example.com/ns" is incorrectly formatted',
    ],
    ['[[registry]]\nlocation = "x.io"\ninsecure = "yes"\n', '"registry.insecure" must be a boolean'],
    ['[[registry]]\nlocation = "x.io"\npull-from-mirror = "all"\n', 'pull-from-mirror must not be set for a non-mirror registry "x.io"'],
    [
      '[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "sometimes"\n',
      'unsupported pull-from-mirror value "sometimes" for mirror "m.io"',
    ],
    [
      '[[registry]]\nlocation = "x.io"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "all"\n',
      'cannot set mirror usage mirror-by-digest-only for the registry ("x.io") and pull-from-mirror for per-mirror ("m.io") at the same time',
    ],
    ['[aliases]\n"alpine" = "alpine"\n', 'validating short-name aliases: invalid alias "alpine": must contain registry and repository'],
    ['[aliases]\n"alpine" = "docker.io/alpine:3"\n', 'validating short-name aliases: invalid alias "docker.io/alpine:3": must not contain tag'],
    [
      `[aliases]\n"alpine" = "docker.io/alpine@${DIGEST}"\n`,
      `validating short-name aliases: invalid alias "docker.io/alpine@${DIGEST}": must not contain digest`,
    ],
    ['[aliases]\n"alpine:3" = "docker.io/alpine"\n', 'validating short-name aliases: invalid short name "alpine:3": must not contain tag'],
    ['[aliases]\n"Alpine" = "docker.io/alpine"\n', 'validating short-name aliases: cannot parse short name: "Alpine": repository name must be lowercase'],
    ['[aliases]\n"alpine" = "docker.io/Alpine"\n', 'validating short-name aliases: parsing alias "docker.io/Alpine": repository name must be lowercase'],
  ]
  for (const [text, message] of cases) {
    const s = sandbox()
    s.write(s.systemFile, text)
    t.throws(() => loadRegistriesConf(s.options), {instanceOf: TspodError, message: `loading registries configuration "${s.systemFile}": ${message}`}, text)
  }
})

test('a TOML syntax error names the file and gives the first line of the parser message', (t) => {
  const s = sandbox()
  s.write(s.systemFile, 'unqualified-search-registries = [\n')
  const err = t.throws(() => loadRegistriesConf(s.options), {instanceOf: TspodError})!
  t.true(err.message.startsWith(`loading registries configuration "${s.systemFile}": Invalid TOML document: `), err.message)
  t.regex(err.message, /at line \d+, column \d+$/)
  t.false(err.message.includes('\n'))
  t.is(err.path, s.systemFile)
})

test('refMatchingPrefix: matches end at the end, ":", "/" or "@"; wildcards match subdomains', (t) => {
  t.is(refMatchingPrefix('example.com', 'example.com'), 11)
  t.is(refMatchingPrefix('example.com/foo', 'example.com'), 11)
  t.is(refMatchingPrefix('example.com:5000/foo', 'example.com'), 11)
  t.is(refMatchingPrefix(`example.com@${DIGEST}`, 'example.com'), 11)
  t.is(refMatchingPrefix('example.com.evil/foo', 'example.com'), -1)
  t.is(refMatchingPrefix('example.com/foobar', 'example.com/foo'), -1)
  t.is(refMatchingPrefix('example.co', 'example.com'), -1)
  t.is(refMatchingPrefix('sub.example.com/foo', '*.example.com'), 15)
  t.is(refMatchingPrefix('a.b.example.com', '*.example.com'), 15)
  t.is(refMatchingPrefix('example.com/foo', '*.example.com'), -1)
  t.is(refMatchingPrefix('other.com/sub.example.com', '*.example.com'), -1)
  t.is(refMatchingPrefix('sub.example.community/x', '*.example.com'), -1)
})

function configWith(text: string) {
  const s = sandbox()
  s.write(s.systemFile, text)
  return {config: loadRegistriesConf(s.options), s}
}

test('findRegistry picks the longest matching prefix', (t) => {
  const {config} = configWith(`
[[registry]]
location = "example.com"
[[registry]]
prefix = "example.com/foo"
location = "a.io/foo"
[[registry]]
prefix = "example.com/foo/bar"
location = "b.io/foobar"
[[registry]]
prefix = "*.example.com"
[[registry]]
prefix = "*.sub.example.com"
location = "sub.mirror.io"
`)
  t.is(findRegistry(config, 'example.com/foo/bar/baz:1')!.prefix, 'example.com/foo/bar')
  t.is(findRegistry(config, 'example.com/foo/baz')!.prefix, 'example.com/foo')
  t.is(findRegistry(config, 'example.com/foobar')!.prefix, 'example.com')
  t.is(findRegistry(config, 'x.example.com/a')!.prefix, '*.example.com')
  t.is(findRegistry(config, 'x.sub.example.com/a')!.prefix, '*.sub.example.com')
  t.is(findRegistry(config, 'quay.io/a'), undefined)
})

test('pullSources: mirrors first, then the registry, each rewritten from the prefix', (t) => {
  const {config} = configWith(`
[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "mirror.local:5000/hub"
insecure = true
[[registry.mirror]]
location = "mirror2.local"

[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/bar"
insecure = true

[[registry]]
prefix = "digests.io"
location = "digests.io"
mirror-by-digest-only = true
[[registry.mirror]]
location = "dmirror.io"

[[registry]]
prefix = "per-mirror.io"
location = "per-mirror.io"
[[registry.mirror]]
location = "digest-only.io"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "tag-only.io"
pull-from-mirror = "tag-only"
[[registry.mirror]]
location = "all.io"
pull-from-mirror = "all"

[[registry]]
prefix = "*.wild.io"
[[registry.mirror]]
location = "wildmirror.io/w"
`)
  const sources = (name: string) => pullSources(config, parseNormalizedName(name)).map((p) => [p.reference.toString(), p.insecure, p.mirror])

  t.deepEqual(sources('alpine:3.20'), [
    ['mirror.local:5000/hub/library/alpine:3.20', true, true],
    ['mirror2.local/library/alpine:3.20', false, true],
    ['docker.io/library/alpine:3.20', false, false],
  ])
  t.deepEqual(sources('example.com/foo/app:1'), [['internal.example.com/bar/app:1', true, false]])
  t.deepEqual(sources('digests.io/app:1'), [['digests.io/app:1', false, false]])
  t.deepEqual(sources(`digests.io/app@${DIGEST}`), [
    [`dmirror.io/app@${DIGEST}`, false, true],
    [`digests.io/app@${DIGEST}`, false, false],
  ])
  t.deepEqual(sources('per-mirror.io/app:1'), [
    ['tag-only.io/app:1', false, true],
    ['all.io/app:1', false, true],
    ['per-mirror.io/app:1', false, false],
  ])
  t.deepEqual(sources(`per-mirror.io/app@${DIGEST}`), [
    [`digest-only.io/app@${DIGEST}`, false, true],
    [`all.io/app@${DIGEST}`, false, true],
    [`per-mirror.io/app@${DIGEST}`, false, false],
  ])
  t.deepEqual(sources('a.wild.io/x:1'), [
    ['wildmirror.io/w/x:1', false, true],
    ['a.wild.io/x:1', false, false],
  ])
  t.deepEqual(sources('quay.io/unconfigured:1'), [['quay.io/unconfigured:1', false, false]])
})

test('pullSources refuses a rewrite that is not a canonical name', (t) => {
  const {config} = configWith('[[registry]]\nprefix = "example.com/foo"\nlocation = "docker.io"\n')
  t.throws(() => pullSources(config, parseNormalizedName('example.com/foo/bar:1')), {
    message: 'rewriting reference: repository name must be canonical',
  })
})

test('blocked registries: isBlocked and the containers/image error', (t) => {
  const {config, s} = configWith('[[registry]]\nlocation = "quay.io"\nblocked = true\n[[registry]]\nlocation = "quay.io/open"\nprefix = "quay.io/open"\n')
  t.true(isBlocked(config, 'quay.io/foo/bar'))
  t.false(isBlocked(config, 'quay.io/open/bar'))
  t.false(isBlocked(config, 'docker.io/library/alpine'))
  t.notThrows(() => assertNotBlocked(config, 'docker.io/library/alpine'))
  t.throws(() => assertNotBlocked(config, 'quay.io/foo/bar:latest'), {
    instanceOf: TspodError,
    message: `registry quay.io is blocked in ${s.systemFile} or ${s.userDir}`,
  })
})
