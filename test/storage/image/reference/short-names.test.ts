import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../../../src/errors'
import {RegistriesConfig, loadRegistriesConf} from '../../../../src/storage/image/config/registries-conf'
import {localCandidates, resolveShortName} from '../../../../src/storage/image/reference/short-names'

const tempDirs: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-shortnames-'))
  tempDirs.push(dir)
  return dir
}
test.after.always(() => {
  for (const dir of tempDirs) fs.rmSync(dir, {recursive: true, force: true})
})

const DIGEST = `sha256:${'b'.repeat(64)}`

function config(text: string): {config: RegistriesConfig; file: string} {
  const root = tempDir()
  const file = path.join(root, 'etc/containers/registries.conf')
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text)
  return {config: loadRegistriesConf({rootDir: root, env: {HOME: path.join(root, 'home')}, uid: 1000}), file}
}

const names = (refs: {toString(): string}[]) => refs.map(String)
const noTty = {isTerminal: false}

const SEARCH = `unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"library/alpine" = "docker.io/library/alpine"
"alpine" = "quay.io/alpine-mirror/alpine"
`

test('a fully qualified name is its only candidate, tagged latest if needed', (t) => {
  const {config: c} = config(SEARCH)
  for (const [input, expected] of [
    ['quay.io/podman/stable', 'quay.io/podman/stable:latest'],
    ['localhost/app:1', 'localhost/app:1'],
    ['localhost:5000/a/b:c', 'localhost:5000/a/b:c'],
    ['docker.io/alpine', 'docker.io/library/alpine:latest'],
    [`index.docker.io/alpine@${DIGEST}`, `docker.io/library/alpine@${DIGEST}`],
  ]) {
    const r = resolveShortName(input, c, noTty)
    t.deepEqual(names(r.candidates), [expected], input)
    t.false(r.alias)
    t.is(r.description, undefined)
  }
  t.deepEqual(names(localCandidates('quay.io/a/b', c)), ['quay.io/a/b:latest'])
})

test('an alias wins, keyed by the name as written, carrying tag and digest', (t) => {
  const {config: c, file} = config(SEARCH)
  const r = resolveShortName('fedora', c, noTty)
  t.deepEqual(names(r.candidates), ['registry.fedoraproject.org/fedora:latest'])
  t.true(r.alias)
  t.false(r.needsUserChoice)
  t.is(r.description, `Resolved "fedora" as an alias (${file})`)
  t.deepEqual(names(resolveShortName('fedora:40', c, noTty).candidates), ['registry.fedoraproject.org/fedora:40'])
  t.deepEqual(names(resolveShortName(`fedora@${DIGEST}`, c, noTty).candidates), [`registry.fedoraproject.org/fedora@${DIGEST}`])
  t.deepEqual(names(resolveShortName(`fedora:40@${DIGEST}`, c, noTty).candidates), [`registry.fedoraproject.org/fedora:40@${DIGEST}`])
  // "alpine" and "library/alpine" are different short names
  t.deepEqual(names(resolveShortName('alpine', c, noTty).candidates), ['quay.io/alpine-mirror/alpine:latest'])
  const lib = resolveShortName('library/alpine:3.20', c, noTty)
  t.deepEqual(names(lib.candidates), ['docker.io/library/alpine:3.20'])
  t.is(lib.description, `Resolved "library/alpine" as an alias (${file})`)
})

test('without an alias every unqualified-search registry is a candidate, in order', (t) => {
  const {config: c, file} = config(SEARCH)
  const r = resolveShortName('busybox', c, noTty)
  t.deepEqual(names(r.candidates), [
    'registry.fedoraproject.org/busybox:latest',
    'quay.io/busybox:latest',
    'docker.io/library/busybox:latest',
  ])
  t.false(r.alias)
  t.false(r.needsUserChoice)
  t.is(r.description, `Resolving "busybox" using unqualified-search registries (${file})`)
  t.deepEqual(names(resolveShortName(`ns/app:2@${DIGEST}`, c, noTty).candidates), [
    `registry.fedoraproject.org/ns/app:2@${DIGEST}`,
    `quay.io/ns/app:2@${DIGEST}`,
    `docker.io/ns/app:2@${DIGEST}`,
  ])
})

