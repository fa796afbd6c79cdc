#!/bin/sh
# Installs everything the project needs on a fresh Debian 12 machine
# (build, tests, fuzzing, benchmarks).  Needs root, or sudo.
set -eu

PACKAGES="
  ca-certificates
  cmake make gcc pkg-config
  wireshark-dev libwireshark-dev libglib2.0-dev tshark
  python3
  python3-impacket
  util-linux
  clang libclang-rt-14-dev
  valgrind
  time hyperfine
"

SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "setup: all packages present"
  exit 0
fi
echo "setup: installing$missing"
$SUDO apt-get update -q
# wireshark-common asks whether non-root users may capture: answer no, quietly.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
