#!/usr/bin/python3
"""Test captures of dhcpsrv2 failover calls marshalled by impacket's NDR engine.

    /usr/bin/python3 tools/impacket-captures.py OUTDIR

Writes OUTDIR/impacket-scope-stats.pcapng and OUTDIR/impacket-relationships.pcapng,
each with NAME.expected.json (format: docs/captures.md, "NAME.expected.json").

Why: tools/gen-captures.c marshals NDR itself, from the same protocol digest the
dissector was written from.  Here an independent encoder does the work: impacket
(Debian python3-impacket 0.10.0).  The IDL types of MS-DHCPM failover methods are
declared below with impacket's NDR classes (impacket has no failover calls), per
the spec (/work/shared/protocol/ms-dhcpm-failover.md section 3), and
impacket's own DCE/RPC client (rpcrt.DCERPC_v5) drives every client PDU:

  * dce.bind(..., transfer_syntax=NDR or NDR64) builds the bind PDU;
  * dce.request(req) calls req.changeTransferSyntax(NDR64) on an NDR64
    association, marshals with req.getData(), sets alloc_hint and call_id,
    and fragments the stub itself (dce.set_max_fragment_size());
  * the response stubs are parsed back by dce.request() with impacket's
    decoder (respClass(answer, isNDR64)) and checked against what was sent.

The DCE/RPC "server" answering it is scripted here: it builds bind_ack and
response PDUs with impacket's MSRPCBindAck / CtxItemResult / MSRPCRespHeader
classes and marshals the [out] parameters with the same NDR classes
(NDRCALL(isNDR64=...).getData()).  The PDUs are then framed into
Ethernet/IPv4/TCP (handshake, one PDU per segment, FIN close) and pcapng here.

impacket draws unique-pointer referent ids from Python's `random`
(NDRPOINTER.__init__); the module is seeded per capture and all timestamps are
fixed, so every run writes identical files.

Two places where impacket 0.10.0 contradicts the NDR rules are corrected
openly (class NDR64TrailingGap and DHCP_SEARCH_INFO below; docs/captures.md says
where and why).  IMPACKET_RAW=1 in the environment turns both corrections off,
to look at impacket's unmodified bytes.

The expected values are computed from the values this script encoded (and the
referent ids read back from the encoder's objects), never read from tshark.
"""

import argparse
import calendar
import json
import os
import random
import struct
import sys
import time

try:
    from impacket.dcerpc.v5 import dhcpm
    from impacket.dcerpc.v5.dtypes import BOOL, BYTE, DWORD, LPWSTR, NULL, ULONG
    from impacket.dcerpc.v5.enum import Enum
    from impacket.dcerpc.v5.ndr import (NDRCALL, NDRENUM, NDRPOINTER, NDRPOINTERNULL, NDRSTRUCT,
                                        NDRUniConformantArray)
    from impacket.dcerpc.v5.rpcrt import (DCERPC_v5, MSRPC_BIND, MSRPC_BINDACK, MSRPC_REQUEST,
                                          MSRPC_RESPONSE, PFC_FIRST_FRAG, PFC_LAST_FRAG,
                                          CtxItem, CtxItemResult, MSRPCBind, MSRPCBindAck,
                                          MSRPCHeader, MSRPCRequestHeader, MSRPCRespHeader)
    from impacket.uuid import uuidtup_to_bin
except ImportError as exc:  # pragma: no cover
    sys.exit(f"impacket-captures: needs Debian's python3-impacket ({exc}); "
             f"run with /usr/bin/python3")

RAW = os.environ.get("IMPACKET_RAW") == "1"

NDR_SYNTAX = ("8a885d04-1ceb-11c9-9fe8-08002b104860", "2.0")
NDR64_SYNTAX = ("71710533-BEBA-4937-8319-B5DBEF9CCC36", "1.0")
DHCPSRV2_UUID = dhcpm.MSRPC_UUID_DHCPSRV2      # 5b821720-f63b-11d0-aad2-00c04fc324db v1.0

# ==========================================================================
# NDR types (MS-DHCPM failover), declared with impacket's classes.
# ==========================================================================

DHCP_SRV_HANDLE = dhcpm.DHCP_SRV_HANDLE        # LPWSTR: [unique, string] wchar_t *
DHCP_IP_ADDRESS = dhcpm.DHCP_IP_ADDRESS        # DWORD


class NDR64TrailingGap:
    """Mixin for an NDRSTRUCT: NDR64 pads a structure to a multiple of its
    alignment (MS-RPCE 2.2.5.3.4.1, "Structure with Trailing Gap").  impacket
    0.10.0 has that code commented out in NDRSTRUCT.getData(); without it the
    next flat item lands 4 bytes early when a structure ending in a small
    member is followed by something less aligned than the structure."""

    def getData(self, soFar=0):
        data = super().getData(soFar)
        if self._isNDR64 and not RAW:
            data += b"\xcd" * ((-(soFar + len(data))) % self.getAlignment())
        return data

    def fromString(self, data, offset=0):
        size = super().fromString(data, offset)
        if self._isNDR64 and not RAW:
            size += (-(offset + size)) % self.getAlignment()
        return size


class DHCP_FAILOVER_MODE(NDRENUM):              # 2.2.1.1.18
    class enumItems(Enum):
        LoadBalance = 0
        HotStandby = 1


class DHCP_FAILOVER_SERVER(NDRENUM):            # 2.2.1.1.19
    class enumItems(Enum):
        PrimaryServer = 0
        SecondaryServer = 1


class FSM_STATE(NDRENUM):                       # 2.2.1.1.20
    class enumItems(Enum):
        NO_STATE = 0
        INIT = 1
        STARTUP = 2
        NORMAL = 3
        COMMUNICATION_INT = 4
        PARTNER_DOWN = 5
        POTENTIAL_CONFLICT = 6
        CONFLICT_DONE = 7
        RESOLUTION_INT = 8
        RECOVER = 9
        RECOVER_WAIT = 10
        RECOVER_DONE = 11


class DHCP_FAILOVER_STATISTICS(NDRSTRUCT):      # 2.2.1.2.100
    structure = (
        ("numAddr", DWORD),
        ("addrFree", DWORD),
        ("addrInUse", DWORD),
        ("partnerAddrFree", DWORD),
        ("thisAddrFree", DWORD),
        ("partnerAddrInUse", DWORD),
        ("thisAddrInUse", DWORD),
    )


class LPDHCP_FAILOVER_STATISTICS(NDRPOINTER):
    referent = (("Data", DHCP_FAILOVER_STATISTICS),)


class LPDHCP_IP_ARRAY(NDRPOINTER):              # pointer to 2.2.1.2.46 DHCP_IP_ARRAY
    referent = (("Data", dhcpm.DHCP_IP_ARRAY),)


class DHCP_FAILOVER_RELATIONSHIP(NDRSTRUCT):    # 2.2.1.2.98
    structure = (
        ("primaryServer", DHCP_IP_ADDRESS),
        ("secondaryServer", DHCP_IP_ADDRESS),
        ("mode", DHCP_FAILOVER_MODE),
        ("serverType", DHCP_FAILOVER_SERVER),
        ("state", FSM_STATE),
        ("prevState", FSM_STATE),
        ("mclt", DWORD),
        ("safePeriod", DWORD),
        ("relationshipName", LPWSTR),
        ("primaryServerName", LPWSTR),
        ("secondaryServerName", LPWSTR),
        ("pScopes", LPDHCP_IP_ARRAY),
        ("percentage", BYTE),
        ("pSharedSecret", LPWSTR),
    )


