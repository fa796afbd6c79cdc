#!/bin/bash
# The Wireshark version matrix: builds the plugin and runs the whole ctest
# suite against Debian's Wireshark of another release, inside a Debian root
# made with mmdebstrap, exactly as on the host (tshark unprivileged, as
# `nobody`).  Then builds the .deb for that version, installs it into the
# (clean) root with dpkg -i and checks that tshark loads it from the system
# plugin directory and decodes test-captures/ndr-basic.pcapng.
#
#   scripts/matrix.sh [--cache-only] [4.0|4.4|4.6|all]...   (default: all)
#
#   4.4 = trixie (Debian 13), 4.6 = forky (Debian testing): build, whole
#         ctest suite, .deb (cpack) installed into a clean root
#   4.0 = bookworm (Debian 12, the host's own version): the host suite covers
#         it, so only the host build's .deb ($BUILD_DIR, default build/) is
#         installed into a clean bookworm root and checked
#   --cache-only: make (or find) the roots, run nothing
#
# The .deb of each version is copied to $MATRIX_OUT (default $BUILD_DIR/debs).
#
# Roots are cached in $MATRIX_CACHE (default /var/cache/dhcpsrv2-matrix) as
# <suite>-<key>.tar.zst, where <key> hashes the suite, the mmdebstrap options
# and scripts/test-packages.txt (the ONE list of what the suite needs): adding
# a package there makes the next run build a fresh root.  Each run extracts
# the root into a scratch directory and throws it away afterwards, so every
# run (and every dpkg -i) starts from a clean root.
#
# The source tree is bound read-only at /work/src and the repository's
# ../shared (protocol notes, independent vectors; else /work/shared, or
# $MATRIX_SHARED) read-only at /work/shared, i.e. at ../shared of the source
# as the tests expect; the build happens in /tmp/build inside the root.
# Exit status: 0 when every version passed; otherwise a line
# "matrix: FAILED for Wireshark X.Y (...)" names each failed version.
# Needs root (chroot, mounts), mmdebstrap and zstd (scripts/setup-debian.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

CACHE=${MATRIX_CACHE:-/var/cache/dhcpsrv2-matrix}
# The repository's ../shared (independent vectors, protocol notes), seen at
# /work/shared in the roots: a clone beside it has it; a git worktree
# elsewhere takes /work/shared; MATRIX_SHARED overrides.
SHARED=${MATRIX_SHARED:-$SRC/../shared}
[ -d "$SHARED" ] || SHARED=/work/shared
SCRATCH_BASE=${MATRIX_SCRATCH:-/var/tmp}
MIRROR=${MATRIX_MIRROR:-http://deb.debian.org/debian}
# The archive copy reachable here is frozen: forky's Release file is past its
# Valid-Until, so apt must not check it.
MMDEBSTRAP_OPTS=(--variant=minbase
                 --aptopt='APT::Install-Recommends "false"'
                 --aptopt='Acquire::Check-Valid-Until "false"'
                 --dpkgopt='path-exclude=/usr/share/doc/*'
                 --dpkgopt='path-exclude=/usr/share/man/*'
                 --dpkgopt='path-exclude=/usr/share/locale/*')

suite_of() {
  case "$1" in
    4.0) echo bookworm ;;
    4.4) echo trixie ;;
    4.6) echo forky ;;
    *) echo "matrix: unknown Wireshark version '$1' (4.0, 4.4, 4.6 or all)" >&2; return 1 ;;
  esac
}

packages() {  # the package list, comma-separated, comments and blanks dropped
  sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/test-packages.txt | grep -v '^$' | paste -sd, -
}

root_key() {
  { echo "$1"; echo "$MIRROR"; printf '%s\n' "${MMDEBSTRAP_OPTS[@]}"; packages; } \
    | sha256sum | cut -c1-16
}

