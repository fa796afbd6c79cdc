#!/bin/sh
# libFuzzer campaign on the dhcpsrv2 stub dissectors (fuzz/fuzz_dhcpsrv2.c),
# built with clang, ASan and UBSan.  See docs/robustness.md.
#
#   scripts/fuzz.sh [--time SECONDS | --runs N] [--jobs J] [--build-dir DIR]
#                   [--work-dir DIR] [--fast] [-- LIBFUZZER-ARGS...]
#
#   --time S      stop after S seconds (default 600); per job
#   --runs N      stop after N executions (per job) instead
#   --jobs J      J fuzzing processes sharing one corpus (default 1)
#   --seed S      libFuzzer seed of job 0 (job i: S + i); default: from the clock
#   --build-dir   clang build tree (default build-fuzz/)
#   --work-dir    corpus, logs and crash artifacts (default <build-dir>/fuzz-work/);
#                 the corpus there is kept and grows from one run to the next
#   --fast        wmem "block" allocator instead of "simple": 2-2.5x the
#                 executions, but ASan no longer sees overflows inside wmem
#                 pools; replay the corpus without --fast afterwards
#                 (scripts/fuzz.sh --runs 0 replays the corpus and stops)
#
# Every run first executes the corpus, the seeds (fuzz/make_seeds.py) and
# fuzz/regressions/ (inputs that once failed).
# Exit status 0 when no job found a crash, timeout or sanitizer report; the
# total number of executions is printed at the end.  Every
# failing input is kept in <work-dir>/artifacts/ (reproduce with
# `<build-dir>/fuzz/fuzz_dhcpsrv2 FILE`).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)

TIME=600
RUNS=
JOBS=1
BUILD_DIR=build-fuzz
WORK=
FAST=0
SEED=
while [ $# -gt 0 ]; do
  case "$1" in
    --time) TIME=$2; RUNS=; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --work-dir) WORK=$2; shift 2 ;;
    --fast) FAST=1; shift ;;
    --seed) SEED=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
WORK=${WORK:-$BUILD_DIR/fuzz-work}

command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (apt-get install clang)" >&2; exit 2; }
# Warnings are the normal build's business (-Werror there), not the fuzzer's.
CC=clang cmake -S . -B "$BUILD_DIR" -DDHCPSRV2_FUZZ=ON -DDHCPSRV2_WERROR=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" --target fuzz_dhcpsrv2 -j "$(nproc)" >/dev/null
FUZZER=$(cd "$BUILD_DIR" && pwd)/fuzz/fuzz_dhcpsrv2

mkdir -p "$WORK/corpus" "$WORK/artifacts" "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
rm -rf "$WORK/seeds"
python3 fuzz/make_seeds.py --captures-dir test-captures "$WORK/seeds"

# epan keeps conversation and wmem state for the whole session by design:
# no leak detection (it also divides the rate by ~20).
# A small quarantine and short allocation stacks keep RSS flat and the rate up.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:handle_abort=1:quarantine_size_mb=32:malloc_context_size=8}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export WIRESHARK_LOG_LEVEL=critical
export WIRESHARK_ABORT_ON_DISSECTOR_BUG=1

if [ -n "$RUNS" ]; then LIMIT="-runs=$RUNS"; else LIMIT="-max_total_time=$TIME"; fi
echo "fuzz.sh: $JOBS job(s), $LIMIT each, corpus $WORK/corpus"
STAMP=$(date +%Y%m%d-%H%M%S)
job_seed() {   # job_seed I: libFuzzer's -seed for job I
  if [ -n "$SEED" ]; then echo $((SEED + $1)); else echo "$(($1 + 1))$(date +%s | cut -c6-)"; fi
}
PIDS=
i=0
while [ "$i" -lt "$JOBS" ]; do
  ALLOC=simple
  if [ "$FAST" = 1 ]; then ALLOC=block; fi
  LOG="$WORK/logs/$STAMP-job$i.log"
  WIRESHARK_DEBUG_WMEM_OVERRIDE=$ALLOC \
    "$FUZZER" $LIMIT -print_final_stats=1 -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
      -seed="$(job_seed "$i")" \
      -artifact_prefix="$WORK/artifacts/" "$@" "$WORK/corpus" "$WORK/seeds" "$ROOT/fuzz/regressions" \
      >"$LOG" 2>&1 &
  PIDS="$PIDS $!"
  echo "  job $i: pid $!, wmem allocator $ALLOC, log $LOG"
  i=$((i + 1))
done

FAILED=0
for pid in $PIDS; do
  wait "$pid" || FAILED=1
done

TOTAL=0
for log in "$WORK"/logs/"$STAMP"-job*.log; do
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  echo "  $(basename "$log"): ${n:-?} executions, ${rate:-?} exec/s"
  TOTAL=$((TOTAL + ${n:-0}))
  if grep -qE '^(==[0-9]+==ERROR|SUMMARY: )|runtime error:|deadly signal|DISSECTOR_BUG' "$log"; then
    FAILED=1
    grep -E '^(==[0-9]+==ERROR|SUMMARY: )|runtime error:|artifact_prefix|Test unit written' "$log" | head -5
  fi
done
echo "fuzz.sh: $TOTAL executions in total, corpus $(ls "$WORK/corpus" | wc -l) units"
if [ "$FAILED" != 0 ]; then
  echo "fuzz.sh: FAILED -- inputs kept in $WORK/artifacts/" >&2
  ls -l "$WORK/artifacts/" >&2
  exit 1
fi
echo "fuzz.sh: no crash, hang or sanitizer report"
