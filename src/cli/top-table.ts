/** `top` and `pod top` output, as Podman's: tab-separated cells padded to at least 12 characters and 2 spaces apart. */
export function topTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(12, h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] + 2))).join('').trimEnd()
  return [line(headers), ...rows.map(line)].join('\n') + '\n'
}
