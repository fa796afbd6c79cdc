#!/usr/bin/env python3
"""Write the scenario captures of the generic (non-failover) methods, with their expected values.

    tools/scenario-captures.py OUT_DIR

Stubs are encoded from the description (plugin/idl/ms-dhcpm.idl) by tools/ndr_encode.py, whose layout
unit.idl_encoder ties to go-msrpc's bytes; the framing (pcapng, Ethernet/IPv4/TCP, DCE/RPC bind and
calls) is tools/make_vector_set.py's.  Each capture NAME.pcapng gets NAME.expected.json in the format of
tests/test_captures.py (docs/captures.md), written from the values encoded here and from what each
scenario is built to provoke (the expert items).  Nothing is read back from tshark.

* option-values: option values by option id (plugin/semantics/dhcpm-options.c): set/get/enum/all option
  values and an option definition, over dhcpsrv2 NDR, dhcpsrv2 NDR64 and dhcpsrv NDR big-endian.
* generic-scenarios-ndr, -ndr64, -ndr-be (big-endian NDR): for both interfaces, error responses with NULL
  out-pointers, NULL unique pointers in requests, empty arrays (count 0 with a NULL and with a non-NULL
  array pointer), malformed stubs (truncated inside a deferred array, a conformance count larger than the
  bytes present, a string whose actual count exceeds its maximum count), each followed by a normal call
  that must decode normally.

The output is byte-identical on every run (fixed clock, referent ids from a counter); ctest
e2e.scenario_captures_reproducible regenerates and compares.
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idl_subset import parse  # noqa: E402
from ndr_encode import Marshal  # noqa: E402
from make_vector_set import IFACES, SYNTAX, Pcap, Tcp, bind, bind_ack, pdu  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SERVER = "10.0.0.1"
ERROR_NO_MORE_ITEMS = 259
ERROR_ACCESS_DENIED = 5
ERROR_DHCP_SUBNET_NOT_PRESENT = 20005
ERROR_DHCP_OPTION_NOT_PRESENT = 20010


def ip(text):
    a, b, c, d = map(int, text.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


class BadString(str):
    """A string marshalled with max_count = actual_count - `short` (the actual count exceeds the max)."""
    short = 2


class ScenarioMarshal(Marshal):
    def string(self, text):
        if not isinstance(text, BadString):
            return super().string(text)
        units, n = self.wchars(text, True)
        self.count(n - text.short)
        self.count(0)
        self.count(n)
        self.buf += units


# value helpers ---------------------------------------------------------------------------------------

def element(kind, value):
    arm = {0: "ByteOption", 1: "WordOption", 2: "DWordOption", 4: "IpAddressOption",
           5: "StringDataOption", 8: "Ipv6AddressDataOption"}[kind]
    return {"OptionType": kind, "Element": {"_switch": kind, arm: value}}


def data(*elements):
    return {"NumElements": len(elements), "Elements": list(elements)}


def option_value(option_id, *elements):
    return {"OptionID": option_id, "Value": data(*elements)}


def subnet_scope(subnet):
    return {"ScopeType": 2, "ScopeInfo": {"_switch": 2, "SubnetScopeInfo": ip(subnet)}}


GLOBAL_SCOPE = {"ScopeType": 1, "ScopeInfo": {"_switch": 1}}
DEFAULT_SCOPE6 = {"ScopeType": 0, "ScopeInfo": {"_switch": 0}}


def host(addr, netbios, name):
    return {"IpAddress": ip(addr), "NetBiosName": netbios, "HostName": name}


def subnet_info(addr, mask, name):
    return {"SubnetAddress": ip(addr), "SubnetMask": ip(mask), "SubnetName": name,
            "SubnetComment": None, "PrimaryHost": host(SERVER, "DHCP1", "dhcp1.corp.example.com"),
            "SubnetState": 0}


def client_v5(addr, name):
    return {"ClientIpAddress": ip(addr), "SubnetMask": ip("255.255.255.0"),
            "ClientHardwareAddress": {"DataLength": 6, "Data": "020000000a01"},
            "ClientName": name, "ClientComment": None,
            "ClientLeaseExpires": {"dwLowDateTime": 0, "dwHighDateTime": 0},
            "OwnerHost": host(SERVER, None, None), "bClientType": 1, "AddressState": 0}


def reservation(addr, name):
    return {"ReservedIpAddress": ip(addr), "ReservedForClient": {"DataLength": 6, "Data": "020000000b02"},
            "ReservedClientName": name, "ReservedClientDesc": None, "bAllowedClientTypes": 3,
            "fOptionsPresent": 0}


def mib_v5(scopes):
    return {"Discovers": 10, "Offers": 9, "Requests": 8, "Acks": 7, "Naks": 1, "Declines": 0, "Releases": 2,
            "ServerStartTime": {"dwLowDateTime": 0, "dwHighDateTime": 0}, "QtnNumLeases": 0,
            "QtnPctQtnLeases": 0, "QtnProbationLeases": 0, "QtnNonQtnLeases": 0, "QtnExemptLeases": 0,
            "QtnCapableClients": 0, "QtnIASErrors": 0, "DelayedOffers": 0, "ScopesWithDelayedOffers": 0,
            "Scopes": len(scopes) if scopes is not None else 0, "ScopeInfo": scopes}


def mib_vq(scopes):
    v = mib_v5(scopes)
    for k in ("DelayedOffers", "ScopesWithDelayedOffers"):
        del v[k]
    return v


def scope_v5(subnet, inuse, free, pending):
    return {"Subnet": ip(subnet), "NumAddressesInuse": inuse, "NumAddressesFree": free,
            "NumPendingOffers": pending}


def scope_vq(subnet, inuse, free, pending):
    v = scope_v5(subnet, inuse, free, pending)
    v.update({"QtnNumLeases": 0, "QtnPctQtnLeases": 0, "QtnProbationLeases": 0, "QtnNonQtnLeases": 0,
              "QtnExemptLeases": 0, "QtnCapableClients": 0})
    return v


def policy(name, subnet):
    return {"PolicyName": name, "IsGlobalPolicy": 0, "Subnet": ip(subnet), "ProcessingOrder": 1,
            "Conditions": None, "Expressions": None, "Ranges": None, "Description": None, "Enabled": 1}


# framing ---------------------------------------------------------------------------------------------

class Capture:
    def __init__(self, name, description):
        self.name, self.description = name, description
        self.pcap = Pcap()
        self.pdus, self.experts, self.records = [], [], []
        self.port = 0

    def expert(self, frame, abbrev):
        self.experts.append({"frame": frame, "abbrev": abbrev})

    def write(self, out_dir, idl):
        with open(os.path.join(out_dir, self.name + ".pcapng"), "wb") as f:
            f.write(self.pcap.buf)
        doc = {"capture": self.name + ".pcapng", "description": self.description,
               "generator": "tools/scenario-captures.py", "both_interfaces": True,
               "pdus": self.pdus, "expert": sorted(self.experts, key=lambda e: (e["frame"], e["abbrev"])),
               # the tap record of every response, with its interface (dhcpsrv 6bffd098-... or dhcpsrv2)
               "records": self.records}
        with open(os.path.join(out_dir, self.name + ".expected.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")


class Conn:
    """One TCP connection, one association of `iface` in NDR or NDR64, little- or big-endian."""

    def __init__(self, cap, idl, iface, ndr64, big_endian=False):
        self.cap, self.iface, self.ndr64 = cap, iface, ndr64
        self.e = ">" if big_endian else "<"
        self.methods = {m.opnum: m for m in idl.interfaces[iface].methods}
        iuuid, port, cli = IFACES[iface]
        self.tcp = Tcp(cap.pcap, cli, "127.0.0.1", 50100 + cap.port, port)
        cap.port += 1
        self.tcp.handshake()
        self.tcp.seg(True, 0x18, pdu(11, 1, bind(iuuid, SYNTAX[ndr64], self.e), self.e))
        self.tcp.seg(False, 0x18, pdu(12, 1, bind_ack(port, SYNTAX[ndr64], self.e), self.e))
        self.m = ScenarioMarshal(idl, ndr64=ndr64, big_endian=big_endian)
        self.call_id = 2
        self.p = iface + "."

    def stubs(self, opnum, vin, vout):
        meth = self.methods[opnum]
        return self.m.stub(meth, "in", vin), self.m.stub(meth, "out", vout)

    def call(self, opnum, vin, vout, req_fields=None, rsp_fields=None, req_absent=(), rsp_absent=(),
             werror=0, req_stub=None, rsp_stub=None, info=None):
        """A request and its response; returns their frames.  `*_fields` are the expected values by
        field name without the protocol prefix; `werror` the status (None: none decoded)."""
        req, rsp = self.stubs(opnum, vin, vout)
        req = req if req_stub is None else req_stub(req)
        rsp = rsp if rsp_stub is None else rsp_stub(rsp)
        e = self.e
        f_req = self.tcp.seg(True, 0x18, pdu(0, self.call_id, struct.pack(e + "IHH", len(req), 0, opnum) + req, e))
        f_rsp = self.tcp.seg(False, 0x18, pdu(2, self.call_id, struct.pack(e + "IHBB", len(rsp), 0, 0, 0) + rsp, e))
        self.call_id += 1
        server = vin.get("ServerIpAddress")
        common = {"interface": self.iface, "ndr64": self.ndr64, "opnum": opnum, "server_ip_address": server,
                  "scope_id": None}
        want_req = dict(common, frame=f_req, type="request")
        want_rsp = dict(common, frame=f_rsp, type="response", stats=None, utilization=None, werror=werror)
        for want, fields, absent in ((want_req, req_fields, req_absent), (want_rsp, rsp_fields, rsp_absent)):
            if fields:
                want["fields"] = {self.p + k: [str(x) for x in v] for k, v in fields.items()}
            if absent:
                want["absent"] = [self.p + k for k in absent]
        if info:
            want_req["info"] = info
        self.cap.pdus += [want_req, want_rsp]
        self.cap.records.append({"rsp_frame": f_rsp, "req_frame": f_req, "interface": self.iface, "opnum": opnum,
                                 "undecoded": "decoded"})
        if werror:
            self.cap.expert(f_rsp, self.p + "expert.status_error")
        return f_req, f_rsp

    def close(self):
        self.tcp.seg(True, 0x11)
        self.tcp.seg(False, 0x11)
        self.tcp.seg(True, 0x10)


# option values by option id ---------------------------------------------------------------------------

def option_calls(c):
    """dhcpsrv2 option methods with values whose option ids dhcpm-options.c interprets."""
    srv = SERVER
    c.call(19, {"ServerIpAddress": srv, "Flags": 0, "OptionId": 3, "ClassName": None, "VendorName": None,
                "ScopeInfo": subnet_scope("192.168.10.0"),
                "OptionValue": data(element(4, ip("192.168.10.1")), element(4, ip("192.168.10.2")))},
           {"Return": 0},
           req_fields={"option_id": [3], "option_value.option": [3],
                       "option_value.router": ["192.168.10.1", "192.168.10.2"]},
           req_absent=["option_value.option_v6"], info="OptionID=3 (Router)")
    c.call(21, {"ServerIpAddress": srv, "Flags": 0, "OptionID": 51, "ClassName": None, "VendorName": None,
                "ScopeInfo": GLOBAL_SCOPE},
           {"OptionValue": option_value(51, element(2, 691200)), "Return": 0},
           req_fields={"option_value.option": [51]}, req_absent=["option_value.lease_time"],
           rsp_fields={"option_value.option_id": [51], "option_value.option": [51],
                       "option_value.lease_time": [691200]},
           info="OptionID=51 (IP Address Lease Time)")
    c.call(22, {"ServerIpAddress": srv, "Flags": 0, "ClassName": None, "VendorName": None,
                "ScopeInfo": subnet_scope("192.168.10.0"), "ResumeHandle": 0, "PreferredMaximum": 0xFFFFFFFF},
           {"ResumeHandle": 0,
            "OptionValues": {"NumElements": 6, "Values": [
                option_value(6, element(4, ip("10.0.0.53")), element(4, ip("10.0.0.54"))),
                option_value(15, element(5, "corp.example.com")),
                option_value(46, element(0, 8)),
                option_value(44, element(4, ip("10.0.0.44"))),
                option_value(3, element(2, 7)),          # a router as a DWORD: not an address, no item
                option_value(200, element(2, 5))]},      # an id without a meaning here
            "OptionsRead": 6, "OptionsTotal": 6, "Return": 0},
           rsp_fields={"option_value.option_id": [6, 15, 46, 44, 3, 200],
                       "option_value.option": [6, 15, 46, 44, 3, 200],
                       "option_value.dns_server": ["10.0.0.53", "10.0.0.54"],
                       "option_value.domain_name": ["corp.example.com"],
                       "option_value.netbios_node_type": ["0x08"],
                       "option_value.wins_server": ["10.0.0.44"]},
           rsp_absent=["option_value.router", "option_value.lease_time"])
    c.call(30, {"ServerIpAddress": srv, "Flags": 0, "ScopeInfo": GLOBAL_SCOPE},
           {"Values": {"Flags": 0, "NumElements": 2, "Options": [
               {"ClassName": None, "VendorName": None, "IsVendor": 0, "OptionsArray": {"NumElements": 2, "Values": [
                   option_value(1, element(4, ip("255.255.255.0"))),
                   option_value(58, element(2, 345600))]}},
               {"ClassName": "Default BOOTP Class", "VendorName": None, "IsVendor": 0,
                "OptionsArray": {"NumElements": 3, "Values": [
                    option_value(66, element(5, "tftp.corp.example.com")),
                    option_value(67, element(5, "boot\\x64\\wdsnbp.com")),
                    option_value(59, element(2, 604800))]}}]},
            "Return": 0},
           rsp_fields={"option_value.option": [1, 58, 66, 67, 59],
                       "option_value.subnet_mask": ["255.255.255.0"],
                       "option_value.renewal_time": [345600],
                       "option_value.tftp_server_name": ["tftp.corp.example.com"],
                       "option_value.bootfile_name": ["boot\\x64\\wdsnbp.com"],
                       "option_value.rebinding_time": [604800]})
    c.call(14, {"ServerIpAddress": srv, "Flags": 0, "OptionId": 60, "ClassName": None, "VendorName": None,
                "OptionInfo": {"OptionID": 60, "OptionName": "Vendor class", "OptionComment": None,
                               "DefaultValue": data(element(5, "PXEClient")), "OptionType": 0}},
           {"Return": 0},
           req_fields={"option_id": [60], "option.option_id": [60], "option_value.option": [60, 60],
                       "option_value.vendor_class": ["PXEClient"]},
           info="OptionID=60 (Vendor Class Identifier)")
    c.call(52, {"ServerIpAddress": srv, "Flags": 0, "OptionId": 23, "ClassName": None, "VendorName": None,
                "ScopeInfo": DEFAULT_SCOPE6, "OptionValue": data(element(8, "2001:db8::53"))},
           {"Return": 0},
           req_fields={"option_value.option_v6": [23], "option_value.v6_dns_server": ["2001:db8::53"]},
           req_absent=["option_value.option"], info="OptionID=23 (DNS Recursive Name Server)")


def option_calls_dhcpsrv(c):
    srv = SERVER
    c.call(12, {"ServerIpAddress": srv, "OptionID": 6, "ScopeInfo": GLOBAL_SCOPE,
                "OptionValue": data(element(4, ip("10.1.1.53")))},
           {"Return": 0},
           req_fields={"option_value.option": [6], "option_value.dns_server": ["10.1.1.53"]},
           info="OptionID=6 (Domain Name Server)")
    c.call(13, {"ServerIpAddress": srv, "OptionID": 51, "ScopeInfo": GLOBAL_SCOPE},
           {"OptionValue": option_value(51, element(2, 86400)), "Return": 0},
           rsp_fields={"option_value.option": [51], "option_value.lease_time": [86400]})


def option_values(idl):
    cap = Capture("option-values", "Option values by option id: dhcpsrv2 SetOptionValueV5 (router), "
                  "GetOptionValueV5 (lease time), EnumOptionValuesV5 (DNS, domain, node type, WINS, a router "
                  "sent as a DWORD, an unknown id), GetAllOptionValues (mask, T1, TFTP, bootfile, T2), "
                  "CreateOptionV5 (vendor class default), SetOptionValueV6 (DHCPv6 DNS) over NDR and NDR64; "
                  "dhcpsrv SetOptionValue/GetOptionValue over big-endian NDR")
    for ndr64 in (False, True):
        c = Conn(cap, idl, "dhcpsrv2", ndr64)
        option_calls(c)
        c.close()
    c = Conn(cap, idl, "dhcpsrv", False, big_endian=True)
    option_calls_dhcpsrv(c)
    c.close()
    return cap


# generic scenarios ------------------------------------------------------------------------------------

def truncate_inside_last_array(trailer):
    """Cuts a response stub inside the array that precedes its `trailer` bytes (counts, status): the
    array's count then runs past the bytes present."""
    return lambda stub: stub[:len(stub) - trailer - 10]


