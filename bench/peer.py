#!/usr/bin/env python3
"""Peer benchmark driver (called by bench/peer.sh): the plugin's opnum 97
against Wireshark's own pidl-generated srvsvc decoder on NetrRemoteTOD,
the same shape of call ([in, unique, string] server name; [out] unique
pointer to a structure of DWORDs; status), marshalled by the same NDR engine
(impacket) and framed the same way (bench/peer-captures.py).

For each decoder, name variant (same name on every call / a different one)
and output mode, tshark runs under callgrind at two sizes, with the decoder
enabled and with `--disable-protocol` (its stub then shows as bytes):

    marginal Ir per call = (enabled(nb) - enabled(na) - disabled(nb) + disabled(na))
                           / (nb - na)

i.e. what one more call costs because the decoder is on: the decoder itself,
DCE/RPC's hand-off to an enabled interface, and tshark printing and freeing
the decoder's items.  Per decoded field = that / tree items per call (the
items under the decoder's protocol item in request + response, counted from
`-T pdml`).  "fields over baseline" = enabled / disabled Ir per call in
`-T fields`.

tshark runs exactly like tests/tshark_env.py (as `nobody`, private HOME,
WIRESHARK_PLUGIN_DIR at a private copy of the freshly built plugin; stops
unless `tshark -G plugins` lists that copy).  The same plugin directory also
holds bench/cgstart/ (dhcpsrv2cgstart.so), which switches callgrind's
instrumentation on once every dissector is registered (see cgstart.c); the
constant start-up before it is not counted and cancels in the difference
anyway.  --full-instr counts it (slower, same marginal figures).

The disabled side does not depend on the name variant (the stub is shown as
bytes either way), so it runs once per decoder, mode and size, on the
same-name capture.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench      # noqa: E402  (Env: the unprivileged tshark of tests/tshark_env.py)
import cgprofile  # noqa: E402

PLUGIN = "dhcpsrv2.so"
CGSTART = "dhcpsrv2cgstart.so"

SRVSVC_FIELDS = ["srvsvc.srvsvc_NetRemoteTOD.server_unc"] + [
    "srvsvc.srvsvc_NetRemoteTODInfo." + m for m in (
        "elapsed", "msecs", "hours", "mins", "secs", "hunds", "timezone", "tinterval",
        "day", "month", "year", "weekday")] + ["srvsvc.werror"]
DHCPSRV2_FIELDS = ["dhcpsrv2.server_ip_address", "dhcpsrv2.scope_id"] + [
    "dhcpsrv2.failover_stats." + m for m in (
        "num_addr", "addr_free", "addr_in_use", "partner_addr_free", "this_addr_free",
        "partner_addr_in_use", "this_addr_in_use", "utilization")] + ["dhcpsrv2.werror"]

# decoder -> what differs between the two.  The statistics mode: the plugin's
# own statistics (-z dhcpsrv2_failover,tree).  The pidl decoder feeds no tap
# of its own; the only statistics tshark has for srvsvc is DCE/RPC's service
# response time table, whose tap listener filters on srvsvc.opnum: tshark
# dissects every packet with a tree built for that filter only (not visible),
# the pidl decoder runs in it in full and its items are faked, exactly the
# situation of the plugin in its statistics run.  The plugin is also run
# with that same -z dcerpc,srt (mode "srt"), the like-for-like pair.
DECODERS = {
    "plugin": {"interface": "dhcpsrv2", "proto": "dhcpsrv2", "fields": DHCPSRV2_FIELDS,
               "stats": ["-q", "-z", "dhcpsrv2_failover,tree"],
               "srt": ["-q", "-z", "dcerpc,srt,5b821720-f63b-11d0-aad2-00c04fc324db,1.0"],
               "fields2": ["dhcpsrv2.scope_id", "dhcpsrv2.failover_stats.addr_free"],
               "label": "plugin, opnum 97"},
    "peer": {"interface": "srvsvc", "proto": "srvsvc", "fields": SRVSVC_FIELDS,
             "stats": ["-q", "-z", "dcerpc,srt,4b324fc8-1670-01d3-1278-5a47bf6ee188,3.0"],
             "srt": ["-q", "-z", "dcerpc,srt,4b324fc8-1670-01d3-1278-5a47bf6ee188,3.0"],
             "fields2": ["srvsvc.srvsvc_NetRemoteTOD.server_unc",
                         "srvsvc.srvsvc_NetRemoteTODInfo.elapsed"],
             "label": "pidl srvsvc, opnum 28"},
}
# The peer runs as in a Wireshark without this plugin: with dhcpsrv2 enabled,
# the plugin's sealed-stub postdissector makes every pass build a tree
# (dhcpsrv-sealed.c), which would tax the peer with the plugin's cost.
AS_SHIPPED = {"peer": ["--disable-protocol", "dhcpsrv2"]}
# "fields2": -T fields with two fields only (bench/bench.py's pair for the
# plugin), to set the figures beside BENCHMARKS.md's and the issue's.
MODES = ("fields", "verbose", "default", "stats", "srt", "fields2")
# The issue's figures (marginal Ir per call, same 19-character name).
ISSUE = {"peer": {"fields": 46100, "verbose": 56400, "default": 14700},
         "plugin": {"fields": 42200, "verbose": 59500, "default": 12700}}


def mode_args(dec, mode):
    d = DECODERS[dec]
    if mode in ("fields", "fields2"):
        out = ["-T", "fields"]
        for f in d[mode]:
            out += ["-e", f]
        return out
    if mode == "verbose":
        return ["-V"]
    if mode == "default":
        return []
    return list(d[mode])


def parse_sizes(s):
    return sorted(bench.parse_size(x) for x in s.split(",") if x)


def capture(work, dec, variant, n, log):
    path = os.path.join(work, f"peer-{DECODERS[dec]['interface']}-{variant}-{n}.pcapng")
    if not os.path.exists(path):
        t0 = time.time()
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "peer-captures.py"), "--calls",
                        str(n), "--interface", DECODERS[dec]["interface"], "--names", variant,
                        path], check=True, stdout=subprocess.DEVNULL)
        os.chmod(path, 0o644)
        log(f"peer: {os.path.basename(path)} ({time.time() - t0:.0f} s)")
    return path


def count_items(env, cap, proto, calls):
    """Tree items under the decoder's protocol item, per call (-T pdml)."""
    p = subprocess.run(env.cmd(["-r", cap, "-T", "pdml"]), env=env.env, capture_output=True,
                       text=True, check=True)
    inside, items, pdus = False, 0, 0
    start = f'<proto name="{proto}"'
    for line in p.stdout.splitlines():
        s = line.lstrip()
        if s.startswith(start):
            inside, pdus = True, pdus + 1
        elif inside and s.startswith("</proto>"):
            inside = False
        elif inside and s.startswith("<field"):
            items += 1
    return items / calls, pdus / calls


