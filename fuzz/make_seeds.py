#!/usr/bin/env python3
"""Writes the seed corpus of the dhcpsrv2 fuzz target (fuzz/fuzz_dhcpsrv2.c).

Three sources:
  * the committed test captures: every DCE/RPC call in them (request stub +
    response stub, NDR or NDR64, either byte order, fragments reassembled)
    becomes one seed, read straight from the pcapng (no tshark needed);
  * synthetic calls for the failover opnums (89-100, 125), encoded here with a
    small NDR / NDR64 marshaller, in both syntaxes and both byte orders;
  * every method of both interfaces (dhcpsrv 0-50, dhcpsrv2 0-132), request and
    response, from the interface description: tools/ndr_encode.py fills the
    parameters with pseudo-random values (NULLs, empty and full arrays, the
    union arms over the variants) and encodes them in NDR and NDR64, little-
    and big-endian -- our own encoder, not the vectors' bytes.

Seed layout = the harness input: flags, opnum selector, raw opnum, request
stub length (LE16), request stub, response stub.

Usage: make_seeds.py --captures-dir test-captures [--check-every-method] OUT_DIR
  --check-every-method: exit 1 unless every method of both interfaces has a
  seed in each of NDR, NDR64, little- and big-endian (ctest unit.fuzz_seeds).
"""
import argparse
import hashlib
import os
import struct
import sys
import zlib

DECODED = [89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 125]
NDR64_UUID = bytes.fromhex("33057171babe37498319b5dbef9ccc36")  # 71710533-beba-4937-... (LE)
# dhcpsrv 6bffd098-a112-3610-9833-46c3f874532d, as a bind carries it (little- and big-endian drep)
DHCPSRV_UUIDS = (bytes.fromhex("98d0ff6b12a11036983346c3f874532d"),
                 bytes.fromhex("6bffd098a1123610983346c3f874532d"))


def seed(opnum, req, rsp, ndr64=False, be=False, extra_flags=0):
    flags = 0x08 | (0x01 if ndr64 else 0) | (0x02 if be else 0) | extra_flags
    if opnum in DECODED:
        sel, raw = DECODED.index(opnum), 0
    else:
        sel, raw = 0xF0, opnum & 0xFF
    return bytes([flags, sel, raw]) + struct.pack("<H", len(req)) + req + rsp


# --------------------------------------------------------------------------
# Seeds from the captures

def pcapng_packets(path):
    """Yields the packet data of every EPB / SPB (little- or big-endian file)."""
    with open(path, "rb") as f:
        data = f.read()
    pos, endian = 0, "<"
    while pos + 12 <= len(data):
        btype = struct.unpack_from(endian + "I", data, pos)[0]
        if btype == 0x0A0D0D0A:
            bom = data[pos + 8:pos + 12]
            endian = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
        blen = struct.unpack_from(endian + "I", data, pos + 4)[0]
        if blen < 12:
            break
        if btype == 6:
            caplen = struct.unpack_from(endian + "I", data, pos + 20)[0]
            yield data[pos + 28:pos + 28 + caplen]
        elif btype == 3:
            yield data[pos + 12:pos + blen - 4]
        pos += blen


def tcp_streams(path):
    """{(src, sport, dst, dport): bytes} of every TCP direction, in capture order."""
    streams, order = {}, []
    for pkt in pcapng_packets(path):
        if len(pkt) < 14 + 20 or pkt[12:14] != b"\x08\x00":
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        if ip[9] != 6:
            continue
        tcp = ip[ihl:total]
        if len(tcp) < 20:
            continue
        sport, dport = struct.unpack(">HH", tcp[:4])
        payload = tcp[(tcp[12] >> 4) * 4:]
        key = (ip[12:16], sport, ip[16:20], dport)
        if key not in streams:
            streams[key] = b""
            order.append(key)
        streams[key] += payload
    return streams, order