class LPDHCP_FAILOVER_RELATIONSHIP(NDRPOINTER):
    referent = (("Data", DHCP_FAILOVER_RELATIONSHIP),)


class DHCP_FAILOVER_RELATIONSHIP_LIST(NDRUniConformantArray):
    item = DHCP_FAILOVER_RELATIONSHIP


class LPDHCP_FAILOVER_RELATIONSHIP_LIST(NDRPOINTER):
    referent = (("Data", DHCP_FAILOVER_RELATIONSHIP_LIST),)


class DHCP_FAILOVER_RELATIONSHIP_ARRAY(NDRSTRUCT):   # 2.2.1.2.99
    structure = (
        ("numElements", DWORD),
        ("pRelationships", LPDHCP_FAILOVER_RELATIONSHIP_LIST),
    )


class LPDHCP_FAILOVER_RELATIONSHIP_ARRAY(NDRPOINTER):
    referent = (("Data", DHCP_FAILOVER_RELATIONSHIP_ARRAY),)


class DHCP_SEARCH_INFO(NDR64TrailingGap, dhcpm.DHCP_SEARCH_INFO):   # 2.2.1.2.18
    """impacket's DHCP_SEARCH_INFO (SearchType enum + union switched on it)
    agrees with the spec except for its NDR alignment: impacket's NDRUNION
    reports only its tag's alignment in NDR 2.0 (2), so the structure gets
    alignment 2.  C706 14.3.2 makes a union's alignment the largest of its
    discriminator and all its arms (4 here: DWORD, DHCP_CLIENT_UID, LPWSTR),
    and a structure's the largest of its members, so the structure is
    4-aligned.  Only the structure's start moves; the discriminant and arm
    layout inside the union stay impacket's (u16 tag, arm 4-aligned)."""

    def getAlignment(self):
        align = super().getAlignment()
        if not self._isNDR64 and not RAW:
            align = max(align, SEARCH_ARMS_NDR_ALIGN)
        return align


# computed once, at import: instantiating impacket pointers draws referent ids
# from `random`, which must only happen while a capture is being encoded
SEARCH_ARMS_NDR_ALIGN = max(arm(isNDR64=False).getAlignment()
                            for _, arm in dhcpm.DHCP_CLIENT_SEARCH_UNION.union.values())


class DHCPV4_FAILOVER_CLIENT_INFO(NDR64TrailingGap, NDRSTRUCT):    # 2.2.1.2.101
    structure = (
        ("ClientIpAddress", DHCP_IP_ADDRESS),
        ("SubnetMask", dhcpm.DHCP_IP_MASK),
        ("ClientHardwareAddress", dhcpm.DHCP_CLIENT_UID),
        ("ClientName", LPWSTR),
        ("ClientComment", LPWSTR),
        ("ClientLeaseExpires", dhcpm.DATE_TIME),
        ("OwnerHost", dhcpm.DHCP_HOST_INFO),
        ("bClientType", BYTE),
        ("AddressState", BYTE),
        ("Status", dhcpm.QuarantineStatus),
        ("ProbationEnds", dhcpm.DATE_TIME),
        ("QuarantineCapable", BOOL),
        ("SentPotExpTime", DWORD),
        ("AckPotExpTime", DWORD),
        ("RecvPotExpTime", DWORD),
        ("StartTime", DWORD),
        ("CltLastTransTime", DWORD),
        ("LastBndUpdTime", DWORD),
        ("bndMsgStatus", DWORD),
        ("PolicyName", LPWSTR),
        ("flags", BYTE),
    )


class LPDHCPV4_FAILOVER_CLIENT_INFO(NDRPOINTER):
    referent = (("Data", DHCPV4_FAILOVER_CLIENT_INFO),)


# --- the calls.  A top-level [out] T** is a ref pointer (no wire form) to a
# unique pointer: an NDRPOINTER field of an NDRCALL (impacket marshals it
# topLevel: referent id, then the referent in place, then deferred pointees).
# Top-level [in,out] DWORD* and [out] DWORD* are ref pointers: a bare DWORD.

class R_DhcpV4FailoverGetRelationship(NDRCALL):            # opnum 92
    opnum = 92
    structure = (("ServerIpAddress", DHCP_SRV_HANDLE), ("pRelationshipName", LPWSTR))


class R_DhcpV4FailoverGetRelationshipResponse(NDRCALL):
    structure = (("pRelationship", LPDHCP_FAILOVER_RELATIONSHIP), ("ErrorCode", ULONG))


class R_DhcpV4FailoverEnumRelationship(NDRCALL):           # opnum 93
    opnum = 93
    structure = (("ServerIpAddress", DHCP_SRV_HANDLE), ("ResumeHandle", DWORD),
                 ("preferredMaximum", DWORD))


class R_DhcpV4FailoverEnumRelationshipResponse(NDRCALL):
    structure = (("ResumeHandle", DWORD), ("pRelationship", LPDHCP_FAILOVER_RELATIONSHIP_ARRAY),
                 ("relationshipRead", DWORD), ("relationshipTotal", DWORD), ("ErrorCode", ULONG))


class R_DhcpV4FailoverGetScopeRelationship(NDRCALL):       # opnum 96
    opnum = 96
    structure = (("ServerIpAddress", DHCP_SRV_HANDLE), ("scopeId", DHCP_IP_ADDRESS))


class R_DhcpV4FailoverGetScopeRelationshipResponse(NDRCALL):
    structure = (("pRelationship", LPDHCP_FAILOVER_RELATIONSHIP), ("ErrorCode", ULONG))


class R_DhcpV4FailoverGetScopeStatistics(NDRCALL):         # opnum 97
    opnum = 97
    structure = (("ServerIpAddress", DHCP_SRV_HANDLE), ("scopeId", DHCP_IP_ADDRESS))


class R_DhcpV4FailoverGetScopeStatisticsResponse(NDRCALL):
    structure = (("pStats", LPDHCP_FAILOVER_STATISTICS), ("ErrorCode", ULONG))


class R_DhcpV4FailoverGetClientInfo(NDRCALL):              # opnum 98
    opnum = 98
    structure = (("ServerIpAddress", DHCP_SRV_HANDLE), ("SearchInfo", DHCP_SEARCH_INFO))


class R_DhcpV4FailoverGetClientInfoResponse(NDRCALL):
    structure = (("ClientInfo", LPDHCPV4_FAILOVER_CLIENT_INFO), ("ErrorCode", ULONG))


class R_DhcpV4FailoverGetSystemTime(NDRCALL):              # opnum 99
    opnum = 99
    structure = (("ServerIpAddress", DHCP_SRV_HANDLE),)


class R_DhcpV4FailoverGetSystemTimeResponse(NDRCALL):
    structure = (("pTime", DWORD), ("ErrorCode", ULONG))


# ==========================================================================
# Small helpers
# ==========================================================================

def ip_value(dotted):
    """DHCP_IP_ADDRESS: first dotted octet in the most significant byte."""
    a, b, c, d = (int(x) for x in dotted.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def utc(y, mo, d, h=0, mi=0, s=0):
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))