# Prints the path of the cached root tarball of suite $1, making it if needed.
cached_root() {
  local suite=$1 key tarball
  key=$(root_key "$suite")
  tarball="$CACHE/$suite-$key.tar.zst"
  if [ ! -s "$tarball" ]; then
    mkdir -p "$CACHE"
    echo "matrix: making the $suite root ($(packages | tr , ' '))" >&2
    local t0=$SECONDS
    # Older roots of this suite were made from another package list.
    rm -f "$CACHE/$suite"-*.tar.zst "$CACHE/$suite"-*.tar.zst.tmp
    nice -n 10 mmdebstrap "${MMDEBSTRAP_OPTS[@]}" --include="$(packages)" \
      --format=tar "$suite" - "$MIRROR" | zstd -q -T2 -6 -o "$tarball.tmp" >&2
    mv "$tarball.tmp" "$tarball"
    echo "matrix: $suite root made in $((SECONDS - t0)) s ($(du -h "$tarball" | cut -f1))" >&2
  fi
  echo "$tarball"
}

# --- entering and leaving a root --------------------------------------------
MOUNTS=()       # mount points, in mount order
SCRATCH=()      # scratch directories to delete at exit
cleanup() {
  local i d
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
  MOUNTS=()
  for d in "${SCRATCH[@]}"; do
    # Never rm -rf through a mount (/dev is bound read-write).
    if grep -q -e " $d/" -e " $d " /proc/self/mounts; then
      echo "matrix: $d still has mounts; not deleting it" >&2
    else
      rm -rf "$d"
    fi
  done
  SCRATCH=()
}
trap cleanup EXIT

bind() {  # bind SRC DEST [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  MOUNTS+=("$2")
  if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}

# Extracts the cached root of suite $1 into directory $2 and mounts what the
# suite needs: /proc, /dev, the source tree and ../shared read-only.
enter_root() {
  local tarball=$1 root=$2
  mkdir -p "$root"
  tar --zstd -xpf "$tarball" -C "$root" --numeric-owner
  mount -t proc proc "$root/proc"; MOUNTS+=("$root/proc")
  bind /dev "$root/dev"
  bind "$SRC" "$root/work/src" ro
  if [ -d "$SHARED" ]; then bind "$SHARED" "$root/work/shared" ro; fi
}

in_root() {  # in_root ROOT COMMAND: runs COMMAND with /bin/sh -c in ROOT, as root
  chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    JOBS="$(nproc)" /bin/sh -c "$2"
}

# --- one version -------------------------------------------------------------
# The project's build (-Werror) and the whole ctest suite, then its .deb
# installed with dpkg -i into a fresh copy of the root: tshark must list the
# plugin from the system plugin directory and decode ndr-basic.pcapng.
BUILD_AND_TEST='set -e
  cmake -S /work/src -B /tmp/build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/tmp/configure.log 2>&1 ||
    { cat /tmp/configure.log; exit 1; }
  nice -n 10 cmake --build /tmp/build -j "$JOBS" >/tmp/build.log 2>&1 || { tail -60 /tmp/build.log; exit 1; }
  test -f /tmp/build/stage/$(cat /tmp/build/wireshark-abi)/epan/dhcpsrv2.so
  echo "tshark: $(tshark --version | head -1)"
  cd /tmp/build && nice -n 10 ctest --output-on-failure -j "$JOBS"'