def cn_pdus(stream):
    """Yields (ptype, flags, be, call_id, body) of connection-oriented PDUs."""
    pos = 0
    while pos + 16 <= len(stream):
        be = stream[pos + 4] & 0x10 == 0
        e = ">" if be else "<"
        frag_len = struct.unpack_from(e + "H", stream, pos + 8)[0]
        if frag_len < 16 or pos + frag_len > len(stream):
            break
        call_id = struct.unpack_from(e + "I", stream, pos + 12)[0]
        yield stream[pos + 2], stream[pos + 3], be, call_id, stream[pos + 16:pos + frag_len]
        pos += frag_len


def capture_calls(path):
    """[(opnum, request stub, response stub, ndr64, be, v1)] of one capture (v1: the dhcpsrv interface)."""
    streams, order = tcp_streams(path)
    calls = []
    for key in order:
        reverse = (key[2], key[3], key[0], key[1])
        ndr64, v1, requests, pending = False, False, {}, {}
        for ptype, flags, be, call_id, body in cn_pdus(streams[key]):
            if ptype == 11 and len(body) >= 12 + 20:
                ndr64 = NDR64_UUID in body
                v1 = any(u in body for u in DHCPSRV_UUIDS)
            elif ptype == 0:
                e = ">" if be else "<"
                opnum = struct.unpack_from(e + "H", body, 6)[0]
                stub = pending.get(call_id, b"") + body[8:]
                if flags & 0x02:
                    requests[call_id] = (opnum, stub, be)
                    pending.pop(call_id, None)
                else:
                    pending[call_id] = stub
        if not requests or reverse not in streams:
            continue
        rpending = {}
        for ptype, flags, be, call_id, body in cn_pdus(streams[reverse]):
            if ptype != 2:
                continue
            stub = rpending.get(call_id, b"") + body[8:]
            if not flags & 0x02:
                rpending[call_id] = stub
                continue
            rpending.pop(call_id, None)
            if call_id in requests:
                opnum, req, rbe = requests.pop(call_id)
                calls.append((opnum, req, stub, ndr64, rbe, v1))
        for opnum, req, rbe in requests.values():
            calls.append((opnum, req, b"", ndr64, rbe, v1))
    return calls


# --------------------------------------------------------------------------
# A small NDR / NDR64 marshaller for synthetic calls

class Ndr:
    def __init__(self, ndr64=False, be=False):
        self.ndr64, self.e, self.buf = ndr64, ">" if be else "<", bytearray()
        self.ref = 0x00020000
        self.deferred = []

    def align(self, n):
        while len(self.buf) % n:
            self.buf.append(0)

    def u8(self, v):
        self.buf += struct.pack("B", v)

    def u16(self, v):
        self.align(2)
        self.buf += struct.pack(self.e + "H", v)

    def u32(self, v):
        self.align(4)
        self.buf += struct.pack(self.e + "I", v)

    def u3264(self, v):
        if self.ndr64:
            self.align(8)
            self.buf += struct.pack(self.e + "Q", v)
        else:
            self.u32(v)

    def enum(self, v):
        self.u32(v) if self.ndr64 else self.u16(v)

    def ptr_align(self):
        self.align(8 if self.ndr64 else 4)

    def struct_end(self):
        if self.ndr64:
            self.align(8)

    def referent_id(self, present):
        if not present:
            self.u3264(0)
            return
        self.u3264(self.ref)
        self.ref += 4

    def string(self, text):
        units = text.encode("utf-16-be" if self.e == ">" else "utf-16-le") + b"\0\0"
        n = len(units) // 2
        self.u3264(n)
        self.u3264(0)
        self.u3264(n)
        self.buf += units

    def toplevel_string(self, text):
        self.referent_id(text is not None)
        if text is not None:
            self.string(text)

    def embedded(self, value, fn):
        """An embedded unique pointer: id now, referent at flush()."""
        self.referent_id(value is not None)
        if value is not None:
            self.deferred.append(lambda: fn(value))

    def embedded_string(self, text):
        self.embedded(text, self.string)

    def flush(self):
        while self.deferred:
            batch, self.deferred = self.deferred, []
            for fn in batch:
                outer, self.deferred = self.deferred, []
                fn()
                self.flush()
                self.deferred = outer

    def bytes(self):
        return bytes(self.buf)


