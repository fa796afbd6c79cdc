#!/usr/bin/env python3
"""Re-encode the vectors' values with tools/ndr_encode.py (driven by plugin/idl/ms-dhcpm.idl) and compare the
bytes with go-msrpc's stubs in the vector captures: a check of the description's wire layout (pointer
levels, alignment, unions, NDR64 padding) against an independent encoder, frame by frame.

    tools/check_encoder.py [--vectors DIR] [--show N]

Referent ids are not compared (go-msrpc numbers them by stream offset, we from 0x20000): only whether each
is NULL.  Exit 1 when any frame differs.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idl_subset import parse  # noqa: E402
from ndr_encode import Marshal  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stubs(pcap):
    out = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-e", "frame.number", "-e", "dcerpc.stub_data"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[1]:
            res[int(parts[0])] = bytes.fromhex(parts[1].replace(":", ""))
    return res


def same(ours, theirs, ref_offsets, psize):
    if len(ours) != len(theirs):
        return False, f"length {len(ours)} vs {len(theirs)}"
    skip = set()
    for off in ref_offsets:
        if any(theirs[off:off + psize]):
            skip.update(range(off, off + psize))
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b and i not in skip:
            return False, f"first difference at byte {i}: ours {ours[i:i+8].hex()} theirs {theirs[i:i+8].hex()}"
    return True, ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vectors", default=os.environ.get("DHCPSRV2_VECTORS_DIR",
                                                        os.path.join(REPO, "..", "shared", "vectors")))
    ap.add_argument("--idl", default=os.path.join(REPO, "plugin", "idl", "ms-dhcpm.idl"))
    ap.add_argument("--show", type=int, default=40)
    args = ap.parse_args()
    if not os.path.isdir(args.vectors):
        print(f"SKIP: no vectors at {os.path.abspath(args.vectors)}")
        return 77
    idl = parse(open(args.idl, encoding="utf-8").read())
    bad = total = 0
    for name, ndr64 in (("dhcpm-ndr", False), ("dhcpm-ndr64", True)):
        vec = json.load(open(os.path.join(args.vectors, name + ".json"), encoding="utf-8"))
        wire = stubs(os.path.join(args.vectors, name + ".pcapng"))
        m = Marshal(idl, ndr64=ndr64)
        shown = 0
        for num, fr in sorted(vec["frames"].items(), key=lambda kv: int(kv[0])):
            total += 1
            meth = next(x for x in idl.interfaces[fr["interface"]].methods if x.opnum == fr["opnum"])
            direction = "in" if fr["direction"] == "request" else "out"
            try:
                ours = m.stub(meth, direction, fr["values"])
                ok, why = same(ours, wire.get(int(num), b""), m.ref_offsets, m.ptr_size())
            except Exception as exc:  # a value tree the encoder cannot follow is a finding too
                ok, why = False, f"encoder: {type(exc).__name__}: {exc}"
            if not ok:
                bad += 1
                if shown < args.show:
                    print(f"{name} frame {num} {fr['method']} {fr['direction']}: {why}")
                    shown += 1
    print(f"{total - bad}/{total} frames byte-identical (referent ids aside)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
