#!/usr/bin/env python3
"""Captures that once broke the plugin (test-captures/regressions/*.pcapng).

Each is read twice (-2, so the second pass reuses first-pass state) with a
full tree and every statistics output, as the mutation runs do; the test
fails on a non-zero exit or on any sanitizer or dissector-bug report.  It
matters most in the ASan+UBSan ctest pass of scripts/robustness-ci.sh, where
undefined behaviour is reported on stderr.

Usage: test_regressions.py --build-dir B --captures-dir D
"""
import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tshark_env import Tshark  # noqa: E402

OUTPUTS = ("dhcpsrv2,records", "dhcpsrv2_failover,relationships", "dhcpsrv2_failover,scopes",
           "dhcpsrv2_failover,tree")
BAD = ("runtime error:", "AddressSanitizer", "Dissector bug", "DISSECTOR_ASSERT")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--captures-dir", required=True)
    args = ap.parse_args()
    tshark = Tshark(args.build_dir)
    tshark.assert_plugin_loaded()
    captures = sorted(glob.glob(os.path.join(args.captures_dir, "regressions", "*.pcapng")))
    if not captures:
        raise SystemExit("no regression captures found")
    failed = 0
    for capture in captures:
        zargs = [a for out in OUTPUTS for a in ("-z", out)]
        tshark.run("-2", "-nVxr", tshark.readable(capture), *zargs, check=False)
        bad = [line for line in tshark.last_stderr.splitlines() if any(b in line for b in BAD)]
        name = os.path.basename(capture)
        if tshark.last_returncode != 0 or bad:
            failed += 1
            print(f"FAIL {name}: exit {tshark.last_returncode}; " + " | ".join(bad[:3]))
        else:
            print(f"ok   {name}")
    print(f"{len(captures) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
