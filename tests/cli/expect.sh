# Shell helpers of the end-to-end tests (sourced): fail, expect, contains.
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS CMD...: runs CMD, keeps its output in out.txt, checks the exit status.
expect() {
  local want=$1; shift
  "$@" >out.txt 2>&1; local got=$?
  [ "$got" = "$want" ] || { cat out.txt; fail "$* exited $got, expected $want"; }
}
contains() { grep -qF -- "$1" out.txt || { cat out.txt; fail "output lacks: $1"; }; }
