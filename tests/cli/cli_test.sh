#!/usr/bin/env bash
# End-to-end tests of the failsim command line: exit statuses (0 holds,
# 1 violated, 2 bad input, 3 failsim failed or the wall-clock limit, 4
# undecided), messages that name the file and JSON path, run folders, and
# bounded random campaigns (in and out of the envelope) with their result files.
# Usage: cli_test.sh FAILSIM SOURCE_DIR CASE [SCENARIO]
set -uo pipefail
failsim=$1 src=$2 case=$3 scenario=${4:-}
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"

# shellcheck source=../cli/expect.sh
source "$src/tests/cli/expect.sh"

case $case in
run_default)
  expect 0 "$failsim" run
  for f in history.jsonl events.jsonl final-state.json memory-state.json summary.json scenario.json; do
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
  # A stated loss needs a loss to state.
  printf '{"expect": {"loss_only_acked_after_s": 1}}' >loss.json
  expect 2 "$failsim" validate loss.json
  contains "loss.json: \$.expect.loss_only_acked_after_s: expected only with expect.data_loss true"
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
plexes_in_sync)
  # A mirrored aggregate loses a plex's shelf, gets it back, and the plex is
  # resynchronised: the run holds, and its plex_state event says both plexes
  # are in use and equal. The same folder doctored - the plexes differ, or a
  # plex is still stale with nothing left failed - must be a violation.
  cat >mirror.json <<'JSON'
{"name": "mirror", "seed": 4,
 "cluster": {"nodes": ["n0", "n1"],
   "hbas": [{"name": "n0.a", "node": "n0"}, {"name": "n0.b", "node": "n0"}, {"name": "n1.a", "node": "n1"}, {"name": "n1.b", "node": "n1"}],
   "loops": [{"name": "loopA", "hbas": ["n0.a", "n1.a"], "shelves": ["shelf0"]}, {"name": "loopB", "hbas": ["n0.b", "n1.b"], "shelves": ["shelf1"]}],
   "shelves": [{"name": "shelf0", "pool": 0, "disks": 2}, {"name": "shelf1", "pool": 1, "disks": 2}],
   "aggregates": [{"name": "aggr0", "owner": "n0", "plexes": [["shelf0"], ["shelf1"]], "blocks": 4096}]},
 "server": {"cp_interval_s": 0.2},
 "workload": {"clients": 2, "ops_per_client": 300},
 "faults": [{"kind": "shelf_fail", "target": "shelf1", "at_s": 0.3}, {"kind": "shelf_repair", "target": "shelf1", "at_s": 0.8}],
 "phases": {"fault_phase_s": 1, "settle_s": 20}}
JSON
  expect 0 "$failsim" check mirror.json --out r
  contains "VERDICT: OK"
  python3 - <<'PY' || fail "the run has no finished resync or no plex_state event saying the plexes are equal"
import json, sys
events = [json.loads(l) for l in open("r/events.jsonl")]
finished = [e for e in events if e["kind"] == "resync_finished"]
states = [e for e in events if e["kind"] == "plex_state"]
ok = (len(finished) == 1 and finished[0]["plex"] == 1 and finished[0]["from_plex"] == 0
      and finished[0]["bytes"] == 4096 * 4096 and finished[0]["differing_blocks"] > 0
      and len(states) == 1 and states[0]["stale"] == [False, False] and states[0]["differing_blocks"] == 0
      and states[0]["failed_components"] == 0)
