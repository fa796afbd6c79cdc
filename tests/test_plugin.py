#!/usr/bin/env python3
"""The plugin loads in tshark (4.0, 4.4, 4.6) and registers what the product promises:
both interfaces with every operation name, the opnum-97 fields, the
statistics, and the DCE/RPC service response time table."""
import argparse
import re
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tshark_env import Tshark  # noqa: E402

CAPTURES = os.environ.get("DHCPSRV2_CAPTURES") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "test-captures")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    args = parser.parse_args()
    tshark = Tshark(args.build_dir)
    tshark.assert_plugin_loaded()
    passed, failures = 0, []

    def check(what, ok):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(what)
            print("FAIL", what)

    protocols = tshark.run("-G", "protocols")
    check("dhcpsrv2 protocol registered", "\tdhcpsrv2\t" in protocols or "\tdhcpsrv2" in protocols)
    check("dhcpsrv protocol registered", "\tdhcpsrv\t" in protocols or protocols.count("\tdhcpsrv") >= 2)
    fields = {line.split("\t")[2]: line.split("\t")[3]
              for line in tshark.run("-G", "fields").splitlines()
              if line.startswith("F\t") and len(line.split("\t")) > 3}
    for name, ftype in (("dhcpsrv2.opnum", "FT_UINT16"), ("dhcpsrv.opnum", "FT_UINT16"),
                        ("dhcpsrv2.server_ip_address", "FT_STRING"),
                        ("dhcpsrv2.scope_id", "FT_IPv4"),
                        ("dhcpsrv2.failover_stats.num_addr", "FT_UINT32"),
                        ("dhcpsrv2.failover_stats.addr_free", "FT_UINT32"),
                        ("dhcpsrv2.failover_stats.addr_in_use", "FT_UINT32"),
                        ("dhcpsrv2.failover_stats.partner_addr_free", "FT_UINT32"),
                        ("dhcpsrv2.failover_stats.this_addr_free", "FT_UINT32"),
                        ("dhcpsrv2.failover_stats.partner_addr_in_use", "FT_UINT32"),
                        ("dhcpsrv2.failover_stats.this_addr_in_use", "FT_UINT32"),
                        ("dhcpsrv2.failover_stats.utilization", "FT_DOUBLE"),
                        ("dhcpsrv2.werror", "FT_UINT32")):
        check(f"field {name} is {ftype}", fields.get(name) == ftype)
    ours = [f for f in fields if f.split(".")[0] in ("dhcpsrv", "dhcpsrv2")]
    check("every field name is lowercase with underscores",
          all(f == f.lower() and " " not in f and "-" not in f for f in ours))

    # The README's field reference is complete and names nothing that does not exist.
    readme_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
    with open(readme_path) as f:
        readme = f.read()
    documented = set(re.findall(r"`(dhcpsrv2?\.[a-z0-9_.]+)`", readme))
    undocumented = sorted(set(ours) - documented)
    prefs = set(re.findall(r"^#?(dhcpsrv2?\.[a-z0-9_]+):", tshark.run("-G", "defaultprefs"),
                           re.MULTILINE))
    check("preference dhcpsrv2.clock_skew_tolerance exists", "dhcpsrv2.clock_skew_tolerance" in prefs)
    # and the plugin's dissector tables (dhcpsrv2.generic_handoff: DCE/RPC's own handles)
    tables = set(re.findall(r"^(dhcpsrv2?\.[a-z0-9_]+)\t", tshark.run("-G", "dissector-tables"),
                            re.MULTILINE))
    check("dissector table dhcpsrv2.generic_handoff exists", "dhcpsrv2.generic_handoff" in tables)
    unknown = sorted(documented - set(ours) - prefs - tables)
    check(f"README documents every field (missing: {undocumented})", not undocumented)
    check(f"README names only real fields (unknown: {unknown})", not unknown)

    # The service response time table names the operations (this used to
    # crash tshark 4.0 for an unregistered dhcpsrv2 UUID).
    capture = tshark.readable(os.path.join(CAPTURES, "ndr-basic.pcapng"))
    srt = tshark.run("-r", capture, "-q", "-z",
                     "dcerpc,srt,5b821720-f63b-11d0-aad2-00c04fc324db,1.0")
    check("srt table names R_DhcpV4FailoverGetScopeStatistics",
          "R_DhcpV4FailoverGetScopeStatistics" in srt)
    row = [line for line in srt.splitlines() if "R_DhcpV4FailoverGetScopeStatistics" in line]
    check("srt table counts 3 calls", bool(row) and row[0].split()[2] == "3")
    info = tshark.run("-r", capture, "-Y", "dhcpsrv2.opnum == 97")
    check("Info column: response with scope, free counts and status",
          "R_DhcpV4FailoverGetScopeStatistics response 192.168.10.0: 150/200 free "
          "(this 75, partner 75), ERROR_SUCCESS" in info)
    check("Info column: request with scope",
          "R_DhcpV4FailoverGetScopeStatistics request 192.168.10.0" in info)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
