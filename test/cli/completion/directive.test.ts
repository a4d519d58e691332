// The directive's names cobra reports on stderr after the candidates.
import test from 'ava'

import {DIRECTIVE, directiveNames} from '../../../src/cli/completion/directive'

test('each bit by its name, several joined as cobra joins them, none as Default', (t) => {
  t.is(directiveNames(DIRECTIVE.default), 'ShellCompDirectiveDefault')
  t.is(directiveNames(DIRECTIVE.noFileComp), 'ShellCompDirectiveNoFileComp')
  t.is(directiveNames(DIRECTIVE.error), 'ShellCompDirectiveError')
  t.is(directiveNames(DIRECTIVE.noSpace | DIRECTIVE.noFileComp), 'ShellCompDirectiveNoSpace, ShellCompDirectiveNoFileComp')
  t.is(directiveNames(DIRECTIVE.filterDirs), 'ShellCompDirectiveFilterDirs')
})
