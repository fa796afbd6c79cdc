#!/usr/bin/env python3
"""tests/test_handoff.py -- the plugin's own DCE/RPC hand-off (plugin/semantics/dhcpm-handoff.c).

In runs without a visible tree the plugin decodes clear and decrypted stubs
without DCE/RPC's generic stub handling; the promise is that nothing anyone
can observe changes.  For the committed captures (with their secrets), this
runs the tree-less outputs with the short way on (default) and off
(`-o dhcpsrv2.fast_handoff:FALSE`) and requires them byte for byte equal:

    the one-line output (Info, protocol column), also with -2;
    -z dhcpsrv2,records (the statistics' input), with detection on and off;
    the three -z dhcpsrv2_failover outputs;
    a display filter run (-Y).

All of them for the captures in FULL (clear, sealed, coalesced, Kerberos);
the one-line output (no tree) and the records (an invisible tree) for the rest.

It also checks that the short way is taken where it should be and only there
(the hand-off counts that `-z dhcpsrv2,records` prints): every PDU of the
clear captures listed below goes short in tree-less runs, none with -V (a
visible tree), none with the preference off.  A capture made here
from demo.pcapng with 4 bytes added to a response's stub checks DCE/RPC's
"Long frame" expert and "[Long frame (4 bytes)]" Info text on the short way
(also through the expert tap and an expert filter) against DCE/RPC's way.

Usage: tests/test_handoff.py --build-dir BUILD --captures-dir test-captures
"""

import argparse
import json
import os
import re
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_env  # noqa: E402
from test_captures import tshark_options  # noqa: E402

OFF = ["-o", "dhcpsrv2.fast_handoff:FALSE"]
ALL_SHORT = ["demo", "fast-poll-ndr", "fast-poll-ndr64", "ndr-bigendian", "impacket-scope-stats",
             "failover-methods-ndr", "failover-methods-ndr64", "generic-scenarios-ndr"]
TREELESS = {
    "default": [],
    "default -2": ["-2"],
    "records": ["-q", "-z", "dhcpsrv2,records"],
    "records, detection off": ["-q", "-o", "dhcpsrv2.detect_sealed:FALSE", "-z", "dhcpsrv2,records"],
    "statistics": ["-q", "-z", "dhcpsrv2_failover,tree", "-z", "dhcpsrv2_failover,scopes",
                   "-z", "dhcpsrv2_failover,relationships"],
    "filter": ["-Y", "dhcpsrv2 || dhcpsrv"],
    "expert tap": ["-q", "-z", "expert"],
    "expert filter": ["-Y", "_ws.expert || dcerpc.long_frame"],
    # a visible tree on 4.0 (DCE/RPC's way both times), not on 4.4/4.6 (the short way)
    "fields": ["-T", "fields", "-e", "frame.protocols", "-e", "_ws.col.Info", "-e", "_ws.expert",
               "-e", "dcerpc.long_frame", "-e", "dcerpc.payload_stub_data", "-e", "dcerpc.request_in",
               "-e", "dcerpc.response_in", "-e", "dhcpsrv2.opnum", "-e", "dhcpsrv.opnum",
               "-e", "dhcpsrv2.server_ip_address", "-e", "dhcpsrv2.werror"],
}


class Failures(list):
    def eq(self, what, got, want):
        if got != want:
            self.append(f"{what}: got {got!r}, expected {want!r}")


def without_counts(out):
    """The output without the hand-off counts, and without the number of keys
    Wireshark's Kerberos tried per decryption (its key hash's order: it varies
    between identical runs, sealed-kerberos's expert tap output)."""
    out = out.split("=== dhcpsrv2 hand-off (PDUs, every pass) ===\n", 1)[0]
    return re.sub(r"num_tries=\d+", "num_tries=N", out)


def counts(tshark, capture, options):
    """(short, generic) PDUs, from the hand-off section of -z dhcpsrv2,records."""
    out = tshark.run(*options, "-q", "-r", capture, "-z", "dhcpsrv2,records")
    section = out.split("=== dhcpsrv2 hand-off (PDUs, every pass) ===\n", 1)[1]
    short, generic = section.splitlines()[1].split("\t")
    return int(short), int(generic)


# Outputs compared for every capture; for `full` ones (below) all of TREELESS.
BASIC = ("default", "records")
# The captures compared in full: they cover the tree-less paths (no tree: detection off;
# an invisible one: detection on, -Y, -z) on clear, sealed, coalesced and Kerberos stubs.
FULL = {"demo", "fast-poll-ndr64", "failover-methods-ndr", "generic-scenarios-ndr", "sealed-coalesced",
        "sealed-ntlmv2", "sealed-kerberos", "long stub"}