def truncate_after(conn, value, extra):
    """Cuts a stub `extra` bytes after the first DWORD `value` (in the stub's byte order): inside the
    structure that holds it."""
    needle = struct.pack(conn.e + "I", value)
    return lambda stub: stub[:stub.index(needle) + 4 + extra]


def generic_dhcpsrv(c):
    srv = SERVER
    p = "dhcpsrv"
    enum_in = {"ServerIpAddress": srv, "ResumeHandle": 0, "PreferredMaximum": 0xFFFFFFFF}
    # error response, NULL out-pointer
    c.call(3, enum_in, {"ResumeHandle": 0, "EnumInfo": None, "ElementsRead": 0, "ElementsTotal": 0,
                        "Return": ERROR_NO_MORE_ITEMS},
           rsp_fields={"elements_read": [0]}, rsp_absent=["ip_array.num_elements"], werror=ERROR_NO_MORE_ITEMS)
    # NULL server handle (a unique pointer) in the request; empty array with a NULL array pointer
    c.call(3, dict(enum_in, ServerIpAddress=None),
           {"ResumeHandle": 0, "EnumInfo": {"NumElements": 0, "Elements": None}, "ElementsRead": 0,
            "ElementsTotal": 0, "Return": 0},
           rsp_fields={"ip_array.num_elements": [0]}, rsp_absent=["ip_array.element"])
    # empty array, non-NULL pointer with 0 elements
    c.call(3, enum_in, {"ResumeHandle": 0, "EnumInfo": {"NumElements": 0, "Elements": []}, "ElementsRead": 0,
                        "ElementsTotal": 0, "Return": 0},
           rsp_fields={"ip_array.num_elements": [0], "ndr.count": [0]}, rsp_absent=["ip_array.element"])
    # the stub ends inside the deferred array: its count runs past the bytes present; then a normal call
    subnets = ["192.168.10.0", "192.168.20.0", "192.168.30.0", "192.168.40.0"]
    _, f = c.call(3, enum_in, {"ResumeHandle": 0, "EnumInfo": {"NumElements": 4, "Elements": [ip(s) for s in subnets]},
                               "ElementsRead": 4, "ElementsTotal": 4, "Return": 0},
                  rsp_fields={"ip_array.num_elements": [4]}, rsp_absent=["ip_array.element", "elements_read"],
                  werror=None, rsp_stub=truncate_inside_last_array(12))
    c.cap.expert(f, p + ".ndr.count_too_large")
    c.call(3, enum_in, {"ResumeHandle": 0, "EnumInfo": {"NumElements": 2, "Elements": [ip(s) for s in subnets[:2]]},
                        "ElementsRead": 2, "ElementsTotal": 2, "Return": 0},
           rsp_fields={"ip_array.element": subnets[:2], "elements_read": [2]})
    # GetSubnetInfo: error with NULL SubnetInfo, then a string whose actual count exceeds its max count
    c.call(2, {"ServerIpAddress": srv, "SubnetAddress": ip("192.168.99.0")},
           {"SubnetInfo": None, "Return": ERROR_DHCP_SUBNET_NOT_PRESENT},
           req_fields={"subnet_address": ["192.168.99.0"]}, rsp_absent=["subnet_info.subnet_address"],
           werror=ERROR_DHCP_SUBNET_NOT_PRESENT)
    _, f = c.call(2, {"ServerIpAddress": srv, "SubnetAddress": ip("192.168.10.0")},
                  {"SubnetInfo": subnet_info("192.168.10.0", "255.255.255.0", BadString("Office LAN")),
                   "Return": 0},
                  rsp_fields={"subnet_info.subnet_address": ["192.168.10.0"],
                              "subnet_info.subnet_mask": ["255.255.255.0"]})
    c.cap.expert(f, p + ".ndr.actual_count_gt_max_count")
    c.call(2, {"ServerIpAddress": srv, "SubnetAddress": ip("192.168.20.0")},
           {"SubnetInfo": subnet_info("192.168.20.0", "255.255.255.0", "Lab"), "Return": 0},
           rsp_fields={"subnet_info.subnet_address": ["192.168.20.0"], "subnet_info.subnet_name": ["Lab"],
                       "host_info.host_name": ["dhcp1.corp.example.com"]})
    # MIB VQ: NULL with an error; empty scopes (NULL and non-NULL); two scopes
    c.call(43, {"ServerIpAddress": srv}, {"MibInfo": None, "Return": ERROR_ACCESS_DENIED},
           rsp_absent=["mib_info_vq.scopes"], werror=ERROR_ACCESS_DENIED)
    c.call(43, {"ServerIpAddress": srv}, {"MibInfo": mib_vq(None), "Return": 0},
           rsp_fields={"mib_info_vq.scopes": [0]}, rsp_absent=["scope_mib_info_vq.subnet"])
    c.call(43, {"ServerIpAddress": srv}, {"MibInfo": mib_vq([]), "Return": 0},
           rsp_fields={"mib_info_vq.scopes": [0], "ndr.count": [0]}, rsp_absent=["scope_mib_info_vq.subnet"])
    c.call(43, {"ServerIpAddress": srv},
           {"MibInfo": mib_vq([scope_vq("192.168.10.0", 58, 42, 1), scope_vq("192.168.20.0", 10, 90, 0)]),
            "Return": 0},
           rsp_fields={"scope_mib_info_vq.subnet": ["192.168.10.0", "192.168.20.0"],
                       "scope_mib_info_vq.num_addresses_free": [42, 90]})
    # Get/SetOptionValue: NULL out-pointer with an error, a normal set
    c.call(13, {"ServerIpAddress": srv, "OptionID": 3, "ScopeInfo": subnet_scope("192.168.10.0")},
           {"OptionValue": None, "Return": ERROR_DHCP_OPTION_NOT_PRESENT},
           rsp_absent=["option_value.option_id"], werror=ERROR_DHCP_OPTION_NOT_PRESENT)
    c.call(12, {"ServerIpAddress": srv, "OptionID": 3, "ScopeInfo": subnet_scope("192.168.10.0"),
                "OptionValue": data()},
           {"Return": 0}, req_fields={"option_data.num_elements": [0]})


