// The shell scripts `tspod completion SHELL` prints. Each asks the program itself, through its
// hidden `__complete` command (cobra's protocol: candidates, then `:directive`), so commands,
// flags and the names in the store are completed as they are when the user presses TAB.
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

/** A shell function name made of the program name. */
function ident(program: string): string {
  return program.replace(/[^A-Za-z0-9_]/g, '_')
}

function bash(program: string): string {
  const fn = `__${ident(program)}_complete`
  return `# bash completion for ${program}
${fn}() {
    local cur=\${COMP_WORDS[COMP_CWORD]}
    local -a lines
    mapfile -t lines < <("\${COMP_WORDS[0]}" __completeNoDesc "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    local last=\${lines[\${#lines[@]}-1]}
    local directive=0
    if [[ $last == :* ]]; then
        directive=\${last#:}
        unset 'lines[\${#lines[@]}-1]'
    fi
    if (( directive & 1 )); then
        return
    fi
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    COMPREPLY=()
    local line
    for line in "\${lines[@]}"; do
        [[ $line == "$cur"* ]] && COMPREPLY+=("$line")
    done
    if (( \${#COMPREPLY[@]} == 0 )) && (( directive & 4 )); then
        compopt +o default 2>/dev/null
    fi
}
complete -o default -F ${fn} ${program}
`
}

function zsh(program: string, noDesc: boolean): string {
  const fn = `_${ident(program)}`
  return `#compdef ${program}
# zsh completion for ${program}
${fn}() {
    local -a lines candidates
    local out directive line name
    out=$("\${words[1]}" ${noDesc ? '__completeNoDesc' : '__complete'} "\${(@)words[2,CURRENT]}" 2>/dev/null)
    lines=("\${(@f)out}")
    directive=\${lines[-1]#:}
    lines=("\${(@)lines[1,-2]}")
    (( directive & 1 )) && return 1
    for line in $lines; do
        name=\${line%%$'\\t'*}
        name=\${name//:/\\\\:}
        if [[ $line == *$'\\t'* ]]; then
            candidates+=("$name:\${line#*$'\\t'}")
        else
            candidates+=("$name")
        fi
    done
    if (( \${#candidates} > 0 )); then
        if (( directive & 2 )); then
            _describe 'completions' candidates -S ''
        else
            _describe 'completions' candidates
        fi
        return
    fi
    (( directive & 4 )) && return 1
    _files
}
compdef ${fn} ${program}
`
}

function fish(program: string, noDesc: boolean): string {
  const fn = `__${ident(program)}_complete`
  return `# fish completion for ${program}
function ${fn}
    set -l words (commandline -opc)
    set -l out ($words[1] ${noDesc ? '__completeNoDesc' : '__complete'} $words[2..-1] (commandline -ct) 2>/dev/null)
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (math "$directive % 2") -eq 1
        return
    end
    if test (count $out) -gt 0
        printf '%s\\n' $out
    else if test (math "floor($directive / 4) % 2") -eq 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c ${program} -f -a '(${fn})'
`
}

export function completionScript(shell: Shell, program: string, noDesc: boolean): string {
  return shell === 'bash' ? bash(program) : shell === 'zsh' ? zsh(program, noDesc) : fish(program, noDesc)
}
