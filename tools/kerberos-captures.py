#!/usr/bin/python3
"""Sealed (RPC_C_AUTHN_LEVEL_PKT_PRIVACY) dhcpsrv2 test capture, Kerberos AES256.

    /usr/bin/python3 tools/kerberos-captures.py OUTDIR

Writes OUTDIR/sealed-kerberos.pcapng, sealed-kerberos.expected.json and the
service keytab sealed-kerberos.keytab (format: docs/captures.md, the sealed
keys as tools/sealed-captures.py writes them).

Two connections, level 6 (packet privacy), DCE style (GSS_C_DCE_STYLE,
MS-KILE 3.4.5.1; MS-RPCE 3.3.1.5.2):
* auth type 9 (RPC_C_AUTHN_GSS_NEGOTIATE: SPNEGO wrapping Kerberos, what the
  DHCP console and impacket send): bind with a GSS-framed AP-REQ
  (mutual-required) in a NegTokenInit; bind_ack with the acceptor's raw AP-REP
  (with an acceptor subkey) in a NegTokenResp; alter_context with the client's
  raw AP-REP; alter_context_resp with accept-completed;
* auth type 16 (RPC_C_AUTHN_GSS_KERBEROS): bind with a bare AP-REQ, bind_ack
  with the AP-REP, rpc_auth_3 with the client's AP-REP.  Wireshark 4.0 reads a
  type-16 bind token as bare Kerberos only: with the GSS framing (0x60, OID,
  01 00) it shows nothing of the AP-REQ, learns no key and decrypts no stub.  Every request and
response stub is an RFC 4121 wrap token with confidentiality, built here as
Windows builds it: aes256-cts-hmac-sha1-96 with the acceptor subkey, EC = 16
filler bytes, RRC = 28, the rotated header/confounder/filler/checksum (76
bytes) in the auth_verifier, the stub padded to 16 by auth_pad_len.  (impacket
0.10's GSS_Wrap sets EC to the 0-15 padding, which Wireshark does not decrypt;
that is why the tokens are not impacket's.)

No KDC: the generator plays the KDC's part and forges the service ticket with
the service key (what a KDC would hand the client; like impacket's
ticketer.py), and the acceptor is real: it decrypts the ticket with the key
from the keytab, the authenticator with the ticket's session key, answers with
an AP-REP, checks the client's AP-REP, and unwraps (and checks the checksum
of) every request; the client unwraps every response.  ASN.1 and crypto are
impacket's (impacket.krb5).  Reproducible: every key, confounder, nonce and
sequence number is drawn from a `random.Random` seeded with the capture name;
all times are fixed.
"""

import datetime
import importlib.util
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


sc = _load("sealed_captures", "sealed-captures.py")
ic = sc.ic

from pyasn1.codec.der import decoder, encoder  # noqa: E402
from pyasn1.type.univ import noValue  # noqa: E402
from impacket.krb5 import constants  # noqa: E402
from impacket.krb5.asn1 import (AP_REP, AP_REQ, Authenticator, EncAPRepPart,  # noqa: E402
                                EncTicketPart, Ticket as TicketAsn1, seq_set)
from impacket.krb5.crypto import Key, _enctype_table  # noqa: E402
from impacket.krb5.gssapi import (CheckSumField, GSS_C_CONF_FLAG, GSS_C_DCE_STYLE,  # noqa: E402
                                  GSS_C_INTEG_FLAG, GSS_C_MUTUAL_FLAG, GSS_C_REPLAY_FLAG,
                                  GSS_C_SEQUENCE_FLAG)
