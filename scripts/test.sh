#!/bin/sh
# README command (2): set up a fresh Debian 12 machine, build, and run every test:
# the ctest suite, then the time-bounded robustness run (ctest again under
# ASan+UBSan, a short libFuzzer run, editcap mutations, valgrind).
set -eu
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
./scripts/robustness-ci.sh
