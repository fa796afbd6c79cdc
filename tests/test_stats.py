#!/usr/bin/env python3
"""tests/test_stats.py -- the DHCP failover statistics against real tshark.

Runs tshark 4.0 with the built plugin on the committed captures and checks
the output of

    -z dhcpsrv2_failover,tree[,filter]            (stats_tree)
    -z dhcpsrv2_failover,scopes[,filter]          (stat_tap_table_ui)
    -z dhcpsrv2_failover,relationships[,filter]   (stat_tap_table_ui)

against numbers computed here, independently of the plugin, from the
captures' NAME.expected.json (every decoded PDU's values) plus each response
frame's source address and time (frame metadata from `tshark -T fields`; the
expected.json files do not carry them).  A few numbers are also written out
as literals, checked by hand against the JSON (see the comments).

The pairing rule the model implements is the one in docs/statistics.md.

Usage: tests/test_stats.py --build-dir BUILD --captures-dir test-captures
Python 3 standard library only.  The last line is "N passed, M failed".
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_env  # noqa: E402  (the shared runner of the e2e tests)

REQUIRED_CAPTURES = ["failover-pair", "partner-mismatch", "fast-poll-ndr", "fast-poll-ndr64",
                     "error-responses",
                     "inconsistent-counters", "demo", "failover-relationship-status",
                     "failover-methods-ndr"]
OPTIONAL_CAPTURES = ["malformed", "failover-methods-ndr64", "failover-odd"]

COUNTERS = ["num_addr", "addr_free", "addr_in_use", "partner_addr_free",
            "this_addr_free", "partner_addr_in_use", "this_addr_in_use"]
COUNTER_NAMES = ["numAddr", "addrFree", "addrInUse", "partnerAddrFree",
                 "thisAddrFree", "partnerAddrInUse", "thisAddrInUse"]
CHECK_NAMES = [
    "addrFree + addrInUse != numAddr",
    "thisAddrFree + partnerAddrFree != addrFree",
    "thisAddrInUse + partnerAddrInUse != addrInUse",
    "addrFree == 0 (scope exhausted)",
    "thisAddrFree == 0 while partnerAddrFree > 0",
    "status 0 but no statistics",
    "statistics with an error status",
]
CONSISTENCY_BITS = 0x7
BUCKETS = ["0-50 %", "50-80 %", "80-90 %", "90-100 %"]
WINDOW_NS = 30 * 10**9

# Status names used by the captures (Win32 / dhcpsapi.h), written by hand.
STATUS_NAMES = {
    2: "ERROR_FILE_NOT_FOUND",
    5: "ERROR_ACCESS_DENIED",
    87: "ERROR_INVALID_PARAMETER",
    20005: "ERROR_DHCP_SUBNET_NOT_PRESENT",
    20116: "ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP",
}

TREE = "dhcpsrv2_failover,tree"
TABLE = "dhcpsrv2_failover,scopes"
RELS = "dhcpsrv2_failover,relationships"
BY = "By server"
PA = "Partner agreement"
RELS_NODE = "Relationships"
HEALTH = "Scope health"
UNDECODED = "Undecoded calls"
PERSISTENT = "Persistent (same direction 2+ comparisons in a row)"

# Relationship values, written by hand from MS-DHCPM: FSM_STATE (2.2.1.1.20),
# DHCP_FAILOVER_MODE (2.2.1.1.18), DHCP_FAILOVER_SERVER (2.2.1.1.19).
FSM_STATES = ["NO_STATE", "INIT", "STARTUP", "NORMAL", "COMMUNICATION_INT", "PARTNER_DOWN",
              "POTENTIAL_CONFLICT", "CONFLICT_DONE", "RESOLUTION_INT", "RECOVER",
              "RECOVER_WAIT", "RECOVER_DONE"]
MODES = ["LoadBalance", "HotStandby"]
ROLES = ["primary", "secondary"]
REL = "dhcpsrv2.failover_relationship."
REL_OPNUMS = (92, 93, 96)
SHOW_SCOPES = 3                 # scope ids listed in the Scopes column
HIST_FIRST, HIST_LAST = 2, 4    # state transitions kept: the first 2 and the last 4


# --------------------------------------------------------------------------
# tshark runner

class Tshark:
    """tests/tshark_env.Tshark (non-root tshark with the staged plugin, private
    HOME/config, TZ=UTC, LANG=C) plus a readable copy of the captures."""

    def __init__(self, build_dir, captures_dir):
        self.t = tshark_env.Tshark(build_dir)
        self.tmp = self.t.home
        self.caps = os.path.join(self.tmp, "captures")
        os.makedirs(self.caps)
        os.chmod(self.caps, 0o777)
        for name in os.listdir(captures_dir):
            if name.endswith(".pcapng") or name.endswith(".expected.json"):
                shutil.copy(os.path.join(captures_dir, name), self.caps)
                os.chmod(os.path.join(self.caps, name), 0o644)

    def cap(self, name):
        return os.path.join(self.caps, name + ".pcapng")

    def run(self, args):
        return self.t.run(*args)

    def run_all_output(self, args):
        """stdout and stderr together (tshark -z help writes to stderr)."""
        p = subprocess.run(self.t.prefix + [self.t.tshark] + list(args), env=self.t.env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return p.stdout

    def stat(self, capture, z):
        return self.run(["-q", "-n", "-r", capture, "-z", z])

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------
# Output parsers

def parse_tree(text):
    """stats_tree plain text -> {path tuple: {count, avg, min, max}}.

    Layout (stats_tree_format_as_str, 4.0): the name is left-justified in
    maxnamelen characters after `depth` spaces, then 8 columns of 14."""
    lines = text.split("\n")
    head = next(i for i, l in enumerate(lines) if l.startswith("Topic / Item"))
    width = lines[head].index("Count") - 1
    nodes = {}
    order = []
    stack = []
    for line in lines[head + 2:]:
        if not line.strip() or line.startswith("---") or line.startswith("==="):
            continue
        name_part = line[:width]
        depth = len(name_part) - len(name_part.lstrip(" "))
        name = name_part.strip()
        cols = [line[width + 14 * k: width + 14 * (k + 1)].strip() for k in range(8)]
        del stack[depth:]
        stack.append(name)
        path = tuple(stack)
        if path in nodes:
            raise AssertionError("duplicate tree node %r" % (path,))
        nodes[path] = {"count": cols[0], "avg": cols[1], "min": cols[2], "max": cols[3]}
        order.append(path)
    return nodes, order


def parse_table(text):
    """stat_tap_table_ui text (tap-simple_stattable.c) -> (notes, rows)."""
    lines = text.split("\n")
    head = next(i for i, l in enumerate(lines) if "|Server" in l)
    names = [c.strip() for c in lines[head].split("|")[:-1]]
    rows = []
    notes = []
    for line in lines[head + 1:]:
        if line.startswith("==="):
            break
        cells = line.split("|")
        if len(cells) == len(names) + 1 and cells[0].strip().isdigit():
            rows.append(dict(zip(names, [c.strip() for c in cells[:-1]])))
        elif line.strip():
            notes.append(line)
    return notes, rows


def children(nodes, order, path):
    return [p[-1] for p in order if len(p) == len(path) + 1 and p[:-1] == path]


# --------------------------------------------------------------------------
# The independent model

def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def fmt_avg_int(values):
    # stats_tree 4.0: "%.2f" of ((float)total) / counter, min/max "%d"
    return "%.2f" % f32(f32(sum(values)) / f32(len(values)))


def counter_label(name, vals):
    # "<counter>: last L, min M, max X, average A.AA" (average of the integers, double)
    return "%s: last %d, min %d, max %d, average %.2f" % (name, vals[-1], min(vals), max(vals),
                                                          sum(vals) / len(vals))


def util_label(utils):
    return "utilization %%: last %.2f, min %.2f, max %.2f, average %.2f" % (
        utils[-1], min(utils), max(utils), sum(utils) / len(utils))


def child_starting(nodes, path, prefix):
    """The node under `path` whose name starts with `prefix` (one)."""
    found = [p for p in nodes if len(p) == len(path) + 1 and p[:-1] == path
             and p[-1].startswith(prefix)]
    if len(found) != 1:
        raise AssertionError("%d nodes %r under %r" % (len(found), prefix, path))
    return found[0]


def fmt_float_node(values):
    # STAT_DT_FLOAT: total is a double sum of gfloat values; min/max "%f" of gfloat
    vals = [f32(v) for v in values]
    return ("%.2f" % (sum(vals) / len(vals)), "%f" % min(vals), "%f" % max(vals))


def bucket(util):
    return 0 if util < 50 else 1 if util < 80 else 2 if util < 90 else 3


def time_ns(epoch):
    secs, _, frac = epoch.partition(".")
    return int(secs) * 10**9 + int((frac + "000000000")[:9])


def checks_of(stats, werror, stats_is_null):
    bits = 0
    if stats is not None:
        c = stats
        if c["addr_free"] + c["addr_in_use"] != c["num_addr"]:
            bits |= 1 << 0
        if c["this_addr_free"] + c["partner_addr_free"] != c["addr_free"]:
            bits |= 1 << 1
        if c["this_addr_in_use"] + c["partner_addr_in_use"] != c["addr_in_use"]:
            bits |= 1 << 2
        if c["addr_free"] == 0:
            bits |= 1 << 3
        if c["this_addr_free"] == 0 and c["partner_addr_free"] > 0:
            bits |= 1 << 4
    if werror is not None:
        if werror == 0 and stats_is_null:
            bits |= 1 << 5
        if werror != 0 and stats is not None:
            bits |= 1 << 6
    return bits


class Entry:
    def __init__(self, server, scope):
        self.server, self.scope = server, scope
        self.polls = self.errors = self.malformed = self.inconsistent = 0
        self.samples = []          # counters dicts of responses with statistics
        self.utils = []            # utilization of those with num_addr > 0
        self.error_names = {}
        self.checks = [0] * 7
        self.any_check = 0
        self.member = False
        self.sample_t = None


class Scope:
    def __init__(self, name):
        self.name = name
        self.members = []          # Entry, in order of their first response with statistics
        self.polls = []            # (t_ns, seq, server, counters) of every response with statistics
        self.compared = self.agree = self.disagree = self.persistent = 0
        self.dfree = []
        self.dinuse = []
        self.longest = 0
        self.last_frames = None
        self.persistent_frames = []    # the later poll of each comparison that continues a run


def sign(x):
    return 0 if x == 0 else 1 if x > 0 else 2


def pair_scope(sc):
    """The pairing rule of docs/statistics.md, computed over the whole capture
    (not streaming, unlike the plugin): two partner polls are compared when
    each is the other's nearest poll of the partner (ties: the earlier one)
    and they are at most 30 s apart; comparisons in time order; a
    disagreement continues a run when its direction (the sign of each of the
    four differences, A's view minus B's) equals the previous comparison's."""
    if len(sc.members) != 2:
        return
    a_srv, b_srv = sorted((m.server for m in sc.members), key=addr_key)
    polls = sorted(sc.polls, key=lambda p: (p[0], p[1]))

    def nearest(i):
        me = polls[i][2]
        best = None
        for j in range(len(polls)):
            if polls[j][2] == me:
                continue
            d = abs(polls[j][0] - polls[i][0])
            # ties: the earlier poll
            if best is None or d < best[0] or (d == best[0] and (polls[j][0], polls[j][1]) <
                                               (polls[best[1]][0], polls[best[1]][1])):
                best = (d, j)
        return best

    near = [nearest(i) for i in range(len(polls))]
    pairs = []
    for i in range(len(polls)):
        if near[i] is None:
            continue
        d, j = near[i]
        if j > i and near[j] is not None and near[j][1] == i and d <= WINDOW_NS:
            pairs.append((i, j))
    pairs.sort(key=lambda ij: (polls[ij[1]][0], polls[ij[1]][1]))
    run, run_dir = 0, None
    for i, j in pairs:
        pa, pb = (polls[i], polls[j]) if polls[i][2] == a_srv else (polls[j], polls[i])
        x, y = pa[3], pb[3]
        diffs = [x["this_addr_free"] - y["partner_addr_free"],
                 x["partner_addr_free"] - y["this_addr_free"],
                 x["this_addr_in_use"] - y["partner_addr_in_use"],
                 x["partner_addr_in_use"] - y["this_addr_in_use"]]
        direction = tuple(sign(v) for v in diffs)
        df = max(abs(diffs[0]), abs(diffs[1]))
        du = max(abs(diffs[2]), abs(diffs[3]))
        sc.compared += 1
        sc.dfree.append(df)
        sc.dinuse.append(du)
        sc.last_frames = (pa[4], pb[4])
        if df == 0 and du == 0:
            sc.agree += 1
            run = 0
            continue
        sc.disagree += 1
        if run and direction == run_dir:
            run += 1
            sc.persistent += 2 if run == 2 else 1
        else:
            run, run_dir = 1, direction
        sc.longest = max(sc.longest, run)
        if run >= 2:
            sc.persistent_frames.append(polls[j][4])