def check_capture(tshark, fails, name, capture, options):
    """Tree-less outputs equal both ways; the short way taken where it should be."""
    full = name in FULL
    for what, args in TREELESS.items():
        if not full and what not in BASIC:
            continue
        fast = without_counts(tshark.run(*options, *args, "-r", capture, check=False))
        slow = without_counts(tshark.run(*options, *OFF, *args, "-r", capture, check=False))
        if fast != slow:
            a, b = fast.splitlines() + [""], slow.splitlines() + [""]
            first = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
            fails.append(f"{name}: {what}: short way differs at line {first + 1}: "
                         f"{a[first]!r} vs {b[first]!r}")
    short, generic = counts(tshark, capture, options)
    total = short + generic
    if name in ALL_SHORT:
        fails.eq(f"{name}: tree-less hand-off counts", (short, generic), (total, 0))
        if total == 0:
            fails.append(f"{name}: no PDU handed off")
    if not full:
        return total
    fails.eq(f"{name}: preference off: hand-off counts", counts(tshark, capture, options + OFF),
             (0, total))
    fails.eq(f"{name}: -V: hand-off counts", counts(tshark, capture, options + ["-V"]), (0, total))
    return total


def pcapng_frames(path):
    """(blocks, index of each Enhanced Packet Block) of a little-endian pcapng."""
    data = open(path, "rb").read()
    blocks, epbs, off = [], [], 0
    while off < len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if btype == 6:
            epbs.append(len(blocks))
        blocks.append(data[off:off + blen])
        off += blen
    return blocks, epbs


def with_longer_stub(block, extra):
    """An Ethernet/IPv4/TCP frame whose single DCE/RPC PDU gets `extra` more stub bytes."""
    caplen = struct.unpack_from("<I", block, 20)[0]
    pkt = bytearray(block[28:28 + caplen]) + extra
    ihl = (pkt[14] & 0x0f) * 4
    struct.pack_into(">H", pkt, 16, struct.unpack_from(">H", pkt, 16)[0] + len(extra))
    rpc = 14 + ihl + (pkt[14 + ihl + 12] >> 4) * 4
    struct.pack_into("<H", pkt, rpc + 8, struct.unpack_from("<H", pkt, rpc + 8)[0] + len(extra))
    pad = (-len(pkt)) % 4
    body = block[8:20] + struct.pack("<II", len(pkt), len(pkt)) + bytes(pkt) + b"\0" * pad
    opts = block[28 + caplen + ((-caplen) % 4):-4]
    total = 8 + len(body) + len(opts) + 4
    return struct.pack("<II", 6, total) + body + opts + struct.pack("<I", total)


def check_long_frame(tshark, fails, captures_dir, work):
    """demo.pcapng's frames 1-7 (handshake, bind, opnum 97 request and response),
    the response's stub 4 bytes longer than its decode."""
    blocks, epbs = pcapng_frames(os.path.join(captures_dir, "demo.pcapng"))
    head = blocks[:epbs[0]]
    frames = [blocks[i] for i in epbs[:7]]
    frames[6] = with_longer_stub(frames[6], b"\0\0\0\0")
    path = os.path.join(work, "long-stub.pcapng")
    with open(path, "wb") as f:
        f.write(b"".join(head + frames))
    capture = tshark.readable(path)
    visible = tshark.run("-r", capture, "-Y", "frame.number == 7", "-T", "fields", "-e", "_ws.col.Info",
                         "-o", "dhcpsrv2.detect_sealed:FALSE", check=False)
    # -T fields builds a visible tree (DCE/RPC's way); the one-line output is the short way's
    short_line = tshark.run("-r", capture, "-o", "dhcpsrv2.detect_sealed:FALSE").splitlines()[6]
    generic_line = tshark.run("-r", capture, "-o", "dhcpsrv2.detect_sealed:FALSE",
                              *OFF).splitlines()[6]
    fails.eq("long stub: one-line output, short way against DCE/RPC's", short_line, generic_line)
    if "[Long frame (4 bytes)]" not in short_line or "[Long frame (4 bytes)]" not in visible:
        fails.append(f"long stub: no \"[Long frame (4 bytes)]\" in {short_line!r} / {visible!r}")
    experts = tshark.run("-r", capture, "-q", "-z", "expert", "-z", "dhcpsrv2,records")
    if "Long frame" not in experts:
        fails.append(f"long stub: the short way raised no \"Long frame\" expert:\n{experts}")
    fails.eq("long stub: hand-off counts with the expert tap", counts(tshark, capture, ["-z", "expert"]),
             (2, 0))
    fails.eq("long stub: hand-off counts", counts(tshark, capture, ["-o", "dhcpsrv2.detect_sealed:FALSE"]),
             (2, 0))
    check_capture(tshark, fails, "long stub", capture, [])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--captures-dir", required=True)
    parser.add_argument("names", nargs="*", help="only these captures (default: all)")
    args = parser.parse_args()

    tshark = tshark_env.Tshark(args.build_dir)
    tshark.assert_plugin_loaded()
    fails = Failures()
    names = args.names or sorted(f[:-len(".expected.json")] for f in os.listdir(args.captures_dir)
                                 if f.endswith(".expected.json"))
    pdus = 0
    for name in names:
        with open(os.path.join(args.captures_dir, f"{name}.expected.json")) as f:
            expected = json.load(f)
        options = tshark_options(tshark, args.captures_dir, expected.get("tshark", []))
        capture = tshark.readable(os.path.join(args.captures_dir, f"{name}.pcapng"))
        pdus += check_capture(tshark, fails, name, capture, options)
    with tempfile.TemporaryDirectory() as work:
        check_long_frame(tshark, fails, args.captures_dir, work)
    for failure in fails[:60]:
        print("FAIL", failure)
    print(f"{len(names) + 1} captures, {pdus} PDUs handed off; {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
