// The box-drawn tree Podman prints (gotree): markers, the │ of a parent's later items, and
// items of several lines.
import test from 'ava'

import {printTextTree, textTree} from '../../src/cli/text-tree'

test('items under the root, nested items indented with │ while their parent has more items', (t) => {
  const tree = textTree('root', [textTree('a', [textTree('a1'), textTree('a2', [textTree('a2x')])]), textTree('b', [textTree('b1')])])
  t.is(printTextTree(tree), ['root', '├── a', '│   ├── a1', '│   └── a2', '│       └── a2x', '└── b', '    └── b1', ''].join('\n'))
})

test("a root of several lines is printed as it is; an item's later lines are indented under it", (t) => {
  t.is(printTextTree(textTree('one\ntwo')), 'one\ntwo\n')
  t.is(printTextTree(textTree('r', [textTree('x\ny'), textTree('z\nw')])), 'r\n├── x\n│   y\n└── z\n    w\n')
})
