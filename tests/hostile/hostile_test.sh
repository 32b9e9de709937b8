#!/usr/bin/env bash
# Hostile run folders and scenarios (issue 18): what `failsim check`,
# `failsim report`, `sweep --merge`, `run` and `validate` do with input
# from elsewhere. Every case asserts the exit status and the message, that
# a file outside the folder (outside/secret.txt) is unchanged, and that no
# temporary file or folder (*.tmp-*) is left.
# Usage: hostile_test.sh FAILSIM SOURCE_DIR CASE
set -uo pipefail
failsim=$1 src=$2 case=$3
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS CMD...: runs CMD (at most 60 s), keeps its output in out.txt.
expect() {
  local want=$1; shift
  timeout 60 "$@" >out.txt 2>&1; local got=$?
  [ "$got" = "$want" ] || { head -c 2000 out.txt; fail "$* exited $got, expected $want"; }
}
contains() { grep -qF -- "$1" out.txt || { head -c 2000 out.txt; fail "output lacks: $1"; }; }
# The file every planted link points to: it must never change.
mkdir outside && echo "secret $RANDOM" >outside/secret.txt
secret_sum=$(sha256sum outside/secret.txt)
outside_unchanged() {
  [ "$(sha256sum outside/secret.txt)" = "$secret_sum" ] || fail "outside/secret.txt was written through a link"
  [ "$(ls outside)" = "secret.txt" ] || fail "a file appeared outside the folder: $(ls outside)"
}
no_temporaries() {
  local left
  left=$(find . -name '*.tmp-*' ! -name 'report.json.tmp-planted*' ! -type l | head -5)
  [ -z "$left" ] || fail "temporaries left: $left"
}
# A small real run folder, judged once, in base/.
make_run() {
  "$failsim" run "$src/tests/sweep/tiny.json" --out base >/dev/null 2>&1 || fail "cannot make the base run"
  "$failsim" check base >/dev/null 2>&1
  [ -f base/verdict.json ] || fail "no verdict in the base run"
}
fresh() { rm -rf r && cp -r base r; }
# Both commands on r: the same status, and `report` names the same problem.
both() {
  local want=$1 msg=$2
  expect "$want" "$failsim" check r
  contains "$msg"
  expect "$want" "$failsim" report r
  contains "$msg"
}
# Replaces line N of FILE by TEXT.
set_line() { python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, n, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(path).read().split("\n")
lines[n - 1] = text
open(path, "w").write("\n".join(lines))
EOF
}

case $case in
symlinks)
  # Links planted where the old writer put its temporary files (path.tmp-PID)
  # and under the final names: every write must stay inside the folder.
  make_run
  fresh
  for n in $(seq 1 64); do ln -s ../outside/secret.txt "r/report.json.tmp-$n"; ln -s ../outside/secret.txt "r/verdict.json.tmp-$n"; done
  ln -sf ../outside/secret.txt r/trace.json
  # In a PID namespace failsim runs as a small, known PID: the old writer's
  # name was report.json.tmp-1, a planted link.
  # (LeakSanitizer's exit-time scan is not run there: in the sanitizer build
  # it need not work inside a PID namespace, and leaks are checked elsewhere.)
  if unshare -rpf true 2>/dev/null; then
    ns="unshare -rpf"
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  else
    ns=""
  fi
  expect 0 $ns "$failsim" report r
  contains "reports in r:"
  outside_unchanged
  [ -f r/trace.json ] && [ ! -L r/trace.json ] || fail "trace.json is still a link"
  expect 0 $ns "$failsim" check r
  outside_unchanged
  [ "$(find r -name '*.tmp-*' ! -type l | wc -l)" = 0 ] || fail "temporaries left in r"
  ;;
merge_links)
  # A shard whose kept run folder holds a link to a file outside it.
  cp "$src/tests/sweep/tiny.json" "$src/tests/sweep/tiny-sweep.json" .
  expect 0 "$failsim" sweep tiny-sweep.json --shard 1/2 --keep-runs --out s1
  expect 0 "$failsim" sweep tiny-sweep.json --shard 2/2 --keep-runs --out s2
  run=$(find s1 -name history.jsonl | head -1) && [ -n "$run" ] || fail "no kept run in s1"
  ln -s "$work/outside/secret.txt" "$(dirname "$run")/stolen.txt"
  expect 2 "$failsim" sweep --merge s1 s2 --out merged
  contains "stolen.txt: a symbolic link"
  [ ! -e merged ] || fail "a merge that failed left merged/"
  rm "$(dirname "$run")/stolen.txt" && mkfifo "$(dirname "$run")/pipe"
  expect 2 "$failsim" sweep --merge s1 s2 --out merged
  contains "pipe: a FIFO"
  rm "$(dirname "$run")/pipe"
  expect 0 "$failsim" sweep --merge s1 s2 --out merged
  outside_unchanged
  no_temporaries
  ;;