sys.exit(0 if ok else 1)
PY
  doctor() {  # doctor STALE DIFFERING FAILED: rewrites the plex_state event of a copy of r, as d
    rm -rf d && cp -r r d && rm -f d/verdict.json
    python3 - "$@" <<'PY'
import json, sys
stale, differing, failed = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
lines = open("d/events.jsonl").read().splitlines()
for i, l in enumerate(lines):
    e = json.loads(l)
    if e["kind"] == "plex_state":
        e.update(stale=stale, differing_blocks=differing, failed_components=failed)
        lines[i] = json.dumps(e, sort_keys=True, separators=(",", ":"))
open("d/events.jsonl", "w").write("\n".join(lines) + "\n")
PY
  }
  doctor '[false, false]' 3 0
  expect 1 "$failsim" check d
  contains "plexes_in_sync: aggr0: plexes 0 and 1 are both in use and hold 3 blocks of the image differently"
  doctor '[false, true]' 0 0
  expect 1 "$failsim" check d
  contains "plexes_in_sync: aggr0: plex 1 is still stale"
  # A stale plex may differ while a component is still failed: no violation.
  doctor '[false, true]' 3 1
  expect 0 "$failsim" check d
  contains "VERDICT: OK"
  ;;
parity_consistent)
  # A RAID-4 run's scrub finds its parity consistent; the same folder with a
  # scrub that found bad stripes must be a violation.
  expect 0 "$failsim" check "$src/scenarios/raid4-disk-rebuild.json" --out r
  python3 - <<'PY' || fail "the run has no raid_scrub event finding every stripe consistent"
import json, sys
scrubs = [json.loads(l) for l in open("r/events.jsonl") if '"raid_scrub"' in l]
sys.exit(0 if len(scrubs) == 2 and all(s["ok"] and s["mismatched_stripes"] == 0 for s in scrubs) else 1)
PY
  rm -rf d && cp -r r d && rm -f d/verdict.json
  python3 - <<'PY'
import json
lines = open("d/events.jsonl").read().splitlines()
for i, l in enumerate(lines):
    e = json.loads(l)
    if e["kind"] == "raid_scrub" and e["aggregate"] == "aggr0":
        e.update(mismatched_stripes=2, ok=False)
        lines[i] = json.dumps(e, sort_keys=True, separators=(",", ":"))
open("d/events.jsonl", "w").write("\n".join(lines) + "\n")
PY
  expect 1 "$failsim" check d
  contains "parity_consistent: aggr0 plex 0: 2 stripes whose parity disagrees with their data"
  ;;
lost_aggregate)
  # RAID-4 beyond its tolerance: aggr0's group fails, the rebuild under way
  # is abandoned and none starts for the second disk; the stated loss of
  # aggr0 is expected damage, and aggr1 is judged as usual.
  expect 0 "$failsim" check "$src/scenarios/raid4-double-failure.json" --out r
  contains "EXPECTED liveness: aggr0 is not served at the end of the run: lost, as the scenario expects"
  python3 - <<'PY' || fail "raid4-double-failure: group failure, abandoned rebuild, verdict"
import json
ev = [json.loads(l) for l in open("r/events.jsonl")]
failed = [e for e in ev if e["kind"] == "raid_group_failed"]
assert [(e["aggregate"], e["disk"]) for e in failed] == [("aggr0", "shelf0.d4")], failed
started = [e["disk"] for e in ev if e["kind"] == "raid_rebuild_started"]
assert started == ["shelf0.d0"], started
finished = [e for e in ev if e["kind"] == "raid_rebuild_finished"]
assert len(finished) == 1 and not finished[0]["ok"], finished
v = json.load(open("r/verdict.json"))
assert v["outcome"] == "held" and v["violations"] == [], v
PY
  # Lost for no reason: without the group failure the same folder is a liveness violation.
  rm -rf d && cp -r r d && rm -f d/verdict.json
  grep -v '"raid_group_failed"' r/events.jsonl > d/events.jsonl
  expect 1 "$failsim" check d
  contains "aggr0 is not served at the end of the run, and the scenario expects it lost, but only 0 of its 1 plexes lost a RAID group"
  # An aggregate expected lost that is served is a violated expectation.
  python3 - "$src/scenarios/raid4-double-failure.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["expect"]["lost_aggregates"] = ["aggr0", "aggr1"]
