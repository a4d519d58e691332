// Go's %q and strconv.Atoi, for messages that read as Podman's.
import test from 'ava'

import {goAtoi, goQuote} from '../../../src/runtime/network/go-text'

test('goQuote is strconv.Quote: quotes and backslashes escaped, control characters by name or \\x, printable runes kept', (t) => {
  t.is(goQuote(''), '""')
  t.is(goQuote('a "b" \\c'), '"a \\"b\\" \\\\c"')
  t.is(goQuote('tab\there\nnl\r\x07\x08\x0b\x0c'), '"tab\\there\\nnl\\r\\a\\b\\v\\f"')
  t.is(goQuote('\x00\x1f\x7f'), '"\\x00\\x1f\\x7f"')
  t.is(goQuote('héllo 世界 €'), '"héllo 世界 €"')
  t.is(goQuote('\u200b'), '"\\u200b"', 'a format character is escaped')
  t.is(goQuote('\u{e0001}'), '"\\U000e0001"')
})

test('goAtoi takes a sign and decimal digits within int64, with Go\'s errors', (t) => {
  t.is(goAtoi('42'), 42n)
  t.is(goAtoi('-7'), -7n)
  t.is(goAtoi('+007'), 7n)
  t.is(goAtoi('9223372036854775807'), 9223372036854775807n)
  t.is(goAtoi('-9223372036854775808'), -9223372036854775808n)
  t.throws(() => goAtoi('9223372036854775808'), {message: 'strconv.Atoi: parsing "9223372036854775808": value out of range'})
  for (const bad of ['', ' 1', '1.0', '0x10', 'ten', '--1'])
    t.throws(() => goAtoi(bad), {message: `strconv.Atoi: parsing ${JSON.stringify(bad)}: invalid syntax`}, bad)
})
