#!/bin/bash
# Mutation campaign in the manner of Wireshark's tools/fuzz-test.sh: corrupt
# the committed captures with `editcap -E` (random byte errors) and
# `editcap -s` (truncation), run the real tshark with the built plugin on
# each result (full tree and hex dump, also two passes, or no visible tree; and the plugin's -z statistics), and keep every input that makes tshark crash, abort (dissector
# bug, sanitizer report), hang, or that shows an exception escaping the
# dhcpsrv2 dissector.  See docs/robustness.md.
#
#   scripts/mutate.sh [--count N | --time S] [--build-dir DIR] [--out DIR]
#                     [--seed S] [--batch-frames F] [--timeout S] [--captures DIR]
#
#   --count N        stop after N mutated captures (default 200)
#   --time S         ... or after S seconds (both: whichever comes first)
#   --build-dir DIR  build tree with stage/<major.minor>/epan/dhcpsrv2.so (default build/).
#                    An ASan build (-DDHCPSRV2_SANITIZE=ON) is detected and its
#                    runtime preloaded into tshark.
#   --out DIR        work directory; failing inputs go to DIR/failures/
#                    (default <build-dir>/mutate-work)
#   --seed S         first editcap seed (default 1); runs are reproducible
#   --batch-frames F tshark start-up costs ~0.5 s of CPU, far more than a test
#                    capture: each tshark run reads one file holding K copies of
#                    a capture (K = F / frames, 1..50; default F = 1200), each
#                    copy on its own IPv4 addresses (fuzz/multiply_capture.py),
#                    so copies cannot interact; editcap corrupts every copy
#                    differently.  A copy counts as one mutated capture.
#                    --batch-frames 0: one capture per tshark run.
#   --timeout S      a tshark run longer than S seconds is a hang (default 120)
#
# A DISSECTOR_ASSERT in Wireshark's own dissector of another protocol (SMB2 on
# 4.0 asserts on mutated named-pipe captures) is counted apart, not as a
# failure; the capture is run again without the abort to check the rest.
#
# Exit status: 0 if nothing failed, 1 otherwise.  The summary line is
# "mutate: N mutated captures in R tshark runs, F failures".
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)

COUNT=
TIME=
BUILD_DIR=build
OUT=
SEED=1
BATCH_FRAMES=1200
TIMEOUT=120
CAPTURES=test-captures
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --time) TIME=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --batch-frames) BATCH_FRAMES=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --captures) CAPTURES=$2; shift 2 ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "mutate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$COUNT" ] && [ -z "$TIME" ]; then COUNT=200; fi
OUT=${OUT:-$BUILD_DIR/mutate-work}

. scripts/plugin-path.sh
PLUGIN=$(staged_plugin "$BUILD_DIR")
ABI=$(plugin_abi "$BUILD_DIR")
[ -f "$PLUGIN" ] || { echo "mutate.sh: $PLUGIN missing: build first (scripts/build.sh)" >&2; exit 2; }

# A private, world-readable home: tshark must run unprivileged (as root it
# ignores WIRESHARK_PLUGIN_DIR), like tests/tshark_env.py.
HOME_DIR=$(mktemp -d /tmp/dhcpsrv2-mutate.XXXXXX)
trap 'rm -rf "$HOME_DIR"' EXIT
mkdir -p "$HOME_DIR/plugins/$ABI/epan" "$HOME_DIR/extcap" "$HOME_DIR/base"
cp "$PLUGIN" "$HOME_DIR/plugins/$ABI/epan/"
chmod -R a+rX "$HOME_DIR"
chmod 1777 "$HOME_DIR"
PREFIX=()
if [ "$(id -u)" = 0 ] || [ "$(id -g)" = 0 ]; then
  PREFIX=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
ENVV=(env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" WIRESHARK_CONFIG_DIR="$HOME_DIR"
      WIRESHARK_PLUGIN_DIR="$HOME_DIR/plugins" WIRESHARK_EXTCAP_DIR="$HOME_DIR/extcap"
      TZ=UTC LANG=C LC_ALL=C WIRESHARK_ABORT_ON_DISSECTOR_BUG=1)
SANITIZED=no
if readelf -d "$PLUGIN" | grep -q 'NEEDED.*libasan'; then
  SANITIZED=yes
  ENVV+=(LD_PRELOAD="$(readlink -f "$(gcc -print-file-name=libasan.so)"):$(readlink -f "$(gcc -print-file-name=libubsan.so)")"
         ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
         UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)
