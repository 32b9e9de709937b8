#!/usr/bin/env bash
# The random generator's point faults fire: a seeded campaign of N cases,
# and for each point-fault kind the cases that scheduled it fired it in at
# least 90% of its schedulings (seed 2034: 94-100% per kind; other seeds
# measured 81-100%, the misses a crash or power loss of the node first)
# (a case's fired count is capped at its
# scheduled count, so no kind can make up for another), each kind scheduled
# at least 15 times (1,000 cases schedule some 20 to 90 of each; about 15 s
# on two cores); and no case violated (an undecided history is the
# serialization search's budget, not a point fault's: allowed).
# Usage: point_faults_fire.sh FAILSIM CASES SEED
set -uo pipefail
failsim=$1 cases=$2 seed=$3
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
"$failsim" check --random "$cases" --seed "$seed" --jobs 2 --allow-undecided --report "$work/report" >"$work/out.txt" 2>&1
status=$?
cat "$work/out.txt"
[ "$status" = 0 ] || { echo "FAIL: the campaign exited $status"; exit 1; }
python3 - "$work/report/campaign.json" <<'PY'
import collections, json, sys
campaign = json.load(open(sys.argv[1]))
points = ["torn_mirror_write", "crash_at_cp_block", "crash_before_mirror", "crash_after_mirror", "crash_after_reply",
          "crash_during_replay", "crash_during_recovery", "power_loss_at_nvram_write"]
scheduled, fired = collections.Counter(), collections.Counter()
for case in campaign["cases"]:
    s, f = collections.Counter(case["faults_scheduled"]), collections.Counter(case["faults_fired"])
    for k in points:
        scheduled[k] += s[k]
        fired[k] += min(s[k], f[k])
bad = []
for k in points:
    rate = fired[k] / scheduled[k] if scheduled[k] else 0
    print(f"{k}: {fired[k]} of {scheduled[k]} fired ({rate:.0%})")
    if scheduled[k] < 15 or rate < 0.90:
        bad.append(k)
if bad:
    sys.exit("FAIL: under 90% fired, or scheduled under 15 times: " + " ".join(bad))
PY
