#!/usr/bin/env bash
# Fuzz smoke run of one target: its committed corpus, then SECONDS of fuzzing.
# New inputs go to WORKDIR (emptied first), never into the committed corpus.
# Usage: smoke.sh FUZZER FUZZ_DIR TARGET WORKDIR SECONDS
set -euo pipefail
fuzzer=$1 fuzz_dir=$2 target=$3 work=$4 seconds=$5
rm -rf "$work"
mkdir -p "$work/new" "$work/artifacts"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024
      -print_final_stats=1 -artifact_prefix="$work/artifacts/")
[ -f "$fuzz_dir/$target.dict" ] && args+=(-dict="$fuzz_dir/$target.dict")
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
exec "$fuzzer" "${args[@]}" "$work/new" "$fuzz_dir/corpus/$target"