def relationship(n, rel):
    n.ptr_align()
    n.u32(rel.get("primary", 0x0A000001))
    n.u32(rel.get("secondary", 0x0A000002))
    n.enum(rel.get("mode", 0))
    n.enum(rel.get("server_type", 0))
    n.enum(rel.get("state", 3))
    n.enum(rel.get("prev_state", 3))
    n.u32(rel.get("mclt", 3600))
    n.u32(rel.get("safe_period", 0xFFFFFFFF))
    n.embedded_string(rel.get("name", "dhcp1-dhcp2"))
    n.embedded_string(rel.get("primary_name", "dhcp1.corp.example.com"))
    n.embedded_string(rel.get("secondary_name", "dhcp2.corp.example.com"))
    scopes = rel.get("scopes", [0xC0A80A00, 0xC0A81400])

    def ip_array(values):
        n.ptr_align()
        n.u32(len(values))

        def elements(v):
            n.u3264(len(v))
            for a in v:
                n.u32(a)
        n.embedded(values, elements)
        n.struct_end()
    n.embedded(scopes, ip_array)
    n.u8(rel.get("percentage", 50))
    n.embedded_string(rel.get("secret", "s3cret"))
    n.struct_end()


def srv(n, name="10.0.0.1"):
    n.toplevel_string(name)


def binary_data(n, data):
    n.ptr_align()
    n.u32(len(data))

    def body(d):
        n.u3264(len(d))
        n.buf += d
    n.embedded(data, body)
    n.struct_end()


def client_info(n):
    n.ptr_align()
    n.u32(0xC0A80A32)
    n.u32(0xFFFFFF00)
    binary_data(n, bytes.fromhex("001122334455"))
    n.embedded_string("client-50")
    n.embedded_string("lab printer")
    n.u32(0xD53E8000)
    n.u32(0x01DB4C3A)       # DATE_TIME
    n.ptr_align()           # DHCP_HOST_INFO
    n.u32(0x0A000001)
    n.embedded_string("DHCP1")
    n.embedded_string("dhcp1.corp.example.com")
    n.struct_end()
    n.u8(1)                 # client type
    n.u8(0x01)              # address state
    n.enum(0)               # quarantine status
    n.u32(0)
    n.u32(0)                # probation ends
    n.u32(0)                # quarantine capable
    for t in (1793606400, 1793606460, 0, 1793600000, 1793606000, 1793606100):
        n.u32(t)
    n.u32(0)
    n.embedded_string("default-policy")
    n.u8(0)
    n.struct_end()


