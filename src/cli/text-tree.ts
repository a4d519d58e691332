// A tree of text drawn with box characters, as Podman draws one (the gotree module): each item
// under its parent with ├── or └──, and │ down the side of a parent's later items.

export interface TextTree {
  text: string
  items: TextTree[]
}

export function textTree(text: string, items: TextTree[] = []): TextTree {
  return {text, items}
}

function printItems(items: TextTree[], spaces: boolean[]): string {
  let out = ''
  items.forEach((item, i) => {
    const last = i === items.length - 1
    const indent = spaces.map((space) => (space ? '    ' : '│   ')).join('')
    item.text.split('\n').forEach((line, n) => {
      const marker = n === 0 ? (last ? '└── ' : '├── ') : last ? '    ' : '│   '
      out += `${indent}${marker}${line}\n`
    })
    if (item.items.length > 0) out += printItems(item.items, [...spaces, last])
  })
  return out
}

/** The root's text, then its items below it, each line ending in a newline. */
export function printTextTree(tree: TextTree): string {
  return `${tree.text}\n${printItems(tree.items, [])}`
}
