// cobra's ShellCompDirective: what the completion scripts do with the candidates (the `:N` line).

/** cobra's ShellCompDirective bits, which the scripts read. */
export const DIRECTIVE = {default: 0, error: 1, noSpace: 2, noFileComp: 4, filterFileExt: 8, filterDirs: 16} as const

const DIRECTIVE_NAMES: [number, string][] = [
  [DIRECTIVE.error, 'ShellCompDirectiveError'],
  [DIRECTIVE.noSpace, 'ShellCompDirectiveNoSpace'],
  [DIRECTIVE.noFileComp, 'ShellCompDirectiveNoFileComp'],
  [DIRECTIVE.filterFileExt, 'ShellCompDirectiveFilterFileExt'],
  [DIRECTIVE.filterDirs, 'ShellCompDirectiveFilterDirs'],
]

/** The directive's bits by name, as cobra reports them on stderr (for a person debugging the scripts). */
export function directiveNames(directive: number): string {
  const names = DIRECTIVE_NAMES.filter(([bit]) => directive & bit).map(([, name]) => name)
  return names.length > 0 ? names.join(', ') : 'ShellCompDirectiveDefault'
}