wrong_types)
  # One wrong-typed field at a time: exit 2 naming file, line and field,
  # never an abort (134).
  make_run
  fresh && python3 -c "import json; p='r/summary.json'; d=json.load(open(p)); d['ops']=5; json.dump(d, open(p,'w'))"
  expect 2 "$failsim" report r
  contains "summary.json: ops: expected an object, found 5"
  # The checker does not read summary.ops (its verdict stands); the reports
  # it rebuilds do, and say so. No abort either way.
  timeout 60 "$failsim" check r >out.txt 2>&1; got=$?
  [ "$got" -le 3 ] || { cat out.txt; fail "check exited $got"; }
  contains "summary.json: ops: expected an object, found 5"
  fresh && python3 -c "import json; p='r/verdict.json'; d=json.load(open(p)); d['valid']='yes'; json.dump(d, open(p,'w'))"
  expect 2 "$failsim" report r
  contains 'verdict.json: valid: expected true or false, found "yes"'
  fresh && n=$(grep -n '"kind":"cp_started"' r/events.jsonl | head -1 | cut -d: -f1) &&
    set_line r/events.jsonl "$n" "$(sed -n "${n}p" r/events.jsonl | sed 's/"blocks":[0-9]*/"blocks":"many"/')"
  expect 2 "$failsim" report r
  contains "events.jsonl:$n: blocks: expected an integer from 0 to 2147483647, found \"many\""
  fresh && set_line r/history.jsonl 1 '{"aggregate":"aggr0","client":1,"op":5,"time_s":0.0,"type":"invoke","xid":1}'
  both 2 "history.jsonl:1: op: expected an object, found 5"
  fresh && set_line r/history.jsonl 1 '{"aggregate":"aggr0","client":"one","op":{"f":"mkdir","path":"/c1"},"time_s":0.0,"type":"invoke","xid":1}'
  both 2 'history.jsonl:1: client: expected an integer from 0 to 4294967295, found "one"'
  outside_unchanged
  no_temporaries
  ;;