json.dump(s, open("both.json", "w"))
PY
  expect 1 "$failsim" check both.json --out b
  contains "aggr1 is served at the end of the run; the scenario expects it lost"
  ;;
check_scenario)
  expect 0 "$failsim" check "$src"/scenarios/basic-takeover.json --seed 3
  contains "VERDICT: OK"
  [ -f runs/basic-takeover-seed3/verdict.json ] || fail "no verdict.json"
  # An existing run folder is replaced only with --force, as by `run`.
  touch runs/basic-takeover-seed3/mine.txt
  expect 2 "$failsim" check "$src"/scenarios/basic-takeover.json --seed 3
  contains "already exists (use --force"
  [ -f runs/basic-takeover-seed3/mine.txt ] || fail "check FILE replaced a run folder without --force"
  expect 0 "$failsim" check "$src"/scenarios/basic-takeover.json --seed 3 --force
  [ ! -e runs/basic-takeover-seed3/mine.txt ] || fail "--force did not replace the run folder"
  expect 0 "$failsim" check "$src"/scenarios/basic-takeover.json --out elsewhere
  [ -f elsewhere/verdict.json ] || fail "--out: no elsewhere/verdict.json"
  # Out of the envelope: the loss must be reported, and is then expected,
  # and shown: on the terminal, in verdict.json, on the page.
  expect 0 "$failsim" check "$src"/scenarios/battery-loss-both.json
  contains "EXPECTED "
  contains "expected damage (the scenario states it):"
  python3 - <<'PY' || fail "verdict.json of battery-loss-both"
import json
v = json.load(open("runs/battery-loss-both-seed1/verdict.json"))
assert v["outcome"] == "held" and v["valid"] is True, v
assert v["violations"] == [] and len(v["expected_violations"]) > 0, v
PY
  grep -q "Expected damage (the scenario states it)" runs/battery-loss-both-seed1/report.html || fail "report.html hides the damage"
  ;;

random_campaign)
  expect 0 "$failsim" check --random 60 --seed 1 --jobs 2
  contains "random scenarios: 60 run, 0 violated, 0 timed out, 0 died, 0 undecided (seed 1)"
  # Without --seed, a fresh seed each time, printed first. (Its cases are
  # new each time: their verdict is not what this checks.)
  "$failsim" check --random 2 >out.txt 2>&1
  grep -qE '^seed [0-9]+ \(fresh; --seed [0-9]+ reruns these cases\)$' out.txt || { cat out.txt; fail "no fresh seed line"; }
  first_seed=$(head -1 out.txt)
  "$failsim" check --random 2 >out.txt 2>&1
  [ "$(head -1 out.txt)" != "$first_seed" ] || fail "two campaigns drew the same fresh seed"
  expect 2 "$failsim" check --random 2 --case 1
  contains "check --case needs the campaign's --seed"
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
  contains "determinism: two runs wrote the same 14 files"
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
  # Simulated time: a disk of aggr0's only plex fails and its owner crashes;
  # the settle phase replaces the disk by a blank one, which brings nothing
  # back, so aggr0 is never served again; the run ends at fault_phase_s +
  # settle_s. (A failed shelf would be repaired and aggr0 served again.)
  cat >never.json <<'JSON'
{"name": "never-settles", "workload": {"clients": 2, "ops_per_client": 200},
 "faults": [{"kind": "disk_fail", "at_s": 1, "target": "shelf0.d0"}, {"kind": "node_crash", "at_s": 1.5, "node": "n0"}],
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
exit_statuses)
  # 4: undecided with nothing violated (a search budget far too small);
  # verdict.json does not call it valid. --allow-undecided passes it.
  cat >busy.json <<'JSON'
{"name": "busy", "workload": {"clients": 4, "loop": "open", "rate_per_s": 400, "namespace_mode": "shared",
 "ops_per_client": 300, "retry_limit": 1},
 "faults": [{"kind": "node_crash", "at_s": 0.3, "node": "n0"},
            {"kind": "client_message_loss", "at_s": 0.2, "probability": 0.3, "duration_s": 1}],
 "phases": {"fault_phase_s": 2, "settle_s": 20}}
