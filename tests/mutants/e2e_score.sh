#!/usr/bin/env bash
# The end-to-end mutation score of one ctest run: reads the lines that
# e2e_campaign.sh left in RESULTS and prints how many broken variants were
# caught, of all of them, and the median number of cases to catch one.
# Runs after every MutantE2E test (a ctest fixture). Fails when a variant
# that ran was not caught: every registered variant is expected to be caught,
# the known misses included (they run only with FAILSIM_MUTANT_E2E_KNOWN_MISS).
# Usage: e2e_score.sh RESULTS "KNOWN_MISS..." NAME...
set -uo pipefail
results=$1 known=" $2 "; shift 2
caught=() missed=() notrun=() firsts=()
total=0 status=0
for name in "$@"; do
  [ "$name" = correct ] && continue  # the correct core: not a variant to catch
  total=$((total + 1))
  if [ ! -s "$results/$name" ]; then
    case $known in *" $name "*) notrun+=("$name (a known miss, label mutant_e2e_known_miss)") ;; *) notrun+=("$name") ;; esac
    continue
  fi
  read -r kind a b c <"$results/$name"
  case $kind in
  caught) caught+=("$name (case $a of $b, ${c} s)"); firsts+=("$a") ;;
  missed) missed+=("$name (none in $a cases, ${b} s)") ;;
  error) missed+=("$name (the campaign exited $a)") ;;
  *) echo "FAIL: $results/$name: unexpected line" >&2; status=1 ;;
  esac
done
median=-
if [ ${#firsts[@]} -gt 0 ]; then
  sorted=($(printf '%s\n' "${firsts[@]}" | sort -n))
  n=${#sorted[@]}
  if [ $((n % 2)) = 1 ]; then median=${sorted[$((n / 2))]}
  else median=$(awk -v a="${sorted[$((n / 2 - 1))]}" -v b="${sorted[$((n / 2))]}" 'BEGIN { print (a + b) / 2 }'); fi
fi
echo "end-to-end mutation score: ${#caught[@]} of $total broken variants caught ($((${#caught[@]} + ${#missed[@]})) run); median cases to catch one: $median"
for v in "${caught[@]}"; do echo "  caught: $v"; done
for v in "${missed[@]}"; do echo "  not caught: $v"; done
for v in "${notrun[@]}"; do echo "  not run: $v"; done
[ ${#missed[@]} = 0 ] || status=1
exit $status
