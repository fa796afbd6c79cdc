#!/usr/bin/python3
"""Captures for the peer benchmark (bench/peer.sh): N calls of one method
that Wireshark decodes with its pidl-generated dissector, and N calls of the
plugin's opnum 97, marshalled by the same NDR engine and framed the same way.

    /usr/bin/python3 bench/peer-captures.py --calls N --interface srvsvc|dhcpsrv2 \
        --names same|vary OUT.pcapng

  * srvsvc   NetrRemoteTOD (opnum 28), impacket's own srvs.NetrRemoteTOD /
             NetrRemoteTODResponse: [in, unique, string] ServerName;
             [out] unique pointer to TIME_OF_DAY_INFO (12 DWORDs); status.
             Wireshark decodes srvsvc with packet-dcerpc-srvsvc.c, generated
             by pidl from srvsvc.idl.
  * dhcpsrv2 R_DhcpV4FailoverGetScopeStatistics (opnum 97), the classes of
             tools/impacket-captures.py: [in, unique, string] ServerIpAddress,
             scopeId; [out] unique pointer to DHCP_FAILOVER_STATISTICS
             (7 DWORDs); status.

Server names: 19 characters on both interfaces, "s00000.corp.example" on
every call (--names same) or "sNNNNN.corp.example" with NNNNN the call's
index (--names vary; at most 100 000 calls).

Framing, identical for both: one TCP connection 127.0.0.1:50000 ->
127.0.0.2:49670 (handshake, one PDU per segment, FIN close), impacket's
DCERPC_v5 client binds (NDR 2.0) and sends every request (call ids 1..N);
a scripted server answers with impacket's MSRPCBindAck / MSRPCRespHeader and
the [out] parameters marshalled by impacket.  Timestamps are fixed and
impacket's referent ids come from a seeded `random`, so the bytes are the
same on every run.  The Ethernet/IPv4/TCP/pcapng writers are those of
tools/impacket-captures.py.
"""
import argparse
import importlib.util
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_tool():
    spec = importlib.util.spec_from_file_location(
        "impacket_captures", os.path.join(HERE, "..", "tools", "impacket-captures.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules["impacket_captures"] = mod      # DCERPC_v5.request finds *Response here
    spec.loader.exec_module(mod)
    return mod


T = load_tool()

from impacket.dcerpc.v5 import srvs  # noqa: E402
from impacket.dcerpc.v5.rpcrt import (DCERPC_v5, MSRPC_BIND, MSRPC_BINDACK,  # noqa: E402
                                      MSRPC_REQUEST, MSRPC_RESPONSE, PFC_FIRST_FRAG,
                                      PFC_LAST_FRAG, CtxItem, CtxItemResult, MSRPCBind,
                                      MSRPCBindAck, MSRPCHeader, MSRPCRequestHeader,
                                      MSRPCRespHeader)
from impacket.uuid import uuidtup_to_bin  # noqa: E402

CLIENT = {"ip": "127.0.0.1", "mac": bytes.fromhex("020000000032")}
SERVER = {"ip": "127.0.0.2", "mac": bytes.fromhex("020000000001")}
CLIENT_PORT = 50000
NAME_LEN = 19
BASE_TIME_US = 1793700000 * 1000000      # 2026-11-03 10:40 UTC
CALL_GAP_US = 20000
SERVER_DELAY_US = 1500


def server_name(i, names):
    name = "s%05d.corp.example" % (i if names == "vary" else 0)
    assert len(name) == NAME_LEN
    return name


class SrvsvcTOD:
    """NetrRemoteTOD: a plausible TIME_OF_DAY_INFO, one second per call."""
    uuid = srvs.MSRPC_UUID_SRVS
    opnum = 28

    @staticmethod
    def request(i, name):
        req = srvs.NetrRemoteTOD()
        req["ServerName"] = name + "\x00"
        return req

    @staticmethod
    def response(i):
        resp = srvs.NetrRemoteTODResponse()
        t = 1793700000 + i
        tod = resp["BufferPtr"]
        tod["tod_elapsedt"] = t
        tod["tod_msecs"] = 123456 + i
        tod["tod_hours"] = (t // 3600) % 24
        tod["tod_mins"] = (t // 60) % 60
        tod["tod_secs"] = t % 60
        tod["tod_hunds"] = i % 100
        tod["tod_timezone"] = 0xFFFFFFC4      # -60 minutes
        tod["tod_tinterval"] = 310
        tod["tod_day"] = 3
        tod["tod_month"] = 11
        tod["tod_year"] = 2026
        tod["tod_weekday"] = 2
        resp["ErrorCode"] = 0
        return resp


class ScopeStats:
    """Opnum 97: one scope per call out of 250, consistent counters."""
    uuid = T.DHCPSRV2_UUID
    opnum = 97

    @staticmethod
    def request(i, name):
        req = T.R_DhcpV4FailoverGetScopeStatistics()
        req["ServerIpAddress"] = name + "\x00"
        req["scopeId"] = (10 << 24) | ((i % 250) << 8)
        return req

    @staticmethod
    def response(i):
        resp = T.R_DhcpV4FailoverGetScopeStatisticsResponse()
        s = resp["pStats"]
        used = 40 + i % 150
        this_used = used // 2
        s["numAddr"] = 254
        s["addrFree"] = 254 - used
        s["addrInUse"] = used
        s["partnerAddrFree"] = (254 - used) // 2
        s["thisAddrFree"] = 254 - used - (254 - used) // 2
        s["partnerAddrInUse"] = used - this_used
        s["thisAddrInUse"] = this_used
        resp["ErrorCode"] = 0
        return resp


INTERFACES = {"srvsvc": SrvsvcTOD, "dhcpsrv2": ScopeStats}


class Server:
    """bind -> bind_ack; request -> the response PDU of the call."""

    def __init__(self, method):
        self.method = method
        self.index = 0

    def on_client_pdu(self, pdu):
        hdr = MSRPCHeader(pdu)
        if hdr["type"] == MSRPC_BIND:
            return self.bind_ack(hdr, MSRPCBind(hdr["pduData"]))
        if hdr["type"] != MSRPC_REQUEST:
            raise RuntimeError("unexpected client PDU type %d" % hdr["type"])
        req = MSRPCRequestHeader(pdu)
        if req["op_num"] != self.method.opnum or not req["flags"] & PFC_LAST_FRAG:
            raise RuntimeError("unexpected request")
        stub = self.method.response(self.index).getData()
        self.index += 1
        resp = MSRPCRespHeader()
        resp["type"] = MSRPC_RESPONSE
        resp["flags"] = PFC_FIRST_FRAG | PFC_LAST_FRAG
        resp["call_id"] = req["call_id"]
        resp["ctx_id"] = 0
        resp["alloc_hint"] = len(stub)
        resp["pduData"] = stub
        return resp.get_packet()

    def bind_ack(self, hdr, bind):
        item = CtxItem(bind["ctx_items"][:len(CtxItem())])
        if item["AbstractSyntax"] != self.method.uuid or \
                item["TransferSyntax"] != uuidtup_to_bin(T.NDR_SYNTAX):
            raise RuntimeError("unexpected bind")
        ack = MSRPCBindAck()
        ack["type"] = MSRPC_BINDACK
        ack["flags"] = PFC_FIRST_FRAG | PFC_LAST_FRAG
        ack["call_id"] = hdr["call_id"]
        ack["frag_len"] = 0
        ack["auth_len"] = 0
        ack["max_tfrag"] = 5840
        ack["max_rfrag"] = 5840
        ack["assoc_group"] = 0x00005a00
        ack["SecondaryAddr"] = b"49670"
        ack["SecondaryAddrLen"] = len(b"49670") + 1
        ack["Pad"] = b"\x00" * ((4 - ((ack["SecondaryAddrLen"] + MSRPCBindAck._SIZE) % 4)) % 4)
        ack["ctx_num"] = 1
        result = CtxItemResult()
        result["Result"] = 0
        result["Reason"] = 0
        result["TransferSyntax"] = item["TransferSyntax"]
        ack["ctx_items"] = result.getData()
        ack["frag_len"] = len(ack.getData())
        return ack.getData()


class Transport:
    """What DCERPC_v5 needs of a transport; records (time_us, dir, pdu)."""

    def __init__(self, server, now):
        self.server = server
        self.now = now
        self.log = []
        self.answer = None

    def send(self, data, forceWriteAndx=0, forceRecv=0):
        self.log.append((self.now, "c", data))
        self.answer = self.server.on_client_pdu(data)

    def recv(self, forceRecv=0, count=0):
        self.now += SERVER_DELAY_US
        self.log.append((self.now, "s", self.answer))
        return self.answer

    def get_credentials(self):
        return ("", "", "", "", "", "", None, None)

    def doesSupportNTLMv2(self):
        return True


def build(n, interface, names):
    method = INTERFACES[interface]
    random.seed("peer-%s-%s" % (interface, names))     # impacket's referent ids
    transport = Transport(Server(method), BASE_TIME_US + 1000)
    dce = DCERPC_v5(transport)
    dce.bind(method.uuid, transfer_syntax=T.NDR_SYNTAX)
    for i in range(n):
        transport.now += CALL_GAP_US
        dce.request(method.request(i, server_name(i, names)), checkError=False)
    pcap = T.Pcapng()
    tcp = T.TcpConn(pcap, T.Host(CLIENT), T.Host(SERVER), CLIENT_PORT, 0x1d2c0193, 0x7a11c0ee)
    t = BASE_TIME_US
    tcp.segment(t, "c", T.TcpConn.SYN)
    tcp.segment(t + 120, "s", T.TcpConn.SYN | T.TcpConn.ACK)
    tcp.segment(t + 240, "c", T.TcpConn.ACK)
    for t_us, d, pdu in transport.log:
        tcp.segment(t_us, d, T.TcpConn.PSH | T.TcpConn.ACK, pdu)
    t = transport.now + 5000
    tcp.segment(t, "c", T.TcpConn.FIN | T.TcpConn.ACK)
    tcp.segment(t + 150, "s", T.TcpConn.FIN | T.TcpConn.ACK)
    tcp.segment(t + 300, "c", T.TcpConn.ACK)
    return pcap


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, required=True)
    ap.add_argument("--interface", choices=sorted(INTERFACES), required=True)
    ap.add_argument("--names", choices=("same", "vary"), default="same")
    ap.add_argument("out")
    a = ap.parse_args()
    if not 1 <= a.calls <= 100000:
        sys.exit("peer-captures: --calls must be 1..100000 (5-digit names)")
    pcap = build(a.calls, a.interface, a.names)
    with open(a.out, "wb") as f:
        f.write(pcap.data)
    print("peer-captures: %s, %d calls, %s names: %d frames -> %s"
          % (a.interface, a.calls, a.names, pcap.frames, a.out))


if __name__ == "__main__":
    main()
