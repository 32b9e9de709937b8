# bash completion for failsim: subcommands, each subcommand's options, and
# files or folders for their arguments. The subcommands and options are read
# from `failsim --help` and `failsim SUB --help` (once per shell), so they
# never drift from the binary. Installed as
# share/bash-completion/completions/failsim; or `source` this file.

_failsim_help_words() {
  # $1: the failsim command; $2: a subcommand or empty. Prints the
  # subcommands (no $2) or the long options of $2.
  [[ -n $2 && ! $2 =~ ^[a-z]+$ ]] && return  # not a subcommand's name
  local cache_key="_failsim_cache_${2:-top}"
  if [[ -z ${!cache_key-} ]]; then
    local words
    if [[ -z $2 ]]; then
      words=$("$1" --help 2>/dev/null | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
    else
      words=$("$1" "$2" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
    fi
    printf -v "$cache_key" '%s' "$words"
  fi
  printf '%s\n' "${!cache_key}"
}

_failsim() {
  local cur prev sub i
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  sub=
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} != -* ]] && { sub=${COMP_WORDS[i]}; break; }
  done
  if [[ -z $sub ]]; then
    COMPREPLY=($(compgen -W "$(_failsim_help_words "${COMP_WORDS[0]}" '') --help --version" -- "$cur"))
    return
  fi
  case $prev in
    --out | --keep | --report) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --log-mode) COMPREPLY=($(compgen -W "request block" -- "$cur")); return ;;
    --recovery) COMPREPLY=($(compgen -W "takeover restart" -- "$cur")); return ;;
    --seed | --jobs | --case | --random | --search-states | --max-wall-s | --time-budget | --shard | \
      --clients | --ops | --plexes | --crash-at)
      return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_failsim_help_words "${COMP_WORDS[0]}" "$sub")" -- "$cur"))
    return
  fi
  case $sub in
    run | validate | sweep) COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")) ;;
    check) COMPREPLY=($(compgen -f -- "$cur")) ;;
    report) COMPREPLY=($(compgen -d -- "$cur")) ;;
  esac
}
complete -o filenames -F _failsim failsim
