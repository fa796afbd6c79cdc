/* dhcpsrv2-failover.c -- the DHCPv4 failover methods of dhcpsrv2 other than
 * GetScopeStatistics (dhcpsrv2-scope-stats.c): relationships (opnums 89, 90,
 * 92-96), client lease information (98), the server clock (99) and address
 * ownership (125).  91 and 100 are decoded from the description
 * (dhcpm-decode.c).
 *
 * One function per IDL type, in the order of the spec's field tables
 * ([MS-DHCPM] 2.2.1.2.98-101, 2.2.1.2.18, 3.2.4.90-101, 3.2.4.126).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/unit_strings.h>
#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <epan/address_types.h>
#include <wsutil/str_util.h>
#include <epan/dissectors/packet-dcerpc.h>
#include "ws-compat.h"        /* compat_val_to_str (4.6 takes a scope) */

#include "dhcpsrv2.h"

/* DHCP_FAILOVER_RELATIONSHIP */
static int hf_rel_primary_server = -1;
static int hf_rel_secondary_server = -1;
static int hf_rel_mode = -1;
static int hf_rel_server_type = -1;
static int hf_rel_state = -1;
static int hf_rel_prev_state = -1;
static int hf_rel_mclt = -1;
static int hf_rel_safe_period = -1;
static int hf_rel_relationship_name = -1;
static int hf_rel_primary_server_name = -1;
static int hf_rel_secondary_server_name = -1;
static int hf_rel_percentage = -1;
static int hf_rel_shared_secret = -1;
/* DHCP_IP_ARRAY */
static int hf_ip_array_num_elements = -1;
static int hf_ip_array_element = -1;
/* DHCP_FAILOVER_RELATIONSHIP_ARRAY */
static int hf_rel_array_num_elements = -1;
/* method parameters */
static int hf_relationship_name = -1;
static int hf_set_flags = -1;
static int hf_set_flags_mclt = -1;
static int hf_set_flags_safeperiod = -1;
static int hf_set_flags_changestate = -1;
static int hf_set_flags_percentage = -1;
static int hf_set_flags_mode = -1;
static int hf_set_flags_prevstate = -1;
static int hf_resume_handle = -1;
static int hf_preferred_maximum = -1;
static int hf_relationship_read = -1;
static int hf_relationship_total = -1;
static int hf_system_time = -1;
static int hf_max_allowed_delta_time = -1;
static int hf_clock_offset = -1;
static int hf_subnet_address = -1;
static int hf_address_status = -1;
/* DHCP_SEARCH_INFO */
static int hf_search_type = -1;
static int hf_search_client_ip_address = -1;
static int hf_search_client_hardware_address = -1;
static int hf_search_client_name = -1;
static int hf_binary_data_length = -1;
/* DHCPV4_FAILOVER_CLIENT_INFO */
static int hf_ci_client_ip_address = -1;
static int hf_ci_subnet_mask = -1;
static int hf_ci_client_hardware_address = -1;
static int hf_ci_client_name = -1;
static int hf_ci_client_comment = -1;
static int hf_ci_client_lease_expires = -1;
static int hf_ci_owner_host_ip_address = -1;
static int hf_ci_owner_host_net_bios_name = -1;
static int hf_ci_owner_host_host_name = -1;
static int hf_ci_client_type = -1;
static int hf_ci_address_state = -1;
static int hf_ci_address_state_state = -1;
static int hf_ci_address_state_name_protection = -1;
static int hf_ci_address_state_dns = -1;
static int hf_ci_status = -1;
static int hf_ci_probation_ends = -1;
static int hf_ci_quarantine_capable = -1;
static int hf_ci_sent_pot_exp_time = -1;
static int hf_ci_ack_pot_exp_time = -1;
static int hf_ci_recv_pot_exp_time = -1;
static int hf_ci_start_time = -1;
static int hf_ci_clt_last_trans_time = -1;
static int hf_ci_last_bnd_upd_time = -1;
static int hf_ci_bnd_msg_status = -1;
static int hf_ci_policy_name = -1;
static int hf_ci_flags = -1;

static gint ett_relationship = -1;
static gint ett_ip_array = -1;
static gint ett_rel_array = -1;
static gint ett_set_flags = -1;
static gint ett_search_info = -1;
static gint ett_client_info = -1;
static gint ett_binary_data = -1;
static gint ett_host_info = -1;
static gint ett_address_state = -1;

static expert_field ei_state_not_normal = EI_INIT;
static expert_field ei_percentage_out_of_range = EI_INIT;
static expert_field ei_invalid_enum = EI_INIT;
static expert_field ei_clock_skew_capture = EI_INIT;
static expert_field ei_clock_skew_partner = EI_INIT;
static expert_field ei_api_extension = EI_INIT;
static expert_field ei_count_mismatch = EI_INIT;

/* Partners must keep their clocks within one minute of each other
 * (Windows DHCP failover; larger drift breaks the relationship). */
static guint clock_skew_tolerance = 60;

/* ------------------------------------------------------------------------ */
/* Enumerations (2.2.1.1.18-20, 2.2.1.1.3, 2.2.1.1.11) and flags              */

static const value_string failover_mode_vals[] = {
    { 0, "LoadBalance" },
    { 1, "HotStandby" },
    { 0, NULL }
};

static const value_string failover_server_vals[] = {
    { 0, "PrimaryServer" },
    { 1, "SecondaryServer" },
    { 0, NULL }
};

static const value_string fsm_state_vals[] = {
    { 0, "NO_STATE" },
    { 1, "INIT" },
    { 2, "STARTUP" },
    { 3, "NORMAL" },
    { 4, "COMMUNICATION_INT" },
    { 5, "PARTNER_DOWN" },
    { 6, "POTENTIAL_CONFLICT" },
    { 7, "CONFLICT_DONE" },
    { 8, "RESOLUTION_INT" },
    { 9, "RECOVER" },
    { 10, "RECOVER_WAIT" },
    { 11, "RECOVER_DONE" },
    { 0, NULL }
};

static const value_string search_info_type_vals[] = {
    { 0, "DhcpClientIpAddress" },
    { 1, "DhcpClientHardwareAddress" },
    { 2, "DhcpClientName" },
    { 0, NULL }
};

static const value_string quarantine_status_vals[] = {
    { 0, "NOQUARANTINE" },
    { 1, "RESTRICTEDACCESS" },
    { 2, "DROPPACKET" },
    { 3, "PROBATION" },
    { 4, "EXEMPT" },
    { 5, "DEFAULTQUARSETTING" },
    { 6, "NOQUARINFO" },
    { 0, NULL }
};

static const value_string address_status_vals[] = {
    { 0, "Owned by the primary server" },
    { 1, "Owned by the secondary server" },
    { 2, "Excluded from allocation" },
    { 3, "Reserved" },
    { 0, NULL }
};

static const value_string client_type_vals[] = {
    { 0x00, "Unspecified" },
    { 0x01, "DHCP" },
    { 0x02, "BOOTP" },
    { 0x03, "DHCP and BOOTP" },
    { 0x04, "Reservation" },
    { 0x64, "None (manual)" },
    { 0, NULL }
};

static const value_string address_state_state_vals[] = {
    { 0, "Offered" },
    { 1, "Active" },
    { 2, "Declined" },
    { 3, "Doomed" },
    { 0, NULL }
};

static const value_string address_state_name_protection_vals[] = {
    { 0, "None" },
    { 1, "DHCID without client-id option" },
    { 2, "DHCID with client-id option" },
    { 3, "DHCID with DUID" },
    { 0, NULL }
};

