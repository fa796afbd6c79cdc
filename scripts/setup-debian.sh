#!/bin/sh
# Installs everything the project needs on a fresh Debian 12 machine
# (build, tests, fuzzing, benchmarks, the version matrix).
# --in-tree: also what scripts/build-in-tree.sh needs.  Needs root, or sudo.
set -eu

# What the build and the ctest suite need: one list, shared with the matrix
# roots (scripts/matrix.sh), in scripts/test-packages.txt.
PACKAGES="$(sed -e 's/#.*//' "$(dirname "$0")/test-packages.txt")
  clang libclang-rt-14-dev
  valgrind
  time hyperfine
  mmdebstrap zstd
"
# scripts/build-in-tree.sh: a tshark-only build of Wireshark's own source tree.
if [ "${1:-}" = "--in-tree" ]; then
  PACKAGES="$PACKAGES dpkg-dev ninja-build flex bison perl libgcrypt20-dev libc-ares-dev libpcre2-dev zlib1g-dev"
fi

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