from impacket.krb5.types import KerberosTime, Principal, Ticket  # noqa: E402
from impacket.spnego import SPNEGO_NegTokenInit, SPNEGO_NegTokenResp, TypesMech  # noqa: E402
from impacket.dcerpc.v5.rpcrt import (MSRPC_ALTERCTX, MSRPC_BIND, MSRPC_REQUEST,  # noqa: E402
                                      PFC_FIRST_FRAG, PFC_LAST_FRAG,
                                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
from impacket.uuid import uuidtup_to_bin  # noqa: E402

REALM = "CORP.EXAMPLE.COM"
USER = "dhcpadmin"
SERVICE = "host/dhcp1.corp.example.com"
SERVICE_PASSWORD = "DHCP1$-machine-account-2026!"
KVNO = 3
AES256 = 18
RPC_C_AUTHN_GSS_NEGOTIATE = 9
RPC_C_AUTHN_GSS_KERBEROS = 16
MSRPC_AUTH3 = 16
# the auth type of the connection being made (9: SPNEGO tokens, 16: bare Kerberos)
auth_type = RPC_C_AUTHN_GSS_NEGOTIATE
AUTH_CTX_ID = 79231
MSRPC_ALTERCTX_R = 15
MSRPC_BINDACK = 12
MSRPC_RESPONSE = 2
KRB5_OID_DER = bytes.fromhex("06092a864886f712010202")
KG_USAGE_ACCEPTOR_SEAL = 22
KG_USAGE_INITIATOR_SEAL = 24
WRAP_EC = 16
WRAP_RRC = 28
CIPHER = _enctype_table[AES256]


def service_key():
    salt = REALM + "".join(SERVICE.split("/"))        # MIT/AD salt: REALM + principal components
    return CIPHER.string_to_key(SERVICE_PASSWORD, salt, None)


def keytab(principal, realm, key, kvno, timestamp):
    """MIT keytab 0x502, one entry (written here: ktutil stamps the current time)."""
    def counted(b):
        return struct.pack(">H", len(b)) + b
    comps = principal.split("/")
    body = struct.pack(">H", len(comps)) + counted(realm.encode())
    body += b"".join(counted(c.encode()) for c in comps)
    body += struct.pack(">IIB", 3, timestamp, kvno & 0xFF)          # KRB5_NT_SRV_HST
    body += struct.pack(">H", key.enctype) + counted(key.contents) + struct.pack(">I", kvno)
    return b"\x05\x02" + struct.pack(">i", len(body)) + body


# ==========================================================================
# RFC 4121 wrap tokens, DCE style, as Windows sends them
# ==========================================================================

def wrap(key, usage, flags, seq, plain, confounder):
    """(stub on the wire, auth_verifier) for a plaintext that is a multiple of 16."""
    if len(plain) % 16:
        raise RuntimeError("DCE-style wrap of an unpadded stub")
    hdr0 = struct.pack(">HBBHHQ", 0x0504, flags, 0xFF, WRAP_EC, 0, seq)
    enc = CIPHER.encrypt(key, usage, plain + b"\xff" * WRAP_EC + hdr0, confounder)
    n = (WRAP_RRC + WRAP_EC) % len(enc)
    rotated = enc[-n:] + enc[:-n]
    hdr = struct.pack(">HBBHHQ", 0x0504, flags, 0xFF, WRAP_EC, WRAP_RRC, seq)
    head = 16 + WRAP_RRC + WRAP_EC
    return rotated[head:], hdr + rotated[:head]


def unwrap(key, usage, flags, seq, stub, verifier):
    hdr = verifier[:16]
    tok, fl, filler, ec, rrc, sq = struct.unpack(">HBBHHQ", hdr)
    if (tok, fl, filler, ec, rrc, sq) != (0x0504, flags, 0xFF, WRAP_EC, WRAP_RRC, seq):
        raise RuntimeError("unexpected wrap token header %s" % hdr.hex())
    rotated = verifier[16:] + stub
    n = (rrc + ec) % len(rotated)
    enc = rotated[n:] + rotated[:n]
    plain = CIPHER.decrypt(key, usage, enc)        # checks the HMAC
    if plain[-16:] != struct.pack(">HBBHHQ", 0x0504, flags, 0xFF, ec, 0, seq):
        raise RuntimeError("wrap token: encrypted header copy differs")
    return plain[:-(16 + ec)]


# ==========================================================================
# Kerberos messages (impacket's ASN.1)
# ==========================================================================

def ktime(unix):
    return KerberosTime.to_asn1(datetime.datetime.utcfromtimestamp(unix))


def forge_ticket(svc_key, session_key, unix, confounder):
    """The service ticket a KDC would issue (enc-part under the service key)."""
    etp = EncTicketPart()
    etp["flags"] = constants.encodeFlags([constants.TicketFlags.forwardable.value,
                                          constants.TicketFlags.renewable.value,
                                          constants.TicketFlags.pre_authent.value])
    etp["key"] = noValue
    etp["key"]["keytype"] = AES256
    etp["key"]["keyvalue"] = session_key.contents
    etp["crealm"] = REALM
    seq_set(etp, "cname", Principal(USER, type=constants.PrincipalNameType.NT_PRINCIPAL.value)
            .components_to_asn1)
    etp["transited"] = noValue
    etp["transited"]["tr-type"] = 0
    etp["transited"]["contents"] = b""
    etp["authtime"] = ktime(unix - 60)
    etp["starttime"] = ktime(unix - 60)
    etp["endtime"] = ktime(unix + 10 * 3600)
    etp["renew-till"] = ktime(unix + 7 * 86400)
    tkt = TicketAsn1()
    tkt["tkt-vno"] = 5
    tkt["realm"] = REALM
    seq_set(tkt, "sname", Principal(SERVICE, type=constants.PrincipalNameType.NT_SRV_HST.value)
            .components_to_asn1)
    tkt["enc-part"] = noValue
    tkt["enc-part"]["etype"] = AES256
    tkt["enc-part"]["kvno"] = KVNO
    tkt["enc-part"]["cipher"] = CIPHER.encrypt(svc_key, 2, encoder.encode(etp), confounder)
    return tkt


class KerberosClient:
    def __init__(self, rng, unix):
        self.rng = rng
        self.unix = unix
        self.session_key = Key(AES256, bytes(rng.getrandbits(8) for _ in range(32)))
        self.ticket = forge_ticket(service_key(), self.session_key, unix, self.confounder())
        self.seq = rng.getrandbits(31)
        self.subkey = None
        self.server_seq = None

    def confounder(self):
        return bytes(self.rng.getrandbits(8) for _ in range(16))

    def ap_req_token(self):
        ap = AP_REQ()
        ap["pvno"] = 5
        ap["msg-type"] = int(constants.ApplicationTagNumbers.AP_REQ.value)
        ap["ap-options"] = constants.encodeFlags([constants.APOptions.mutual_required.value])
        t = Ticket()
        t.from_asn1(self.ticket)
        seq_set(ap, "ticket", t.to_asn1)
        auth = Authenticator()
        auth["authenticator-vno"] = 5
        auth["crealm"] = REALM
        seq_set(auth, "cname", Principal(USER, type=constants.PrincipalNameType.NT_PRINCIPAL.value)
                .components_to_asn1)
        self.cusec = 123456
        auth["cusec"] = self.cusec
        auth["ctime"] = ktime(self.unix)
        auth["cksum"] = noValue
        auth["cksum"]["cksumtype"] = 0x8003
        chk = CheckSumField()
        chk["Lgth"] = 16
        chk["Flags"] = (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_SEQUENCE_FLAG |
                        GSS_C_REPLAY_FLAG | GSS_C_MUTUAL_FLAG | GSS_C_DCE_STYLE)
        auth["cksum"]["checksum"] = chk.getData()
        auth["seq-number"] = self.seq
        ap["authenticator"] = noValue
        ap["authenticator"]["etype"] = AES256
        ap["authenticator"]["cipher"] = CIPHER.encrypt(self.session_key, 11, encoder.encode(auth),
                                                       self.confounder())
        inner = KRB5_OID_DER + b"\x01\x00" + encoder.encode(ap)
        if auth_type == RPC_C_AUTHN_GSS_KERBEROS:   # bare AP-REQ (what Wireshark reads)
            return encoder.encode(ap)
        blob = SPNEGO_NegTokenInit()
        blob["MechTypes"] = [TypesMech["MS KRB5 - Microsoft Kerberos 5"],
                             TypesMech["KRB5 - Kerberos 5"]]
        blob["MechToken"] = b"\x60" + der_len(len(inner)) + inner
        return blob.getData()

    def on_ap_rep(self, token):
        if auth_type == RPC_C_AUTHN_GSS_KERBEROS:
            ap_rep = decoder.decode(token, asn1Spec=AP_REP())[0]
        else:
            ap_rep = decoder.decode(SPNEGO_NegTokenResp(token)["ResponseToken"],
                                    asn1Spec=AP_REP())[0]
        part = decoder.decode(CIPHER.decrypt(self.session_key, 12, ap_rep["enc-part"]["cipher"]),
                              asn1Spec=EncAPRepPart())[0]
        self.subkey = Key(int(part["subkey"]["keytype"]), part["subkey"]["keyvalue"].asOctets())
        self.server_seq = int(part["seq-number"])
        # DCE style: the client answers with its own AP-REP (no subkey)
        mine = EncAPRepPart()
        mine["ctime"] = str(part["ctime"])
        mine["cusec"] = int(part["cusec"])
        mine["seq-number"] = self.server_seq
        rep = AP_REP()
        rep["pvno"] = 5
        rep["msg-type"] = int(constants.ApplicationTagNumbers.AP_REP.value)
        rep["enc-part"] = noValue
        rep["enc-part"]["etype"] = AES256
        rep["enc-part"]["cipher"] = CIPHER.encrypt(self.session_key, 12, encoder.encode(mine),
                                                   self.confounder())
        if auth_type == RPC_C_AUTHN_GSS_KERBEROS:
            return encoder.encode(rep)
        out = SPNEGO_NegTokenResp()
        out["ResponseToken"] = encoder.encode(rep)
        return out.getData()


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


class KerberosAcceptor:
    def __init__(self, rng, keytab_key):
        self.rng = rng
        self.key = keytab_key
        self.session_key = self.subkey = None
        self.client_seq = None
        self.seq = rng.getrandbits(31)

    def confounder(self):
        return bytes(self.rng.getrandbits(8) for _ in range(16))

    def accept(self, token):
        if auth_type == RPC_C_AUTHN_GSS_KERBEROS:
            ap = decoder.decode(token, asn1Spec=AP_REQ())[0]
        else:
            mech = SPNEGO_NegTokenInit(token)["MechToken"]
            at = mech.index(KRB5_OID_DER) + len(KRB5_OID_DER)
            if mech[at:at + 2] != b"\x01\x00":
                raise RuntimeError("not an AP-REQ")
            ap = decoder.decode(mech[at + 2:], asn1Spec=AP_REQ())[0]
        tkt = ap["ticket"]
        if int(tkt["enc-part"]["kvno"]) != KVNO:
            raise RuntimeError("ticket for another kvno")
        etp = decoder.decode(CIPHER.decrypt(self.key, 2, tkt["enc-part"]["cipher"]),
                             asn1Spec=EncTicketPart())[0]
        self.session_key = Key(int(etp["key"]["keytype"]), etp["key"]["keyvalue"].asOctets())
        auth = decoder.decode(CIPHER.decrypt(self.session_key, 11, ap["authenticator"]["cipher"]),
                              asn1Spec=Authenticator())[0]
        if str(auth["cname"]["name-string"][0]) != USER:
            raise RuntimeError("authenticator for another client")
        chk = CheckSumField(auth["cksum"]["checksum"].asOctets())
        if not chk["Flags"] & GSS_C_DCE_STYLE:
            raise RuntimeError("not DCE style")
        self.client_seq = int(auth["seq-number"])
        self.subkey = Key(AES256, bytes(self.rng.getrandbits(8) for _ in range(32)))
        part = EncAPRepPart()
        part["ctime"] = str(auth["ctime"])
        part["cusec"] = int(auth["cusec"])
        part["subkey"] = noValue
        part["subkey"]["keytype"] = AES256
        part["subkey"]["keyvalue"] = self.subkey.contents
        part["seq-number"] = self.seq
        rep = AP_REP()
        rep["pvno"] = 5
        rep["msg-type"] = int(constants.ApplicationTagNumbers.AP_REP.value)
        rep["enc-part"] = noValue
        rep["enc-part"]["etype"] = AES256
        rep["enc-part"]["cipher"] = CIPHER.encrypt(self.session_key, 12, encoder.encode(part),
                                                   self.confounder())
        if auth_type == RPC_C_AUTHN_GSS_KERBEROS:
            return encoder.encode(rep)
        resp = SPNEGO_NegTokenResp()
        resp["NegState"] = b"\x01"                 # accept-incomplete
        resp["SupportedMech"] = TypesMech["MS KRB5 - Microsoft Kerberos 5"]
        resp["ResponseToken"] = encoder.encode(rep)
        return resp.getData()

    def finish(self, token):
        if auth_type == RPC_C_AUTHN_GSS_KERBEROS:
            rep = decoder.decode(token, asn1Spec=AP_REP())[0]
        else:
            rep = decoder.decode(SPNEGO_NegTokenResp(token)["ResponseToken"], asn1Spec=AP_REP())[0]
        part = decoder.decode(CIPHER.decrypt(self.session_key, 12, rep["enc-part"]["cipher"]),
                              asn1Spec=EncAPRepPart())[0]
        if int(part["seq-number"]) != self.seq:
            raise RuntimeError("client AP-REP with another sequence number")
        done = SPNEGO_NegTokenResp()
        done["NegState"] = b"\x00"                 # accept-completed
        return done.getData()


# ==========================================================================
# DCE/RPC PDUs with a sec_trailer
# ==========================================================================

def sec_trailer(pad):
    return struct.pack("<BBBBI", auth_type, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, pad, 0,
                       AUTH_CTX_ID)


def pdu(ptype, flags, call_id, body, auth):
    """header + body (4-aligned) + sec_trailer + auth; auth_pad is 0 here."""
    body += b"\x00" * ((-len(body)) % 4)
    frag_len = 16 + len(body) + 8 + len(auth)
    return struct.pack("<BBBB4sHHI", 5, 0, ptype, flags, b"\x10\x00\x00\x00", frag_len,
                       len(auth), call_id) + body + sec_trailer(0) + auth


def bind_body(conn, syntax):
    item = struct.pack("<HBB", 0, 1, 0) + ic.DHCPSRV2_UUID + uuidtup_to_bin(syntax)
    return struct.pack("<HHIB3s", 4280, 4280, 0, 1, b"") + item


def bind_ack_body(conn, syntax, alter):
    addr = b"" if alter else b"49670\x00"
    body = struct.pack("<HHIH", conn.server_max_xmit, conn.server_max_recv, conn.assoc_group,
                       len(addr)) + addr
    body += b"\x00" * ((-len(body)) % 4)
    return body + struct.pack("<B3sHH", 1, b"", 0, 0) + uuidtup_to_bin(syntax)


def split(p):
    auth_len = struct.unpack_from("<H", p, 10)[0]
    at = len(p) - auth_len - 8
    return p[at + 8:], p[at + 2], at


class KerberosServer:
    def __init__(self, conn, rng):
        self.conn = conn
        self.acceptor = KerberosAcceptor(rng, service_key())
        self.calls = iter(conn.calls)
        self.recv_seq = None

    def on_client_pdu(self, p, now):
        ptype, call_id = p[2], struct.unpack_from("<I", p, 12)[0]
        auth, pad, at = split(p)
        syntax = ic.NDR_SYNTAX
        if ptype == MSRPC_BIND:
            token = self.acceptor.accept(auth)
            body = bind_ack_body(self.conn, syntax, False)
            return [pdu(MSRPC_BINDACK, PFC_FIRST_FRAG | PFC_LAST_FRAG, call_id, body, token)]
        if ptype in (MSRPC_ALTERCTX, MSRPC_AUTH3):
            token = self.acceptor.finish(auth)
            self.recv_seq = self.acceptor.client_seq
            self.send_seq = self.acceptor.seq
            if ptype == MSRPC_AUTH3:           # the third leg of bare Kerberos: no answer
                return []
            body = bind_ack_body(self.conn, syntax, True)
            return [pdu(MSRPC_ALTERCTX_R, PFC_FIRST_FRAG | PFC_LAST_FRAG, call_id, body, token)]
        if ptype != MSRPC_REQUEST or (p[3] & 3) != 3:
            raise RuntimeError("unexpected client PDU %d" % ptype)
        plain = unwrap(self.acceptor.subkey, KG_USAGE_INITIATOR_SEAL, 0x06, self.recv_seq,
                       p[24:at], auth)
        self.recv_seq += 1
        stub = plain[:len(plain) - pad]
        opnum = struct.unpack_from("<H", p, 22)[0]
        call = next(self.calls)
        if opnum != call.opnum:
            raise RuntimeError("opnum %d, scripted %d" % (opnum, call.opnum))
        decoded = call.request_class(stub, isNDR64=False).getData()
        if not ic.same_but_fillers(decoded, stub):
            raise RuntimeError("opnum %d request does not re-encode identically" % opnum)
        call.request_stub = stub
        call.response_time = (now + ic.SERVER_DELAY_US) / 1e6
        resp = call.build_response(False).getData()
        call.response_stub = resp
        pad = (-len(resp)) % 16
        sealed, verifier = wrap(self.acceptor.subkey, KG_USAGE_ACCEPTOR_SEAL, 0x07, self.send_seq,
                                resp + b"\x00" * pad, self.acceptor.confounder())
        self.send_seq += 1
        body = struct.pack("<IHBB", len(resp), 0, 0, 0) + sealed
        frag_len = 16 + len(body) + 8 + len(verifier)
        return [struct.pack("<BBBB4sHHI", 5, 0, MSRPC_RESPONSE, 3, b"\x10\x00\x00\x00", frag_len,
                            len(verifier), call_id) + body + sec_trailer(pad) + verifier]


def run_kerberos_connection(conn, start_us):
    global auth_type
    auth_type = conn.auth_type
    rng = random.Random("%s/%d" % (conn.seed, conn.client_port))
    unix = start_us // 1000000
    server = KerberosServer(conn, rng)
    transport = ic.RecordingTransport(server, start_us)
    client = KerberosClient(rng, unix)
    call_id = 1
    transport.send(pdu(MSRPC_BIND, PFC_FIRST_FRAG | PFC_LAST_FRAG, call_id,
                       bind_body(conn, ic.NDR_SYNTAX), client.ap_req_token()))
    ack = transport.recv()
    transport.now += ic.STEP_FRAGMENT_US
    token = client.on_ap_rep(split(ack)[0])
    if auth_type == RPC_C_AUTHN_GSS_KERBEROS:   # rpc_auth_3 (4 pad bytes), no answer
        transport.send(pdu(MSRPC_AUTH3, PFC_FIRST_FRAG | PFC_LAST_FRAG, call_id, b"\x00" * 4,
                           token))
    else:                                       # SPNEGO: alter_context, alter_context_resp
        transport.send(pdu(MSRPC_ALTERCTX, PFC_FIRST_FRAG | PFC_LAST_FRAG, call_id,
                           bind_body(conn, ic.NDR_SYNTAX), token))
        transport.recv()
    send_seq, recv_seq = client.seq, client.server_seq
    for call in conn.calls:
        call_id += 1
        transport.now += ic.CALL_GAP_US
        stub = call.build_request().getData()
        pad = (-len(stub)) % 16
        sealed, verifier = wrap(client.subkey, KG_USAGE_INITIATOR_SEAL, 0x06, send_seq,
                                stub + b"\x00" * pad, client.confounder())
        send_seq += 1
        body = struct.pack("<IHH", len(stub), 0, call.opnum) + sealed
        frag_len = 16 + len(body) + 8 + len(verifier)
        transport.send(struct.pack("<BBBB4sHHI", 5, 0, MSRPC_REQUEST, 3, b"\x10\x00\x00\x00",
                                   frag_len, len(verifier), call_id) + body + sec_trailer(pad)
                       + verifier)
        answer = transport.recv()
        auth, rpad, at = split(answer)
        plain = unwrap(client.subkey, KG_USAGE_ACCEPTOR_SEAL, 0x07, recv_seq, answer[24:at], auth)
        recv_seq += 1
        plain = plain[:len(plain) - rpad]
        resp = call.response_class(plain, isNDR64=False)
        if not ic.same_but_fillers(resp.getData(), call.response_stub):
            raise RuntimeError("opnum %d response does not round-trip" % call.opnum)
    conn.log = transport.log
    return transport.now


class KerberosVariant:
    decrypts = True


NAME = "sealed-kerberos"
KEYTAB = NAME + ".keytab"


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    s10, s20, s30 = sc.scope_calls()
    lb, hs, branch = ic.relationships()
    base = ic.utc(2026, 11, 4, 14, 0, 0)
    conn = sc.SealedConnection(KerberosVariant(), False, [
        ic.ScopeStats("10.0.0.1", "192.168.10.0", s10),
        ic.GetRelationship("10.0.0.1", "dhcp1-dhcp2-lb", lb),
        ic.ScopeStats("10.0.0.1", "192.168.20.0", s20),
        ic.ScopeStats(None, "10.20.30.0", None, status=2)])
    conn.seed = NAME
    conn.auth_type = RPC_C_AUTHN_GSS_NEGOTIATE
    bare = sc.SealedConnection(KerberosVariant(), False, [
        ic.ScopeStats("10.0.0.1", "192.168.10.0", s10),
        ic.GetRelationship("10.0.0.1", "dhcp1-dhcp2-lb", lb)])
    bare.seed = NAME
    bare.auth_type = RPC_C_AUTHN_GSS_KERBEROS
    with open(os.path.join(args.outdir, KEYTAB), "wb") as f:
        f.write(keytab(SERVICE, REALM, service_key(), KVNO, base))
    sc.run_sealed_connection = run_kerberos_connection
    opts = ["-o", "kerberos.decrypt:TRUE", "-o", "kerberos.file:{captures}/" + KEYTAB]
    n = sc.write_capture(args.outdir, NAME,
                         "Kerberos AES256, packet privacy, DCE style, wrap tokens EC=16, RRC=28, "
                         "NDR: a SPNEGO connection (auth type 9: bind AP-REQ, bind_ack AP-REP, "
                         "alter_context with the client's AP-REP, four sealed calls), then a "
                         "bare Kerberos one (auth type 16: bind, bind_ack, rpc_auth_3, two calls)",
                         base, [conn, bare], 54000, opts,
                         {"keytab": KEYTAB, "principal": SERVICE + "@" + REALM,
                          "enctype": "aes256-cts-hmac-sha1-96", "kvno": KVNO,
                          "service_password": SERVICE_PASSWORD}, [])
    print("%s: %d frames, %d PDUs, %d expert items" % ((NAME,) + n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
