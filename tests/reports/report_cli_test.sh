#!/usr/bin/env bash
# End-to-end tests of `failsim report DIR` and of `failsim run` writing the
# reports. Usage: report_cli_test.sh FAILSIM CASE
set -uo pipefail
failsim=$1
case_name=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
reports=(report.json report.html trace.json latency.csv throughput.csv nvram.csv utilisation.csv cps.csv)

run_default() {
  "$failsim" run --out "$work/run" >"$work/run.out" 2>&1 || fail "failsim run: $(cat "$work/run.out")"
}

case $case_name in
  run_writes_reports)
    run_default
    for f in "${reports[@]}"; do [ -s "$work/run/$f" ] || fail "failsim run did not write $f"; done
    ls "$work" | grep -q tmp- && fail "a temporary folder was left behind"
    ;;
  report_rebuilds)
    run_default
    mkdir "$work/before"
    for f in "${reports[@]}"; do cp "$work/run/$f" "$work/before/"; rm "$work/run/$f"; done
    "$failsim" report "$work/run" >"$work/out" 2>&1 || fail "exit $?: $(cat "$work/out")"
    grep -q "report.html" "$work/out" || fail "no list of files written: $(cat "$work/out")"
    for f in "${reports[@]}"; do
      cmp -s "$work/before/$f" "$work/run/$f" || fail "$f rebuilt differs from the one failsim run wrote"
    done
    ;;
  report_missing_folder)
    "$failsim" report "$work/no-such-run" >"$work/out" 2>&1
    code=$?
    [ $code -eq 2 ] || fail "exit $code, want 2"
    grep -q "no-such-run" "$work/out" || fail "the message does not name the folder: $(cat "$work/out")"
    ;;
  report_malformed_file)
    run_default
    echo '{"time_s": 0, "client": 1' >>"$work/run/history.jsonl"
    "$failsim" report "$work/run" >"$work/out" 2>&1
    code=$?
    [ $code -eq 2 ] || fail "exit $code, want 2"
    grep -q "history.jsonl:" "$work/out" || fail "the message does not name the file: $(cat "$work/out")"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