test('modes: enforcing needs a TTY to choose, permissive tries all, disabled never prompts', (t) => {
  const search = 'unqualified-search-registries = ["quay.io", "docker.io"]\n'
  const enforcing = config(`short-name-mode = "enforcing"\n${search}`).config
  t.throws(() => resolveShortName('busybox', enforcing, noTty), {
    instanceOf: UsageError,
    message: 'short-name resolution enforced but cannot prompt without a TTY',
  })
  const tty = resolveShortName('busybox', enforcing, {isTerminal: true})
  t.true(tty.needsUserChoice)
  t.deepEqual(names(tty.candidates), ['quay.io/busybox:latest', 'docker.io/library/busybox:latest'])

  const permissive = config(`short-name-mode = "permissive"\n${search}`).config
  t.false(resolveShortName('busybox', permissive, noTty).needsUserChoice)
  t.is(resolveShortName('busybox', permissive, noTty).candidates.length, 2)
  t.true(resolveShortName('busybox', permissive, {isTerminal: true}).needsUserChoice)

  const disabled = config(`short-name-mode = "disabled"\n${search}`).config
  t.false(resolveShortName('busybox', disabled, {isTerminal: true}).needsUserChoice)
  t.is(resolveShortName('busybox', disabled, noTty).candidates.length, 2)

  // One search registry is never ambiguous, even when enforcing.
  const single = config('short-name-mode = "enforcing"\nunqualified-search-registries = ["docker.io"]\n').config
  const r = resolveShortName('busybox', single, noTty)
  t.deepEqual(names(r.candidates), ['docker.io/library/busybox:latest'])
  t.false(r.needsUserChoice)
})

test('no alias and no search registries is an error naming the file', (t) => {
  const {config: c, file} = config('short-name-mode = "permissive"\n')
  t.throws(() => resolveShortName('busybox:1', c, noTty), {
    instanceOf: UsageError,
    message: `short-name "busybox:1" did not resolve to an alias and no unqualified-search registries are defined in "${file}"`,
  })
  const root = tempDir()
  const none = loadRegistriesConf({rootDir: root, env: {HOME: root}, uid: 1000})
  t.throws(() => resolveShortName('busybox', none, noTty), {
    message: 'short-name "busybox" did not resolve to an alias and no containers-registries.conf(5) was found',
  })
})

test('unparseable input is refused with the parser reason', (t) => {
  const {config: c} = config(SEARCH)
  t.throws(() => resolveShortName('a:b:c', c, noTty), {instanceOf: UsageError, message: 'cannot parse input: "a:b:c": invalid reference format'})
  t.throws(() => resolveShortName('Upper/Case', c, noTty), {message: 'cannot parse input: "Upper/Case": repository name must be lowercase'})
  t.throws(() => localCandidates('a:b:c', c), {message: 'cannot parse input: "a:b:c": invalid reference format'})
})

test('localCandidates: alias, then localhost/, then each search registry', (t) => {
  const {config: c} = config(SEARCH)
  t.deepEqual(names(localCandidates('fedora:40', c)), [
    'registry.fedoraproject.org/fedora:40',
    'localhost/fedora:40',
    'registry.fedoraproject.org/fedora:40',
    'quay.io/fedora:40',
    'docker.io/library/fedora:40',
  ])
  t.deepEqual(names(localCandidates('myapp', c)), [
    'localhost/myapp:latest',
    'registry.fedoraproject.org/myapp:latest',
    'quay.io/myapp:latest',
    'docker.io/library/myapp:latest',
  ])
  const root = tempDir()
  const none = loadRegistriesConf({rootDir: root, env: {HOME: root}, uid: 1000})
  t.deepEqual(names(localCandidates(`myapp@${DIGEST}`, none)), [`localhost/myapp@${DIGEST}`])
})
