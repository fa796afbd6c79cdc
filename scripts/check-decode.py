#!/usr/bin/env python3
"""Checks a tshark that loads dhcpsrv2.so from somewhere other than the
test stage: it lists the plugin as a dissector and decodes a committed
capture (default test-captures/ndr-basic.pcapng) with exactly the values of
its NAME.expected.json (the same comparison as tests/test_captures.py).

  check-decode.py --system
      tshark on PATH, the plugin from the system plugin directory (an
      installed .deb; run as root: root reads the system directory only).
  check-decode.py --in-tree-tshark RUN/tshark --standalone-build BUILD
      the tshark of a Wireshark source-tree build with the plugin built
      there (scripts/build-in-tree.sh); additionally every dhcpsrv2/dhcpsrv
      field (-T fields) and the dissection tree (-V -O) must equal those of
      the standalone build in BUILD with the installed tshark.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import test_captures  # noqa: E402
from tshark_env import PLUGIN_NAME, Tshark, absolute_time_as_4_0  # noqa: E402


class OtherTshark:
    """A tshark with the plugin from its own plugin directory: private HOME
    and config, TZ=UTC, LANG=C, as tshark_env.Tshark, but no
    WIRESHARK_PLUGIN_DIR.  With in_tree, runs as `nobody` when root (a
    build-tree tshark finds its plugins only unprivileged)."""

    def __init__(self, tshark, in_tree=False):
        self.tshark = shutil.which(tshark) or tshark
        self.home = tempfile.mkdtemp(prefix="dhcpsrv2-check-")
        os.chmod(self.home, 0o777)
        self.env = {"PATH": "/usr/bin:/bin", "HOME": self.home, "WIRESHARK_CONFIG_DIR": self.home,
                    "TZ": "UTC", "LANG": "C", "LC_ALL": "C"}
        self.prefix = []
        if in_tree:
            self.env["WIRESHARK_RUN_FROM_BUILD_DIRECTORY"] = "1"
            if os.geteuid() == 0:
                self.prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        version = self.run("--version").splitlines()[0]          # "TShark (Wireshark) 4.6.9 ..."
        numbers = version.split(")")[1].split()[0].split(".")
        self.version = (int(numbers[0]), int(numbers[1]))
        self.abi = f"{self.version[0]}.{self.version[1]}"

    def __del__(self):
        shutil.rmtree(getattr(self, "home", ""), ignore_errors=True)

    def run(self, *args, check=True):
        cmd = self.prefix + [self.tshark] + list(args)
        proc = subprocess.run(cmd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
        if check and proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
        self.last_stderr = proc.stderr
        return proc.stdout

    def readable(self, path):
        dest = os.path.join(self.home, os.path.basename(path))
        shutil.copyfile(path, dest)
        os.chmod(dest, 0o644)
        return dest

    def json_value(self, value):
        return absolute_time_as_4_0(value) if self.version >= (4, 6) else value

    def plugin_line(self, where):
        """The -G plugins line of our plugin; fails unless it is a dissector in `where`."""
        for line in self.run("-G", "plugins").splitlines():
            cols = [c.strip() for c in line.split("\t")]
            if cols and cols[0] == PLUGIN_NAME:
                if len(cols) < 4 or cols[2] != "dissector" or where not in cols[3]:
                    raise SystemExit(f"tshark {self.abi}: unexpected plugin line: {line}")
                return line
        raise SystemExit(f"tshark {self.abi} did not load {PLUGIN_NAME}:\n{self.last_stderr}")


def check_values(tshark, captures, name):
    chk = test_captures.check_capture(tshark, captures, name)
    if chk.failures or chk.checks < 10:
        for failure in chk.failures[:40]:
            print("FAIL", failure)
        raise SystemExit(f"{name}: {len(chk.failures)} of {chk.checks} checks failed")
    return chk.checks


def dhcpsrv_fields(tshark):
    return sorted(line.split("\t")[2] for line in tshark.run("-G", "fields").splitlines()
                  if line.startswith("F\t") and line.split("\t")[2].split(".")[0]
                  in ("dhcpsrv2", "dhcpsrv"))


def decode(tshark, capture, fields):
    path = tshark.readable(capture)
    args = ["-r", path, "-Y", "dhcpsrv2 || dhcpsrv", "-T", "fields", "-E", "occurrence=a"]
    for f in fields:
        args += ["-e", f]
    return tshark.run(*args), tshark.run("-r", path, "-V", "-O", "dhcpsrv2,dhcpsrv")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--system", action="store_true")
    ap.add_argument("--in-tree-tshark")
    ap.add_argument("--standalone-build")
    ap.add_argument("capture", nargs="?",
                    default=os.path.join(HERE, "..", "test-captures", "ndr-basic.pcapng"))
    a = ap.parse_args()
    captures, name = os.path.dirname(os.path.abspath(a.capture)), \
        os.path.basename(a.capture)[:-len(".pcapng")]

    if a.system:
        tshark = OtherTshark("tshark")
        line = tshark.plugin_line(f"/wireshark/plugins/{tshark.abi}/epan/")
        n = check_values(tshark, captures, name)
        print(f"check-decode: tshark {tshark.abi} loads the installed plugin ({line.split()[-1]}); "
              f"{name}: {n} checks passed")
        return
    if not (a.in_tree_tshark and a.standalone_build):
        ap.error("--system, or --in-tree-tshark with --standalone-build")
    in_tree = OtherTshark(a.in_tree_tshark, in_tree=True)
    line = in_tree.plugin_line(os.path.dirname(os.path.dirname(os.path.abspath(a.in_tree_tshark))))
    n = check_values(in_tree, captures, name)
    standalone = Tshark(a.standalone_build)
    standalone.assert_plugin_loaded()
    if standalone.abi != in_tree.abi:
        raise SystemExit(f"standalone build is for {standalone.abi}, the tree is {in_tree.abi}")
    fields = dhcpsrv_fields(in_tree)
    if fields != dhcpsrv_fields(standalone):
        raise SystemExit("the two builds register different dhcpsrv2/dhcpsrv fields")
    got, want = decode(in_tree, a.capture, fields), decode(standalone, a.capture, fields)
    for what, g, w in (("-T fields", got[0], want[0]), ("-V -O", got[1], want[1])):
        if g != w:
            sys.stdout.writelines(__import__("difflib").unified_diff(
                w.splitlines(True), g.splitlines(True), "standalone", "in-tree"))
            raise SystemExit(f"{name}: {what} differs between the in-tree and the standalone build")
    values = sum(1 for row in got[0].splitlines() for v in row.split("\t") if v)
    print(f"check-decode: in-tree tshark {in_tree.abi} loads {line.split()[-1]}; {name}: {n} checks "
          f"passed; {len(fields)} fields, {values} non-empty values and the -V tree identical "
          f"to the standalone build")


if __name__ == "__main__":
    main()