fi

mkdir -p "$OUT/failures"
OUT=$(cd "$OUT" && pwd)

# Base files: K copies of each capture.
NAMES=()
declare -A COPIES
for cap in "$CAPTURES"/*.pcapng; do
  name=$(basename "$cap" .pcapng)
  frames=$(capinfos -c -M "$cap" | awk '/Number of packets/ {print $NF}')
  k=1
  if [ "$BATCH_FRAMES" -gt 0 ]; then
    k=$((BATCH_FRAMES / (frames > 0 ? frames : 1)))
    [ "$k" -lt 1 ] && k=1
    [ "$k" -gt 50 ] && k=50
  fi
  if [ "$k" -gt 1 ]; then
    python3 fuzz/multiply_capture.py "$cap" "$k" "$HOME_DIR/base/$name.pcapng" || exit 2
  else
    cp "$cap" "$HOME_DIR/base/$name.pcapng"
  fi
  NAMES+=("$name")
  COPIES[$name]=$k
done
chmod a+r "$HOME_DIR"/base/*

# The plugin's statistics (-z) read the tap records of every PDU: run them too.
STATS=()
for z in $("${PREFIX[@]}" "${ENVV[@]}" tshark -z help 2>&1 | grep -oE '^ *dhcpsrv2[a-z0-9_]*,[a-z0-9_]+'); do
  STATS+=(-z "$z")
done

# dissector_bug_protocols FILE: the protocol of every "[Dissector bug, protocol X: ...]" in FILE
dissector_bug_protocols() {
  sed -n 's/.*Dissector bug, protocol \([A-Za-z0-9_.-]*\):.*/\1/p' "$1"
}

# the same environment without WIRESHARK_ABORT_ON_DISSECTOR_BUG (epan tests
# only whether it is set)
ENVV_NO_ABORT=()
for e in "${ENVV[@]}"; do
  [ "$e" = WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 ] || ENVV_NO_ABORT+=("$e")
done

