// The Containerfile parser: instructions, flags, JSON and shell forms, continuations, comments, escape.
import test from 'ava'

import {parseContainerfile} from '../../src/build/containerfile'
import {UsageError} from '../../src/errors'

test('instructions with their flags, JSON form and line numbers; continuations and comments', (t) => {
  const text = ['# a comment', 'FROM busybox AS base', '', 'RUN echo a \\', '  # inside', '    && echo b', 'COPY --from=base --chown=1:2 /a /b', 'CMD ["sh", "-c", "x"]', 'env A=1'].join('\n')
  const ins = parseContainerfile(text)
  t.deepEqual(ins.map((i) => i.command), ['FROM', 'RUN', 'COPY', 'CMD', 'ENV'])
  t.is(ins[0].rest, 'busybox AS base')
  t.is(ins[1].rest, 'echo a     && echo b')
  t.is(ins[1].line, 4)
  t.deepEqual(ins[2].flags, {from: 'base', chown: '1:2'})
  t.is(ins[2].rest, '/a /b')
  t.deepEqual(ins[3].json, ['sh', '-c', 'x'])
  t.is(ins[4].command, 'ENV')
})

test('the escape directive changes the continuation character', (t) => {
  const ins = parseContainerfile('# escape=`\nFROM x\nRUN a `\n b\n')
  t.is(ins[1].rest, 'a  b')
})

test('an unknown instruction names the file and line', (t) => {
  const err = t.throws(() => parseContainerfile('FROM x\nBOGUS y\n', 'Dockerfile'), {instanceOf: UsageError})
  t.is(err!.message, 'Dockerfile:2: unknown instruction: BOGUS')
})

test('directives: syntax is read and ignored, escape applies; heredocs on RUN, COPY and ADD', (t) => {
  const text = ['# syntax=docker/dockerfile:1', '# escape=\\', 'FROM x', 'RUN <<EOF', 'echo $A', 'EOF', 'COPY <<-"A" <<B /dst/', '\tquoted $A', 'A', 'b', 'B', 'RUN --mount=type=cache,target=/c --mount=type=tmpfs,target=/t cat <<X', 'x', 'X', 'ENV after=1'].join('\n')
  const ins = parseContainerfile(text)
  t.deepEqual(ins.map((i) => i.command), ['FROM', 'RUN', 'COPY', 'RUN', 'ENV'])
  t.deepEqual(ins[1].heredocs, [{name: 'EOF', content: 'echo $A\n', expand: true, raw: 'echo $A\nEOF'}])
  t.deepEqual(ins[2].heredocs.map((h) => [h.name, h.content, h.expand]), [['A', 'quoted $A\n', false], ['B', 'b\n', true]])
  t.deepEqual(ins[3].flagList, [['mount', 'type=cache,target=/c'], ['mount', 'type=tmpfs,target=/t']])
  t.is(ins[3].heredocs[0].content, 'x\n')
  t.is(ins[4].line, 15)
  t.throws(() => parseContainerfile('FROM x\nRUN <<EOF\necho\n'), {message: 'Containerfile:2: unterminated heredoc EOF'})
})
