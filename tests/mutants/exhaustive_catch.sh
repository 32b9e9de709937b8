#!/usr/bin/env bash
# A broken variant's failsim must be caught by `check FILE --exhaustive`: the
# enumeration ends VIOLATED (exit 1), and the first failing case's reproduce
# command, rerun, is violated again.
# Usage: exhaustive_catch.sh FAILSIM_VARIANT SCENARIO
set -uo pipefail
failsim=$1 scenario=$2
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"
"$failsim" check "$scenario" --exhaustive --jobs 2 >out.txt 2>err.txt
status=$?
grep -E "^exhaustive points:|^reproduce" out.txt | head -3
[ "$status" = 1 ] || { cat out.txt err.txt; echo "FAIL: the enumeration exited $status, expected 1 (violated)"; exit 1; }
case=$(grep -m1 "^reproduce (violated)" out.txt | sed 's/.* --case //')
[ -n "$case" ] || { echo "FAIL: no reproduce line"; exit 1; }
"$failsim" check "$scenario" --exhaustive --case "$case" >again.txt 2>&1
[ $? = 1 ] || { cat again.txt; echo "FAIL: case $case did not reproduce the violation"; exit 1; }
echo "caught at case $case"
