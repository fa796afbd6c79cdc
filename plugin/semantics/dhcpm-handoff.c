/* dhcpm-handoff.c -- DCE/RPC's hand-off to our sub-dissectors, without the
 * generic work nobody can see.
 *
 * dcerpc_init_uuid() puts DCE/RPC's generic handle (dissect_dcerpc_guid() in
 * packet-dcerpc.c) into the "dcerpc.uuid" table for each interface.  For
 * every PDU it names the operation in the Info column and the tree, then does
 * three things a decoder with its own NDR layer does not need: it rebuilds
 * DCE/RPC's NDR pointer list (two GHashTables created and destroyed per PDU),
 * searches the last 512 bytes of the stub for a verification trailer, and
 * hands over a new subset tvb of the same bytes.  Measured on opnum 97 in a
 * statistics run that is ~5 000 Ir per call (two PDUs), 40 % of the
 * plugin's whole cost there (BENCHMARKS.md, "the plugin's own hand-off").
 *
 * So this file replaces the table entry by its own handle, which does the
 * same as the generic one, item for item (the same fields, expert, Info and
 * protocol column texts), except those three, whenever the result is the same
 * for everything anyone can observe:
 *
 *  - the tree is absent or not visible: the one difference left, the subtree
 *    type of "Complete stub data" (ours: DCE/RPC's is private), is then not
 *    seen (it only decides whether the GUI shows the subtree expanded);
 *  - the stub was not sealed or was decrypted, has no auth padding, and the
 *    verification trailer's 8-byte signature occurs nowhere in it (so the
 *    generic search finds nothing and adds nothing);
 *  - the operation is known and has a decoder for this direction;
 *  - the data DCE/RPC passed is the layout checked below (see hand_off_data).
 *
 * Everything else -- every visible tree (-V, the GUI's packet details,
 * -T fields on 4.0), sealed stubs, auth padding, verification trailers -- is handed to
 * DCE/RPC's own handle, unchanged.  The generic handle is called through a
 * private dissector table so that the frame's protocol layers are added once
 * (call_dissector*() would add dhcpsrv2 a second time).
 *
 * The preference dhcpsrv2.fast_handoff turns this off (tests compare both).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <string.h>
#include <epan/packet.h>
#include <epan/exceptions.h>
#include <epan/show_exception.h>
#include <epan/expert.h>
#include <wsutil/str_util.h>
#include <epan/dissectors/packet-dcerpc.h>

#include "ws-compat.h"
#include "dhcpm-handoff.h"

/* What DCE/RPC passes as `data` to a "dcerpc.uuid" handle:
 * dcerpc_dissector_data_t, private to packet-dcerpc.c.  Mirrored here;
 * short_way() checks what it reads against what it can know independently
 * before trusting it.  `decrypted` is a gboolean in 4.0 and a bool in 4.4
 * and 4.6; the pointer after it is 4- or 8-aligned either way, so the layout
 * is the same and only its first byte is read (stub_decrypted()). */
typedef struct {
    dcerpc_uuid_value *sub_proto;
    dcerpc_info *info;
    guint8 decrypted;
    dcerpc_auth_info *auth_info;
    guint8 *drep;
    proto_tree *dcerpc_tree;
} hand_off_data;

/* MS-RPCE 2.2.2.13: the verification trailer starts with this signature. */
static const guint8 sec_vt_signature[8] = { 0x8a, 0xe3, 0x13, 0x71, 0x02, 0xf4, 0x36, 0x71 };

typedef struct {
    dcerpc_uuid_value *value;   /* DCE/RPC's registration of the interface */
} iface_state;

static iface_state ifaces[DHCPM_HANDOFF_IFACES];
static dissector_table_t generic_table;     /* iface index -> DCE/RPC's handle */
static int hf_payload_stub = -1, hf_request_in = -1, hf_response_in = -1;
static expert_field ei_long_frame = EI_INIT;    /* DCE/RPC's own, found by name */
static gint ett_complete_stub = -1;
static compat_pref_bool fast_handoff = TRUE;
static guint n_short, n_generic;            /* PDUs of this file, every pass */

/* An item nobody sees: no tree, or one that is not visible. */
static gboolean
tree_unseen(proto_tree *tree)
{
    return !tree || !PTREE_DATA(tree)->visible;
}

/* Anywhere in the captured stub, aligned or not: more than the generic
 * search looks at, so "absent" here means it would find nothing. */
static gboolean
has_trailer_signature(tvbuff_t *tvb)
{
    guint len = tvb_captured_length(tvb);
    const guint8 *p, *end;

    if (len < sizeof sec_vt_signature)
        return FALSE;
    p = tvb_get_ptr(tvb, 0, (gint)len);
    end = p + len - sizeof sec_vt_signature + 1;
    for (; (p = (const guint8 *)memchr(p, sec_vt_signature[0], (size_t)(end - p))) != NULL; p++)
        if (memcmp(p, sec_vt_signature, sizeof sec_vt_signature) == 0)
            return TRUE;
    return FALSE;
}

