#!/usr/bin/env python3
"""End-to-end check of the dissector on committed captures.

For each NAME.pcapng in the captures directory, tshark (with the freshly
built plugin) decodes it to JSON, and every dhcpsrv2 PDU's values and every
dhcpsrv2 expert item are compared with NAME.expected.json, which the capture
generator wrote from the values it encoded (see docs/captures.md).  Missing
*and* extra PDUs or expert items fail.

A capture may carry its tshark options ("tshark": the secret that decrypts a
sealed capture) and, under "without_secret", the expert items tshark must show
when run without them: then the capture is checked twice.  A PDU marked
"untrusted" (a stub Wireshark decrypts wrongly) must carry the untrusted-stub
warning; its values are garbage by construction and are not compared, nor
are the other notes on its frame.

Usage: test_captures.py --build-dir B --captures-dir D [NAME ...]
"""
import argparse
import json
import math
import os
import re
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
        elif key.startswith(("dhcpsrv2.", "dhcpsrv.", "dcerpc.")):
            fields.setdefault(key, []).append(value)


EXPERT_PREFIXES = ("dhcpsrv2.", "dhcpsrv.")


def all_experts(node, out):
    """Our expert abbrevs anywhere in a packet (a sealed fragment's note sits on
    its dcerpc item, as DCE/RPC hands no protocol item of ours over)."""
    if not isinstance(node, list):
        return
    for key, value in node:
        if key == "_ws.expert":
            out.extend(ekey for ekey, _ in value if ekey.startswith(EXPERT_PREFIXES))
        elif isinstance(value, list):
            all_experts(value, out)


def decoded_pdus(tshark, capture, options=(), protos=("dhcpsrv2",)):
    """Returns ([(frame, pkt_type, fields, experts)] for every decoded dhcpsrv2
    PDU, the same for every sealed one, [(frame, abbrev)] of every expert item
    of ours)."""
    out = tshark.run(*options, "-r", tshark.readable(capture), "-T", "json",
                     "-J", "frame dcerpc dhcpsrv2 dhcpsrv", "-Y", "dcerpc")
    pdus, sealed, experts = [], [], []
    for packet in json.loads(out, object_pairs_hook=pairs_hook):
        layers = dict(dict(packet)["_source"])["layers"]
        frame = None
        last_pkt_type = None
        for name, layer in layers:
            if name == "frame":
                frame = int(dict(layer)["frame.number"])
            elif name == "dcerpc":
                last_pkt_type = dict(layer).get("dcerpc.pkt_type")
            elif name in protos:
                fields, pdu_experts = {}, []
                collect(layer, fields, pdu_experts)
                fields = {k: [tshark.json_value(v) for v in vs] for k, vs in fields.items()}
                # a stub Wireshark did not decrypt: a call named, nothing decoded
                (sealed if "dcerpc.encrypted_stub_data" in fields else pdus).append(
                    (frame, last_pkt_type, fields, pdu_experts))
            found = []
            all_experts(layer, found)
            experts.extend((frame, abbrev) for abbrev in found)
    return pdus, sealed, experts


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
    p = want.get("interface", "dhcpsrv2")     # "both_interfaces" captures: dhcpsrv PDUs too
    chk.eq(f"{where} frame", frame, want["frame"])
    chk.eq(f"{where} type", pkt_type, "0" if want["type"] == "request" else "2")
    chk.eq(f"{where} opnum", one(fields, f"{p}.opnum"), str(want["opnum"]))
    chk.eq(f"{where} server_ip_address", one(fields, f"{p}.server_ip_address"),
           want.get("server_ip_address"))
    chk.eq(f"{where} scope_id", one(fields, f"{p}.scope_id"), want.get("scope_id"))
    if want["type"] != "response":
        return
    stats = want.get("stats") or {}
    for counter in COUNTERS:
        value = stats.get(counter)
        chk.eq(f"{where} {counter}", one(fields, f"dhcpsrv2.failover_stats.{counter}"),
               None if value is None else str(value))
    chk.close(f"{where} utilization", one(fields, "dhcpsrv2.failover_stats.utilization"),
              want.get("utilization"))
    werror = one(fields, f"{p}.werror")
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


def check_info(chk, tshark, capture, options, pdus):
    """A PDU's "info": text its frame's Info column must contain."""
    wanted = [w for w in pdus if "info" in w]
    if not wanted:
        return
    out = tshark.run(*options, "-r", tshark.readable(capture), "-T", "fields", "-e", "frame.number",
                     "-e", "_ws.col.Info")
    info = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
    for w in wanted:
        got = info.get(str(w["frame"]), "")
        chk.eq(f"frame {w['frame']} Info {got!r} contains {w['info']!r}", w["info"] in got, True)


