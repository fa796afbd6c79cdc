#!/usr/bin/env python3
"""Writes the malformed-input regression captures test-captures/fuzz-*.pcapng
and their .expected.json (the format of docs/captures.md), from what the
robustness work (docs/robustness.md) found or probed.  Each hostile call is
followed by a normal one on the same connection, which must decode normally.

These are not written by tools/gen-captures (so the reproducibility test
leaves them alone); this script writes them byte-identically on every run:

  python3 fuzz/make_fuzz_captures.py test-captures

The expected values are written from what is encoded here and from the
plugin's documented rules (ndr.h, docs/captures.md), never read back from
tshark.
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_seeds import Ndr, relationship, client_info  # noqa: E402

T0 = 1793606400          # 2026-11-02 08:00:00 UTC
CLIENT_IP, SERVER_IP = bytes([10, 0, 0, 100]), bytes([10, 0, 0, 1])
CLIENT_MAC, SERVER_MAC = bytes.fromhex("020000000064"), bytes.fromhex("020000000001")
NDR_UUID = bytes.fromhex("045d888aeb1cc9119fe808002b104860")
NDR64_UUID = bytes.fromhex("33057171babe37498319b5dbef9ccc36")
DHCPSRV2_UUID = bytes.fromhex("2017825b3bf6d011aad200c04fc324db")
STATE_NORMAL = 3


def ip_checksum(h):
    s = sum((h[i] << 8) | h[i + 1] for i in range(0, len(h), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp_checksum(src, dst, seg):
    pseudo = src + dst + struct.pack(">BBH", 0, 6, len(seg))
    data = pseudo + seg + (b"\0" if len(seg) % 2 else b"")
    s = sum((data[i] << 8) | data[i + 1] for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Capture:
    """Ethernet/IPv4/TCP frames of one client<->server connection, in pcapng."""

    def __init__(self, sport=50000):
        self.frames = []          # (time_us, bytes)
        self.sport, self.dport = sport, 49670
        self.seq = {True: 1000, False: 5000}   # client, server
        self.ip_id = {True: 0x100, False: 0x200}
        self.t_us = T0 * 1_000_000

    def segment(self, from_client, flags, payload=b""):
        src, dst = (CLIENT_IP, SERVER_IP) if from_client else (SERVER_IP, CLIENT_IP)
        sport, dport = (self.sport, self.dport) if from_client else (self.dport, self.sport)
        ack = self.seq[not from_client] if flags & 0x10 else 0
        opts = struct.pack(">BBH", 2, 4, 1460) if flags & 0x02 else b""
        hdr_len = 20 + len(opts)
        tcp = struct.pack(">HHIIBBHHH", sport, dport, self.seq[from_client], ack, (hdr_len // 4) << 4,
                          flags, 64240, 0, 0) + opts
        seg = bytearray(tcp + payload)
        struct.pack_into(">H", seg, 16, tcp_checksum(src, dst, bytes(seg)))
        ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), self.ip_id[from_client],
                                   0x4000, 128, 6, 0, src, dst))
        struct.pack_into(">H", ip, 10, ip_checksum(bytes(ip)))
        self.ip_id[from_client] += 1
        eth = (SERVER_MAC + CLIENT_MAC if from_client else CLIENT_MAC + SERVER_MAC) + b"\x08\x00"
        self.frames.append((self.t_us, eth + bytes(ip) + bytes(seg)))
        self.seq[from_client] += len(payload) + (1 if flags & 0x03 else 0)
        self.t_us += 100_000
        return len(self.frames)

    def now(self):
        return self.t_us // 1_000_000

    def handshake(self):
        self.segment(True, 0x02)
        self.segment(False, 0x12)
        self.segment(True, 0x10)

    def write(self, path):
        def block(btype, body):
            body += b"\0" * (-len(body) % 4)
            return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)

        def opt(code, value):
            return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)

        out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
                    + opt(4, b"dhcpsrv2 fuzz/make_fuzz_captures.py") + opt(0, b""))
        out += block(1, struct.pack("<HHI", 1, 0, 262144) + opt(2, b"eth0") + opt(9, b"\x06")
                     + opt(0, b""))
        for t, data in self.frames:
            out += block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(data), len(data))
                         + data)
        with open(path, "wb") as f:
            f.write(out)


def cn_header(ptype, call_id, body_len, flags=0x03):
    return struct.pack("<BBBB4sHHI", 5, 0, ptype, flags, b"\x10\0\0\0", 16 + body_len, 0, call_id)


def bind(ndr64):
    syntax = (NDR64_UUID + struct.pack("<I", 1)) if ndr64 else (NDR_UUID + struct.pack("<I", 2))
    body = struct.pack("<HHIB3xHBx", 5840, 5840, 0, 1, 0, 1) + DHCPSRV2_UUID + struct.pack("<I", 1)
    body += syntax
    return cn_header(11, 1, len(body)) + body, syntax


def bind_ack(syntax):
    body = struct.pack("<HHIH", 5840, 5840, 0x4A10, 6) + b"49670\0"
    body += b"\0" * (-(16 + len(body)) % 4)
    body += struct.pack("<B3xHH", 1, 0, 0) + syntax
    return cn_header(12, 1, len(body)) + body


class Connection:
    """A DCE/RPC association on a Capture; call() adds request + response."""

    def __init__(self, cap, ndr64=False):
        self.cap, self.ndr64, self.call_id = cap, ndr64, 0
        cap.handshake()
        pdu, syntax = bind(ndr64)
        cap.segment(True, 0x18, pdu)
        cap.segment(False, 0x18, bind_ack(syntax))

    def call(self, opnum, req, rsp, fragments=1):
        """Returns (request frame, frame of the response's last fragment);
        the response is sent in `fragments` fragments, one TCP segment each."""
        self.call_id += 1
        body = struct.pack("<IHH", len(req), 0, opnum) + req
        f1 = self.cap.segment(True, 0x18, cn_header(0, self.call_id, len(body)) + body)
        step = -(-len(rsp) // fragments)
        for i in range(fragments):
            piece = rsp[i * step:(i + 1) * step]
            flags = (0x01 if i == 0 else 0) | (0x02 if i == fragments - 1 else 0)
            body = struct.pack("<IHBB", len(rsp) - i * step, 0, 0, 0) + piece
            f2 = self.cap.segment(False, 0x18, cn_header(2, self.call_id, len(body), flags) + body)
        return f1, f2


# --------------------------------------------------------------------------
# Stub helpers

def new(ndr64=False):
    return Ndr(ndr64, False)


def cvstring_raw(n, max_count, offset, actual, units):
    """A [string] wchar_t array with the counts given as is."""
    n.u3264(max_count)
    n.u3264(offset)
    n.u3264(actual)
    n.buf += units


def status_stub(n_ndr64=False, status=0):
    n = new(n_ndr64)
    n.u32(status)
    return n.bytes()


def systime_rsp(cap, ndr64=False):
    """GetSystemTime answer with the time of the response frame (no skew)."""
    n = new(ndr64)
    n.u32(cap.now())
    n.u32(0)
    return n.bytes()


def srv_req(text="10.0.0.1", ndr64=False):
    n = new(ndr64)
    n.toplevel_string(text)
    return n


class Expect:
    def __init__(self, name, description):
        self.name, self.description = name, description
        self.pdus, self.expert = [], []

    def req(self, frame, opnum, server="10.0.0.1", ndr64=False, scope=None, malformed=False,
            experts=()):
        p = {"frame": frame, "type": "request", "ndr64": ndr64, "opnum": opnum,
             "server_ip_address": server}
        if scope is not None:
            p["scope_id"] = scope
        if malformed:
            p["malformed"] = True
        self.pdus.append(p)
        self.expert += [{"frame": frame, "abbrev": a} for a in experts]

    def rsp(self, frame, opnum, server="10.0.0.1", ndr64=False, werror=0, scope=None,
            malformed=False, experts=()):
        p = {"frame": frame, "type": "response", "ndr64": ndr64, "opnum": opnum,
             "server_ip_address": server, "werror": werror}
        if scope is not None:
            p["scope_id"] = scope
        if malformed:
            p["malformed"] = True
        self.pdus.append(p)
        self.expert += [{"frame": frame, "abbrev": a} for a in experts]
        if werror:
            self.expert.append({"frame": frame, "abbrev": "dhcpsrv2.expert.status_error"})

    def good_systime(self, conn, cap):
        """The normal call that follows each hostile one."""
        f1, f2 = conn.call(99, srv_req(ndr64=conn.ndr64).bytes(), systime_rsp(cap, conn.ndr64))
        self.req(f1, 99, ndr64=conn.ndr64)
        self.rsp(f2, 99, ndr64=conn.ndr64)

    def write(self, out_dir):
        doc = {"capture": f"{self.name}.pcapng", "description": self.description,
               "pdus": self.pdus, "expert": self.expert}
        with open(os.path.join(out_dir, f"{self.name}.expected.json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


TRUNC = "dhcpsrv2.ndr.truncated"
TOO_LARGE = "dhcpsrv2.ndr.count_too_large"
NO_NUL = "dhcpsrv2.ndr.missing_terminator"


# --------------------------------------------------------------------------
# fuzz-empty-strings: empty [string] values, which the server-name cache
# compares byte-wise (found by the fuzzer: memcmp on a NULL pointer).

def empty_strings(out):
    cap = Capture()
    conn = Connection(cap)
    e = Expect("fuzz-empty-strings",
               "NDR, one connection: GetSystemTime with ServerIpAddress \"\" (actual_count 1, "
               "only the NUL) twice, then with actual_count 0 (no terminator); "
               "DeleteRelationship with relationship name \"\" twice; each followed by a "
               "normal GetSystemTime. Found by the fuzzer: the second empty string made the "
               "server-name cache memcmp() a NULL pointer (UBSan)")
    for _ in range(2):
        f1, f2 = conn.call(99, srv_req("").bytes(), systime_rsp(cap))
        e.req(f1, 99, server="")
        e.rsp(f2, 99, server="")
        e.good_systime(conn, cap)
    n = new()
    n.referent_id(True)
    cvstring_raw(n, 0, 0, 0, b"")
    f1, f2 = conn.call(99, n.bytes(), systime_rsp(cap))
    e.req(f1, 99, server="", experts=[NO_NUL])
    e.rsp(f2, 99, server="")
    e.good_systime(conn, cap)
    for _ in range(2):
        n = srv_req()
        n.toplevel_string("")
        f1, f2 = conn.call(91, n.bytes(), status_stub())
        e.req(f1, 91)
        e.rsp(f2, 91)
        e.good_systime(conn, cap)
    cap.write(os.path.join(out, f"{e.name}.pcapng"))
    e.write(out)


# --------------------------------------------------------------------------
# fuzz-truncated-methods: every decoded method but 97 (malformed.pcapng has
# it), request cut between two fields, then the answer cut the same way.

def full_request(opnum, ndr64):
    n = srv_req(ndr64=ndr64)
    if opnum in (89, 94, 95):
        relationship(n, {})
        n.flush()
    elif opnum == 90:
        n.u32(0x01)
        relationship(n, {})
        n.flush()
    elif opnum in (91, 92, 100):
        n.toplevel_string("dhcp1-dhcp2")
    elif opnum == 93:
        n.u32(0)
        n.u32(0xFFFFFFFF)
    elif opnum == 96:
        n.u32(0xC0A80A00)
    elif opnum == 98:
        n.ptr_align()
        n.enum(0)
        if ndr64:
            n.align(8)
        n.enum(0)
        n.ptr_align()
        n.u32(0xC0A80A32)
        n.struct_end()
    elif opnum == 125:
        n.u32(0xC0A80A32)
    return n.bytes()


def full_response(opnum, ndr64, now):
    n = new(ndr64)
    if opnum in (92, 96):
        n.referent_id(True)
        relationship(n, {})
        n.flush()
    elif opnum == 93:
        n.u32(0)
        n.referent_id(True)
        n.ptr_align()
        n.u32(1)

        def elements(rels):
            n.u3264(len(rels))
            for rel in rels:
                relationship(n, rel)
        n.embedded([{}], elements)
        n.struct_end()
        n.flush()
        n.u32(1)
        n.u32(1)
    elif opnum == 98:
        n.referent_id(True)
        client_info(n)
        n.flush()
    elif opnum == 99:
        n.u32(now)
    elif opnum == 125:
        n.u32(0)
    n.u32(0)
    return n.bytes()


def handle_len(ndr64):
    return len(srv_req(ndr64=ndr64).bytes())


def truncated_methods(out, ndr64):
    name = "fuzz-truncated-methods" + ("-ndr64" if ndr64 else "")
    cap = Capture()
    conn = Connection(cap, ndr64)
    e = Expect(name,
               ("NDR64" if ndr64 else "NDR") + ", one connection: for each decoded method but "
               "97, the request cut 2 bytes into the field after ServerIpAddress (GetSystemTime, "
               "which has no other parameter: cut inside the string's counts) with a normal "
               "answer, then a normal request with the answer cut inside its status; then "
               "GetSystemTime's pTime cut after 2 bytes and a GetClientInfo answer cut inside "
               "ClientLeaseExpires (DATE_TIME), values the decoder reads before showing them; each followed by a normal "
               "GetSystemTime. Every cut PDU has one dhcpsrv2.ndr.truncated error")
    h = handle_len(ndr64)
    for opnum in (89, 90, 91, 92, 93, 94, 95, 96, 98, 99, 100, 125):
        req = full_request(opnum, ndr64)
        if opnum == 99:
            # The request is only the handle: cut inside its counts.
            cut = (8 if ndr64 else 4) + 4
            server = None            # the string did not decode
        else:
            # 2 bytes into the field after ServerIpAddress (or its padding)
            cut = h + 2
            server = "10.0.0.1"
        f1, f2 = conn.call(opnum, req[:cut], full_response(opnum, ndr64, cap.now() + 0))
        e.req(f1, opnum, server=server, ndr64=ndr64, malformed=True, experts=[TRUNC])
        # The request's ServerIpAddress reaches the answer when it decoded.
        e.rsp(f2, opnum, server=server, ndr64=ndr64)
        e.good_systime(conn, cap)
        # The answer cut inside its trailing status: 1 of its 4 bytes left.
        rsp = full_response(opnum, ndr64, cap.now() + 0)
        cut = len(rsp) - 3
        scope = "192.168.10.0" if opnum == 96 else None
        f1, f2 = conn.call(opnum, req, rsp[:cut])
        e.req(f1, opnum, ndr64=ndr64, scope=scope)
        e.rsp(f2, opnum, ndr64=ndr64, werror=None, scope=scope, malformed=True, experts=[TRUNC])
        e.good_systime(conn, cap)
    # Fields read first and shown afterwards must report their truncation in
    # the tree too: GetSystemTime's pTime cut after 2 bytes, and a
    # GetClientInfo answer cut inside ClientLeaseExpires (a DATE_TIME).
    f1, f2 = conn.call(99, full_request(99, ndr64), full_response(99, ndr64, cap.now())[:2])
    e.req(f1, 99, ndr64=ndr64)
    e.rsp(f2, 99, ndr64=ndr64, werror=None, malformed=True, experts=[TRUNC])
    e.good_systime(conn, cap)
    rsp = full_response(98, ndr64, cap.now())
    lease = rsp.index(struct.pack("<I", 0xD53E8000))
    f1, f2 = conn.call(98, full_request(98, ndr64), rsp[:lease + 6])
    e.req(f1, 98, ndr64=ndr64)
    e.rsp(f2, 98, ndr64=ndr64, werror=None, malformed=True, experts=[TRUNC])
    e.good_systime(conn, cap)
    cap.write(os.path.join(out, f"{e.name}.pcapng"))
    e.write(out)


def client_info_bogus_data(n):
    """DHCPV4_FAILOVER_CLIENT_INFO whose ClientHardwareAddress.Data array
    says 0x7FFFFFFF bytes (6 present); every string pointer NULL."""
    n.ptr_align()
    n.u32(0xC0A80A32)
    n.u32(0xFFFFFF00)
    n.ptr_align()                # DHCP_BINARY_DATA
    n.u32(6)

    def data(_):
        n.u3264(0x7FFFFFFF)
        n.buf += bytes.fromhex("001122334455")
    n.embedded(b"x", data)
    n.struct_end()
    n.embedded_string(None)      # ClientName
    n.embedded_string(None)      # ClientComment
    n.u32(0)
    n.u32(0)                     # ClientLeaseExpires
    n.ptr_align()                # DHCP_HOST_INFO
    n.u32(0x0A000001)
    n.embedded_string(None)
    n.embedded_string(None)
    n.struct_end()
    n.u8(1)
    n.u8(1)
    n.enum(0)
    n.u32(0)
    n.u32(0)
    n.u32(0)
    for _ in range(6):
        n.u32(0)
    n.u32(0)
    n.embedded_string(None)      # PolicyName
    n.u8(0)
    n.struct_end()


# --------------------------------------------------------------------------
# fuzz-count-bombs: counts and pointers chosen to make a careless decoder
# allocate, loop or read without bound.

def count_bombs(out, ndr64):
    name = "fuzz-count-bombs" + ("-ndr64" if ndr64 else "")
    cap = Capture()
    conn = Connection(cap, ndr64)
    e = Expect(name,
               ("NDR64" if ndr64 else "NDR") + ", one connection, each hostile call followed "
               "by a normal GetSystemTime: (a) ServerIpAddress actual_count 0xFFFFFFFF"
               + (" and (a2) 2^32+5 (a count that only fits 64 bits)" if ndr64 else "") +
               "; (b) EnumRelationship answer with numElements and array count 0xFFFFFFFF; "
               "(c) GetClientInfo answer whose ClientHardwareAddress says 0x7FFFFFFF bytes; "
               "(d) EnumRelationship answer with 820 relationships whose 5 pointers are all "
               "non-NULL (4100 deferred referents, over the 4096 budget); (e) GetClientInfo "
               "request with search type 7 (no union arm)")
    # (a) huge string count
    counts = [0xFFFFFFFF] + ([0x100000005] if ndr64 else [])
    for count in counts:
        n = new(ndr64)
        n.referent_id(True)
        cvstring_raw(n, count, 0, count, "10.0.0.1\0".encode("utf-16-le"))
        f1, f2 = conn.call(99, n.bytes(), systime_rsp(cap, ndr64))
        e.req(f1, 99, server=None, ndr64=ndr64, malformed=True, experts=[TOO_LARGE])
        e.rsp(f2, 99, server=None, ndr64=ndr64)
        e.good_systime(conn, cap)
    # (b) relationship array count
    r = new(ndr64)
    r.u32(0)
    r.referent_id(True)
    r.ptr_align()
    r.u32(0xFFFFFFFF)
    r.referent_id(True)
    r.struct_end()
    r.u3264(0xFFFFFFFF)
    r.buf += b"\0" * 48
    n = srv_req(ndr64=ndr64)
    n.u32(0)
    n.u32(0xFFFFFFFF)
    f1, f2 = conn.call(93, n.bytes(), r.bytes())
    e.req(f1, 93, ndr64=ndr64)
    e.rsp(f2, 93, ndr64=ndr64, werror=None, malformed=True, experts=[TOO_LARGE])
    e.good_systime(conn, cap)
    # (c) binary data count
    r = new(ndr64)
    r.referent_id(True)
    client_info_bogus_data(r)
    r.flush()
    r.u32(0)
    n = srv_req(ndr64=ndr64)
    n.ptr_align()
    n.enum(0)
    if ndr64:
        n.align(8)
    n.enum(0)
    n.ptr_align()
    n.u32(0xC0A80A32)
    n.struct_end()
    f1, f2 = conn.call(98, n.bytes(), r.bytes())
    e.req(f1, 98, ndr64=ndr64)
    e.rsp(f2, 98, ndr64=ndr64, werror=None, malformed=True, experts=[TOO_LARGE])
    e.good_systime(conn, cap)
    # (d) pointer budget
    r = new(ndr64)
    r.u32(0)
    r.referent_id(True)
    r.ptr_align()
    r.u32(820)
    r.referent_id(True)
    r.struct_end()
    r.u3264(820)
    for i in range(820):
        r.ptr_align()
        r.u32(0x0A000001)
        r.u32(0x0A000002)
        for _ in range(4):
            r.enum(STATE_NORMAL if _ >= 2 else 0)
        r.u32(3600)
        r.u32(0xFFFFFFFF)
        for _ in range(4):
            r.referent_id(True)
        r.u8(50)
        r.referent_id(True)
        r.struct_end()
    r.u32(820)
    r.u32(820)
    r.u32(0)
    n = srv_req(ndr64=ndr64)
    n.u32(0)
    n.u32(0xFFFFFFFF)
    # NDR64: 820 x 80 bytes do not fit one PDU (frag_len is 16 bits): 2 fragments.
    f1, f2 = conn.call(93, n.bytes(), r.bytes(), fragments=2 if ndr64 else 1)
    e.req(f1, 93, ndr64=ndr64)
    e.rsp(f2, 93, ndr64=ndr64, werror=None, malformed=True,
          experts=["dhcpsrv2.ndr.pointer_limit"])
    e.good_systime(conn, cap)
    # (e) no union arm
    n = srv_req(ndr64=ndr64)
    n.ptr_align()
    n.enum(7)
    if ndr64:
        n.align(8)
    n.enum(7)
    n.ptr_align()
    n.u32(0xC0A80A32)
    n.struct_end()
    r = new(ndr64)
    r.referent_id(False)
    r.u32(0x57)
    f1, f2 = conn.call(98, n.bytes(), r.bytes())
    e.req(f1, 98, ndr64=ndr64, malformed=True,
          experts=["dhcpsrv2.expert.invalid_enum", "dhcpsrv2.ndr.bad_discriminant"])
    e.rsp(f2, 98, ndr64=ndr64, werror=0x57)
    e.good_systime(conn, cap)
    cap.write(os.path.join(out, f"{e.name}.pcapng"))
    e.write(out)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    empty_strings(out)
    for ndr64 in (False, True):
        truncated_methods(out, ndr64)
        count_bombs(out, ndr64)
    print(f"fuzz-* captures written to {out}")


if __name__ == "__main__":
    main()
