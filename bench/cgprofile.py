#!/usr/bin/env python3
"""Where the marginal instructions of one call go, function by function.

    cgprofile.py [--top N] [--match REGEX] NA A.out NB B.out [NA A0.out NB B0.out]

A.out / B.out: callgrind files of the same command on captures of NA and NB
calls (bench/peer.sh keeps them in $WORK_DIR/callgrind/).  Each function's
self and inclusive Ir are taken per call between the two runs,
(B - A) / (NB - NA); with a second pair (the same command with the decoder
disabled), that pair's per-call figures are subtracted: what one call costs
because the decoder is on, per function.  Prints the functions ordered by
that self cost, with their object (plugin, libwireshark, glib, libc) and
share of the total, then the inclusive cost of every function matching
--match (default: the plugin's dissector entry points and the tshark/epan
functions that print, fake or free tree items).

Self = the cost lines of the function; inclusive = self + the cost of the
calls it makes, summed over all contexts (a recursive function counts its
recursion twice: proto_tree_free_node, print_tree_node...).
"""
import argparse
import os
import re
import sys

NAME_RE = re.compile(r"^\((\d+)\)(?:\s+(.*))?$")


def parse(path):
    """{function: [self, inclusive, calls, object]} and the total."""
    names = {"fn": {}, "ob": {}}
    funcs = {}
    ob = fn = cob = callee = callee_ob = None
    pcount = 0
    cur = None
    pending = None          # callee of the calls= line just read
    total = None
    with open(path, errors="replace") as f:
        for line in f:
            c = line[:1]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if pending is not None:
                    cur[1] += cost
                    pending[2] += pcount
                    pending = None
                else:
                    cur[0] += cost
                    cur[1] += cost
                continue
            if line.startswith(("summary:", "totals:")):
                total = int(line.split()[1])
                continue
            key, _, val = line.rstrip("\n").partition("=")
            if key in ("ob", "cob", "fn", "cfn"):
                table = names["ob" if key in ("ob", "cob") else "fn"]
                m = NAME_RE.match(val)
                name = val
                if m:
                    if m.group(2) is not None:
                        table[m.group(1)] = m.group(2)
                        name = m.group(2)
                    else:
                        name = table.get(m.group(1), val)
                if key == "ob":
                    ob = name
                elif key == "cob":
                    cob = name
                elif key == "fn":
                    fn = name
                    cur = funcs.setdefault(fn, [0, 0, 0, os.path.basename(ob or "?")])
                else:
                    callee = name
                    callee_ob = cob or ob     # cob= names the callee's object, if not ob
                    cob = None
            elif key == "calls":
                pcount = int(val.split()[0])
                pending = funcs.setdefault(callee, [0, 0, 0, os.path.basename(callee_ob or "?")])
    return funcs, total


def per_call(na, a, nb, b):
    fa, ta = parse(a)
    fb, tb = parse(b)
    d = nb - na
    out = {}
    for name in set(fa) | set(fb):
        x = fa.get(name, [0, 0, 0, None])
        y = fb.get(name, [0, 0, 0, None])
        out[name] = [(y[0] - x[0]) / d, (y[1] - x[1]) / d, (y[2] - x[2]) / d, y[3] or x[3]]
    return out, (tb - ta) / d


