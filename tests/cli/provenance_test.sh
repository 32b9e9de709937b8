#!/usr/bin/env bash
# Provenance end to end: every result file names the failsim that wrote it
# in the words of `failsim --version` (common/build_info.hpp): summary.json,
# report.json (its own and the run's), sweep.json of shards and of their
# merge; and `failsim sweep --merge` refuses shards of two builds, or of a
# build not recorded, naming the folders and builds (exit 2, nothing left).
# (campaign.json and junit.xml: cli_test.sh's campaign_report.)
# Usage: provenance_test.sh FAILSIM SOURCE_DIR
set -uo pipefail
failsim=$1 src=$2
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"

# shellcheck source=../cli/expect.sh
source "$src/tests/cli/expect.sh"

expect 0 "$failsim" --version
version=$(cat out.txt)
grep -qE '^failsim [0-9]+\.[0-9]+\.[0-9]+( \(commit [0-9a-f]+\))?$' out.txt || fail "--version: $version"
cp "$src"/tests/sweep/tiny.json .
printf '{"name": "two", "base": "tiny.json", "seeds": 2}' >two.json
for k in 1 2; do expect 0 "$failsim" sweep two.json --shard $k/2 --keep-runs --out s$k; done
expect 0 "$failsim" sweep --merge s1 s2 --out merged
python3 - "$version" <<'PY' || fail "a result file does not record the build"
import json, sys
want = sys.argv[1]
for f in ["s1/sweep.json", "s2/sweep.json", "merged/sweep.json", "s1/runs/0/summary.json", "s2/runs/1/report.json"]:
    got = json.load(open(f)).get("build")
    assert got == want, (f, got, want)
assert json.load(open("s2/runs/1/report.json"))["run"]["build"] == want
PY
# A run folder written before builds were recorded still gets its reports:
# the run's build unknown (null), the report's own named.
python3 - <<'PY'
import json
s = json.load(open("s1/runs/0/summary.json"))
del s["build"]
json.dump(s, open("s1/runs/0/summary.json", "w"), indent=1)
PY
expect 0 "$failsim" report s1/runs/0
python3 - "$version" <<'PY' || fail "report.json of a run folder without a build"
import json, sys
r = json.load(open("s1/runs/0/report.json"))
assert r["build"] == sys.argv[1] and r["run"]["build"] is None, (r["build"], r["run"])
PY
sed -i 's/^{/{"build": 7,/' s1/runs/0/summary.json
expect 2 "$failsim" report s1/runs/0
contains "summary.json: build: expected a string, found 7"
# A shard of another build: refused, naming both folders and builds.
cp -r s2 other
python3 - <<'PY'
import json
j = json.load(open("other/sweep.json"))
j["build"] = "failsim 0.0.1 (commit 0123456789ab)"
json.dump(j, open("other/sweep.json", "w"), indent=1)
PY
expect 2 "$failsim" sweep --merge s1 other --out m
contains "other: run by failsim 0.0.1 (commit 0123456789ab), but s1 by $version: expected shards of one failsim build"
expect 2 "$failsim" sweep --merge other s1 --out m
contains "s1: run by $version, but other by failsim 0.0.1 (commit 0123456789ab)"
# A shard that records no build cannot show it is of the same one.
python3 - <<'PY'
import json
j = json.load(open("other/sweep.json"))
del j["build"]
json.dump(j, open("other/sweep.json", "w"), indent=1)
PY
expect 2 "$failsim" sweep --merge s1 other --out m
contains "other: its sweep.json records no build"
[ ! -e m ] || fail "a refused merge left a folder behind"
echo "PASS: provenance"