mutations)
  # Every field of summary.json, verdict.json, scenario.json and of one line
  # of each kind in events.jsonl and history.jsonl, replaced in turn (300
  # mutations spread over all of them): no status above 3.
  make_run
  rm -f base/*.csv base/report.* base/trace.json
  mkdir m
  # Not through expect: 600 commands take longer than its 60 s on a busy machine.
  timeout 800 python3 "$src/tests/hostile/mutate_fields.py" "$failsim" base m --limit 300 >out.txt 2>&1; got=$?
  [ "$got" = 0 ] || { grep -v ': check [0-3], report [0-3]$' out.txt | tail -20; fail "mutate_fields.py exited $got"; }
  contains "aborts: 0"
  ;;
special_files)
  # history.jsonl that is not a regular file: refused at once, no hang.
  make_run
  for kind in dir fifo zero missing; do
    fresh && rm r/history.jsonl
    case $kind in
      dir) mkdir r/history.jsonl; want="not a regular file (a directory)" ;;
      fifo) mkfifo r/history.jsonl; want="not a regular file (a FIFO)" ;;
      zero) ln -s /dev/zero r/history.jsonl; want="not a regular file (a device)" ;;
      missing) want="history.jsonl: missing" ;;
    esac
    both 2 "$want"
  done
  fresh && rm r/events.jsonl && mkfifo r/events.jsonl
  expect 2 "$failsim" report r
  contains "events.jsonl: not a regular file (a FIFO)"
  # The checker too: events.jsonl or scenario.json that cannot be read gives
  # no verdict (it used to judge a directory as an empty file).
  fresh && rm r/events.jsonl && mkdir r/events.jsonl
  expect 2 "$failsim" check r
  contains "events.jsonl: not a regular file (a directory)"
  fresh && rm r/scenario.json && mkdir r/scenario.json
  expect 2 "$failsim" check r
  contains "scenario.json: not a regular file (a directory)"
  outside_unchanged
  no_temporaries
  ;;
caps)
  # A 20 MiB line: refused by the line cap, with a short message.
  make_run
  fresh && python3 -c "
import sys; open('r/history.jsonl','a').write('{\"data\":\"' + 'x' * (20 << 20) + '\"}\n')"
  both 2 "a line longer than the cap of 16 MiB"
  [ "$(wc -c <out.txt)" -lt 1000 ] || fail "the message is $(wc -c <out.txt) bytes"
  # A malformed line of 10 MiB: the error quotes at most a little of it.
  fresh && python3 -c "
open('r/history.jsonl','a').write('{\"client\":1,\"xid\":' + '9' * (10 << 20) + 'x}\n')"
  both 2 "history.jsonl:401:"
  [ "$(wc -c <out.txt)" -lt 1000 ] || fail "the message is $(wc -c <out.txt) bytes"
  no_temporaries
  ;;
integers)
  # Out of range: no silent conversion (2^32+1 is not client 1, 2^64 not xid 0).
  make_run
  fresh && set_line r/history.jsonl 1 '{"aggregate":"aggr0","client":4294967297,"op":{"f":"mkdir","path":"/c1"},"time_s":0.0,"type":"invoke","xid":1}'
  both 2 "history.jsonl:1: client: expected an integer from 0 to 4294967295, found 4294967297"
  fresh && set_line r/history.jsonl 1 '{"aggregate":"aggr0","client":1,"op":{"f":"mkdir","path":"/c1"},"time_s":0.0,"type":"invoke","xid":18446744073709551616}'
  both 2 "history.jsonl:1: xid: expected an integer from 0 to 18446744073709551615, found 1.8446744073709552e+19"
  fresh && set_line r/history.jsonl 1 '{"aggregate":"aggr0","client":1,"op":{"f":"mkdir","mode":-1,"path":"/c1"},"time_s":0.0,"type":"invoke","xid":1}'
  both 2 "history.jsonl:1: op.mode: expected an integer from 0 to 4294967295, found -1"
  no_temporaries
  ;;
order)
  # Duplicates, a completion before its invocation, time backwards, an
  # unknown type: check and report refuse them alike.
  make_run
  first=$(sed -n 1p base/history.jsonl)
  done_line=$(grep -n '"client":1,.*"type":"ok","xid":1}' base/history.jsonl | head -1)
  n=${done_line%%:*} && text=${done_line#*:}
  [ -n "$n" ] || fail "no completion of client 1 xid 1"
  # Appended at the time of the last line, so that time order holds.
  last_t=$(tail -1 base/history.jsonl | sed 's/.*"time_s":\([0-9.e+-]*\).*/\1/')
  at_end() { echo "$1" | sed "s/\"time_s\":[0-9.e+-]*/\"time_s\":$last_t/"; }
  fresh && at_end "$text" >>r/history.jsonl
  both 2 "client 1 xid 1 completed twice"
  fresh && at_end "$first" >>r/history.jsonl
  both 2 "client 1 invokes xid 1 twice"
  fresh && { printf '%s\n' "$text"; cat base/history.jsonl; } >r/history.jsonl
  both 2 "history.jsonl:1: completion of an op never invoked"
  fresh && set_line r/history.jsonl 3 "$(sed -n 3p base/history.jsonl | sed 's/"time_s":[0-9.e-]*/"time_s":-1.0/')"
  both 2 "history.jsonl:3: time_s: -1.000000 is before the previous line's"
  fresh && set_line r/history.jsonl "$n" "$(echo "$text" | sed 's/"type":"ok"/"type":"okay"/')"
  both 2 "history.jsonl:$n: type: unknown value \"okay\" (expected invoke, ok or info)"
  # An event at time 0 appended after the last one: time runs backwards.
  fresh && head -1 base/events.jsonl | sed 's/"time_s":[0-9.e+-]*/"time_s":0.0/' >>r/events.jsonl
  both 2 "events.jsonl:$(($(wc -l <base/events.jsonl) + 1)): time_s: 0.000000 is before the previous line's"
  no_temporaries
  ;;
report_set)
  # A report write that fails half way (a file size limit) leaves the old
  # set whole: report.json is not replaced while trace.json fails.
  make_run
  fresh && echo '{"old": true}' >r/report.json && cp r/report.json old-report.json
  size=$(( ($(wc -c <base/report.json) + 2048) / 1024 + 8 ))
  (ulimit -f "$size"; "$failsim" report r >out.txt 2>&1; echo $? >status)
  [ "$(cat status)" = 2 ] || { cat out.txt; fail "report under a file size limit exited $(cat status), expected 2"; }
  contains "File too large"
  cmp -s r/report.json old-report.json || fail "report.json was replaced though the set failed"
  no_temporaries
  ;;
