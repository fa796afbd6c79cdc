#!/usr/bin/env python3
"""Write a vector set in the format of ../shared/vectors/ from our own encoder, with other values.

    tools/make_vector_set.py --seed S OUT_DIR

OUT_DIR/dhcpm-ndr.pcapng + .json and dhcpm-ndr64.pcapng + .json: per interface one TCP connection
(handshake, bind, bind_ack, then a request and a response of every method, 3 calls per method so that the
union arms vary), little-endian (or, with --big-endian, big-endian); the .json lists per frame `interface`, `opnum`, `method`, `direction`,
`values` and `leaves` (path, kind, value, `dotted` for IPv4, `pad_to` for the fixed Pattern) like the
shared vectors, so tests/test_vectors.py checks the plugin on values it has never seen.  The stubs come from
tools/ndr_encode.py, whose layout unit.idl_encoder checks against go-msrpc's bytes; the values are
pseudo-random (seeded), so they do not add up (counters, percentages) and the semantic experts fire.
"""
import argparse
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idl_subset import parse  # noqa: E402
from ndr_encode import PRIM, Marshal, Shape, Values, element_mask  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IFACES = {"dhcpsrv": ("6bffd098-a112-3610-9833-46c3f874532d", 49666, "127.0.0.2"),
          "dhcpsrv2": ("5b821720-f63b-11d0-aad2-00c04fc324db", 49667, "127.0.0.3")}
SYNTAX = {False: ("8a885d04-1ceb-11c9-9fe8-08002b104860", 2), True: ("71710533-beba-4937-8319-b5dbef9ccc36", 1)}


def uuid_bytes(text, e):
    """A UUID in the PDU's data representation (its first three fields in integer byte order)."""
    h = bytes.fromhex(text.replace("-", ""))
    return h if e == ">" else h[3::-1] + h[5:3:-1] + h[7:5:-1] + h[8:]


# ------------------------------------------------------------------------------------------------------
# leaves of a value tree

class Leaves(Shape):
    def __init__(self, idl):
        super().__init__(idl)
        self.out = []

    def add(self, path, kind, value, **extra):
        self.out.append(dict(path=path, kind=kind, value=value, **extra))

    def display(self, m, target):
        if "ws_display" in m.attrs:
            return m.attrs["ws_display"]
        name = target
        while True:
            t = self.typ(name)
            if t is None:
                return None
            if "ws_display" in t.attrs:
                return t.attrs["ws_display"]
            if t.kind != "scalar":
                return None
            name, _ = self.resolve(t.base)

    def leaf(self, path, m, v, counted, discs):
        target, stars = self.resolve(m.type, m.stars)
        k = self.kind(target)
        if v is None:
            return
        if m.array:
            n = int(m.array) if m.array.isdigit() else self.idl.defines[m.array]
            self.add(path, "bytes", v, pad_to=n)
            return
        if isinstance(v, list):                      # a conformant array: its elements share the fields
            for i, e in enumerate(v):
                self.leaf(f"{path}[{i}]", type(m)(m.name, target, max(0, stars - 1), {}), e, set(), set())
            return
        if k == "lpbyte" or (self.base(target) == "BYTE" and "size_is" in m.attrs):
            self.add(path, "bytes", v)
            return
        if k == "string" or (self.base(target) in ("WCHAR", "wchar_t") and (stars or "size_is" in m.attrs)):
            self.add(path, "string", v)
            return
        if k == "prim":
            if m.name in counted:
                self.add(path, "count", v)
            elif m.name in discs:
                self.add(path, "enum", v)
            elif self.base(target) == "BOOL":
                self.add(path, "bool", bool(v))
            elif (self.display(m, target) or "").startswith("ipv4"):
                self.add(path, "ipv4", v, dotted=".".join(str(v >> s & 255) for s in (24, 16, 8, 0)))
            else:
                self.add(path, "int", v)
        elif k == "enum":
            self.add(path, "enum", v)
        elif k == "struct":
            self.struct(path, self.typ(target), v)

    def struct(self, path, t, v):
        counted = {self.size_ref(m.attrs) for m in t.members if "size_is" in m.attrs}
        discs = {m.attrs["switch_is"].strip() for m in t.members if "switch_is" in m.attrs}
        for m in t.members:
            if "switch_is" in m.attrs:
                union = self.typ(self.resolve(m.type)[0])
                uv = v[m.name]
                arm = self.arm_for(union, uv["_switch"])
                if arm is not None and arm.type is not None:
                    self.leaf(f"{path}.{m.name}.{arm.name}", arm, uv.get(arm.name), set(), set())
            else:
                self.leaf(f"{path}.{m.name}", m, v.get(m.name), counted, discs)

    def params(self, meth, direction, values):
        self.out = []
        sized = {self.size_ref(p.attrs) for p in meth.params if "size_is" in p.attrs}
        for p in meth.params:
            if direction not in p.attrs or p.attrs.get("ws_api_extension") or p.name not in values:
                continue
            self.leaf(p.name, p, values[p.name], sized, set())
        if direction == "out":
            self.add("Return", "int", values["Return"])
        return self.out


# ------------------------------------------------------------------------------------------------------
# pcapng with Ethernet/IPv4/TCP and DCE/RPC connection-oriented PDUs

