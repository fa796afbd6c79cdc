/* packet-dcerpc-dhcpsrv.c -- MS-DHCPM: DHCP Server Management Protocol.
 *
 * Registers the two RPC interfaces of the Microsoft DHCP Server service with
 * the DCE/RPC dissector, names every operation, and holds what all methods
 * share: the ServerIpAddress handle, the status, and the small record that
 * carries request values to the response.  The methods themselves are
 * decoded by dhcpm-decode.c (from the description) and dhcpsrv2-scope-stats.c
 * (opnum 97).
 *
 * [MS-DHCPM] 2.1: dhcpsrv  6bffd098-a112-3610-9833-46c3f874532d v1.0
 *                 dhcpsrv2 5b821720-f63b-11d0-aad2-00c04fc324db v1.0
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-dcerpc.h>
#include <wsutil/inet_addr.h>
#include <wsutil/to_str.h>

#include "dhcpsrv2.h"
#include "dhcpsrv-opnums.h"
#include "dhcpm-handoff.h"
#include "dhcpsrv-werror.h"
#include "stats/failover-experts.h"

int proto_dhcpsrv2 = -1;
static int proto_dhcpsrv = -1;
static int dhcpsrv2_tap = -1;

static int hf_dhcpsrv2_opnum = -1;
static int hf_dhcpsrv_opnum = -1;
static int hf_dhcpsrv2_server_ip_address = -1;
static int hf_dhcpsrv2_werror = -1;
static int hf_dhcpsrv_server_ip_address = -1;
static int hf_dhcpsrv_werror = -1;

static gint ett_dhcpsrv2 = -1;
static gint ett_dhcpsrv = -1;

static expert_field ei_dhcpsrv2_status_error = EI_INIT;
static expert_field ei_dhcpsrv_status_error = EI_INIT;

ndr_fields dhcpsrv2_ndr;
static ndr_fields dhcpsrv_ndr;

/* What differs between the two interfaces, indexed by dhcpsrv2_interface. */
static int *const iface_hf_server[] = { &hf_dhcpsrv2_server_ip_address, &hf_dhcpsrv_server_ip_address };
static int *const iface_hf_werror[] = { &hf_dhcpsrv2_werror, &hf_dhcpsrv_werror };
static expert_field *const iface_ei_status[] = { &ei_dhcpsrv2_status_error, &ei_dhcpsrv_status_error };
static ndr_fields *const iface_ndr[] = { &dhcpsrv2_ndr, &dhcpsrv_ndr };

static e_guid_t uuid_dhcpsrv2 = { 0x5b821720, 0xf63b, 0x11d0,
                                  { 0xaa, 0xd2, 0x00, 0xc0, 0x4f, 0xc3, 0x24, 0xdb } };
static e_guid_t uuid_dhcpsrv = { 0x6bffd098, 0xa112, 0x3610,
                                 { 0x98, 0x33, 0x46, 0xc3, 0xf8, 0x74, 0x53, 0x2d } };
static const guint16 ver_dhcpsrv = 1;

/* ------------------------------------------------------------------------ */
/* The opnum registry: every name from the spec, decoders patched in at handoff */

#define DHCPSRV_OP_ENTRY(num, name) { num, #name, NULL, NULL },
static dcerpc_sub_dissector dhcpsrv2_operations[] = {
    DHCPSRV2_OPERATIONS(DHCPSRV_OP_ENTRY)
    { 0, NULL, NULL, NULL }
};
static dcerpc_sub_dissector dhcpsrv_operations[] = {
    DHCPSRV_OPERATIONS(DHCPSRV_OP_ENTRY)
    { 0, NULL, NULL, NULL }
};
#undef DHCPSRV_OP_ENTRY

/* DCE/RPC finds an operation by a linear scan of this table, for every PDU.
 * Once dcerpc_init_uuid() has copied the names into the opnum field's value
 * strings (in opnum order), the operations with a hand-written decoder (now
 * only opnum 97) are moved to the front: opnum 97 is then found first
 * instead of after 98 entries.
 * The table-driven ones (dhcpm-decode.c) follow.  Nothing else depends on
 * the order. */
static void
promote_decoded(dcerpc_sub_dissector *ops)
{
    guint n = 0, i, j = 0;
    dcerpc_sub_dissector *tmp;

    while (ops[n].name)
        n++;
    tmp = g_new(dcerpc_sub_dissector, n);
    for (i = 0; i < n; i++)
        if ((ops[i].dissect_rqst || ops[i].dissect_resp) && !dhcpm_is_generic(ops[i].dissect_rqst))
            tmp[j++] = ops[i];
    for (i = 0; i < n; i++)
        if (!((ops[i].dissect_rqst || ops[i].dissect_resp) && !dhcpm_is_generic(ops[i].dissect_rqst)))
            tmp[j++] = ops[i];
    memcpy(ops, tmp, n * sizeof *ops);
    g_free(tmp);
}