def generic_dhcpsrv2(c):
    srv = SERVER
    p = "dhcpsrv2"
    clients_in = {"ServerIpAddress": srv, "SubnetAddress": ip("192.168.10.0"), "ResumeHandle": 0,
                  "PreferredMaximum": 0xFFFFFFFF}
    # EnumSubnetClientsV5: error + NULL; empty (NULL / non-NULL); a count larger than the bytes; normal
    c.call(0, clients_in, {"ResumeHandle": 0, "ClientInfo": None, "ClientsRead": 0, "ClientsTotal": 0,
                           "Return": ERROR_NO_MORE_ITEMS},
           rsp_absent=["client_info_array_v5.num_elements"], werror=ERROR_NO_MORE_ITEMS)
    c.call(0, clients_in, {"ResumeHandle": 0, "ClientInfo": {"NumElements": 0, "Clients": None}, "ClientsRead": 0,
                           "ClientsTotal": 0, "Return": 0},
           rsp_fields={"client_info_array_v5.num_elements": [0], "clients_read": [0]})
    c.call(0, clients_in, {"ResumeHandle": 0, "ClientInfo": {"NumElements": 0, "Clients": []}, "ClientsRead": 0,
                           "ClientsTotal": 0, "Return": 0},
           rsp_fields={"client_info_array_v5.num_elements": [0], "ndr.count": [0]})
    _, f = c.call(0, clients_in, {"ResumeHandle": 0,
                                  "ClientInfo": {"NumElements": 100000, "Clients": [client_v5("192.168.10.50", "pc50")]},
                                  "ClientsRead": 1, "ClientsTotal": 1, "Return": 0},
                  rsp_fields={"client_info_array_v5.num_elements": [100000]}, werror=None)
    c.cap.expert(f, p + ".ndr.count_too_large")
    c.call(0, clients_in, {"ResumeHandle": 0,
                           "ClientInfo": {"NumElements": 2, "Clients": [client_v5("192.168.10.50", "pc50"),
                                                                        client_v5("192.168.10.51", "pc51")]},
                           "ClientsRead": 2, "ClientsTotal": 2, "Return": 0},
           rsp_fields={"client_info_v5.client_ip_address": ["192.168.10.50", "192.168.10.51"],
                       "client_info_v5.client_name": ["pc50", "pc51"], "clients_read": [2]})
    # V4EnumSubnetClients: error with a NULL array, NULL server handle in the request
    c.call(115, dict(clients_in, ServerIpAddress=None),
           {"ResumeHandle": 0, "ClientInfo": None, "ClientsRead": 0, "ClientsTotal": 0,
            "Return": ERROR_ACCESS_DENIED},
           rsp_absent=["client_info_pb_array.num_elements"], werror=ERROR_ACCESS_DENIED)
    # V4EnumSubnetReservations (the array structure in place): empty on error, empty, truncated, normal
    resv_in = {"ServerIpAddress": srv, "SubnetAddress": ip("192.168.10.0"), "ResumeHandle": 0,
               "PreferredMaximum": 0xFFFFFFFF}
    c.call(119, resv_in, {"ResumeHandle": 0, "EnumElementInfo": {"NumElements": 0, "Elements": None},
                          "ElementsRead": 0, "ElementsTotal": 0, "Return": ERROR_NO_MORE_ITEMS},
           rsp_fields={"reservation_info_array.num_elements": [0]}, werror=ERROR_NO_MORE_ITEMS)
    c.call(119, resv_in, {"ResumeHandle": 0, "EnumElementInfo": {"NumElements": 0, "Elements": []},
                          "ElementsRead": 0, "ElementsTotal": 0, "Return": 0},
           rsp_fields={"reservation_info_array.num_elements": [0], "ndr.count": [0]})
    resv = [reservation("192.168.10.%d" % (200 + i), "printer%d" % i) for i in range(3)]
    # cut inside the first element of the deferred array (after ReservedIpAddress, inside DataLength)
    _, f = c.call(119, resv_in, {"ResumeHandle": 0, "EnumElementInfo": {"NumElements": 3, "Elements": resv},
                                 "ElementsRead": 3, "ElementsTotal": 3, "Return": 0},
                  rsp_fields={"reservation_info_array.num_elements": [3],
                              "ip_reservation_info.reserved_ip_address": ["192.168.10.200"]},
                  rsp_absent=["ip_reservation_info.reserved_client_name", "elements_read"],
                  werror=None, rsp_stub=truncate_after(c, ip("192.168.10.200"), 2))
    c.cap.expert(f, p + ".ndr.truncated")
    c.call(119, resv_in, {"ResumeHandle": 0, "EnumElementInfo": {"NumElements": 1, "Elements": resv[:1]},
                          "ElementsRead": 1, "ElementsTotal": 1, "Return": 0},
           rsp_fields={"ip_reservation_info.reserved_ip_address": ["192.168.10.200"],
                       "ip_reservation_info.reserved_client_name": ["printer0"], "elements_read": [1]})
    # MIB V5: NULL with an error, empty, scopes
    c.call(81, {"ServerIpAddress": srv}, {"MibInfo": None, "Return": ERROR_ACCESS_DENIED},
           rsp_absent=["mib_info_v5.scopes"], werror=ERROR_ACCESS_DENIED)
    c.call(81, {"ServerIpAddress": srv}, {"MibInfo": mib_v5(None), "Return": 0},
           rsp_fields={"mib_info_v5.scopes": [0]})
    c.call(81, {"ServerIpAddress": srv},
           {"MibInfo": mib_v5([scope_v5("192.168.10.0", 58, 42, 1)]), "Return": 0},
           rsp_fields={"scope_mib_info_v5.subnet": ["192.168.10.0"],
                       "scope_mib_info_v5.num_addresses_inuse": [58]})
    # GetOptionValueV5: NULL class/vendor names (unique strings), error with a NULL value; a normal one
    opt_in = {"ServerIpAddress": srv, "Flags": 0, "OptionID": 6, "ClassName": None, "VendorName": None,
              "ScopeInfo": GLOBAL_SCOPE}
    c.call(21, opt_in, {"OptionValue": None, "Return": ERROR_DHCP_OPTION_NOT_PRESENT},
           req_absent=["class_name", "vendor_name"], rsp_absent=["option_value.option_id"],
           werror=ERROR_DHCP_OPTION_NOT_PRESENT)
    c.call(21, dict(opt_in, ClassName="Default Routing and Remote Access Class"),
           {"OptionValue": option_value(6, element(4, ip("10.0.0.53"))), "Return": 0},
           req_fields={"class_name": ["Default Routing and Remote Access Class"]},
           rsp_fields={"option_value.option_id": [6], "option_value.dns_server": ["10.0.0.53"]})
    # Policies: GetPolicy with a NULL name and an error; EnumPolicies empty, a string with actual > max,
    # then a normal one
    c.call(109, {"ServerIpAddress": srv, "ServerPolicy": 1, "SubnetAddress": 0, "PolicyName": None},
           {"Policy": None, "Return": ERROR_ACCESS_DENIED}, rsp_absent=["policy.policy_name"],
           werror=ERROR_ACCESS_DENIED)
    pol_in = {"ServerIpAddress": srv, "ResumeHandle": 0, "PreferredMaximum": 0xFFFFFFFF, "ServerPolicy": 0,
              "SubnetAddress": ip("192.168.10.0")}
    c.call(112, pol_in, {"ResumeHandle": 0, "EnumInfo": {"NumElements": 0, "Elements": None}, "ElementsRead": 0,
                         "ElementsTotal": 0, "Return": 0},
           rsp_fields={"policy_array.num_elements": [0]}, rsp_absent=["policy.policy_name"])
    _, f = c.call(112, pol_in, {"ResumeHandle": 0,
                                "EnumInfo": {"NumElements": 1, "Elements": [policy(BadString("Printers"), "192.168.10.0")]},
                                "ElementsRead": 1, "ElementsTotal": 1, "Return": 0},
                  rsp_fields={"policy.subnet": ["192.168.10.0"]})
    c.cap.expert(f, p + ".ndr.actual_count_gt_max_count")
    c.call(112, pol_in, {"ResumeHandle": 0,
                         "EnumInfo": {"NumElements": 2, "Elements": [policy("Printers", "192.168.10.0"),
                                                                     policy("Phones", "192.168.10.0")]},
                         "ElementsRead": 2, "ElementsTotal": 2, "Return": 0},
           rsp_fields={"policy.policy_name": ["Printers", "Phones"], "elements_read": [2]})