def addr_key(a):
    return tuple(int(x) for x in a.split("."))


def scope_key(s):
    return (1, ()) if s == "unknown" else (0, addr_key(s))


def model(ts, name, server_filter=None):
    exp = json.load(open(os.path.join(ts.caps, name + ".expected.json")))
    meta = frame_meta(ts, name)
    entries, scopes, sips = {}, {}, {}
    for pdu in exp["pdus"]:
        if pdu["type"] != "response" or pdu.get("opnum") != 97:
            continue
        server, t = meta[pdu["frame"]]
        if server_filter and server != server_filter:
            continue
        scope = pdu.get("scope_id") or "unknown"
        e = entries.setdefault((server, scope), Entry(server, scope))
        raw = pdu.get("stats")
        malformed = bool(pdu.get("malformed"))
        stats = raw if (isinstance(raw, dict) and not malformed
                        and all(k in raw for k in COUNTERS)) else None
        werror = pdu.get("werror")
        sip = pdu.get("server_ip_address")
        if sip is not None and sip != server:
            sips.setdefault(server, {}).setdefault(sip, 0)
            sips[server][sip] += 1
        e.polls += 1
        if werror:
            e.errors += 1
            n = STATUS_NAMES.get(werror, "0x%08x" % werror)
            e.error_names[n] = e.error_names.get(n, 0) + 1
        if malformed:
            e.malformed += 1
        bits = checks_of(stats, werror, "stats" in pdu and raw is None)
        if bits & CONSISTENCY_BITS:
            e.inconsistent += 1
        if bits:
            e.any_check += 1
        for i in range(7):
            if bits & (1 << i):
                e.checks[i] += 1
        if stats is None:
            continue
        e.samples.append(stats)
        if stats["num_addr"]:
            e.utils.append(100.0 * stats["addr_in_use"] / stats["num_addr"])
        if scope == "unknown":
            e.sample_t = t
            continue
        sc = scopes.setdefault(scope, Scope(scope))
        if not e.member:
            e.member = True
            sc.members.append(e)
        sc.polls.append((t, len(sc.polls), server, stats, pdu["frame"]))
        e.sample_t = t
    for sc in scopes.values():
        pair_scope(sc)
    return entries, scopes, sips


# --------------------------------------------------------------------------
# The independent model of the relationship statistics

def enum_text(v, names):
    return names[v] if v < len(names) else "unknown (%d)" % v


def relationships_of(pdu, null_scopes=()):
    """The relationships of a 92/93/96 response, from its flat field lists.

    expected.json lists each field's values in tree order, so the i-th value
    of a field that every relationship has belongs to the i-th relationship.
    pScopes may be NULL: the DHCP_IP_ARRAY groups (num_elements, then that
    many elements) go, in order, to the relationships not named in
    `null_scopes` (hand-checked per capture)."""
    f = pdu.get("fields", {})
    names = f.get(REL + "relationship_name", [])
    keys = ["primary_server", "secondary_server", "mode", "server_type", "state", "prev_state",
            "mclt", "safe_period", "percentage"]
    cols = {k: f.get(REL + k, []) for k in keys}
    for k, v in cols.items():
        if len(v) != len(names):
            raise AssertionError("frame %d: %d %s values for %d relationships"
                                 % (pdu["frame"], len(v), k, len(names)))
    nums = [int(x) for x in f.get("dhcpsrv2.ip_array.num_elements", [])]
    elems = f.get("dhcpsrv2.ip_array.element", [])
    rels, gi, ei = [], 0, 0
    for i, name in enumerate(names):
        r = {k: cols[k][i] if k.endswith("_server") else int(cols[k][i]) for k in keys}
        r["name"] = name
        if name in null_scopes:
            r["scopes"] = []
        else:
            r["scopes"] = elems[ei:ei + nums[gi]]
            ei += nums[gi]
            gi += 1
        rels.append(r)
    if gi != len(nums) or ei != len(elems):
        raise AssertionError("frame %d: scope arrays do not match the relationships"
                             % pdu["frame"])
    return rels


class RelRow:
    def __init__(self, server, name):
        self.server, self.name = server, name
        self.reports = 0
        self.last = None
        self.trans = []             # [(state, capture time ns)] at each change of state


def frame_meta(ts, name):
    meta = {}
    out = ts.run(["-n", "-r", ts.cap(name), "-T", "fields", "-e", "frame.number",
                  "-e", "ip.src", "-e", "frame.time_epoch"])
    for line in out.splitlines():
        num, src, epoch = line.split("\t")
        meta[int(num)] = (src, time_ns(epoch))
    return meta


def rel_model(ts, name, server_filter=None, null_scopes=()):
    """-> (rows {(server, name): RelRow}, clocks {server: [offsets]},
           links {(server, scope, name): {"reports", "states" {state: n}, "last"}})"""
    exp = json.load(open(os.path.join(ts.caps, name + ".expected.json")))
    meta = frame_meta(ts, name)
    rows, clocks, links = {}, {}, {}
    for pdu in exp["pdus"]:
        if pdu["type"] != "response" or pdu.get("malformed"):
            continue
        server, t = meta[pdu["frame"]]
        if server_filter and server != server_filter:
            continue
        op = pdu.get("opnum")
        if op == 99 and "dhcpsrv2.clock_offset" in pdu.get("fields", {}):
            clocks.setdefault(server, []).append(int(pdu["fields"]["dhcpsrv2.clock_offset"][0]))
        if op not in REL_OPNUMS:
            continue
        counted = set()
        for r in relationships_of(pdu, null_scopes):
            row = rows.setdefault((server, r["name"]), RelRow(server, r["name"]))
            row.reports += 1
            if not row.trans or row.trans[-1][0] != r["state"]:
                row.trans.append((r["state"], t))
            row.last = r
            # the tree's links: every listed scope, and a 96 call's scopeId;
            # once per response
            scopes = set(r["scopes"])
            if op == 96 and pdu.get("scope_id"):
                scopes.add(pdu["scope_id"])
            for sc in scopes:
                key = (server, sc, r["name"])
                if key in counted:
                    continue
                counted.add(key)
                ln = links.setdefault(key, {"reports": 0, "states": {}, "last": None})
                ln["reports"] += 1
                ln["states"][r["state"]] = ln["states"].get(r["state"], 0) + 1
                ln["last"] = r["state"]
    return rows, clocks, links