DEFAULT_MATCH = (r"^(dhcpsrv2_dissect|dhcpsrv2_|ndr_|srvsvc_dissect|dissect_ndr_|"
                 r"proto_tree_add_item$|proto_tree_add_subtree|proto_item_append_text|"
                 r"proto_tree_free_node|free_GPtrArray_value|proto_tree_add_node|"
                 r"col_append|col_add|col_set|col_fill_in|write_fields|proto_tree_children_foreach|"
                 r"print_tree_node|proto_item_fill_label|tap_queue_packet|tap_push_tapped_queue|"
                 r"fo_|dcerpc_try_handoff|dcerpc_call_add_map|init_ndr_pointer_list|"
                 r"free_ndr_pointer_list|proto_custom_set|proto_item_fill_display_label|"
                 r"wmem_|g_hash_table_|g_str_hash|vsnprintf|__vfprintf|g_vsnprintf|"
                 r"tvb_get_|format_text|val_to_str|ws_label_strcpy)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--match", default=DEFAULT_MATCH)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if len(a.files) not in (4, 8):
        sys.exit(__doc__)
    f = a.files
    en, ten = per_call(int(f[0]), f[1], int(f[2]), f[3])
    if len(f) == 8:
        dis, tdis = per_call(int(f[4]), f[5], int(f[6]), f[7])
    else:
        dis, tdis = {}, 0
    delta = {}
    for name in set(en) | set(dis):
        x = en.get(name, [0, 0, 0, None])
        y = dis.get(name, [0, 0, 0, None])
        delta[name] = [x[0] - y[0], x[1] - y[1], x[2] - y[2], x[3] or y[3]]
    tot = ten - tdis
    print(f"Ir per call: {ten:.0f} enabled" + (f", {tdis:.0f} disabled, {tot:.0f} marginal"
                                              if len(f) == 8 else ""))
    print()
    print("| function | object | self Ir/call | % | inclusive Ir/call | calls/call |")
    print("|---|---|---:|---:|---:|---:|")
    rows = sorted(delta.items(), key=lambda kv: -abs(kv[1][0]))
    shown = 0
    for name, (s, i, c, ob) in rows:
        if shown >= a.top:
            break
        print(f"| `{name}` | {ob} | {s:.0f} | {100 * s / tot:.1f} | {i:.0f} | {c:.2f} |")
        shown += 1
    rest = tot - sum(v[0] for _, v in rows[:a.top])
    print(f"| (all other functions) | | {rest:.0f} | {100 * rest / tot:.1f} | | |")
    print()
    print("Inclusive, matching --match:")
    print()
    print("| function | object | inclusive Ir/call | self Ir/call | calls/call |")
    print("|---|---|---:|---:|---:|")
    rx = re.compile(a.match)
    for name, (s, i, c, ob) in sorted(delta.items(), key=lambda kv: -kv[1][1]):
        if rx.search(name) and (abs(i) >= 50 or abs(c) >= 0.5):
            print(f"| `{name}` | {ob} | {i:.0f} | {s:.0f} | {c:.2f} |")


# ------------------------------------------------------------------------
# Split of the marginal cost: decoder / DCE/RPC hand-off / tshark's work on
# the decoder's items (used by bench/peer.py).

def callees(path, caller):
    """{callee: [calls, inclusive Ir]} of the calls made by `caller`."""
    names = {}
    fn = callee = None
    out = {}
    pending = None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(("fn=", "cfn=")):
                key, _, val = line.rstrip("\n").partition("=")
                m = NAME_RE.match(val)
                if m and m.group(2) is not None:
                    names[m.group(1)] = m.group(2)
                name = names.get(m.group(1), val) if m else val
                if key == "fn":
                    fn = name
                else:
                    callee = name
            elif line.startswith("calls="):
                pending = (callee, int(line[6:].split()[0])) if fn == caller else None
            elif pending and (line[:1].isdigit() or line[:1] in "+-*"):
                c = out.setdefault(pending[0], [0, 0])
                c[0] += pending[1]
                c[1] += int(line.split()[1])
                pending = None
    return out


def caller_of(path, prefix):
    """The function that calls functions named prefix* (the DCE/RPC hand-off,
    dcerpc_try_handoff, is static in a stripped libwireshark)."""
    names = {}
    fn = None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(("fn=", "cfn=")):
                key, _, val = line.rstrip("\n").partition("=")
                m = NAME_RE.match(val)
                if m and m.group(2) is not None:
                    names[m.group(1)] = m.group(2)
                name = names.get(m.group(1), val) if m else val
                if key == "fn":
                    fn = name
                elif name.startswith(prefix) and fn and not fn.startswith(prefix):
                    return fn
    return None


def split(na, a, nb, b, handoff, decoder_names=None):
    """Per call between the two enabled runs: the hand-off's inclusive cost
    and the part of it spent in the interface's sub-dissectors.  These are
    the hand-off's callees called once per call (request, response), not
    library calls; for a stripped decoder (pidl's, static in libwireshark)
    the unnamed callees called once per call."""
    ca, cb = callees(a, handoff), callees(b, handoff)
    d = nb - na
    per = {k: ((v[0] - ca.get(k, [0, 0])[0]) / d, (v[1] - ca.get(k, [0, 0])[1]) / d)
           for k, v in cb.items()}
    fa, _ = parse(a)
    fb, _ = parse(b)
    handoff_ir = (fb.get(handoff, [0, 0, 0])[1] - fa.get(handoff, [0, 0, 0])[1]) / d
    subs = [k for k, (c, _) in per.items()
            if (decoder_names and k.startswith(decoder_names))
            or (not decoder_names and abs(c - 1.0) < 0.01 and k.startswith("0x"))]
    return handoff_ir, sum(per[k][1] for k in subs), sorted(subs)


if __name__ == "__main__":
    main()