JSON
  expect 4 "$failsim" check busy.json --out b --search-states 1
  contains "VERDICT: UNDECIDED"
  ! grep -q "OK where decided" out.txt || fail "an undecided run read as OK"
  [ "$(python3 -c 'import json; v = json.load(open("b/verdict.json")); print(v["outcome"], v["valid"])')" = "undecided False" ] ||
    fail "verdict.json of an undecided run: $(cat b/verdict.json)"
  expect 4 "$failsim" check b --search-states 1
  expect 0 "$failsim" check b --search-states 1 --allow-undecided
  # 3: the wall-clock limit, for one scenario and in a campaign. A timed-out
  # case is a timeout, kept under --keep with its scenario, never shrunk.
  expect 3 "$failsim" check "$src"/scenarios/default.json --max-wall-s 0.001
  expect 3 "$failsim" check --random 4 --seed 9 --max-wall-s 0.001 --keep kept
  contains "random scenarios: 4 run, 0 violated, 4 timed out, 0 died, 0 undecided (seed 9)"
  contains "reproduce (timeout): failsim check --random 4 --seed 9 --max-wall-s 0.001 --case 0"
  contains "VERDICT: TIMEOUT"
  ! grep -q "shrunk" out.txt || fail "a timed-out case was shrunk"
  [ -z "$(ls shrunk-* 2>/dev/null)" ] || fail "a timed-out case was shrunk: $(ls shrunk-*)"
  for i in 0 1 2 3; do
    python3 -c "import json, sys; json.load(open(sys.argv[1]))['workload']" kept/case-$i.json || fail "kept/case-$i.json"
  done
  # 2: options that do not apply to the chosen mode.
  expect 0 "$failsim" run --out r
  expect 2 "$failsim" check r --random 3
  contains "check --random takes no run folder or scenario file"
  expect 2 "$failsim" check r --jobs 2
  contains "check of a run folder does not take --jobs"
  expect 2 "$failsim" check r --seed 3 --keep x --no-shrink
  contains "does not take --keep, --no-shrink, --seed"
  expect 2 "$failsim" check "$src"/scenarios/default.json --jobs 2
  contains "check of a scenario file does not take --jobs"
  expect 2 "$failsim" check --random 2 --out x
  contains "check of a campaign (--random) does not take --out"
  [ -z "$(ls runs 2>/dev/null)" ] || fail "a refused command ran something: $(ls runs)"
  expect 2 "$failsim" chek r
  contains "failsim: unknown command 'chek' (did you mean 'check'?)"
  # Every status is documented in --help; --version names the build.
  expect 0 "$failsim" --help
  contains "4 undecided"
  expect 0 "$failsim" check --help
  contains "3 failsim itself failed"
  expect 0 "$failsim" --version
  grep -qE '^failsim [0-9]+\.[0-9]+\.[0-9]+' out.txt || { cat out.txt; fail "--version"; }
  ;;
owner_liveness)
  # n0 crashes and its aggregate is taken over; the settle phase is too short
  # for n0 to boot and get it back. With automatic giveback that is a
  # liveness violation; with giveback "never", or when the scenario says
  # so, it is not.
  cat >late.json <<'JSON'
{"name": "late", "workload": {"clients": 2, "ops_per_client": 100},
 "faults": [{"kind": "node_crash", "at_s": 0.7, "node": "n0"}],
 "phases": {"fault_phase_s": 1, "settle_s": 4}}
JSON
  expect 1 "$failsim" check late.json --out late
  contains "not every aggregate was served by its owner"
  contains "VIOLATED liveness: aggr0 is served by n1 at the end of the run, not by its owner n0 (giveback is automatic)"
  python3 - <<'PY'
