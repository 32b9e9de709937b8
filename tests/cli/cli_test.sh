#!/usr/bin/env bash
# End-to-end tests of the failsim command line: exit statuses (0 holds,
# 1 violated, 2 bad input), messages that name the file and JSON path, run
# folders, and bounded random campaigns (in and out of the envelope).
# Usage: cli_test.sh FAILSIM SOURCE_DIR CASE [SCENARIO]
set -uo pipefail
failsim=$1 src=$2 case=$3 scenario=${4:-}
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
determinism)
  expect 0 "$failsim" run --check-determinism --out d
  contains "determinism: two runs wrote the same 13 files"
  [ -d d ] && [ ! -e d.determinism-check ] || fail "determinism check left the wrong folders: $(ls)"
  ;;
determinism_of)
  # A library scenario, run twice: every output byte the same.
  expect 0 "$failsim" run "$scenario" --check-determinism --out d
  contains "determinism: two runs wrote the same"
  ;;
limits)
  # Wall clock: the simulation is stopped, nothing is left under the name.
  expect 3 "$failsim" run --max-wall-s 0.05 --out w
  contains "stopped at the wall-clock limit of 0.05 s"
  [ -z "$(ls)" ] || [ "$(ls)" = out.txt ] || fail "a stopped run left: $(ls)"
  expect 2 "$failsim" run --max-wall-s -1
  # Simulated time: aggr0's only shelf fails and its owner crashes, so it
  # is never served again; the run ends at fault_phase_s + settle_s.
  cat >never.json <<'JSON'
{"name": "never-settles", "workload": {"clients": 2, "ops_per_client": 200},
 "faults": [{"kind": "shelf_fail", "at_s": 1, "target": "shelf0"}, {"kind": "node_crash", "at_s": 1.5, "node": "n0"}],
 "phases": {"fault_phase_s": 3, "settle_s": 5}}
JSON
  expect 1 "$failsim" check never.json
  contains "did not settle by the simulated-time limit of 8.000 s"
  contains "VIOLATED liveness: aggr0 is not served at the end of the run"
  ;;
full_disk)
  # A write that fails (a file size limit stands in for a full disk, which
  # needs no root): an error naming the file, exit 2, nothing half-written.
  (trap '' XFSZ; ulimit -f 2000; "$failsim" run --out full >out.txt 2>&1; echo $? >status)
  [ "$(cat status)" = 2 ] || { cat out.txt; fail "run on a full disk exited $(cat status)"; }
  contains "history.jsonl: cannot write: File too large (nothing is kept under full)"
  [ -z "$(ls -d full* 2>/dev/null)" ] || fail "a failed run left: $(ls -d full*)"
  # Rewriting the reports of a complete folder: each file is replaced whole or not at all.
  expect 0 "$failsim" run --out r
  sha256sum r/* >before
  (trap '' XFSZ; ulimit -f 100; "$failsim" check r >out.txt 2>&1; echo $? >status)
  [ "$(cat status)" = 2 ] || { cat out.txt; fail "check on a full disk exited $(cat status)"; }
  contains "cannot write: File too large"
  # verdict.json and report.json (small) are written before trace.json fails:
  # each is whole; every file after them is untouched.
  python3 -c 'import json; json.load(open("r/verdict.json")); json.load(open("r/report.json"))' || fail "a half-written file"
  grep -v -e verdict.json -e report.json before | sha256sum -c --quiet - || fail "a failed write changed the run folder"
  [ -z "$(ls r | grep tmp)" ] || fail "temporary files left: $(ls r)"
  ;;
hostile_text)
  # Text from a scenario reaches the terminal as text, and never picks the
  # folder a run goes to.
  printf '{"name": "<script>alert(1)</script>\\u001b[31m\\u202e../../x", "workload": {"clients": 1, "ops_per_client": 10}}' >h.json
  expect 0 "$failsim" run h.json
  contains '<script>alert(1)</script>\x1b[31m\u{202e}../../x (seed 1)'
  ! grep -q $'\x1b' out.txt || fail "an escape character reached the terminal"
  [ -d "runs/_script_alert_1___script___31m___.._.._x-seed1" ] || fail "unexpected run folder: $(ls runs)"
  [ "$(ls -A)" = "$(printf 'h.json\nout.txt\nruns')" ] || fail "wrote outside runs/: $(ls -A)"
  printf '{"\\u001b[2J": 1, "name": "\\u0007"}' >k.json
  expect 2 "$failsim" validate k.json
  ! grep -q $'[\x07\x1b]' out.txt || fail "a control character reached the terminal"
  # Bytes that are not UTF-8 are refused with the place named.
  printf '{"name": "\xff\xfe"}' >bad.json
  expect 2 "$failsim" validate bad.json
  contains "bad.json"
  ! grep -qP '[\x80-\xff]' out.txt || fail "raw non-UTF-8 bytes reached the terminal"
  ;;
*) fail "unknown case $case" ;;
esac
echo "PASS: $case"