static void
install_decoders(dcerpc_sub_dissector *ops, const dhcpsrv_decoder *decoders, guint n)
{
    guint i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; ops[j].name; j++) {
            if (ops[j].num == decoders[i].opnum) {
                ops[j].dissect_rqst = decoders[i].request;
                ops[j].dissect_resp = decoders[i].response;
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Shared pieces                                                              */

void
dhcpsrv_iface_ndr_init(ndr_t *ndr, tvbuff_t *tvb, packet_info *pinfo, dcerpc_info *di,
                       const guint8 *drep, guint iface)
{
    gboolean ndr64 = di->call_data && (di->call_data->flags & DCERPC_IS_NDR64);

    ndr_init(ndr, tvb, pinfo, iface_ndr[iface], drep, ndr64);
}

void
dhcpsrv2_ndr_init(ndr_t *ndr, tvbuff_t *tvb, packet_info *pinfo, dcerpc_info *di,
                  const guint8 *drep)
{
    gboolean ndr64 = di->call_data && (di->call_data->flags & DCERPC_IS_NDR64);

    ndr_init(ndr, tvb, pinfo, &dhcpsrv2_ndr, drep, ndr64);
}

/* Distinct ServerIpAddress strings of the capture: calls keep a pointer, so
 * per-call state stays a few bytes however long the capture is. */
static wmem_map_t *server_names;
/* The same strings keyed by their wire bytes: a name seen before is neither
 * decoded from UTF-16 nor hashed as text again (ndr_cvstring_interned). */
static wmem_map_t *server_wire_names;

static const char *
intern_server_name(const char *name)
{
    const char *interned = (const char *)wmem_map_lookup(server_names, name);

    if (!interned) {
        interned = wmem_strdup(wmem_file_scope(), name);
        wmem_map_insert(server_names, interned, (void *)interned);
    }
    return interned;
}

/* Call records are carved out of file-scope slabs: one wmem chunk per
 * CALL_SLAB calls instead of one per call saves the allocator's 16-byte chunk
 * header and its work, i.e. half of the plugin's memory per call (16 bytes
 * left, see BENCHMARKS.md).  Reset when the file scope goes away. */
#define CALL_SLAB 1024
static dhcpsrv2_call *call_slab;
static guint call_slab_left;

static void
call_slab_reset(void)
{
    call_slab = NULL;
    call_slab_left = 0;
}

static dhcpsrv2_call *
call_new(void)
{
    if (!call_slab_left) {
        call_slab = wmem_alloc0_array(wmem_file_scope(), dhcpsrv2_call, CALL_SLAB);
        call_slab_left = CALL_SLAB;
    }
    call_slab_left--;
    return call_slab++;
}

dhcpsrv2_call *
dhcpsrv2_call_get(packet_info *pinfo, dcerpc_info *di, gboolean create)
{
    dcerpc_call_value *cv = di->call_data;

    if (!cv)
        return NULL;
    if (!cv->private_data && create && !pinfo->fd->visited)
        cv->private_data = call_new();
    return (dhcpsrv2_call *)cv->private_data;
}

typedef struct server_target {
    int hf;
    const char *value;
} server_target;

static int
server_string(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    server_target *target = (server_target *)arg;
    offset = ndr_cvstring_interned(ndr, tree, offset, target->hf,
                                   server_wire_names, intern_server_name, &target->value);
    /* The label only exists in a visible tree (a faked subtree is the parent). */
    if (target->value && ndr_tree_visible(tree))
        proto_item_append_text(proto_tree_get_parent(tree), ": %s", target->value);
    return offset;
}

/* The shared pieces below are written once, inlined into each interface's
 * entry point: with the interface a constant, the dhcpsrv2 path (opnum 97's)
 * costs what it did before there were two interfaces. */
static inline int
server_handle(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_call *call, guint iface)
{
    server_target target = { *iface_hf_server[iface], NULL };
    const char *value;
    gboolean present;

    offset = ndr_toplevel_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "ServerIpAddress",
                                  server_string, &target, &present);
    value = target.value;
    if (call && !ndr->pinfo->fd->visited && (ndr_ok(ndr) || value)) {
        call->server_ip_address = value;       /* interned by server_string() */
        call->have_server = 1;
    }
    return offset;
}

int
dhcpsrv2_dissect_server_handle(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_call *call)
{
    return server_handle(ndr, tree, offset, call, DHCPSRV2_IF_DHCPSRV2);
}

int
dhcpsrv_dissect_server_handle_if(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_call *call,
                                 guint iface)
{
    return server_handle(ndr, tree, offset, call, iface);
}

static inline void
add_request_server(proto_tree *tree, tvbuff_t *tvb, const dhcpsrv2_call *call, guint iface)
{
    int hf_server = *iface_hf_server[iface];
    proto_item *pi;

    if (!tree || !call || !call->have_server)
        return;
    if (call->server_ip_address) {
        pi = ndr_keeps_item(tree, hf_server)
             ? proto_tree_add_string(tree, hf_server, tvb, 0, 0,
                                     call->server_ip_address)
             : (proto_item *)tree;      /* what the faked call returns */
    } else if (!ndr_tree_visible(tree)) {
        pi = (proto_item *)tree;
    } else {
        /* NULL: said in the tree, but no field value to filter on. */
        proto_tree_add_subtree(tree, tvb, 0, 0, iface_ndr[iface]->ett_pointer, &pi,
                               "ServerIpAddress: NULL");
    }
    proto_item_set_generated(pi);
}

void
dhcpsrv2_add_request_server(proto_tree *tree, tvbuff_t *tvb, const dhcpsrv2_call *call)
{
    add_request_server(tree, tvb, call, DHCPSRV2_IF_DHCPSRV2);
}

void
dhcpsrv_add_request_server_if(proto_tree *tree, tvbuff_t *tvb, const dhcpsrv2_call *call,
                              guint iface)
{
    add_request_server(tree, tvb, call, iface);
}

dhcpsrv2_tap_record *
dhcpsrv2_tap_record_new(packet_info *pinfo, dcerpc_info *di, const dhcpsrv2_call *call,
                        gboolean ndr64)
{
    dhcpsrv2_tap_record *rec = wmem_new0(pinfo->pool, dhcpsrv2_tap_record);
    dcerpc_call_value *cv = di->call_data;

    rec->ndr64 = ndr64;
    rec->rsp_frame = pinfo->num;
    if (cv) {
        rec->opnum = cv->opnum;
        rec->req_frame = cv->req_frame;
        if (cv->req_frame)
            nstime_delta(&rec->response_time, &pinfo->abs_ts, &cv->req_time);
    }
    copy_address_shallow(&rec->server, &pinfo->src);
    copy_address_shallow(&rec->client, &pinfo->dst);
    if (call)
        rec->server_ip_address = call->server_ip_address;
    return rec;
}

/* " a.b.c.d" without printf: col_append_fstr()'s vsnprintf of four %u was
 * ~1 900 Ir per call, ip_num_to_str_buf() + col_append_str() ~300 (BENCHMARKS.md,
 * "where the instructions go").  Nothing to do without an Info column. */
void
dhcpsrv2_append_ipv4_to_info(packet_info *pinfo, guint32 ip)
{
    gchar text[1 + WS_INET_ADDRSTRLEN] = " ";

    if (!pinfo->cinfo)
        return;
    compat_ip_num_to_str_buf(ip, text + 1, WS_INET_ADDRSTRLEN);
    col_append_str(pinfo->cinfo, COL_INFO, text);
}

const char *
dhcpsrv2_status_text(packet_info *pinfo, guint32 status)
{
    const char *name = dhcpsrv_werror_name(status);
    return name ? name : wmem_strdup_printf(pinfo->pool, "0x%08x", status);
}

/* The tree of the response being dissected, for the failover experts of
 * dhcpsrv2_end_response() (every response dissects its status, then ends). */
static proto_tree *response_tree;

static inline int
dissect_status(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_tap_record *rec, guint iface,
               gboolean to_info)
{
    proto_item *pi;
    guint32 status;

    response_tree = tree;

    offset = ndr_u32_item(ndr, tree, offset, *iface_hf_werror[iface], &status, &pi);
    if (!ndr_ok(ndr))
        return offset;
    rec->status_valid = TRUE;
    rec->status = status;
    if (to_info && ndr->pinfo->cinfo) {   /* no Info column (tshark -T fields, -q): no text */
        /* Two plain appends: no vsnprintf for a constant separator. */
        col_append_str(ndr->pinfo->cinfo, COL_INFO, ", ");
        col_append_str(ndr->pinfo->cinfo, COL_INFO, dhcpsrv2_status_text(ndr->pinfo, status));
    }
    if (status != 0)
        expert_add_info_format(ndr->pinfo, pi, iface_ei_status[iface], "Server returned %s",
                               dhcpsrv2_status_text(ndr->pinfo, status));
    return offset;
}

int
dhcpsrv2_dissect_status(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_tap_record *rec)
{
    return dissect_status(ndr, tree, offset, rec, DHCPSRV2_IF_DHCPSRV2, TRUE);
}

int
dhcpsrv2_dissect_status_no_info(ndr_t *ndr, proto_tree *tree, int offset,
                                dhcpsrv2_tap_record *rec)
{
    return dissect_status(ndr, tree, offset, rec, DHCPSRV2_IF_DHCPSRV2, FALSE);
}

int
dhcpsrv_dissect_status_if(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_tap_record *rec,
                          guint iface)
{
    return dissect_status(ndr, tree, offset, rec, iface, TRUE);
}

int
dhcpsrv2_end_request(ndr_t *ndr, int offset, dhcpsrv2_call *call, const guint32 *ip)
{
    if (!ndr_ok(ndr)) {
        col_append_str(ndr->pinfo->cinfo, COL_INFO, " [malformed stub]");
        return (int)tvb_reported_length(ndr->tvb);
    }
    if (ip) {
        dhcpsrv2_append_ipv4_to_info(ndr->pinfo, *ip);
        if (call && !ndr->pinfo->fd->visited) {
            call->scope_id = *ip;
            call->have_scope = 1;
        }
    }
    return offset;
}

int
dhcpsrv2_end_response(ndr_t *ndr, int offset, dhcpsrv2_tap_record *rec)
{
    if (!ndr_ok(ndr)) {
        rec->malformed = TRUE;
        col_append_str(ndr->pinfo->cinfo, COL_INFO, " [malformed stub]");
        /* The NDR expert error covers the rest; no extra "long frame" noise. */
        offset = (int)tvb_reported_length(ndr->tvb);
    }
    /* The stub may still be found untrusted by the frame's sealed scan: then
     * the model's experts wait for that verdict. */
    if (!dhcpsrv_sealed_track_record(ndr->pinfo, rec, response_tree, ndr->tvb))
        dhcpsrv2_failover_experts(response_tree, ndr->pinfo, ndr->tvb, rec);
    response_tree = NULL;
    tap_queue_packet(dhcpsrv2_tap, ndr->pinfo, rec);
    return offset;
}

void
dhcpsrv2_tap_queue(packet_info *pinfo, dhcpsrv2_tap_record *rec)
{
    tap_queue_packet(dhcpsrv2_tap, pinfo, rec);
}

/* ------------------------------------------------------------------------ */
/* Registration                                                               */

void
proto_register_dhcpsrv(void)
{
    static hf_register_info hf_dhcpsrv2[] = {
        { &hf_dhcpsrv2_opnum,
          { "Operation", "dhcpsrv2.opnum", FT_UINT16, BASE_DEC,
            NULL, 0, "dhcpsrv2 operation number", HFILL }},
        { &hf_dhcpsrv2_server_ip_address,
          { "ServerIpAddress", "dhcpsrv2.server_ip_address", FT_STRING, BASE_NONE,
            NULL, 0, "DHCP_SRV_HANDLE: the server the caller addressed (unused by the server)",
            HFILL }},
        { &hf_dhcpsrv2_werror,
          { "Return status", "dhcpsrv2.werror", FT_UINT32, BASE_HEX | BASE_EXT_STRING,
            NULL /* set below */, 0, "Win32 or DHCP server status (0 = ERROR_SUCCESS)", HFILL }},
    };
    static hf_register_info hf_dhcpsrv[] = {
        { &hf_dhcpsrv_opnum,
          { "Operation", "dhcpsrv.opnum", FT_UINT16, BASE_DEC,
            NULL, 0, "dhcpsrv operation number", HFILL }},
        { &hf_dhcpsrv_server_ip_address,
          { "ServerIpAddress", "dhcpsrv.server_ip_address", FT_STRING, BASE_NONE,
            NULL, 0, "DHCP_SRV_HANDLE: the server the caller addressed (unused by the server)",
            HFILL }},
        { &hf_dhcpsrv_werror,
          { "Return status", "dhcpsrv.werror", FT_UINT32, BASE_HEX | BASE_EXT_STRING,
            NULL /* set below */, 0, "Win32 or DHCP server status (0 = ERROR_SUCCESS)", HFILL }},
    };
    static ei_register_info ei_dhcpsrv[] = {
        { &ei_dhcpsrv_status_error,
          { "dhcpsrv.expert.status_error", PI_RESPONSE_CODE, PI_NOTE,
            "The server returned an error status", EXPFILL }},
    };
    static gint *ett[] = { &ett_dhcpsrv2, &ett_dhcpsrv };
    static ei_register_info ei[] = {
        { &ei_dhcpsrv2_status_error,
          { "dhcpsrv2.expert.status_error", PI_RESPONSE_CODE, PI_NOTE,
            "The server returned an error status", EXPFILL }},
    };
    expert_module_t *expert;

    dhcpsrv_werror_init();
    hf_dhcpsrv2[2].hfinfo.strings = dhcpsrv_werror_ext();
    hf_dhcpsrv[2].hfinfo.strings = dhcpsrv_werror_ext();

    proto_dhcpsrv2 = proto_register_protocol("Microsoft DHCP Server Management Protocol (dhcpsrv2)",
                                             "DHCPSRV2", "dhcpsrv2");
    proto_register_field_array(proto_dhcpsrv2, hf_dhcpsrv2, array_length(hf_dhcpsrv2));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto_dhcpsrv2);
    expert_register_field_array(expert, ei, array_length(ei));
    ndr_register_fields(proto_dhcpsrv2, "dhcpsrv2", &dhcpsrv2_ndr);
    dhcpsrv2_scope_stats_register(proto_dhcpsrv2);
    dhcpsrv2_failover_register(proto_dhcpsrv2);
    dhcpsrv2_failover_experts_register(proto_dhcpsrv2);

    proto_dhcpsrv = proto_register_protocol("Microsoft DHCP Server Management Protocol (dhcpsrv)",
                                            "DHCPSRV", "dhcpsrv");
    proto_register_field_array(proto_dhcpsrv, hf_dhcpsrv, array_length(hf_dhcpsrv));
    expert = expert_register_protocol(proto_dhcpsrv);
    expert_register_field_array(expert, ei_dhcpsrv, array_length(ei_dhcpsrv));
    ndr_register_fields(proto_dhcpsrv, "dhcpsrv", &dhcpsrv_ndr);

    /* Last: every field of the description not registered by hand above. */
    dhcpm_register(proto_dhcpsrv, proto_dhcpsrv2);

    dhcpsrv2_tap = register_tap(DHCPSRV2_TAP_NAME);
    server_names = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                          g_str_hash, g_str_equal);
    server_wire_names = ndr_string_cache_new();
    register_cleanup_routine(call_slab_reset);
    dhcpsrv_sealed_register(proto_dhcpsrv2, proto_dhcpsrv);
    dhcpm_handoff_register(proto_dhcpsrv2, prefs_find_module("dhcpsrv2"));
}