signals)
  # SIGINT / SIGTERM during a run: the child stopped, the temporary folder
  # removed, what was done printed, 130 / 143.
  printf '{"name": "long", "workload": {"clients": 8, "ops_per_client": 1000000}, "phases": {"fault_phase_s": 100000, "settle_s": 10}}' >long.json
  # A background job of a script starts with SIGINT ignored (and failsim
  # keeps it so): started through a shim that restores the default, as a
  # foreground command at a terminal has it.
  dfl='import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])'
  for sig in INT TERM; do
    python3 -c "$dfl" "$failsim" run long.json --out runs/long >out.txt 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do [ -n "$(ls runs 2>/dev/null)" ] && break; sleep 0.1; done
    sleep 1
    child=$(pgrep -P "$pid" | head -1)
    [ -n "$child" ] || fail "no simulation child to stop"
    kill -"$sig" "$pid"
    # At most 10 s to stop (a failsim that ignores the signal fails here
    # rather than hanging the test).
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" "$child" 2>/dev/null
      fail "SIG$sig: failsim still runs 10 s later"
    fi
    wait "$pid"; got=$?
    want=$([ $sig = INT ] && echo 130 || echo 143)
    [ "$got" = "$want" ] || { cat out.txt; fail "SIG$sig: exit $got, expected $want"; }
    contains "failsim: interrupted by SIG$sig: stopped 1 child process; removed runs/long.tmp-"
    sleep 0.2
    state=$(sed -n 's/^State:\s*\(.\).*/\1/p' /proc/"$child"/status 2>/dev/null)
    [ -z "$state" ] || [ "$state" = Z ] || fail "SIG$sig: the simulation child $child still runs ($state)"
    [ -z "$(ls runs)" ] || fail "SIG$sig left $(ls runs)"
  done
  # SIGXFSZ: a write error (exit 2), no temporary file left.
  "$failsim" run "$src/tests/sweep/tiny.json" --out small >/dev/null 2>&1 || fail "cannot make a run"
  (ulimit -f 64; exec "$failsim" report small >out.txt 2>&1); got=$?
  [ "$got" = 2 ] || { cat out.txt; fail "report under a file size limit exited $got, expected 2 (SIGXFSZ is 153)"; }
  contains "File too large"
  no_temporaries
  ;;
scenarios)
  # Scenarios validate accepted and the simulator could not run, and sizes.
  printf '{"faults": [{"kind": "interconnect_flap", "at_s": 1, "duration_s": 1, "period_s": 1e-300}]}' >flap.json
  expect 2 "$failsim" validate flap.json
  contains "flap.json: \$.faults[0].period_s: expected at least 1e-06 s"
  printf '{"phases": {"fault_phase_s": 1.7e308, "settle_s": 1.7e308}}' >inf.json
  expect 2 "$failsim" validate inf.json
  contains "inf.json: \$.phases: expected phases.fault_phase_s + phases.settle_s of at most 1000000000 s"
  python3 -c "
import json; json.dump({'faults': [{'kind': 'node_crash', 'node': 'n0', 'at_s': 1.0}] * 400000}, open('many.json', 'w'))"
  start=$(date +%s)
  expect 2 "$failsim" validate many.json
  contains "\$.faults: expected at most 10000 items, found 400000"
  [ $(( $(date +%s) - start )) -lt 20 ] || fail "400,000 faults took $(( $(date +%s) - start )) s to refuse"
  expect 2 "$failsim" validate /dev/zero
  contains "more than 64 MiB"
  # A 50 MiB malformed string: a short message, at once (it was 50 MiB, a
  # byte per write, in 3.5 minutes).
  python3 -c "open('bigstr.json', 'w').write('{\"name\": \"' + 'a' * (50 << 20) + '\x01\"}')"
  start=$(date +%s)
  expect 2 "$failsim" validate bigstr.json
  contains "last read: '\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' (52428809 bytes)"
  [ "$(wc -c <out.txt)" -lt 1000 ] || fail "the message is $(wc -c <out.txt) bytes"
  [ $(( $(date +%s) - start )) -lt 20 ] || fail "the 50 MiB string took $(( $(date +%s) - start )) s"
  for v in nan -1 1e300 0.0000001; do
    expect 2 "$failsim" run --max-wall-s "$v" --out never
    contains "--max-wall-s: expected 0 (no limit) or 0.001 to 100000000 seconds"
  done
  [ ! -e never ] || fail "a refused run left its folder"
  no_temporaries
  ;;
*)
  fail "unknown case $case"
  ;;
esac
echo "ok: $case"
