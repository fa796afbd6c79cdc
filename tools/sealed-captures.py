#!/usr/bin/python3
"""Sealed (RPC_C_AUTHN_LEVEL_PKT_PRIVACY) dhcpsrv2 test captures, NTLMSSP.

    /usr/bin/python3 tools/sealed-captures.py OUTDIR

Writes OUTDIR/sealed-*.pcapng with NAME.expected.json (format: docs/captures.md;
the "tshark" key lists the options that decrypt it, "secret" says what they are).

Why: real MS-DHCPM traffic is sealed (the spec tells clients to use packet
privacy).  Wireshark decrypts it only with a secret, and then only in some
cases (README.md, "Decrypting real captures").  These captures prove both
halves: decoded exactly with the secret, and a note (never silence) without.

How: impacket's own DCE/RPC client (rpcrt.DCERPC_v5 with set_credentials()
and set_auth_level(RPC_C_AUTHN_LEVEL_PKT_PRIVACY), NTLM auth) seals every
request fragment itself.  The server side is scripted here with impacket's NTLM
helpers (ntlm.py): it answers the NEGOTIATE in the bind_ack with a CHALLENGE,
checks the client's AUTHENTICATE (NTProofStr for NTLMv2, the DES response for
NTLMv1 with extended session security), recovers the exported session key
(KEY_EXCH), derives the four sign/seal keys, unseals and verifies every
request fragment with its own client-to-server sequence numbers and seals
every response fragment with server-to-client ones.  impacket 0.10 does not
verify the signature of sealed responses, so the client side here checks every
response fragment with its own copy of the server-to-client keys
(ResponseChecker): a capture is written only if both sides verified every PDU.

Requests carry a Windows-style verification trailer (MS-RPCE 2.2.2.13:
BITMASK_1, PCONTEXT, HEADER2) after the NDR stub, as Windows clients send on
sealed connections; the dissector must not see it (Wireshark strips it).

Everything runs in this process, through the recording transport of
tools/impacket-captures.py (no socket at all, so nothing leaves the machine),
and is framed into Ethernet/IPv4/TCP like the other captures.  Reproducible:
impacket draws the NTLMv2 client challenge and the exported session key from
Python's `random` (ntlm.getNTLMSSPType3), which is seeded per capture; the
server challenge and the AV timestamp are constants; all times are fixed.
"""

import importlib.util
import json
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("impacket_captures",
                                               os.path.join(HERE, "impacket-captures.py"))
ic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ic)