UNTRUSTED = ("dhcpsrv2.expert.untrusted_stub", "dhcpsrv.expert.untrusted_stub")


def tshark_options(tshark, captures_dir, options):
    """A capture's options; "{captures}/FILE" names a committed file (a keytab)."""
    out = []
    for opt in options:
        if "{captures}/" in opt:
            head, tail = opt.split("{captures}/", 1)
            opt = head + tshark.readable(os.path.join(captures_dir, tail))
        out.append(opt)
    return out


def check_capture(tshark, captures_dir, name):
    with open(os.path.join(captures_dir, f"{name}.expected.json")) as f:
        expected = json.load(f)
    chk = Checker(name)
    check_decoded(chk, tshark, captures_dir, name, expected, expected.get("tshark", []))
    # the same decode from another form of the secret (an NT-hash keytab)
    for options in expected.get("alternative_tshark", []):
        check_decoded(Checker(f"{name} [{' '.join(options)}]"), tshark, captures_dir, name,
                      expected, options, into=chk)
    if "without_secret" in expected:
        check_without_secret(chk, tshark, os.path.join(captures_dir, f"{name}.pcapng"),
                             expected["without_secret"])
    return chk


def check_decoded(chk, tshark, captures_dir, name, expected, options, into=None):
    if into is not None:
        chk.failures, chk.checks = into.failures, 0
    options = tshark_options(tshark, captures_dir, options)
    capture = os.path.join(captures_dir, f"{name}.pcapng")
    layers = ("dhcpsrv2", "dhcpsrv") if expected.get("both_interfaces") else ("dhcpsrv2",)
    got, _, got_experts = decoded_pdus(tshark, capture, options, layers)
    chk.eq("number of dhcpsrv2 PDUs", len(got), len(expected["pdus"]))
    check_info(chk, tshark, capture, options, expected["pdus"])
    untrusted_frames = set()
    for i, (g, w) in enumerate(zip(got, expected["pdus"])):
        if w.get("untrusted"):
            untrusted_frames.add(w["frame"])
            chk.eq(f"PDU {i} (frame {w['frame']}) frame", g[0], w["frame"])
            continue
        check_pdu(chk, i, g, w)
        check_generic_fields(chk, i, g, w)
    # An untrusted stub's values feed nothing: the model's experts neither fire
    # on it nor learn from it (sealed-coalesced: a 50 % relationship, garbage
    # shares; before the experts waited for the sealed verdict, share_off fired
    # on the untrusted frames).
    chk.eq("model experts on untrusted frames",
           sorted((frame, abbrev) for frame, abbrev in got_experts
                  if frame in untrusted_frames and abbrev in MODEL_EXPERTS), [])
    # Garbage values raise whatever notes they raise: only the warning counts.
    # The failover model's experts (trends, pairing, shares: plugin/stats/failover-experts.c)
    # depend on many packets; tests/test_stats.py checks them against values it
    # computes itself.  Here: the per-packet rules only.
    got_experts = sorted((frame, abbrev) for frame, abbrev in got_experts
                         if (frame not in untrusted_frames or abbrev in UNTRUSTED)
                         and abbrev not in MODEL_EXPERTS)
    want_experts = sorted((e["frame"], e["abbrev"]) for e in expected.get("expert", []))
    chk.eq("expert items (frame, abbrev)", got_experts, want_experts)
    if "records" in expected:
        check_records(chk, "", tshark, capture, options, expected["records"])
    if "statistics" in expected:
        check_statistics(chk, "", tshark, capture, options, expected["statistics"])
    if into is not None:
        into.checks += chk.checks


RECORD_KEYS = ("rsp_frame", "req_frame", "interface", "opnum", "undecoded")


def tap_records(tshark, capture, options=()):
    """The dhcpsrv2 tap's records, as `-z dhcpsrv2,records` prints them."""
    out = tshark.run(*options, "-q", "-r", tshark.readable(capture), "-z", "dhcpsrv2,records")
    lines = out.split("=== dhcpsrv2 tap records ===\n", 1)[1].split("\n===")[0].splitlines()
    records = []
    for line in lines[1:]:
        cols = line.split("\t")
        rec = dict(zip(RECORD_KEYS, cols))
        rec["rsp_frame"], rec["req_frame"], rec["opnum"] = (int(rec["rsp_frame"]),
                                                            int(rec["req_frame"]),
                                                            int(rec["opnum"]))
        rec["values"] = cols[7].strip() if len(cols) > 7 else ""
        records.append(rec)
    return records