def filetime(unix_seconds):
    return (unix_seconds + 11644473600) * 10000000


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def ws_abs_time(unix_seconds):
    """An FT_ABSOLUTE_TIME value as tshark -T json prints it (UTC, ns)."""
    tm = time.gmtime(unix_seconds)
    return "%s %2d, %d %02d:%02d:%02d.000000000 UTC" % (
        MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec)


def set_wstr(obj, key, text):
    """Sets an LPWSTR member: None = NULL pointer.  impacket's WSTR wants the
    terminator in the data (its callers append it)."""
    if text is None:
        obj[key] = NULL
    else:
        obj[key] = text + "\x00"


def referent_id(ptr):
    if isinstance(ptr, NDRPOINTERNULL):
        return 0
    return ptr.fields["ReferentID"]


def make_dwords(values, ndr64):
    out = []
    for v in values:
        d = DWORD(isNDR64=ndr64)
        d["Data"] = v
        out.append(d)
    return out


# ==========================================================================
# Expected tshark fields, in tree order.  The dissector puts a pointer's
# referent (also a deferred one) under the pointer's item, so tree order is
# the structural order: each member in turn, a pointer followed by what it
# points to.
# ==========================================================================

class Fields:
    def __init__(self):
        self.items = []

    def add(self, name, value):
        self.items.append((name, value))

    def as_map(self):
        out = {}
        for name, value in self.items:
            out.setdefault(name, []).append(value)
        return out

    def ptr(self, ptr_obj):
        rid = referent_id(ptr_obj)
        self.add("dhcpsrv2.ndr.referent_id", "0x%016x" % rid)
        return rid != 0

    def wstring(self, ptr_obj, field, text):
        """A unique pointer to a [string] wchar_t array (the field may be None
        when the dissector shows the text through another field)."""
        if self.ptr(ptr_obj):
            n = len(text) + 1
            self.add("dhcpsrv2.ndr.max_count", str(n))
            self.add("dhcpsrv2.ndr.offset", "0")
            self.add("dhcpsrv2.ndr.actual_count", str(n))
            self.add(field, text)


def ip_str(v):
    return "%d.%d.%d.%d" % (v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)


# ==========================================================================
# The values a capture encodes
# ==========================================================================

class Rel:
    """One DHCP_FAILOVER_RELATIONSHIP's values."""

    def __init__(self, primary, secondary, mode, server_type, state, prev_state, mclt, safe_period,
                 name, primary_name, secondary_name, scopes, percentage, secret):
        self.primary = ip_value(primary)
        self.secondary = ip_value(secondary)
        self.mode = mode
        self.server_type = server_type
        self.state = state
        self.prev_state = prev_state
        self.mclt = mclt
        self.safe_period = safe_period
        self.name = name
        self.primary_name = primary_name
        self.secondary_name = secondary_name
        self.scopes = None if scopes is None else [ip_value(s) for s in scopes]
        self.percentage = percentage
        self.secret = secret

    def fill(self, obj, ndr64):
        obj["primaryServer"] = self.primary
        obj["secondaryServer"] = self.secondary
        obj["mode"] = self.mode
        obj["serverType"] = self.server_type
        obj["state"] = self.state
        obj["prevState"] = self.prev_state
        obj["mclt"] = self.mclt
        obj["safePeriod"] = self.safe_period
        set_wstr(obj, "relationshipName", self.name)
        set_wstr(obj, "primaryServerName", self.primary_name)
        set_wstr(obj, "secondaryServerName", self.secondary_name)
        if self.scopes is None:
            obj["pScopes"] = NULL
        else:
            obj["pScopes"]["NumElements"] = len(self.scopes)
            obj["pScopes"]["Elements"] = make_dwords(self.scopes, ndr64)
        obj["percentage"] = self.percentage
        set_wstr(obj, "pSharedSecret", self.secret)

    def fields(self, f, obj):
        p = "dhcpsrv2.failover_relationship."
        f.add(p + "primary_server", ip_str(self.primary))
        f.add(p + "secondary_server", ip_str(self.secondary))
        f.add(p + "mode", str(self.mode))
        f.add(p + "server_type", str(self.server_type))
        f.add(p + "state", str(self.state))
        f.add(p + "prev_state", str(self.prev_state))
        f.add(p + "mclt", str(self.mclt))
        f.add(p + "safe_period", str(self.safe_period))
        f.wstring(obj.fields["relationshipName"], p + "relationship_name", self.name)
        f.wstring(obj.fields["primaryServerName"], p + "primary_server_name", self.primary_name)
        f.wstring(obj.fields["secondaryServerName"], p + "secondary_server_name",
                  self.secondary_name)
        if f.ptr(obj.fields["pScopes"]):
            ip_array = obj.fields["pScopes"].fields["Data"]
            f.add("dhcpsrv2.ip_array.num_elements", str(len(self.scopes)))
            if f.ptr(ip_array.fields["Elements"]):
                f.add("dhcpsrv2.ndr.count", str(len(self.scopes)))
                for s in self.scopes:
                    f.add("dhcpsrv2.ip_array.element", ip_str(s))
        f.add(p + "percentage", str(self.percentage))
        f.wstring(obj.fields["pSharedSecret"], p + "shared_secret", self.secret)


