#!/usr/bin/env bash
# End-to-end tests of `failsim sweep`: shards merged equal the unsharded
# sweep byte for byte, the same sweep gives the same bytes, bad input of
# every class exits 2 naming the path and leaves nothing behind, shard sets
# that overlap or lack a shard are refused, a violation exits 1 with a
# command that reproduces it, and sweep.html is well-formed with hostile
# text escaped. Usage: sweep_test.sh FAILSIM SOURCE_DIR CASE
set -uo pipefail
failsim=$1 src=$2 case=$3
tests=$src/tests/sweep
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$tests"/tiny.json "$tests"/tiny-sweep.json .

# shellcheck source=../cli/expect.sh
source "$src/tests/cli/expect.sh"
# same_folder A B: the two folders hold the same files with the same bytes.
same_folder() {
  diff -r "$1" "$2" >diff.txt || { head -50 diff.txt; fail "$1 and $2 differ"; }
  [ -s "$1/sweep.json" ] && [ -s "$1/results.csv" ] && [ -s "$1/sweep.html" ] || fail "$1 lacks a file"
}
# bad NAME JSON EXPECTED...: the sweep file is refused with exit 2, each EXPECTED in the message, no folder left.
bad() {
  local name=$1 text=$2; shift 2
  printf '%s' "$text" >"$name.json"
  expect 2 "$failsim" sweep "$name.json" --out "out-$name"
  for e in "$@"; do contains "$e"; done
  ls | grep -q "out-$name" && fail "$name: a refused sweep left a folder behind"
  return 0
}

case $case in
shards_merge_equal)
  expect 0 "$failsim" sweep tiny-sweep.json --jobs 2 --out whole
  contains "sweep tiny-sweep: 8 runs, 0 violated, 0 died, 0 undecided"
  for k in 1 2 3; do expect 0 "$failsim" sweep tiny-sweep.json --shard $k/3 --out shard$k; done
  grep -q '"k": 2' shard2/sweep.json && grep -q '"n": 3' shard2/sweep.json || fail "the shard folder does not record 2/3"
  grep -q "\"digest\": \"$(python3 -c 'import json; print(json.load(open("whole/sweep.json"))["digest"])')\"" shard2/sweep.json ||
    fail "the shard folder does not record the sweep's digest"
  expect 0 "$failsim" sweep --merge shard3 shard1 shard2 --out merged
  same_folder whole merged
  for f in sweep.json results.csv sweep.html; do cmp whole/$f merged/$f || fail "merged $f differs"; done
  # The same with every run folder kept.
  expect 0 "$failsim" sweep tiny-sweep.json --jobs 2 --keep-runs --out whole-kept
  [ "$(ls whole-kept/runs | wc -l)" = 8 ] || fail "--keep-runs did not keep the 8 run folders"
  for k in 1 2; do expect 0 "$failsim" sweep tiny-sweep.json --shard $k/2 --keep-runs --out kept$k; done
  expect 0 "$failsim" sweep --merge kept1 kept2 --out merged-kept
  same_folder whole-kept merged-kept
  ;;
deterministic)
  expect 0 "$failsim" sweep tiny-sweep.json --jobs 2 --out first
  expect 0 "$failsim" sweep tiny-sweep.json --jobs 1 --out second
  same_folder first second
  # The numbers vary where they should: the takeover follows the timeout.
  python3 - <<'PY' || fail "takeover times do not follow the heartbeat timeout"
import csv
rows = list(csv.DictReader(open("first/results.csv")))
assert len(rows) == 8, rows
by = {}
for r in rows:
    by.setdefault(r["timeout_s"], []).append(float(r["takeover_s"]))
assert min(by["1.0"]) > max(by["0.5"]) + 0.4, by
PY
  expect 2 "$failsim" sweep tiny-sweep.json --out first
  contains "first: already exists (use --force"
  expect 0 "$failsim" sweep tiny-sweep.json --out first --force
  same_folder first second
  ;;
