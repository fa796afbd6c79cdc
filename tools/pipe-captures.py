#!/usr/bin/python3
"""dhcpsrv2 over the named pipe \\PIPE\\DHCPSERVER (ncacn_np, SMB2), with impacket.

    /usr/bin/python3 tools/pipe-captures.py OUTDIR

Writes OUTDIR/pipe-dhcpserver.pcapng and its expected JSON (docs/captures.md).

The DHCP Server service listens on ncacn_np \\PIPE\\DHCPSERVER as well as on
TCP; the DHCP console uses the pipe.  Here, all on 127.0.0.1 and bounded:

  client  impacket's DCERPC over SMBTransport, `ncacn_np:127.0.0.1[\\pipe\\dhcpserver]`
          (SMB 2.0.2: Create, then Write/Read or Ioctl FSCTL_PIPE_TRANSCEIVE)
    |     a recording relay: every NetBIOS session message, in order
  server  impacket's SimpleSMBServer, registerNamedPipe("dhcpserver", responder)
    |     the SMB server's own TCP link to the responder: NOT captured (it
    |     carries every DCE/RPC PDU a second time, as plain ncacn_ip_tcp, which
    |     a real DHCP server does not have and which would count every call twice)
  responder  tools/impacket-captures.py's ScriptedServer (bind_ack, responses
          marshalled by impacket's NDR engine), NDR on one pipe, NDR64 on another.

The recorded SMB messages are framed like the other captures (Ethernet/IPv4/TCP,
server port 445, fixed times); one message per TCP segment.  Reproducible:
impacket's SMB server and client draw the session id, the file ids
(uuid.generate) and the server name from Python's `random`, seeded here, and
read the wall clock (Negotiate SystemTime/ServerStartTime), pinned here
(FixedClock); client and server alternate strictly, so the threads draw in the
same order on every run (checked by e2e.pipe_captures_reproducible).
"""

import importlib.util
import json
import os
import random
import socket
import struct
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("impacket_captures",
                                               os.path.join(HERE, "impacket-captures.py"))
ic = importlib.util.module_from_spec(_spec)
sys.modules["impacket_captures"] = ic      # dce.request() imports the request class module
_spec.loader.exec_module(ic)

from impacket import smbserver  # noqa: E402
from impacket.dcerpc.v5 import transport as rpctransport  # noqa: E402

TIMEOUT = 10.0          # every socket operation is bounded
SMB_PORT = 445          # in the written capture


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class Responder(threading.Thread):
    """The DCE/RPC server behind the pipe: one ScriptedServer per connection
    (the SMB server opens one TCP connection per pipe Create)."""

    def __init__(self, connections):
        super().__init__(daemon=True)
        self.connections = list(connections)
        self.listener = socket.socket()
        self.listener.settimeout(TIMEOUT)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.error = None

    def run(self):
        workers = []
        try:
            for conn in self.connections:
                sock, _ = self.listener.accept()
                sock.settimeout(TIMEOUT)
                worker = threading.Thread(target=self.serve, args=(sock, conn), daemon=True)
                worker.start()
                workers.append(worker)
        except Exception as exc:     # reported by the main thread
            self.error = exc
        for worker in workers:
            worker.join(TIMEOUT)

    def serve(self, sock, conn):
        """Answers until the connection's last scripted call is answered."""
        server = ic.ScriptedServer(conn)
        now = answered = 0
        try:
            with sock:
                while answered < len(conn.calls):
                    head = recv_exact(sock, 16)
                    if head is None:
                        raise RuntimeError("pipe closed before the last call")
                    frag_len = struct.unpack_from("<H", head, 8)[0]
                    pdu = head + recv_exact(sock, frag_len - 16)
                    now += 1000
                    answers = server.on_client_pdu(pdu, now)
                    for answer in answers:
                        sock.sendall(answer)
                    answered += pdu[2] == 0 and bool(answers)
        except Exception as exc:
            self.error = exc