class ClientInfo:
    """One DHCPV4_FAILOVER_CLIENT_INFO's values."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def fill(self, obj):
        obj["ClientIpAddress"] = ip_value(self.ip)
        obj["SubnetMask"] = ip_value(self.mask)
        hw = obj["ClientHardwareAddress"]
        hw["DataLength"] = 0 if self.hwaddr is None else len(self.hwaddr)
        if self.hwaddr is None:
            hw["Data_"] = NULL
        else:
            hw["Data_"] = self.hwaddr
        set_wstr(obj, "ClientName", self.name)
        set_wstr(obj, "ClientComment", self.comment)
        ft = filetime(self.lease_expires)
        obj["ClientLeaseExpires"]["dwLowDateTime"] = ft & 0xFFFFFFFF
        obj["ClientLeaseExpires"]["dwHighDateTime"] = ft >> 32
        obj["OwnerHost"]["IpAddress"] = ip_value(self.owner_ip)
        set_wstr(obj["OwnerHost"], "NetBiosName", self.owner_netbios)
        set_wstr(obj["OwnerHost"], "HostName", self.owner_hostname)
        obj["bClientType"] = self.client_type
        obj["AddressState"] = self.address_state
        obj["Status"] = self.status
        ft = filetime(self.probation_ends)
        obj["ProbationEnds"]["dwLowDateTime"] = ft & 0xFFFFFFFF
        obj["ProbationEnds"]["dwHighDateTime"] = ft >> 32
        obj["QuarantineCapable"] = self.quarantine_capable
        obj["SentPotExpTime"] = self.sent_pot_exp
        obj["AckPotExpTime"] = self.ack_pot_exp
        obj["RecvPotExpTime"] = self.recv_pot_exp
        obj["StartTime"] = self.start_time
        obj["CltLastTransTime"] = self.clt_last_trans
        obj["LastBndUpdTime"] = self.last_bnd_upd
        obj["bndMsgStatus"] = self.bnd_msg_status
        set_wstr(obj, "PolicyName", self.policy)
        obj["flags"] = self.flags

    def fields(self, f, obj):
        p = "dhcpsrv2.failover_client_info."
        f.add(p + "client_ip_address", self.ip)
        f.add(p + "subnet_mask", self.mask)
        f.add("dhcpsrv2.binary_data.data_length",
              str(0 if self.hwaddr is None else len(self.hwaddr)))
        if f.ptr(obj.fields["ClientHardwareAddress"].fields["Data_"]):
            f.add("dhcpsrv2.ndr.count", str(len(self.hwaddr)))
            f.add(p + "client_hardware_address", ":".join("%02x" % b for b in self.hwaddr))
        f.wstring(obj.fields["ClientName"], p + "client_name", self.name)
        f.wstring(obj.fields["ClientComment"], p + "client_comment", self.comment)
        f.add(p + "client_lease_expires", ws_abs_time(self.lease_expires))
        owner = obj.fields["OwnerHost"]
        f.add(p + "owner_host.ip_address", self.owner_ip)
        f.wstring(owner.fields["NetBiosName"], p + "owner_host.net_bios_name", self.owner_netbios)
        f.wstring(owner.fields["HostName"], p + "owner_host.host_name", self.owner_hostname)
        f.add(p + "client_type", "0x%02x" % self.client_type)
        f.add(p + "address_state", "0x%02x" % self.address_state)
        f.add(p + "address_state.state", str(self.address_state & 3))
        f.add(p + "address_state.name_protection", str((self.address_state >> 2) & 3))
        f.add(p + "address_state.dns", "0x%02x" % ((self.address_state >> 4) & 15))
        f.add(p + "status", str(self.status))
        f.add(p + "probation_ends", ws_abs_time(self.probation_ends))
        f.add(p + "quarantine_capable", str(self.quarantine_capable))
        f.add(p + "sent_pot_exp_time", ws_abs_time(self.sent_pot_exp))
        f.add(p + "ack_pot_exp_time", ws_abs_time(self.ack_pot_exp))
        f.add(p + "recv_pot_exp_time", ws_abs_time(self.recv_pot_exp))
        f.add(p + "start_time", ws_abs_time(self.start_time))
        f.add(p + "clt_last_trans_time", ws_abs_time(self.clt_last_trans))
        f.add(p + "last_bnd_upd_time", ws_abs_time(self.last_bnd_upd))
        f.add(p + "bnd_msg_status", "0x%08x" % self.bnd_msg_status)
        f.wstring(obj.fields["PolicyName"], p + "policy_name", self.policy)
        f.add(p + "flags", "0x%02x" % self.flags)


# --------------------------------------------------------------------------
# One call: builds the request (client side), the response (server side) and
# the expected entries.  `srv` is ServerIpAddress (None = NULL).

FSM_NORMAL = 3
COUNTERS = ("num_addr", "addr_free", "addr_in_use", "partner_addr_free", "this_addr_free",
            "partner_addr_in_use", "this_addr_in_use")
STAT_MEMBERS = ("numAddr", "addrFree", "addrInUse", "partnerAddrFree", "thisAddrFree",
                "partnerAddrInUse", "thisAddrInUse")


class Call:
    opnum = None
    request_class = None
    response_class = None

    def __init__(self, srv, status=0):
        self.srv = srv
        self.status = status
        self.request = None       # the impacket objects, as sent
        self.response = None
        self.response_time = None  # set by the server (seconds, float) before encoding

    # client side
    def build_request(self):
        req = self.request_class()    # NDR; dce.request() converts it for NDR64
        set_wstr(req, "ServerIpAddress", self.srv)
        self.fill_request(req)
        self.request = req
        return req

    def fill_request(self, req):
        pass

    # server side
    def build_response(self, ndr64):
        resp = self.response_class(isNDR64=ndr64)
        self.fill_response(resp, ndr64)
        resp["ErrorCode"] = self.status
        self.response = resp
        return resp

    def fill_response(self, resp, ndr64):
        pass

    # expected
    def request_fields(self, f):
        pass

    def response_fields(self, f):
        pass

    def expert(self):
        """dhcpsrv2 expert items of the response (abbrevs)."""
        return ["dhcpsrv2.expert.status_error"] if self.status != 0 else []

    def entry(self, kind, frame, ndr64, frame_time):
        e = {"frame": frame, "type": kind, "ndr64": ndr64, "opnum": self.opnum,
             "server_ip_address": self.srv}
        f = Fields()
        if kind == "request":
            f.ptr(self.request.fields["ServerIpAddress"])
            if self.srv is not None:
                n = len(self.srv) + 1
                f.add("dhcpsrv2.ndr.max_count", str(n))
                f.add("dhcpsrv2.ndr.offset", "0")
                f.add("dhcpsrv2.ndr.actual_count", str(n))
            self.request_fields(f)
        else:
            e["werror"] = self.status
            self.response_fields(f)
        self.extra_entry(e, kind, frame_time)
        e["fields"] = f.as_map()
        return e

    def extra_entry(self, e, kind, frame_time):
        pass


class ScopeStats(Call):
    opnum = 97
    request_class = R_DhcpV4FailoverGetScopeStatistics
    response_class = R_DhcpV4FailoverGetScopeStatisticsResponse

    def __init__(self, srv, scope, stats, status=0):
        super().__init__(srv, status)
        self.scope = scope
        self.stats = stats     # None = NULL pStats, else dict counter -> value

    def fill_request(self, req):
        req["scopeId"] = ip_value(self.scope)

    def fill_response(self, resp, ndr64):
        if self.stats is None:
            resp["pStats"] = NULL
        else:
            for member, counter in zip(STAT_MEMBERS, COUNTERS):
                resp["pStats"][member] = self.stats[counter]

    def request_fields(self, f):
        pass

    def response_fields(self, f):
        f.ptr(self.response.fields["pStats"])

    def extra_entry(self, e, kind, frame_time):
        e["scope_id"] = self.scope
        if kind == "response":
            e["stats"] = self.stats
            s = self.stats
            e["utilization"] = (None if s is None or s["num_addr"] == 0
                                else s["addr_in_use"] * 100.0 / s["num_addr"])
        # only the referent ids and string counts go in "fields" for opnum 97;
        # the dedicated keys cover the rest

    def expert(self):
        out = super().expert()
        s = self.stats
        if s is None:
            if self.status == 0:
                out.append("dhcpsrv2.expert.null_stats_success")
            return out
        if self.status != 0:
            out.append("dhcpsrv2.expert.stats_with_error")
        if s["addr_free"] + s["addr_in_use"] != s["num_addr"]:
            out.append("dhcpsrv2.expert.free_inuse_mismatch")
        if s["this_addr_free"] + s["partner_addr_free"] != s["addr_free"]:
            out.append("dhcpsrv2.expert.free_split_mismatch")
        if s["this_addr_in_use"] + s["partner_addr_in_use"] != s["addr_in_use"]:
            out.append("dhcpsrv2.expert.inuse_split_mismatch")
        if s["addr_free"] == 0:
            out.append("dhcpsrv2.expert.scope_exhausted")
        if s["this_addr_free"] == 0 and s["partner_addr_free"] > 0:
            out.append("dhcpsrv2.expert.this_server_exhausted")
        return out


class GetRelationship(Call):
    opnum = 92
    request_class = R_DhcpV4FailoverGetRelationship
    response_class = R_DhcpV4FailoverGetRelationshipResponse

    def __init__(self, srv, name, rel, status=0):
        super().__init__(srv, status)
        self.name = name
        self.rel = rel

    def fill_request(self, req):
        set_wstr(req, "pRelationshipName", self.name)

    def fill_response(self, resp, ndr64):
        if self.rel is None:
            resp["pRelationship"] = NULL
        else:
            self.rel.fill(resp["pRelationship"], ndr64)

    def request_fields(self, f):
        f.wstring(self.request.fields["pRelationshipName"], "dhcpsrv2.relationship_name",
                  self.name)

    def response_fields(self, f):
        ptr = self.response.fields["pRelationship"]
        if f.ptr(ptr):
            self.rel.fields(f, ptr.fields["Data"])

    def expert(self):
        out = super().expert()
        if self.rel is not None and self.rel.state != FSM_NORMAL:
            out.append("dhcpsrv2.expert.state_not_normal")
        return out


class GetScopeRelationship(GetRelationship):
    opnum = 96
    request_class = R_DhcpV4FailoverGetScopeRelationship
    response_class = R_DhcpV4FailoverGetScopeRelationshipResponse

    def __init__(self, srv, scope, rel, status=0):
        super().__init__(srv, None, rel, status)
        self.scope = scope

    def fill_request(self, req):
        req["scopeId"] = ip_value(self.scope)

    def request_fields(self, f):
        pass

    def extra_entry(self, e, kind, frame_time):
        e["scope_id"] = self.scope


class EnumRelationship(Call):
    opnum = 93
    request_class = R_DhcpV4FailoverEnumRelationship
    response_class = R_DhcpV4FailoverEnumRelationshipResponse

    def __init__(self, srv, resume, preferred_max, rels, resume_out, read, total, status=0):
        super().__init__(srv, status)
        self.resume = resume
        self.preferred_max = preferred_max
        self.rels = rels            # None = NULL pRelationship
        self.resume_out = resume_out
        self.read = read
        self.total = total

    def fill_request(self, req):
        req["ResumeHandle"] = self.resume
        req["preferredMaximum"] = self.preferred_max

    def fill_response(self, resp, ndr64):
        resp["ResumeHandle"] = self.resume_out
        if self.rels is None:
            resp["pRelationship"] = NULL
        else:
            array = resp["pRelationship"]
            array["numElements"] = len(self.rels)
            items = []
            for rel in self.rels:
                obj = DHCP_FAILOVER_RELATIONSHIP(isNDR64=ndr64)
                rel.fill(obj, ndr64)
                items.append(obj)
            array["pRelationships"] = items
        resp["relationshipRead"] = self.read
        resp["relationshipTotal"] = self.total

    def request_fields(self, f):
        f.add("dhcpsrv2.resume_handle", str(self.resume))
        f.add("dhcpsrv2.preferred_maximum", str(self.preferred_max))

    def response_fields(self, f):
        f.add("dhcpsrv2.resume_handle", str(self.resume_out))
        ptr = self.response.fields["pRelationship"]
        if f.ptr(ptr):
            array = ptr.fields["Data"]
            f.add("dhcpsrv2.failover_relationship_array.num_elements", str(len(self.rels)))
            if f.ptr(array.fields["pRelationships"]):
                items = array.fields["pRelationships"].fields["Data"].fields["Data"]
                f.add("dhcpsrv2.ndr.count", str(len(self.rels)))
                for rel, obj in zip(self.rels, items):
                    rel.fields(f, obj)
        f.add("dhcpsrv2.relationship_read", str(self.read))
        f.add("dhcpsrv2.relationship_total", str(self.total))

    def expert(self):
        out = super().expert()
        for rel in self.rels or []:
            if rel.state != FSM_NORMAL:
                out.append("dhcpsrv2.expert.state_not_normal")
        return out


class GetClientInfo(Call):
    opnum = 98
    request_class = R_DhcpV4FailoverGetClientInfo
    response_class = R_DhcpV4FailoverGetClientInfoResponse

    def __init__(self, srv, search, info, status=0):
        super().__init__(srv, status)
        self.search = search      # ("ip", "a.b.c.d") | ("hw", bytes) | ("name", text)
        self.info = info          # ClientInfo or None (NULL)

    def fill_request(self, req):
        kind, value = self.search
        si = req["SearchInfo"]
        tag = {"ip": 0, "hw": 1, "name": 2}[kind]
        si["SearchType"] = tag
        si["SearchInfo"]["tag"] = tag
        if kind == "ip":
            si["SearchInfo"]["ClientIpAddress"] = ip_value(value)
        elif kind == "hw":
            si["SearchInfo"]["ClientHardwareAddress"]["DataLength"] = len(value)
            si["SearchInfo"]["ClientHardwareAddress"]["Data_"] = value
        else:
            set_wstr(si["SearchInfo"], "ClientName", value)

    def fill_response(self, resp, ndr64):
        if self.info is None:
            resp["ClientInfo"] = NULL
        else:
            self.info.fill(resp["ClientInfo"])

    def request_fields(self, f):
        kind, value = self.search
        si = self.request.fields["SearchInfo"]
        f.add("dhcpsrv2.search_info.search_type", str({"ip": 0, "hw": 1, "name": 2}[kind]))
        arm = si.fields["SearchInfo"]
        if kind == "ip":
            f.add("dhcpsrv2.search_info.client_ip_address", value)
        elif kind == "hw":
            f.add("dhcpsrv2.binary_data.data_length", str(len(value)))
            if f.ptr(arm.fields["ClientHardwareAddress"].fields["Data_"]):
                f.add("dhcpsrv2.ndr.count", str(len(value)))
                f.add("dhcpsrv2.search_info.client_hardware_address",
                      ":".join("%02x" % b for b in value))
        else:
            f.wstring(arm.fields["ClientName"], "dhcpsrv2.search_info.client_name", value)

    def response_fields(self, f):
        ptr = self.response.fields["ClientInfo"]
        if f.ptr(ptr):
            self.info.fields(f, ptr.fields["Data"])


class GetSystemTime(Call):
    opnum = 99
    request_class = R_DhcpV4FailoverGetSystemTime
    response_class = R_DhcpV4FailoverGetSystemTimeResponse

    CLOCK_TOLERANCE = 60   # the dissector's default "clock_skew_tolerance" preference

    def __init__(self, srv, skew, status=0):
        super().__init__(srv, status)
        self.skew = skew          # server clock - capture clock, seconds
        self.time = None

    def fill_response(self, resp, ndr64):
        self.time = int(self.response_time) + self.skew
        resp["pTime"] = self.time

    def response_fields(self, f):
        f.add("dhcpsrv2.system_time", ws_abs_time(self.time))
        f.add("dhcpsrv2.clock_offset", str(self.time - int(self.response_time)))

    def expert(self):
        out = super().expert()
        if abs(self.time - int(self.response_time)) > self.CLOCK_TOLERANCE:
            out.append("dhcpsrv2.expert.clock_skew_capture")
        return out


# ==========================================================================
# impacket's DCE/RPC client against a scripted server, through a recording
# transport.  Time is in integer microseconds.
# ==========================================================================

STEP_FRAGMENT_US = 150        # between fragments of one PDU train
SERVER_DELAY_US = 1800        # last request fragment -> first response fragment
CALL_GAP_US = 25000           # response -> next request


# impacket's alignment fillers (which one depends on the class that pads, so a
# decoded object may re-encode a gap with another one)
FILLERS = set(b"\xaa\xab\xbb\xbc\xbd\xbe\xbf\xca\xcb\xcc\xcd\xce\xdd\xee\xef")


def same_but_fillers(a, b):
    return len(a) == len(b) and all(x == y or (x in FILLERS and y in FILLERS)
                                    for x, y in zip(a, b))


class ScriptedServer:
    """Answers impacket's PDUs: bind -> bind_ack (impacket's MSRPCBindAck),
    request -> the scripted call's [out] parameters marshalled by impacket,
    in fragments of at most max_xmit_frag bytes (impacket's MSRPCRespHeader)."""

    def __init__(self, conn):
        self.conn = conn
        self.ndr64 = None
        self.fragments = []
        self.calls = iter(conn.calls)

    def on_client_pdu(self, pdu, now):
        hdr = MSRPCHeader(pdu)
        if hdr["type"] == MSRPC_BIND:
            return [self.bind_ack(hdr, MSRPCBind(hdr["pduData"]))]
        if hdr["type"] != MSRPC_REQUEST:
            raise RuntimeError("unexpected client PDU type %d" % hdr["type"])
        req = MSRPCRequestHeader(pdu)
        self.fragments.append(req)
        if not req["flags"] & PFC_LAST_FRAG:
            return []
        stub = b"".join(f["pduData"] for f in self.fragments)
        call_id, opnum = req["call_id"], req["op_num"]
        self.fragments = []
        call = next(self.calls)
        if opnum != call.opnum:
            raise RuntimeError("opnum %d, scripted %d" % (opnum, call.opnum))
        # impacket decodes its own request the way the server would
        decoded = call.request_class(stub, isNDR64=self.ndr64)
        if not same_but_fillers(decoded.getData(), stub):
            raise RuntimeError("opnum %d request does not re-encode identically" % opnum)
        call.request_stub = stub
        call.response_time = (now + SERVER_DELAY_US) / 1e6
        resp_stub = call.build_response(self.ndr64).getData()
        call.response_stub = resp_stub
        return self.response_pdus(call_id, resp_stub)

    def bind_ack(self, hdr, bind):
        item = CtxItem(bind["ctx_items"][:len(CtxItem())])
        syntax = item["TransferSyntax"]
        if syntax == uuidtup_to_bin(NDR64_SYNTAX):
            self.ndr64 = True
        elif syntax == uuidtup_to_bin(NDR_SYNTAX):
            self.ndr64 = False
        else:
            raise RuntimeError("unexpected transfer syntax")
        if item["AbstractSyntax"] != DHCPSRV2_UUID:
            raise RuntimeError("bind is not for dhcpsrv2")
        ack = MSRPCBindAck()
        ack["type"] = MSRPC_BINDACK
        ack["flags"] = PFC_FIRST_FRAG | PFC_LAST_FRAG
        ack["call_id"] = hdr["call_id"]
        ack["frag_len"] = 0
        ack["auth_len"] = 0
        ack["max_tfrag"] = self.conn.server_max_xmit
        ack["max_rfrag"] = self.conn.server_max_recv
        ack["assoc_group"] = self.conn.assoc_group
        ack["SecondaryAddr"] = b"49670"
        ack["SecondaryAddrLen"] = len(b"49670") + 1
        ack["Pad"] = b"\x00" * ((4 - ((ack["SecondaryAddrLen"] + MSRPCBindAck._SIZE) % 4)) % 4)
        ack["ctx_num"] = 1
        result = CtxItemResult()
        result["Result"] = 0       # acceptance
        result["Reason"] = 0
        result["TransferSyntax"] = syntax
        ack["ctx_items"] = result.getData()
        ack["frag_len"] = len(ack.getData())
        return ack.getData()

    def response_pdus(self, call_id, stub):
        # The stub of every fragment but the last is a multiple of 8 bytes.
        room = (self.conn.server_max_xmit - 24) // 8 * 8
        pdus = []
        offset = 0
        while True:
            piece = stub[offset:offset + room]
            resp = MSRPCRespHeader()
            resp["type"] = MSRPC_RESPONSE
            flags = PFC_FIRST_FRAG if offset == 0 else 0
            offset += len(piece)
            if offset >= len(stub):
                flags |= PFC_LAST_FRAG
            resp["flags"] = flags
            resp["call_id"] = call_id
            resp["ctx_id"] = 0
            resp["alloc_hint"] = len(stub)   # as impacket's client sets it: the whole stub
            resp["pduData"] = piece
            pdus.append(resp.get_packet())
            if flags & PFC_LAST_FRAG:
                return pdus


class RecordingTransport:
    """What DCERPC_v5 needs of a transport (send/recv), recording the PDUs
    with their times: log = [(time_us, "c" | "s", pdu)]."""

    def __init__(self, server, start_us):
        self.server = server
        self.now = start_us
        self.log = []
        self.pending = []

    def send(self, data, forceWriteAndx=0, forceRecv=0):
        if self.log and self.log[-1][1] == "c":
            self.now += STEP_FRAGMENT_US
        self.log.append((self.now, "c", data))
        answers = self.server.on_client_pdu(data, self.now)
        if answers:
            t = self.now + SERVER_DELAY_US
            for pdu in answers:
                self.pending.append((t, pdu))
                t += STEP_FRAGMENT_US

    def recv(self, forceRecv=0, count=0):
        t, pdu = self.pending.pop(0)
        self.now = t
        self.log.append((t, "s", pdu))
        return pdu

    def get_credentials(self):     # only asked for when authenticating
        return ("", "", "", "", "", "", None, None)

    def doesSupportNTLMv2(self):
        return True


class Connection:
    def __init__(self, ndr64, calls, server_max_xmit=5840, server_max_recv=5840, user_frag=0):
        self.ndr64 = ndr64
        self.calls = calls
        self.server_max_xmit = server_max_xmit
        self.server_max_recv = server_max_recv
        self.user_frag = user_frag
        self.assoc_group = 0
        self.log = None
        self.client_port = None


def run_connection(conn, start_us):
    server = ScriptedServer(conn)
    transport = RecordingTransport(server, start_us)
    dce = DCERPC_v5(transport)
    if conn.user_frag:
        dce.set_max_fragment_size(conn.user_frag)
    dce.bind(DHCPSRV2_UUID, transfer_syntax=NDR64_SYNTAX if conn.ndr64 else NDR_SYNTAX)
    for call in conn.calls:
        transport.now += CALL_GAP_US
        answer = dce.request(call.build_request(), checkError=False)
        # impacket parsed the response with its own decoder: it must give back
        # the very stub it was sent
        if not same_but_fillers(answer.getData(), call.response_stub):
            raise RuntimeError("opnum %d response does not round-trip through impacket"
                               % call.opnum)
    conn.log = transport.log
    return transport.now


# ==========================================================================
# Ethernet / IPv4 / TCP / pcapng
# ==========================================================================

CLIENT = {"ip": "10.0.0.50", "mac": bytes.fromhex("020000000032")}
SERVER = {"ip": "10.0.0.1", "mac": bytes.fromhex("020000000001")}
SERVER_PORT = 49670
TCP_WINDOW = 64240
MSS = 1460


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip_bytes(dotted):
    return bytes(int(x) for x in dotted.split("."))


class Pcapng:
    def __init__(self):
        appl = b"tools/impacket-captures.py (impacket 0.10.0 NDR engine)"
        opts = self.option(4, appl) + struct.pack("<HH", 0, 0)
        body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opts
        self.data = self.block(0x0A0D0D0A, body)
        opts = self.option(2, b"eth0") + self.option(9, b"\x06") + struct.pack("<HH", 0, 0)
        self.data += self.block(1, struct.pack("<HHI", 1, 0, 262144) + opts)
        self.frames = 0

    @staticmethod
    def option(code, value):
        return struct.pack("<HH", code, len(value)) + value + b"\x00" * ((-len(value)) % 4)

    @staticmethod
    def block(btype, body):
        total = 12 + len(body)
        return struct.pack("<II", btype, total) + body + struct.pack("<I", total)

    def add(self, t_us, frame):
        body = struct.pack("<IIIII", 0, t_us >> 32, t_us & 0xFFFFFFFF, len(frame), len(frame))
        body += frame + b"\x00" * ((-len(frame)) % 4)
        self.data += self.block(6, body)
        self.frames += 1
        return self.frames


class Host:
    def __init__(self, spec):
        self.ip = spec["ip"]
        self.mac = spec["mac"]
        self.ip_id = 0x2000 if spec is CLIENT else 0x6000


class TcpConn:
    SYN, FIN, PSH, ACK = 0x02, 0x01, 0x08, 0x10

    def __init__(self, pcap, cli, srv, cport, isn_c, isn_s):
        self.pcap, self.cli, self.srv = pcap, cli, srv
        self.cport = cport
        self.seq = {"c": isn_c, "s": isn_s}

    def segment(self, t_us, d, flags, payload=b""):
        src, dst = (self.cli, self.srv) if d == "c" else (self.srv, self.cli)
        sport, dport = (self.cport, SERVER_PORT) if d == "c" else (SERVER_PORT, self.cport)
        other = "s" if d == "c" else "c"
        opts = struct.pack("!BBH", 2, 4, MSS) if flags & self.SYN else b""
        thl = 20 + len(opts)
        ack = self.seq[other] if flags & self.ACK else 0
        tcp = struct.pack("!HHIIBBHHH", sport, dport, self.seq[d], ack, (thl // 4) << 4, flags,
                          TCP_WINDOW, 0, 0) + opts + payload
        pseudo = ip_bytes(src.ip) + ip_bytes(dst.ip) + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
        iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), src.ip_id, 0x4000, 128, 6, 0,
                          ip_bytes(src.ip), ip_bytes(dst.ip))
        iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
        src.ip_id = (src.ip_id + 1) & 0xFFFF
        self.seq[d] = (self.seq[d] + len(payload) + (1 if flags & (self.SYN | self.FIN) else 0)) \
            & 0xFFFFFFFF
        return self.pcap.add(t_us, dst.mac + src.mac + b"\x08\x00" + iph + tcp)


