"""Run the real tshark with the freshly built plugin, isolated from the machine.

tshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin directory when it
runs with uid or gid 0, so as root the child drops to `nobody` with setpriv.
Each run gets a private HOME and WIRESHARK_CONFIG_DIR, TZ=UTC and LANG=C.
"""
import os
import re
import shutil
import subprocess
import tempfile

PLUGIN_NAME = "dhcpsrv2.so"


def wireshark_abi(build_dir):
    """The Wireshark major.minor the build is for ("4.0", "4.4", "4.6"), as
    CMake wrote it to <build>/wireshark-abi: the plugin directory level
    WIRESHARK_PLUGIN_DIR needs, and what version-dependent output depends on."""
    path = os.path.join(os.path.abspath(build_dir), "wireshark-abi")
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        raise SystemExit(f"{path} is missing: configure the build with CMake first")


_ISO_8601 = re.compile(r"(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{9})Z")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def absolute_time_as_4_0(value):
    """tshark 4.6 `-T json` prints an absolute time in ISO 8601
    ("2026-11-03T23:00:00.000000000Z"), 4.0 and 4.4 as text
    ("Nov  3, 2026 23:00:00.000000000 UTC", with TZ=UTC).  Returns the 4.0
    text of an ISO 8601 value (a one-to-one rewrite: nothing is lost, so the
    expected values stay exact), any other value unchanged."""
    m = _ISO_8601.fullmatch(value) if isinstance(value, str) else None
    if not m:
        return value
    year, month, day, hh, mm, ss, ns = m.groups()
    return f"{_MONTHS[int(month) - 1]} {int(day):2d}, {year} {hh}:{mm}:{ss}.{ns} UTC"


class Tshark:
    def __init__(self, build_dir, tshark="tshark"):
        self.abi = wireshark_abi(build_dir)
        self.version = tuple(int(x) for x in self.abi.split("."))
        built = os.path.join(os.path.abspath(build_dir), "stage", self.abi, "epan", PLUGIN_NAME)
        if not os.path.exists(built):
            raise SystemExit(f"plugin not built: {built} is missing")
        self.tshark = shutil.which(tshark) or tshark
        self.home = tempfile.mkdtemp(prefix="dhcpsrv2-test-")
        os.chmod(self.home, 0o777)
        # A private copy: the build tree may sit in a directory (mktemp -d,
        # a home) that the unprivileged tshark cannot traverse.
        self.stage = os.path.join(self.home, "plugins")
        epan = os.path.join(self.stage, self.abi, "epan")
        os.makedirs(epan)
        shutil.copy(built, os.path.join(epan, PLUGIN_NAME))
        for d in (self.stage, os.path.join(self.stage, self.abi), epan):
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
        self.last_returncode = proc.returncode
        return proc.stdout

    def json_value(self, value):
        """A field value of `-T json` output in the form the expected values
        use (4.0's): only 4.6's absolute times differ."""
        return absolute_time_as_4_0(value) if self.version >= (4, 6) else value

    def assert_plugin_loaded(self):
        """Fails unless tshark lists our plugin from the staged directory, as
        a dissector (4.2+ take the type from plugin_describe(); without it
        they print "unknown")."""
        out = self.run("-G", "plugins")
        for line in out.splitlines():
            cols = [c.strip() for c in line.split("\t")]
            if cols and cols[0] == PLUGIN_NAME and self.stage in line:
                if len(cols) < 3 or cols[2] != "dissector":
                    raise SystemExit(f"tshark {self.abi} lists {PLUGIN_NAME} with type "
                                     f"{cols[2:3]}, not 'dissector':\n{line}")
                return
        raise SystemExit(f"tshark {self.abi} did not load {PLUGIN_NAME} from {self.stage}:\n"
                         f"{out}\n{self.last_stderr}")

    def readable(self, path):
        """Returns a path the unprivileged tshark can read (copies if needed)."""
        if not self.prefix:
            return path
        dest = os.path.join(self.home, os.path.basename(path))
        if not os.path.exists(dest):
            shutil.copyfile(path, dest)
            os.chmod(dest, 0o644)
        return dest