static const dcerpc_sub_dissector *
find_operation(const hand_off_data *d)
{
    const dcerpc_sub_dissector *proc;

    for (proc = d->sub_proto->procs; proc->name; proc++)
        if (proc->num == d->info->call_data->opnum)
            return proc;
    return NULL;
}

/* DCE/RPC decrypted the stub or it was clear.  The value is the first byte
 * of a gboolean (4.0) or the bool (4.4+) only on a little-endian machine; on
 * others the short way is not taken. */
static gboolean
stub_decrypted(const hand_off_data *d)
{
    return G_BYTE_ORDER == G_LITTLE_ENDIAN && d->decrypted == 1;
}

/* The operation's decoder when this PDU may take the short way, else NULL. */
static dcerpc_dissect_fnct_t *
short_way(const hand_off_data *d, guint iface, tvbuff_t *tvb, proto_tree *tree)
{
    const dcerpc_sub_dissector *proc;

    if (!fast_handoff || !d || d->sub_proto != ifaces[iface].value || !d->info ||
        !d->info->call_data || !d->drep)
        return NULL;
    if (d->info->ptype != PDU_REQ && d->info->ptype != PDU_RESP)
        return NULL;
    if (!stub_decrypted(d) || (d->auth_info && d->auth_info->auth_pad_len != 0))
        return NULL;
    if (!tree_unseen(tree) || has_trailer_signature(tvb))
        return NULL;
    proc = find_operation(d);
    if (!proc)
        return NULL;
    return d->info->ptype == PDU_REQ ? proc->dissect_rqst : proc->dissect_resp;
}

/* The items dissect_dcerpc_guid() adds before the decoder runs. */
static proto_tree *
add_call_items(const hand_off_data *d, const char *name, tvbuff_t *tvb, packet_info *pinfo,
               proto_tree *tree, proto_item **sub_item)
{
    const dcerpc_call_value *call = d->info->call_data;
    gboolean request = d->info->ptype == PDU_REQ;
    proto_tree *sub_tree;
    proto_item *pi;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, d->sub_proto->name);
    col_add_lstr(pinfo->cinfo, COL_INFO, name, request ? " request" : " response",
                 COL_ADD_LSTR_TERMINATOR);
    *sub_item = proto_tree_add_item(tree, d->sub_proto->proto_id, tvb, 0, -1, ENC_NA);
    sub_tree = proto_item_add_subtree(*sub_item, d->sub_proto->ett);
    proto_item_append_text(*sub_item, ", %s", name);
    if (!tree)
        return sub_tree;
    proto_tree_add_uint_format(sub_tree, d->sub_proto->opnum_hf, tvb, 0, 0, call->opnum,
                               "Operation: %s (%u)", name, call->opnum);
    if (request && call->rep_frame != 0) {
        pi = proto_tree_add_uint(sub_tree, hf_response_in, tvb, 0, 0, call->rep_frame);
        proto_item_set_generated(pi);
    }
    if (!request && call->req_frame != 0) {
        pi = proto_tree_add_uint(sub_tree, hf_request_in, tvb, 0, 0, call->req_frame);
        proto_item_set_generated(pi);
    }
    return sub_tree;
}

static void
add_stub_items(const hand_off_data *d, tvbuff_t *tvb, int length)
{
    proto_tree *stub_tree;
    proto_item *pi;

    if (!d->dcerpc_tree)
        return;
    stub_tree = proto_tree_add_subtree_format(d->dcerpc_tree, tvb, 0, length, ett_complete_stub,
                                              NULL, "Complete stub data (%d byte%s)", length,
                                              plurality(length, "", "s"));
    pi = proto_tree_add_item(stub_tree, hf_payload_stub, tvb, 0, length, ENC_NA);
    proto_item_append_text(pi, " (%d byte%s)", length, plurality(length, "", "s"));
}