# ==========================================================================
# A capture
# ==========================================================================

def pdu_info(pdu):
    hdr = MSRPCHeader(pdu)
    return hdr["type"], hdr["flags"]


def dump_expected(expected):
    """One PDU / expert item per line, like the other expected files."""
    lines = ["{"]
    for key in ("capture", "description", "generator"):
        lines.append("  %s: %s," % (json.dumps(key), json.dumps(expected[key])))
    for key in ("pdus", "expert"):
        items = ",\n".join("    " + json.dumps(item) for item in expected[key])
        lines.append('  "%s": [\n%s\n  ]%s' % (key, items, "," if key == "pdus" else ""))
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == expected
    return text


def write_capture(outdir, name, description, base_time, connections, first_port):
    random.seed(name)          # impacket's referent ids
    pcap = Pcapng()
    cli, srv = Host(CLIENT), Host(SERVER)
    t = base_time * 1000000
    pdus, experts = [], []
    for index, conn in enumerate(connections):
        conn.client_port = first_port + index
        conn.assoc_group = 0x00005a00 + index
        tcp = TcpConn(pcap, cli, srv, conn.client_port,
                      (0x1d2c0000 + 0x01000193 * (index + 1)) & 0xFFFFFFFF,
                      (0x7a110000 + 0x00c0ffee * (index + 1)) & 0xFFFFFFFF)
        tcp.segment(t, "c", TcpConn.SYN)
        tcp.segment(t + 120, "s", TcpConn.SYN | TcpConn.ACK)
        tcp.segment(t + 240, "c", TcpConn.ACK)
        end = run_connection(conn, t + 1000)
        # frame every PDU; note where each call's request and response complete
        calls = iter(conn.calls)
        call = None
        for t_us, d, pdu in conn.log:
            frame = tcp.segment(t_us, d, TcpConn.PSH | TcpConn.ACK, pdu)
            ptype, flags = pdu_info(pdu)
            if not flags & PFC_LAST_FRAG:
                continue
            if ptype == MSRPC_REQUEST:
                call = next(calls)
                pdus.append(call.entry("request", frame, conn.ndr64, t_us / 1e6))
            elif ptype == MSRPC_RESPONSE:
                pdus.append(call.entry("response", frame, conn.ndr64, t_us / 1e6))
                experts.extend({"frame": frame, "abbrev": a} for a in call.expert())
        t = end + 5000
        tcp.segment(t, "c", TcpConn.FIN | TcpConn.ACK)
        tcp.segment(t + 150, "s", TcpConn.FIN | TcpConn.ACK)
        tcp.segment(t + 300, "c", TcpConn.ACK)
        t += 250000
    with open(os.path.join(outdir, name + ".pcapng"), "wb") as f:
        f.write(pcap.data)
    expected = {"capture": name + ".pcapng", "description": description,
                "generator": "tools/impacket-captures.py", "pdus": pdus, "expert": experts}
    with open(os.path.join(outdir, name + ".expected.json"), "w") as f:
        f.write(dump_expected(expected))
    return pcap.frames, len(pdus), len(experts)


