#!/usr/bin/env python3
"""Benchmark driver for the dhcpsrv2 plugin (called by bench/run.sh).

Measures what the plugin adds to the cost tshark already pays for framing
DCE/RPC, on captures of N opnum-97 calls made by `gen-captures --bench N`:

  * CPU time (user + sys) and peak RSS from /usr/bin/time, plugin run vs the
    same run with `--disable-protocol dhcpsrv2` (the baseline: Ethernet, IP,
    TCP reassembly and DCE/RPC framing/call matching, stub shown as bytes).
  * a third side, the "floor" (skip it with --no-floor): tshark with only the
    control plugin bench/floor/ (dhcpsrv2floor.so), which registers the same
    RPC interface with sub-dissectors that do nothing.  floor - base is what
    Wireshark's DCE/RPC dissector costs when it hands a PDU to any enabled
    interface; plugin - floor is the plugin's own cost.
    Repetitions are interleaved (base, floor, plugin, then floor, plugin, base,
    ...; without the floor base, plugin, plugin, base, ...) so that a load
    change on the shared machine hits every side; medians are reported.
  * instruction counts (valgrind --tool=callgrind): whole-run totals of every
    side, and the inclusive cost of the two sub-dissectors of opnum 97 per
    request / per response.  These are exact and repeatable.

Everything tshark runs as an unprivileged user with a private HOME and
WIRESHARK_CONFIG_DIR and WIRESHARK_PLUGIN_DIR pointing at a private copy of the
built plugin, exactly like tests/tshark_env.py; the driver refuses to go on
unless `tshark -G plugins` lists that copy.  The floor side runs the same way
with WIRESHARK_PLUGIN_DIR pointing at another private directory holding only
dhcpsrv2floor.so; the driver checks that it is loaded and dhcpsrv2.so is not.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cgparse  # noqa: E402

PLUGIN = "dhcpsrv2.so"
FLOOR_PLUGIN = "dhcpsrv2floor.so"
FIELDS = ["-T", "fields", "-e", "dhcpsrv2.scope_id", "-e", "dhcpsrv2.failover_stats.addr_free"]
STATS = ["-q", "-z", "dhcpsrv2_failover,tree", "-z", "dhcpsrv2_failover,scopes"]
DISABLE = ["--disable-protocol", "dhcpsrv2"]
BYTES_PER_CALL = 360            # capture size of one call (measured: 353)
SUBDISSECTORS = ["dhcpsrv2_dissect_GetScopeStatistics_request",
                 "dhcpsrv2_dissect_GetScopeStatistics_response"]
# The packet callbacks of the statistics (plugin/stats/failover-*.c), per
# response; the old names (before the model/view split) are kept so that an
# older tree can be measured with the same driver.
STATS_FUNCTIONS = ["ft_packet", "fs_packet", "fv_hook_packet",
                   "fo_tree_packet", "fo_table_packet", "fo_sync_packet"]

# The floor side (bench/floor/floor.c) cannot name the real plugin's fields
# or statistics: they do not exist without it.  Its arguments do to tshark
# what the baseline's do:
#  * fields: two fields of the floor plugin that are never added to a tree,
#    as the disabled dhcpsrv2's are never added in the baseline: tshark builds
#    the same visible tree, walks it the same way, prints the same empty
#    columns (the DCE/RPC items of the hand-off are the only difference);
#  * stats: in the baseline the two -z listeners sit on a tap that never fires;
#    all they do is make tshark dissect every packet (plain -q dissects
#    nothing) with no tap flags (TL_REQUIRES_NOTHING).  The floor plugin
#    registers a stats_tree with the same flags on a tap of its own that is
#    never queued, -z dhcpsrv2floor,tree: the same dissection, a listener that
#    is never called, an empty table at the end.  (A second listener would
#    change nothing per packet: tap.c walks listeners only for filters and
#    queued packets.)
FLOOR_FIELDS = ["-T", "fields", "-e", "dhcpsrv2floor.scope_id",
                "-e", "dhcpsrv2floor.failover_stats.addr_free"]
FLOOR_STATS = ["-q", "-z", "dhcpsrv2floor,tree"]

# mode -> (description, plugin args, baseline args, floor args); the capture
# (-r X) is put in front of them.
MODES = {
    "fields": ("-T fields -e dhcpsrv2.scope_id -e dhcpsrv2.failover_stats.addr_free",
               FIELDS, FIELDS + DISABLE, FLOOR_FIELDS),
    "stats": ("-q -z dhcpsrv2_failover,tree -z dhcpsrv2_failover,scopes",
              STATS, STATS + DISABLE, FLOOR_STATS),
    "verbose": ("-V (full tree printed)", ["-V"], ["-V"] + DISABLE, ["-V"]),
}


def parse_size(s):
    s = s.strip().lower()
    mult = {"k": 1000, "m": 1000000}.get(s[-1:], 1)
    return int(float(s.rstrip("km")) * mult)


def human(n):
    if n >= 1000000 and n % 1000000 == 0:
        return f"{n // 1000000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


class Env:
    """The unprivileged, isolated tshark of tests/tshark_env.py."""

    def __init__(self, work, built_plugin, tshark, plugin=PLUGIN, stage="plugins"):
        self.work = work
        self.plugin = plugin
        self.home = os.path.join(work, "home")
        self.stage = os.path.join(work, stage)
        # <build>/stage/<major.minor>/epan/<plugin>: the same level here
        abi = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(built_plugin))))
        epan = os.path.join(self.stage, abi, "epan")
        os.makedirs(epan, exist_ok=True)
        os.makedirs(self.home, exist_ok=True)
        for f in os.listdir(epan):      # this plugin only, nothing left from before
            os.unlink(os.path.join(epan, f))
        shutil.copy(built_plugin, os.path.join(epan, plugin))
        for d in (work, self.stage, os.path.join(self.stage, abi), epan):
            os.chmod(d, 0o755)
        os.chmod(os.path.join(epan, plugin), 0o644)
        os.chmod(self.home, 0o777)
        self.tshark = shutil.which(tshark) or tshark
        self.env = {
            "PATH": "/usr/bin:/bin", "HOME": self.home, "WIRESHARK_CONFIG_DIR": self.home,
            "WIRESHARK_PLUGIN_DIR": self.stage, "TZ": "UTC", "LANG": "C", "LC_ALL": "C",
        }
        self.prefix = []
        if os.geteuid() == 0 or os.getegid() == 0:
            self.prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    def cmd(self, args, wrapper=()):
        return self.prefix + list(wrapper) + [self.tshark] + list(args)

    def run(self, args):
        return subprocess.run(self.cmd(args), env=self.env, capture_output=True, text=True)

    def assert_plugin_loaded(self, absent=()):
        """The plugin is loaded from our copy; none of `absent` is loaded at all."""
        p = self.run(["-G", "plugins"])
        found = None
        for line in p.stdout.splitlines():
            cols = line.split("\t")
            name = cols[0].strip() if cols else ""
            if name in absent:
                sys.exit(f"bench: tshark with WIRESHARK_PLUGIN_DIR={self.stage} loaded "
                         f"{name}, which must not be there:\n{p.stdout}{p.stderr}")
            if name == self.plugin and self.stage in line:
                found = line.strip()
        if found:
            return found
        sys.exit(f"bench: tshark did not load {self.plugin} from {self.stage}:\n{p.stdout}{p.stderr}")

    def has_stats(self, names=("dhcpsrv2_failover,tree", "dhcpsrv2_failover,scopes")):
        p = self.run(["-z", "help"])
        out = p.stdout + p.stderr
        return all(n in out for n in names)

    def timed(self, args, out_path):
        """One run under /usr/bin/time: returns user+sys CPU s, wall s, peak RSS KiB."""
        tfile = os.path.join(self.work, "time.txt")
        cmd = ["/usr/bin/time", "-f", "%U %S %e %M", "-o", tfile] + self.cmd(args)
        with open(out_path, "wb") as out:
            p = subprocess.run(cmd, env=self.env, stdout=out, stderr=subprocess.PIPE)
        if p.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.decode()[-2000:]}")
        with open(tfile) as f:
            u, s, e, m = f.read().split()[-4:]
        return {"cpu": float(u) + float(s), "user": float(u), "sys": float(s),
                "wall": float(e), "rss_kib": int(m)}


def hyperfine(env, mode, cap, runs, out_dir, log):
    """Cross-check with hyperfine: median wall time of each side (the machine's
    other load shows in wall time more than in CPU time)."""
    import shlex
    cmds = []
    for side, e, args in sides(env, mode):
        envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in e.env.items())
        cmds += ["-n", side, f"env -i {envs} " + " ".join(shlex.quote(x) for x in
                                                           e.cmd(["-r", cap] + args))]
    out = os.path.join(out_dir, f"hyperfine-{mode}.json")
    subprocess.run(["hyperfine", "--runs", str(runs), "--export-json", out, "--style", "basic"]
                   + cmds, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        res = {r["command"]: r for r in json.load(f)["results"]}
    log(f"    hyperfine {mode}: median wall base {res['base']['median']:.2f} s, plugin "
        f"{res['plugin']['median']:.2f} s, ratio {res['plugin']['median'] / res['base']['median']:.3f}"
        + (f"; floor {res['floor']['median']:.2f} s" if "floor" in res else ""))
    return {side: {"median": r["median"], "user": r["user"], "system": r["system"]}
            for side, r in res.items()}


def mem_available_kib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    return 0


def gen_capture(gen, n, path, seed):
    free = shutil.disk_usage(os.path.dirname(path)).free
    need = n * BYTES_PER_CALL
    if need * 1.1 > free:
        sys.exit(f"bench: {human(n)} calls need ~{need >> 20} MiB in {os.path.dirname(path)}, "
                 f"only {free >> 20} MiB free (df -h)")
    if not os.path.exists(path):
        subprocess.run([gen, "--bench", str(n), path, "--seed", str(seed)], check=True)
        os.chmod(path, 0o644)
    return path


PLUGIN_ARGS = []   # --plugin-args: extra tshark arguments of the plugin side


def sides(env, mode):
    """[(side, Env, args)] of one mode: base and plugin, and the floor when
    env.floor (the floor side's Env) is set."""
    desc, pargs, bargs, fargs = MODES[mode]
    if PLUGIN_ARGS:
        pargs = list(pargs) + PLUGIN_ARGS
    out = [("base", env, bargs), ("plugin", env, pargs)]
    if env.floor is not None:
        out.insert(1, ("floor", env.floor, fargs))
    return out


def measure(env, mode, cap, reps, out_dir, log):
    sl = sides(env, mode)
    runs = {side: [] for side, _, _ in sl}
    for r in range(reps):
        if len(sl) == 2:
            order = sl if r % 2 == 0 else sl[::-1]
        else:   # rotate: base floor plugin, floor plugin base, plugin base floor
            k = r % len(sl)
            order = sl[k:] + sl[:k]
        for side, e, sargs in order:
            args = ["-r", cap] + sargs
            res = e.timed(args, os.path.join(out_dir, f"{mode}-{side}.out"))
            runs[side].append(res)
            log(f"    {mode:8s} {side:6s} rep {r + 1}/{reps}: cpu {res['cpu']:8.2f} s  "
                f"wall {res['wall']:8.2f} s  rss {res['rss_kib'] / 1024:8.1f} MiB")
    for side in runs:   # -V output of 100k calls is 1 GB: keep none of it
        os.unlink(os.path.join(out_dir, f"{mode}-{side}.out"))
    return runs


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def spread(runs, key):
    """Relative spread (max - min) / median of one side's repetitions."""
    vals = [r[key] for r in runs]
    m = statistics.median(vals)
    return (max(vals) - min(vals)) / m if m else 0.0


def callgrind(env, mode, cap, out_dir, tag, log):
    """One callgrind run per side: whole-run Ir and the named functions' inclusive Ir."""
    res = {}
    for side, e, args in sides(env, mode):
        out = os.path.join(out_dir, f"callgrind-{mode}-{tag}-{side}.out")
        wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        t0 = time.time()
        with open(os.path.join(out_dir, f"callgrind-{mode}-{tag}-{side}.stdout"), "wb") as so:
            p = subprocess.run(e.cmd(["-r", cap] + args, wrapper), env=e.env, stdout=so,
                               stderr=subprocess.PIPE)
        if p.returncode != 0:
            sys.exit(f"bench: callgrind run failed:\n{p.stderr.decode()[-2000:]}")
        res[side] = cgparse.parse(out, SUBDISSECTORS + STATS_FUNCTIONS)
        log(f"    callgrind {mode:8s} {tag:>4s} {side:6s}: {res[side]['total']:,} Ir "
            f"({time.time() - t0:.0f} s)")
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", required=True, help="build directory (plugin and gen-captures)")
    ap.add_argument("--work", required=True, help="scratch directory for captures and results")
    ap.add_argument("--sizes", default="10k,100k,1M", help="calls per capture, e.g. 10k,100k,1M,10M")
    ap.add_argument("--modes", default="fields,stats,verbose")
    ap.add_argument("--reps", type=int, default=5, help="repetitions per side below 1M calls")
    ap.add_argument("--reps-big", type=int, default=3, help="repetitions per side from 1M calls")
    ap.add_argument("--verbose-max", default="100k",
                    help="largest capture for the -V mode (its text output is huge)")
    ap.add_argument("--big-modes", default="stats",
                    help="modes run on captures above 1M calls (10M takes ~17 GiB RSS per run)")
    # 10k->20k: between 5k and 10k calls the statistics still created
    # per-scope state lazily (one-time work); from 10k on they do not.
    ap.add_argument("--callgrind", default="10k,20k",
                    help="two capture sizes for callgrind ('' = skip)")
    ap.add_argument("--no-floor", action="store_true",
                    help="skip the floor side (control plugin bench/floor/, DCE/RPC hand-off only)")
    ap.add_argument("--hyperfine", default="",
                    help="also time the -T fields pair with hyperfine at this size (e.g. 100k)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep captures of 1M calls and more")
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--json", help="write the raw results here")
    ap.add_argument("--plugin-args", default="",
                    help="extra tshark arguments for the plugin side only, e.g. "
                         "'-o dhcpsrv2.detect_sealed:FALSE'")
    a = ap.parse_args()
    PLUGIN_ARGS.extend(a.plugin_args.split())

    try:        # the Wireshark major.minor of the build (CMake writes it)
        with open(os.path.join(a.build, "wireshark-abi")) as f:
            abi = f.read().strip()
    except OSError:
        sys.exit(f"bench: {a.build}/wireshark-abi missing: build first")
    built = os.path.join(a.build, "stage", abi, "epan", PLUGIN)
    gen = os.path.join(a.build, "tools", "gen-captures")
    for f in (built, gen):
        if not os.path.exists(f):
            sys.exit(f"bench: {f} missing: build first")
    floor_built = os.path.join(a.build, "bench-floor", abi, "epan", FLOOR_PLUGIN)
    if not a.no_floor and not os.path.exists(floor_built):
        sys.exit(f"bench: {floor_built} missing: build the target dhcpsrv2floor, or --no-floor")
    os.makedirs(a.work, exist_ok=True)
    env = Env(a.work, built, a.tshark)
    env.floor = None if a.no_floor else Env(a.work, floor_built, a.tshark, FLOOR_PLUGIN,
                                            "plugins-floor")
    out_dir = os.path.join(a.work, "out")
    os.makedirs(out_dir, exist_ok=True)
    os.chmod(out_dir, 0o777)
    logf = open(os.path.join(a.work, "bench.log"), "a")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    loaded = env.assert_plugin_loaded()
    log(f"bench: plugin loaded: {loaded}")
    if env.floor is not None:
        loaded = env.floor.assert_plugin_loaded(absent=(PLUGIN,))
        log(f"bench: floor side: {loaded} (and no {PLUGIN})")
    log(f"bench: {subprocess.run([env.tshark, '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
    modes = [m for m in a.modes.split(",") if m]
    if "stats" in modes and not env.has_stats():
        log("bench: `tshark -z help` does not list dhcpsrv2_failover: stats mode skipped")
        modes.remove("stats")
    if "stats" in modes and env.floor is not None and not env.floor.has_stats(("dhcpsrv2floor,tree",)):
        sys.exit("bench: `tshark -z help` with the floor plugin does not list dhcpsrv2floor,tree")
    sizes = [parse_size(s) for s in a.sizes.split(",") if s]
    results = {"tshark": env.tshark, "sizes": {}, "callgrind": {}, "machine": machine(),
               "floor": env.floor is not None}

    # Startup cost: the same commands on a capture of one call.
    one = gen_capture(gen, 1, os.path.join(a.work, "bench-1.pcapng"), a.seed)
    results["startup"] = {}
    for mode in modes:
        r = measure(env, mode, one, 3, out_dir, log)
        results["startup"][mode] = {s: med(r[s], "cpu") for s in r}
        results["startup"][mode]["rss_kib"] = {s: med(r[s], "rss_kib") for s in r}

    for n in sizes:
        cap = os.path.join(a.work, f"bench-{human(n)}.pcapng")
        t0 = time.time()
        gen_capture(gen, n, cap, a.seed)
        log(f"bench: {human(n)} calls: {os.path.getsize(cap) >> 20} MiB capture "
            f"({time.time() - t0:.1f} s to generate)")
        reps = a.reps if n < 1000000 else a.reps_big
        per = {}
        for mode in modes:
            if mode == "verbose" and n > parse_size(a.verbose_max):
                continue
            if n > 1000000 and mode not in a.big_modes.split(","):
                continue
            if n > 1000000:
                # tshark's own state: ~1.7 KiB RSS per call (1812 MiB at 1M calls)
                need = 160 * 1024 + n * 1740 // 1000
                if mem_available_kib() < need * 1.1:
                    log(f"    {mode}: skipped, needs ~{need >> 20} GiB RSS, "
                        f"{mem_available_kib() >> 20} GiB available")
                    continue
            runs = measure(env, mode, cap, reps, out_dir, log)
            per[mode] = summarize(runs, n, results["startup"].get(mode))
            s = per[mode]
            log(f"  {human(n):>4s} {mode:8s}: cpu ratio {s['cpu_ratio']:.3f} "
                f"(plugin {s['cpu_plugin']:.2f} s, base {s['cpu_base']:.2f} s), "
                f"{s['ns_per_call_plugin']:.0f} ns/call plugin, {s['ns_per_call_base']:.0f} base, "
                f"mem {s['bytes_per_call']:+.1f} B/call")
            if "cpu_floor" in s:
                log(f"  {human(n):>4s} {mode:8s}: floor {s['cpu_floor']:.2f} s, "
                    f"floor/base {s['cpu_ratio_floor_base']:.3f}, "
                    f"plugin/floor {s['cpu_ratio_plugin_floor']:.3f}, "
                    f"{s['ns_per_call_floor']:.0f} ns/call floor")
        results["sizes"][human(n)] = per
        if a.hyperfine and parse_size(a.hyperfine) == n and shutil.which("hyperfine"):
            per["hyperfine_fields"] = hyperfine(env, "fields", cap, reps, out_dir, log)
        if n >= 1000000 and not a.keep:
            os.unlink(cap)

    if a.callgrind:
        # Two sizes: the difference is the cost of the extra calls alone, without
        # start-up (registering every dissector) or the statistics' final output.
        na, nb = sorted(parse_size(x) for x in a.callgrind.split(","))
        caps = {n: gen_capture(gen, n, os.path.join(a.work, f"bench-{human(n)}.pcapng"), a.seed)
                for n in (na, nb)}
        for mode in [m for m in modes if m != "verbose"]:
            cga = callgrind(env, mode, caps[na], out_dir, human(na), log)
            cgb = callgrind(env, mode, caps[nb], out_dir, human(nb), log)
            d = nb - na
            f = cgb["plugin"]["functions"]
            req, rsp = f[SUBDISSECTORS[0]], f[SUBDISSECTORS[1]]
            pb = (cgb["base"]["total"] - cga["base"]["total"]) / d
            pp = (cgb["plugin"]["total"] - cga["plugin"]["total"]) / d
            c = {
                "sizes": [na, nb],
                "ir_per_call_base": pb, "ir_per_call_plugin": pp, "ir_ratio": pp / pb,
                "ir_per_request": req["inclusive"] / max(req["calls"], 1),
                "ir_per_response": rsp["inclusive"] / max(rsp["calls"], 1),
                "requests": req["calls"], "responses": rsp["calls"],
                "totals": {k: {"plugin": v["plugin"]["total"], "base": v["base"]["total"]}
                           for k, v in ((human(na), cga), (human(nb), cgb))},
            }
            stats_ir = sum(f[fn]["inclusive"] for fn in STATS_FUNCTIONS)
            c["ir_stats_per_response"] = stats_ir / max(rsp["calls"], 1)
            # What is left of the difference: DCE/RPC's hand-off to an enabled
            # interface (protocol item, opnum item, NDR pointer table, ...) and,
            # for -T fields, tshark walking/printing/freeing the extra tree items.
            c["ir_rest_per_call"] = (pp - pb) - c["ir_per_request"] - c["ir_per_response"] \
                - c["ir_stats_per_response"]
            # The per-request/-response numbers above are whole-run averages of
            # the larger run; the statistics' one include the one-time creation
            # of their per-(server, scope) state, so the "rest" above mixes an
            # average with a difference.  The same functions measured like the
            # totals, between the two runs (marginal cost of one more call):
            fa = cga["plugin"]["functions"]

            def marginal(fns, per):
                ir = sum(f[fn]["inclusive"] - fa[fn]["inclusive"] for fn in fns)
                return ir / max(f[per]["calls"] - fa[per]["calls"], 1)
            c["ir_per_request_marginal"] = marginal([SUBDISSECTORS[0]], SUBDISSECTORS[0])
            c["ir_per_response_marginal"] = marginal([SUBDISSECTORS[1]], SUBDISSECTORS[1])
            c["ir_stats_per_response_marginal"] = marginal(STATS_FUNCTIONS, SUBDISSECTORS[1])
            own = c["ir_per_request_marginal"] + c["ir_per_response_marginal"] \
                + c["ir_stats_per_response_marginal"]
            c["ir_rest_per_call_marginal"] = (pp - pb) - own
            if "floor" in cgb:
                pf = (cgb["floor"]["total"] - cga["floor"]["total"]) / d
                for k, v in ((human(na), cga), (human(nb), cgb)):
                    c["totals"][k]["floor"] = v["floor"]["total"]
                c["ir_per_call_floor"] = pf
                # DCE/RPC's hand-off to an enabled interface (and, for -T
                # fields / -V, tshark printing and freeing its items).
                c["ir_handoff_per_call"] = pf - pb
                # The plugin's own: sub-dissectors, statistics, and tshark
                # walking/printing/freeing the items the plugin adds.
                c["ir_plugin_own_per_call"] = pp - pf
                c["ir_ratio_floor_base"] = pf / pb
                c["ir_ratio_plugin_floor"] = pp / pf
                # plugin - floor beyond the sub-dissectors and statistics
                # (marginal): tshark handling the plugin's items.
                c["ir_plugin_rest_per_call"] = (pp - pf) - own
            results["callgrind"][mode] = c
            log(f"  callgrind {mode}: {pb:.0f} Ir/call base, {pp:.0f} with plugin "
                f"(x{c['ir_ratio']:.3f}); request {c['ir_per_request']:.0f} Ir, "
                f"response {c['ir_per_response']:.0f} Ir, statistics {c['ir_stats_per_response']:.0f}"
                f" Ir, rest {c['ir_rest_per_call']:.0f} Ir")
            log(f"  callgrind {mode}: marginal ({human(na)}->{human(nb)}): request "
                f"{c['ir_per_request_marginal']:.0f} Ir, response {c['ir_per_response_marginal']:.0f}"
                f" Ir, statistics {c['ir_stats_per_response_marginal']:.0f} Ir, rest "
                f"{c['ir_rest_per_call_marginal']:.0f} Ir")
            if "ir_per_call_floor" in c:
                log(f"  callgrind {mode}: {c['ir_per_call_floor']:.0f} Ir/call floor: hand-off "
                    f"(floor - base) {c['ir_handoff_per_call']:.0f} Ir, plugin's own "
                    f"(plugin - floor) {c['ir_plugin_own_per_call']:.0f} Ir, of which "
                    f"{c['ir_plugin_rest_per_call']:.0f} outside the sub-dissectors and statistics "
                    f"(marginal)")

    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    log("")
    log(table(results))


def summarize(runs, n, startup):
    cb, cp = med(runs["base"], "cpu"), med(runs["plugin"], "cpu")
    rb, rp = med(runs["base"], "rss_kib"), med(runs["plugin"], "rss_kib")
    sb = startup["base"] if startup else 0.0
    sp = startup["plugin"] if startup else 0.0
    # The machine's speed drifts by tens of percent between runs; the runs of
    # one repetition round are back to back, so the ratio within a round,
    # median over the rounds, is steadier than the ratio of the medians.
    def paired(num, den):
        return statistics.median(a["cpu"] / b["cpu"] for a, b in zip(runs[num], runs[den]))
    floor = {"cpu_ratio_paired": paired("plugin", "base")}
    if "floor" in runs:
        floor["cpu_ratio_paired_floor_base"] = paired("floor", "base")
        floor["cpu_ratio_paired_plugin_floor"] = paired("plugin", "floor")
        cf, rf = med(runs["floor"], "cpu"), med(runs["floor"], "rss_kib")
        sf = startup.get("floor", 0.0) if startup else 0.0
        floor |= {
            "cpu_floor": cf, "cpu_ratio_floor_base": cf / cb, "cpu_ratio_plugin_floor": cp / cf,
            "wall_floor": med(runs["floor"], "wall"), "rss_floor_kib": rf,
            "ns_per_call_floor": max(cf - sf, 0) * 1e9 / n,
            "spread_floor": spread(runs["floor"], "cpu"),
        }
    return floor | {
        "calls": n, "reps": len(runs["base"]),
        "cpu_base": cb, "cpu_plugin": cp, "cpu_ratio": cp / cb,
        "wall_base": med(runs["base"], "wall"), "wall_plugin": med(runs["plugin"], "wall"),
        "rss_base_kib": rb, "rss_plugin_kib": rp,
        "bytes_per_call": (rp - rb) * 1024.0 / n,
        # CPU per call without the start-up (registration of every dissector).
        "ns_per_call_base": max(cb - sb, 0) * 1e9 / n,
        "ns_per_call_plugin": max(cp - sp, 0) * 1e9 / n,
        "spread_base": spread(runs["base"], "cpu"), "spread_plugin": spread(runs["plugin"], "cpu"),
        "runs": runs,
    }


def machine():
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        info["cores"] = os.cpu_count()
        with open("/proc/meminfo") as f:
            info["mem_kib"] = int(f.readline().split()[1])
        info["load_at_start"] = os.getloadavg()
    except OSError:
        pass
    return info


def table(r):
    """The markdown tables.  New columns come after the existing ones (which
    keep their order); the floor's only when the floor side was measured.
    Δ: measured between the two callgrind runs, like the totals (the
    statistics column before it is the larger run's average, which includes
    the one-time creation of the statistics' per-scope state)."""
    def na(d, key, fmt):
        return format(d[key], fmt) if key in d else "-"

    rows = [(size, mode, s) for size, per in r["sizes"].items() for mode, s in per.items()
            if not mode.startswith("hyperfine")]
    floor = any("cpu_floor" in s for _, _, s in rows)
    lines = ["| calls | mode | CPU base (s) | CPU plugin (s) | ratio | spread b/p | "
             "ns/call base | ns/call plugin | RSS base (MiB) | RSS plugin (MiB) | B/call |"
             + (" CPU floor (s) | floor/base | plugin/floor | spread floor |" if floor else "")
             + " paired plugin/base |" + (" paired floor/base | paired plugin/floor |" if floor else ""),
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" * 4 if floor else "")
             + "---:|" + ("---:|" * 2 if floor else "")]
    for size, mode, s in rows:
        line = (
            f"| {size} | {mode} | {s['cpu_base']:.2f} | {s['cpu_plugin']:.2f} | "
            f"{s['cpu_ratio']:.3f} | {100 * s['spread_base']:.0f}%/{100 * s['spread_plugin']:.0f}% | "
            f"{s['ns_per_call_base']:.0f} | {s['ns_per_call_plugin']:.0f} | "
            f"{s['rss_base_kib'] / 1024:.1f} | {s['rss_plugin_kib'] / 1024:.1f} | "
            f"{s['bytes_per_call']:+.1f} |")
        if floor:
            line += (f" {na(s, 'cpu_floor', '.2f')} | {na(s, 'cpu_ratio_floor_base', '.3f')} | "
                     f"{na(s, 'cpu_ratio_plugin_floor', '.3f')} | "
                     + (f"{100 * s['spread_floor']:.0f}% |" if "spread_floor" in s else "- |"))
        line += f" {na(s, 'cpu_ratio_paired', '.3f')} |"
        if floor:
            line += (f" {na(s, 'cpu_ratio_paired_floor_base', '.3f')} |"
                     f" {na(s, 'cpu_ratio_paired_plugin_floor', '.3f')} |")
        lines.append(line)
    if r["callgrind"]:
        cfloor = any("ir_per_call_floor" in c for c in r["callgrind"].values())
        lines += ["", "| callgrind (Ir per call) | base | with plugin | ratio | request | response | "
                  "statistics | DCE/RPC hand-off + tshark output | statistics Δ | rest Δ |"
                  + (" floor | hand-off (floor - base) | plugin's own (plugin - floor) | "
                     "own rest Δ | floor/base | plugin/floor |" if cfloor else ""),
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" * 6 if cfloor else "")]
        for mode, c in r["callgrind"].items():
            line = (f"| {mode} ({human(c['sizes'][0])}->{human(c['sizes'][1])}) | "
                    f"{c['ir_per_call_base']:.0f} | {c['ir_per_call_plugin']:.0f} | "
                    f"{c['ir_ratio']:.3f} | {c['ir_per_request']:.0f} | "
                    f"{c['ir_per_response']:.0f} | {c['ir_stats_per_response']:.0f} | "
                    f"{c['ir_rest_per_call']:.0f} | {na(c, 'ir_stats_per_response_marginal', '.0f')} | "
                    f"{na(c, 'ir_rest_per_call_marginal', '.0f')} |")
            if cfloor:
                line += (f" {na(c, 'ir_per_call_floor', '.0f')} | {na(c, 'ir_handoff_per_call', '.0f')} | "
                         f"{na(c, 'ir_plugin_own_per_call', '.0f')} | "
                         f"{na(c, 'ir_plugin_rest_per_call', '.0f')} | "
                         f"{na(c, 'ir_ratio_floor_base', '.3f')} | {na(c, 'ir_ratio_plugin_floor', '.3f')} |")
            lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
