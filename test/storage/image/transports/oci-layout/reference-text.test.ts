// The text after "oci:" / "oci-archive:": PATH, then an image name or "@N".
import test from 'ava'
import * as path from 'node:path'

import {UsageError} from '../../../../../src/errors'
import {formatOciReferenceText, isValidRefName, ociReferenceParts, parseOciReferenceText} from '../../../../../src/storage/image/transports/oci-layout/reference-text'

test('PATH, PATH:IMAGE and PATH:@N, the path made absolute; formatting reads back the same parts', (t) => {
  t.deepEqual(parseOciReferenceText('/x/layout', 'oci'), {path: '/x/layout', image: '', sourceIndex: -1})
  t.deepEqual(parseOciReferenceText('/x/layout:app:v1', 'oci'), {path: '/x/layout', image: 'app:v1', sourceIndex: -1})
  t.deepEqual(parseOciReferenceText('/x/layout:@2', 'oci'), {path: '/x/layout', image: '', sourceIndex: 2})
  t.deepEqual(parseOciReferenceText('rel/dir:name', 'oci'), {path: path.resolve('rel/dir'), image: 'name', sourceIndex: -1})
  for (const text of ['/x/layout', '/x/layout:app:v1', '/x/layout:@0', '/a/b:docker.io/library/busybox:latest'])
    t.is(formatOciReferenceText(parseOciReferenceText(text, 'oci')), text)
})

test('ref names follow the image-spec grammar', (t) => {
  for (const good of ['a', 'v1.0', 'app:v1', 'quay.io/x/y:latest', 'a--b', 'a@b', 'a+b']) t.true(isValidRefName(good), good)
  for (const bad of ['', '-a', 'a-', 'a//b', 'a b', '/a', 'a/', 'é']) t.false(isValidRefName(bad), bad)
  t.throws(() => parseOciReferenceText('/x:bad name', 'oci'), {instanceOf: UsageError, message: 'Invalid image bad name'})
})

test('source indexes: integers, not negative, not with an image name; no colon in the path', (t) => {
  t.throws(() => parseOciReferenceText('/x:@one', 'oci'), {instanceOf: UsageError, message: 'Invalid source index @one: not an integer'})
  t.throws(() => parseOciReferenceText('/x:@-1', 'oci'), {message: 'Invalid source index @-1: must not be negative'})
  t.throws(() => parseOciReferenceText('/x:@99999999999999999999', 'oci'), {message: 'Invalid source index @99999999999999999999: out of range'})
  t.throws(() => ociReferenceParts('/x', 'img', 1, 'oci-archive'), {message: 'Invalid oci-archive: reference: cannot use both an image img and a source index @1'})
  t.throws(() => ociReferenceParts('/x', '', -5, 'oci'), {message: 'Invalid oci: reference: index @-5 must not be negative'})
  t.throws(() => ociReferenceParts('/a:b/c', '', -1, 'oci'), {message: 'Invalid OCI reference: path /a:b/c contains a colon'})
})