static const value_string safe_period_vals[] = {
    { 0xFFFFFFFF, "infinite" },
    { 0, NULL }
};

/* R_DhcpV4FailoverSetRelationship Flags (3.2.4.91) */
#define SET_FLAG_MCLT        0x01
#define SET_FLAG_SAFEPERIOD  0x02
#define SET_FLAG_CHANGESTATE 0x04
#define SET_FLAG_PERCENTAGE  0x08
#define SET_FLAG_MODE        0x10
#define SET_FLAG_PREVSTATE   0x20

static int *const set_flags_bits[] = {
    &hf_set_flags_mclt, &hf_set_flags_safeperiod, &hf_set_flags_changestate,
    &hf_set_flags_percentage, &hf_set_flags_mode, &hf_set_flags_prevstate, NULL
};

/* ------------------------------------------------------------------------ */
/* Small shared pieces                                                        */

/* An enum field; values outside `vals` get an expert warning. */
static int
dissect_checked_enum(ndr_t *ndr, proto_tree *tree, int offset, int hf, const value_string *vals,
                     guint32 *value)
{
    int start = ndr_align(offset, ndr->ndr64 ? 4 : 2);
    guint32 v;

    offset = ndr_enum(ndr, tree, offset, hf, &v);
    if (value)
        *value = v;
    if (ndr_ok(ndr) && !try_val_to_str(v, vals))
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_invalid_enum, ndr->tvb, start,
                                     offset - start, "%s: %u is not a defined value",
                                     proto_registrar_get_name(hf), v);
    return offset;
}

/* The referent of an LPWSTR: a [string] wchar_t array.  `arg` is a
 * `struct wstring_target` saying which field to add and where to keep the text. */
typedef struct wstring_target {
    int hf;
    const char **value;
} wstring_target;

static int
dissect_wstring_referent(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    const wstring_target *target = (const wstring_target *)arg;
    const char *text = NULL;

    offset = ndr_cvstring(ndr, tree, offset, target->hf, &text);
    if (target->value)
        *target->value = text;
    if (text && tree)
        proto_item_append_text(proto_tree_get_parent(tree), ": %s", text);
    return offset;
}

/* An embedded LPWSTR member. */
static int
dissect_embedded_wstring(ndr_t *ndr, proto_tree *tree, int offset, const char *label, int hf,
                         const char **value)
{
    wstring_target *target = wmem_new(ndr->pinfo->pool, wstring_target);

    target->hf = hf;
    target->value = value;
    if (value)
        *value = NULL;
    return ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, label,
                                dissect_wstring_referent, target, NULL);
}

/* A top-level [in, unique, string] LPWSTR parameter. */
static int
dissect_toplevel_wstring(ndr_t *ndr, proto_tree *tree, int offset, const char *label, int hf,
                         const char **value)
{
    wstring_target target = { hf, value };

    if (value)
        *value = NULL;
    return ndr_toplevel_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, label,
                                dissect_wstring_referent, &target, NULL);
}

/* DATE_TIME (2.2.1.2.11): a FILETIME as two DWORDs, 4-aligned. */
static int
dissect_DATE_TIME(ndr_t *ndr, proto_tree *tree, int offset, int hf)
{
    guint32 low, high;
    int start = ndr_align(offset, 4);
    nstime_t ts;

    /* Read without an item (the tree is passed so that a short stub is
     * reported where it is), then shown as one date. */
    offset = ndr_u32(ndr, tree, offset, -1, &low);
    offset = ndr_u32(ndr, tree, offset, -1, &high);
    if (!ndr_ok(ndr) || !tree)
        return offset;
    /* The value is the FILETIME itself, as in the table-driven decoder
     * (ndr-type.c); the special values only get a text. */
    if (!filetime_to_nstime(&ts, ((guint64)high << 32) | low)) {
        nstime_set_unset(&ts);
        proto_tree_add_time_format_value(tree, hf, ndr->tvb, start, 8, &ts,
                                         "Out of range (0x%08x%08x)", high, low);
    } else if (low == 0 && high == 0) {
        proto_tree_add_time_format_value(tree, hf, ndr->tvb, start, 8, &ts, "Not set (0)");
    } else if (high == 0x7FFFFFFF && low == 0xFFFFFFFF) {
        proto_tree_add_time_format_value(tree, hf, ndr->tvb, start, 8, &ts, "Infinite");
    } else {
        proto_tree_add_time(tree, hf, ndr->tvb, start, 8, &ts);
    }
    return offset;
}

/* A DWORD counting seconds since 1970-01-01 UTC. */
static int
dissect_time_t(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *value)
{
    guint32 v;
    int start = ndr_align(offset, 4);
    nstime_t ts;

    offset = ndr_u32(ndr, tree, offset, -1, &v);
    if (value)
        *value = v;
    if (!ndr_ok(ndr) || !tree || hf <= 0)
        return offset;
    ts.secs = (time_t)v;
    ts.nsecs = 0;
    if (v == 0)
        proto_tree_add_time_format_value(tree, hf, ndr->tvb, start, 4, &ts, "Not set (0)");
    else
        proto_tree_add_time(tree, hf, ndr->tvb, start, 4, &ts);
    return offset;
}

static void
append_quoted_to_info(packet_info *pinfo, const char *text)
{
    if (text)
        col_append_fstr(pinfo->cinfo, COL_INFO, " \"%s\"", text);
}

/* ------------------------------------------------------------------------ */
/* DHCP_IP_ARRAY (2.2.1.2.46)                                                 */

static int
dissect_ip_array_element(ndr_t *ndr, proto_tree *tree, int offset, guint32 index, void *arg)
{
    dhcpsrv2_relationship *rel = (dhcpsrv2_relationship *)arg;
    guint32 ip;

    offset = ndr_u32(ndr, tree, offset, hf_ip_array_element, &ip);
    if (ndr_ok(ndr) && rel && index < DHCPSRV2_TAP_MAX_SCOPES) {
        rel->scopes[index] = ip;
        rel->scopes_stored = index + 1;
    }
    return offset;
}

static int
dissect_ip_array_elements(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    dhcpsrv2_relationship *rel = (dhcpsrv2_relationship *)arg;
    guint32 count;
    int start = ndr_align(offset, ndr_ptr_size(ndr));

    offset = ndr_conformant_array(ndr, tree, offset, 4, dissect_ip_array_element, rel, &count);
    if (ndr_ok(ndr) && rel && count != rel->num_scopes)
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_count_mismatch, ndr->tvb, start,
                                     ndr_ptr_size(ndr),
                                     "Array holds %u elements, NumElements says %u", count,
                                     rel->num_scopes);
    return offset;
}

static int
dissect_DHCP_IP_ARRAY(ndr_t *ndr, proto_tree *parent, int offset, void *arg)
{
    dhcpsrv2_relationship *rel = (dhcpsrv2_relationship *)arg;
    proto_tree *tree;
    guint32 count;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    tree = ndr_subtree(ndr, parent, offset, ndr->ndr64 ? 16 : 8, ett_ip_array, NULL,
                       "DHCP_IP_ARRAY");
    offset = ndr_u32(ndr, tree, offset, hf_ip_array_num_elements, &count);
    rel->num_scopes = count;
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "Elements",
                                  dissect_ip_array_elements, rel, NULL);
    return ndr_struct_end(ndr, offset, 8);
}