bad_input)
  bad syntax '{"base": "tiny.json",' "syntax.json: line 1, column 22"
  bad unknown '{"base": "tiny.json", "parameter": []}' "unknown.json: \$.parameter: unknown key (did you mean 'parameters'?)"
  bad field '{"base": "tiny.json", "parameters": [{"path": "/server/heartbeat_timout_s", "values": [1]}]}' \
    "field.json: \$.parameters[0].path: \"/server/heartbeat_timout_s\" is not a field" "did you mean '/server/heartbeat_timeout_s'"
  bad value '{"base": "tiny.json", "parameters": [{"path": "/server/heartbeat_timeout_s", "values": [1, -1]}]}' \
    "value.json: \$.parameters[0].values[1]: /server/heartbeat_timeout_s = -1 is refused: \$.server.heartbeat_timeout_s"
  bad point '{"base": "tiny.json", "parameters": [{"path": "/server/heartbeat_timeout_s", "values": [0.3, 1]}, {"path": "/server/heartbeat_interval_s", "values": [0.1, 0.5]}]}' \
    "point.json: \$.parameters: grid point 1 (heartbeat_timeout_s = 0.3, heartbeat_interval_s = 0.5) is refused"
  bad empty '{"base": "tiny.json", "parameters": [{"path": "/server/log_mode", "values": []}]}' \
    "empty.json: \$.parameters[0].values: expected at least one value"
  bad noseeds '{"base": "tiny.json", "seeds": []}' "noseeds.json: \$.seeds: expected at least one seed"
  bad base '{"base": "missing.json"}' "base.json: \$.base: missing.json: cannot read"
  bad figure '{"base": "tiny.json", "figures": [{"column": "x", "report": "/takeover/0/outage_s"}]}' \
    "figure.json: \$.figures[0].report: \"/takeover/0/outage_s\" is not in report.json (did you mean 'takeovers'?)"
  # A figure that turns out to be an object: found only when a run gives it; still nothing left behind.
  bad object '{"base": "tiny.json", "figures": [{"column": "x", "report": "/takeovers/0"}]}' \
    "object.json: \$.figures[0].report: report.json of run 0 has an object at /takeovers/0"
  expect 2 "$failsim" sweep tiny-sweep.json --shard 4/3 --out shard
  contains "--shard 4/3: expected K/N with 1 <= K <= N"
  expect 2 "$failsim" sweep tiny-sweep.json --shard 1-3 --out shard
  contains "--shard 1-3: expected K/N"
  expect 2 "$failsim" sweep missing-sweep.json
  contains "missing-sweep.json: cannot read"
  [ ! -e shard ] && [ ! -e sweeps ] || fail "a refused sweep left a folder behind"
  ;;
shards_refused)
  for k in 1 2 3; do expect 0 "$failsim" sweep tiny-sweep.json --shard $k/3 --out s$k; done
  expect 0 "$failsim" sweep tiny-sweep.json --shard 1/2 --out half1
  expect 2 "$failsim" sweep --merge s1 s2 --out m
  contains "shard 3/3 is missing"
  expect 2 "$failsim" sweep --merge s1 s2 s2 s3 --out m
  contains "s2: shard 2/3 again"
  expect 2 "$failsim" sweep --merge s1 s2 s3 half1 --out m
  contains "half1: shard 1/2, but s1 is shard 1/3"
  sed 's/"seeds": \[1, 2\]/"seeds": [1, 3]/' tiny-sweep.json >other.json
  expect 0 "$failsim" sweep other.json --shard 3/3 --out other3
  expect 2 "$failsim" sweep --merge s1 s2 other3 --out m
  contains "other3: a shard of another sweep"
  # A shard folder that lost a run.
  cp -r s2 s2-short
  python3 - <<'PY'
import json
j = json.load(open("s2-short/sweep.json"))
j["runs"].pop()
json.dump(j, open("s2-short/sweep.json", "w"), indent=1)
PY
  expect 2 "$failsim" sweep --merge s1 s2-short s3 --out m
  contains "is in no shard folder"
  expect 2 "$failsim" sweep --merge nowhere --out m
  contains "nowhere/sweep.json: cannot read"
  [ ! -e m ] || fail "a refused merge left a folder behind"
  ;;
violation)
  # A takeover bound that the longer timeout breaks: those runs violate the scenario's expectation.
  python3 - <<'PY'
import json
s = json.load(open("tiny-sweep.json"))
base = json.load(open("tiny.json"))
base["expect"] = {"max_takeover_s": 0.8}
s["base"] = base
json.dump(s, open("bounded.json", "w"))
PY
  expect 1 "$failsim" sweep bounded.json --jobs 2 --out bounded
  contains "sweep tiny-sweep: 8 runs, 4 violated"
  contains "reproduce run 4: failsim check bounded/runs/4/scenario.json"
  [ "$(ls bounded/runs | tr '\n' ' ')" = "4 5 6 7 " ] || fail "kept $(ls bounded/runs), expected the failing runs 4-7"
  grep -q ',violated,1,0' bounded/results.csv || fail "results.csv lacks the verdict"
  # The printed command reproduces the failure.
  expect 1 "$failsim" check bounded/runs/4/scenario.json
  contains "VIOLATED expectation"
  ;;
html)
  python3 - <<'PY'
import json
s = json.load(open("tiny-sweep.json"))
base = json.load(open("tiny.json"))
base["name"] = "<script>alert('x')</script> & co"
s["base"] = base
s["description"] = "a <b>bold</b> claim"
json.dump(s, open("hostile.json", "w"))
PY
  expect 0 "$failsim" sweep hostile.json --out hostile
  /usr/bin/python3 "$tests"/check_html.py hostile/sweep.html "<script>alert('x')</script> & co" || fail "sweep.html"
  /usr/bin/python3 "$tests"/check_html.py hostile/sweep.html "a <b>bold</b> claim" || fail "sweep.html"
  # The checker does catch what it is for.
  printf '<!DOCTYPE html><html><body><p><b>unclosed</p></body></html>' >broken.html
  /usr/bin/python3 "$tests"/check_html.py broken.html >/dev/null && fail "the checker passed a page with an unclosed element"
  [ "$(grep -o '<svg' hostile/sweep.html | wc -l)" -ge 3 ] || fail "expected a chart panel per timeout and one more"
  ;;
*) fail "unknown case $case" ;;
esac
echo "PASS: $case"