import json
s = json.load(open("late.json"))
s["server"] = {"giveback": {"mode": "never"}}
json.dump(s, open("never.json", "w"))
s["server"] = {}
s["expect"] = {"owner_serves_at_end": False}
json.dump(s, open("waived.json", "w"))
PY
  expect 0 "$failsim" check never.json --out never
  expect 0 "$failsim" check waived.json --out waived
  ;;
campaign_report)
  # campaign.json and junit.xml, for a CI job to read, naming the build as --version does.
  expect 0 "$failsim" check --random 6 --seed 3 --report rep
  python3 - "$("$failsim" --version)" <<'PY' || fail "campaign.json / junit.xml"
import json, sys
import xml.etree.ElementTree as ET
c = json.load(open("rep/campaign.json"))
assert c["seed"] == 3 and c["cases_run"] == 6 and c["exit_status"] == 0, c
assert c["build"] == sys.argv[1], (c["build"], sys.argv[1])
assert [x["case"] for x in c["cases"]] == list(range(6))
for x in c["cases"]:
    assert x["outcome"] == "held" and len(x["scenario_digest"]) == 64 and x["wall_s"] >= 0, x
    assert x["reproduce"] == "failsim check --random 6 --seed 3 --case %d" % x["case"], x
    assert isinstance(x["faults_scheduled"], list) and isinstance(x["faults_fired"], list)
root = ET.parse("rep/junit.xml").getroot()
assert root.tag == "testsuites"
suite = root.find("testsuite")
assert suite.get("tests") == "6" and suite.get("failures") == "0" and suite.get("errors") == "0"
assert len(suite.findall("testcase")) == 6
assert [p.get("value") for p in suite.iter("property") if p.get("name") == "build"] == [sys.argv[1]]
PY
  # A failing campaign: each failing case in junit.xml with its reproduce line.
  expect 3 "$failsim" check --random 3 --seed 9 --max-wall-s 0.001 --report bad
  python3 - <<'PY' || fail "junit.xml of a failing campaign"
import json
import xml.etree.ElementTree as ET
c = json.load(open("bad/campaign.json"))
assert c["exit_status"] == 3 and c["counts"]["timeout"] == 3, c
suite = ET.parse("bad/junit.xml").getroot().find("testsuite")
assert suite.get("errors") == "3", suite.attrib
for case in suite.findall("testcase"):
    e = case.find("error")
    assert e is not None and e.get("type") == "timeout", ET.tostring(case)
    assert "reproduce: failsim check --random 3 --seed 9 --max-wall-s 0.001 --case" in e.text, e.text
PY
  # A time budget stops starting cases and says so.
  expect 0 "$failsim" check --random 100000 --seed 4 --time-budget 1 --report budget
  contains "time budget: 1 s reached;"
  python3 -c 'import json; c = json.load(open("budget/campaign.json")); assert c["time_budget_reached"] and 0 < c["cases_run"] < 100000, c' ||
    fail "campaign.json of a time-budgeted campaign"
  ;;