def synthetic_calls(ndr64, be):
    """[(opnum, request stub, response stub)] for every decoded opnum."""
    calls = []

    def new():
        return Ndr(ndr64, be)

    def status(v=0):
        n = new()
        n.u32(v)
        return n.bytes()

    # 89, 94, 95: SRV + [in, ref] DHCP_FAILOVER_RELATIONSHIP
    for op in (89, 94, 95):
        n = new()
        srv(n)
        relationship(n, {})
        n.flush()
        calls.append((op, n.bytes(), status()))
    # 90: SRV, Flags, relationship
    n = new()
    srv(n)
    n.u32(0x3F)
    relationship(n, {"state": 5, "percentage": 150, "scopes": []})
    n.flush()
    calls.append((90, n.bytes(), status(0x4E94)))
    # 91, 100: SRV + name; status only
    for op in (91, 100):
        n = new()
        srv(n, "dhcp1.corp.example.com")
        n.toplevel_string("dhcp1-dhcp2")
        calls.append((op, n.bytes(), status()))
    # 92: GetRelationship
    n = new()
    srv(n)
    n.toplevel_string("dhcp1-dhcp2")
    r = new()
    r.referent_id(True)
    relationship(r, {"state": 4})
    r.flush()
    r.u32(0)
    calls.append((92, n.bytes(), r.bytes()))
    # 93: EnumRelationship
    n = new()
    srv(n)
    n.u32(0)
    n.u32(0xFFFFFFFF)
    r = new()
    r.u32(2)                      # resume handle
    r.referent_id(True)
    r.ptr_align()
    r.u32(2)

    def rel_elements(rels):
        r.u3264(len(rels))
        for rel in rels:
            relationship(r, rel)
    r.embedded([{"name": "a-b"}, {"name": "c-d", "mode": 1, "state": 9, "scopes": [0x0A141E00]}],
               rel_elements)
    r.struct_end()
    r.flush()
    r.u32(2)
    r.u32(2)
    r.u32(0)
    calls.append((93, n.bytes(), r.bytes()))
    # 96: GetScopeRelationship
    n = new()
    srv(n)
    n.u32(0xC0A80A00)
    r = new()
    r.referent_id(True)
    relationship(r, {})
    r.flush()
    r.u32(0)
    calls.append((96, n.bytes(), r.bytes()))
    # 97: GetScopeStatistics
    n = new()
    srv(n)
    n.u32(0xC0A80A00)
    r = new()
    r.referent_id(True)
    for v in (200, 150, 50, 75, 75, 20, 30):
        r.u32(v)
    r.u32(0)
    calls.append((97, n.bytes(), r.bytes()))
    # 98: GetClientInfo, each search type
    for search in (0, 1, 2):
        n = new()
        srv(n)
        n.ptr_align()
        n.enum(search)          # SearchType
        if n.ndr64:
            n.align(8)          # NDR64: the union is aligned to its largest arm
        n.enum(search)          # the union's discriminant
        n.ptr_align()
        if search == 0:
            n.u32(0xC0A80A32)
        elif search == 1:
            binary_data(n, bytes.fromhex("01001122334455"))
        else:
            n.embedded_string("client-50")
        n.struct_end()
        n.flush()
        r = new()
        r.referent_id(True)
        client_info(r)
        r.flush()
        r.u32(0)
        calls.append((98, n.bytes(), r.bytes()))
    # 99: GetSystemTime (+ the API's extra DWORD)
    n = new()
    srv(n)
    for extra in (False, True):
        r = new()
        r.u32(1793606430)
        if extra:
            r.u32(60)
        r.u32(0)
        calls.append((99, n.bytes(), r.bytes()))
    # 125: GetAddressStatus (+ the API's [in, out] pStatus)
    for extra in (False, True):
        n = new()
        srv(n)
        n.u32(0xC0A80A32)
        if extra:
            n.u32(0)
        r = new()
        r.u32(1)
        r.u32(0)
        calls.append((125, n.bytes(), r.bytes()))
    # NULL ServerIpAddress variants
    n = new()
    srv(n, None)
    r = new()
    r.u32(0)
    r.u32(5)
    calls.append((99, n.bytes(), r.bytes()))
    return calls


def description_calls(variants=3):
    """[(iface, opnum, request, response, ndr64, be)] of every method, from plugin/idl/ms-dhcpm.idl."""
    tools = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools")
    sys.path.insert(0, tools)
    from idl_subset import parse
    from ndr_encode import Marshal, Values
    with open(os.path.join(os.path.dirname(tools), "plugin", "idl", "ms-dhcpm.idl"), encoding="utf-8") as f:
        idl = parse(f.read())
    calls = []
    for iface in ("dhcpsrv", "dhcpsrv2"):
        for meth in idl.interfaces[iface].methods:
            for variant in range(variants):
                gen = Values(idl, seed=zlib.crc32(f"{iface}.{meth.opnum}.{variant}".encode()))
                _, vals = gen.call(iface, meth.opnum, variant)
                for ndr64 in (False, True):
                    for be in (False, True):
                        m = Marshal(idl, ndr64=ndr64, big_endian=be, api_extensions=variant == 2)
                        calls.append((iface, meth.opnum, m.stub(meth, "in", vals["in"]),
                                      m.stub(meth, "out", vals["out"]), ndr64, be))
    return calls