MAKE_DEB='set -e; cd /tmp/build && cpack -G DEB >/tmp/cpack.log 2>&1 || { cat /tmp/cpack.log; exit 1; }
  ls /tmp/build/*.deb'
INSTALL_DEB='set -e; dpkg -i /tmp/deb/*.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
  dpkg -L wireshark-dhcpsrv2-plugin | grep "dhcpsrv2.so$"
  python3 /work/src/scripts/check-decode.py --system'

FAILED=()
fail() { FAILED+=("Wireshark $1 ($2)"); echo "matrix: FAILED for Wireshark $1 ($2)"; }

run_version() {
  local v=$1 mode=$2 suite tarball work t0=$SECONDS
  suite=$(suite_of "$v")
  tarball=$(cached_root "$suite")
  work=$(mktemp -d "$SCRATCH_BASE/dhcpsrv2-matrix-$v.XXXXXX")
  SCRATCH+=("$work")
  # Roots live in RAM: extracting and deleting 700 MB on a busy disk costs minutes.
  mount -t tmpfs -o "size=${MATRIX_TMPFS_SIZE:-6g},mode=755" tmpfs "$work"; MOUNTS+=("$work")
  mkdir -p "$work/deb"
  if [ "$mode" = full ]; then
    echo "matrix: === Wireshark $v ($suite): build + ctest"
    enter_root "$tarball" "$work/build-root"
    if in_root "$work/build-root" "$BUILD_AND_TEST" 2>&1 | sed -u "s/^/[$v] /"; then
      in_root "$work/build-root" "$MAKE_DEB" 2>&1 | sed -u "s/^/[$v] /" || fail "$v" ".deb"
      cp "$work"/build-root/tmp/build/*.deb "$work/deb/" 2>/dev/null || true
    else
      fail "$v" "build or ctest"
    fi
    cleanup_mounts_of "$work/build-root"
  else
    # The host's own version: the host suite covers it; package the host build.
    echo "matrix: === Wireshark $v ($suite): .deb of the host build $BUILD_DIR"
    (cd "$BUILD_DIR" && cpack -G DEB >cpack.log 2>&1) || { cat "$BUILD_DIR/cpack.log"; fail "$v" ".deb"; }
    cp "$BUILD_DIR"/wireshark-dhcpsrv2-plugin_*+ws"$v"_*.deb "$work/deb/" 2>/dev/null || true
  fi
  if ls "$work"/deb/*.deb >/dev/null 2>&1; then
    echo "matrix: === Wireshark $v ($suite): dpkg -i $(basename "$work"/deb/*.deb) into a clean root"
    enter_root "$tarball" "$work/deb-root"
    cp -r "$work/deb" "$work/deb-root/tmp/deb"
    in_root "$work/deb-root" "$INSTALL_DEB" 2>&1 | sed -u "s/^/[$v] /" || fail "$v" ".deb install"
    cleanup_mounts_of "$work/deb-root"
    mkdir -p "$OUT_DIR"
    cp "$work"/deb/*.deb "$OUT_DIR/"
  else
    fail "$v" "no .deb"
  fi
  cleanup_mounts_of "$work"
  echo "matrix: === Wireshark $v: $((SECONDS - t0)) s"
}

cleanup_mounts_of() {  # unmounts $1 and everything below it (in reverse order)
  local i keep=()
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    case "${MOUNTS[$i]}" in
      "$1"|"$1"/*) umount "${MOUNTS[$i]}" || umount -l "${MOUNTS[$i]}" ;;
      *) keep=("${MOUNTS[$i]}" "${keep[@]}") ;;
    esac
  done
  MOUNTS=("${keep[@]}")
  if grep -q -e " $1/" -e " $1 " /proc/self/mounts; then
    echo "matrix: $1 still has mounts" >&2; exit 1
  fi
}

# --- main ----------------------------------------------------------------------
[ "$(id -u)" = 0 ] || { echo "matrix: needs root (chroot, mounts)" >&2; exit 2; }
for tool in mmdebstrap zstd chroot; do
  command -v "$tool" >/dev/null || { echo "matrix: $tool missing (scripts/setup-debian.sh)" >&2; exit 2; }
done
BUILD_DIR=${BUILD_DIR:-build}
OUT_DIR=${MATRIX_OUT:-$BUILD_DIR/debs}      # the .deb of every version lands here
CACHE_ONLY=no
VERSIONS=()
for arg in "$@"; do
  case "$arg" in
    --cache-only) CACHE_ONLY=yes ;;
    all) VERSIONS+=(4.4 4.6 4.0) ;;
    4.0|4.4|4.6) VERSIONS+=("$arg") ;;
    *) suite_of "$arg" >/dev/null; exit 2 ;;
  esac
done
[ ${#VERSIONS[@]} = 0 ] && VERSIONS=(4.4 4.6 4.0)

# Make the missing roots side by side (mostly download and dpkg time).
pids=()
for v in "${VERSIONS[@]}"; do
  cached_root "$(suite_of "$v")" >/dev/null & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { echo "matrix: FAILED to make a root" >&2; exit 1; }; done
[ "$CACHE_ONLY" = yes ] && exit 0

t_all=$SECONDS
for v in "${VERSIONS[@]}"; do
  if [ "$v" = 4.0 ]; then run_version "$v" deb-only; else run_version "$v" full; fi
done
echo "matrix: ${VERSIONS[*]} in $((SECONDS - t_all)) s"
if [ ${#FAILED[@]} != 0 ]; then
  printf 'matrix: FAILED for %s\n' "${FAILED[@]}"
  exit 1
fi
echo "matrix: all passed (${VERSIONS[*]}); packages in $OUT_DIR"
