#!/usr/bin/env bash
# The install tree and the Debian package (cmake/install.cmake), checked as a
# user gets them: install into a temporary prefix, run the installed binary on
# an installed library scenario and judge it, check the installed schema is
# the one the binary prints, and exercise the bash completion.
# Usage: install_test.sh BUILD_DIR CASE   (CASE: tree | completion | deb)
set -euo pipefail
build=$1 case=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

case $case in
  tree)
    cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
    bin=$work/prefix/bin/failsim
    share=$work/prefix/share
    [ -x "$bin" ] || fail "no installed binary at $bin"
    [ -f "$share/doc/failsim/README.md" ] || fail "README.md not installed"
    [ -f "$share/doc/failsim/scenario-defaults.json" ] || fail "docs not installed"
    [ -f "$share/failsim/scenarios/sweeps/log-mode.json" ] || fail "sweep files not installed"
    "$bin" schema | cmp - "$share/failsim/scenarios/scenario.schema.json" ||
      fail "the installed schema differs from \`failsim schema\`"
    scenarios=()
    for f in "$share"/failsim/scenarios/*.json; do [[ $f == */scenario.schema.json ]] || scenarios+=("$f"); done
    [ ${#scenarios[@]} -ge 20 ] || fail "only ${#scenarios[@]} library scenarios installed"
    "$bin" validate "${scenarios[@]}" > "$work/validate.log" 2>&1 ||
      { cat "$work/validate.log"; fail "an installed scenario does not validate"; }
    # Run and judge an installed scenario from a folder outside the source tree.
    (cd "$work" && "$bin" run "$share/failsim/scenarios/basic-takeover.json" --out run > run.log &&
      "$bin" check run > check.log) || { cat "$work"/*.log; fail "the installed binary did not run and judge a scenario"; }
    grep -q "VERDICT: OK" "$work/check.log" || fail "no VERDICT: OK from the installed binary"
    ;;
  completion)
    cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
    bin=$work/prefix/bin/failsim
    # shellcheck disable=SC1091
    source "$work/prefix/share/bash-completion/completions/failsim"
    complete_words() {  # the command line's words, the last one being completed
      COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _failsim; printf '%s\n' "${COMPREPLY[@]}"
    }
    got=$(complete_words "$bin" "")
    for sub in run check validate schema report sweep demo; do
      grep -qx "$sub" <<< "$got" || fail "subcommand $sub not completed (got: $got)"
    done
    got=$(complete_words "$bin" check --ra)
    [ "$got" = "--random" ] || fail "check --ra completed to '$got', expected --random"
    got=$(complete_words "$bin" run --s)
    grep -qx -- "--seed" <<< "$got" || fail "run --s did not offer --seed (got: $got)"
    got=$(complete_words "$bin" demo --log-mode "")
    [ "$(tr '\n' ' ' <<< "$got")" = "request block " ] || fail "demo --log-mode offered '$got'"
    ;;
  deb)
    command -v dpkg-deb > /dev/null || fail "dpkg-deb missing (package dpkg)"
    (cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" > cpack.log 2>&1) ||
      { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
    deb=$(ls "$work"/failsim_*.deb) || fail "no .deb written"
    dpkg-deb -c "$deb" > "$work/contents"
    for f in ./usr/bin/failsim ./usr/share/failsim/scenarios/scenario.schema.json \
             ./usr/share/bash-completion/completions/failsim ./usr/share/doc/failsim/README.md; do
      grep -q " $f\$" "$work/contents" || fail "$f not in the package"
    done
    dpkg-deb -f "$deb" Depends | grep -q libsimgrid || fail "the package does not depend on SimGrid's library"
    ;;
  *) fail "unknown case $case" ;;
esac
echo "ok: install $case"