def callgrind(env, args, out, full, log, reuse=False):
    if reuse and os.path.exists(out) and os.path.getsize(out) > 0:
        total = read_total(out)
        log(f"    {os.path.basename(out)}: {total:,} Ir (kept from an earlier run)")
        return total
    wrapper = ["nice", "-n", "10", "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    if not full:
        wrapper.append("--instr-atstart=no")
    t0 = time.time()
    with open(out + ".stdout", "wb") as so:
        p = subprocess.run(env.cmd(args, wrapper), env=env.env, stdout=so, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"peer: callgrind run failed ({' '.join(args)}):\n{p.stderr.decode()[-2000:]}")
    os.unlink(out + ".stdout")
    total = read_total(out)
    log(f"    {os.path.basename(out)}: {total:,} Ir ({time.time() - t0:.0f} s)")
    return total


def read_total(path):
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    sys.exit(f"peer: no total in {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", required=True, help="build directory (plugin and cgstart helper)")
    ap.add_argument("--work", required=True, help="scratch directory (captures, callgrind files)")
    ap.add_argument("--sizes", default="500,3500", help="the two capture sizes (calls)")
    ap.add_argument("--modes", default="fields,verbose,default,stats,srt",
                    help="any of " + ",".join(MODES))
    ap.add_argument("--variants", default="same,vary", help="server names: same, vary")
    ap.add_argument("--decoders", default="plugin,peer")
    ap.add_argument("--plugin-args", default="",
                    help="extra tshark arguments for both sides of the plugin's runs, e.g. "
                         "'-o dhcpsrv2.detect_sealed:FALSE' (split on spaces)")
    ap.add_argument("--full-instr", action="store_true",
                    help="instrument tshark's start-up too (slower; same marginal figures)")
    ap.add_argument("--reuse", action="store_true",
                    help="use the callgrind files already in WORK/callgrind instead of rerunning "
                         "(to rebuild the tables, or finish an interrupted run)")
    ap.add_argument("--decoder-functions", default="dhcpsrv2_dissect_",
                    help="comma-separated name prefixes of the plugin's sub-dissectors, for the "
                         "split (the table-driven engine's are dissect_request,dissect_response)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--tshark", default="tshark")
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    os.chmod(a.work, 0o755)
    out_dir = os.path.join(a.work, "callgrind")
    os.makedirs(out_dir, exist_ok=True)
    os.chmod(out_dir, 0o777)        # valgrind runs as nobody and writes here
    logf = open(os.path.join(a.work, "peer.log"), "w")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    try:        # the Wireshark major.minor of the build (CMake writes it)
        with open(os.path.join(a.build, "wireshark-abi")) as f:
            abi = f.read().strip()
    except OSError:
        sys.exit(f"peer: {a.build}/wireshark-abi missing: build first")
    built = os.path.join(a.build, "stage", abi, "epan", PLUGIN)
    helper = os.path.join(a.build, "bench-cgstart", abi, "epan", CGSTART)
    for f in (built, helper):
        if not os.path.exists(f):
            sys.exit(f"peer: {f} missing (bench/peer.sh builds it)")
    env = bench.Env(a.work, built, a.tshark)
    epan = os.path.join(env.stage, abi, "epan")
    shutil.copy(helper, os.path.join(epan, CGSTART))
    os.chmod(os.path.join(epan, CGSTART), 0o644)
    log(f"peer: {env.assert_plugin_loaded()}")
    log(f"peer: {subprocess.run([env.tshark, '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
    na, nb = parse_sizes(a.sizes)
    modes = [m for m in a.modes.split(",") if m]
    variants = [v for v in a.variants.split(",") if v]
    decoders = [d for d in a.decoders.split(",") if d]
    res = {"sizes": [na, nb], "machine": bench.machine(), "full_instr": a.full_instr,
           "items": {}, "ir": {}, "totals": {}}
    t_start = time.time()

    for dec in decoders:
        for variant in variants:
            items, pdus = count_items(env, capture(a.work, dec, variant, na, log),
                                      DECODERS[dec]["proto"], na)
            res["items"][f"{dec}/{variant}"] = items
            log(f"peer: {dec} {variant}: {items:.2f} tree items per call ({pdus:.2f} PDUs)")

    proto_of = {d: DECODERS[d]["proto"] for d in DECODERS}
    for dec in decoders:
        done = {}           # the same arguments run once (the peer's stats and srt)
        for mode in modes:
            args = mode_args(dec, mode)
            if tuple(args) in done:
                for variant in variants:
                    res["ir"][f"{dec}/{variant}/{mode}"] = res["ir"][f"{dec}/{variant}/{done[tuple(args)]}"]
                log(f"  {dec:6s} {mode}: same arguments as {done[tuple(args)]}")
                continue
            done[tuple(args)] = mode
            tot = {}
            for n in (na, nb):
                for side, variant in [("disabled", variants[0])] + [("enabled", v) for v in variants]:
                    cap = capture(a.work, dec, variant, n, log)
                    key = f"{dec}-{mode}-{side}-{variant}-{n}" if side == "enabled" else \
                        f"{dec}-{mode}-{side}-{n}"
                    out = os.path.join(out_dir, f"callgrind.{key}.out")
                    extra = ["--disable-protocol", proto_of[dec]] if side == "disabled" else []
                    extra += AS_SHIPPED.get(dec, [])
                    if dec == "plugin":
                        extra += a.plugin_args.split()
                    tot[key] = callgrind(env, ["-r", cap] + args + extra, out, a.full_instr, log,
                                         a.reuse)
            res["totals"].update(tot)
            dis = (tot[f"{dec}-{mode}-disabled-{nb}"] - tot[f"{dec}-{mode}-disabled-{na}"]) / (nb - na)
            for variant in variants:
                en = (tot[f"{dec}-{mode}-enabled-{variant}-{nb}"]
                      - tot[f"{dec}-{mode}-enabled-{variant}-{na}"]) / (nb - na)
                r = {"enabled_per_call": en, "disabled_per_call": dis,
                     "marginal_per_call": en - dis, "over_baseline": en / dis,
                     "per_item": (en - dis) / res["items"][f"{dec}/{variant}"]}
                res["ir"][f"{dec}/{variant}/{mode}"] = r
                log(f"  {dec:6s} {variant:4s} {mode:8s}: {en - dis:9.0f} Ir/call marginal "
                    f"({en:.0f} enabled, {dis:.0f} disabled, x{en / dis:.3f}), "
                    f"{r['per_item']:.0f} Ir per item")
    add_split(res, out_dir, decoders, variants, modes, na, nb, log,
              tuple(x for x in a.decoder_functions.split(",") if x))
    res["seconds"] = time.time() - t_start
    log(f"peer: {res['seconds'] / 60:.1f} min")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    log("")
    log(table(res, decoders, variants, modes))


def add_split(res, out_dir, decoders, variants, modes, na, nb, log, prefixes):
    """Splits each marginal figure into the decoder's sub-dissectors, the rest
    of DCE/RPC's hand-off (dcerpc_try_handoff when the interface is enabled,
    minus when it is disabled, minus the sub-dissectors) and the rest: tshark
    walking, formatting, printing and freeing the decoder's items, the
    statistics' listeners."""
    def f(key):
        return os.path.join(out_dir, f"callgrind.{key}.out")
    if "plugin" not in decoders:
        return
    first = f(f"plugin-{modes[0]}-enabled-{variants[0]}-{nb}")
    if not os.path.exists(first):
        return
    handoff = cgprofile.caller_of(first, prefixes)
    if not handoff:
        log("peer: DCE/RPC hand-off function not found; no split")
        return
    for dec in decoders:
        names = prefixes if dec == "plugin" else None
        for mode in modes:
            dis_a, dis_b = f(f"{dec}-{mode}-disabled-{na}"), f(f"{dec}-{mode}-disabled-{nb}")
            if not (os.path.exists(dis_a) and os.path.exists(dis_b)):
                continue
            h_dis, _, _ = cgprofile.split(na, dis_a, nb, dis_b, handoff, ("\x00",))
            for v in variants:
                r = res["ir"].get(f"{dec}/{v}/{mode}")
                en_a, en_b = f(f"{dec}-{mode}-enabled-{v}-{na}"), f(f"{dec}-{mode}-enabled-{v}-{nb}")
                if not r or "decoder" in r or not os.path.exists(en_a):
                    continue
                h_en, sub, subs = cgprofile.split(na, en_a, nb, en_b, handoff, names)
                r["decoder"] = sub
                r["handoff"] = h_en - h_dis - sub
                r["rest"] = r["marginal_per_call"] - (h_en - h_dis)
                r["sub_dissectors"] = subs
                log(f"  {dec:6s} {v:4s} {mode:8s}: decoder {sub:.0f}, hand-off {r['handoff']:.0f}, "
                    f"rest {r['rest']:.0f} Ir/call ({', '.join(subs)})")


def table(res, decoders, variants, modes):
    ir, items = res["ir"], res["items"]
    na, nb = res["sizes"]
    lines = [f"Marginal Ir per call (enabled - disabled, {na} -> {nb} calls), per tree item, "
             f"ratio plugin/peer:", "",
             "| mode | names | peer Ir/call | plugin Ir/call | ratio | peer Ir/item | "
             "plugin Ir/item | ratio/item | peer enabled/disabled | plugin enabled/disabled |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for mode in modes:
        for v in variants:
            p, q = ir.get(f"peer/{v}/{mode}"), ir.get(f"plugin/{v}/{mode}")

            def f(x, key, fmt):
                return format(x[key], fmt) if x else "-"
            ratio = f"{q['marginal_per_call'] / p['marginal_per_call']:.2f}" if p and q else "-"
            ratio_i = f"{q['per_item'] / p['per_item']:.2f}" if p and q else "-"
            lines.append(f"| {mode} | {v} | {f(p, 'marginal_per_call', '.0f')} | "
                         f"{f(q, 'marginal_per_call', '.0f')} | {ratio} | {f(p, 'per_item', '.0f')} | "
                         f"{f(q, 'per_item', '.0f')} | {ratio_i} | {f(p, 'over_baseline', '.3f')} | "
                         f"{f(q, 'over_baseline', '.3f')} |")
    if any("decoder" in r for r in ir.values()):
        lines += ["", "Split of the marginal Ir per call: the decoder's sub-dissectors / the rest "
                  "of DCE/RPC's hand-off / tshark's work on the items (and statistics):", "",
                  "| mode | names | peer decoder | plugin decoder | ratio | peer hand-off | "
                  "plugin hand-off | peer rest | plugin rest |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for mode in modes:
            for v in variants:
                p, q = ir.get(f"peer/{v}/{mode}", {}), ir.get(f"plugin/{v}/{mode}", {})

                def g(x, k):
                    return f"{x[k]:.0f}" if k in x else "-"
                ratio = f"{q['decoder'] / p['decoder']:.2f}" if "decoder" in p and "decoder" in q \
                    and p["decoder"] else "-"
                lines.append(f"| {mode} | {v} | {g(p, 'decoder')} | {g(q, 'decoder')} | {ratio} | "
                             f"{g(p, 'handoff')} | {g(q, 'handoff')} | {g(p, 'rest')} | "
                             f"{g(q, 'rest')} |")
    lines += ["", "Tree items per call (under the protocol item, request + response): "
              + ", ".join(f"{k} {v:.2f}" for k, v in items.items())]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
