#!/usr/bin/env bash
# The random generator's point faults fire: a seeded campaign of N cases,
# and for each point-fault kind the cases that scheduled it fired it in at
# least 90% of its schedulings (a case's fired count is capped at its
# scheduled count, so no kind can make up for another), each kind scheduled
# at least 8 times; and every case held.
# Usage: point_faults_fire.sh FAILSIM CASES SEED
set -uo pipefail
failsim=$1 cases=$2 seed=$3
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
"$failsim" check --random "$cases" --seed "$seed" --jobs 2 --report "$work/report" >"$work/out.txt" 2>&1
status=$?
cat "$work/out.txt"
[ "$status" = 0 ] || { echo "FAIL: the campaign exited $status"; exit 1; }
python3 - "$work/report/campaign.json" <<'PY'
import collections, json, sys
campaign = json.load(open(sys.argv[1]))
points = ["torn_mirror_write", "crash_at_cp_block", "crash_before_mirror", "crash_after_mirror",
          "crash_during_replay", "crash_during_recovery"]
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
    if scheduled[k] < 8 or rate < 0.9:
        bad.append(k)
if bad:
    sys.exit("FAIL: under 90% fired, or scheduled under 8 times: " + " ".join(bad))
PY