PROBS=(0.002 0.005 0.01 0.02 0.05)
FOREIGN=0
RANDOM=$SEED
START=$(date +%s)
MUTATED=0
RUNS=0
FAILURES=0
SUSPICIOUS=0
i=0
echo "mutate: ${#NAMES[@]} captures, sanitizer build: $SANITIZED, statistics:${STATS[*]:- none}, work dir $OUT"
while :; do
  if [ -n "$COUNT" ] && [ "$MUTATED" -ge "$COUNT" ]; then break; fi
  if [ -n "$TIME" ] && [ $(($(date +%s) - START)) -ge "$TIME" ]; then break; fi
  name=${NAMES[$((i % ${#NAMES[@]}))]}
  s=$((SEED + i))
  i=$((i + 1))
  base="$HOME_DIR/base/$name.pcapng"
  mut="$HOME_DIR/mut.pcapng"
  # 3 in 4: byte errors (half of them past the Ethernet/IPv4/TCP headers);
  # 1 in 4: truncation to a random snaplen, with byte errors half the time.
  kind=$((RANDOM % 8))
  prob=${PROBS[$((RANDOM % ${#PROBS[@]}))]}
  args=()
  case $kind in
    0|1|2) args=(-E "$prob" --seed "$s") ;;
    3|4|5) args=(-E "$prob" --seed "$s" -o 54) ;;
    6) args=(-s $((54 + RANDOM % 200))) ;;
    7) args=(-s $((54 + RANDOM % 200)) -E "$prob" --seed "$s" -o 54) ;;
  esac
  editcap "${args[@]}" "$base" "$mut" >/dev/null 2>&1 || { echo "editcap failed: ${args[*]}" >&2; exit 2; }
  chmod a+r "$mut"
  # a full tree; two passes, as the GUI re-dissects; no visible tree (the one-line output:
  # the plugin's short hand-off, semantics/dhcpm-handoff.c, decodes instead of DCE/RPC's)
  case $((i % 3)) in
    0) targs=(-2 -nVxr "$mut" "${STATS[@]}") ;;
    1) targs=(-nVxr "$mut" "${STATS[@]}") ;;
    *) targs=(-n -r "$mut" "${STATS[@]}") ;;
  esac
  timeout -k 5 "$TIMEOUT" "${PREFIX[@]}" "${ENVV[@]}" tshark "${targs[@]}" \
    >"$HOME_DIR/stdout" 2>"$HOME_DIR/stderr"
  rc=$?
  RUNS=$((RUNS + 1))
  MUTATED=$((MUTATED + COPIES[$name]))
  if [ "$rc" = 134 ] && grep -q 'failed assertion' "$HOME_DIR/stderr"; then
    # A DISSECTOR_ASSERT fired and WIRESHARK_ABORT_ON_DISSECTOR_BUG stopped
    # tshark before it said whose.  Run again without the abort: the tree then
    # names the protocol ("[Dissector bug, protocol SMB2: ...]").  If every
    # dissector bug is Wireshark's own dissector of another protocol (SMB2 on
    # 4.0 does this on mutated captures), it is not ours: count it apart; the
    # rerun's output is checked as usual for the rest of the capture.
    cp "$HOME_DIR/stderr" "$HOME_DIR/stderr.abort"
    timeout -k 5 "$TIMEOUT" "${PREFIX[@]}" "${ENVV_NO_ABORT[@]}" tshark "${targs[@]}" \
      >"$HOME_DIR/stdout" 2>"$HOME_DIR/stderr"
    rc2=$?
    foreign=$(dissector_bug_protocols "$HOME_DIR/stdout" | grep -v -x -E 'DHCPSRV2?' | sort -u | tr '\n' ' ')
    if [ "$rc2" = 0 ] && [ -n "$foreign" ] && ! dissector_bug_protocols "$HOME_DIR/stdout" | grep -q -x -E 'DHCPSRV2?'; then
      FOREIGN=$((FOREIGN + 1))
      rc=0
      sed -i '/Dissector bug, protocol/d' "$HOME_DIR/stderr"
      if [ "$FOREIGN" -le 20 ]; then
        cp "$mut" "$OUT/failures/foreign-$name-seed$s.pcapng"
        echo "dissector bug of ${foreign% } (Wireshark's); editcap ${args[*]} $name.pcapng (x${COPIES[$name]}); tshark ${targs[*]}" \
          > "$OUT/failures/foreign-$name-seed$s.txt"
      fi
    else
      cp "$HOME_DIR/stderr.abort" "$HOME_DIR/stderr"
    fi
  fi
  why=
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then why="hang (timeout ${TIMEOUT}s)"
  elif [ "$rc" -ge 128 ]; then why="crash (signal $((rc - 128)))"
  elif [ "$rc" != 0 ]; then why="exit status $rc"
  elif grep -qE 'AddressSanitizer|runtime error:|Dissector bug|\*\* \(tshark|CRITICAL|ERROR' "$HOME_DIR/stderr"; then
    why="error on stderr"
  fi
  if [ -z "$why" ] && grep -q 'Malformed Packet: DHCPSRV' "$HOME_DIR/stdout"; then
    # An exception escaped the dhcpsrv2 dissector: the NDR layer is meant to
    # catch every short read itself.  Kept for review, counted apart.
    SUSPICIOUS=$((SUSPICIOUS + 1))
    if [ "$SUSPICIOUS" -le 20 ]; then
      cp "$mut" "$OUT/failures/suspicious-$name-seed$s.pcapng"
      echo "editcap ${args[*]} $name.pcapng (x${COPIES[$name]}); tshark ${targs[*]}" \
        > "$OUT/failures/suspicious-$name-seed$s.txt"
    fi
  fi
  if [ -n "$why" ]; then
    FAILURES=$((FAILURES + 1))
    f="$OUT/failures/$name-seed$s"
    cp "$mut" "$f.pcapng"
    { echo "why: $why"
      echo "editcap ${args[*]} $CAPTURES/$name.pcapng (x${COPIES[$name]} copies, fuzz/multiply_capture.py)"
      echo "tshark ${targs[*]}"
      echo "--- stderr"; tail -60 "$HOME_DIR/stderr"; } > "$f.txt"
    echo "mutate: FAILURE $why: $f.pcapng" >&2
  fi
  if [ $((RUNS % 50)) = 0 ]; then
    echo "mutate: $MUTATED mutated captures, $RUNS tshark runs, $FAILURES failures," \
         "$SUSPICIOUS suspicious, $(($(date +%s) - START)) s"
  fi
done
echo "mutate: $MUTATED mutated captures in $RUNS tshark runs, $FAILURES failures," \
     "$SUSPICIOUS with an exception in DHCPSRV2, $FOREIGN with a dissector bug of another protocol" \
     "(Wireshark's, rerun without the abort) ($(($(date +%s) - START)) s)"
[ "$FAILURES" = 0 ]