class Pcap:
    def __init__(self):
        self.buf = bytearray()
        shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
        self.block(0x0A0D0D0A, shb)
        self.block(1, struct.pack("<HHI", 1, 0, 65535))
        self.t = 1_764_633_600_000_000     # 2025-12-02 00:00 UTC, microseconds
        self.frames = 0

    def block(self, btype, body):
        body = bytes(body) + b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        self.buf += struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    def packet(self, data):
        self.t += 1000
        self.frames += 1
        self.block(6, struct.pack("<IIIII", 0, self.t >> 32, self.t & 0xFFFFFFFF, len(data), len(data)) + data)
        return self.frames


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Tcp:
    def __init__(self, pcap, cli, srv, sport, dport):
        self.pcap, self.cli, self.srv = pcap, bytes(map(int, cli.split("."))), bytes(map(int, srv.split(".")))
        self.ports = (sport, dport)
        self.seq = [1000, 5000]

    def seg(self, from_client, flags, payload=b""):
        src, dst = (self.cli, self.srv) if from_client else (self.srv, self.cli)
        sp, dp = self.ports if from_client else self.ports[::-1]
        i = 0 if from_client else 1
        ack = self.seq[1 - i] if flags != 0x02 else 0
        tcp = struct.pack("!HHIIBBHHH", sp, dp, self.seq[i], ack, 5 << 4, flags, 65535, 0, 0) + payload
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        self.seq[i] += len(payload) + (1 if flags & 0x03 else 0)
        eth = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"
        return self.pcap.packet(eth + ip + tcp)

    def handshake(self):
        self.seg(True, 0x02)
        self.seg(False, 0x12)
        self.seg(True, 0x10)


def pdu(ptype, call_id, body, e="<"):
    drep = b"\x10\0\0\0" if e == "<" else b"\0\0\0\0"
    return struct.pack(e + "BBBB4sHHI", 5, 0, ptype, 0x03, drep, 16 + len(body), 0, call_id) + body


def bind(iface_uuid, syntax, e="<"):
    tuuid, tver = syntax
    ctx = struct.pack(e + "HBB", 0, 1, 0) + uuid_bytes(iface_uuid, e) + struct.pack(e + "I", 1) + \
        uuid_bytes(tuuid, e) + struct.pack(e + "I", tver)
    return struct.pack(e + "HHIB3x", 5840, 5840, 0, 1) + ctx


def bind_ack(port, syntax, e="<"):
    tuuid, tver = syntax
    sec = str(port).encode() + b"\0"
    body = struct.pack(e + "HHIH", 5840, 5840, 0x1234, len(sec)) + sec
    body += b"\0" * (-len(body) % 4)
    return body + struct.pack(e + "B3xHH", 1, 0, 0) + uuid_bytes(tuuid, e) + struct.pack(e + "I", tver)


def write_set(idl, out_dir, seed, ndr64, calls_per_method=3, big_endian=False):
    name = "dhcpm-ndr64" if ndr64 else "dhcpm-ndr"
    e = ">" if big_endian else "<"
    pcap = Pcap()
    leaves = Leaves(idl)
    frames = {}
    for iface in ("dhcpsrv", "dhcpsrv2"):
        iuuid, port, cli = IFACES[iface]
        tcp = Tcp(pcap, cli, "127.0.0.1", 50000 + (1 if iface == "dhcpsrv2" else 0), port)
        tcp.handshake()
        tcp.seg(True, 0x18, pdu(11, 1, bind(iuuid, SYNTAX[ndr64], e), e))
        tcp.seg(False, 0x18, pdu(12, 1, bind_ack(port, SYNTAX[ndr64], e), e))
        call_id = 2
        m = Marshal(idl, ndr64=ndr64, big_endian=big_endian)
        for meth in idl.interfaces[iface].methods:
            for variant in range(calls_per_method):
                gen = Values(idl, seed=(seed * 1_000_003 + meth.opnum * 7919 + variant * 104729
                                        + (0 if iface == "dhcpsrv" else 50_000_017)) & 0xFFFFFFFF)
                _, vals = gen.call(iface, meth.opnum, variant)
                req, rsp = m.stub(meth, "in", vals["in"]), m.stub(meth, "out", vals["out"])
                for direction, stub, ptype, hdr in (
                        ("request", req, 0, struct.pack(e + "IHH", len(req), 0, meth.opnum)),
                        ("response", rsp, 2, struct.pack(e + "IHBB", len(rsp), 0, 0, 0))):
                    num = tcp.seg(direction == "request", 0x18, pdu(ptype, call_id, hdr + stub, e))
                    d = "in" if direction == "request" else "out"
                    frames[str(num)] = {
                        "interface": iface, "opnum": meth.opnum, "method": meth.name, "direction": direction,
                        "syntax": "NDR64" if ndr64 else "NDR", "call_id": call_id, "variant": variant,
                        "stub_length": len(stub), "values": vals[d],
                        "leaves": leaves.params(meth, d, vals[d])}
                call_id += 1
        tcp.seg(True, 0x11)
        tcp.seg(False, 0x11)
        tcp.seg(True, 0x10)
    with open(os.path.join(out_dir, name + ".pcapng"), "wb") as f:
        f.write(pcap.buf)
    with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as f:
        json.dump({"capture": name + ".pcapng", "syntax": "NDR64" if ndr64 else "NDR", "seed": seed, "big_endian": big_endian,
                   "encoder": "tools/ndr_encode.py (this project), values from tools/make_vector_set.py",
                   "frames": frames}, f, indent=0, ensure_ascii=False)
    return sum(len(fr["leaves"]) for fr in frames.values()), len(frames)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--idl", default=os.path.join(REPO, "plugin", "idl", "ms-dhcpm.idl"))
    ap.add_argument("--big-endian", action="store_true", help="drep big-endian (stubs and PDU headers)")
    ap.add_argument("out")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    idl = parse(open(args.idl, encoding="utf-8").read())
    for ndr64 in (False, True):
        n, f = write_set(idl, args.out, args.seed, ndr64, big_endian=args.big_endian)
        print(f"{'dhcpm-ndr64' if ndr64 else 'dhcpm-ndr'}: {f} call frames, {n} leaves (seed {args.seed})")


if __name__ == "__main__":
    sys.exit(main())
