import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError, UsageError} from '../../../../src/errors'
import {
  AuthFileOptions,
  authFileForWriting,
  authFileLookupPaths,
  getCredentials,
  removeAllCredentials,
  removeCredentials,
  setCredentials,
} from '../../../../src/storage/image/config/auth-file'

const tempDirs: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-auth-'))
  tempDirs.push(dir)
  return dir
}
test.after.always(() => {
  for (const dir of tempDirs) fs.rmSync(dir, {recursive: true, force: true})
})

interface Sandbox {
  root: string
  home: string
  runtimeDir: string
  options: AuthFileOptions
  runtimeFile: string
  configFile: string
  dockerFile: string
  legacyFile: string
}

function sandbox(extraEnv: Record<string, string> = {}): Sandbox {
  const root = tempDir()
  const home = path.join(root, 'home')
  const runtimeDir = path.join(root, 'run-user')
  fs.mkdirSync(home)
  fs.mkdirSync(runtimeDir)
  return {
    root,
    home,
    runtimeDir,
    options: {env: {HOME: home, XDG_RUNTIME_DIR: runtimeDir, ...extraEnv}, rootDir: root, uid: 1000},
    runtimeFile: path.join(runtimeDir, 'containers/auth.json'),
    configFile: path.join(home, '.config/containers/auth.json'),
    dockerFile: path.join(home, '.docker/config.json'),
    legacyFile: path.join(home, '.dockercfg'),
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value))
}

function auths(...entries: Array<[string, string]>) {
  return {auths: Object.fromEntries(entries.map(([k, creds]) => [k, {auth: b64(creds)}]))}
}

test('lookup order: runtime auth.json, XDG config, ~/.docker/config.json, ~/.dockercfg', (t) => {
  const s = sandbox()
  t.deepEqual(authFileLookupPaths(s.options), [
    {path: s.runtimeFile, legacyFormat: false},
    {path: s.configFile, legacyFormat: false},
    {path: s.dockerFile, legacyFormat: false},
    {path: s.legacyFile, legacyFormat: true},
  ])
  const xdg = path.join(s.root, 'xdg')
  t.is(authFileLookupPaths({...s.options, env: {...s.options.env, XDG_CONFIG_HOME: xdg}})[1].path, path.join(xdg, 'containers/auth.json'))
  // without XDG_RUNTIME_DIR: /run/containers/<uid>/auth.json
  const noRuntime = {...s.options, env: {HOME: s.home}}
  t.is(authFileLookupPaths(noRuntime)[0].path, path.join(s.root, 'run/containers/1000/auth.json'))
  // a missing XDG_RUNTIME_DIR is skipped when reading
  const gone = {...s.options, env: {HOME: s.home, XDG_RUNTIME_DIR: path.join(s.root, 'gone')}}
  t.is(authFileLookupPaths(gone)[0].path, s.configFile)
})

test('--authfile, REGISTRY_AUTH_FILE and DOCKER_CONFIG each make a single file', (t) => {
  const s = sandbox()
  const flag = path.join(s.root, 'flag.json')
  const envFile = path.join(s.root, 'env.json')
  const dockerConfig = path.join(s.root, 'dockercfg')
  const env = {...s.options.env, REGISTRY_AUTH_FILE: envFile, DOCKER_CONFIG: dockerConfig}
  t.deepEqual(authFileLookupPaths({...s.options, env, authFile: flag}), [{path: flag, legacyFormat: false}])
  t.deepEqual(authFileLookupPaths({...s.options, env}), [{path: envFile, legacyFormat: false}])
  t.deepEqual(authFileLookupPaths({...s.options, env: {...s.options.env, DOCKER_CONFIG: dockerConfig}}), [
    {path: path.join(dockerConfig, 'config.json'), legacyFormat: false},
  ])
  t.deepEqual(authFileForWriting({...s.options, env, authFile: flag}), {path: flag, dockerCompat: false})
  t.deepEqual(authFileForWriting({...s.options, env}), {path: envFile, dockerCompat: false})
  t.deepEqual(authFileForWriting({...s.options, env: {...s.options.env, DOCKER_CONFIG: dockerConfig}}), {
    path: path.join(dockerConfig, 'config.json'),
    dockerCompat: true,
  })
  t.deepEqual(authFileForWriting(s.options), {path: s.runtimeFile, dockerCompat: false})
})

