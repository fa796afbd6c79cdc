#!/bin/sh
# Benchmark of the dhcpsrv2 plugin: what it adds to tshark's own cost.
# Not part of the test suite.  See BENCHMARKS.md for the results and method.
#
#   bench/run.sh                    10k, 100k, 1M calls; -T fields, statistics, -V;
#                                   base, floor (DCE/RPC hand-off only) and plugin
#   bench/run.sh --quick            10k and 100k only, 3 repetitions
#   bench/run.sh --sizes 10k,100k,1M,10M
#                                   10M: ~3.5 GB capture, ~17 GiB RSS per tshark run
#   any other option is passed to bench/bench.py (--help lists them)
#
# Environment: BUILD_DIR (default /tmp/dhcpsrv2-bench-build), WORK_DIR
# (default /tmp/dhcpsrv2-bench).  Needs cmake, gcc, tshark, valgrind and
# /usr/bin/time (scripts/setup-debian.sh installs them).  Results: the table on
# stdout, $WORK_DIR/results.json, $WORK_DIR/bench.log.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-/tmp/dhcpsrv2-bench-build}
WORK_DIR=${WORK_DIR:-/tmp/dhcpsrv2-bench}

quick=0
for a in "$@"; do
  if [ "$a" = "--quick" ]; then quick=1; fi
done
if [ "$quick" = 1 ]; then
  # Drop --quick and put its defaults first: options given after override them.
  for a in "$@"; do
    shift
    [ "$a" = "--quick" ] || set -- "$@" "$a"
  done
  set -- --sizes 10k,100k --reps 3 "$@"
fi

for tool in cmake tshark valgrind /usr/bin/time setpriv python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool missing (run scripts/setup-debian.sh)" >&2; exit 1; }
done

# The plugin as users get it: the project's default RelWithDebInfo (-O2 -g),
# and the control plugin of the "floor" side (bench/floor/, staged apart in
# $BUILD_DIR/bench-floor; bench.py --no-floor skips that side).
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" --target dhcpsrv2 dhcpsrv2floor gen-captures -j "$(nproc)" >/dev/null

mkdir -p "$WORK_DIR"
exec python3 bench/bench.py --build "$BUILD_DIR" --work "$WORK_DIR" \
  --json "$WORK_DIR/results.json" "$@"
