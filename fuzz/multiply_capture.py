#!/usr/bin/env python3
"""Writes K independent copies of a pcapng capture into one file, for the
mutation campaign (scripts/mutate.sh).

tshark's start-up (about 0.5 s of CPU, registering every dissector) costs far
more than dissecting a test capture, so the campaign feeds tshark one file
that holds K copies of a capture; `editcap -E` then corrupts each copy
differently.  Copy i has the second octet of every IPv4 source and
destination address set to i (10.0.0.1 -> 10.i.0.1; header checksum
recomputed), so each copy is its own set of TCP conversations and DCE/RPC
associations: nothing a copy does (binds, call matching, reassembly) can
reach another.  Copy i's time stamps are shifted to follow copy i-1.

  multiply_capture.py IN.pcapng K OUT.pcapng
  multiply_capture.py IN.pcapng --split OUT_PREFIX

--split undoes it: writes copy i of IN (a multiplied, possibly mutated, file)
to OUT_PREFIX-i.pcapng, to find which copy made tshark fail.
Only little-endian pcapng files with Ethernet/IPv4 packets are rewritten;
other packets are copied unchanged.
"""
import struct
import sys


def blocks(data):
    pos = 0
    while pos + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, pos)
        if blen < 12 or pos + blen > len(data):
            raise SystemExit("truncated or big-endian pcapng block")
        yield btype, data[pos:pos + blen]
        pos += blen


def ip_checksum(header):
    s = 0
    for i in range(0, len(header), 2):
        s += (header[i] << 8) | header[i + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def relabel(block, copy, shift_us):
    """An EPB of copy `copy`: IPv4 addresses relabelled, time shifted."""
    b = bytearray(block)
    ts = (struct.unpack_from("<I", b, 12)[0] << 32 | struct.unpack_from("<I", b, 16)[0]) + shift_us
    struct.pack_into("<II", b, 12, ts >> 32, ts & 0xFFFFFFFF)
    caplen = struct.unpack_from("<I", b, 20)[0]
    pkt = 28
    if caplen >= 34 and b[pkt + 12:pkt + 14] == b"\x08\x00" and b[pkt + 14] >> 4 == 4:
        ip = pkt + 14
        ihl = (b[ip] & 0x0F) * 4
        if caplen >= 14 + ihl >= 34:
            b[ip + 13] = copy          # source 10.0.x.y -> 10.copy.x.y
            b[ip + 17] = copy          # destination
            b[ip + 10:ip + 12] = b"\0\0"
            struct.pack_into(">H", b, ip + 10, ip_checksum(bytes(b[ip:ip + ihl])))
    return bytes(b)


def epb_time(block):
    return struct.unpack_from("<I", block, 12)[0] << 32 | struct.unpack_from("<I", block, 16)[0]


def multiply(src, k, dst):
    data = open(src, "rb").read()
    head, packets = [], []
    for btype, block in blocks(data):
        if btype == 6:
            packets.append(block)
        elif not packets:
            head.append(block)
        # blocks after the first packet other than EPBs (stats, ...) are dropped
    if not packets:
        raise SystemExit(f"{src}: no enhanced packet blocks")
    span = epb_time(packets[-1]) - epb_time(packets[0]) + 1_000_000
    with open(dst, "wb") as out:
        for block in head:
            out.write(block)
        for copy in range(k):
            for block in packets:
                out.write(relabel(block, copy, copy * span))


def split(src, prefix):
    data = open(src, "rb").read()
    head, copies = [], {}
    for btype, block in blocks(data):
        if btype != 6:
            head.append(block)
            continue
        caplen = struct.unpack_from("<I", block, 20)[0]
        copy = block[28 + 14 + 13] if caplen >= 34 else 0
        copies.setdefault(copy, []).append(block)
    for copy, packets in sorted(copies.items()):
        with open(f"{prefix}-{copy}.pcapng", "wb") as out:
            for block in head:
                out.write(block)
            for block in packets:
                out.write(block)
    print(f"{len(copies)} copies written to {prefix}-N.pcapng")


def main():
    if len(sys.argv) == 4 and sys.argv[2] == "--split":
        split(sys.argv[1], sys.argv[3])
    elif len(sys.argv) == 4:
        k = int(sys.argv[2])
        if not 1 <= k <= 255:
            raise SystemExit("K must be 1..255")
        multiply(sys.argv[1], k, sys.argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