from Cryptodome.Cipher import ARC4  # noqa: E402  (impacket's own dependency)
from impacket import ntlm  # noqa: E402
from impacket.dcerpc.v5.rpcrt import (DCERPC_v5, MSRPC_AUTH3, MSRPC_BIND,  # noqa: E402
                                      MSRPC_REQUEST, PFC_FIRST_FRAG, PFC_LAST_FRAG,
                                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
from impacket.uuid import uuidtup_to_bin  # noqa: E402

USER = "dhcpadmin"
DOMAIN = "CORP"
PASSWORD = "Sealed-DHCP-2026!"
SERVER_CHALLENGE = bytes.fromhex("5ea1ed0dc0ffee42")
AV_TIMESTAMP = struct.pack("<q", 116444736000000000 + ic.utc(2026, 11, 4, 9, 0, 0) * 10000000)

RPC_C_AUTHN_WINNT = 10
AUTH_CTX_ID = 79231          # impacket's client: self._ctx + 79231

# MS-RPCE 2.2.2.13 verification trailer
VT_SIGNATURE = bytes.fromhex("8ae3137102f43671")
SEC_VT_COMMAND_BITMASK_1 = 0x0001
SEC_VT_COMMAND_PCONTEXT = 0x0002
SEC_VT_COMMAND_HEADER2 = 0x0003
SEC_VT_COMMAND_END = 0x4000
CLIENT_SUPPORT_HEADER_SIGNING = 0x00000001


# ==========================================================================
# NTLMSSP, both ends (MS-NLMP 3.4) with impacket's helpers
# ==========================================================================

class NtlmDirection:
    """Sign/seal state of one direction: its keys, its RC4 stream, its
    sequence number (MS-NLMP 3.4.4.2: each direction counts on its own)."""

    def __init__(self, flags, session_key, mode):
        self.flags = flags
        self.sign_key = ntlm.SIGNKEY(flags, session_key, mode)
        self.handle = ARC4.new(ntlm.SEALKEY(flags, session_key, mode)).encrypt
        self.seq = 0

    def seal(self, to_sign_without_sig, plain):
        sealed, sig = ntlm.SEAL(self.flags, self.sign_key, None, to_sign_without_sig, plain,
                                self.seq, self.handle)
        self.seq += 1
        return sealed, sig.getData()

    def unseal_and_check(self, header, sealed, trailer, signature, what):
        """Decrypts `sealed`; the signature must be the one of header + plain +
        trailer with this direction's next sequence number."""
        plain = self.handle(sealed)
        want = ntlm.MAC(self.flags, self.handle, self.sign_key, self.seq,
                        header + plain + trailer).getData()
        if want != signature:
            raise RuntimeError("%s: bad NTLMSSP signature (seq %d)" % (what, self.seq))
        self.seq += 1
        return plain


def split_auth_pdu(pdu, header_size):
    """(header, body, pad_len, sec_trailer, auth_value) of a PDU with auth."""
    auth_len = struct.unpack_from("<H", pdu, 10)[0]
    frag_len = struct.unpack_from("<H", pdu, 8)[0]
    if frag_len != len(pdu) or auth_len == 0:
        raise RuntimeError("PDU without auth or with a wrong frag_len")
    trailer_at = frag_len - auth_len - 8
    trailer = pdu[trailer_at:trailer_at + 8]
    return pdu[:header_size], pdu[header_size:trailer_at], trailer[2], trailer, pdu[trailer_at + 8:]


class NtlmServer:
    """The acceptor: NEGOTIATE -> CHALLENGE, AUTHENTICATE -> keys."""

    def __init__(self, variant):
        self.variant = variant
        self.flags = None
        self.c2s = self.s2c = None

    def challenge(self, negotiate_bytes):
        neg = ntlm.NTLMAuthNegotiate()
        neg.fromString(negotiate_bytes)
        offered = neg["flags"]
        wanted = (ntlm.NTLMSSP_NEGOTIATE_UNICODE | ntlm.NTLMSSP_REQUEST_TARGET |
                  ntlm.NTLMSSP_NEGOTIATE_SIGN | ntlm.NTLMSSP_NEGOTIATE_SEAL |
                  ntlm.NTLMSSP_NEGOTIATE_NTLM | ntlm.NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
                  ntlm.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
                  ntlm.NTLMSSP_NEGOTIATE_TARGET_INFO | ntlm.NTLMSSP_NEGOTIATE_128 |
                  ntlm.NTLMSSP_NEGOTIATE_56)
        if self.variant.key_exch:
            wanted |= ntlm.NTLMSSP_NEGOTIATE_KEY_EXCH
        self.flags = (offered & wanted) | ntlm.NTLMSSP_TARGET_TYPE_DOMAIN | \
            ntlm.NTLMSSP_NEGOTIATE_TARGET_INFO
        chal = ntlm.NTLMAuthChallenge()
        chal["flags"] = self.flags
        chal["challenge"] = SERVER_CHALLENGE
        chal["domain_name"] = DOMAIN.encode("utf-16le")
        av = ntlm.AV_PAIRS()
        av[ntlm.NTLMSSP_AV_DOMAINNAME] = DOMAIN.encode("utf-16le")
        av[ntlm.NTLMSSP_AV_HOSTNAME] = "DHCP1".encode("utf-16le")
        av[ntlm.NTLMSSP_AV_DNS_DOMAINNAME] = "corp.example.com".encode("utf-16le")
        av[ntlm.NTLMSSP_AV_DNS_HOSTNAME] = "dhcp1.corp.example.com".encode("utf-16le")
        av[ntlm.NTLMSSP_AV_TIME] = AV_TIMESTAMP
        chal["TargetInfoFields"] = av.getData()
        chal["TargetInfoFields_len"] = len(chal["TargetInfoFields"])
        chal["TargetInfoFields_max_len"] = len(chal["TargetInfoFields"])
        chal["domain_offset"] = 48
        chal["TargetInfoFields_offset"] = 48 + len(chal["domain_name"])
        chal["Version"] = b""
        return chal.getData()

    def authenticate(self, auth_bytes):
        auth = ntlm.NTLMAuthChallengeResponse()
        auth.fromString(auth_bytes)
        user = auth["user_name"].decode("utf-16le")
        domain = auth["domain_name"].decode("utf-16le")
        if (user, domain) != (USER, DOMAIN):
            raise RuntimeError("AUTHENTICATE for %s\\%s" % (domain, user))
        nt, lm = auth["ntlm"], auth["lanman"]
        if self.variant.ntlmv2:
            key_nt = ntlm.NTOWFv2(user, PASSWORD, domain)
            proof = ntlm.hmac_md5(key_nt, SERVER_CHALLENGE + nt[16:])
            if proof != nt[:16]:
                raise RuntimeError("NTLMv2: bad NTProofStr")
            base_key = ntlm.hmac_md5(key_nt, proof)
            kx_key = base_key
        else:
            import hashlib
            nthash = ntlm.compute_nthash(PASSWORD)
            digest = hashlib.new("md5", SERVER_CHALLENGE + lm[:8]).digest()[:8]
            if ntlm.ntlmssp_DES_encrypt(nthash, digest) != nt:
                raise RuntimeError("NTLMv1+ESS: bad NT response")
            base_key = ntlm.generateSessionKeyV1(PASSWORD, "", "")
            kx_key = ntlm.hmac_md5(base_key, SERVER_CHALLENGE + lm[:8])
        flags = auth["flags"]
        if flags & ntlm.NTLMSSP_NEGOTIATE_KEY_EXCH:
            off, n = auth["session_key_offset"], auth["session_key_len"]
            session_key = ARC4.new(kx_key).decrypt(auth_bytes[off:off + n])
        else:
            session_key = kx_key
        self.flags = flags
        self.c2s = NtlmDirection(flags, session_key, "Client")
        self.s2c = NtlmDirection(flags, session_key, "Server")
        return session_key


class ResponseChecker:
    """The client's own check of sealed responses (impacket 0.10 decrypts
    them but never verifies their signature)."""

    def __init__(self, dce):
        flags = dce._DCERPC_v5__flags
        self.s2c = NtlmDirection(flags, dce._DCERPC_v5__sessionKey, "Server")

    def check(self, pdu):
        header, body, pad, trailer, sig = split_auth_pdu(pdu, 24)
        self.s2c.unseal_and_check(header, body, trailer, sig, "response")


# ==========================================================================
# The verification trailer a Windows client appends to a sealed request
# ==========================================================================

def verification_trailer(stub_len, call_id, opnum, ndr64):
    syntax = ic.NDR64_SYNTAX if ndr64 else ic.NDR_SYNTAX
    pad = b"\x00" * ((-stub_len) % 4)
    bitmask = struct.pack("<HHI", SEC_VT_COMMAND_BITMASK_1, 4, CLIENT_SUPPORT_HEADER_SIGNING)
    pctx = struct.pack("<HH", SEC_VT_COMMAND_PCONTEXT, 40) + ic.DHCPSRV2_UUID + \
        uuidtup_to_bin(syntax)
    header2 = struct.pack("<HHB3s4sIHH", SEC_VT_COMMAND_HEADER2 | SEC_VT_COMMAND_END, 16,
                          MSRPC_REQUEST, b"\x00" * 3, b"\x10\x00\x00\x00", call_id, 0, opnum)
    return pad + VT_SIGNATURE + bitmask + pctx + header2


def strip_verification_trailer(stub):
    at = stub.rfind(VT_SIGNATURE)
    if at < 0 or at % 4:
        raise RuntimeError("request without a verification trailer")
    return stub[:at]


# ==========================================================================
# The sealed server: ScriptedServer's calls, behind NTLMSSP
# ==========================================================================

class SealedServer(ic.ScriptedServer):
    def __init__(self, conn):
        super().__init__(conn)
        self.ntlm = NtlmServer(conn.variant)
        self.plain_fragments = []

    def on_client_pdu(self, pdu, now):
        ptype = pdu[2]
        if ptype == MSRPC_BIND:
            return [self.sealed_bind_ack(pdu)]
        if ptype == MSRPC_AUTH3:
            _, _, _, _, auth = split_auth_pdu(pdu, 16)
            self.ntlm.authenticate(auth)
            return []
        if ptype != MSRPC_REQUEST:
            raise RuntimeError("unexpected client PDU type %d" % ptype)
        header, body, pad, trailer, sig = split_auth_pdu(pdu, 24)
        plain = self.ntlm.c2s.unseal_and_check(header, body, trailer, sig, "request")
        self.plain_fragments.append(plain[:len(plain) - pad])
        flags = pdu[3]
        if not flags & PFC_LAST_FRAG:
            return []
        stub = strip_verification_trailer(b"".join(self.plain_fragments))
        self.plain_fragments = []
        call_id, opnum = struct.unpack_from("<I", pdu, 12)[0], struct.unpack_from("<H", pdu, 22)[0]
        call = next(self.calls)
        if opnum != call.opnum:
            raise RuntimeError("opnum %d, scripted %d" % (opnum, call.opnum))
        decoded = call.request_class(stub, isNDR64=self.ndr64).getData()
        if len(stub) - len(decoded) not in range(4) or \
                not ic.same_but_fillers(decoded, stub[:len(decoded)]):
            raise RuntimeError("opnum %d request does not re-encode identically" % opnum)
        call.request_stub = stub
        call.response_time = (now + ic.SERVER_DELAY_US) / 1e6
        resp_stub = call.build_response(self.ndr64).getData()
        call.response_stub = resp_stub
        return self.sealed_response_pdus(call_id, resp_stub)

    def sealed_bind_ack(self, pdu):
        _, _, _, _, negotiate = split_auth_pdu(pdu, 16)
        bind_no_auth = pdu[:len(pdu) - struct.unpack_from("<H", pdu, 10)[0] - 8]
        # ScriptedServer.bind_ack parses the presentation context
        from impacket.dcerpc.v5.rpcrt import MSRPCBind, MSRPCHeader
        hdr = MSRPCHeader(bind_no_auth[:8] + struct.pack("<HH", len(bind_no_auth), 0) +
                          bind_no_auth[12:])
        ack = bytearray(self.bind_ack(hdr, MSRPCBind(hdr["pduData"])))
        ack += b"\x00" * ((-len(ack)) % 4)
        challenge = self.ntlm.challenge(negotiate)
        ack += struct.pack("<BBBBI", RPC_C_AUTHN_WINNT, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, 0, 0,
                           AUTH_CTX_ID) + challenge
        struct.pack_into("<HH", ack, 8, len(ack), len(challenge))
        return bytes(ack)

    def sealed_response_pdus(self, call_id, stub):
        # Every fragment but the last carries a multiple of 16 stub bytes, so
        # only the last one has auth padding (Windows: 16-byte alignment).
        room = (self.conn.server_max_xmit - 24 - 8 - 16) // 16 * 16
        pdus, offset = [], 0
        while True:
            piece = stub[offset:offset + room]
            flags = PFC_FIRST_FRAG if offset == 0 else 0
            offset += len(piece)
            if offset >= len(stub):
                flags |= PFC_LAST_FRAG
            pad = (-len(piece)) % 16
            plain = piece + b"\x00" * pad
            frag_len = 24 + len(plain) + 8 + 16
            header = struct.pack("<BBBB4sHHIIHBB", 5, 0, 2, flags, b"\x10\x00\x00\x00",
                                 frag_len, 16, call_id, len(stub), 0, 0, 0)
            trailer = struct.pack("<BBBBI", RPC_C_AUTHN_WINNT, RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                  pad, 0, AUTH_CTX_ID)
            sealed, sig = self.ntlm.s2c.seal(header + plain + trailer, plain)
            pdus.append(header + sealed + trailer + sig)
            if flags & PFC_LAST_FRAG:
                return pdus


class CheckingTransport(ic.RecordingTransport):
    """The recording transport, plus the client's check of every response."""

    checker = None

    def recv(self, forceRecv=0, count=0):
        pdu = super().recv(forceRecv, count)
        if self.checker and pdu[2] == 2:
            self.checker.check(pdu)
        return pdu

    def doesSupportNTLMv2(self):
        return self.server.conn.variant.ntlmv2


class Variant:
    def __init__(self, ntlmv2, key_exch=True):
        self.ntlmv2 = ntlmv2
        self.key_exch = key_exch
        # Wireshark 4.0 decrypts NTLMSSP sealing only with KEY_EXCH
        self.decrypts = key_exch


class SealedConnection(ic.Connection):
    def __init__(self, variant, ndr64, calls, coalesce=None, **kw):
        super().__init__(ndr64, calls, **kw)
        self.variant = variant
        # coalesce: {call index: [n PDUs per TCP segment of its response]}
        self.coalesce = coalesce or {}


def run_sealed_connection(conn, start_us):
    server = SealedServer(conn)
    transport = CheckingTransport(server, start_us)
    dce = DCERPC_v5(transport)
    dce.set_credentials(USER, PASSWORD, DOMAIN)
    dce.set_auth_level(RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
    if conn.user_frag:
        dce.set_max_fragment_size(conn.user_frag)
    dce.bind(ic.DHCPSRV2_UUID, transfer_syntax=ic.NDR64_SYNTAX if conn.ndr64 else ic.NDR_SYNTAX)
    transport.checker = ResponseChecker(dce)
    for call in conn.calls:
        transport.now += ic.CALL_GAP_US
        req = call.build_request()
        if conn.ndr64:
            req.changeTransferSyntax(dce.NDR64Syntax)
        stub = req.getData()
        stub += verification_trailer(len(stub), dce._DCERPC_v5__callid, call.opnum, conn.ndr64)
        dce.call(call.opnum, stub)
        answer = dce.recv()
        resp = call.response_class(answer, isNDR64=conn.ndr64)
        if not ic.same_but_fillers(resp.getData(), call.response_stub):
            raise RuntimeError("opnum %d response does not round-trip" % call.opnum)
    if server.ntlm.c2s.seq == 0 or transport.checker.s2c.seq == 0:
        raise RuntimeError("nothing was sealed")
    conn.log = transport.log
    return transport.now


# ==========================================================================
# A capture (framing as tools/impacket-captures.py, plus coalesced segments)
# ==========================================================================

def segments(conn):
    """conn.log grouped into TCP segments: [(time, direction, [pdus])]."""
    out = []
    call_index = -1
    log = list(conn.log)
    i = 0
    while i < len(log):
        t, d, pdu = log[i]
        if d == "c" and pdu[2] == MSRPC_REQUEST and pdu[3] & PFC_FIRST_FRAG:
            call_index += 1
        if d == "s" and pdu[2] == 2 and pdu[3] & PFC_FIRST_FRAG and call_index in conn.coalesce:
            j = i
            for n in conn.coalesce[call_index]:
                out.append((log[j][0], "s", [p for _, _, p in log[j:j + n]]))
                j += n
            i = j
            continue
        out.append((t, d, [pdu]))
        i += 1
    return out


def write_capture(outdir, name, description, base_time, connections, first_port, tshark_opts,
                  secret, alternative_opts):
    random.seed(name)          # impacket's referent ids, NTLM client challenge, session key
    pcap = ic.Pcapng()
    cli, srv = ic.Host(ic.CLIENT), ic.Host(ic.SERVER)
    t = base_time * 1000000
    pdus, experts, sealed_notes, records, sealed_records = [], [], [], [], []
    responses = []      # (call, undecoded with the secret), for the -z expectations
    request_frame = None
    for index, conn in enumerate(connections):
        conn.client_port = first_port + index
        conn.assoc_group = 0x00005b00 + index
        tcp = ic.TcpConn(pcap, cli, srv, conn.client_port,
                         (0x2e3d0000 + 0x01000193 * (index + 1)) & 0xFFFFFFFF,
                         (0x8b220000 + 0x00c0ffee * (index + 1)) & 0xFFFFFFFF)
        tcp.segment(t, "c", ic.TcpConn.SYN)
        tcp.segment(t + 120, "s", ic.TcpConn.SYN | ic.TcpConn.ACK)
        tcp.segment(t + 240, "c", ic.TcpConn.ACK)
        end = run_sealed_connection(conn, t + 1000)
        calls = iter(conn.calls)
        call = None
        poisoned = False    # Wireshark's RC4 stream of the server direction out of step
        for t_us, d, seg in segments(conn):
            frame = tcp.segment(t_us, d, ic.TcpConn.PSH | ic.TcpConn.ACK, b"".join(seg))
            if d == "s" and len(seg) > 1:
                poisoned = True
            for pdu in seg:
                ptype, flags = pdu[2], pdu[3]
                if ptype == MSRPC_REQUEST and flags & PFC_FIRST_FRAG:
                    request_frame = frame       # DCE/RPC's "request in": the first fragment
                if not flags & PFC_LAST_FRAG or ptype not in (MSRPC_REQUEST, 2):
                    continue
                kind = "request" if ptype == MSRPC_REQUEST else "response"
                if kind == "request":
                    call = next(calls)
                sealed_notes.append({"frame": frame, "abbrev": "dhcpsrv2.expert.sealed_stub"})
                if kind == "response":
                    record = {"rsp_frame": frame, "req_frame": request_frame,
                              "interface": "dhcpsrv2", "opnum": call.opnum}
                    sealed_records.append(dict(record, undecoded="sealed"))
                    undecoded = ("sealed" if not conn.variant.decrypts else
                                 "untrusted" if poisoned else "decoded")
                    records.append(dict(record, undecoded=undecoded))
                    responses.append((call, undecoded))
                if not conn.variant.decrypts:
                    experts.append(sealed_notes[-1])
                    continue
                entry = call.entry(kind, frame, conn.ndr64, t_us / 1e6)
                if kind == "response" and poisoned:
                    entry["untrusted"] = True
                    experts.append({"frame": frame, "abbrev": "dhcpsrv2.expert.untrusted_stub"})
                elif kind == "response":
                    experts.extend({"frame": frame, "abbrev": a} for a in call.expert())
                pdus.append(entry)
        t = end + 5000
        tcp.segment(t, "c", ic.TcpConn.FIN | ic.TcpConn.ACK)
        tcp.segment(t + 150, "s", ic.TcpConn.FIN | ic.TcpConn.ACK)
        tcp.segment(t + 300, "c", ic.TcpConn.ACK)
        t += 250000
    with open(os.path.join(outdir, name + ".pcapng"), "wb") as f:
        f.write(pcap.data)
    expected = {"capture": name + ".pcapng", "description": description,
                "generator": "tools/sealed-captures.py", "pdus": pdus, "expert": experts}
    text = ic.dump_expected(expected)
    # the decryption options and the secret, after the standard keys
    extra = {"tshark": tshark_opts, "alternative_tshark": alternative_opts,
             "secret": secret, "records": records,
             "without_secret": {"expert": sealed_notes, "records": sealed_records,
                                "statistics": statistics(responses, False)},
             "statistics": statistics(responses, True)}
    text = text.replace("\n}\n", ",\n" + ",\n".join("  %s: %s" % (json.dumps(k), json.dumps(v))
                                                     for k, v in extra.items()) + "\n}\n")
    with open(os.path.join(outdir, name + ".expected.json"), "w") as f:
        f.write(text)
    return pcap.frames, len(pdus), len(experts)


# ==========================================================================
# What the -z dhcpsrv2_failover statistics must print (tests/test_captures.py)
# ==========================================================================

OPNUM_NAMES = {92: "R_DhcpV4FailoverGetRelationship", 93: "R_DhcpV4FailoverEnumRelationship",
               97: "R_DhcpV4FailoverGetScopeStatistics"}
FSM_NAMES = {v.value: v.name for v in ic.FSM_STATE.enumItems}
MODE_NAMES = {0: "LoadBalance", 1: "HotStandby"}
TABLE_COUNTERS = (("numAddr", "num_addr"), ("addrFree", "addr_free"), ("addrInUse", "addr_in_use"),
                  ("partnerAddrFree", "partner_addr_free"), ("thisAddrFree", "this_addr_free"),
                  ("partnerAddrInUse", "partner_addr_in_use"), ("thisAddrInUse", "this_addr_in_use"))


def ip_key(dotted):
    return tuple(int(x) for x in dotted.split("."))


def statistics(responses, with_secret):
    """The lines of `-z dhcpsrv2_failover,tree|scopes|relationships` that say
    what was counted: the "Undecoded calls" note of both tables and branch of
    the tree (why a table is empty; the scopes note also names the operations), and the rows the decoded responses make
    (columns by header name).  Without the secret every response is sealed."""
    server = ic.SERVER["ip"]
    sealed, untrusted, decoded = {}, 0, []
    for call, undecoded in responses:
        undecoded = undecoded if with_secret else "sealed"
        if undecoded == "sealed":
            sealed[call.opnum] = sealed.get(call.opnum, 0) + 1
        elif undecoded == "untrusted":
            untrusted += 1
        else:
            decoded.append(call)
    n_sealed = sum(sealed.values())
    note = note_rel = ("Undecoded calls: %d sealed (packet privacy, not decrypted: no values, not in the "
            "rows), %d untrusted (decrypted stub that cannot be trusted: not used)"
            % (n_sealed, untrusted))
    if n_sealed:
        note += "; sealed by server and operation: " + ", ".join(
            "%s dhcpsrv2 %s (%d) %d" % (server, OPNUM_NAMES[op], op, n)
            for op, n in sorted(sealed.items()))
    tree = [["Undecoded calls", n_sealed + untrusted],
            [" Sealed (packet privacy, not decrypted)", n_sealed]]
    if n_sealed:
        tree.append(["  " + server, n_sealed])
        tree += sorted(["   dhcpsrv2 %s (%d)" % (OPNUM_NAMES[op], op), n]
                       for op, n in sealed.items())
    tree.append([" Untrusted (decrypted stub not trusted, not used)", untrusted])
    if untrusted:
        tree.append(["  " + server, untrusted])
    scopes, rels = {}, {}
    for call in decoded:
        if call.opnum == 97:
            row = scopes.setdefault(call.scope, {"polls": 0, "errors": 0, "stats": 0, "last": None})
            row["polls"] += 1
            row["errors"] += call.status != 0
            if call.stats is not None:
                row["stats"] += 1
                row["last"] = call.stats
        elif call.status == 0:
            for rel in ([call.rel] if call.opnum == 92 else call.rels or []):
                entry = rels.setdefault(rel.name, {"reports": 0})
                entry["reports"] += 1
                entry["rel"] = rel
    scope_rows = []
    for scope in sorted(scopes, key=ip_key):
        r = scopes[scope]
        row = {"Server": server, "Scope": scope, "Polls": str(r["polls"]),
               "Errors": str(r["errors"]), "Malformed": "0", "Stats": str(r["stats"])}
        if r["last"] is not None:
            st = r["last"]
            row.update((col, str(st[key])) for col, key in TABLE_COUNTERS)
            row["Util %"] = "%.2f" % (st["addr_in_use"] * 100.0 / st["num_addr"])
        scope_rows.append(row)
    rel_rows = []
    for name in sorted(rels):
        rel, reports = rels[name]["rel"], rels[name]["reports"]
        rel_scopes = [ic.ip_str(v) for v in rel.scopes or []]
        rel_rows.append({
            "Server": server, "Relationship": name,
            "Role": "primary" if rel.server_type == 0 else "secondary",
            "Mode": MODE_NAMES[rel.mode], "State": FSM_NAMES[rel.state],
            "Prev state": FSM_NAMES[rel.prev_state], "Primary": ic.ip_str(rel.primary),
            "Secondary": ic.ip_str(rel.secondary), "MCLT (s)": str(rel.mclt),
            "Safe period": "infinite" if rel.safe_period == 0xFFFFFFFF else str(rel.safe_period),
            "Pct": str(rel.percentage), "Reports": str(reports),
            "Scopes": "%d: %s" % (len(rel_scopes), ", ".join(rel_scopes[:3]))})
    return {"note_scopes": note, "note_relationships": note_rel, "tree_undecoded": tree, "scopes": scope_rows, "relationships": rel_rows}


# ==========================================================================
# A keytab whose arcfour-hmac entry is the NT hash (decrypts NTLMSSP too)
# ==========================================================================

def keytab_nt_hash(principal, realm, nt_hash, timestamp):
    """MIT keytab format 0x502 (big-endian), one entry, enctype 23
    (arcfour-hmac: the key is the NT hash).  Written here rather than with
    ktutil, which stamps the current time into the entry."""
    def counted(b):
        return struct.pack(">H", len(b)) + b
    body = struct.pack(">H", 1) + counted(realm.encode()) + counted(principal.encode())
    body += struct.pack(">IIB", 1, timestamp, 1)            # KRB5_NT_PRINCIPAL, time, kvno
    body += struct.pack(">H", 23) + counted(nt_hash) + struct.pack(">I", 1)
    return b"\x05\x02" + struct.pack(">i", len(body)) + body


def nt_hash(password):
    from Cryptodome.Hash import MD4
    return MD4.new(password.encode("utf-16le")).digest()


NT_KEYTAB = "sealed-ntlm-nthash.keytab"


def scope_calls():
    s10 = ic.stats(200, 150, 50, 75, 75, 20, 30)
    s20 = ic.stats(250, 80, 170, 39, 41, 85, 85)
    s30 = ic.stats(100, 62, 38, 31, 31, 19, 19)
    return s10, s20, s30


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    s10, s20, s30 = scope_calls()
    pw_opts = ["-o", "ntlmssp.nt_password:" + PASSWORD]
    secret = {"ntlm_password": PASSWORD, "user": DOMAIN + "\\" + USER}
    lb, hs, branch = ic.relationships()
    base = ic.utc(2026, 11, 4, 9, 0, 0)
    v2, v1 = Variant(True), Variant(False)

    def calls_a():
        return ([ic.ScopeStats("10.0.0.1", "192.168.10.0", s10),
                     ic.GetRelationship("10.0.0.1", "dhcp1-dhcp2-lb", lb),
                     ic.ScopeStats(None, "10.20.30.0", None, status=2)])

    def calls_frag():
        return ([ic.ScopeStats(ic.LONG_NAME, "10.20.30.0", s30),
                     ic.EnumRelationship(None, 0, 0xFFFFFFFF, [lb, hs, branch], 3, 3, 0)])

    captures = [
        ("sealed-ntlmv2", "NTLMv2 with KEY_EXCH, packet privacy: NDR and NDR64 connections, then "
         "NDR and NDR64 fragmented both ways (each fragment sealed); every request with a "
         "Windows-style verification trailer",
         [SealedConnection(v2, False, calls_a()),
          SealedConnection(v2, True, calls_a()),
          SealedConnection(v2, False, calls_frag(), server_max_xmit=112, server_max_recv=4280,
                           user_frag=48),
          SealedConnection(v2, True, calls_frag(), server_max_xmit=112, server_max_recv=4280,
                           user_frag=48)]),
        ("sealed-ntlmv1-ess", "NTLMv1 with extended session security and KEY_EXCH, packet "
         "privacy: NDR and NDR64, the NDR64 one fragmented both ways",
         [SealedConnection(v1, False, calls_a()),
          SealedConnection(v1, True, calls_frag(), server_max_xmit=112, server_max_recv=4280,
                           user_frag=48)]),
        ("sealed-coalesced", "NTLMv2 packet privacy, response fragments coalesced into TCP "
         "segments (Wireshark 4.0 decrypts the second and later sealed PDUs of a frame to the "
         "first one's plaintext): call 1 with all three fragments in one segment, call 2 with "
         "two then one, call 3 with one then two, call 4 not coalesced but after them (Wireshark's "
         "RC4 stream of that direction is then out of step: untrusted too); then a second "
         "connection (a new security context: decoded and trusted); then a third that reads "
         "the load-balance relationship (50 %) in step, gets one coalesced response and polls "
         "192.168.10.0 after it: its untrusted values must feed neither the statistics nor "
         "the model's experts (the true shares are 50 %, so no share_off may fire)",
         [SealedConnection(v2, False, ([
             ic.ScopeStats("10.0.0.1", "192.168.10.0", s10),
             ic.ScopeStats("10.0.0.1", "192.168.20.0", s20),
             ic.ScopeStats("10.0.0.1", "10.20.30.0", s30),
             ic.ScopeStats("10.0.0.1", "192.168.10.0", s10)]),
             server_max_xmit=64, coalesce={0: [3], 1: [2, 1], 2: [1, 2]}),
          SealedConnection(v2, False, [ic.ScopeStats("10.0.0.1", "192.168.20.0", s20)],
                           server_max_xmit=64),
          SealedConnection(v2, False, [
              ic.GetRelationship("10.0.0.1", "dhcp1-dhcp2-lb", lb),
              ic.ScopeStats("10.0.0.1", "192.168.20.0", s20),
              ic.ScopeStats("10.0.0.1", "192.168.10.0", s10),
              ic.ScopeStats("10.0.0.1", "192.168.20.0", s20)],
              server_max_xmit=64, coalesce={1: [2, 1]})]),
        ("sealed-no-key-exch", "NTLMv2 packet privacy negotiated WITHOUT KEY_EXCH, which "
         "Wireshark 4.0 cannot decrypt even with the password: the stubs stay sealed",
         [SealedConnection(Variant(True, key_exch=False), False, calls_a())]),
    ]
    with open(os.path.join(args.outdir, NT_KEYTAB), "wb") as f:
        f.write(keytab_nt_hash(USER, DOMAIN, nt_hash(PASSWORD), base))
    # {captures}: the test substitutes the directory of the committed captures
    keytab_opts = ["-o", "kerberos.decrypt:TRUE", "-o", "kerberos.file:{captures}/" + NT_KEYTAB]
    for i, (name, desc, conns) in enumerate(captures):
        n = write_capture(args.outdir, name, desc, base + 3600 * i, conns, 53000 + 100 * i,
                          pw_opts, dict(secret, nt_hash_keytab=NT_KEYTAB), [keytab_opts])
        print("%s: %d frames, %d PDUs, %d expert items" % ((name,) + n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