campaign_stop)
  # SIGTERM stops a campaign: no new case, the running ones stopped, the
  # partial summary printed and written, the temporary folder removed.
  mkdir tmp
  TMPDIR=$work/tmp "$failsim" check --random 100000 --seed 5 --jobs 2 --report rep >out.txt 2>err.txt &
  pid=$!
  # Stopped once a case has finished (its result file is in the work
  # folder), so the summary has cases to cover: a fixed sleep was too short
  # under the sanitizers on a loaded machine (no case done after 2 s).
  for _ in $(seq 600); do
    ls tmp/*/case-*.json >/dev/null 2>&1 && break
    sleep 0.2
  done
  sleep 1
  kill -TERM $pid
  wait $pid; status=$?
  [ "$status" = 143 ] || { cat out.txt err.txt; fail "a stopped campaign exited $status, expected 143"; }
  contains "stopped by signal 15 (Terminated):"
  contains "VERDICT: STOPPED (the cases run held)"
  # The campaign cleans up after its cases have been judged; no process of
  # its group runs the interrupt handler, which would remove the work folder
  # under a case whose result is still to be read ("left no result").
  ! grep -q "failsim: interrupted by" err.txt || { cat err.txt; fail "a process of the campaign's group ran the interrupt cleanup"; }
  [ -z "$(ls tmp)" ] || fail "a stopped campaign left: $(ls tmp)"
  python3 -c 'import json; c = json.load(open("rep/campaign.json")); assert c["stopped_by_signal"] == 15 and c["exit_status"] == 143 and 0 < c["cases_run"] < 100000, c' ||
    fail "campaign.json of a stopped campaign"
  sleep 0.5
  for f in /proc/[0-9]*/cmdline; do  # the campaign's children carry its command line
    ! tr '\0' ' ' <"$f" 2>/dev/null | grep -qF -- "--random 100000 --seed 5 --jobs 2 --report rep" ||
      fail "a case still runs after the stop"
  done
  ;;
exhaustive)
  # Bounded-exhaustive crash points: every point the scenario's run counted
  # is reached again by its case (each scheduled point fault fires), every
  # point kind has points, and the cases hold on the correct core.
  sc="$src"/scenarios/exhaustive-takeover.json
  expect 0 "$failsim" check "$sc" --exhaustive --jobs 2 --report rep
  contains "VERDICT: OK"
  python3 - <<'PY' || fail "campaign.json of an exhaustive enumeration"
import json
c = json.load(open("rep/campaign.json"))
assert c["exhaustive"].endswith("exhaustive-takeover.json") and c["random"] == 0, c["exhaustive"]
assert c["cases_run"] == c["cases_planned"] > 100, c["cases_run"]
kinds = c["fault_kinds"]
for k, n in kinds.items():
    assert n["scheduled"] == n["fired"], (k, n)
    # crash_during_replay: only the node that takes over replays.
    assert n["scheduled"] > 0, (k, n)
assert sum(n["scheduled"] for n in kinds.values()) == c["cases_run"]
PY
  # A bound spreads the cases; --case reruns one; --keep keeps its scenario,
  # which replays alone.
  expect 0 "$failsim" check "$sc" --exhaustive --max-points 20 --jobs 2
  contains "bounded: 20 of them, spread evenly (--max-points 20)"
  contains "exhaustive points: 20 run, 0 violated"
  expect 0 "$failsim" check "$sc" --exhaustive --case 7 --keep kept
  [ -s kept/case-7.json ] || fail "--case 7 --keep kept no scenario"
  expect 0 "$failsim" check kept/case-7.json --out replay
  # A settle phase too short for a crashed node to boot and serve again is
  # named before the cases run.
  printf '{"name": "short", "workload": {"clients": 1, "ops_per_client": 0}, "phases": {"fault_phase_s": 1, "settle_s": 5}}' >short.json
  expect 0 "$failsim" check short.json --exhaustive --max-points 1
  contains "warning: phases.settle_s (5 s) is under twice server.boot_time_s (5 s)"
  # Misuse.
  expect 2 "$failsim" check "$sc" --exhaustive --case 100000
  contains "--case 100000: the enumeration has cases 0 to"
  expect 2 "$failsim" check "$sc" --max-points 5
  contains "does not take --max-points"
  expect 2 "$failsim" check "$sc" --exhaustive --out x
  contains "does not take --out"
  expect 2 "$failsim" check replay --exhaustive
  contains "needs a scenario file"
  ;;
