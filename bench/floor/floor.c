/* floor.c -- benchmark control plugin "dhcpsrv2floor" (not shipped, not tested).
 *
 * Registers the dhcpsrv2 RPC interface (5b821720-f63b-11d0-aad2-00c04fc324db
 * v1) with dcerpc_init_uuid(), as plugin/semantics/packet-dcerpc-dhcpsrv.c does, under a
 * protocol of its own, with only opnum 97 in its table.  Its request and
 * response sub-dissectors add nothing and only consume the stub.  tshark with
 * this plugin alone (bench/bench.py's "floor" side) therefore pays exactly
 * what Wireshark's DCE/RPC dissector spends handing a PDU to an *enabled*
 * interface (protocol item, operation name, "Operation:" and request/response
 * items, NDR pointer list, exception frame, subset tvb), and nothing of the
 * real plugin's decoding:
 *
 *   DCE/RPC hand-off = floor - base      plugin's own cost = plugin - floor
 *
 * The real plugin's fields and statistics do not exist without it, so the
 * floor side cannot use the baseline's arguments as they are:
 *
 * `-T fields`: the baseline's `-e dhcpsrv2.scope_id -e
 * dhcpsrv2.failover_stats.addr_free` name fields of a disabled protocol, never
 * added to a tree.  This plugin registers two fields that are never added
 * either (dhcpsrv2floor.scope_id, dhcpsrv2floor.failover_stats.addr_free):
 * same visible tree, same walk, same empty output columns.
 *
 * Statistics mode: the baseline runs `-q -z dhcpsrv2_failover,tree -z
 * dhcpsrv2_failover,scopes --disable-protocol dhcpsrv2`.  Those listeners sit
 * on the disabled plugin's tap, which never fires; what they do is make tshark
 * dissect every packet (with plain `-q` and no listener tshark does not
 * dissect at all) with the tap flags they register, which are none
 * (TL_REQUIRES_NOTHING: the stats_tree's ST_FLG_* bits are masked off before
 * register_tap_listener(), and tshark's stat-table listener passes 0).  Those
 * names do not exist without the real plugin, so this plugin registers the
 * same kind of listener on a tap of its own that is never queued: a stats_tree
 * `-z dhcpsrv2floor,tree` with the same flags and no nodes.  The floor run
 * `-q -z dhcpsrv2floor,tree` thus dissects like the baseline (same tree
 * settings, a listener whose packet callback never runs) and differs from it
 * only by the hand-off.  The number of such listeners does not matter per
 * packet (tap.c only walks listeners with a filter, and queued packets).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <epan/stats_tree.h>
#include <epan/dissectors/packet-dcerpc.h>

#ifndef PLUGIN_VERSION
#error PLUGIN_VERSION must be defined by the build
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

#define FLOOR_TAP_NAME "dhcpsrv2floor"

static int proto_floor = -1;
static int hf_floor_opnum = -1;
static int hf_floor_scope_id = -1;
static int hf_floor_addr_free = -1;
static gint ett_floor = -1;

static e_guid_t uuid_dhcpsrv2 = { 0x5b821720, 0xf63b, 0x11d0,
                                  { 0xaa, 0xd2, 0x00, 0xc0, 0x4f, 0xc3, 0x24, 0xdb } };
static const guint16 ver_dhcpsrv2 = 1;

/* Consume the whole stub: DCE/RPC then adds no "stub data"/long-frame item. */
static int
floor_stub(tvbuff_t *tvb, int offset _U_, packet_info *pinfo _U_, proto_tree *tree _U_,
           dcerpc_info *di _U_, guint8 *drep _U_)
{
    return (int)tvb_reported_length(tvb);
}

static dcerpc_sub_dissector floor_operations[] = {
    { 97, "R_DhcpV4FailoverGetScopeStatistics", floor_stub, floor_stub },
    { 0, NULL, NULL, NULL }
};

static void
proto_register_floor(void)
{
    static hf_register_info hf[] = {
        { &hf_floor_opnum,
          { "Operation", "dhcpsrv2floor.opnum", FT_UINT16, BASE_DEC,
            NULL, 0, NULL, HFILL }},
        /* Never added to a tree: the floor's `-T fields -e` columns, which
         * stay empty like the disabled dhcpsrv2's in the baseline. */
        { &hf_floor_scope_id,
          { "ScopeId (never set)", "dhcpsrv2floor.scope_id", FT_IPv4, BASE_NONE,
            NULL, 0, NULL, HFILL }},
        { &hf_floor_addr_free,
          { "AddrFree (never set)", "dhcpsrv2floor.failover_stats.addr_free", FT_UINT32,
            BASE_DEC, NULL, 0, NULL, HFILL }},
    };
    static gint *ett[] = { &ett_floor };

    proto_floor = proto_register_protocol("DHCPSRV2 floor (benchmark control)",
                                          "DHCPSRV2 floor", "dhcpsrv2floor");
    proto_register_field_array(proto_floor, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    register_tap(FLOOR_TAP_NAME);       /* never queued: see the comment on top */
}

static void
proto_reg_handoff_floor(void)
{
    dcerpc_init_uuid(proto_floor, ett_floor, &uuid_dhcpsrv2, ver_dhcpsrv2,
                     floor_operations, hf_floor_opnum);
}

/* -z dhcpsrv2floor,tree: a listener that makes tshark dissect, never called. */
static void
floor_tree_init(stats_tree *st _U_)
{
}

static tap_packet_status
floor_tree_packet(stats_tree *st _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                  const void *data _U_, tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

static void
register_floor_stats(void)
{
    /* The same flags as the real plugin's stats_tree (tap flags 0). */
    stats_tree_register_plugin(FLOOR_TAP_NAME, "dhcpsrv2floor",
                               "DHCPSRV2 floor (benchmark control, never fires)",
                               ST_SORT_COL_NAME << ST_FLG_SRTCOL_SHIFT,
                               floor_tree_packet, floor_tree_init, NULL);
}

void
plugin_register(void)
{
    static const proto_plugin floor_proto = {
        .register_protoinfo = proto_register_floor,
        .register_handoff = proto_reg_handoff_floor,
    };
    static const tap_plugin floor_stats = {
        .register_tap_listener = register_floor_stats,
    };

    proto_register_plugin(&floor_proto);
    tap_register_plugin(&floor_stats);
}