test('the first file with a match wins', (t) => {
  const s = sandbox()
  writeJson(s.dockerFile, auths(['quay.io', 'docker:pw'], ['ghcr.io', 'gh:token']))
  writeJson(s.configFile, auths(['quay.io', 'xdg:pw']))
  t.deepEqual(getCredentials('quay.io', undefined, s.options), {username: 'xdg', password: 'pw'})
  t.deepEqual(getCredentials('ghcr.io', 'a/b', s.options), {username: 'gh', password: 'token'})
  writeJson(s.runtimeFile, auths(['quay.io', 'run:pw']))
  t.deepEqual(getCredentials('quay.io', undefined, s.options), {username: 'run', password: 'pw'})
  t.is(getCredentials('example.com', undefined, s.options), undefined)
  // an explicit file hides the others
  const only = path.join(s.root, 'only.json')
  writeJson(only, auths(['ghcr.io', 'only:pw']))
  t.is(getCredentials('quay.io', undefined, {...s.options, authFile: only}), undefined)
  t.deepEqual(getCredentials('ghcr.io', undefined, {...s.options, authFile: only}), {username: 'only', password: 'pw'})
})

test('the most specific key wins: repository, namespace, then host', (t) => {
  const s = sandbox()
  writeJson(
    s.runtimeFile,
    auths(['quay.io', 'host:1'], ['quay.io/team', 'team:2'], ['quay.io/team/app', 'app:3'], ['localhost:5000', 'local:4']),
  )
  t.is(getCredentials('quay.io', 'team/app', s.options)!.username, 'app')
  t.is(getCredentials('quay.io', 'team/other', s.options)!.username, 'team')
  t.is(getCredentials('quay.io', 'team', s.options)!.username, 'team')
  t.is(getCredentials('quay.io', 'else/app', s.options)!.username, 'host')
  t.is(getCredentials('quay.io', undefined, s.options)!.username, 'host')
  t.is(getCredentials('localhost:5000', 'a/b', s.options)!.username, 'local')
})

test('keys with a scheme and Docker Hub aliases match their host', (t) => {
  const s = sandbox()
  writeJson(s.dockerFile, {
    auths: {
      'https://index.docker.io/v1/': {auth: b64('hub:secret')},
      'https://registry.example.com/v2/': {auth: b64('ex:pw')},
      'http://insecure.local:5000': {auth: b64('ins:pw')},
    },
    credsStore: 'desktop',
  })
  t.deepEqual(getCredentials('docker.io', 'library/alpine', s.options), {username: 'hub', password: 'secret'})
  t.deepEqual(getCredentials('registry-1.docker.io', undefined, s.options), {username: 'hub', password: 'secret'})
  t.deepEqual(getCredentials('registry.example.com', 'x/y', s.options), {username: 'ex', password: 'pw'})
  t.deepEqual(getCredentials('insecure.local:5000', undefined, s.options), {username: 'ins', password: 'pw'})
  t.is(getCredentials('index.docker.io.evil', undefined, s.options), undefined)
})

test('the legacy ~/.dockercfg is a bare map looked up by host', (t) => {
  const s = sandbox()
  writeJson(s.legacyFile, {'https://old.example.com/v1/': {auth: b64('old:pw')}, 'quay.io': {auth: b64('q:pw')}})
  t.deepEqual(getCredentials('old.example.com', 'a/b', s.options), {username: 'old', password: 'pw'})
  t.deepEqual(getCredentials('quay.io', 'a/b', s.options), {username: 'q', password: 'pw'})
})

