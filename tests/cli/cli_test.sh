#!/usr/bin/env bash
# End-to-end tests of the failsim command line: exit statuses (0 holds,
# 1 violated, 2 bad input), messages that name the file and JSON path, run
# folders, and bounded random campaigns (in and out of the envelope).
# Usage: cli_test.sh FAILSIM SOURCE_DIR CASE
set -uo pipefail
failsim=$1 src=$2 case=$3
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS CMD...: runs CMD, keeps its output in out.txt, checks the exit status.
expect() {
  local want=$1; shift
  "$@" >out.txt 2>&1; local got=$?
  [ "$got" = "$want" ] || { cat out.txt; fail "$* exited $got, expected $want"; }
}
contains() { grep -qF -- "$1" out.txt || { cat out.txt; fail "output lacks: $1"; }; }

case $case in
run_default)
  expect 0 "$failsim" run
  for f in history.jsonl events.jsonl final-state.json summary.json scenario.json; do
    [ -s runs/default-seed1/$f ] || fail "runs/default-seed1/$f missing"
  done
  expect 2 "$failsim" run
  contains "already exists (use --force"
  expect 0 "$failsim" run --force
  # The scenario.json a run keeps replays the same run, byte for byte.
  expect 0 "$failsim" run runs/default-seed1/scenario.json --out again
  cmp runs/default-seed1/history.jsonl again/history.jsonl || fail "replay from scenario.json differs"
  expect 0 "$failsim" check runs/default-seed1
  contains "VERDICT: OK"
  ;;
validate_errors)
  printf '{"workload": {"clents": 3}}' >typo.json
  expect 2 "$failsim" validate typo.json
  contains "typo.json"
  contains "$.workload.clents: unknown key (did you mean 'clients'?)"
  printf '{"workload": {"clients": 0}}' >range.json
  expect 2 "$failsim" validate range.json
  contains "$.workload.clients"
  printf '{"name": "x",' >broken.json
  expect 2 "$failsim" validate broken.json
  contains "broken.json"
  expect 2 "$failsim" run broken.json
  [ ! -e runs ] || fail "an invalid scenario left a run folder behind"
  expect 2 "$failsim" validate missing.json
  contains "missing.json"
  expect 0 "$failsim" validate "$src"/scenarios/default.json "$src"/scenarios/basic-takeover.json
  ;;
check_violation)
  expect 0 "$failsim" run --out r
  # Lose one acknowledged file: the checker must name it and exit 1.
  python3 - <<'PY'
import json
s = json.load(open("r/final-state.json"))
for paths in s["aggregates"].values():
    victim = next((p for p, e in paths.items() if e["type"] == "file"), None)
    if victim:
        del paths[victim]
        break
json.dump(s, open("r/final-state.json", "w"))
PY
  expect 1 "$failsim" check r
  contains "VIOLATED"
  [ "$(python3 -c 'import json; print(json.load(open("r/verdict.json"))["valid"])')" = False ] || fail "verdict.json"
  expect 2 "$failsim" check nowhere
  ;;
check_scenario)
  expect 0 "$failsim" check "$src"/scenarios/basic-takeover.json --seed 3
  contains "VERDICT: OK"
  [ -f runs/basic-takeover-seed3/verdict.json ] || fail "no verdict.json"
  # Out of the envelope: the loss must be reported, and is then expected.
  expect 0 "$failsim" check "$src"/scenarios/battery-loss-both.json
  ;;
random_campaign)
  expect 0 "$failsim" check --random 60 --seed 1 --jobs 2
  contains "random scenarios: 60 run, 0 violated, 0 died, 0 undecided (seed 1)"
  # The same seed gives the same campaign, whatever the parallelism. (Only
  # stdout: under sanitizers each forked child may warn on stderr.)
  "$failsim" check --random 60 --seed 1 --jobs 2 >first.txt 2>/dev/null
  "$failsim" check --random 60 --seed 1 --jobs 1 >second.txt 2>/dev/null
  cmp first.txt second.txt || fail "the same seed gave a different campaign"
  ;;
random_out_of_envelope)
  expect 0 "$failsim" check --random 20 --seed 2 --jobs 2 --out-of-envelope
  contains "nvram_battery_loss: 40 / 40"
  ;;
*) fail "unknown case $case" ;;
esac
echo "PASS: $case"