def seed_method(s):
    """(dhcpsrv interface?, opnum, ndr64, big-endian) of a seed, as the harness reads its header."""
    v1 = bool(s[0] & 0x10)
    if s[1] < len(DECODED):
        opnum = DECODED[s[1]]
    elif s[1] < 0xF0:
        opnum = (s[1] - len(DECODED)) % (51 if v1 else 133)
    else:
        opnum = s[2]
    return v1, opnum, bool(s[0] & 0x01), bool(s[0] & 0x02)


def missing_methods(seeds):
    have = {seed_method(s) for s in seeds}
    return [(("dhcpsrv" if v1 else "dhcpsrv2"), op, "NDR64" if ndr64 else "NDR", "BE" if be else "LE")
            for v1, n in ((True, 51), (False, 133)) for op in range(n)
            for ndr64 in (False, True) for be in (False, True) if (v1, op, ndr64, be) not in have]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--captures-dir", required=True)
    parser.add_argument("--check-every-method", action="store_true")
    parser.add_argument("out")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    seeds = set()
    for name in sorted(os.listdir(args.captures_dir)):
        if name.endswith(".pcapng"):
            for opnum, req, rsp, ndr64, be, v1 in capture_calls(os.path.join(args.captures_dir, name)):
                seeds.add(seed(opnum, req, rsp, ndr64, be, 0x10 if v1 else 0))
    from_captures = len(seeds)
    for ndr64 in (False, True):
        for be in (False, True):
            for i, (opnum, req, rsp) in enumerate(synthetic_calls(ndr64, be)):
                seeds.add(seed(opnum, req, rsp, ndr64, be))
                # some with fragments, the second pass, and the other interface
                if i % 3 == 0:
                    seeds.add(seed(opnum, req, rsp, ndr64, be, 0x20 | 0x40 | 0x80))
                if i % 5 == 0:
                    seeds.add(seed(opnum, req, rsp, ndr64, be, 0x10))
    described = 0
    for iface, opnum, req, rsp, ndr64, be in description_calls():
        before = len(seeds)
        seeds.add(seed(opnum, req, rsp, ndr64, be, 0x10 if iface == "dhcpsrv" else 0))
        described += len(seeds) - before
    # every opnum of both interfaces (the table-driven decoder): a server
    # handle and a few zero DWORDs, a response of zeros and a status
    for v1 in (False, True):
        for opnum in range(51 if v1 else 133):
            for ndr64 in (False, True):
                w = 8 if ndr64 else 4
                req = (1).to_bytes(w, "little") + (2).to_bytes(w, "little") + bytes(w) + \
                      (2).to_bytes(w, "little") + b"a\0\0\0" + bytes(32)
                rsp = bytes(24) + (0).to_bytes(4, "little")
                flags = (0x01 if ndr64 else 0) | 0x0C | (0x10 if v1 else 0)
                seeds.add(bytes([flags, 0xF0, opnum]) + struct.pack("<H", len(req)) + req + rsp)
    for s in seeds:
        with open(os.path.join(args.out, hashlib.sha1(s).hexdigest()), "wb") as f:
            f.write(s)
    print(f"{len(seeds)} seeds ({from_captures} from captures, {described} from the description) in {args.out}")
    if args.check_every_method:
        missing = missing_methods(seeds)
        print(f"every method: {51 + 133 - len({m[:2] for m in missing})}/184 methods, "
              f"{len(missing)} (method, syntax, byte order) without a seed {missing[:10]}")
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