# ==========================================================================
# The two captures
# ==========================================================================

def stats(num, free, in_use, partner_free, this_free, partner_in_use, this_in_use):
    return dict(zip(COUNTERS, (num, free, in_use, partner_free, this_free, partner_in_use,
                               this_in_use)))


LONG_NAME = "dhcp1-failover-statistics.scope-monitoring.corp.example.com"


def scope_stats_connections():
    s10 = stats(200, 150, 50, 75, 75, 20, 30)
    s20 = stats(250, 80, 170, 39, 41, 85, 85)
    s172 = stats(500, 400, 100, 200, 200, 50, 50)
    s30 = stats(100, 62, 38, 31, 31, 19, 19)
    return [
        # NDR 2.0, plain
        Connection(False, [
            ScopeStats("10.0.0.1", "192.168.10.0", s10),
            ScopeStats(None, "192.168.20.0", s20),
            ScopeStats("dhcp1.corp.example.com", "10.20.30.0", None, status=2),
            ScopeStats("10.0.0.1", "172.16.5.0", s172),
        ]),
        # NDR64, plain
        Connection(True, [
            ScopeStats("10.0.0.1", "192.168.10.0", s10),
            ScopeStats(None, "192.168.20.0", s20),
            ScopeStats("dhcp1.corp.example.com", "10.20.30.0", None, status=2),
            ScopeStats("dhcp1.corp.example.com", "172.16.5.0", s172),
        ]),
        # NDR 2.0 fragmented both ways: the server announces max_xmit_frag 48
        # (24-byte stubs); the client fragments with impacket's
        # set_max_fragment_size(24)
        Connection(False, [
            ScopeStats(LONG_NAME, "10.20.30.0", s30),
            ScopeStats(None, "192.168.10.0", s10),
        ], server_max_xmit=48, server_max_recv=4280, user_frag=24),
        # NDR64 fragmented both ways
        Connection(True, [
            ScopeStats(LONG_NAME, "10.20.30.0", s30),
            ScopeStats(None, "192.168.20.0", s20),
        ], server_max_xmit=48, server_max_recv=4280, user_frag=24),
    ]


