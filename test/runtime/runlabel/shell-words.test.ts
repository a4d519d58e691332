// A label's words as Podman's shlex splits them: quotes, escapes and comments, nothing of a shell.
import test from 'ava'

import {splitShellWords} from '../../../src/runtime/runlabel/shell-words'

test('blanks separate words; quotes and backslashes join them', (t) => {
  t.deepEqual(splitShellWords('  podman run\t-d\n IMAGE  '), ['podman', 'run', '-d', 'IMAGE'])
  t.deepEqual(splitShellWords(`echo 'a b' "c d" e\\ f g'h i'"j"`), ['echo', 'a b', 'c d', 'e f', 'gh ij'])
  t.deepEqual(splitShellWords(`"a\\"b" 'c\\d' "\\$x"`), ['a"b', 'c\\d', '$x'])
  t.deepEqual(splitShellWords(`x "" ''`), ['x', '', ''])
})

test('shell syntax is plain text: no variables, globs, pipes, redirections or command separators', (t) => {
  t.deepEqual(splitShellWords('ls *; rm -rf / | cat > out && $(id) `id`'), ['ls', '*;', 'rm', '-rf', '/', '|', 'cat', '>', 'out', '&&', '$(id)', '`id`'])
})

test('a word starting with # is a comment to the end of the line; a # inside a word is not', (t) => {
  t.deepEqual(splitShellWords('echo a#b #c d\ne'), ['echo', 'a#b', 'e'])
  t.deepEqual(splitShellWords('# only a comment'), [])
})

test('an open quote or a trailing backslash is an error in shlex words', (t) => {
  t.throws(() => splitShellWords(`echo 'abc`), {message: 'EOF found when expecting closing quote'})
  t.throws(() => splitShellWords('echo "abc'), {message: 'EOF found when expecting closing quote'})
  t.throws(() => splitShellWords('echo abc\\'), {message: 'EOF found after escape character'})
})