test('entries: passwords may contain ":", NULs are trimmed, identity tokens are returned, empty entries are skipped', (t) => {
  const s = sandbox()
  writeJson(s.runtimeFile, {
    auths: {
      'a.io': {auth: b64('user:pa:ss')},
      'b.io': {auth: b64('user:pw\0\0')},
      'c.io': {auth: b64('<token>:'), identitytoken: 'refresh'},
      'd.io': {},
      'e.io': {auth: b64('nocolon')},
    },
  })
  writeJson(s.configFile, auths(['d.io', 'fallback:pw'], ['e.io', 'fallback:pw']))
  t.deepEqual(getCredentials('a.io', undefined, s.options), {username: 'user', password: 'pa:ss'})
  t.deepEqual(getCredentials('b.io', undefined, s.options), {username: 'user', password: 'pw'})
  t.deepEqual(getCredentials('c.io', undefined, s.options), {username: '<token>', password: '', identityToken: 'refresh'})
  t.deepEqual(getCredentials('d.io', undefined, s.options), {username: 'fallback', password: 'pw'})
  t.deepEqual(getCredentials('e.io', undefined, s.options), {username: 'fallback', password: 'pw'})
})

test('corrupt files are errors naming the file', (t) => {
  const s = sandbox()
  writeJson(s.runtimeFile, '{"auths": {')
  const err = t.throws(() => getCredentials('quay.io', undefined, s.options), {instanceOf: TspodError})!
  t.true(err.message.startsWith(`reading JSON file "${s.runtimeFile}": unmarshaling JSON at "${s.runtimeFile}": `), err.message)
  t.is(err.path, s.runtimeFile)
  writeJson(s.runtimeFile, {auths: []})
  t.throws(() => getCredentials('quay.io', undefined, s.options), {
    message: `reading JSON file "${s.runtimeFile}": unmarshaling JSON at "${s.runtimeFile}": "auths" must be an object`,
  })
  writeJson(s.runtimeFile, {auths: {'quay.io': {auth: 'not base64!'}}})
  t.throws(() => getCredentials('quay.io', undefined, s.options), {
    message: `reading JSON file "${s.runtimeFile}": the "auth" field of "quay.io" is not valid base64`,
  })
  writeJson(s.runtimeFile, '{"auths": {')
  t.throws(() => setCredentials('quay.io', 'u', 'p', s.options), {instanceOf: TspodError})
  t.is(fs.readFileSync(s.runtimeFile, 'utf8'), '{"auths": {', 'a failed edit leaves the file alone')
})

test('bad keys are refused as containers/image does', (t) => {
  const s = sandbox()
  t.throws(() => getCredentials('https://quay.io', undefined, s.options), {instanceOf: UsageError, message: 'key https://quay.io contains http[s]:// prefix'})
  t.throws(() => setCredentials('quay.io/a@sha256', 'u', 'p', s.options), {message: `key quay.io/a@sha256 contains a '@' character`})
  t.throws(() => removeCredentials('quay.io/a:tag', s.options), {message: `key quay.io/a:tag contains a ':' character after host[:port]`})
})

test('set/get/remove round trip: private dirs and file, other entries kept', (t) => {
  const s = sandbox()
  t.is(setCredentials('quay.io', 'alice', 'pw:1', s.options), s.runtimeFile)
  t.is(setCredentials('localhost:5000/team/app', 'bob', 'pw2', s.options), s.runtimeFile)
  t.is(fs.statSync(path.dirname(s.runtimeFile)).mode & 0o777, 0o700)
  t.is(fs.statSync(s.runtimeFile).mode & 0o777, 0o600)
  t.deepEqual(fs.readdirSync(path.dirname(s.runtimeFile)), ['auth.json'], 'no temp file left behind')
  const stored = JSON.parse(fs.readFileSync(s.runtimeFile, 'utf8'))
  t.deepEqual(stored, {
    auths: {
      'localhost:5000/team/app': {auth: b64('bob:pw2')},
      'quay.io': {auth: b64('alice:pw:1')},
    },
  })
  t.deepEqual(getCredentials('quay.io', 'x/y', s.options), {username: 'alice', password: 'pw:1'})
  t.deepEqual(getCredentials('localhost:5000', 'team/app', s.options), {username: 'bob', password: 'pw2'})
  t.is(getCredentials('localhost:5000', 'team/other', s.options), undefined)

  // overwrite keeps the rest, and unknown fields of the file survive
  const doc = JSON.parse(fs.readFileSync(s.runtimeFile, 'utf8'))
  fs.writeFileSync(s.runtimeFile, JSON.stringify({...doc, credHelpers: {'gcr.io': 'gcloud'}}))
  setCredentials('quay.io', 'alice', 'new', s.options)
  const after = JSON.parse(fs.readFileSync(s.runtimeFile, 'utf8'))
  t.deepEqual(after.credHelpers, {'gcr.io': 'gcloud'})
  t.is(getCredentials('quay.io', undefined, s.options)!.password, 'new')

  t.true(removeCredentials('quay.io', s.options))
  t.false(removeCredentials('quay.io', s.options))
  t.is(getCredentials('quay.io', undefined, s.options), undefined)
  t.deepEqual(getCredentials('localhost:5000', 'team/app', s.options), {username: 'bob', password: 'pw2'})

  setCredentials('ghcr.io', 'c', 'd', s.options)
  t.is(removeAllCredentials(s.options), s.runtimeFile)
  const cleared = JSON.parse(fs.readFileSync(s.runtimeFile, 'utf8'))
  t.deepEqual(cleared.auths, {})
  t.deepEqual(cleared.credHelpers, {'gcr.io': 'gcloud'})
  t.is(getCredentials('ghcr.io', undefined, s.options), undefined)
})