def generic(idl, name, ndr64, big_endian):
    cap = Capture(name, "Generic methods of dhcpsrv and dhcpsrv2 (%s%s): error responses with NULL "
                  "out-pointers, NULL unique pointers in requests, empty arrays (NULL and non-NULL pointer), "
                  "malformed stubs (truncated inside a deferred array, a count larger than the bytes present, "
                  "a string with actual count > max count), each followed by a normal call"
                  % ("NDR64" if ndr64 else "NDR", ", big-endian" if big_endian else ""))
    c = Conn(cap, idl, "dhcpsrv", ndr64, big_endian)
    generic_dhcpsrv(c)
    c.close()
    c = Conn(cap, idl, "dhcpsrv2", ndr64, big_endian)
    generic_dhcpsrv2(c)
    c.close()
    return cap


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    idl = parse(open(os.path.join(REPO, "plugin", "idl", "ms-dhcpm.idl"), encoding="utf-8").read())
    caps = [option_values(idl), generic(idl, "generic-scenarios-ndr", False, False),
            generic(idl, "generic-scenarios-ndr64", True, False),
            generic(idl, "generic-scenarios-ndr-be", False, True)]
    for cap in caps:
        cap.write(out, idl)
        print(f"{cap.name}: {cap.pcap.frames} frames, {len(cap.pdus)} PDUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
