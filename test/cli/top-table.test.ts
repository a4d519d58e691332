// `top` and `pod top` tables as Podman prints them.
import test from 'ava'

import {topTable} from '../../src/cli/top-table'

test('cells are padded to at least 12 characters and 2 spaces apart; the last cell is not padded', (t) => {
  t.is(topTable(['USER', 'PID', 'COMMAND'], [['root', '1', 'sleep 100'], ['nobody', '12345678901234', 'sh']]), [
    'USER          PID             COMMAND',
    'root          1               sleep 100',
    'nobody        12345678901234  sh',
    '',
  ].join('\n'))
})