def relationships():
    lb = Rel("10.0.0.1", "10.0.0.2", 0, 0, FSM_NORMAL, 4, 3600, 3600, "dhcp1-dhcp2-lb",
             "dhcp1.corp.example.com", "dhcp2.corp.example.com",
             ["192.168.10.0", "192.168.20.0"], 50, "Sh4red-Secret!")
    hs = Rel("10.0.0.1", "10.0.0.3", 1, 0, 5, 4, 3600, 0xFFFFFFFF, "dhcp1-dhcp3-hot-standby",
             "dhcp1.corp.example.com", "dhcp3.corp.example.com", ["10.20.30.0"], 5, None)
    branch = Rel("10.0.0.4", "10.0.0.1", 0, 1, FSM_NORMAL, 11, 1800, 600, "branch-lb",
                 "dhcp4.branch.example.com", None,
                 ["172.16.5.0", "172.16.6.0", "172.16.7.0"], 70, "branch-secret")
    return lb, hs, branch


def client_infos(base):
    full = ClientInfo(
        ip="192.168.10.57", mask="255.255.255.0",
        # DHCPv4 client unique ID (2.2.1.2.5.2): subnet 192.168.10.0 stored
        # little-endian, hardware type 1, MAC 00-1c-25-80-a0-43
        hwaddr=bytes.fromhex("000aa8c001001c2580a043"),
        name="laptop-042.corp.example.com", comment="QA bench",
        lease_expires=base + 8 * 86400,
        owner_ip="10.0.0.1", owner_netbios="DHCP1", owner_hostname=None,
        client_type=0x01, address_state=0x11, status=0,
        probation_ends=base + 3600, quarantine_capable=0,
        sent_pot_exp=base + 4 * 86400, ack_pot_exp=base + 4 * 86400 - 60,
        recv_pot_exp=base + 4 * 86400 - 30, start_time=base - 7200,
        clt_last_trans=base - 600, last_bnd_upd=base - 590,
        bnd_msg_status=0, policy="corp-laptops", flags=0)
    bare = ClientInfo(
        ip="10.20.30.77", mask="255.255.255.0", hwaddr=None, name=None, comment=None,
        lease_expires=base + 86400, owner_ip="10.0.0.3", owner_netbios=None,
        owner_hostname=None, client_type=0x02, address_state=0x01, status=6,
        probation_ends=base + 60, quarantine_capable=1,
        sent_pot_exp=base + 43200, ack_pot_exp=base + 43200, recv_pot_exp=base + 43140,
        start_time=base - 86400, clt_last_trans=base - 300, last_bnd_upd=base - 299,
        bnd_msg_status=0x00000001, policy=None, flags=0x00)
    return full, bare


