#!/bin/sh
# Peer benchmark: the plugin's opnum 97 against Wireshark's pidl-generated
# srvsvc decoder on NetrRemoteTOD, side by side under callgrind (marginal Ir
# per call, per tree item, ratio plugin/peer).  Not part of the test suite.
# See BENCHMARKS.md ("Against Wireshark's own DCE/RPC decoders").
#
#   bench/peer.sh                       500 and 3500 calls; -T fields, -V, default,
#                                       statistics; same and varying server names
#   bench/peer.sh --modes fields --variants same     a subset
#   bench/peer.sh --help                every option of bench/peer.py
#   bench/cgprofile.py ...              where the marginal instructions go (see BENCHMARKS.md)
#
# Environment: BUILD_DIR (default /tmp/dhcpsrv2-peer-build), WORK_DIR (default
# /tmp/dhcpsrv2-peer).  Needs cmake, gcc, tshark, valgrind, python3-impacket
# (scripts/setup-debian.sh).  Results: the table on stdout, $WORK_DIR/peer.json,
# $WORK_DIR/peer.log, the enabled runs' callgrind files in $WORK_DIR/callgrind/.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-/tmp/dhcpsrv2-peer-build}
WORK_DIR=${WORK_DIR:-/tmp/dhcpsrv2-peer}

for tool in cmake tshark valgrind setpriv /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "peer: $tool missing (run scripts/setup-debian.sh)" >&2; exit 1; }
done
/usr/bin/python3 -c 'import impacket' 2>/dev/null || { echo "peer: python3-impacket missing" >&2; exit 1; }

# The plugin as users get it (RelWithDebInfo, -O2 -g) and the callgrind
# start helper (bench/cgstart/).
nice -n 10 cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 10 cmake --build "$BUILD_DIR" --target dhcpsrv2 dhcpsrv2cgstart -j 2 >/dev/null

mkdir -p "$WORK_DIR"
exec /usr/bin/python3 bench/peer.py --build "$BUILD_DIR" --work "$WORK_DIR" \
  --json "$WORK_DIR/peer.json" "$@"