void
proto_reg_handoff_dhcpsrv(void)
{
    install_decoders(dhcpsrv2_operations, dhcpsrv2_scope_stats_decoders,
                     dhcpsrv2_scope_stats_decoder_count);
    /* Every other described operation: the table-driven decoder. */
    dhcpm_install(dhcpsrv2_operations, DHCPSRV2_IF_DHCPSRV2);
    dhcpm_install(dhcpsrv_operations, DHCPSRV2_IF_DHCPSRV);
    dcerpc_init_uuid(proto_dhcpsrv2, ett_dhcpsrv2, &uuid_dhcpsrv2, ver_dhcpsrv,
                     dhcpsrv2_operations, hf_dhcpsrv2_opnum);
    dcerpc_init_uuid(proto_dhcpsrv, ett_dhcpsrv, &uuid_dhcpsrv, ver_dhcpsrv,
                     dhcpsrv_operations, hf_dhcpsrv_opnum);
    dhcpm_handoff_install(DHCPM_HANDOFF_DHCPSRV2, proto_dhcpsrv2, &uuid_dhcpsrv2, ver_dhcpsrv);
    dhcpm_handoff_install(DHCPM_HANDOFF_DHCPSRV, proto_dhcpsrv, &uuid_dhcpsrv, ver_dhcpsrv);
    promote_decoded(dhcpsrv2_operations);
    dhcpsrv_sealed_handoff();
}

void
dhcpsrv_install_generic(dcerpc_sub_dissector *ops, guint16 opnum, dcerpc_dissect_fnct_t *request,
                        dcerpc_dissect_fnct_t *response)
{
    guint j;

    for (j = 0; ops[j].name; j++) {
        if (ops[j].num == opnum && !ops[j].dissect_rqst && !ops[j].dissect_resp) {
            ops[j].dissect_rqst = request;
            ops[j].dissect_resp = response;
            return;
        }
    }
}