HW_SEARCH = bytes.fromhex("000aa8c001001c2580a043")


def relationship_connections(base):
    lb, hs, branch = relationships()
    full, bare = client_infos(base)
    return [
        Connection(False, [
            GetSystemTime("10.0.0.1", skew=1),
            EnumRelationship("10.0.0.1", 0, 400, [lb, hs], 2, 2, 1, status=0xEA),
            EnumRelationship("10.0.0.1", 2, 400, [branch], 3, 1, 0),
            EnumRelationship("10.0.0.1", 3, 400, None, 3, 0, 0, status=0x103),
            GetRelationship("10.0.0.1", "dhcp1-dhcp2-lb", lb),
            GetRelationship(None, "no-such-relationship", None, status=0x4E93),
            GetScopeRelationship("10.0.0.1", "10.20.30.0", hs),
            GetClientInfo("10.0.0.1", ("hw", HW_SEARCH), full),
            GetClientInfo(None, ("ip", "192.168.99.5"), None, status=0x4E2D),
            GetSystemTime(None, skew=-125),
        ]),
        Connection(True, [
            GetSystemTime("10.0.0.1", skew=0),
            EnumRelationship("10.0.0.1", 0, 0xFFFFFFFF, [lb, hs, branch], 3, 3, 0),
            GetRelationship("dhcp1.corp.example.com", "dhcp1-dhcp3-hot-standby", hs),
            GetScopeRelationship(None, "172.16.6.0", branch),
            GetScopeRelationship("10.0.0.1", "192.168.99.0", None, status=0x4E94),
            GetClientInfo("10.0.0.1", ("hw", HW_SEARCH), full),
            GetClientInfo("10.0.0.1", ("ip", "10.20.30.77"), bare),
            GetSystemTime("10.0.0.1", skew=90),
        ]),
        # fragmented both ways: the server sends at most 160-byte PDUs
        # (136-byte stubs), the client fragments at 32 stub bytes
        # (impacket's set_max_fragment_size)
        Connection(False, [
            GetRelationship("dhcp1.corp.example.com", "dhcp1-dhcp3-hot-standby", hs),
            EnumRelationship(None, 0, 0xFFFFFFFF, [lb, hs, branch], 3, 3, 0),
        ], server_max_xmit=160, server_max_recv=4280, user_frag=32),
        Connection(True, [
            EnumRelationship("dhcp1.corp.example.com", 0, 0xFFFFFFFF, [lb, hs, branch], 3, 3,
                             0),
            GetClientInfo("dhcp1.corp.example.com", ("hw", HW_SEARCH), full),
            GetClientInfo("10.0.0.1", ("ip", "10.20.30.77"), bare),
        ], server_max_xmit=160, server_max_recv=4280, user_frag=32),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    base = utc(2026, 11, 3, 10, 0, 0)
    n = write_capture(
        args.outdir, "impacket-scope-stats",
        "R_DhcpV4FailoverGetScopeStatistics (opnum 97) marshalled by impacket's NDR engine: "
        "NDR and NDR64 connections (string / NULL / host-name ServerIpAddress, an error "
        "response with NULL pStats), then NDR and NDR64 connections fragmented both ways "
        "(24-byte fragment stubs)",
        base, scope_stats_connections(), 52000)
    print("impacket-scope-stats: %d frames, %d PDUs, %d expert items" % n)

    base = utc(2026, 11, 3, 11, 0, 0)
    n = write_capture(
        args.outdir, "impacket-relationships",
        "GetRelationship (92), EnumRelationship (93), GetScopeRelationship (96), "
        "GetClientInfo (98) and GetSystemTime (99) marshalled by impacket's NDR engine, "
        "over NDR and NDR64, then NDR and NDR64 connections fragmented both ways "
        "(32-byte request / 136-byte response fragment stubs)",
        base, relationship_connections(base), 52100)
    print("impacket-relationships: %d frames, %d PDUs, %d expert items" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
