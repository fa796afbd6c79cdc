#!/usr/bin/env python3
"""Decode the independent vectors with the real tshark + the built plugin and compare every value.

    tests/test_vectors.py --build-dir BUILD [--vectors-dir DIR] [--manifest FILE] [--capture ndr|ndr64]...
                          [--show N] [--json-out FILE]

../shared/vectors/ (beside the clone; overridable with DHCPSRV2_VECTORS_DIR or --vectors-dir) holds
dhcpm-ndr.pcapng and dhcpm-ndr64.pcapng, stubs of every MS-DHCPM method encoded by go-msrpc (not by this
project), and per frame the values each carries (`leaves`: path, kind, value).  For each capture this runs
tshark once (-T json), and for every leaf of every frame looks up, in plugin/idl/dhcpm-manifest.json, the
field that decodes that IDL member (contract section 3) and checks that the frame's decode has that value
in that field.  Values compare by kind: ipv4 -> dotted quad; string -> text; int/enum/count/bool/reserved ->
integer; bytes -> hex.  A DATE_TIME or DHCP_IPV6_ADDRESS that the manifest shows as one field is compared
as one value built from its two leaves (FILETIME -> time; High/Low -> IPv6 address).

Within a frame and field the comparison is a multiset: a frame has several values in one field (array
elements share their element's fields; responses repeat request values as generated items), and the tree
order of deferred pointers need not be the stub order.

Reports: per capture, leaves checked / found / wrong / missing, then every disagreement grouped by
method (frame, direction, path, wanted, got).  Exit 1 when any leaf is wrong or missing, 77 (skip) when
the vectors are absent.
"""

import argparse
import collections
import ipaddress
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

