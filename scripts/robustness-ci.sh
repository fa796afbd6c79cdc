#!/bin/bash
# Robustness checks for CI, time-bounded (about 5 minutes on 2 cores):
#   1. ASan+UBSan build (-DDHCPSRV2_SANITIZE=ON) and the whole ctest suite on
#      it; the e2e tests load the sanitized plugin into Debian's tshark with
#      the sanitizer runtimes preloaded (tests/tshark_env.py,
#      DHCPSRV2_TSHARK_PRELOAD);
#   2. a short libFuzzer run (scripts/fuzz.sh) and, at the same time, a short
#      editcap mutation run with the sanitized plugin (scripts/mutate.sh);
#   3. valgrind memcheck of tshark with the normal plugin on a few captures
#      (scripts/valgrind.sh).
# Long campaigns: scripts/fuzz.sh --time S, scripts/mutate.sh --count N,
# scripts/valgrind.sh (all captures); see docs/robustness.md.
#
# Environment: BUILD_DIR (normal build, default build/; built if missing),
# ASAN_BUILD_DIR (default build-asan/), FUZZ_BUILD_DIR (default build-fuzz/),
# FUZZ_SECONDS (45), MUTATE_SECONDS (45), FUZZ_SEED and MUTATE_SEED (fixed by
# default so that a CI run is repeatable; the long campaigns vary them),
# VALGRIND_CAPTURES (default: ndr-basic, ndr64-basic, fuzz-truncated-methods).
set -u
cd "$(dirname "$0")/.."
. scripts/plugin-path.sh

BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-45}
MUTATE_SECONDS=${MUTATE_SECONDS:-45}
VALGRIND_CAPTURES=${VALGRIND_CAPTURES:-"test-captures/ndr-basic.pcapng test-captures/ndr64-basic.pcapng test-captures/fuzz-truncated-methods.pcapng"}
JOBS=$(nproc)
LOGS=$(mktemp -d /tmp/dhcpsrv2-robustness.XXXXXX)

PASSED=0
FAILED=0
FAILED_STAGES=
T0=$(date +%s)
stage() {   # stage NAME STATUS
  if [ "$2" = 0 ]; then
    PASSED=$((PASSED + 1)); echo "robustness: ok   $1 ($(($(date +%s) - T0)) s so far)"
  else
    FAILED=$((FAILED + 1)); FAILED_STAGES="$FAILED_STAGES $1"
    echo "robustness: FAIL $1 ($(($(date +%s) - T0)) s so far)"
  fi
}

# --- 1. sanitizer build + ctest ---------------------------------------------
echo "robustness: ASan+UBSan build in $ASAN_BUILD_DIR"
if cmake -S . -B "$ASAN_BUILD_DIR" -DDHCPSRV2_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
     >"$LOGS/asan-build.log" 2>&1 &&
   cmake --build "$ASAN_BUILD_DIR" -j "$JOBS" >>"$LOGS/asan-build.log" 2>&1; then
  stage "sanitizer build" 0
  if readelf -d "$(staged_plugin "$ASAN_BUILD_DIR")" | grep -q 'NEEDED.*libasan'; then
    # gcc: shared libasan + libubsan
    PRELOAD="$(readlink -f "$(gcc -print-file-name=libasan.so)"):$(readlink -f "$(gcc -print-file-name=libubsan.so)")"
  else
    # clang (configured with CC=clang and -shared-libsan): libclang_rt.asan
    PRELOAD="$(clang -print-file-name=libclang_rt.asan-x86_64.so)"
  fi
  # epan keeps file-scope state on purpose: no leak detection in tshark.
  ( export DHCPSRV2_TSHARK_PRELOAD="$PRELOAD" \
           ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           WIRESHARK_ABORT_ON_DISSECTOR_BUG=1
    cd "$ASAN_BUILD_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 600 ) \
    >"$LOGS/asan-ctest.log" 2>&1
  rc=$?
  tail -4 "$LOGS/asan-ctest.log" | sed 's/^/  /'
  [ "$rc" != 0 ] && grep -E -B2 -A30 'AddressSanitizer|runtime error|\*\*\*Failed|Failed ' \
                      "$LOGS/asan-ctest.log" | head -120
  stage "ctest under ASan+UBSan" "$rc"
else
  tail -30 "$LOGS/asan-build.log"
  stage "sanitizer build" 1
fi

# --- 2. short fuzz + mutation runs, side by side -----------------------------
if [ ! -f "$(staged_plugin "$BUILD_DIR")" ]; then
  BUILD_DIR=$BUILD_DIR ./scripts/build.sh >"$LOGS/build.log" 2>&1 || { tail -30 "$LOGS/build.log"; }
fi
./scripts/fuzz.sh --time "$FUZZ_SECONDS" --seed "${FUZZ_SEED:-1}" --build-dir "$FUZZ_BUILD_DIR" \
  --work-dir "$FUZZ_BUILD_DIR/ci-work" >"$LOGS/fuzz.log" 2>&1 &
FUZZ_PID=$!
if [ -f "$(staged_plugin "$ASAN_BUILD_DIR")" ]; then
  ./scripts/mutate.sh --time "$MUTATE_SECONDS" --count 100000 --build-dir "$ASAN_BUILD_DIR" \
    --out "$ASAN_BUILD_DIR/mutate-ci" --seed "${MUTATE_SEED:-1}" --timeout 180 >"$LOGS/mutate.log" 2>&1
  rc=$?
  tail -1 "$LOGS/mutate.log" | sed 's/^/  /'
  [ "$rc" != 0 ] && grep -E 'FAILURE|failed' "$LOGS/mutate.log" | head -20
  stage "editcap mutation run (sanitized plugin)" "$rc"
else
  stage "editcap mutation run (no sanitized plugin)" 1
fi
wait "$FUZZ_PID"
rc=$?
grep -E '^fuzz.sh: [0-9]+ executions' "$LOGS/fuzz.log" | sed 's/^/  /'
[ "$rc" != 0 ] && tail -40 "$LOGS/fuzz.log"
stage "libFuzzer run" "$rc"

# --- 3. valgrind -------------------------------------------------------------
# shellcheck disable=SC2086
./scripts/valgrind.sh --build-dir "$BUILD_DIR" $VALGRIND_CAPTURES >"$LOGS/valgrind.log" 2>&1
rc=$?
grep -E '^(ok|FAIL|valgrind:)' "$LOGS/valgrind.log" | sed 's/^/  /'
[ "$rc" != 0 ] && grep -A14 '^FAIL' "$LOGS/valgrind.log" | head -60
stage "valgrind memcheck" "$rc"

echo "robustness: logs in $LOGS; $(($(date +%s) - T0)) s"
[ -n "$FAILED_STAGES" ] && echo "robustness: failed:$FAILED_STAGES"
echo "robustness: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