report_storage)
  # The storage section of the reports, end to end: the RAID-4 scenario's
  # rebuild (one disk's share of the aggregate at the reconstruction rate,
  # both read off the run's scenario.json), the degraded group it restores;
  # the mirrored scenario's resync; and none of it for the default run.
  expect 0 "$failsim" run "$src"/scenarios/raid4-disk-rebuild.json --out raid
  expect 0 "$failsim" report raid
  python3 - <<'PY' || fail "raid4-disk-rebuild: report.json lacks the rebuild or its degraded window"
import json, sys
sc = json.load(open("raid/scenario.json"))
r = json.load(open("raid/report.json"))["storage"]
a = next(a for a in sc["cluster"]["aggregates"] if a["name"] == "aggr0")
shelf = next(s for s in sc["cluster"]["shelves"] if s["name"] == a["plexes"][0][0])
data_disks = shelf["disks"] - shelf["spares"] - 1  # RAID-4: one parity disk, one group
disk_bytes = a["blocks"] * sc["server"]["block_size"] // data_disks
want_s = disk_bytes / a["raid"]["reconstruct_rate_Bps"]
print("rebuild bytes", disk_bytes, "expected", want_s, "s; report:", r["rebuilds"])
assert disk_bytes == 64 << 20 and abs(want_s - 3.3554432) < 1e-12, (disk_bytes, want_s)
[b] = r["rebuilds"]
assert (b["aggregate"], b["plex"], b["group"], b["disk"], b["target"], b["outcome"]) == \
    ("aggr0", 0, 0, "shelf0.d1", "spare", "finished"), b
assert b["bytes"] == disk_bytes and abs(b["duration_s"] - want_s) < 1e-9, b
assert abs(b["rate_Bps"] - a["raid"]["reconstruct_rate_Bps"]) < 1e-3, b
[w] = [w for w in r["degraded"] if w["aggregate"] == "aggr0"]
assert w["restored"] and w["max_missing_disks"] == 1 and not w["beyond_tolerance"], w
assert abs(w["start_s"] - b["start_s"]) < 1e-9 and w["end_s"] == b["end_s"], (w, b)
assert r["degraded_latency"]["degraded"]["count"] > 0, r["degraded_latency"]
assert r["scrub"]["plexes_scrubbed"] == 2 and r["scrub"]["mismatched_stripes"] == 0, r["scrub"]
PY
  grep -q 'id="storage"' raid/report.html || fail "report.html has no storage section"
  [ "$(wc -l <raid/rebuilds.csv)" = 2 ] || fail "rebuilds.csv: $(cat raid/rebuilds.csv)"
  expect 0 "$failsim" run "$src"/scenarios/plex-resync.json --out plex
  expect 0 "$failsim" report plex
  python3 - <<'PY' || fail "plex-resync: report.json lacks the resync"
import json
sc = json.load(open("plex/scenario.json"))
r = json.load(open("plex/report.json"))["storage"]
a = next(a for a in sc["cluster"]["aggregates"] if a["name"] == "aggr0")
want_s = a["blocks"] * sc["server"]["block_size"] / sc["timing"]["resync_rate_Bps"]
print("resync expected", want_s, "s; report:", r["resyncs"])
[x] = r["resyncs"]
assert (x["aggregate"], x["plex"], x["from_plex"], x["node"], x["outcome"]) == ("aggr0", 1, 0, "n0", "finished"), x
assert abs(x["duration_s"] - want_s) < 1e-9, x
assert [p["stale"] for p in r["plex_states"]] == [[False, False], [False, False]], r["plex_states"]
[w] = r["degraded"]  # the shelf of aggr0's plex 1, until its repair
assert (w["aggregate"], w["plex"], w["beyond_tolerance"], w["restored"]) == ("aggr0", 1, True, True), w
PY
  expect 0 "$failsim" run --out plain
  ! grep -q '"storage"' plain/report.json || fail "a run without storage events has a storage section"
  [ ! -e plain/rebuilds.csv ] || fail "a run without storage events has rebuilds.csv"
  ;;
*) fail "unknown case $case" ;;
esac
echo "PASS: $case"