SKIP = 77
CAPTURES = {"ndr": "dhcpm-ndr", "ndr64": "dhcpm-ndr64"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FILETIME_UNIX_EPOCH = 116444736000000000     # 100 ns intervals from 1601-01-01 to 1970-01-01
DATE_TEXT = re.compile(r"^[A-Z][a-z]{2} [ \d]\d, -?\d+ \d\d:\d\d:\d\d")


def vectors_dir(arg):
    if arg:
        return arg
    return os.environ.get("DHCPSRV2_VECTORS_DIR") or os.path.join(REPO, "..", "shared", "vectors")


# ------------------------------------------------------------------------------------------------------
# The manifest: leaf path -> field

class Manifest:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.types = data["types"]
        self.methods = data["methods"]

    def method(self, iface, opnum):
        return self.methods.get(iface, {}).get(str(opnum))

    def members(self, type_name):
        t = self.types.get(type_name)
        if not t:
            return None
        return t.get("members") or t.get("arms") or []

    def lookup(self, iface, opnum, path):
        """-> (field or None, combine) where combine is None, or (kind, member type, sub-name) when the
        path goes into a member shown as one field (DATE_TIME, DHCP_IPV6_ADDRESS)."""
        meth = self.method(iface, opnum)
        if meth is None:
            return None, None, f"method {iface} {opnum} not in the manifest"
        names = [re.sub(r"\[\d+\]$", "", n) for n in path.split(".")]
        if names == ["Return"]:
            return meth.get("return_field"), None, None
        entry = next((p for p in meth["params"] if p["name"] == names[0]), None)
        if entry is None:
            return None, None, f"parameter {names[0]} not in the manifest"
        for i, n in enumerate(names[1:], start=1):
            field = entry.get("fields", {}).get(iface)
            if field:
                # a constructed value shown as one field: the rest of the path is inside it
                return field, (entry.get("shown_as") or entry.get("type"), entry.get("type"), ".".join(names[i:])), None
            members = self.members(entry.get("type"))
            if members is None:
                return None, None, f"type {entry.get('type')} (at {'.'.join(names[:i])}) not in the manifest"
            entry = next((m for m in members if m.get("name") == n), None)
            if entry is None:
                return None, None, f"{'.'.join(names[:i])} ({names[i - 1]}) has no member {n} in the manifest"
        field = entry.get("fields", {}).get(iface)
        if not field:
            return None, None, f"no {iface} field for {path} (type {entry.get('type')})"
        return field, None, None


# ------------------------------------------------------------------------------------------------------
# tshark -T json -> per frame, field -> [values]

def pairs_hook(pairs):
    """Keep duplicate keys (tshark writes one key per occurrence of a field)."""
    out = collections.OrderedDict()
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def collect(node, prefixes, acc):
    if isinstance(node, list):
        for v in node:
            collect(v, prefixes, acc)
        return
    if not isinstance(node, dict):
        return
    for key, values in node.items():
        for v in values:
            if isinstance(v, str):
                if key.startswith(prefixes):
                    acc[key].append(v)
            else:
                collect(v, prefixes, acc)


def decode(tshark, capture):
    out = tshark.run("-r", tshark.readable(capture), "-T", "json", "-J", "frame dhcpsrv dhcpsrv2")
    packets = json.loads(out, object_pairs_hook=pairs_hook)
    frames = {}
    for pkt in packets:
        layers = pkt["_source"][0]["layers"][0]
        number = int(layers["frame"][0]["frame.number"][0])
        acc = collections.defaultdict(list)
        for proto in ("dhcpsrv", "dhcpsrv2"):
            for layer in layers.get(proto, []):
                collect(layer, ("dhcpsrv.", "dhcpsrv2."), acc)
        frames[number] = acc
    return frames


# ------------------------------------------------------------------------------------------------------
# Values

def as_int(text):
    t = text.strip()
    if t.lower() in ("true", "false"):
        return int(t.lower() == "true")
    try:
        return int(t, 0)
    except ValueError:
        m = re.match(r"^(-?\d+)", t)
        return int(m.group(1)) if m else None


def civil_from_days(z):
    """Days since 1970-01-01 -> (year, month, day), any year (H. Hinnant's algorithm)."""
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return y + (m <= 2), m, d


def filetime_text(ft):
    """FILETIME -> Wireshark's absolute time text (UTC, nanoseconds), e.g. 'Dec  1, 2026 23:49:36.000000000 UTC'."""
    t = ft - FILETIME_UNIX_EPOCH
    secs, rem = divmod(t, 10_000_000)
    days, sod = divmod(secs, 86400)
    y, mo, d = civil_from_days(days)
    return (f"{MONTHS[mo - 1]} {d:2d}, {y} {sod // 3600:02d}:{sod // 60 % 60:02d}:{sod % 60:02d}."
            f"{rem * 100:09d}")


def date_matches(got, ft):
    """A DATE_TIME shown as one field: the raw 64-bit value, or the time text (with or without ' UTC')."""
    n = as_int(got) if re.fullmatch(r"\s*(0x[0-9a-fA-F]+|\d+)\s*", got) else None
    if n is not None:
        return n == ft
    norm = re.sub(r"\s+", " ", got.replace(" UTC", "")).strip()
    want = re.sub(r"\s+", " ", filetime_text(ft)).strip()
    return norm == want or (norm.count(".") == 0 and want.endswith(".000000000") and norm == want[:-10])


def ipv6_of(high, low):
    return ipaddress.IPv6Address(((high & (2**64 - 1)) << 64) | (low & (2**64 - 1)))


def same(kind, want, got):
    """Does the decoded text `got` carry the vector value `want` (a leaf dict)?"""
    v = want["value"]
    if kind == "ipv4":
        return got == want.get("dotted") or as_int(got) == v
    if kind == "string":
        return got == v
    if kind == "bytes":
        hexgot = re.sub(r"[^0-9a-fA-F]", "", got).lower()
        hexwant = v.lower()
        if "pad_to" in want:
            hexwant = hexwant.ljust(2 * want["pad_to"], "0")
        return hexgot == hexwant
    if kind == "date_time":
        return date_matches(got, v)
    if kind == "ipv6":
        try:
            return ipaddress.IPv6Address(got) == v
        except ValueError:
            return False
    if kind == "bool":
        return as_int(got) is not None and bool(as_int(got)) == bool(v)
    if re.fullmatch(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", got) and isinstance(v, int):
        # a DWORD the description shows as an address or mask (ws_display(ipv4_mask) on ClusterMask)
        return got == ".".join(str(v >> s & 255) for s in (24, 16, 8, 0))
    if DATE_TEXT.match(got):
        # a DWORD shown as a date ([ws_display(date)]: seconds since 1970, e.g. pTime)
        return isinstance(v, int) and date_matches(got, v * 10_000_000 + FILETIME_UNIX_EPOCH)
    return as_int(got) == v


def wanted_values(frame, manifest):
    """The frame's leaves as [(field, kind, want, path)], combining the two leaves of a member shown as
    one field; leaves without a field are returned as (None, reason, leaf, path)."""
    out = []
    combined = collections.OrderedDict()   # (field, path prefix) -> {sub: leaf}
    for leaf in frame["leaves"]:
        field, combine, err = manifest.lookup(frame["interface"], frame["opnum"], leaf["path"])
        if field is None:
            out.append((None, err, leaf, leaf["path"]))
            continue
        if combine is None:
            out.append((field, leaf["kind"], leaf, leaf["path"]))
            continue
        shown, _type, sub = combine
        prefix = leaf["path"][: -len(sub) - 1]
        combined.setdefault((field, prefix, shown), {})[sub] = leaf
    for (field, prefix, shown), parts in combined.items():
        if "dwLowDateTime" in parts or "dwHighDateTime" in parts:
            lo = parts.get("dwLowDateTime", {}).get("value", 0)
            hi = parts.get("dwHighDateTime", {}).get("value", 0)
            out.append((field, "date_time", {"value": (hi << 32) | lo, "shown": f"{hi:#010x}:{lo:#010x}"},
                        prefix))
        elif "HighOrderBits" in parts or "LowOrderBits" in parts:
            ip = ipv6_of(parts.get("HighOrderBits", {}).get("value", 0), parts.get("LowOrderBits", {}).get("value", 0))
            out.append((field, "ipv6", {"value": ip, "shown": str(ip)}, prefix))
        else:
            for sub, leaf in parts.items():
                out.append((None, f"{prefix} is shown as one field ({field}) but the vector has {sub}", leaf,
                            leaf["path"]))
    return out, sum(len(p) for p in combined.values())


def shown(want):
    if "shown" in want:
        return want["shown"]
    if "dotted" in want:
        return want["dotted"]
    return json.dumps(want["value"], ensure_ascii=False)


def compare_frame(num, frame, decoded, manifest):
    """-> (leaves, found, [problems]) with problems (method, frame, direction, path, want, got, reason)."""
    values, _ = wanted_values(frame, manifest)
    leaves = len(frame["leaves"])
    problems, found_values = [], 0
    by_field = collections.defaultdict(list)
    for field, kind, want, path in values:
        if field is None:
            problems.append((path, shown(want), None, kind))
            continue
        by_field[field].append((kind, want, path))
    for field, wants in by_field.items():
        got = list(decoded.get(field, []))
        unmatched = []
        for kind, want, path in wants:
            hit = next((i for i, g in enumerate(got) if same(kind, want, g)), None)
            if hit is None:
                unmatched.append((kind, want, path))
            else:
                got.pop(hit)
                found_values += 1
        for kind, want, path in unmatched:
            if got:
                problems.append((path, shown(want), got.pop(0), f"wrong value in {field}"))
            else:
                problems.append((path, shown(want), None, f"{field} absent" if field not in decoded
                                 else f"{field}: fewer values than wanted"))
    # found counts leaves: a combined value (DATE_TIME, IPv6) stands for its two leaves
    def covers(bad, leaf):
        return leaf["path"] == bad or leaf["path"].startswith(bad + ".")
    weighted = [p + (max(1, sum(1 for leaf in frame["leaves"] if covers(p[0], leaf))),) for p in problems]
    found = leaves - sum(p[-1] for p in weighted)
    return leaves, found, weighted


# ------------------------------------------------------------------------------------------------------

def run_capture(tshark, vdir, name, manifest, show, report):
    base = CAPTURES[name]
    with open(os.path.join(vdir, base + ".json"), encoding="utf-8") as f:
        vectors = json.load(f)
    decoded = decode(tshark, os.path.join(vdir, base + ".pcapng"))
    totals = collections.Counter()
    per_method = collections.OrderedDict()
    for num in sorted(vectors["frames"], key=int):
        frame = vectors["frames"][num]
        got = decoded.get(int(num), {})
        leaves, found, problems = compare_frame(int(num), frame, got, manifest)
        totals["leaves"] += leaves
        totals["found"] += found
        key = (frame["interface"], frame["opnum"], frame["method"])
        rec = per_method.setdefault(key, {"leaves": 0, "found": 0, "problems": []})
        rec["leaves"] += leaves
        rec["found"] += found
        for path, want, gotv, reason, weight in problems:
            kind = "wrong" if gotv is not None else "missing"
            totals[kind] += weight
            rec["problems"].append((int(num), frame["direction"], path, want, gotv, reason, kind, weight))
    print(f"{base}: {totals['leaves']} leaves checked, {totals['found']} found, "
          f"{totals['wrong']} wrong, {totals['missing']} missing "
          f"({sum(1 for r in per_method.values() if not r['problems'])}/{len(per_method)} methods clean)")
    for (iface, opnum, meth), rec in per_method.items():
        if not rec["problems"]:
            continue
        kinds = collections.Counter()
        for p in rec["problems"]:
            kinds[p[6]] += p[7]
        print(f"  {meth} ({iface} opnum {opnum}): {rec['found']}/{rec['leaves']} found, "
              f"{kinds['wrong']} wrong, {kinds['missing']} missing")
        for num, direction, path, want, gotv, reason, kind, _w in rec["problems"][:show]:
            gv = "-" if gotv is None else json.dumps(gotv, ensure_ascii=False)
            print(f"    frame {num} {direction}: {path}: want {want}, got {gv} ({reason})")
        if len(rec["problems"]) > show:
            print(f"    ... {len(rec['problems']) - show} more")
    report[base] = {"totals": dict(totals), "methods": {
        f"{k[0]}.{k[1]}.{k[2]}": {"leaves": r["leaves"], "found": r["found"],
                                  "problems": [list(p) for p in r["problems"]]}
        for k, r in per_method.items()}}
    return totals["wrong"] + totals["missing"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--vectors-dir")
    ap.add_argument("--manifest", default=os.path.join(REPO, "plugin", "idl", "dhcpm-manifest.json"))
    ap.add_argument("--capture", action="append", choices=sorted(CAPTURES))
    ap.add_argument("--show", type=int, default=8, help="disagreements listed per method (default 8)")
    ap.add_argument("--json-out", help="write every disagreement here (for triage)")
    ap.add_argument("--own-seed", type=int,
                    help="instead of ../shared/vectors, check a set written by tools/make_vector_set.py with "
                         "this seed (our encoder, values the plugin has never seen)")
    ap.add_argument("--big-endian", action="store_true", help="with --own-seed: a big-endian set")
    args = ap.parse_args()

    if args.own_seed is not None:
        import subprocess
        import tempfile
        tmp = tempfile.mkdtemp(prefix="dhcpm-own-vectors-")
        subprocess.run([sys.executable, os.path.join(REPO, "tools", "make_vector_set.py"),
                        "--seed", str(args.own_seed), tmp] + (["--big-endian"] if args.big_endian else []),
                       check=True)
        args.vectors_dir = tmp
    vdir = vectors_dir(args.vectors_dir)
    if not os.path.isdir(vdir):
        print(f"SKIP: no vectors at {os.path.abspath(vdir)} (lay shared/ beside the clone or set "
              f"DHCPSRV2_VECTORS_DIR)")
        return SKIP
    if not os.path.exists(args.manifest):
        print(f"FAIL: no manifest at {args.manifest} (generated by tools/gen-dhcpm.py)")
        return 1
    from tshark_env import Tshark
    tshark = Tshark(args.build_dir)
    tshark.assert_plugin_loaded()
    manifest = Manifest(args.manifest)
    report, bad = {}, 0
    for name in args.capture or sorted(CAPTURES):
        bad += run_capture(tshark, vdir, name, manifest, args.show, report)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, ensure_ascii=False, default=str)
    print("PASS" if not bad else f"FAIL: {bad} leaf value(s) wrong or missing")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
