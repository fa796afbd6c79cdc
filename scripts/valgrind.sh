#!/bin/bash
# Valgrind memcheck of the real tshark with the built plugin over captures.
# Fails on any memcheck error (invalid read/write, use of uninitialised
# values, bad free, definite leak) whose stack has a frame in dhcpsrv2.so;
# errors entirely inside Wireshark or its libraries are counted and listed,
# not failed on.  See docs/robustness.md.
#
#   scripts/valgrind.sh [--build-dir DIR] [--jobs J] [--out DIR] [CAPTURE.pcapng ...]
#
#   --build-dir DIR  a normal (not -DDHCPSRV2_SANITIZE) build, default build/
#   --jobs J         captures checked at once (default: number of CPUs)
#   --out DIR        keep the XML reports there (default: a temporary directory)
#   CAPTURE...       default: every test-captures/*.pcapng
#
# Each capture is read twice in one run (tshark -2: first pass, then the
# visited pass) with the full tree and hex dump (-V -x).
set -u
cd "$(dirname "$0")/.."

BUILD_DIR=build
JOBS=$(nproc)
OUT=
CAPS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "valgrind.sh: unknown option $1" >&2; exit 2 ;;
    *) CAPS+=("$1"); shift ;;
  esac
done
[ ${#CAPS[@]} = 0 ] && CAPS=(test-captures/*.pcapng)
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; exit 2; }

. scripts/plugin-path.sh
PLUGIN=$(staged_plugin "$BUILD_DIR")
ABI=$(plugin_abi "$BUILD_DIR")
[ -f "$PLUGIN" ] || { echo "valgrind.sh: $PLUGIN missing: build first (scripts/build.sh)" >&2; exit 2; }
if readelf -d "$PLUGIN" | grep -q 'NEEDED.*libasan'; then
  echo "valgrind.sh: $PLUGIN is an ASan build; valgrind needs a normal one" >&2; exit 2
fi

HOME_DIR=$(mktemp -d /tmp/dhcpsrv2-valgrind.XXXXXX)
trap 'rm -rf "$HOME_DIR"' EXIT
mkdir -p "$HOME_DIR/plugins/$ABI/epan" "$HOME_DIR/extcap" "$HOME_DIR/caps" "$HOME_DIR/xml"
cp "$PLUGIN" "$HOME_DIR/plugins/$ABI/epan/"
for c in "${CAPS[@]}"; do cp "$c" "$HOME_DIR/caps/"; done
chmod -R a+rX "$HOME_DIR"
chmod 1777 "$HOME_DIR" "$HOME_DIR/xml"
PREFIX=()
if [ "$(id -u)" = 0 ] || [ "$(id -g)" = 0 ]; then
  PREFIX=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi

run_one() {
  local cap=$1 name
  name=$(basename "$cap" .pcapng)
  "${PREFIX[@]}" env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" WIRESHARK_CONFIG_DIR="$HOME_DIR" \
    WIRESHARK_PLUGIN_DIR="$HOME_DIR/plugins" WIRESHARK_EXTCAP_DIR="$HOME_DIR/extcap" \
    TZ=UTC LANG=C LC_ALL=C WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 G_SLICE=always-malloc \
    valgrind --tool=memcheck --xml=yes --xml-file="$HOME_DIR/xml/$name.xml" \
      --num-callers=40 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
      --track-origins=no \
      tshark -2 -nVxr "$HOME_DIR/caps/$name.pcapng" >/dev/null 2>"$HOME_DIR/xml/$name.stderr"
  echo "$? $name"
}

START=$(date +%s)
echo "valgrind: ${#CAPS[@]} capture(s), $JOBS at a time"
running=0
for cap in "${CAPS[@]}"; do
  run_one "$cap" > "$HOME_DIR/xml/$(basename "$cap" .pcapng).rc" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait

python3 - "$HOME_DIR/xml" <<'EOF'
import glob, os, sys
import xml.etree.ElementTree as ET

d = sys.argv[1]
plugin_errors = other_errors = failed_runs = 0
for xml in sorted(glob.glob(os.path.join(d, "*.xml"))):
    name = os.path.basename(xml)[:-4]
    rc = open(os.path.join(d, name + ".rc")).read().split()[0]
    try:
        root = ET.parse(xml).getroot()
    except ET.ParseError as e:
        print(f"FAIL {name}: unreadable valgrind report ({e}), tshark exit {rc}")
        failed_runs += 1
        continue
    mine, theirs = [], 0
    for err in root.iter("error"):
        kind = err.findtext("kind")
        frames = [(f.findtext("obj") or "", f.findtext("fn") or "?", f.findtext("file") or "",
                   f.findtext("line") or "") for f in err.iter("frame")]
        if any(obj.endswith("dhcpsrv2.so") for obj, _, _, _ in frames):
            text = err.findtext("what") or (err.find("xwhat").findtext("text")
                                            if err.find("xwhat") is not None else kind)
            mine.append((kind, text, frames))
        else:
            theirs += 1
    status = "ok  " if not mine and rc == "0" else "FAIL"
    if rc != "0":
        failed_runs += 1
    print(f"{status} {name}: {len(mine)} error(s) in plugin code, {theirs} elsewhere, tshark exit {rc}")
    for kind, text, frames in mine:
        print(f"     {kind}: {text}")
        for obj, fn, file, line in frames[:12]:
            where = f"{file}:{line}" if file else os.path.basename(obj)
            print(f"        {fn} ({where})")
    plugin_errors += len(mine)
    other_errors += theirs
print(f"valgrind: {plugin_errors} error(s) in plugin code, {other_errors} outside it, "
      f"{failed_runs} failed run(s)")
sys.exit(1 if plugin_errors or failed_runs else 0)
EOF
rc=$?
if [ -n "$OUT" ]; then mkdir -p "$OUT" && cp "$HOME_DIR"/xml/* "$OUT/"; fi
echo "valgrind: $(($(date +%s) - START)) s"
exit $rc
