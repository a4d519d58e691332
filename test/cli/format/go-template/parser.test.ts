// The template parser: the tree it builds and Go's syntax errors.
import test from 'ava'

import {TemplateSyntaxError, parse} from '../../../../src/cli/format/go-template/parser'

const known = (name: string) => ['printf', 'eq', 'len', 'json'].includes(name)

test('an action holds a pipeline of commands; if keeps its list and its else list', (t) => {
  const [action] = parse('{{.A.B | printf "%s"}}', known)
  t.like(action, {type: 'action'})
  if (action.type !== 'action') return
  t.deepEqual(action.pipe.commands.map((c) => c.args.map((a) => a.type)), [['field'], ['identifier', 'literal']])
  t.like(action.pipe.commands[0].args[0], {type: 'field', names: ['A', 'B']})
  t.like(action.pipe.commands[1].args[0], {type: 'identifier', name: 'printf'})

  const [cond] = parse('{{if .A}}x{{else}}y{{end}}', known)
  t.like(cond, {type: 'if', list: [{type: 'text', text: 'x'}], elseList: [{type: 'text', text: 'y'}]})
})

test('Go\'s syntax errors: missing values, unknown functions, stray or missing ends, undefined variables', (t) => {
  const cases: [string, string][] = [
    ['{{if}}{{end}}', 'missing value for if'],
    ['{{nofunc .A}}', 'function "nofunc" not defined'],
    ['{{.A', 'unclosed action'],
    ['{{end}}', 'unexpected {{end}}'],
    ['{{range .L}}x', 'unexpected EOF'],
    ['{{$x := 1}}{{$y}}', 'undefined variable "$y"'],
  ]
  for (const [source, message] of cases) t.throws(() => parse(source, known), {instanceOf: TemplateSyntaxError, message}, source)
})
