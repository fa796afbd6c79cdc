"""Run the real tshark with the freshly built plugin, isolated from the machine.

tshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin directory when it
runs with uid or gid 0, so as root the child drops to `nobody` with setpriv.
Each run gets a private HOME and WIRESHARK_CONFIG_DIR, TZ=UTC and LANG=C.
"""
import os
import shutil
import subprocess
import tempfile

PLUGIN_NAME = "dhcpsrv2.so"


class Tshark:
    def __init__(self, build_dir, tshark="tshark"):
        built = os.path.join(os.path.abspath(build_dir), "stage", "4.0", "epan", PLUGIN_NAME)
        if not os.path.exists(built):
            raise SystemExit(f"plugin not built: {built} is missing")
        self.tshark = shutil.which(tshark) or tshark
        self.home = tempfile.mkdtemp(prefix="dhcpsrv2-test-")
        os.chmod(self.home, 0o777)
        # A private copy: the build tree may sit in a directory (mktemp -d,
        # a home) that the unprivileged tshark cannot traverse.
        self.stage = os.path.join(self.home, "plugins")
        os.makedirs(os.path.join(self.stage, "4.0", "epan"))
        shutil.copy(built, os.path.join(self.stage, "4.0", "epan", PLUGIN_NAME))
        for d in (self.stage, os.path.join(self.stage, "4.0"),
                  os.path.join(self.stage, "4.0", "epan")):
            os.chmod(d, 0o755)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "WIRESHARK_CONFIG_DIR": self.home,
            "WIRESHARK_PLUGIN_DIR": self.stage,
            "TZ": "UTC",
            "LANG": "C",
            "LC_ALL": "C",
        }
        for passthrough in ("WIRESHARK_ABORT_ON_DISSECTOR_BUG", "LD_PRELOAD", "ASAN_OPTIONS",
                            "UBSAN_OPTIONS"):
            if passthrough in os.environ:
                self.env[passthrough] = os.environ[passthrough]
        # DHCPSRV2_TSHARK_PRELOAD: LD_PRELOAD for tshark only (the ASan/UBSan
        # runtimes for a -DDHCPSRV2_SANITIZE=ON plugin): a global LD_PRELOAD
        # would also reach editcap/mergecap, which deadlock at exit under ASan.
        if os.environ.get("DHCPSRV2_TSHARK_PRELOAD"):
            self.env["LD_PRELOAD"] = os.environ["DHCPSRV2_TSHARK_PRELOAD"]
        if "LD_PRELOAD" in self.env:
            # Sanitizer run (scripts/robustness-ci.sh): the preloaded ASan runtime
            # would also load into the extcap helpers `tshark -G plugins` starts,
            # and androiddump then deadlocks at exit (libp11-kit destructor).
            # An empty extcap directory keeps them out.
            extcap = os.path.join(self.home, "extcap")
            os.makedirs(extcap, exist_ok=True)
            os.chmod(extcap, 0o755)
            self.env["WIRESHARK_EXTCAP_DIR"] = extcap
        self.prefix = []
        if os.geteuid() == 0 or os.getegid() == 0:
            self.prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    def __del__(self):
        shutil.rmtree(getattr(self, "home", ""), ignore_errors=True)

    def run(self, *args, check=True):
        """Runs tshark with args; returns stdout (text)."""
        cmd = self.prefix + [self.tshark] + list(args)
        proc = subprocess.run(cmd, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
        self.last_stderr = proc.stderr
        return proc.stdout

    def assert_plugin_loaded(self):
        """Fails unless tshark lists our plugin from the staged directory."""
        out = self.run("-G", "plugins")
        for line in out.splitlines():
            cols = line.split("\t")
            if cols and cols[0].strip() == PLUGIN_NAME and self.stage in line:
                return
        raise SystemExit(f"tshark did not load {PLUGIN_NAME} from {self.stage}:\n{out}\n"
                         f"{self.last_stderr}")

    def readable(self, path):
        """Returns a path the unprivileged tshark can read (copies if needed)."""
        if not self.prefix:
            return path
        dest = os.path.join(self.home, os.path.basename(path))
        if not os.path.exists(dest):
            shutil.copyfile(path, dest)
            os.chmod(dest, 0o644)
        return dest