test('removing only touches the login file, not files found further down the lookup order', (t) => {
  const s = sandbox()
  writeJson(s.dockerFile, auths(['quay.io', 'docker:pw']))
  t.false(removeCredentials('quay.io', s.options))
  t.false(fs.existsSync(s.runtimeFile))
  t.deepEqual(getCredentials('quay.io', undefined, s.options), {username: 'docker', password: 'pw'})
})

test('writing with an explicit file and with DOCKER_CONFIG (Docker-compatible keys)', (t) => {
  const s = sandbox()
  const explicit = path.join(s.root, 'deep/dir/auth.json')
  setCredentials('docker.io', 'u', 'p', {...s.options, authFile: explicit})
  t.deepEqual(JSON.parse(fs.readFileSync(explicit, 'utf8')).auths, {'docker.io': {auth: b64('u:p')}})
  t.is(fs.statSync(path.dirname(explicit)).mode & 0o777, 0o700)

  const dockerConfig = path.join(s.root, 'docker-config')
  writeJson(path.join(dockerConfig, 'config.json'), {auths: {}, credsStore: 'desktop', experimental: 'enabled'})
  const compat = {...s.options, env: {...s.options.env, DOCKER_CONFIG: dockerConfig}}
  setCredentials('docker.io', 'hub', 'pw', compat)
  const written = JSON.parse(fs.readFileSync(path.join(dockerConfig, 'config.json'), 'utf8'))
  t.deepEqual(written, {auths: {'https://index.docker.io/v1/': {auth: b64('hub:pw')}}, credsStore: 'desktop', experimental: 'enabled'})
  t.deepEqual(getCredentials('docker.io', 'library/alpine', compat), {username: 'hub', password: 'pw'})
  t.throws(() => setCredentials('quay.io/team', 'u', 'p', compat), {
    message: 'Credentials cannot be recorded in Docker-compatible format with namespaced key "quay.io/team"',
  })
  t.true(removeCredentials('docker.io', compat))
  t.is(getCredentials('docker.io', undefined, compat), undefined)
})

test('writing needs an existing $XDG_RUNTIME_DIR', (t) => {
  const s = sandbox()
  const gone = path.join(s.root, 'gone')
  t.throws(() => setCredentials('quay.io', 'u', 'p', {...s.options, env: {HOME: s.home, XDG_RUNTIME_DIR: gone}}), {
    instanceOf: TspodError,
    message: `"${gone}" directory set by $XDG_RUNTIME_DIR does not exist. Either create the directory or unset $XDG_RUNTIME_DIR.`,
  })
  // without XDG_RUNTIME_DIR the per-uid file under /run/containers is used
  const noRuntime = {...s.options, env: {HOME: s.home}}
  t.is(setCredentials('quay.io', 'u', 'p', noRuntime), path.join(s.root, 'run/containers/1000/auth.json'))
  t.deepEqual(getCredentials('quay.io', undefined, noRuntime), {username: 'u', password: 'p'})
})