def hms(t_ns, first_ns):
    import datetime
    t = datetime.datetime.fromtimestamp(t_ns // 10**9, datetime.timezone.utc)
    first = datetime.datetime.fromtimestamp(first_ns // 10**9, datetime.timezone.utc)
    return t.strftime("%H:%M:%S" if t.date() == first.date() else "%Y-%m-%d %H:%M:%S")


def history_text(trans):
    first = trans[0][1]
    items = ["%s %s" % (enum_text(st, FSM_STATES), hms(t, first)) for st, t in trans]
    if len(items) > HIST_FIRST + HIST_LAST:
        hidden = len(items) - HIST_FIRST - HIST_LAST
        items = items[:HIST_FIRST] + ["(+%d more)" % hidden] + items[-HIST_LAST:]
    return " > ".join(items)


def scopes_text(scopes):
    shown = scopes[:SHOW_SCOPES]
    text = str(len(scopes))
    if shown:
        text += ": " + ", ".join(shown)
    if len(scopes) > len(shown):
        text += " +%d more" % (len(scopes) - len(shown))
    return text


def partner_address(server, r):
    if server == r["primary_server"]:
        return r["secondary_server"]
    if server == r["secondary_server"]:
        return r["primary_server"]
    return r["primary_server"] if r["server_type"] == 1 else r["secondary_server"]


def expected_rel_rows(rows, clocks):
    out = []
    servers = sorted({k[0] for k in rows} | set(clocks), key=addr_key)
    for srv in servers:
        mine = sorted((r for k, r in rows.items() if k[0] == srv), key=lambda r: r.name)
        clk = clocks.get(srv)
        clock_cols = {"Clock offset": "%+d" % clk[-1] if clk else "-",
                      "Max abs offset": str(max(abs(x) for x in clk)) if clk else "-"}
        if not mine:
            row = dict.fromkeys(["Relationship", "Role", "Mode", "State", "Prev state", "Primary",
                                 "Secondary", "Safe period", "Scopes", "States seen (UTC)",
                                 "Partner clock diff"], "-")
            row.update({"Server": srv, "MCLT (s)": "0", "Pct": "0", "Reports": "0"})
            row.update(clock_cols)
            out.append(row)
            continue
        for r in mine:
            last = r.last
            partner = partner_address(srv, last)
            pclk = clocks.get(partner)
            row = {
                "Server": srv, "Relationship": r.name or "(no name)",
                "Role": enum_text(last["server_type"], ROLES),
                "Mode": enum_text(last["mode"], MODES),
                "State": enum_text(last["state"], FSM_STATES),
                "Prev state": enum_text(last["prev_state"], FSM_STATES),
                "Primary": last["primary_server"], "Secondary": last["secondary_server"],
                "MCLT (s)": str(last["mclt"]),
                "Safe period": "infinite" if last["safe_period"] == 0xFFFFFFFF
                               else str(last["safe_period"]),
                "Pct": str(last["percentage"]), "Reports": str(r.reports),
                "Partner clock diff": "%+d" % (clk[-1] - pclk[-1])
                                      if clk and pclk and partner != srv else "-",
                "Scopes": scopes_text(last["scopes"]),
                "States seen (UTC)": history_text(r.trans),
            }
            row.update(clock_cols)
            out.append(row)
    for i, row in enumerate(out, 1):
        row["#"] = str(i)
    return out


def link_label(name, state):
    return "Relationship: %s (%s)" % (name or "(no name)", enum_text(state, FSM_STATES))


def compare_rel_rows(rows, exp_rows):
    if len(rows) != len(exp_rows):
        raise AssertionError("got %d relationship rows, expected %d:\n%s"
                             % (len(rows), len(exp_rows), "\n".join(map(str, rows))))
    errs = []
    for got, exp in zip(rows, exp_rows):
        for k, v in exp.items():
            if got.get(k) != v:
                errs.append("row %s %s/%s %s: got %r, expected %r" % (
                    exp["#"], exp["Server"], exp["Relationship"], k, got.get(k), v))
    if errs:
        raise AssertionError("\n  ".join(errs[:30]))


def check_rel_model(ts, name, server_filter=None, null_scopes=()):
    rows, clocks, _ = rel_model(ts, name, server_filter, null_scopes)
    suffix = ",ip.src==%s" % server_filter if server_filter else ""
    _, got = parse_table(ts.stat(ts.cap(name), RELS + suffix))
    compare_rel_rows(got, expected_rel_rows(rows, clocks))
    return got


def partner_of(e, scopes):
    sc = scopes.get(e.scope)
    if sc is None or not e.member:
        return "-", None
    if len(sc.members) == 1:
        return "none seen", None
    if len(sc.members) == 2:
        other = sc.members[0] if sc.members[1] is e else sc.members[1]
        return other.server, sc
    return "ambiguous: %d servers" % len(sc.members), None


def expected_rows(entries, scopes):
    rows = []
    keys = sorted(entries, key=lambda k: (addr_key(k[0]), scope_key(k[1])))
    for i, k in enumerate(keys, 1):
        e = entries[k]
        last = e.samples[-1] if e.samples else dict.fromkeys(COUNTERS, 0)
        partner, sc = partner_of(e, scopes)
        util = 100.0 * last["addr_in_use"] / last["num_addr"] if last["num_addr"] else 0.0
        row = {
            "#": str(i), "Server": e.server, "Scope": e.scope, "Polls": str(e.polls),
            "Errors": str(e.errors), "Malformed": str(e.malformed), "Stats": str(len(e.samples)),
            "Util %": "%.2f" % util,
            "Min free": str(min(s["addr_free"] for s in e.samples) if e.samples else 0),
            "Free chg": "%+d" % (last["addr_free"] - e.samples[0]["addr_free"] if e.samples else 0),
            "Inconsistent": str(e.inconsistent), "Partner": partner,
            "Compared": str(sc.compared if sc else 0), "Agree": str(sc.agree if sc else 0),
            "Disagree": str(sc.disagree if sc else 0),
            "Max diff free": str(max(sc.dfree) if sc and sc.dfree else 0),
            "Max diff in use": str(max(sc.dinuse) if sc and sc.dinuse else 0),
            "Persistent": str(sc.persistent if sc else 0),
        }
        for c, n in zip(COUNTERS, COUNTER_NAMES):
            row[n] = str(last[c])
        rows.append(row)
    return rows


def expected_tree(entries, scopes, sips, links=None):
    """{path: {field: value}} for every node the model knows about."""
    exp = {}
    total = sum(e.polls for e in entries.values())
    exp[(BY,)] = {"count": str(total)}
    servers = sorted({e.server for e in entries.values()}, key=addr_key)
    for srv in servers:
        sp = (BY, srv)
        exp[sp] = {"count": str(sum(e.polls for e in entries.values() if e.server == srv))}
        for sip, n in sips.get(srv, {}).items():
            exp[sp + ("ServerIpAddress differs",)] = {"count": str(sum(sips[srv].values()))}
            exp[sp + ("ServerIpAddress differs", sip)] = {"count": str(n)}
    for (srv, scope), e in entries.items():
        p = (BY, srv, scope)
        exp[p] = {"count": str(e.polls)}
        exp[p + ("Errors by status",)] = {"count": str(e.errors)}
        for n, c in e.error_names.items():
            exp[p + ("Errors by status", n)] = {"count": str(c)}
        exp[p + ("Malformed responses",)] = {"count": str(e.malformed)}
        exp[p + ("Invariant violations",)] = {"count": str(e.any_check)}
        for i, n in enumerate(CHECK_NAMES):
            if e.checks[i]:
                exp[p + ("Invariant violations", n)] = {"count": str(e.checks[i])}
        if e.samples:
            exp[p + ("Counters",)] = {"count": str(len(e.samples))}
            for c, n in zip(COUNTERS, COUNTER_NAMES):
                vals = [x[c] for x in e.samples]
                exp[p + ("Counters", counter_label(n, vals))] = {"count": str(len(vals))}
            if e.utils:
                exp[p + ("Counters", util_label(e.utils))] = {"count": str(len(e.utils))}
            exp[p + ("Utilization buckets",)] = {"count": str(len(e.utils))}
            for b, n in enumerate(BUCKETS):
                exp[p + ("Utilization buckets", n)] = {
                    "count": str(sum(1 for u in e.utils if bucket(u) == b))}
    # the relationships each server reported, per scope (any scope, any time)
    exp[(RELS_NODE,)] = {"count": str(sum(ln["reports"] for ln in (links or {}).values()))}
    for (lsrv, lscope, lname), ln in (links or {}).items():
        for path in ((RELS_NODE, lsrv), (RELS_NODE, lsrv, lscope)):
            exp[path] = {"count": str(sum(x["reports"] for k, x in links.items()
                                          if k[:len(path) - 1] == path[1:]))}
        lp = (RELS_NODE, lsrv, lscope, link_label(lname, ln["last"]))
        exp[lp] = {"count": str(ln["reports"])}
        for st, n in ln["states"].items():
            child = FSM_STATES[st] if st < len(FSM_STATES) else "unknown state"
            exp[lp + (child,)] = {"count": str(n)}
    exp[(PA,)] = {"count": str(sum(sc.compared for sc in scopes.values()
                                   if len(sc.members) == 2))}
    for name, sc in scopes.items():
        if not sc.members:
            continue
        p = (PA, name)
        n = len(sc.members)
        exp[p] = {"count": str(sc.compared if n == 2 else 0)}
        if n == 1:
            exp[p + ("Only one server answering: not compared",)] = {"count": "0"}
        if n > 2:
            exp[p + ("More than two servers (%d): not compared" % n,)] = {"count": "0"}
        if n == 2:
            a, b = sorted((m.server for m in sc.members), key=addr_key)
            pp = p + ("%s vs %s" % (a, b),)
            exp[pp] = {"count": str(sc.compared)}
            exp[pp + ("Agree",)] = {"count": str(sc.agree)}
            d = pp + ("Disagree",)
            exp[d] = {"count": str(sc.disagree)}
            exp[d + (PERSISTENT,)] = {"count": str(sc.persistent)}
            exp[d + ("free differs, max diff free %d" % max(sc.dfree or [0]),)] = {
                "count": str(sum(1 for v in sc.dfree if v))}
            exp[d + ("in use differs, max diff in use %d" % max(sc.dinuse or [0]),)] = {
                "count": str(sum(1 for v in sc.dinuse if v))}
            if sc.persistent:
                exp[pp + ("PERSISTENT DISAGREEMENT: longest run %d, last frames %d and %d"
                          % ((sc.longest,) + sc.last_frames),)] = {"count": str(sc.persistent)}
    return exp


# --------------------------------------------------------------------------
# Checks

def compare_tree(nodes, order, exp):
    errs = []
    for path, fields in sorted(exp.items()):
        got = nodes.get(path)
        if got is None:
            errs.append("missing node %r" % (path,))
            continue
        for f, v in fields.items():
            if got[f] != v:
                errs.append("%r %s: got %r, expected %r" % (path, f, got[f], v))
    # no unexpected nodes under the data branches
    for path in order:
        if path[0] in (BY, PA, RELS_NODE) and path not in exp:
            leaf_ok = False
            if not leaf_ok:
                errs.append("unexpected node %r" % (path,))
    if errs:
        raise AssertionError("\n  ".join(errs[:30]) + ("\n  ... %d more" % (len(errs) - 30)
                                                        if len(errs) > 30 else ""))


def compare_rows(rows, exp_rows):
    if len(rows) != len(exp_rows):
        raise AssertionError("got %d rows, expected %d:\n%s" % (len(rows), len(exp_rows),
                                                                "\n".join(map(str, rows))))
    errs = []
    for got, exp in zip(rows, exp_rows):
        for k, v in exp.items():
            if got.get(k) != v:
                errs.append("row %s %s/%s %s: got %r, expected %r" % (
                    exp["#"], exp["Server"], exp["Scope"], k, got.get(k), v))
    if errs:
        raise AssertionError("\n  ".join(errs[:30]))


def check_model(ts, name, server_filter=None, null_scopes=()):
    entries, scopes, sips = model(ts, name, server_filter)
    _, _, links = rel_model(ts, name, server_filter, null_scopes)
    suffix = ",ip.src==%s" % server_filter if server_filter else ""
    nodes, order = parse_tree(ts.stat(ts.cap(name), TREE + suffix))
    compare_tree(nodes, order, expected_tree(entries, scopes, sips, links))
    _, rows = parse_table(ts.stat(ts.cap(name), TABLE + suffix))
    compare_rows(rows, expected_rows(entries, scopes))
    check_rel_model(ts, name, server_filter, null_scopes)
    return nodes, rows


def row_of(rows, server, scope):
    for r in rows:
        if r["Server"] == server and r["Scope"] == scope:
            return r
    raise AssertionError("no row for %s %s" % (server, scope))


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def expect_eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, expected %r" % (what, got, want))


# --------------------------------------------------------------------------
# Tests

def t_plugin_loaded(ts):
    out = ts.run(["-G", "plugins"])
    expect("dhcpsrv2.so" in out, "tshark -G plugins does not list dhcpsrv2.so:\n" + out)


def t_commands_registered(ts):
    out = ts.run_all_output(["-z", "help"])     # the list goes to stderr
    for z in (TREE, TABLE, RELS):
        expect(z in out.split(), "-z help does not list %s" % z)


def t_model_failover_pair(ts):
    check_model(ts, "failover-pair")


def t_literals_failover_pair(ts):
    # Hand-checked from failover-pair.expected.json: 10.0.0.1 answers for
    # 192.168.10.0 in frames 12, 24, 36 with addrFree 100, 99, 98,
    # thisAddrFree 52, 50, 48, addrInUse 100, 101, 102 of numAddr 200
    # (utilization 50.0, 50.5, 51.0); 10.0.0.2 (frames 14, 26, 38) mirrors it
    # within 3 ms each round, so every round is one agreeing comparison.
    nodes, order = parse_tree(ts.stat(ts.cap("failover-pair"), TREE))
    c = (BY, "10.0.0.1", "192.168.10.0", "Counters")
    for name in ("addrFree: last 98, min 98, max 100, average 99.00",
                 "thisAddrFree: last 48, min 48, max 52, average 50.00",
                 "numAddr: last 200, min 200, max 200, average 200.00",
                 "utilization %: last 51.00, min 50.00, max 51.00, average 50.50"):
        expect_eq(nodes[c + (name,)]["count"], "3", name)
        expect_eq(nodes[c + (name,)]["avg"], "", name + " (no Average column)")
    # 10.0.0.2 / 192.168.20.0 (frames 18, 30, 42): addrInUse 123, 149, 151 of 250
    # -> utilization 49.2, 59.6, 60.4 (two decimals: no float artefacts):
    # one in 0-50 %, two in 50-80 %
    c2 = (BY, "10.0.0.2", "192.168.20.0")
    expect_eq(nodes[c2 + ("Counters", "addrInUse: last 151, min 123, max 151, average 141.00")]
              ["count"], "3", "addrInUse")
    expect_eq(nodes[c2 + ("Counters",
                          "utilization %: last 60.40, min 49.20, max 60.40, average 56.40")]
              ["count"], "3", "util 2")
    expect_eq(nodes[c2 + ("Utilization buckets", "0-50 %")]["count"], "1", "bucket 0-50")
    expect_eq(nodes[c2 + ("Utilization buckets", "50-80 %")]["count"], "2", "bucket 50-80")
    # requests to 10.0.0.2 name it dhcp2.corp.example.com (9 responses)
    expect_eq(nodes[(BY, "10.0.0.2", "ServerIpAddress differs", "dhcp2.corp.example.com")]["count"],
              "9", "ServerIpAddress pivot")
    for scope in ("10.20.30.0", "192.168.10.0", "192.168.20.0"):
        pair = (PA, scope, "10.0.0.1 vs 10.0.0.2")
        expect_eq(nodes[pair]["count"], "3", scope + " compared")
        expect_eq(nodes[pair + ("Agree",)]["count"], "3", scope + " agree")
        expect_eq(nodes[pair + ("Disagree",)]["count"], "0", scope + " disagree")
        expect_eq(nodes[pair + ("Disagree", "free differs, max diff free 0")]["count"], "0",
                  scope + " max diff")
    expect_eq(nodes[(PA,)]["count"], "9", "all comparisons")
    _, rows = parse_table(ts.stat(ts.cap("failover-pair"), TABLE))
    r = row_of(rows, "10.0.0.1", "192.168.10.0")
    expect_eq([r[k] for k in ("#", "Polls", "Errors", "Stats", "numAddr", "addrFree", "addrInUse",
                              "partnerAddrFree", "thisAddrFree", "partnerAddrInUse", "thisAddrInUse",
                              "Util %", "Min free", "Free chg", "Inconsistent", "Partner",
                              "Compared", "Agree", "Disagree", "Max diff free")],
              ["2", "3", "0", "3", "200", "98", "102", "50", "48", "50", "52", "51.00", "98", "-2",
               "0", "10.0.0.2", "3", "3", "0", "0"], "row 10.0.0.1/192.168.10.0")


def t_model_partner_mismatch(ts):
    check_model(ts, "partner-mismatch")


def t_literals_partner_mismatch(ts):
    # Hand-checked from partner-mismatch.expected.json, scope 192.168.20.0:
    # round 1 (frames 16/18) mirror exactly -> agree; round 2: 10.0.0.2 (frame 30)
    # says partnerAddrFree 35 / partnerAddrInUse 90 where 10.0.0.1 (frame 28)
    # has thisAddrFree 40 / thisAddrInUse 85 -> diff 5 and 5; round 3
    # (frames 40/42) the same 5 and 5, in the same direction: a run of 2, both
    # persistent.  Rounds are a minute apart: each poll's nearest partner poll
    # is the other server's in the same round.  So 3 compared, 1 agree,
    # 2 disagree (2 persistent), max diff 5 and 5.
    nodes, _ = parse_tree(ts.stat(ts.cap("partner-mismatch"), TREE))
    pair = (PA, "192.168.20.0", "10.0.0.1 vs 10.0.0.2")
    expect_eq(nodes[pair]["count"], "3", "compared")
    expect_eq(nodes[pair + ("Agree",)]["count"], "1", "agree")
    expect_eq(nodes[pair + ("Disagree",)]["count"], "2", "disagree")
    expect_eq(nodes[pair + ("Disagree", PERSISTENT)]["count"], "2", "persistent")
    expect_eq(nodes[pair + ("Disagree", "free differs, max diff free 5")]["count"], "2", "free")
    expect_eq(nodes[pair + ("Disagree", "in use differs, max diff in use 5")]["count"], "2", "in use")
    expect_eq(nodes[pair + ("PERSISTENT DISAGREEMENT: longest run 2, last frames 40 and 42",)]
              ["count"], "2", "highlight")
    expect_eq(nodes[(PA, "192.168.10.0", "10.0.0.1 vs 10.0.0.2", "Agree")]["count"], "3",
              "consistent scope")
    _, rows = parse_table(ts.stat(ts.cap("partner-mismatch"), TABLE))
    for srv, other in (("10.0.0.1", "10.0.0.2"), ("10.0.0.2", "10.0.0.1")):
        r = row_of(rows, srv, "192.168.20.0")
        expect_eq([r[k] for k in ("Partner", "Compared", "Agree", "Disagree", "Max diff free",
                                  "Max diff in use", "Persistent")],
                  [other, "3", "1", "2", "5", "5", "2"], "row %s/192.168.20.0" % srv)


def t_model_error_responses(ts):
    check_model(ts, "error-responses")


def t_literals_error_responses(ts):
    # error-responses.expected.json, 10.0.0.1: frame 7 192.168.99.0 status 2,
    # frame 9 192.168.10.0 status 5, frame 11 0.0.0.0 status 87, frame 13
    # 10.0.2.0 status 0x4E94, frame 15 192.168.254.0 status 0x4E25, frame 17
    # 10.20.30.0 status 0x4E94 with statistics (stats with error).
    nodes, _ = parse_tree(ts.stat(ts.cap("error-responses"), TREE))
    s = (BY, "10.0.0.1")
    for scope, name in (("192.168.99.0", "ERROR_FILE_NOT_FOUND"),
                        ("192.168.10.0", "ERROR_ACCESS_DENIED"),
                        ("0.0.0.0", "ERROR_INVALID_PARAMETER"),
                        ("10.0.2.0", "ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP"),
                        ("192.168.254.0", "ERROR_DHCP_SUBNET_NOT_PRESENT"),
                        ("10.20.30.0", "ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP")):
        expect_eq(nodes[s + (scope, "Errors by status", name)]["count"], "1", scope)
    expect_eq(nodes[s + ("10.20.30.0", "Invariant violations", "statistics with an error status")]
              ["count"], "1", "stats with error")
    expect(s + ("192.168.99.0", "Counters") not in nodes, "no Counters without statistics")


def t_model_inconsistent(ts):
    check_model(ts, "inconsistent-counters")


def t_literals_inconsistent(ts):
    # inconsistent-counters.expected.json: 10.20.30.0 {250, 90, 160, ...}:
    # 90 + 160 = 250 but 44 + 40 != 90; 192.168.11.0 has addrFree 0 and
    # numAddr 500 / addrInUse 500 -> 100 % (bucket 90-100 %).
    nodes, _ = parse_tree(ts.stat(ts.cap("inconsistent-counters"), TREE))
    s = (BY, "10.0.0.1")
    expect_eq(nodes[s + ("10.20.30.0", "Invariant violations",
                         "thisAddrFree + partnerAddrFree != addrFree")]["count"], "1", "free split")
    expect_eq(nodes[s + ("192.168.11.0", "Invariant violations", "addrFree == 0 (scope exhausted)")]
              ["count"], "1", "exhausted")
    expect_eq(nodes[s + ("192.168.11.0", "Utilization buckets", "90-100 %")]["count"], "1", "100 %")
    _, rows = parse_table(ts.stat(ts.cap("inconsistent-counters"), TABLE))
    expect_eq(row_of(rows, "10.0.0.1", "10.20.30.0")["Inconsistent"], "1", "inconsistent column")
    expect_eq(row_of(rows, "10.0.0.1", "192.168.11.0")["Inconsistent"], "0",
              "exhaustion is not an inconsistency")


def t_model_demo(ts):
    check_model(ts, "demo")


def t_literals_demo(ts):
    # From the demo description and demo.expected.json: on 10.0.0.1,
    # 192.168.20.0 drains: thisAddrFree 60 at minute 0 down to 0 from minute
    # 56; first response (frame 9) addrFree 119, last (frame 1929) addrFree 61,
    # addrInUse 189 of 250 (75.60 %).  10.0.0.2 answers ERROR_ACCESS_DENIED for
    # 10.20.30.0 once (round 37): 61 polls, 60 with statistics.
    nodes, _ = parse_tree(ts.stat(ts.cap("demo"), TREE))
    c = child_starting(nodes, (BY, "10.0.0.1", "192.168.20.0", "Counters"), "thisAddrFree:")
    expect(c[-1].startswith("thisAddrFree: last 0, min 0, max 60, average "), c[-1])
    expect_eq(nodes[c]["count"], "61", "drain")
    expect_eq(nodes[(BY, "10.0.0.2", "10.20.30.0", "Errors by status", "ERROR_ACCESS_DENIED")]
              ["count"], "1", "access denied")
    expect_eq(nodes[(BY,)]["count"], "488", "responses (2 servers x 4 scopes x 61 rounds)")
    _, rows = parse_table(ts.stat(ts.cap("demo"), TABLE))
    expect_eq(len(rows), 8, "rows")
    r = row_of(rows, "10.0.0.1", "192.168.20.0")
    expect_eq([r[k] for k in ("Polls", "thisAddrFree", "addrFree", "addrInUse", "Util %", "Free chg")],
              ["61", "0", "61", "189", "75.60", "-58"], "drain row")
    r = row_of(rows, "10.0.0.2", "10.20.30.0")
    expect_eq([r["Polls"], r["Errors"], r["Stats"]], ["61", "1", "60"], "error row")
    expect_eq([x["Server"] + " " + x["Scope"] for x in rows],
              ["10.0.0.1 10.20.30.0", "10.0.0.1 172.16.5.0", "10.0.0.1 192.168.10.0",
               "10.0.0.1 192.168.20.0", "10.0.0.2 10.20.30.0", "10.0.0.2 172.16.5.0",
               "10.0.0.2 192.168.10.0", "10.0.0.2 192.168.20.0"], "row order (numeric)")


def t_filter_one_server(ts):
    nodes, rows = check_model(ts, "demo", server_filter="10.0.0.2")
    expect_eq(sorted(p[1] for p in nodes if len(p) == 2 and p[0] == BY), ["10.0.0.2"], "servers")
    expect_eq({r["Server"] for r in rows}, {"10.0.0.2"}, "table servers")
    expect_eq(nodes[(PA,)]["count"], "0", "no partner in view")


def t_rule_printed(ts):
    nodes, order = parse_tree(ts.stat(ts.cap("failover-pair"), TREE))
    rule = children(nodes, order, ("Partner pairing rule",))
    expect(any("30 s" in line for line in rule), "tree rule lacks the window: %r" % rule)
    notes, _ = parse_table(ts.stat(ts.cap("failover-pair"), TABLE))
    expect(any("30 s" in n and "nearest in time" in n for n in notes),
           "table notes lack the rule: %r" % notes)


def t_deterministic(ts):
    for cap, z in (("demo", TREE), ("demo", TABLE), ("failover-relationship-status", RELS),
                   ("failover-relationship-status", TREE)):
        a = ts.stat(ts.cap(cap), z)
        b = ts.stat(ts.cap(cap), z)
        expect(a == b, "%s output differs between two runs" % z)
        c = ts.run(["-2", "-q", "-n", "-r", ts.cap(cap), "-z", z])
        expect(a == c, "%s output differs with -2" % z)


def t_two_instances(ts):
    # two trees with different filters in one run keep separate state
    out = ts.run(["-q", "-n", "-r", ts.cap("demo"), "-z", TREE + ",ip.src==10.0.0.1", "-z", TREE])
    parts = out.split("DHCP Failover/Scope statistics:")
    expect_eq(len(parts), 3, "two trees")
    counts = sorted(parse_tree("Topic" + p.split("Topic", 1)[1])[0][(BY,)]["count"] for p in parts[1:])
    expect_eq(counts, ["244", "488"], "per-instance totals")


def rewrite_server(src, dst, old_ip, new_ip):
    """Copies a pcapng (Ethernet/IPv4), moving one server to another address."""
    data = open(src, "rb").read()
    out = bytearray()
    pos = 0
    old_b, new_b = bytes(map(int, old_ip.split("."))), bytes(map(int, new_ip.split(".")))
    while pos < len(data):
        btype, blen = struct.unpack_from("<II", data, pos)
        block = bytearray(data[pos:pos + blen])
        if btype == 6:      # EPB
            caplen = struct.unpack_from("<I", block, 20)[0]
            pkt = 28
            if caplen >= 34 and block[pkt + 12:pkt + 14] == b"\x08\x00":
                ip = pkt + 14
                ihl = (block[ip] & 0x0F) * 4
                for off in (12, 16):
                    if block[ip + off:ip + off + 4] == old_b:
                        block[ip + off:ip + off + 4] = new_b
                block[ip + 10:ip + 12] = b"\0\0"
                s = 0
                for k in range(0, ihl, 2):
                    s += (block[ip + k] << 8) | block[ip + k + 1]
                while s >> 16:
                    s = (s & 0xFFFF) + (s >> 16)
                block[ip + 10:ip + 12] = struct.pack(">H", ~s & 0xFFFF)
        out += block
        pos += blen
    open(dst, "wb").write(bytes(out))


def t_ambiguous_three_servers(ts):
    # failover-pair merged with a copy in which 10.0.0.2 is 10.0.0.3: three
    # servers answer for every scope, so nothing is compared.
    work = os.path.join(ts.tmp, "captures")
    copy = os.path.join(work, "three-copy.pcapng")
    merged = os.path.join(work, "three-servers.pcapng")
    rewrite_server(ts.cap("failover-pair"), copy, "10.0.0.2", "10.0.0.3")
    subprocess.run(["mergecap", "-w", merged, ts.cap("failover-pair"), copy], check=True)
    os.chmod(merged, 0o644)
    nodes, order = parse_tree(ts.stat(merged, TREE))
    expect_eq(nodes[(PA,)]["count"], "0", "comparisons")
    for scope in ("10.20.30.0", "192.168.10.0", "192.168.20.0"):
        expect_eq(nodes[(PA, scope, "More than two servers (3): not compared")]["count"], "0", scope)
        pair = (PA, scope, "10.0.0.1 vs 10.0.0.2")
        if pair in nodes:   # paired before the third server showed up: results dropped
            expect_eq(nodes[pair]["count"], "0", scope + " pair dropped")
            expect_eq(nodes[pair + ("Agree",)]["count"], "0", scope + " pair agree dropped")
    _, rows = parse_table(ts.stat(merged, TABLE))
    expect_eq(len(rows), 9, "rows")
    for r in rows:
        expect_eq([r["Partner"], r["Compared"]], ["ambiguous: 3 servers", "0"],
                  "%s/%s" % (r["Server"], r["Scope"]))


def t_model_malformed(ts):
    nodes, rows = check_model(ts, "malformed")
    expect(any(r["Scope"] == "unknown" for r in rows), "no unknown scope row")


# --------------------------------------------------------------------------
# Relationship table and the scope -> relationship link

STATUS = "failover-relationship-status"
METHODS = "failover-methods-ndr"
LINK_A = "Relationship: dhcp1-dhcp2 (NORMAL)"
LINK_B = "Relationship: dhcp1-dhcp2 (COMMUNICATION_INT)"


def rel_row(rows, server, name):
    for r in rows:
        if r["Server"] == server and r["Relationship"] == name:
            return r
    raise AssertionError("no relationship row %s %s in %r" % (server, name, rows))


def t_model_relationship_status(ts):
    check_model(ts, STATUS)


def t_acceptance_relationship_status(ts):
    # docs/captures.md: "dhcp1-dhcp2", primary 10.0.0.1, secondary 10.0.0.2,
    # LoadBalance, 50 %, MCLT 3600, safePeriod 0xFFFFFFFF, scopes 192.168.10.0
    # and 192.168.20.0.  Five rounds (t = 0, 60, .. 240 s from 08:00:00 UTC),
    # each server answering 92, 93, 96 x2 (4 reports a round -> 20) and 99.
    # 10.0.0.1: NORMAL (prev RECOVER_DONE) throughout, clock exact.
    # 10.0.0.2: NORMAL in round 1 (08:00:00.4), COMMUNICATION_INT (prev NORMAL)
    # from round 2 (08:01:00.4); clock = capture + 120 s.
    _, rows = parse_table(ts.stat(ts.cap(STATUS), RELS))
    cols = ["#", "Server", "Relationship", "Role", "Mode", "State", "Prev state", "Primary",
            "Secondary", "MCLT (s)", "Safe period", "Pct", "Reports", "Clock offset",
            "Max abs offset", "Partner clock diff", "Scopes", "States seen (UTC)"]
    expect_eq([[r[c] for c in cols] for r in rows], [
        ["1", "10.0.0.1", "dhcp1-dhcp2", "primary", "LoadBalance", "NORMAL", "RECOVER_DONE",
         "10.0.0.1", "10.0.0.2", "3600", "infinite", "50", "20", "+0", "0", "-120",
         "2: 192.168.10.0, 192.168.20.0", "NORMAL 08:00:00"],
        ["2", "10.0.0.2", "dhcp1-dhcp2", "secondary", "LoadBalance", "COMMUNICATION_INT", "NORMAL",
         "10.0.0.1", "10.0.0.2", "3600", "infinite", "50", "20", "+120", "120", "+120",
         "2: 192.168.10.0, 192.168.20.0", "NORMAL 08:00:00 > COMMUNICATION_INT 08:01:00"],
    ], "relationship rows")
    # Tree: each 10.0.0.2 scope is named 4 times a round (92 and 93 list both
    # scopes, and so does each of the two 96 answers): 4 NORMAL + 16
    # COMMUNICATION_INT; 10.0.0.1's are NORMAL 20 times.
    nodes, order = parse_tree(ts.stat(ts.cap(STATUS), TREE))
    for scope in ("192.168.10.0", "192.168.20.0"):
        b = (RELS_NODE, "10.0.0.2", scope, LINK_B)
        expect_eq(nodes[b]["count"], "20", scope + " link 10.0.0.2")
        expect_eq(children(nodes, order, b), ["COMMUNICATION_INT", "NORMAL"], "states")
        expect_eq(nodes[b + ("COMMUNICATION_INT",)]["count"], "16", "COMMUNICATION_INT reports")
        expect_eq(nodes[b + ("NORMAL",)]["count"], "4", "NORMAL reports")
        a = (RELS_NODE, "10.0.0.1", scope, LINK_A)
        expect_eq(nodes[a]["count"], "20", scope + " link 10.0.0.1")
        expect_eq(children(nodes, order, a), ["NORMAL"], "10.0.0.1 states")
        expect_eq(nodes[(BY, "10.0.0.2", scope)]["count"], "5", "polls")
        expect_eq([c for c in children(nodes, order, (RELS_NODE, "10.0.0.2", scope))
                   if c.startswith("Relationship")], [LINK_B], "one link per scope")
        # a part of its parent: the Percent column says so
        expect(not any(c.startswith("Relationship") for c in
                       children(nodes, order, (BY, "10.0.0.2", scope))), "link not under By server")
    # ... and the dissector's expert infos on the same capture (docs/captures.md):
    # clock_skew_capture on the 5 answers of 10.0.0.2, clock_skew_partner on the
    # 9 answers after the first, state_not_normal 4 per round from round 2.
    for field, frames in (("dhcpsrv2.expert.clock_skew_capture", [37, 81, 125, 169, 213]),
                          ("dhcpsrv2.expert.clock_skew_partner",
                           [37, 59, 81, 103, 125, 147, 169, 191, 213]),
                          ("dhcpsrv2.expert.state_not_normal",
                           [f for base in (73, 117, 161, 205) for f in range(base, base + 7, 2)])):
        out = ts.run(["-n", "-r", ts.cap(STATUS), "-Y", field, "-T", "fields", "-e", "frame.number"])
        expect_eq([int(x) for x in out.split()], frames, field)


def t_rel_filter_one_server(ts):
    check_model(ts, STATUS, server_filter="10.0.0.2")
    _, rows = parse_table(ts.stat(ts.cap(STATUS), RELS + ",ip.src==10.0.0.2"))
    expect_eq([(r["Server"], r["Clock offset"], r["Partner clock diff"]) for r in rows],
              [("10.0.0.2", "+120", "-")], "the partner's clock is filtered out")


def t_model_methods_ndr(ts):
    # frame 19 (93): branch-07's pScopes is NULL (docs/captures.md)
    check_model(ts, METHODS, null_scopes=("branch-07",))


def t_literals_methods_ndr(ts):
    # docs/captures.md, failover-methods-ndr: 92 "dhcp1-dhcp2" (frame 15), 93
    # with 3 relationships (frame 19), 96 192.168.20.0 -> "dhcp1-dhcp2" (frame
    # 27); the failed 92/93/96 calls carry none.  99 (frame 41): offset 0.
    _, rows = parse_table(ts.stat(ts.cap(METHODS), RELS))
    expect_eq([r["Relationship"] for r in rows],
              ["branch-07", "dhcp1-dhcp2", "dhcp1-dhcp3-hotstandby"], "row order (strcmp)")
    r = rel_row(rows, "10.0.0.1", "dhcp1-dhcp2")
    expect_eq([r[k] for k in ("Reports", "State", "Prev state", "Scopes", "Clock offset",
                              "Partner clock diff")],
              ["3", "NORMAL", "COMMUNICATION_INT", "3: 192.168.10.0, 192.168.20.0, 10.20.30.0",
               "+0", "-"], "dhcp1-dhcp2")
    r = rel_row(rows, "10.0.0.1", "dhcp1-dhcp3-hotstandby")
    expect_eq([r[k] for k in ("Mode", "MCLT (s)", "Safe period", "Pct", "Secondary", "Scopes")],
              ["HotStandby", "1800", "7200", "95", "10.0.0.3", "2: 172.16.5.0, 172.16.6.0"],
              "hot standby")
    r = rel_row(rows, "10.0.0.1", "branch-07")
    expect_eq([r[k] for k in ("Role", "State", "Primary", "Secondary", "Pct", "Scopes",
                              "States seen (UTC)")],
              ["secondary", "PARTNER_DOWN", "10.0.7.1", "10.0.0.1", "30", "0",
               "PARTNER_DOWN 08:00:00"], "branch-07")
    # no GetScopeStatistics in this capture: no scope node, hence no link
    nodes, _ = parse_tree(ts.stat(ts.cap(METHODS), TREE))
    expect_eq([p for p in nodes if p[0] == BY], [(BY,)], "By server is empty")


def t_methods_ndr64_same(ts):
    a = ts.stat(ts.cap(METHODS), RELS)
    b = ts.stat(ts.cap("failover-methods-ndr64"), RELS)
    expect(a == b, "NDR64 capture gives a different table:\n%s\n%s" % (a, b))


def t_odd_values(ts):
    # failover-odd frame 17: GetRelationship "bad-values" with mode 7, state 42,
    # percentage 150; frame 35 (truncated 93) contributes nothing.
    _, rows = parse_table(ts.stat(ts.cap("failover-odd"), RELS))
    r = rel_row(rows, "10.0.0.1", "bad-values")
    expect_eq([r[k] for k in ("Mode", "State", "Pct", "Reports", "States seen (UTC)")],
              ["unknown (7)", "unknown (42)", "150", "1", "unknown (42) 08:00:00"], "bad values")


def t_clock_only_rows(ts):
    # only the GetSystemTime answers: one "-" row per server with its clock
    _, rows = parse_table(ts.stat(ts.cap(STATUS), RELS + ",dhcpsrv2.opnum==99"))
    expect_eq([(r["Server"], r["Relationship"], r["Reports"], r["Clock offset"],
                r["Max abs offset"], r["Partner clock diff"], r["States seen (UTC)"])
               for r in rows],
              [("10.0.0.1", "-", "0", "+0", "0", "-", "-"),
               ("10.0.0.2", "-", "0", "+120", "120", "-", "-")], "clock-only rows")


def rewrite_ports(src, dst, delta):
    """Copies a pcapng (Ethernet/IPv4/TCP), moving client ports 50000-50099 by
    delta (the TCP checksum is left alone: tshark does not check it)."""
    data = open(src, "rb").read()
    out = bytearray()
    pos = 0
    while pos < len(data):
        btype, blen = struct.unpack_from("<II", data, pos)
        block = bytearray(data[pos:pos + blen])
        pkt = 28
        if btype == 6 and block[pkt + 12:pkt + 14] == b"\x08\x00" and block[pkt + 23] == 6:
            tcp = pkt + 14 + (block[pkt + 14] & 0x0F) * 4
            for off in (0, 2):
                port = struct.unpack_from(">H", block, tcp + off)[0]
                if 50000 <= port < 50100:
                    struct.pack_into(">H", block, tcp + off, port + delta)
        out += block
        pos += blen
    open(dst, "wb").write(bytes(out))


def shifted_copy(ts, name, seconds, port_delta):
    work = os.path.join(ts.tmp, "captures")
    ports = os.path.join(work, "%s-p%d.pcapng" % (name, port_delta))
    out = os.path.join(work, "%s-p%d-t%d.pcapng" % (name, port_delta, seconds))
    rewrite_ports(ts.cap(name) if os.path.sep not in name else name, ports, port_delta)
    subprocess.run(["editcap", "-t", str(seconds), ports, out], check=True,
                   stdout=subprocess.DEVNULL)
    return out


def t_history_bounded(ts):
    # failover-relationship-status five times, 0, 5, 10, 15 min and one day
    # later (other client ports each time): 10.0.0.2 goes NORMAL ->
    # COMMUNICATION_INT in each copy, 10 states seen; only the first 2 and the
    # last 4 are printed.  The pcapng clock moves, the servers' clocks do not:
    # offsets are -shift (10.0.0.1) and 120 - shift (10.0.0.2).
    work = os.path.join(ts.tmp, "captures")
    merged = os.path.join(work, "status-x5.pcapng")
    copies = [shifted_copy(ts, STATUS, sec, 100 * k)
              for k, sec in enumerate((0, 300, 600, 900, 86400))]
    subprocess.run(["mergecap", "-w", merged] + copies, check=True)
    os.chmod(merged, 0o644)
    _, rows = parse_table(ts.stat(merged, RELS))
    b = rel_row(rows, "10.0.0.2", "dhcp1-dhcp2")
    expect_eq(b["States seen (UTC)"],
              "NORMAL 08:00:00 > COMMUNICATION_INT 08:01:00 > (+4 more) > NORMAL 08:15:00 > "
              "COMMUNICATION_INT 08:16:00 > NORMAL 2026-11-03 08:00:00 > "
              "COMMUNICATION_INT 2026-11-03 08:01:00", "bounded history")
    expect_eq([b[k] for k in ("Reports", "Clock offset", "Max abs offset", "Partner clock diff")],
              ["100", "-86280", "86280", "+120"], "10.0.0.2 counters")
    a = rel_row(rows, "10.0.0.1", "dhcp1-dhcp2")
    expect_eq([a[k] for k in ("Reports", "Clock offset", "Max abs offset", "Partner clock diff",
                              "States seen (UTC)")],
              ["100", "-86400", "86400", "-120", "NORMAL 08:00:00"], "10.0.0.1 counters")
    # the tree's link node carries the last state
    nodes, order = parse_tree(ts.stat(merged, TREE))
    for scope in ("192.168.10.0", "192.168.20.0"):
        p = (RELS_NODE, "10.0.0.2", scope)
        expect_eq([c for c in children(nodes, order, p) if c.startswith("Relationship")],
                  [LINK_B], scope)
        expect_eq([nodes[p + (LINK_B, c)]["count"] for c in ("COMMUNICATION_INT", "NORMAL")],
                  ["80", "20"], scope + " states")


def t_clock_row_becomes_relationship(ts):
    # 10.0.0.1's GetSystemTime exchange of round 1 alone (frames 1-5, 14-15,
    # 20-22, client port 40000), one second before the capture: 10.0.0.1 first
    # gets a clock-only row, which becomes its "dhcp1-dhcp2" row.  Only its
    # Max abs offset differs from the capture's own table (+1 s then).
    work = os.path.join(ts.tmp, "captures")
    part = os.path.join(work, "status-time-only.pcapng")
    merged = os.path.join(work, "status-clock-first.pcapng")
    subprocess.run(["editcap", "-r", ts.cap(STATUS), part, "1-5", "14-15", "20-22"], check=True,
                   stdout=subprocess.DEVNULL)
    early = shifted_copy(ts, part, -1, -10000)
    subprocess.run(["mergecap", "-w", merged, early, ts.cap(STATUS)], check=True)
    os.chmod(merged, 0o644)
    _, got = parse_table(ts.stat(merged, RELS))
    _, ref = parse_table(ts.stat(ts.cap(STATUS), RELS))
    ref[0]["Max abs offset"] = "1"
    expect_eq(got, ref, "table")


# --------------------------------------------------------------------------
# Monitoring-rate polling (fast-poll-*) and the model's experts

FAST_SCOPES = ["10.10.%d.0" % k for k in range(6)]
FAST_MISMATCH = "10.10.4.0"


def old_rule_disagreements(scope):
    """What the previous rule ("the partner's latest response within 30 s")
    would report: shows that the capture exercises the false alarms."""
    latest, dis = {}, 0
    for t, _, server, c, _ in sorted(scope.polls, key=lambda p: (p[0], p[1])):
        other = [v for k, v in latest.items() if k != server]
        if other and abs(t - other[0][0]) <= WINDOW_NS:
            o = other[0][1]
            if (c["this_addr_free"], c["partner_addr_free"], c["this_addr_in_use"],
                    c["partner_addr_in_use"]) != (o["partner_addr_free"], o["this_addr_free"],
                                                  o["partner_addr_in_use"], o["this_addr_in_use"]):
                dis += 1
        latest[server] = (t, c)
    return dis


def expert_frames(ts, name, abbrev, two_pass=False):
    # two_pass: the second pass shows what the first pass kept for the frame
    # (failover-experts.c: fx_remember / fx_recall)
    out = ts.run((["-2"] if two_pass else []) +
                 ["-n", "-r", ts.cap(name), "-Y", abbrev, "-T", "fields", "-e", "frame.number"])
    return [int(x) for x in out.split()]


def t_fast_poll(ts, name):
    nodes, rows = check_model(ts, name)
    entries, scopes, _ = model(ts, name)
    for scope in FAST_SCOPES:
        sc = scopes[scope]
        pair = (PA, scope, "10.0.0.1 vs 10.0.0.2")
        want_dis = "15" if scope == FAST_MISMATCH else "0"
        for what, got, want in (
                ("compared", nodes[pair]["count"], "15"),
                ("disagree", nodes[pair + ("Disagree",)]["count"], want_dis),
                ("persistent", nodes[pair + ("Disagree", PERSISTENT)]["count"], want_dis)):
            expect_eq(got, want, "%s %s tree %s" % (name, scope, what))
        for srv in ("10.0.0.1", "10.0.0.2"):
            r = row_of(rows, srv, scope)
            expect_eq([r["Compared"], r["Agree"], r["Disagree"], r["Persistent"]],
                      ["15", "0", "15", "15"] if scope == FAST_MISMATCH else ["15", "15", "0", "0"],
                      "%s %s/%s table" % (name, srv, scope))
        if scope != FAST_MISMATCH:
            expect(old_rule_disagreements(sc) > 0,
                   "%s %s: the old rule finds no false alarm here" % (name, scope))
    # the expert: on 10.0.0.2's answer for the mismatching scope from round 2 on
    want = sorted(scopes[FAST_MISMATCH].persistent_frames)
    expect_eq(len(want), 14, "persistent comparisons after the first")
    for two_pass in (False, True):
        expect_eq(expert_frames(ts, name, "dhcpsrv2.expert.partner_persistent_disagreement",
                                two_pass), want,
                  name + " persistent-disagreement expert frames" + (" (-2)" if two_pass else ""))


def t_fast_poll_ndr(ts):
    t_fast_poll(ts, "fast-poll-ndr")


def t_fast_poll_ndr64(ts):
    t_fast_poll(ts, "fast-poll-ndr64")
    a = parse_table(ts.stat(ts.cap("fast-poll-ndr"), TABLE))[1]
    b = parse_table(ts.stat(ts.cap("fast-poll-ndr64"), TABLE))[1]
    keys = ("Server", "Scope", "Compared", "Agree", "Disagree", "Persistent", "addrFree")
    expect_eq([[r[k] for k in keys] for r in b], [[r[k] for k in keys] for r in a],
              "NDR64 table = NDR table")


def least_squares(points):
    n = len(points)
    mt = sum(t for t, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((t - mt) ** 2 for t, _ in points)
    sxy = sum((t - mt) * (y - my) for t, y in points)
    syy = sum((y - my) ** 2 for _, y in points)
    return sxy / sxx, (sxy * sxy / (sxx * syy) if syy else 1.0)


def demo_polls(ts):
    out = ts.run(["-n", "-r", ts.cap("demo"), "-Y", "dhcpsrv2.failover_stats.addr_free", "-T",
                  "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "ip.src",
                  "-e", "dhcpsrv2.scope_id", "-e", "dhcpsrv2.failover_stats.this_addr_free",
                  "-e", "dhcpsrv2.failover_stats.addr_free"])
    return [l.split("\t") for l in out.splitlines()]


def t_demo_exhaustion(ts):
    # Least squares over the last 12 polls, steady when R^2 >= 0.8, warn when
    # the projection (last / -slope) first drops below 60 min: computed here
    # from -T fields, then compared with the plugin's experts.
    hist, below, want = {}, set(), {"thisAddrFree": [], "addrFree": []}
    for frame, epoch, src, scope, this_free, addr_free in demo_polls(ts):
        t = time_ns(epoch) / 1e9
        for name, v in (("thisAddrFree", int(this_free)), ("addrFree", int(addr_free))):
            k = (src, scope, name)
            h = hist.setdefault(k, [])
            h.append((t, v))
            del h[:-12]
            now = False
            if len(h) == 12:
                slope, r2 = least_squares(h)
                now = slope < 0 and r2 >= 0.8 and (v == 0 or v / -slope < 3600)
            if now and k not in below:
                want[name].append(int(frame))
            (below.add if now else below.discard)(k)
    for two_pass in (False, True):
        expect_eq(expert_frames(ts, "demo", "dhcpsrv2.expert.exhaustion_projected", two_pass),
                  want["thisAddrFree"], "exhaustion_projected frames" + " (-2)" * two_pass)
        expect_eq(expert_frames(ts, "demo", "dhcpsrv2.expert.scope_exhaustion_projected",
                                two_pass),
                  want["addrFree"], "scope_exhaustion_projected frames" + " (-2)" * two_pass)
    # the draining scope's first warning, by hand (docs/statistics.md): frames
    # 9, 41, .., 361 (one a minute) carry thisAddrFree 60 59 58 57 56 55 54 53
    # 51 50 49 48: slope -159/143 per minute = -66.71/h; 48 / 1.1119 = 43.2 min
    expect_eq(want["thisAddrFree"][0], 361, "first warning frame")
    _, rows = parse_table(ts.stat(ts.cap("demo"), TABLE + ",frame.number<=361"))
    r = row_of(rows, "10.0.0.1", "192.168.20.0")
    expect_eq([r["thisAddrFree"], r["thisAddrFree trend/h"], r["thisAddrFree to 0"]],
              ["48", "-66.71", "43 min"], "table at frame 361")
    nodes, _ = parse_tree(ts.stat(ts.cap("demo"), TREE + ",frame.number<=361"))
    expect((HEALTH, "10.0.0.1", "192.168.20.0",
            "thisAddrFree trend: -66.71/h over the last 12 polls, to 0: 43 min") in nodes,
           "tree health node at frame 361")
    out = ts.run(["-n", "-r", ts.cap("demo"), "-Y", "frame.number==361", "-T", "fields",
                  "-e", "_ws.expert.message"])
    expect("runs out in 43 min" in out, "expert text: %r" % out)
    # at the end it is exhausted: "now"
    _, rows = parse_table(ts.stat(ts.cap("demo"), TABLE))
    expect_eq(row_of(rows, "10.0.0.1", "192.168.20.0")["thisAddrFree to 0"], "now", "end")


def t_percent_meaningful(ts):
    # no Percent on nodes that are not parts of their parent
    out = ts.stat(ts.cap(STATUS), TREE)
    for line in out.splitlines():
        if line.strip().startswith(("Relationship: ", "thisAddrFree trend", "addrFree trend",
                                    "Only one server", "Partner counters")):
            cols = line.split()
            expect(not any(c.endswith("%") and float(c[:-1]) > 100 for c in cols if
                           c[:-1].replace(".", "").isdigit()), "percent over 100: " + line)
    nodes, _ = parse_tree(out)
    expect(all(not v["avg"] or "." in v["avg"] for v in nodes.values()), "averages")


TESTS = [
    ("plugin loaded", t_plugin_loaded, None),
    ("-z commands registered", t_commands_registered, None),
    ("failover-pair: every value (model)", t_model_failover_pair, "failover-pair"),
    ("failover-pair: hand-checked values", t_literals_failover_pair, "failover-pair"),
    ("partner-mismatch: every value (model)", t_model_partner_mismatch, "partner-mismatch"),
    ("partner-mismatch: hand-checked values", t_literals_partner_mismatch, "partner-mismatch"),
    ("error-responses: every value (model)", t_model_error_responses, "error-responses"),
    ("error-responses: error pivots", t_literals_error_responses, "error-responses"),
    ("inconsistent-counters: every value (model)", t_model_inconsistent, "inconsistent-counters"),
    ("inconsistent-counters: hand-checked values", t_literals_inconsistent, "inconsistent-counters"),
    ("demo: every value (model)", t_model_demo, "demo"),
    ("demo: hand-checked values", t_literals_demo, "demo"),
    ("demo: ,ip.src==10.0.0.2 limits to that server", t_filter_one_server, "demo"),
    ("pairing rule printed in both outputs", t_rule_printed, "failover-pair"),
    ("deterministic output (and -2)", t_deterministic, "demo"),
    ("two tree instances keep separate state", t_two_instances, "demo"),
    ("three servers for a scope: ambiguous", t_ambiguous_three_servers, "failover-pair"),
    ("malformed: every value (model)", t_model_malformed, "malformed"),
    ("relationship-status: every value (model)", t_model_relationship_status, STATUS),
    ("relationship-status: acceptance (table, tree link, experts)",
     t_acceptance_relationship_status, STATUS),
    ("relationship-status: ,ip.src==10.0.0.2", t_rel_filter_one_server, STATUS),
    ("methods-ndr: every value (model)", t_model_methods_ndr, METHODS),
    ("methods-ndr: hand-checked values", t_literals_methods_ndr, METHODS),
    ("methods-ndr64: same table as NDR", t_methods_ndr64_same, "failover-methods-ndr64"),
    ("failover-odd: unknown enum values", t_odd_values, "failover-odd"),
    ("GetSystemTime only: clock rows", t_clock_only_rows, STATUS),
    ("states seen: bounded, dated", t_history_bounded, STATUS),
    ("clock row becomes a relationship row", t_clock_row_becomes_relationship, STATUS),
    ("fast-poll-ndr: 0 false alarms, persistent mismatch", t_fast_poll_ndr, "fast-poll-ndr"),
    ("fast-poll-ndr64: the same", t_fast_poll_ndr64, "fast-poll-ndr64"),
    ("demo: time to exhaustion and its expert", t_demo_exhaustion, "demo"),
    ("tree: Percent only for parts", t_percent_meaningful, STATUS),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--captures-dir", required=True)
    args = ap.parse_args()

    ts = Tshark(os.path.abspath(args.build_dir), os.path.abspath(args.captures_dir))
    passed = failed = 0
    try:
        try:
            t_plugin_loaded(ts)
        except Exception as e:
            print("FAIL plugin loaded: %s" % e)
            print("0 passed, 1 failed")
            return 1
        for name, fn, capture in TESTS:
            if capture and not os.path.exists(ts.cap(capture)):
                if capture in OPTIONAL_CAPTURES:
                    print("skip %s (no %s.pcapng)" % (name, capture))
                    continue
                print("FAIL %s: capture %s.pcapng missing" % (name, capture))
                failed += 1
                continue
            try:
                fn(ts)
                print("ok   %s" % name)
                passed += 1
            except AssertionError as e:
                print("FAIL %s: %s" % (name, e))
                failed += 1
            except Exception:
                print("FAIL %s: %s" % (name, traceback.format_exc()))
                failed += 1
    finally:
        ts.cleanup()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
