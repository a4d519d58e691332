import test from 'ava'

import {describeErrorResponse, isManifestUnknown} from '../../../../../src/storage/image/transports/docker/distribution-error'

function describe(status: number, body: unknown, wwwAuthenticate: string | null = null) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
  return describeErrorResponse({status, statusText: '', body: bytes, wwwAuthenticate})
}

test('a registered code with its default message and no detail reads as the code', (t) => {
  const d = describe(404, {errors: [{code: 'MANIFEST_UNKNOWN', message: 'manifest unknown'}]})
  t.is(d.text, 'manifest unknown')
  t.is(d.errorCode, 'MANIFEST_UNKNOWN')
  t.true(isManifestUnknown(d, 404))
  t.is(describe(404, {errors: [{code: 'NAME_UNKNOWN', message: 'repository name not known to registry'}]}).text, 'name unknown')
  t.is(describe(404, {errors: [{code: 'NAME_UNKNOWN'}]}).text, 'name unknown')
})

test('with detail, containers/image 5.23 (Podman 4.3.1) prints code and message', (t) => {
  const d = describe(404, {errors: [{code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: {name: 'x'}}]})
  t.is(d.text, 'name unknown: repository name not known to registry')
  t.false(isManifestUnknown(d, 404))
  t.is(describe(401, {errors: [{code: 'UNAUTHORIZED', message: 'authentication required', detail: [{Type: 'repository'}]}]}).text, 'unauthorized: authentication required')
  t.is(describe(404, {errors: [{code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: {Tag: 'x'}}]}).text, 'manifest unknown: manifest unknown')
})

test("a registry's own message follows the code", (t) => {
  t.is(
    describe(401, {errors: [{code: 'UNAUTHORIZED', message: 'access to the requested resource is not authorized'}]}).text,
    'unauthorized: access to the requested resource is not authorized',
  )
  t.is(describe(429, {errors: [{code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.'}]}).text, 'toomanyrequests: You have reached your pull rate limit.')
})

test('unregistered codes are "unknown"; "not found" among them counts as manifest unknown', (t) => {
  const d = describe(404, {errors: [{code: 'NOT_THERE', message: 'Not Found'}]})
  t.is(d.text, 'unknown: Not Found')
  t.true(isManifestUnknown(d, 404))
})

test('a "details" document (Docker Hub) reads by status', (t) => {
  t.is(describe(401, {details: 'incorrect username or password'}).text, 'unauthorized: incorrect username or password')
  t.is(describe(400, {details: 'bad'}).text, 'unknown: bad')
})

test('a Bearer challenge error on a 401 takes precedence over the body', (t) => {
  const body = {errors: [{code: 'UNAUTHORIZED', message: 'authentication required'}]}
  t.is(describe(401, body, 'Bearer realm="r",error="insufficient_scope"').text, 'denied: requested access to the resource is denied')
  t.is(describe(401, body, 'Bearer realm="r",error="invalid_token",error_description="token expired"').text, 'unauthorized: token expired')
})

test('bodies that are not error documents', (t) => {
  t.is(describe(401, 'nope').text, 'unauthorized: authentication required')
  t.is(describe(404, '<html>not here</html>').text, 'StatusCode: 404, "<html>not here</html>"')
  t.true(isManifestUnknown(describe(404, ''), 404))
  t.is(describe(403, 'x'.repeat(60)).text, `StatusCode: 403, "${'x'.repeat(50)}..."`)
  t.is(describe(400, {errors: []}).text, 'StatusCode: 400, "{\\"errors\\":[]}"')
})

test('statuses outside 4xx report the status line', (t) => {
  t.is(describe(500, 'oops').text, 'received unexpected HTTP status: 500 Internal Server Error')
  t.is(describe(503, {errors: [{code: 'UNAVAILABLE'}]}).text, 'received unexpected HTTP status: 503 Service Unavailable')
  t.is(describeErrorResponse({status: 502, statusText: 'Bad Gateway', body: Buffer.alloc(0), wwwAuthenticate: null}).text, 'received unexpected HTTP status: 502 Bad Gateway')
})