/* ------------------------------------------------------------------------ */
/* DHCP_FAILOVER_RELATIONSHIP (2.2.1.2.98)                                    */

static int
dissect_DHCP_FAILOVER_RELATIONSHIP(ndr_t *ndr, proto_tree *parent, int offset, void *arg)
{
    dhcpsrv2_relationship *rel = (dhcpsrv2_relationship *)arg;
    proto_tree *tree;
    int start;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    tree = ndr_subtree(ndr, parent, offset, ndr->ndr64 ? 80 : 48, ett_relationship, NULL,
                       "DHCP_FAILOVER_RELATIONSHIP");
    offset = ndr_u32(ndr, tree, offset, hf_rel_primary_server, &rel->primary_server);
    offset = ndr_u32(ndr, tree, offset, hf_rel_secondary_server, &rel->secondary_server);
    offset = dissect_checked_enum(ndr, tree, offset, hf_rel_mode, failover_mode_vals, &rel->mode);
    offset = dissect_checked_enum(ndr, tree, offset, hf_rel_server_type, failover_server_vals,
                                  &rel->server_type);
    offset = dissect_checked_enum(ndr, tree, offset, hf_rel_state, fsm_state_vals, &rel->state);
    offset = dissect_checked_enum(ndr, tree, offset, hf_rel_prev_state, fsm_state_vals,
                                  &rel->prev_state);
    offset = ndr_u32(ndr, tree, offset, hf_rel_mclt, &rel->mclt);
    offset = ndr_u32(ndr, tree, offset, hf_rel_safe_period, &rel->safe_period);
    offset = dissect_embedded_wstring(ndr, tree, offset, "relationshipName",
                                      hf_rel_relationship_name, &rel->name);
    offset = dissect_embedded_wstring(ndr, tree, offset, "primaryServerName",
                                      hf_rel_primary_server_name, &rel->primary_server_name);
    offset = dissect_embedded_wstring(ndr, tree, offset, "secondaryServerName",
                                      hf_rel_secondary_server_name, &rel->secondary_server_name);
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "pScopes",
                                  dissect_DHCP_IP_ARRAY, rel, NULL);
    start = offset;
    offset = ndr_u8(ndr, tree, offset, hf_rel_percentage, &rel->percentage);
    if (ndr_ok(ndr) && rel->percentage > 100)
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_percentage_out_of_range, ndr->tvb,
                                     start, 1, "percentage %u is above 100", rel->percentage);
    offset = dissect_embedded_wstring(ndr, tree, offset, "pSharedSecret", hf_rel_shared_secret,
                                      NULL);
    return ndr_struct_end(ndr, offset, 8);
}

/* Checks of a relationship a server reported (responses only: in requests
 * the server ignores or overrides state). */
static void
check_reported_relationship(ndr_t *ndr, proto_tree *tree, const dhcpsrv2_relationship *rel)
{
    if (rel->state != DHCPSRV2_FSM_NORMAL)
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_state_not_normal, ndr->tvb, 0, 0,
                                     "Relationship \"%s\" is in state %s (previous state %s)",
                                     rel->name ? rel->name : "?",
                                     val_to_str_const(rel->state, fsm_state_vals, "unknown"),
                                     val_to_str_const(rel->prev_state, fsm_state_vals, "unknown"));
}

static void
append_relationship_to_info(packet_info *pinfo, const dhcpsrv2_relationship *rel)
{
    append_quoted_to_info(pinfo, rel->name);
    col_append_fstr(pinfo->cinfo, COL_INFO, " %s %s",
                    val_to_str_const(rel->mode, failover_mode_vals, "mode?"),
                    val_to_str_const(rel->state, fsm_state_vals, "state?"));
}

/* ------------------------------------------------------------------------ */
/* DHCP_FAILOVER_RELATIONSHIP_ARRAY (2.2.1.2.99)                              */

typedef struct relationship_list {
    guint32 num_elements;            /* numElements as sent */
    guint32 count;                   /* conformance of the array */
    dhcpsrv2_relationship *items;    /* `count` entries, packet scope */
} relationship_list;

static int
dissect_relationship_element(ndr_t *ndr, proto_tree *tree, int offset, guint32 index, void *arg)
{
    relationship_list *list = (relationship_list *)arg;

    if (!list->items)   /* count is bounded by the bytes present (80/48 per element) */
        list->items = wmem_alloc0_array(ndr->pinfo->pool, dhcpsrv2_relationship, list->count);
    return dissect_DHCP_FAILOVER_RELATIONSHIP(ndr, tree, offset, &list->items[index]);
}

static int
dissect_relationship_elements(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    relationship_list *list = (relationship_list *)arg;
    int start = ndr_align(offset, ndr_ptr_size(ndr));

    offset = ndr_conformant_array(ndr, tree, offset, ndr->ndr64 ? 80 : 48,
                                  dissect_relationship_element, list, &list->count);
    if (ndr_ok(ndr) && list->count != list->num_elements)
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_count_mismatch, ndr->tvb, start,
                                     ndr_ptr_size(ndr),
                                     "Array holds %u elements, numElements says %u",
                                     list->count, list->num_elements);
    return offset;
}

static int
dissect_DHCP_FAILOVER_RELATIONSHIP_ARRAY(ndr_t *ndr, proto_tree *parent, int offset, void *arg)
{
    relationship_list *list = (relationship_list *)arg;
    proto_tree *tree;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    tree = ndr_subtree(ndr, parent, offset, ndr->ndr64 ? 16 : 8, ett_rel_array, NULL,
                       "DHCP_FAILOVER_RELATIONSHIP_ARRAY");
    offset = ndr_u32(ndr, tree, offset, hf_rel_array_num_elements, &list->num_elements);
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "pRelationships",
                                  dissect_relationship_elements, list, NULL);
    return ndr_struct_end(ndr, offset, 8);
}

/* ------------------------------------------------------------------------ */
/* Relationship methods                                                       */

static int
dissect_relationship_request_common(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                    proto_tree *tree, dcerpc_info *di, guint8 *drep,
                                    gboolean with_flags)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    dhcpsrv2_relationship *rel = wmem_new0(pinfo->pool, dhcpsrv2_relationship);
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    if (with_flags) {
        int start = ndr_align(offset, 4);
        offset = ndr_u32(&ndr, tree, offset, -1, NULL);
        if (ndr_ok(&ndr) && tree)
            proto_tree_add_bitmask(tree, tvb, start, hf_set_flags, ett_set_flags,
                                   set_flags_bits, ndr.encoding);
    }
    /* pRelationship: [in] top-level ref pointer, so the structure is in place. */
    offset = ndr_toplevel_pointer(&ndr, tree, offset, NDR_PTR_REF, "pRelationship",
                                  dissect_DHCP_FAILOVER_RELATIONSHIP, rel, NULL);
    if (ndr_ok(&ndr))
        append_quoted_to_info(pinfo, rel->name);
    return dhcpsrv2_end_request(&ndr, offset, call, NULL);
}

/* Opnum 89: R_DhcpV4FailoverCreateRelationship (3.2.4.90);
 * 94: AddScopeToRelationship (3.2.4.95); 95: DeleteScopeFromRelationship (3.2.4.96). */
static int
dissect_relationship_in_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                                dcerpc_info *di, guint8 *drep)
{
    return dissect_relationship_request_common(tvb, offset, pinfo, tree, di, drep, FALSE);
}

/* Opnum 90: R_DhcpV4FailoverSetRelationship (3.2.4.91) */
static int
dissect_SetRelationship_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                                dcerpc_info *di, guint8 *drep)
{
    return dissect_relationship_request_common(tvb, offset, pinfo, tree, di, drep, TRUE);
}