class RecordingRelay(threading.Thread):
    """client <-> SMB server, keeping every NetBIOS session message in order."""

    def __init__(self, smb_port):
        super().__init__(daemon=True)
        self.smb_port = smb_port
        self.listener = socket.socket()
        self.listener.settimeout(TIMEOUT)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.log = []           # [("c" | "s", message)]
        self.lock = threading.Lock()

    def pump(self, src, dst, direction):
        try:
            while True:
                head = recv_exact(src, 4)
                if head is None:
                    break
                body = recv_exact(src, struct.unpack(">I", head)[0] & 0xFFFFFF)
                with self.lock:
                    self.log.append((direction, head + body))
                dst.sendall(head + body)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def run(self):
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", self.smb_port), timeout=TIMEOUT)
        client.settimeout(TIMEOUT)
        up = threading.Thread(target=self.pump, args=(client, server, "c"), daemon=True)
        up.start()
        self.pump(server, client, "s")
        up.join(TIMEOUT)


def run_client(port, connections):
    """One SMB session; one pipe open per DCE/RPC connection."""
    smb = None
    for conn in connections:
        trans = rpctransport.DCERPCTransportFactory(r"ncacn_np:127.0.0.1[\pipe\dhcpserver]")
        trans.set_dport(port)
        trans.set_credentials("", "")
        if smb is not None:
            trans.set_smb_connection(smb)      # the second pipe in the same SMB session
        dce = trans.get_dce_rpc()
        dce.connect()
        smb = trans.get_smb_connection()
        dce.bind(ic.DHCPSRV2_UUID,
                 transfer_syntax=ic.NDR64_SYNTAX if conn.ndr64 else ic.NDR_SYNTAX)
        for call in conn.calls:
            answer = dce.request(call.build_request(), checkError=False)
            if not ic.same_but_fillers(answer.getData(), call.response_stub):
                raise RuntimeError("opnum %d response does not round-trip" % call.opnum)
    smb.close()                            # logs off, then closes


class FixedClock:
    """The clock impacket's SMB server and client read (Negotiate SystemTime,
    ServerStartTime, the NTLM AV timestamp): pinned, for reproducible bytes."""

    FIXED = ic.utc(2026, 11, 5, 9, 0, 0)

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def time(self):
        return float(self.FIXED)

    def gmtime(self, secs=None):
        return self.real.gmtime(self.FIXED if secs is None else secs)


def pin_clocks():
    import impacket.ntlm
    import impacket.smb3
    for module in (smbserver, impacket.smb3, impacket.ntlm):
        if hasattr(module, "time"):
            module.time = FixedClock(module.time)


def start_smb_server(responder_port):
    server = smbserver.SimpleSMBServer(listenAddress="127.0.0.1", listenPort=0)
    server.setSMB2Support(True)
    server.registerNamedPipe("dhcpserver", ("127.0.0.1", responder_port))
    inner = server._SimpleSMBServer__server
    port = inner.server_address[1]
    thread = threading.Thread(target=server.start, daemon=True)
    thread.start()
    return server, port


def frames_of(log, start_us, pcap, cli, srv, cport):
    ic.SERVER_PORT = SMB_PORT
    tcp = ic.TcpConn(pcap, cli, srv, cport, 0x3a4b0000, 0x9c330000)
    t = start_us
    tcp.segment(t, "c", ic.TcpConn.SYN)
    tcp.segment(t + 120, "s", ic.TcpConn.SYN | ic.TcpConn.ACK)
    tcp.segment(t + 240, "c", ic.TcpConn.ACK)
    t += 1000
    out = []
    for d, message in log:
        t += 150 if d == "c" else 900
        out.append((tcp.segment(t, d, ic.TcpConn.PSH | ic.TcpConn.ACK, message), d, message, t))
    t += 5000
    tcp.segment(t, "c", ic.TcpConn.FIN | ic.TcpConn.ACK)
    tcp.segment(t + 150, "s", ic.TcpConn.FIN | ic.TcpConn.ACK)
    tcp.segment(t + 300, "c", ic.TcpConn.ACK)
    return out


