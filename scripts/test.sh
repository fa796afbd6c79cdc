#!/bin/sh
# README command (2), also .ci/run: set up a fresh Debian 12 machine, build,
# and run every test:
#  1. the ctest suite against the host's Wireshark (4.0),
#  2. the time-bounded robustness run (ctest again under ASan+UBSan, a short
#     libFuzzer run, editcap mutations, valgrind),
#  3. the version matrix (scripts/matrix.sh): build + the whole ctest suite
#     against Wireshark 4.4 (Debian trixie root) and 4.6 (Debian forky root),
#     each version's .deb installed into a clean root and checked (4.0's, the
#     host build's, into a bookworm root).
# Every stage runs even if an earlier one failed; the last lines name each
# failed stage and its Wireshark version.
set -u
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
./scripts/setup-debian.sh || exit 1
./scripts/build.sh || { echo "test: FAILED: host build (Wireshark $(cat build/wireshark-abi 2>/dev/null))"; exit 1; }
HOST=$(cat build/wireshark-abi)
failed=""
t0=$(date +%s)
echo "test: === Wireshark $HOST (host): ctest"
(cd build && ctest --output-on-failure -j "$(nproc)") || failed="$failed
test: FAILED for Wireshark $HOST (host ctest)"
./scripts/robustness-ci.sh || failed="$failed
test: FAILED for Wireshark $HOST (host robustness stage)"
t1=$(date +%s)
$SUDO ./scripts/matrix.sh all || failed="$failed
test: FAILED in the version matrix (see the matrix: FAILED lines above)"
t2=$(date +%s)
echo "test: host suite + robustness $((t1 - t0)) s, matrix $((t2 - t1)) s"
if [ -n "$failed" ]; then
  echo "$failed"
  exit 1
fi
echo "test: all passed (Wireshark $HOST host, 4.4, 4.6; .deb for 4.0, 4.4, 4.6)"