def check_records(chk, what, tshark, capture, options, expected):
    """One record per response, saying whether it may be counted; a sealed or
    untrusted one carries no value at all."""
    got = tap_records(tshark, capture, options)
    chk.eq(f"{what}tap records", [{k: r[k] for k in RECORD_KEYS} for r in got], expected)
    for r in got:
        if r["undecoded"] != "decoded":
            chk.eq(f"{what}record of frame {r['rsp_frame']} values", r["values"], "")


STATS_TITLES = {"tree": "DHCP Failover/Scope statistics:", "scopes": "DHCP Failover Scopes:",
                "relationships": "DHCP Failover Relationships:"}


def stats_outputs(tshark, capture, options):
    """{tree|scopes|relationships: lines} from one run with the three -z outputs."""
    lines = tshark.run(*options, "-q", "-r", tshark.readable(capture),
                       *(a for z in STATS_TITLES for a in ("-z", f"dhcpsrv2_failover,{z}"))
                       ).splitlines()
    starts = sorted((lines.index(title), z) for z, title in STATS_TITLES.items() if title in lines)
    ends = [at for at, _ in starts[1:]] + [len(lines)]
    return {z: lines[at:end] for (at, z), end in zip(starts, ends)}


TABLE_ROW = re.compile(r"^ *[0-9]+ \|")


def table_rows(lines):
    """A -z dhcpsrv2_failover table: ({column: text} per row, its "Undecoded calls:" lines)."""
    header = next((line for line in lines if line.startswith("  # |")), None)
    if header is None:
        return None, []
    names = [c.strip() for c in header.split("|")]
    rows = [dict(zip(names, (c.strip() for c in line.split("|"))))
            for line in lines if TABLE_ROW.match(line)]
    return rows, [line for line in lines if line.startswith("Undecoded calls:")]


def tree_branch(lines, top):
    """[label, count] of the stats tree's top-level branch `top` and everything under it
    (by the "Count" column: the other columns differ between Wireshark versions)."""
    header = next((line for line in lines if line.startswith("Topic / Item")), None)
    if header is None:
        return None
    at = header.index("Count")
    out, inside = [], False
    for line in lines:
        label = line[:at].rstrip()
        if not label or label.startswith(("=", "-", "Topic")) or len(line) <= at:
            continue
        if not label.startswith(" "):
            if inside:
                break
            inside = label == top
        if not inside:
            continue
        count = line[at:].split()
        out.append([label, int(count[0]) if count and count[0].isdigit() else None])
    return out


def check_statistics(chk, what, tshark, capture, options, expected):
    """The -z dhcpsrv2_failover outputs: the "Undecoded calls" note of both tables
    and branch of the tree say why a table is empty; the rows are the decoded calls'."""
    outputs = stats_outputs(tshark, capture, options)
    chk.eq(f"{what}-z tree: Undecoded calls branch",
           tree_branch(outputs.get("tree", []), "Undecoded calls"), expected["tree_undecoded"])
    for z in ("scopes", "relationships"):
        rows, notes = table_rows(outputs.get(z, []))
        chk.eq(f"{what}-z {z}: note", notes, [expected[f"note_{z}"]])
        want = expected[z]
        chk.eq(f"{what}-z {z}: number of rows", None if rows is None else len(rows), len(want))
        for i, (got, row) in enumerate(zip(rows or [], want)):
            chk.eq(f"{what}-z {z}: row {i + 1}", {k: got.get(k) for k in row}, row)


def check_without_secret(chk, tshark, capture, expected):
    """No secret: every sealed call says so, and no value of a stub is shown."""
    got, sealed, got_experts = decoded_pdus(tshark, capture)
    want = sorted((e["frame"], e["abbrev"]) for e in expected["expert"])
    chk.eq("without secret: expert items (frame, abbrev)", sorted(got_experts), want)
    chk.eq("without secret: decoded dhcpsrv2 PDUs", [g[0] for g in got], [])
    for frame, _, fields, _ in sealed:
        chk.eq(f"without secret: frame {frame} dhcpsrv2 fields",
               sorted(k for k in fields if k.startswith("dhcpsrv2.")), ["dhcpsrv2.opnum"])
    if "records" in expected:
        check_records(chk, "without secret: ", tshark, capture, [], expected["records"])
    if "statistics" in expected:
        check_statistics(chk, "without secret: ", tshark, capture, [], expected["statistics"])
    # the switch that saves the tree on tree-less runs: detection off, nothing is noted
    if "records" in expected:
        off = ["-o", "dhcpsrv2.detect_sealed:FALSE"]
        chk.eq("without secret, detect_sealed off: tap records",
               [r["undecoded"] for r in tap_records(tshark, capture, off)], [])


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