def expected_entries(framed, connections):
    """Each call's request and response: the frame whose SMB message carries
    the PDU (searched in order; the ScriptedServer kept the stubs)."""
    pdus, experts = [], []
    at = 0
    for conn in connections:
        for call in conn.calls:
            for kind, stub, direction in (("request", call.request_stub, "c"),
                                          ("response", call.response_stub, "s")):
                while not (framed[at][1] == direction and stub in framed[at][2]):
                    at += 1
                frame, _, _, t_us = framed[at]
                pdus.append(call.entry(kind, frame, conn.ndr64, t_us / 1e6))
                if kind == "response":
                    experts.extend({"frame": frame, "abbrev": a} for a in call.expert())
    return pdus, experts


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    name = "pipe-dhcpserver"
    random.seed(name)
    pin_clocks()
    s10 = ic.stats(200, 150, 50, 75, 75, 20, 30)
    s20 = ic.stats(250, 80, 170, 39, 41, 85, 85)
    lb, hs, _ = ic.relationships()
    connections = [
        ic.Connection(False, [ic.ScopeStats("10.0.0.1", "192.168.10.0", s10),
                              ic.GetRelationship("10.0.0.1", "dhcp1-dhcp2-lb", lb),
                              ic.ScopeStats(None, "10.20.30.0", None, status=2)]),
        ic.Connection(True, [ic.ScopeStats("dhcp1.corp.example.com", "192.168.20.0", s20),
                             ic.GetScopeRelationship("10.0.0.1", "10.20.30.0", hs)]),
    ]
    for i, conn in enumerate(connections):
        conn.assoc_group = 0x5c00 + i
    responder = Responder(connections)
    responder.start()
    _, smb_port = start_smb_server(responder.port)
    relay = RecordingRelay(smb_port)
    relay.start()
    try:
        run_client(relay.port, connections)
    except Exception:
        if responder.error:
            raise responder.error
        raise
    # The SMB server's threads are daemons: they end with this process
    # (SimpleSMBServer.stop() waits for handlers still reading the pipe).
    relay.join(TIMEOUT)
    if responder.error:
        raise responder.error
    pcap = ic.Pcapng()
    base = ic.utc(2026, 11, 5, 9, 0, 0) * 1000000
    with relay.lock:
        log = list(relay.log)
    framed = frames_of(log, base, pcap, ic.Host(ic.CLIENT), ic.Host(ic.SERVER), 54000)
    pdus, experts = expected_entries(framed, connections)
    with open(os.path.join(args.outdir, name + ".pcapng"), "wb") as f:
        f.write(pcap.data)
    expected = {"capture": name + ".pcapng",
                "description": "dhcpsrv2 over ncacn_np \\PIPE\\DHCPSERVER (SMB 2.0.2 on port "
                               "445): impacket's client and SimpleSMBServer, NDR then NDR64 "
                               "pipe; the SMB server's own link to the DCE/RPC responder is "
                               "not in the capture",
                "generator": "tools/pipe-captures.py", "pdus": pdus, "expert": experts}
    records = [{"rsp_frame": p["frame"], "req_frame": q["frame"], "interface": "dhcpsrv2",
                "opnum": p["opnum"], "undecoded": "decoded"}
               for q, p in zip(pdus[0::2], pdus[1::2])]
    text = ic.dump_expected(expected)
    text = text[:-3] + ',\n  "records": %s\n}\n' % json.dumps(records)
    assert json.loads(text)["records"] == records
    with open(os.path.join(args.outdir, name + ".expected.json"), "w") as f:
        f.write(text)
    print("%s: %d frames, %d PDUs, %d expert items" % (name, pcap.frames, len(pdus), len(experts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
