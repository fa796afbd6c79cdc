#!/bin/sh
# README command (1): set up a fresh Debian 12 machine, build, install the
# plugin for this user, and decode the bundled demo capture.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh
cmake --install build
DEMO=test-captures/demo.pcapng

echo
echo "== Plugin loaded by tshark =="
tshark -G plugins 2>/dev/null | grep dhcpsrv2.so

echo
echo "== Decoded R_DhcpV4FailoverGetScopeStatistics calls (opnum 97) =="
tshark -r "$DEMO" -Y "dhcpsrv2.opnum == 97" -T fields -E header=y \
  -e frame.number -e ip.src -e dcerpc.pkt_type -e dhcpsrv2.scope_id \
  -e dhcpsrv2.failover_stats.num_addr -e dhcpsrv2.failover_stats.addr_free \
  -e dhcpsrv2.failover_stats.addr_in_use -e dhcpsrv2.failover_stats.this_addr_free \
  -e dhcpsrv2.failover_stats.partner_addr_free -e dhcpsrv2.failover_stats.utilization \
  -e dhcpsrv2.werror

echo
echo "== The draining scope, response by response (Info column) =="
tshark -r "$DEMO" -Y "dhcpsrv2.scope_id == 192.168.20.0 && ip.src == 10.0.0.1 && dcerpc.pkt_type == 2"

echo
echo "== Failover statistics: per (server, scope) table, then the statistics tree =="
tshark -r "$DEMO" -q -z dhcpsrv2_failover,scopes -z dhcpsrv2_failover,tree