/* Responses that carry nothing but the status (89, 90, 91, 94, 95, 100). */
static int
dissect_status_only_response(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                             dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv2_tap_record *rec;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    offset = dhcpsrv2_dissect_status(&ndr, tree, offset, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

/* Opnum 91: DeleteRelationship (3.2.4.92), 92: GetRelationship (3.2.4.93),
 * 100: TriggerAddrAllocation (3.2.4.101): SRV and a relationship name. */
static int
dissect_relationship_name_request(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                  proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    const char *name;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    offset = dissect_toplevel_wstring(&ndr, tree, offset, "pRelationshipName",
                                      hf_relationship_name, &name);
    if (ndr_ok(&ndr))
        append_quoted_to_info(pinfo, name);
    return dhcpsrv2_end_request(&ndr, offset, call, NULL);
}

/* [out] LPDHCP_FAILOVER_RELATIONSHIP *pRelationship: a ref pointer (no wire
 * form) to a unique pointer to the structure. */
static int
dissect_relationship_out(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_tap_record *rec)
{
    dhcpsrv2_relationship *rel = wmem_new0(ndr->pinfo->pool, dhcpsrv2_relationship);
    gboolean present;

    offset = ndr_toplevel_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "pRelationship",
                                  dissect_DHCP_FAILOVER_RELATIONSHIP, rel, &present);
    if (present && ndr_ok(ndr)) {
        rel->complete = TRUE;
        rec->relationships = rel;
        rec->n_relationships = 1;
        check_reported_relationship(ndr, tree, rel);
        append_relationship_to_info(ndr->pinfo, rel);
    }
    return offset;
}

/* Opnum 92: R_DhcpV4FailoverGetRelationship response */
static int
dissect_GetRelationship_response(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                 proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv2_tap_record *rec;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    offset = dissect_relationship_out(&ndr, tree, offset, rec);
    offset = dhcpsrv2_dissect_status(&ndr, tree, offset, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

/* Opnum 93: R_DhcpV4FailoverEnumRelationship (3.2.4.94) */
static int
dissect_EnumRelationship_request(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                 proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    guint32 resume, preferred;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    offset = ndr_u32(&ndr, tree, offset, hf_resume_handle, &resume);
    offset = ndr_u32(&ndr, tree, offset, hf_preferred_maximum, &preferred);
    if (ndr_ok(&ndr))
        col_append_fstr(pinfo->cinfo, COL_INFO, " resume %u, max %u bytes", resume, preferred);
    return dhcpsrv2_end_request(&ndr, offset, call, NULL);
}

static int
dissect_EnumRelationship_response(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                  proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    relationship_list list = { 0, 0, NULL };
    dhcpsrv2_tap_record *rec;
    guint32 read = 0, total = 0, i;
    gboolean present;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    offset = ndr_u32(&ndr, tree, offset, hf_resume_handle, NULL);
    offset = ndr_toplevel_pointer(&ndr, tree, offset, NDR_PTR_UNIQUE, "pRelationship",
                                  dissect_DHCP_FAILOVER_RELATIONSHIP_ARRAY, &list, &present);
    if (present && ndr_ok(&ndr) && list.items) {
        rec->relationships = list.items;
        rec->n_relationships = list.count;
        for (i = 0; i < list.count; i++) {
            list.items[i].complete = TRUE;
            check_reported_relationship(&ndr, tree, &list.items[i]);
        }
    }
    offset = ndr_u32(&ndr, tree, offset, hf_relationship_read, &read);
    offset = ndr_u32(&ndr, tree, offset, hf_relationship_total, &total);
    if (ndr_ok(&ndr)) {
        col_append_fstr(pinfo->cinfo, COL_INFO, " %u relationship%s (read %u, total %u)",
                        list.count, plurality(list.count, "", "s"), read, total);
        for (i = 0; i < list.count && list.items; i++)
            append_quoted_to_info(pinfo, list.items[i].name);
    }
    offset = dhcpsrv2_dissect_status(&ndr, tree, offset, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

/* Opnum 96: R_DhcpV4FailoverGetScopeRelationship (3.2.4.97) */
static int
dissect_GetScopeRelationship_request(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                     proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    guint32 scope_id;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    offset = ndr_u32(&ndr, tree, offset, dhcpsrv2_hf_scope_id, &scope_id);
    return dhcpsrv2_end_request(&ndr, offset, call, &scope_id);
}

static int
dissect_GetScopeRelationship_response(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                      proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv2_tap_record *rec;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    if (call && call->have_scope) {
        rec->scope_id_valid = TRUE;
        rec->scope_id = call->scope_id;
        proto_item_set_generated(proto_tree_add_ipv4(tree, dhcpsrv2_hf_scope_id, tvb, 0, 0,
                                                     g_htonl(call->scope_id)));
        dhcpsrv2_append_ipv4_to_info(pinfo, call->scope_id);
    }
    offset = dissect_relationship_out(&ndr, tree, offset, rec);
    offset = dhcpsrv2_dissect_status(&ndr, tree, offset, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

/* ------------------------------------------------------------------------ */
/* DHCP_BINARY_DATA / DHCP_CLIENT_UID (2.2.1.2.9, 2.2.1.2.5)                  */

static int
dissect_binary_data_bytes(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    return ndr_conformant_bytes(ndr, tree, offset, GPOINTER_TO_INT(arg), NULL);
}

/* `hf` is the FT_BYTES field the Data array is shown as. */
static int
dissect_DHCP_BINARY_DATA(ndr_t *ndr, proto_tree *parent, int offset, int hf, const char *label)
{
    proto_tree *tree;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    tree = ndr_subtree(ndr, parent, offset, ndr->ndr64 ? 16 : 8, ett_binary_data, NULL, label);
    offset = ndr_u32(ndr, tree, offset, hf_binary_data_length, NULL);
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "Data",
                                  dissect_binary_data_bytes, GINT_TO_POINTER(hf), NULL);
    return ndr_struct_end(ndr, offset, 8);
}

/* ------------------------------------------------------------------------ */
/* DHCP_SEARCH_INFO (2.2.1.2.18)                                              */

static int
dissect_search_by_ip(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    guint32 ip;

    offset = ndr_u32(ndr, tree, offset, hf_search_client_ip_address, &ip);
    if (ndr_ok(ndr))
        dhcpsrv2_append_ipv4_to_info(ndr->pinfo, ip);
    return offset;
}

static int
dissect_search_by_hardware_address(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    return dissect_DHCP_BINARY_DATA(ndr, tree, offset, hf_search_client_hardware_address,
                                    "ClientHardwareAddress");
}

static int
dissect_search_by_name(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    return dissect_embedded_wstring(ndr, tree, offset, "ClientName", hf_search_client_name, NULL);
}

static const ndr_union_arm search_info_arms[] = {
    { 0, FALSE, dissect_search_by_ip },
    { 1, FALSE, dissect_search_by_hardware_address },
    { 2, FALSE, dissect_search_by_name },
};

static int
dissect_DHCP_SEARCH_INFO(ndr_t *ndr, proto_tree *parent, int offset, void *arg _U_)
{
    proto_tree *tree;
    guint32 search_type, discriminant;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    tree = ndr_subtree(ndr, parent, offset, ndr->ndr64 ? 24 : 12, ett_search_info, NULL,
                       "DHCP_SEARCH_INFO");
    offset = dissect_checked_enum(ndr, tree, offset, hf_search_type, search_info_type_vals,
                                  &search_type);
    if (ndr_ok(ndr))
        col_append_fstr(ndr->pinfo->cinfo, COL_INFO, " by %s",
                        val_to_str_const(search_type, search_info_type_vals, "?"));
    /* The non-encapsulated union repeats its discriminant before the arm. */
    offset = ndr_union(ndr, tree, offset, NDR_DISC_ENUM, -1, ndr_ptr_align(ndr),
                       search_info_arms, G_N_ELEMENTS(search_info_arms), NULL, &discriminant);
    return ndr_struct_end(ndr, offset, 8);
}

/* ------------------------------------------------------------------------ */
/* DHCPV4_FAILOVER_CLIENT_INFO (2.2.1.2.101)                                  */

static int
dissect_DHCP_HOST_INFO(ndr_t *ndr, proto_tree *parent, int offset)
{
    proto_tree *tree;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    tree = ndr_subtree(ndr, parent, offset, ndr->ndr64 ? 24 : 12, ett_host_info, NULL,
                       "OwnerHost (DHCP_HOST_INFO)");
    offset = ndr_u32(ndr, tree, offset, hf_ci_owner_host_ip_address, NULL);
    offset = dissect_embedded_wstring(ndr, tree, offset, "NetBiosName",
                                      hf_ci_owner_host_net_bios_name, NULL);
    offset = dissect_embedded_wstring(ndr, tree, offset, "HostName",
                                      hf_ci_owner_host_host_name, NULL);
    return ndr_struct_end(ndr, offset, 8);
}

static int
dissect_address_state(ndr_t *ndr, proto_tree *tree, int offset)
{
    static int *const bits[] = {
        &hf_ci_address_state_state, &hf_ci_address_state_name_protection,
        &hf_ci_address_state_dns, NULL
    };
    int start = offset;

    offset = ndr_u8(ndr, tree, offset, -1, NULL);
    if (ndr_ok(ndr) && tree)
        proto_tree_add_bitmask(tree, ndr->tvb, start, hf_ci_address_state, ett_address_state,
                               bits, ENC_NA);
    return offset;
}

static int
dissect_DHCPV4_FAILOVER_CLIENT_INFO(ndr_t *ndr, proto_tree *parent, int offset, void *arg _U_)
{
    proto_tree *tree;
    guint32 client_ip;
    guint8 client_type;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    tree = ndr_subtree(ndr, parent, offset, ndr->ndr64 ? 136 : 96, ett_client_info, NULL,
                       "DHCPV4_FAILOVER_CLIENT_INFO");
    offset = ndr_u32(ndr, tree, offset, hf_ci_client_ip_address, &client_ip);
    offset = ndr_u32(ndr, tree, offset, hf_ci_subnet_mask, NULL);
    offset = dissect_DHCP_BINARY_DATA(ndr, tree, offset, hf_ci_client_hardware_address,
                                      "ClientHardwareAddress (DHCP_CLIENT_UID)");
    offset = dissect_embedded_wstring(ndr, tree, offset, "ClientName", hf_ci_client_name, NULL);
    offset = dissect_embedded_wstring(ndr, tree, offset, "ClientComment", hf_ci_client_comment,
                                      NULL);
    offset = dissect_DATE_TIME(ndr, tree, offset, hf_ci_client_lease_expires);
    offset = dissect_DHCP_HOST_INFO(ndr, tree, offset);
    offset = ndr_u8(ndr, tree, offset, hf_ci_client_type, &client_type);
    offset = dissect_address_state(ndr, tree, offset);
    offset = dissect_checked_enum(ndr, tree, offset, hf_ci_status, quarantine_status_vals, NULL);
    offset = dissect_DATE_TIME(ndr, tree, offset, hf_ci_probation_ends);
    offset = ndr_u32(ndr, tree, offset, hf_ci_quarantine_capable, NULL);
    offset = dissect_time_t(ndr, tree, offset, hf_ci_sent_pot_exp_time, NULL);
    offset = dissect_time_t(ndr, tree, offset, hf_ci_ack_pot_exp_time, NULL);
    offset = dissect_time_t(ndr, tree, offset, hf_ci_recv_pot_exp_time, NULL);
    offset = dissect_time_t(ndr, tree, offset, hf_ci_start_time, NULL);
    offset = dissect_time_t(ndr, tree, offset, hf_ci_clt_last_trans_time, NULL);
    offset = dissect_time_t(ndr, tree, offset, hf_ci_last_bnd_upd_time, NULL);
    offset = ndr_u32(ndr, tree, offset, hf_ci_bnd_msg_status, NULL);
    offset = dissect_embedded_wstring(ndr, tree, offset, "PolicyName", hf_ci_policy_name, NULL);
    offset = ndr_u8(ndr, tree, offset, hf_ci_flags, NULL);
    if (ndr_ok(ndr))
        dhcpsrv2_append_ipv4_to_info(ndr->pinfo, client_ip);
    return ndr_struct_end(ndr, offset, 8);
}

/* Opnum 98: R_DhcpV4FailoverGetClientInfo (3.2.4.99) */
static int
dissect_GetClientInfo_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                              dcerpc_info *di, guint8 *drep)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    /* SearchInfo: [in, ref], so the structure is in place. */
    offset = ndr_toplevel(&ndr, tree, offset, dissect_DHCP_SEARCH_INFO, NULL);
    return dhcpsrv2_end_request(&ndr, offset, call, NULL);
}

static int
dissect_GetClientInfo_response(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                               dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv2_tap_record *rec;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    offset = ndr_toplevel_pointer(&ndr, tree, offset, NDR_PTR_UNIQUE, "ClientInfo",
                                  dissect_DHCPV4_FAILOVER_CLIENT_INFO, NULL, NULL);
    offset = dhcpsrv2_dissect_status(&ndr, tree, offset, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

/* ------------------------------------------------------------------------ */
/* Opnum 99: R_DhcpV4FailoverGetSystemTime (3.2.4.100)                        */

/* The clocks the capture has seen: per server, its offset from the capture
 * clock, to compare partners.  File scope, one entry per server (bounded). */
#define MAX_CLOCK_SERVERS 64

typedef struct clock_sample {
    address server;
    gint64 offset;      /* server time - capture time, seconds */
} clock_sample;

static wmem_array_t *clock_samples;

/* The partner comparison of one response, fixed on the first pass so that
 * re-dissection shows the same result whatever order frames are visited in. */
typedef struct clock_check {
    gboolean compared;
    address other;
    gint64 difference;  /* this server's offset - the other server's offset */
} clock_check;

static void
clock_samples_init(void)
{
    clock_samples = wmem_array_new(wmem_file_scope(), sizeof(clock_sample));
}

/* Keyed by call id: a frame may carry several GetSystemTime responses. */
static const clock_check *
compare_with_other_clocks(packet_info *pinfo, guint32 call_id, gint64 clock_offset)
{
    clock_check *check = (clock_check *)p_get_proto_data(wmem_file_scope(), pinfo,
                                                         proto_dhcpsrv2, call_id);
    clock_sample *mine = NULL;
    guint i, n;

    if (check || pinfo->fd->visited)
        return check;
    check = wmem_new0(wmem_file_scope(), clock_check);
    n = wmem_array_get_count(clock_samples);
    for (i = 0; i < n; i++) {
        clock_sample *s = (clock_sample *)wmem_array_index(clock_samples, i);
        gint64 diff = clock_offset - s->offset;

        if (addresses_equal(&s->server, &pinfo->src)) {
            mine = s;
            continue;
        }
        if (!check->compared || ABS(diff) > ABS(check->difference)) {
            check->compared = TRUE;
            check->difference = diff;
            copy_address_wmem(wmem_file_scope(), &check->other, &s->server);
        }
    }
    if (mine) {
        mine->offset = clock_offset;
    } else if (n < MAX_CLOCK_SERVERS) {
        clock_sample s;
        copy_address_wmem(wmem_file_scope(), &s.server, &pinfo->src);
        s.offset = clock_offset;
        wmem_array_append_one(clock_samples, s);
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto_dhcpsrv2, call_id, check);
    return check;
}

static void
check_clock(ndr_t *ndr, proto_tree *tree, proto_item *time_item, guint32 call_id,
            dhcpsrv2_tap_record *rec)
{
    const clock_check *partner;
    proto_item *pi;

    rec->clock_offset = (gint64)rec->system_time - (gint64)ndr->pinfo->abs_ts.secs;
    pi = proto_tree_add_int64_format_value(tree, hf_clock_offset, ndr->tvb, 0, 0,
                                           rec->clock_offset, "%+" G_GINT64_FORMAT " s",
                                           rec->clock_offset);
    proto_item_set_generated(pi);
    if ((guint64)ABS(rec->clock_offset) > clock_skew_tolerance)
        expert_add_info_format(ndr->pinfo, time_item, &ei_clock_skew_capture,
                               "Server clock is %+" G_GINT64_FORMAT " s from the capture clock "
                               "(tolerance %u s)", rec->clock_offset, clock_skew_tolerance);
    partner = compare_with_other_clocks(ndr->pinfo, call_id, rec->clock_offset);
    if (partner && partner->compared && (guint64)ABS(partner->difference) > clock_skew_tolerance)
        expert_add_info_format(ndr->pinfo, time_item, &ei_clock_skew_partner,
                               "Server clock differs by %+" G_GINT64_FORMAT " s from %s's "
                               "(tolerance %u s)", partner->difference,
                               address_to_str(ndr->pinfo->pool, &partner->other),
                               clock_skew_tolerance);
}

static int
dissect_GetSystemTime_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                              dcerpc_info *di, guint8 *drep)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    return dhcpsrv2_end_request(&ndr, offset, call, NULL);
}

static int
dissect_GetSystemTime_response(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                               dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv2_tap_record *rec;
    proto_item *time_item = NULL;
    guint32 system_time;
    ndr_t ndr;
    int start;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    /* pTime: [out] ref pointer to a DWORD, so the DWORD is in place. */
    start = ndr_align(offset, 4);
    offset = dissect_time_t(&ndr, tree, offset, -1, &system_time);
    if (ndr_ok(&ndr)) {
        nstime_t ts = { (time_t)system_time, 0 };
        time_item = proto_tree_add_time(tree, hf_system_time, tvb, start, 4, &ts);
        rec->system_time_valid = TRUE;
        rec->system_time = system_time;
        check_clock(&ndr, tree, time_item, di->call_id, rec);
        col_append_fstr(pinfo->cinfo, COL_INFO, " %s",
                        abs_time_secs_to_str(pinfo->pool, (time_t)system_time,
                                             ABSOLUTE_TIME_UTC, TRUE));
    }
    /* The API (not the spec) declares a third argument, pMaxAllowedDeltaTime:
     * a stub with one more DWORD than the spec allows carries it. */
    if (ndr_ok(&ndr) && tvb_reported_length_remaining(tvb, ndr_align(offset, 4)) == 8) {
        proto_item *pi;
        offset = ndr_u32_item(&ndr, tree, offset, hf_max_allowed_delta_time, NULL, &pi);
        expert_add_info_format(pinfo, pi, &ei_api_extension,
                               "pMaxAllowedDeltaTime is in the dhcpsapi.h API but not in the "
                               "MS-DHCPM method; decoded from the extra DWORD");
    }
    offset = dhcpsrv2_dissect_status(&ndr, tree, offset, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

/* ------------------------------------------------------------------------ */
/* Opnum 125: R_DhcpV4FailoverGetAddressStatus (3.2.4.126)                    */

static int
dissect_GetAddressStatus_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                                 dcerpc_info *di, guint8 *drep)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    guint32 ip;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    offset = ndr_u32(&ndr, tree, offset, hf_subnet_address, &ip);
    /* The API declares pStatus [in, out]; the spec [out] only.  A request
     * with one more DWORD carries it. */
    if (ndr_ok(&ndr) && tvb_reported_length_remaining(tvb, ndr_align(offset, 4)) == 4) {
        proto_item *pi;
        offset = ndr_u32_item(&ndr, tree, offset, hf_address_status, NULL, &pi);
        expert_add_info_format(pinfo, pi, &ei_api_extension,
                               "pStatus is [in, out] in the dhcpsapi.h API but [out] in "
                               "MS-DHCPM; decoded from the extra DWORD");
    }
    return dhcpsrv2_end_request(&ndr, offset, call, &ip);
}

static int
dissect_GetAddressStatus_response(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                  proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv2_tap_record *rec;
    guint32 status;
    ndr_t ndr;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    if (call && call->have_scope) {
        proto_item_set_generated(proto_tree_add_ipv4(tree, hf_subnet_address, tvb, 0, 0,
                                                     g_htonl(call->scope_id)));
        dhcpsrv2_append_ipv4_to_info(pinfo, call->scope_id);
    }
    /* pStatus: [out] ref pointer to a DWORD, so the DWORD is in place. */
    offset = ndr_u32(&ndr, tree, offset, hf_address_status, &status);
    if (ndr_ok(&ndr))
        col_append_fstr(pinfo->cinfo, COL_INFO, ": %s",
                        compat_val_to_str(pinfo->pool, status, address_status_vals, "status %u"));
    offset = dhcpsrv2_dissect_status(&ndr, tree, offset, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

/* ------------------------------------------------------------------------ */
/* The decoders of this file                                                  */

/* 91 (DeleteRelationship) and 100 (TriggerAddrAllocation) are decoded from
 * the description (dhcpm-decode.c): a relationship name and a status, the
 * same fields, Info text and tap record as the hand-written pair had. */
const dhcpsrv_decoder dhcpsrv2_failover_decoders[] = {
    { 89, dissect_relationship_in_request, dissect_status_only_response },
    { 90, dissect_SetRelationship_request, dissect_status_only_response },
    { 92, dissect_relationship_name_request, dissect_GetRelationship_response },
    { 93, dissect_EnumRelationship_request, dissect_EnumRelationship_response },
    { 94, dissect_relationship_in_request, dissect_status_only_response },
    { 95, dissect_relationship_in_request, dissect_status_only_response },
    { 96, dissect_GetScopeRelationship_request, dissect_GetScopeRelationship_response },
    { 98, dissect_GetClientInfo_request, dissect_GetClientInfo_response },
    { 99, dissect_GetSystemTime_request, dissect_GetSystemTime_response },
    { 125, dissect_GetAddressStatus_request, dissect_GetAddressStatus_response },
};
const guint dhcpsrv2_failover_decoder_count = G_N_ELEMENTS(dhcpsrv2_failover_decoders);

/* ------------------------------------------------------------------------ */
/* Registration                                                               */

#define REL "dhcpsrv2.failover_relationship."
#define CI "dhcpsrv2.failover_client_info."

void
dhcpsrv2_failover_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_rel_primary_server, { "primaryServer", REL "primary_server", FT_IPv4, BASE_NONE,
            NULL, 0, "IPv4 address of the primary server", HFILL }},
        { &hf_rel_secondary_server, { "secondaryServer", REL "secondary_server", FT_IPv4,
            BASE_NONE, NULL, 0, "IPv4 address of the secondary server", HFILL }},
        { &hf_rel_mode, { "mode", REL "mode", FT_UINT32, BASE_DEC, VALS(failover_mode_vals), 0,
            "DHCP_FAILOVER_MODE", HFILL }},
        { &hf_rel_server_type, { "serverType", REL "server_type", FT_UINT32, BASE_DEC,
            VALS(failover_server_vals), 0, "DHCP_FAILOVER_SERVER: role of the answering server",
            HFILL }},
        { &hf_rel_state, { "state", REL "state", FT_UINT32, BASE_DEC, VALS(fsm_state_vals), 0,
            "FSM_STATE: current state of the relationship", HFILL }},
        { &hf_rel_prev_state, { "prevState", REL "prev_state", FT_UINT32, BASE_DEC,
            VALS(fsm_state_vals), 0, "FSM_STATE: previous state of the relationship", HFILL }},
        { &hf_rel_mclt, { "mclt", REL "mclt", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &units_second_seconds, 0, "Maximum client lead time", HFILL }},
        { &hf_rel_safe_period, { "safePeriod", REL "safe_period", FT_UINT32,
            BASE_DEC | BASE_SPECIAL_VALS, VALS(safe_period_vals), 0,
            "Seconds in COMMUNICATION_INT before PARTNER_DOWN (0xFFFFFFFF: never)", HFILL }},
        { &hf_rel_relationship_name, { "relationshipName", REL "relationship_name", FT_STRING,
            BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_rel_primary_server_name, { "primaryServerName", REL "primary_server_name",
            FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_rel_secondary_server_name, { "secondaryServerName", REL "secondary_server_name",
            FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_rel_percentage, { "percentage", REL "percentage", FT_UINT8, BASE_DEC, NULL, 0,
            "Load-balance ratio between primary and secondary (0-100)", HFILL }},
        { &hf_rel_shared_secret, { "pSharedSecret", REL "shared_secret", FT_STRING, BASE_NONE,
            NULL, 0, "Shared secret for partner message authentication", HFILL }},
        { &hf_ip_array_num_elements, { "NumElements", "dhcpsrv2.ip_array.num_elements",
            FT_UINT32, BASE_DEC, NULL, 0, "DHCP_IP_ARRAY: number of addresses", HFILL }},
        { &hf_ip_array_element, { "Element", "dhcpsrv2.ip_array.element", FT_IPv4, BASE_NONE,
            NULL, 0, "DHCP_IP_ARRAY: an address (here: a scope of the relationship)", HFILL }},
        { &hf_rel_array_num_elements, { "numElements",
            "dhcpsrv2.failover_relationship_array.num_elements", FT_UINT32, BASE_DEC, NULL, 0,
            "DHCP_FAILOVER_RELATIONSHIP_ARRAY: number of relationships", HFILL }},
        { &hf_relationship_name, { "pRelationshipName", "dhcpsrv2.relationship_name", FT_STRING,
            BASE_NONE, NULL, 0, "Name of the relationship the call is about", HFILL }},
        { &hf_set_flags, { "Flags", "dhcpsrv2.set_relationship.flags", FT_UINT32, BASE_HEX,
            NULL, 0, "Members of pRelationship to apply", HFILL }},
        { &hf_set_flags_mclt, { "MCLT", "dhcpsrv2.set_relationship.flags.mclt", FT_BOOLEAN, 32,
            NULL, SET_FLAG_MCLT, NULL, HFILL }},
        { &hf_set_flags_safeperiod, { "SAFEPERIOD", "dhcpsrv2.set_relationship.flags.safeperiod",
            FT_BOOLEAN, 32, NULL, SET_FLAG_SAFEPERIOD, NULL, HFILL }},
        { &hf_set_flags_changestate, { "CHANGESTATE",
            "dhcpsrv2.set_relationship.flags.changestate", FT_BOOLEAN, 32, NULL,
            SET_FLAG_CHANGESTATE, NULL, HFILL }},
        { &hf_set_flags_percentage, { "PERCENTAGE", "dhcpsrv2.set_relationship.flags.percentage",
            FT_BOOLEAN, 32, NULL, SET_FLAG_PERCENTAGE, NULL, HFILL }},
        { &hf_set_flags_mode, { "MODE", "dhcpsrv2.set_relationship.flags.mode", FT_BOOLEAN, 32,
            NULL, SET_FLAG_MODE, NULL, HFILL }},
        { &hf_set_flags_prevstate, { "PREVSTATE", "dhcpsrv2.set_relationship.flags.prevstate",
            FT_BOOLEAN, 32, NULL, SET_FLAG_PREVSTATE, NULL, HFILL }},
        { &hf_resume_handle, { "ResumeHandle", "dhcpsrv2.resume_handle", FT_UINT32, BASE_DEC,
            NULL, 0, "Index to resume the enumeration at", HFILL }},
        { &hf_preferred_maximum, { "preferredMaximum", "dhcpsrv2.preferred_maximum", FT_UINT32,
            BASE_DEC, NULL, 0, "Byte budget for the returned data", HFILL }},
        { &hf_relationship_read, { "relationshipRead", "dhcpsrv2.relationship_read", FT_UINT32,
            BASE_DEC, NULL, 0, "Relationships returned", HFILL }},
        { &hf_relationship_total, { "relationshipTotal", "dhcpsrv2.relationship_total",
            FT_UINT32, BASE_DEC, NULL, 0, "Relationships not yet enumerated", HFILL }},
        { &hf_system_time, { "pTime", "dhcpsrv2.system_time", FT_ABSOLUTE_TIME,
            ABSOLUTE_TIME_UTC, NULL, 0, "Server clock (seconds since 1970 UTC)", HFILL }},
        { &hf_max_allowed_delta_time, { "pMaxAllowedDeltaTime",
            "dhcpsrv2.max_allowed_delta_time", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &units_second_seconds, 0, "Maximum clock difference allowed (API extension)",
            HFILL }},
        { &hf_clock_offset, { "Clock offset", "dhcpsrv2.clock_offset", FT_INT64, BASE_DEC,
            NULL, 0, "Server clock minus capture clock, seconds (generated)", HFILL }},
        { &hf_subnet_address, { "SubnetAddress", "dhcpsrv2.subnet_address", FT_IPv4, BASE_NONE,
            NULL, 0, "The IPv4 address asked about", HFILL }},
        { &hf_address_status, { "pStatus", "dhcpsrv2.address_status", FT_UINT32, BASE_DEC,
            VALS(address_status_vals), 0, "Ownership of the address", HFILL }},
        { &hf_search_type, { "SearchType", "dhcpsrv2.search_info.search_type", FT_UINT32,
            BASE_DEC, VALS(search_info_type_vals), 0, "DHCP_SEARCH_INFO_TYPE", HFILL }},
        { &hf_search_client_ip_address, { "ClientIpAddress",
            "dhcpsrv2.search_info.client_ip_address", FT_IPv4, BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_search_client_hardware_address, { "ClientHardwareAddress",
            "dhcpsrv2.search_info.client_hardware_address", FT_BYTES, SEP_COLON, NULL, 0,
            "DHCP_CLIENT_UID data: subnet id, hardware type, client identifier", HFILL }},
        { &hf_search_client_name, { "ClientName", "dhcpsrv2.search_info.client_name",
            FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_binary_data_length, { "DataLength", "dhcpsrv2.binary_data.data_length", FT_UINT32,
            BASE_DEC, NULL, 0, "DHCP_BINARY_DATA: bytes of Data", HFILL }},
        { &hf_ci_client_ip_address, { "ClientIpAddress", CI "client_ip_address", FT_IPv4,
            BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_ci_subnet_mask, { "SubnetMask", CI "subnet_mask", FT_IPv4, BASE_NETMASK, NULL, 0,
            NULL, HFILL }},
        { &hf_ci_client_hardware_address, { "ClientHardwareAddress",
            CI "client_hardware_address", FT_BYTES, SEP_COLON, NULL, 0,
            "DHCP_CLIENT_UID data: subnet id, hardware type, client identifier", HFILL }},
        { &hf_ci_client_name, { "ClientName", CI "client_name", FT_STRING, BASE_NONE, NULL, 0,
            NULL, HFILL }},
        { &hf_ci_client_comment, { "ClientComment", CI "client_comment", FT_STRING, BASE_NONE,
            NULL, 0, NULL, HFILL }},
        { &hf_ci_client_lease_expires, { "ClientLeaseExpires", CI "client_lease_expires",
            FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0, NULL, HFILL }},
        { &hf_ci_owner_host_ip_address, { "IpAddress", CI "owner_host.ip_address", FT_IPv4,
            BASE_NONE, NULL, 0, "Server that granted the lease", HFILL }},
        { &hf_ci_owner_host_net_bios_name, { "NetBiosName", CI "owner_host.net_bios_name",
            FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_ci_owner_host_host_name, { "HostName", CI "owner_host.host_name", FT_STRING,
            BASE_NONE, NULL, 0, NULL, HFILL }},
        { &hf_ci_client_type, { "bClientType", CI "client_type", FT_UINT8, BASE_HEX,
            VALS(client_type_vals), 0, NULL, HFILL }},
        { &hf_ci_address_state, { "AddressState", CI "address_state", FT_UINT8, BASE_HEX, NULL,
            0, NULL, HFILL }},
        { &hf_ci_address_state_state, { "State", CI "address_state.state", FT_UINT8, BASE_DEC,
            VALS(address_state_state_vals), 0x03, NULL, HFILL }},
        { &hf_ci_address_state_name_protection, { "Name protection",
            CI "address_state.name_protection", FT_UINT8, BASE_DEC,
            VALS(address_state_name_protection_vals), 0x0C, NULL, HFILL }},
        { &hf_ci_address_state_dns, { "DNS flags", CI "address_state.dns", FT_UINT8, BASE_HEX,
            NULL, 0xF0, "DNS cleanup / A+PTR / update not done / expired but not removed",
            HFILL }},
        { &hf_ci_status, { "Status", CI "status", FT_UINT32, BASE_DEC,
            VALS(quarantine_status_vals), 0, "QuarantineStatus", HFILL }},
        { &hf_ci_probation_ends, { "ProbationEnds", CI "probation_ends", FT_ABSOLUTE_TIME,
            ABSOLUTE_TIME_UTC, NULL, 0, NULL, HFILL }},
        { &hf_ci_quarantine_capable, { "QuarantineCapable", CI "quarantine_capable", FT_UINT32,
            BASE_DEC, NULL, 0, NULL, HFILL }},
        { &hf_ci_sent_pot_exp_time, { "SentPotExpTime", CI "sent_pot_exp_time",
            FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0,
            "Potential expiration time sent to the partner", HFILL }},
        { &hf_ci_ack_pot_exp_time, { "AckPotExpTime", CI "ack_pot_exp_time", FT_ABSOLUTE_TIME,
            ABSOLUTE_TIME_UTC, NULL, 0, "Potential expiration time acknowledged by the partner",
            HFILL }},
        { &hf_ci_recv_pot_exp_time, { "RecvPotExpTime", CI "recv_pot_exp_time",
            FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0,
            "Potential expiration time received from the partner", HFILL }},
        { &hf_ci_start_time, { "StartTime", CI "start_time", FT_ABSOLUTE_TIME,
            ABSOLUTE_TIME_UTC, NULL, 0, "Time the lease entered its current state", HFILL }},
        { &hf_ci_clt_last_trans_time, { "CltLastTransTime", CI "clt_last_trans_time",
            FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0, "Client last transaction time",
            HFILL }},
        { &hf_ci_last_bnd_upd_time, { "LastBndUpdTime", CI "last_bnd_upd_time",
            FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0,
            "Time the partner last updated the binding", HFILL }},
        { &hf_ci_bnd_msg_status, { "bndMsgStatus", CI "bnd_msg_status", FT_UINT32, BASE_HEX,
            NULL, 0, "Ignored by the protocol", HFILL }},
        { &hf_ci_policy_name, { "PolicyName", CI "policy_name", FT_STRING, BASE_NONE, NULL, 0,
            NULL, HFILL }},
        { &hf_ci_flags, { "flags", CI "flags", FT_UINT8, BASE_HEX, NULL, 0,
            "Ignored by the protocol", HFILL }},
    };
    static gint *ett[] = {
        &ett_relationship, &ett_ip_array, &ett_rel_array, &ett_set_flags, &ett_search_info,
        &ett_client_info, &ett_binary_data, &ett_host_info, &ett_address_state,
    };
    static ei_register_info ei[] = {
        { &ei_state_not_normal, { "dhcpsrv2.expert.state_not_normal", PI_SEQUENCE, PI_WARN,
            "Failover relationship is not in the NORMAL state", EXPFILL }},
        { &ei_percentage_out_of_range, { "dhcpsrv2.expert.percentage_out_of_range", PI_PROTOCOL,
            PI_WARN, "Load-balance percentage above 100", EXPFILL }},
        { &ei_invalid_enum, { "dhcpsrv2.expert.invalid_enum", PI_PROTOCOL, PI_WARN,
            "Enumeration value not defined by the spec", EXPFILL }},
        { &ei_clock_skew_capture, { "dhcpsrv2.expert.clock_skew_capture", PI_SEQUENCE, PI_WARN,
            "Server clock differs from the capture clock beyond the tolerance", EXPFILL }},
        { &ei_clock_skew_partner, { "dhcpsrv2.expert.clock_skew_partner", PI_SEQUENCE, PI_WARN,
            "Server clocks differ beyond the failover tolerance", EXPFILL }},
        { &ei_api_extension, { "dhcpsrv2.expert.api_extension", PI_PROTOCOL, PI_NOTE,
            "Parameter present per the dhcpsapi.h API, not per MS-DHCPM", EXPFILL }},
        { &ei_count_mismatch, { "dhcpsrv2.expert.count_mismatch", PI_PROTOCOL, PI_WARN,
            "Element count differs from the array size", EXPFILL }},
    };
    module_t *prefs_module;
    expert_module_t *expert;

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto);
    expert_register_field_array(expert, ei, array_length(ei));
    prefs_module = prefs_register_protocol(proto, NULL);
    prefs_register_uint_preference(prefs_module, "clock_skew_tolerance",
                                   "Failover clock tolerance (seconds)",
                                   "Flag GetSystemTime answers whose clock differs from the "
                                   "capture clock, or from another server's, by more than this",
                                   10, &clock_skew_tolerance);
    register_init_routine(clock_samples_init);
}
