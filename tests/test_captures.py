#!/usr/bin/env python3
"""End-to-end check of the dissector on committed captures.

For each NAME.pcapng in the captures directory, tshark (with the freshly
built plugin) decodes it to JSON, and every dhcpsrv2 PDU's values and every
dhcpsrv2 expert item are compared with NAME.expected.json, which the capture
generator wrote from the values it encoded (see docs/captures.md).  Missing
*and* extra PDUs or expert items fail.

Usage: test_captures.py --build-dir B --captures-dir D [NAME ...]
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tshark_env import Tshark  # noqa: E402

COUNTERS = ("num_addr", "addr_free", "addr_in_use", "partner_addr_free", "this_addr_free",
            "partner_addr_in_use", "this_addr_in_use")


def pairs_hook(pairs):
    """Keeps repeated keys (several PDUs in one frame) as lists, in order."""
    return pairs


MODEL_EXPERTS = {
    "dhcpsrv2.expert.exhaustion_projected",
    "dhcpsrv2.expert.scope_exhaustion_projected",
    "dhcpsrv2.expert.partner_persistent_disagreement",
    "dhcpsrv2.expert.share_off",
    "dhcpsrv2.expert.reserve_used_up",
    "dhcpsrv2.expert.partner_frozen",
}


def collect(node, fields, experts):
    """Walks a decoded layer: field values into `fields`, expert abbrevs into `experts`."""
    if not isinstance(node, list):
        return
    for key, value in node:
        if key == "_ws.expert":
            for ekey, _ in value:
                if ekey.startswith("dhcpsrv2."):
                    experts.append(ekey)
            continue
        if isinstance(value, list):
            collect(value, fields, experts)
        elif key.startswith("dhcpsrv2.") or key.startswith("dcerpc."):
            fields.setdefault(key, []).append(value)


def decoded_pdus(tshark, capture):
    """Returns [(frame, pkt_type, fields, experts)] for every dhcpsrv2 PDU."""
    out = tshark.run("-r", tshark.readable(capture), "-T", "json", "-J", "frame dcerpc dhcpsrv2",
                     "-Y", "dcerpc")
    pdus = []
    for packet in json.loads(out, object_pairs_hook=pairs_hook):
        layers = dict(dict(packet)["_source"])["layers"]
        frame = None
        last_pkt_type = None
        for name, layer in layers:
            if name == "frame":
                frame = int(dict(layer)["frame.number"])
            elif name == "dcerpc":
                last_pkt_type = dict(layer).get("dcerpc.pkt_type")
            elif name == "dhcpsrv2":
                fields, experts = {}, []
                collect(layer, fields, experts)
                fields = {k: [tshark.json_value(v) for v in vs] for k, vs in fields.items()}
                pdus.append((frame, last_pkt_type, fields, experts))
    return pdus


def one(fields, key):
    values = fields.get(key, [])
    return values[0] if len(values) == 1 else (None if not values else values)


class Checker:
    def __init__(self, name):
        self.name = name
        self.failures = []
        self.checks = 0

    def eq(self, what, got, want):
        self.checks += 1
        if got != want:
            self.failures.append(f"{self.name}: {what}: got {got!r}, expected {want!r}")

    def close(self, what, got, want):
        self.checks += 1
        if got is None or want is None:
            ok = got is None and want is None
        else:
            ok = math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9)
        if not ok:
            self.failures.append(f"{self.name}: {what}: got {got!r}, expected {want!r}")


def check_pdu(chk, index, got, want):
    frame, pkt_type, fields, _ = got
    where = f"PDU {index} (frame {want['frame']})"
    chk.eq(f"{where} frame", frame, want["frame"])
    chk.eq(f"{where} type", pkt_type, "0" if want["type"] == "request" else "2")
    chk.eq(f"{where} opnum", one(fields, "dhcpsrv2.opnum"), str(want["opnum"]))
    chk.eq(f"{where} server_ip_address", one(fields, "dhcpsrv2.server_ip_address"),
           want.get("server_ip_address"))
    chk.eq(f"{where} scope_id", one(fields, "dhcpsrv2.scope_id"), want.get("scope_id"))
    if want["type"] != "response":
        return
    stats = want.get("stats") or {}
    for counter in COUNTERS:
        value = stats.get(counter)
        chk.eq(f"{where} {counter}", one(fields, f"dhcpsrv2.failover_stats.{counter}"),
               None if value is None else str(value))
    chk.close(f"{where} utilization", one(fields, "dhcpsrv2.failover_stats.utilization"),
              want.get("utilization"))
    werror = one(fields, "dhcpsrv2.werror")
    chk.eq(f"{where} werror", None if werror is None else int(werror, 16), want.get("werror"))


def check_generic_fields(chk, index, got, want):
    """Any PDU may list fields by filter name, with every occurrence as tshark
    prints it (in order), and fields that must be absent."""
    _, _, fields, _ = got
    where = f"PDU {index} (frame {want['frame']})"
    for name, values in want.get("fields", {}).items():
        chk.eq(f"{where} {name}", fields.get(name, []), [str(v) for v in values])
    for name in want.get("absent", []):
        chk.eq(f"{where} {name} absent", fields.get(name), None)


def check_capture(tshark, captures_dir, name):
    chk = Checker(name)
    with open(os.path.join(captures_dir, f"{name}.expected.json")) as f:
        expected = json.load(f)
    got = decoded_pdus(tshark, os.path.join(captures_dir, f"{name}.pcapng"))
    chk.eq("number of dhcpsrv2 PDUs", len(got), len(expected["pdus"]))
    for i, (g, w) in enumerate(zip(got, expected["pdus"])):
        check_pdu(chk, i, g, w)
        check_generic_fields(chk, i, g, w)
    # The failover model's experts (trends, pairing, shares: plugin/stats/failover-experts.c)
    # depend on many packets; tests/test_stats.py checks them against values it
    # computes itself.  Here: the per-packet rules only.
    got_experts = sorted((frame, abbrev) for frame, _, _, experts in got for abbrev in experts
                         if abbrev not in MODEL_EXPERTS)
    want_experts = sorted((e["frame"], e["abbrev"]) for e in expected.get("expert", []))
    chk.eq("expert items (frame, abbrev)", got_experts, want_experts)
    return chk


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--captures-dir", required=True)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()

    tshark = Tshark(args.build_dir)
    tshark.assert_plugin_loaded()
    names = args.names or sorted(f[:-len(".expected.json")] for f in os.listdir(args.captures_dir)
                                 if f.endswith(".expected.json"))
    if not names:
        raise SystemExit("no captures to check")
    passed = failed = 0
    for name in names:
        chk = check_capture(tshark, args.captures_dir, name)
        for failure in chk.failures[:40]:
            print("FAIL", failure)
        if len(chk.failures) > 40:
            print(f"FAIL {name}: ... {len(chk.failures) - 40} more")
        print(f"{'ok  ' if not chk.failures else 'FAIL'} {name}: {chk.checks} checks")
        passed += chk.checks - len(chk.failures)
        failed += len(chk.failures)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
