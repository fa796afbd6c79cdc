#!/bin/bash
# Builds the UNCHANGED plugin/ sources as a custom plugin inside a Wireshark
# source tree (Wireshark's CUSTOM_PLUGIN_SRC_DIR mechanism, the route of
# Windows and macOS users and of an upstream merge), then checks that the
# tshark built there loads it and decodes test-captures/ndr-basic.pcapng with
# exactly the same dhcpsrv2/dhcpsrv values as the standalone build against
# the installed Wireshark (build/, from scripts/build.sh).
#
#   scripts/build-in-tree.sh            (Debian 12 host, as root)
#
# Uses Debian's wireshark source package of the installed tshark version
# (4.0.17 on Debian 12: `apt-get source`, with a deb-src entry added if the
# machine has none) in $INTREE_DIR (default /var/tmp/dhcpsrv2-intree).  Only
# what a tshark-only build needs is installed (scripts/setup-debian.sh
# --in-tree); the Qt GUI is not built.  Slow (about an hour on 2 busy cores:
# see docs/building.md), so it is not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
WORK=${INTREE_DIR:-/var/tmp/dhcpsrv2-intree}
STANDALONE_BUILD=${STANDALONE_BUILD:-$SRC/build}
t0=$SECONDS

./scripts/setup-debian.sh --in-tree

# --- Debian's source of the installed Wireshark ---------------------------
ws_version=$(dpkg-query -W -f='${Version}' tshark)          # e.g. 4.0.17-0+deb12u3
upstream=${ws_version%%-*}                                   # 4.0.17
if ! apt-cache showsrc wireshark 2>/dev/null | grep -x "Version: $ws_version" >/dev/null; then
  echo "in-tree: adding a deb-src entry for $(. /etc/os-release; echo "$VERSION_CODENAME")"
  codename=$(. /etc/os-release; echo "$VERSION_CODENAME")
  cat > /etc/apt/sources.list.d/dhcpsrv2-deb-src.sources <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $codename-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt-get update -q
fi
mkdir -p "$WORK"
WS="$WORK/wireshark-$upstream"
if [ ! -f "$WS/CMakeLists.txt" ]; then
  (cd "$WORK" && apt-get source -q "wireshark=$ws_version")
fi

# --- the plugin as a custom plugin of that tree ---------------------------
# add_subdirectory() wants a directory inside the Wireshark tree: the
# repository is linked in as plugins/epan/dhcpsrv2 (a Windows user copies it
# there instead), and CUSTOM_PLUGIN_SRC_DIR names its plugin/ directory.
ln -sfn "$SRC" "$WS/plugins/epan/dhcpsrv2"
B="$WS/build-dhcpsrv2"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$B/CMakeCache.txt" ]; then
  nice -n 15 cmake "${generator[@]}" -S "$WS" -B "$B" \
    -DCUSTOM_PLUGIN_SRC_DIR=plugins/epan/dhcpsrv2/plugin \
    -DBUILD_wireshark=OFF -DBUILD_logray=OFF -DBUILD_sharkd=OFF -DBUILD_rawshark=OFF \
    -DBUILD_dumpcap=OFF -DBUILD_text2pcap=OFF -DBUILD_mergecap=OFF -DBUILD_reordercap=OFF \
    -DBUILD_editcap=OFF -DBUILD_capinfos=OFF -DBUILD_captype=OFF -DBUILD_randpkt=OFF \
    -DBUILD_dftest=OFF -DBUILD_dcerpcidl2wrs=OFF -DBUILD_androiddump=OFF -DBUILD_sshdump=OFF \
    -DBUILD_ciscodump=OFF -DBUILD_dpauxmon=OFF -DBUILD_randpktdump=OFF -DBUILD_wifidump=OFF \
    -DBUILD_udpdump=OFF -DBUILD_sdjournal=OFF -DBUILD_mmdbresolve=OFF \
    -DENABLE_PCAP=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
nice -n 15 cmake --build "$B" -j "$(nproc)" --target tshark dhcpsrv2
built_s=$((SECONDS - t0))

# --- check: the tshark built there loads it and decodes like the standalone build
plugin="$B/run/plugins/${upstream%.*}/epan/dhcpsrv2.so"
test -f "$plugin" || { echo "in-tree: $plugin was not built" >&2; exit 1; }
[ -f "$STANDALONE_BUILD/stage/${upstream%.*}/epan/dhcpsrv2.so" ] || BUILD_DIR="$STANDALONE_BUILD" ./scripts/build.sh
python3 scripts/check-decode.py --in-tree-tshark "$B/run/tshark" \
  --standalone-build "$STANDALONE_BUILD" "$SRC/test-captures/ndr-basic.pcapng"
echo "in-tree: OK -- built in ${built_s} s (tshark + dhcpsrv2, $(nproc) cores), total $((SECONDS - t0)) s"
