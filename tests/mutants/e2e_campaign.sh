#!/usr/bin/env bash
# The end-to-end mutation test of one variant of the core: a failsim binary
# built with that variant (model/mutants.hpp) runs a bounded, seeded random
# campaign, `failsim check --random CASES --seed SEED --jobs 2 --no-shrink`.
# A broken variant must be caught (exit 1): this prints the first case that
# caught it and what it broke. The correct core must hold (exit 0).
# Writes one line to RESULTS/NAME for the score (e2e_score.sh):
#   caught FIRST_CASE CASES SECONDS | held CASES SECONDS | missed CASES SECONDS | error STATUS CASES SECONDS
# Usage: e2e_campaign.sh FAILSIM NAME CASES SEED RESULTS caught|held
set -uo pipefail
failsim=$(realpath "$1") name=$2 cases=$3 seed=$4 results=$(realpath -m "$5") expect=$6
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p "$results"

start=$(date +%s)
"$failsim" check --random "$cases" --seed "$seed" --jobs 2 --no-shrink >out.txt 2>err.txt
status=$?
seconds=$(($(date +%s) - start))
command="$(basename "$failsim") check --random $cases --seed $seed --jobs 2 --no-shrink"
grep -E '^random scenarios:' out.txt

# The failing cases, as the campaign lists them: take the first by index. The
# line is "reproduce: failsim check ... --case I", or in campaigns that name
# each case's outcome "reproduce (violated): failsim check ... --case I"
# (only violations count: a case that timed out or died is not a catch).
first=$(sed -n 's/^reproduce\( (violated)\)\{0,1\}: failsim check --random .* --case \([0-9]*\)$/\2/p' out.txt |
  sort -n | head -1)

if [ "$status" = 1 ] && [ -n "$first" ]; then
  echo "caught $((first + 1)) $cases $seconds" >"$results/$name"
  echo "$name: caught at case $((first + 1)) of $cases ($seconds s): $command"
  # What the checker said about that case (or how its simulation ended).
  awk -v c="case $first: " 'index($0, c) == 1 { on = 1; print; next } on && /^  / { print; next } { on = 0 }' err.txt
  echo "reproduce: $(basename "$failsim") check --random $cases --seed $seed --case $first"
  [ "$expect" = caught ] && exit 0
  echo "FAIL: the correct core failed the campaign" >&2
  cat out.txt err.txt >&2
  exit 1
elif [ "$status" = 0 ]; then
  if [ "$expect" = held ]; then
    echo "held $cases $seconds" >"$results/$name"
    echo "$name: held in $cases cases ($seconds s)"
    exit 0
  fi
  echo "missed $cases $seconds" >"$results/$name"
  echo "FAIL: $name was not caught in $cases cases ($seconds s): $command" >&2
  exit 1
fi
echo "error $status $cases $seconds" >"$results/$name"
echo "FAIL: $command exited $status" >&2
cat out.txt err.txt >&2
exit 1
