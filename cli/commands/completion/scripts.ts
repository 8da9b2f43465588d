/**
 * `kaas completion bash|zsh|fish`: shell scripts whose completion function calls back into
 * `kaas __complete WORD…` with the words typed so far (the last one the word being completed).
 */
import { usageError } from '../../errors.ts';

export const OUTPUT_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof OUTPUT_SHELLS)[number];

const BASH = `# kaas completion for bash: source <(kaas completion bash), or save it to
# /etc/bash_completion.d/kaas (or ~/.local/share/bash-completion/completions/kaas)
_kaas_completion() {
  local IFS=$'\\n'
  COMPREPLY=( $(kaas __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
}
complete -o default -F _kaas_completion kaas
`;

const ZSH = `#compdef kaas
# kaas completion for zsh: source <(kaas completion zsh), or save it as _kaas in a directory of $fpath
_kaas() {
  local -a candidates
  candidates=("\${(@f)$(kaas __complete "\${(@)words[2,$CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  compadd -a candidates
}
if [ "$funcstack[1]" = "_kaas" ]; then _kaas "$@"; else compdef _kaas kaas; fi
`;

const FISH = `# kaas completion for fish: kaas completion fish > ~/.config/fish/completions/kaas.fish
function __kaas_complete
    set -l words (commandline -opc) (commandline -ct)
    kaas __complete $words[2..-1] 2>/dev/null
end
complete -c kaas -f -a '(__kaas_complete)'
`;

/** The script for `shell`; another shell is a usage error naming the supported ones. */
export function completionScript(shell: string): string {
  if (shell === 'bash') return BASH;
  if (shell === 'zsh') return ZSH;
  if (shell === 'fish') return FISH;
  throw usageError(`completion for "${shell}" is not available: use one of ${OUTPUT_SHELLS.join(', ')}`, 'example: source <(kaas completion bash)');
}
