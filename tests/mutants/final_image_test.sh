#!/usr/bin/env bash
# The disk image after the final CP, judged through `failsim check`: a run
# with no fault, so no node loads an aggregate from its disks after boot,
# by a failsim built with a broken variant whose CP image is wrong
# while its memory is right (cp_drops_mode: each inode's mode left out). Only
# the image loaded after the final CP shows it: the check must be VIOLATED,
# with image_matches_memory naming a path and both values. The correct
# failsim must hold on the same scenario (so the scenario is not the cause).
# Usage: final_image_test.sh FAILSIM FAILSIM_VARIANT
set -uo pipefail
correct=$(realpath "$1") variant=$(realpath "$2")
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >calm.json <<'JSON'
{
  "name": "calm",
  "description": "Two clients on each aggregate, no fault: nothing is loaded from disk before the run ends.",
  "workload": {"clients": 4, "ops_per_client": 200, "think_time_s": 0.002},
  "faults": [],
  "phases": {"fault_phase_s": 1, "settle_s": 10}
}
JSON

"$correct" check calm.json --out ok >ok.txt 2>&1
status=$?
[ "$status" = 0 ] || { cat ok.txt; fail "the correct failsim exited $status on calm.json"; }
grep -q '"kind":"final_cp"' ok/events.jsonl || fail "no final_cp event in the correct run"
grep -q '"flushed":false' ok/events.jsonl && fail "a final CP of the correct run did not finish"
cmp -s <(python3 -c 'import json,sys; print(json.load(open("ok/final-state.json")))') \
       <(python3 -c 'import json,sys; print(json.load(open("ok/memory-state.json")))') ||
  fail "the correct run's disk image differs from its memory"

"$variant" check calm.json --out broken >broken.txt 2>&1
status=$?
cat broken.txt
[ "$status" = 1 ] || fail "the broken variant exited $status, expected 1 (VIOLATED)"
grep -q 'VERDICT: VIOLATED' broken.txt || fail "no VERDICT: VIOLATED"
grep -qE 'image_matches_memory.*aggr[01]: the disk image after n[01].s final CP at [0-9.]+ s differs from n[01].s memory at /c[0-9]+[^:]*: on disk (dir|file) mode 0[ ,].*in memory (dir|file) mode [1-9]' broken.txt ||
  fail "image_matches_memory does not name the path and both modes"
# No fault: each aggregate is loaded once, at boot, from the freshly
# formatted disks, and never again while the run lasts; before the final
# image was judged, nothing could show the broken image.
[ "$(grep -c '"kind":"aggregate_loaded"' broken/events.jsonl)" = 2 ] || fail "the calm run loaded an aggregate after boot"
echo "cp_drops_mode: caught by image_matches_memory on a run with no fault"