static int
decode(const hand_off_data *d, dcerpc_dissect_fnct_t *decoder, tvbuff_t *tvb,
       packet_info *pinfo, proto_tree *tree)
{
    const char *name = find_operation(d)->name;
    const char *volatile saved_proto = pinfo->current_proto;
    tvbuff_t *volatile payload = tvb;
    proto_item *sub_item;
    proto_tree *sub_tree;
    int length = (int)tvb_captured_length(tvb);

    sub_tree = add_call_items(d, name, tvb, pinfo, tree, &sub_item);
    pinfo->current_proto = d->sub_proto->name;
    if (sub_item)
        proto_item_set_len(sub_item, length);
    TRY {
        int offset, remaining;

        add_stub_items(d, tvb, length);
        /* The generic handle hands over a subset whose reported length is
         * the captured one; with nothing cut off that is `tvb` itself. */
        if ((guint)length != tvb_reported_length(tvb))
            payload = tvb_new_subset_length_caplen(tvb, 0, length, length);
        offset = decoder(payload, 0, pinfo, sub_tree, d->info, d->drep);
        remaining = tvb_reported_length_remaining(tvb, offset);
        if (remaining > 0) {
            proto_tree_add_expert(sub_tree, pinfo, &ei_long_frame, tvb, offset, remaining);
            col_append_fstr(pinfo->cinfo, COL_INFO, "[Long frame (%d byte%s)]", remaining,
                            plurality(remaining, "", "s"));
        }
    } CATCH_NONFATAL_ERRORS {
        show_exception(tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    } ENDTRY;
    pinfo->current_proto = saved_proto;
    return (int)tvb_captured_length(tvb);
}

static int
hand_off(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, guint iface)
{
    const hand_off_data *d = (const hand_off_data *)data;
    dcerpc_dissect_fnct_t *decoder = short_way(d, iface, tvb, tree);

    if (!decoder) {     /* DCE/RPC's own handle; no second protocol layer */
        n_generic++;
        return compat_dissector_try_uint(generic_table, iface, tvb, pinfo, tree, FALSE, data);
    }
    n_short++;
    return decode(d, decoder, tvb, pinfo, tree);
}

static int
hand_off_dhcpsrv2(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return hand_off(tvb, pinfo, tree, data, DHCPM_HANDOFF_DHCPSRV2);
}

static int
hand_off_dhcpsrv(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return hand_off(tvb, pinfo, tree, data, DHCPM_HANDOFF_DHCPSRV);
}

static void
handoff_init(void)
{
    n_short = n_generic = 0;
}

void
dhcpm_handoff_counts(guint *short_way_pdus, guint *generic_pdus)
{
    *short_way_pdus = n_short;
    *generic_pdus = n_generic;
}

void
dhcpm_handoff_register(int proto, module_t *prefs)
{
    static gint *ett[] = { &ett_complete_stub };

    proto_register_subtree_array(ett, array_length(ett));
    register_init_routine(handoff_init);
    generic_table = register_dissector_table("dhcpsrv2.generic_handoff",
                                             "DCE/RPC's own hand-off (internal)", proto,
                                             FT_UINT8, BASE_DEC);
    prefs_register_bool_preference(prefs, "fast_handoff", "Short hand-off in runs without a visible tree",
                                   "Decode clear or decrypted stubs without DCE/RPC's generic stub "
                                   "handling (NDR pointer list, verification trailer search) when "
                                   "no tree is shown; the output is the same",
                                   &fast_handoff);
}

/* A registered expert info by its filter name.  expert_register_field_array()
 * registers each expert's field from the hf_register_info inside its
 * (public) expert_field_info, so the field's header_field_info sits at a known
 * place in it; the two pointers it must hold (to the field's id, and the
 * field's own name) are checked before its id is believed. */
static gboolean
find_expert(const char *abbrev, expert_field *ei)
{
    int hf = proto_registrar_get_id_byname(abbrev);
    header_field_info *hfinfo;
    const expert_field_info *info;

    if (hf <= 0)
        return FALSE;
    hfinfo = proto_registrar_get_nth((guint)hf);
    info = (const expert_field_info *)(void *)((char *)hfinfo - offsetof(expert_field_info, hf_info) -
                                               offsetof(hf_register_info, hfinfo));
    if (!info->hf_info.p_id || *info->hf_info.p_id != hf || info->name != hfinfo->abbrev)
        return FALSE;
    ei->ei = info->id;
    ei->hf = hf;
    return TRUE;
}

/* DCE/RPC's fields and its "Long frame" expert, found by name once; FALSE if
 * one is missing (then DCE/RPC keeps its own handle). */
static gboolean
find_dcerpc_fields(void)
{
    if (hf_request_in > 0)
        return TRUE;
    hf_payload_stub = proto_registrar_get_id_byname("dcerpc.payload_stub_data");
    hf_request_in = proto_registrar_get_id_byname("dcerpc.request_in");
    hf_response_in = proto_registrar_get_id_byname("dcerpc.response_in");
    return find_expert("dcerpc.long_frame", &ei_long_frame) && hf_payload_stub > 0 &&
           hf_request_in > 0 && hf_response_in > 0;
}

/* Call after dcerpc_init_uuid() for the interface. */
void
dhcpm_handoff_install(guint iface, int proto, e_guid_t *uuid, guint16 ver)
{
    guid_key *key;
    dissector_handle_t generic;

    if (!find_dcerpc_fields())
        return;
    key = g_new0(guid_key, 1);      /* kept by the table */
    key->guid = *uuid;
    key->ver = ver;
    ifaces[iface].value = (dcerpc_uuid_value *)g_hash_table_lookup(dcerpc_uuids, key);
    generic = dissector_get_guid_handle(find_dissector_table("dcerpc.uuid"), key);
    if (!ifaces[iface].value || !generic) {
        g_free(key);
        return;
    }
    dissector_add_uint("dhcpsrv2.generic_handoff", iface, generic);
    /* A description of its own: dcerpc.uuid is a Decode As table, whose
     * handles must differ in description from DCE/RPC's (which stays listed). */
    dissector_add_guid("dcerpc.uuid", key,
                       create_dissector_handle_with_name_and_description(
                           iface == DHCPM_HANDOFF_DHCPSRV2 ? hand_off_dhcpsrv2 : hand_off_dhcpsrv,
                           proto, NULL,
                           iface == DHCPM_HANDOFF_DHCPSRV2 ? "DHCPSRV2 (own hand-off)"
                                                           : "DHCPSRV (own hand-off)"));
}
