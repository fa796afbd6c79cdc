/* dhcpsrv2-failover.c -- what the DHCPv4 failover methods of dhcpsrv2 mean
 * beyond their layout: relationships (opnums 89, 90, 92-96), client lease
 * information (98), the server clock (99) and address ownership (125).
 *
 * Their request and response layout is decoded from the description
 * (plugin/idl/ms-dhcpm.idl) by the table-driven decoder (dhcpm-decode.c); this
 * file binds per-method hooks (dhcpm_method_hooks) and value hooks (ndrt_ctx
 * .leaf/.enter) that collect the decoded values for the tap record, raise
 * the experts, write the Info column and show flag bits.  91 and 100 need
 * no hooks.  GetScopeStatistics (97) keeps its own decoder
 * (dhcpsrv2-scope-stats.c, the hot path).
 *
 * References: [MS-DHCPM] 2.2.1.2.98-101, 2.2.1.2.18, 3.2.4.90-101, 3.2.4.126.
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
#include "dhcpm-decode.h"
#include "idl/dhcpm-types.h"

/* Fields whose display says more than the description can: registered
 * here first, the description's field of the same name shares them
 * (dhcpm-decode.c register_fields). */
static int hf_rel_mclt = -1;
static int hf_rel_safe_period = -1;
static int hf_set_flags_mclt = -1;
static int hf_set_flags_safeperiod = -1;
static int hf_set_flags_changestate = -1;
static int hf_set_flags_percentage = -1;
static int hf_set_flags_mode = -1;
static int hf_set_flags_prevstate = -1;
static int hf_max_allowed_delta_time = -1;
static int hf_clock_offset = -1;
static int hf_address_status = -1;
static int hf_search_client_hardware_address = -1;
static int hf_ci_client_hardware_address = -1;
static int hf_ci_client_type = -1;
static int hf_ci_address_state = -1;
static int hf_ci_address_state_state = -1;
static int hf_ci_address_state_name_protection = -1;
static int hf_ci_address_state_dns = -1;
static int hf_ci_quarantine_capable = -1;
static int hf_ci_bnd_msg_status = -1;
static int hf_ci_flags = -1;

static gint ett_set_flags = -1;
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
/* Values the description has no enum for, and flags                          */

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

static int *const address_state_bits[] = {
    &hf_ci_address_state_state, &hf_ci_address_state_name_protection,
    &hf_ci_address_state_dns, NULL
};

/* ------------------------------------------------------------------------ */
/* The members the hooks look at, by field of the description                 */

typedef enum {
    R_NONE = 0,
    R_PRIMARY, R_SECONDARY, R_MODE, R_SERVER_TYPE, R_STATE, R_PREV_STATE, R_MCLT,
    R_SAFE_PERIOD, R_NAME, R_PRIMARY_NAME, R_SECONDARY_NAME, R_PERCENTAGE,
    R_IP_NUM, R_IP_ELEMENT,                 /* DHCP_IP_ARRAY of a relationship: its scopes */
    R_SET_FLAGS, R_REL_READ,
    R_SEARCH_TYPE, R_SEARCH_IP, R_CI_STATUS, R_CI_ADDRESS_STATE,
    R_SYSTEM_TIME, R_MAX_DELTA, R_ADDRESS_STATUS
} role;

static const struct { const char *suffix; guint8 role; } roles[] = {
    { "failover_relationship.primary_server", R_PRIMARY },
    { "failover_relationship.secondary_server", R_SECONDARY },
    { "failover_relationship.mode", R_MODE },
    { "failover_relationship.server_type", R_SERVER_TYPE },
    { "failover_relationship.state", R_STATE },
    { "failover_relationship.prev_state", R_PREV_STATE },
    { "failover_relationship.mclt", R_MCLT },
    { "failover_relationship.safe_period", R_SAFE_PERIOD },
    { "failover_relationship.relationship_name", R_NAME },
    { "failover_relationship.primary_server_name", R_PRIMARY_NAME },
    { "failover_relationship.secondary_server_name", R_SECONDARY_NAME },
    { "failover_relationship.percentage", R_PERCENTAGE },
    { "ip_array.num_elements", R_IP_NUM },
    { "ip_array.element", R_IP_ELEMENT },
    { "set_relationship.flags", R_SET_FLAGS },
    { "relationship_read", R_REL_READ },
    { "search_info.search_type", R_SEARCH_TYPE },
    { "search_info.client_ip_address", R_SEARCH_IP },
    { "failover_client_info.status", R_CI_STATUS },
    { "failover_client_info.address_state", R_CI_ADDRESS_STATE },
    { "system_time", R_SYSTEM_TIME },
    { "max_allowed_delta_time", R_MAX_DELTA },
    { "address_status", R_ADDRESS_STATUS },
};

static guint8 role_of[DHCPM_FIELD_COUNT];
static guint16 f_mode, f_state, f_subnet_address;
static ndrt_enter_hook enter_hooks[DHCPM_TYPE_COUNT];
/* The NDR layer's experts with count_mismatch under its historic name
 * (dhcpsrv2.expert.count_mismatch), for these methods. */
static ndr_fields failover_ndr;
static gboolean failover_ndr_ready;

/* What the hooks of one call collect (packet scope). */
typedef struct fo_state {
    dhcpm_call *c;
    wmem_array_t *rels;             /* dhcpsrv2_relationship *, in wire order */
    gboolean rels_done;             /* EnumRelationship: relationshipRead decoded after them */
} fo_state;

static const char *
enum_name(guint16 field, guint32 v, const char *unknown)
{
    const value_string *vs = (const value_string *)dhcpm_fields[field].strings;

    return vs ? val_to_str_const(v, vs, unknown) : unknown;
}

static void
append_quoted_to_info(packet_info *pinfo, const char *text)
{
    if (text)
        col_append_fstr(pinfo->cinfo, COL_INFO, " \"%s\"", text);
}

/* An enum value outside the description's names: expert warning. */
static void
check_enum(ndr_t *ndr, proto_tree *tree, int start, int end, guint16 field, guint64 v)
{
    const value_string *vs = (const value_string *)dhcpm_fields[field].strings;

    if (vs && !try_val_to_str((guint32)v, vs))
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_invalid_enum, ndr->tvb, start,
                                     end - start, "%s: %u is not a defined value",
                                     dhcpm_fields[field].label, (guint32)v);
}

/* The item the decoder just added for `field` (the tree's last child), so
 * that its bits hang below it; the tree itself when it was not built. */
static proto_tree *
bits_parent(proto_tree *tree, guint16 field, gint ett)
{
    proto_node *last = tree ? ((proto_node *)tree)->last_child : NULL;
    int hf = dhcpm_field_hf(DHCPSRV2_IF_DHCPSRV2, field);

    if (last && last->finfo && last->finfo->hfinfo && last->finfo->hfinfo->id == hf)
        return proto_item_add_subtree((proto_item *)last, ett);
    return tree;
}

/* ------------------------------------------------------------------------ */
/* R_DhcpV4FailoverGetSystemTime (3.2.4.100): the clocks                      */

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

/* `start`: where pTime is in the stub (the experts point at it). */
static void
check_clock(ndr_t *ndr, proto_tree *tree, int start, guint32 call_id, dhcpsrv2_tap_record *rec)
{
    const clock_check *partner;
    proto_item *pi;

    rec->clock_offset = (gint64)rec->system_time - (gint64)ndr->pinfo->abs_ts.secs;
    pi = proto_tree_add_int64_format_value(tree, hf_clock_offset, ndr->tvb, 0, 0,
                                           rec->clock_offset, "%+" G_GINT64_FORMAT " s",
                                           rec->clock_offset);
    proto_item_set_generated(pi);
    if ((guint64)ABS(rec->clock_offset) > clock_skew_tolerance)
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_clock_skew_capture, ndr->tvb, start, 4,
                               "Server clock is %+" G_GINT64_FORMAT " s from the capture clock "
                               "(tolerance %u s)", rec->clock_offset, clock_skew_tolerance);
    partner = compare_with_other_clocks(ndr->pinfo, call_id, rec->clock_offset);
    if (partner && partner->compared && (guint64)ABS(partner->difference) > clock_skew_tolerance)
        proto_tree_add_expert_format(tree, ndr->pinfo, &ei_clock_skew_partner, ndr->tvb, start, 4,
                               "Server clock differs by %+" G_GINT64_FORMAT " s from %s's "
                               "(tolerance %u s)", partner->difference,
                               address_to_str(ndr->pinfo->pool, &partner->other),
                               clock_skew_tolerance);
}

/* ------------------------------------------------------------------------ */
/* The value hooks                                                            */

/* DHCP_FAILOVER_RELATIONSHIP starts: its values go to a new relationship. */
static void *
relationship_entered(ndrt_ctx *ctx, ndr_t *ndr, guint16 type _U_)
{
    fo_state *st = (fo_state *)ctx->leaf_user;
    dhcpsrv2_relationship *rel = wmem_new0(ndr->pinfo->pool, dhcpsrv2_relationship);

    if (!st->rels)
        st->rels = wmem_array_new(ndr->pinfo->pool, sizeof rel);
    wmem_array_append_one(st->rels, rel);
    return rel;
}

static void
leaf_decoded(ndrt_ctx *ctx, ndr_t *ndr, guint16 field, const ndrt_value *value, proto_tree *tree,
             int start, int end)
{
    fo_state *st = (fo_state *)ctx->leaf_user;
    dhcpsrv2_relationship *rel = (dhcpsrv2_relationship *)ctx->owner;
    packet_info *pinfo = ndr->pinfo;
    guint64 u = value->u;
    const char *s = value->s;
    guint32 v = (guint32)u;

    switch (role_of[field]) {
    case R_MODE: case R_SERVER_TYPE: case R_STATE: case R_PREV_STATE:
    case R_SEARCH_TYPE: case R_CI_STATUS:
        check_enum(ndr, tree, start, end, field, u);
        break;
    default:
        break;
    }
    switch (role_of[field]) {
    case R_NONE:
        return;
    case R_PRIMARY: if (rel) rel->primary_server = v; return;
    case R_SECONDARY: if (rel) rel->secondary_server = v; return;
    case R_MODE: if (rel) rel->mode = v; return;
    case R_SERVER_TYPE: if (rel) rel->server_type = v; return;
    case R_STATE: if (rel) rel->state = v; return;
    case R_PREV_STATE: if (rel) rel->prev_state = v; return;
    case R_MCLT: if (rel) rel->mclt = v; return;
    case R_SAFE_PERIOD: if (rel) rel->safe_period = v; return;
    case R_NAME: if (rel) rel->name = s; return;
    case R_PRIMARY_NAME: if (rel) rel->primary_server_name = s; return;
    case R_SECONDARY_NAME: if (rel) rel->secondary_server_name = s; return;
    case R_PERCENTAGE:
        if (rel)
            rel->percentage = (guint8)v;
        if (v > 100)
            proto_tree_add_expert_format(tree, pinfo, &ei_percentage_out_of_range, ndr->tvb,
                                         start, end - start, "percentage %u is above 100", v);
        return;
    case R_IP_NUM: if (rel) rel->num_scopes = v; return;
    case R_IP_ELEMENT:
        if (rel && rel->scopes_stored < DHCPSRV2_TAP_MAX_SCOPES)
            rel->scopes[rel->scopes_stored++] = v;
        return;
    case R_SET_FLAGS:
        if (tree)
            proto_tree_add_bitmask_list(bits_parent(tree, field, ett_set_flags), ndr->tvb, start,
                                        4, set_flags_bits, ndr->encoding);
        return;
    case R_REL_READ: st->rels_done = TRUE; return;
    case R_SEARCH_TYPE:
        col_append_fstr(pinfo->cinfo, COL_INFO, " by %s", enum_name(field, v, "?"));
        return;
    case R_SEARCH_IP: dhcpsrv2_append_ipv4_to_info(pinfo, v); return;
    case R_CI_ADDRESS_STATE:
        if (tree)
            proto_tree_add_bitmask_list(bits_parent(tree, field, ett_address_state), ndr->tvb,
                                        start, 1, address_state_bits, ENC_NA);
        return;
    case R_MAX_DELTA:
        proto_tree_add_expert_format(tree, pinfo, &ei_api_extension, ndr->tvb, start, 4,
                                     "pMaxAllowedDeltaTime is in the dhcpsapi.h API but not in "
                                     "the MS-DHCPM method; decoded from the extra DWORD");
        return;
    case R_ADDRESS_STATUS:
        if (!st->c->rec)        /* the request's: an API extension */
            proto_tree_add_expert_format(tree, pinfo, &ei_api_extension, ndr->tvb, start, 4,
                                         "pStatus is [in, out] in the dhcpsapi.h API but [out] "
                                         "in MS-DHCPM; decoded from the extra DWORD");
        return;
    case R_SYSTEM_TIME:
        break;      /* below */
    default:
        return;
    }
    if (st->c->rec) {
        dhcpsrv2_tap_record *rec = st->c->rec;
        rec->system_time_valid = TRUE;
        rec->system_time = v;
        check_clock(ndr, tree, start, st->c->di->call_id, rec);
        col_append_fstr(pinfo->cinfo, COL_INFO, " %s",
                        abs_time_secs_to_str(pinfo->pool, (time_t)v, ABSOLUTE_TIME_UTC, TRUE));
    }
}

/* DHCPV4_FAILOVER_CLIENT_INFO decoded (its deferred strings aside): the
 * client found, in the Info column (a type hook: the members by index). */
static gint ci_client_ip = -1;

static void
client_info_decoded(ndrt_ctx *ctx, ndr_t *ndr, guint16 type _U_, const ndrt_value *values,
                    proto_tree *tree _U_, proto_item *item _U_)
{
    if (ctx->leaf == leaf_decoded && ndr_ok(ndr) && ci_client_ip >= 0 && values[ci_client_ip].set)
        dhcpsrv2_append_ipv4_to_info(ndr->pinfo, (guint32)values[ci_client_ip].u);
}

void
dhcpsrv2_failover_bind_type_hooks(ndrt_type_hook *hooks)
{
    guint i, j;

    for (i = 0; i < DHCPM_TYPE_COUNT; i++) {
        const ndrt_type *t = &dhcpm_types[i];
        if (t->kind != NDRT_STRUCT || strcmp(t->name, "DHCPV4_FAILOVER_CLIENT_INFO") != 0)
            continue;
        for (j = 0; j < t->count && j < NDRT_MAX_MEMBERS; j++)
            if (strcmp(dhcpm_members[t->first + j].name, "ClientIpAddress") == 0)
                ci_client_ip = (gint)j;
        hooks[i] = client_info_decoded;
    }
}

/* ------------------------------------------------------------------------ */
/* The method hooks                                                           */

static void
bind(dhcpm_call *c)
{
    fo_state *st = wmem_new0(c->ndr->pinfo->pool, fo_state);

    if (!failover_ndr_ready && c->ndr->fields) {
        failover_ndr = *c->ndr->fields;
        failover_ndr.ei[NDR_WARN_COUNT_MISMATCH] = ei_count_mismatch;
        failover_ndr_ready = TRUE;
    }
    if (failover_ndr_ready)
        c->ndr->fields = &failover_ndr;
    st->c = c;
    c->state = st;
    c->ctx->leaf = leaf_decoded;
    c->ctx->enter = enter_hooks;
    c->ctx->leaf_user = st;
}

static guint
n_rels(const fo_state *st)
{
    return st->rels ? wmem_array_get_count(st->rels) : 0;
}

static dhcpsrv2_relationship *
rel_at(const fo_state *st, guint i)
{
    return *(dhcpsrv2_relationship **)wmem_array_index(st->rels, i);
}

static const ndrt_value *
param(const dhcpm_call *c, const char *name)
{
    guint i;

    for (i = 0; i < c->method->n_params; i++)
        if (strcmp(dhcpm_members[c->method->first + i].name, name) == 0)
            return &c->params[i];
    return NULL;
}

/* The relationships of a response into the tap record (contiguous, packet
 * scope), each checked: a server reporting a relationship not in NORMAL. */
static void
record_relationships(dhcpm_call *c)
{
    fo_state *st = (fo_state *)c->state;
    guint n = n_rels(st), i;
    dhcpsrv2_relationship *items;

    if (!n)
        return;
    items = wmem_alloc0_array(c->ndr->pinfo->pool, dhcpsrv2_relationship, n);
    for (i = 0; i < n; i++) {
        items[i] = *rel_at(st, i);
        items[i].complete = TRUE;
        if (items[i].state != DHCPSRV2_FSM_NORMAL)
            proto_tree_add_expert_format(c->tree, c->ndr->pinfo, &ei_state_not_normal,
                                         c->ndr->tvb, 0, 0,
                                         "Relationship \"%s\" is in state %s (previous state %s)",
                                         items[i].name ? items[i].name : "?",
                                         enum_name(f_state, items[i].state, "unknown"),
                                         enum_name(f_state, items[i].prev_state, "unknown"));
    }
    c->rec->relationships = items;
    c->rec->n_relationships = n;
}

/* 89 Create, 90 Set, 94 AddScope, 95 DeleteScope: the relationship's name. */
static void
relationship_request_end(dhcpm_call *c)
{
    fo_state *st = (fo_state *)c->state;

    if (ndr_ok(c->ndr) && n_rels(st))
        append_quoted_to_info(c->ndr->pinfo, rel_at(st, 0)->name);
}

/* 92 Get: the name asked for. */
static void
name_request_end(dhcpm_call *c)
{
    const ndrt_value *name = param(c, "pRelationshipName");

    if (ndr_ok(c->ndr) && name)
        append_quoted_to_info(c->ndr->pinfo, name->s);
}

/* 92 Get, 96 GetScopeRelationship: one relationship or NULL. */
static void
one_relationship_response_end(dhcpm_call *c)
{
    fo_state *st = (fo_state *)c->state;
    const dhcpsrv2_relationship *rel;

    if (!ndr_ok(c->ndr) || !n_rels(st))
        return;
    record_relationships(c);
    rel = &c->rec->relationships[0];
    append_quoted_to_info(c->ndr->pinfo, rel->name);
    col_append_fstr(c->ndr->pinfo->cinfo, COL_INFO, " %s %s",
                    enum_name(f_mode, rel->mode, "mode?"), enum_name(f_state, rel->state, "state?"));
}

/* 93 Enum */
static void
enum_request_end(dhcpm_call *c)
{
    const ndrt_value *resume = param(c, "ResumeHandle"), *max = param(c, "preferredMaximum");

    if (ndr_ok(c->ndr) && resume && max)
        col_append_fstr(c->ndr->pinfo->cinfo, COL_INFO, " resume %u, max %u bytes",
                        (guint32)resume->u, (guint32)max->u);
}

static void
enum_response_end(dhcpm_call *c)
{
    fo_state *st = (fo_state *)c->state;
    const ndrt_value *read = param(c, "relationshipRead"), *total = param(c, "relationshipTotal");
    guint n, i;

    if (st->rels_done)  /* the array decoded whole (relationshipRead follows it) */
        record_relationships(c);
    if (!ndr_ok(c->ndr))
        return;
    n = n_rels(st);
    col_append_fstr(c->ndr->pinfo->cinfo, COL_INFO, " %u relationship%s (read %u, total %u)",
                    n, plurality(n, "", "s"), read ? (guint32)read->u : 0,
                    total ? (guint32)total->u : 0);
    for (i = 0; i < n; i++)
        append_quoted_to_info(c->ndr->pinfo, rel_at(st, i)->name);
}

/* 96 GetScopeRelationship, 125 GetAddressStatus: the address asked about,
 * kept for the response. */
static void
address_request_end(dhcpm_call *c)
{
    const ndrt_value *a = param(c, c->method->opnum == 96 ? "scopeId" : "SubnetAddress");

    if (a && a->set) {
        c->address_value = (guint32)a->u;
        c->address = &c->address_value;
    }
}

static void
scope_relationship_response_begin(dhcpm_call *c)
{
    bind(c);
    if (c->call && c->call->have_scope) {
        c->rec->scope_id_valid = TRUE;
        c->rec->scope_id = c->call->scope_id;
        proto_item_set_generated(proto_tree_add_ipv4(c->tree, dhcpsrv2_hf_scope_id, c->ndr->tvb,
                                                     0, 0, g_htonl(c->call->scope_id)));
        dhcpsrv2_append_ipv4_to_info(c->ndr->pinfo, c->call->scope_id);
    }
}

/* 125 GetAddressStatus */
static void
address_status_response_begin(dhcpm_call *c)
{
    bind(c);
    if (c->call && c->call->have_scope) {
        proto_item_set_generated(proto_tree_add_ipv4(c->tree,
                                                     dhcpm_field_hf(DHCPSRV2_IF_DHCPSRV2,
                                                                    f_subnet_address),
                                                     c->ndr->tvb, 0, 0,
                                                     g_htonl(c->call->scope_id)));
        dhcpsrv2_append_ipv4_to_info(c->ndr->pinfo, c->call->scope_id);
    }
}

static void
address_status_response_end(dhcpm_call *c)
{
    const ndrt_value *status = param(c, "pStatus");

    if (ndr_ok(c->ndr) && status && status->set)
        col_append_fstr(c->ndr->pinfo->cinfo, COL_INFO, ": %s",
                        compat_val_to_str(c->ndr->pinfo->pool, (guint32)status->u,
                                          address_status_vals, "status %u"));
}

static const dhcpm_method_hooks method_hooks[] = {
    { 89, TRUE, bind, relationship_request_end, bind, NULL },
    { 90, TRUE, bind, relationship_request_end, bind, NULL },
    { 92, TRUE, bind, name_request_end, bind, one_relationship_response_end },
    { 93, TRUE, bind, enum_request_end, bind, enum_response_end },
    { 94, TRUE, bind, relationship_request_end, bind, NULL },
    { 95, TRUE, bind, relationship_request_end, bind, NULL },
    { 96, TRUE, bind, address_request_end, scope_relationship_response_begin,
      one_relationship_response_end },
    { 98, TRUE, bind, NULL, bind, NULL },
    { 99, TRUE, bind, NULL, bind, NULL },
    { 125, TRUE, bind, address_request_end, address_status_response_begin,
      address_status_response_end },
};

const dhcpm_method_hooks *
dhcpsrv2_failover_hooks(guint opnum)
{
    guint i;

    if (opnum < 89 || opnum > 125)
        return NULL;
    for (i = 0; i < G_N_ELEMENTS(method_hooks); i++)
        if (method_hooks[i].opnum == opnum)
            return &method_hooks[i];
    return NULL;
}

static void
bind_roles(void)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(roles); i++) {
        guint16 f = dhcpm_field_index(roles[i].suffix);
        if (f)
            role_of[f] = roles[i].role;
    }
    f_mode = dhcpm_field_index("failover_relationship.mode");
    f_state = dhcpm_field_index("failover_relationship.state");
    f_subnet_address = dhcpm_field_index("subnet_address");
    for (i = 0; i < DHCPM_TYPE_COUNT; i++)
        if (dhcpm_types[i].kind == NDRT_STRUCT &&
            strcmp(dhcpm_types[i].name, "DHCP_FAILOVER_RELATIONSHIP") == 0)
            enter_hooks[i] = relationship_entered;
}

/* ------------------------------------------------------------------------ */
/* Registration                                                               */

/* The fields above with a display of their own (units, special values, value
 * names the description has no enum for, bits, hex); every other field of
 * these methods is the description's (plugin/idl/ms-dhcpm.idl). */
#define REL "dhcpsrv2.failover_relationship."
#define CI "dhcpsrv2.failover_client_info."

void
dhcpsrv2_failover_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_rel_mclt, { "mclt", REL "mclt", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &units_second_seconds, 0, "Maximum client lead time", HFILL }},
        { &hf_rel_safe_period, { "safePeriod", REL "safe_period", FT_UINT32,
            BASE_DEC | BASE_SPECIAL_VALS, VALS(safe_period_vals), 0,
            "Seconds in COMMUNICATION_INT before PARTNER_DOWN (0xFFFFFFFF: never)", HFILL }},
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
        { &hf_max_allowed_delta_time, { "pMaxAllowedDeltaTime",
            "dhcpsrv2.max_allowed_delta_time", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &units_second_seconds, 0, "Maximum clock difference allowed (API extension)",
            HFILL }},
        { &hf_clock_offset, { "Clock offset", "dhcpsrv2.clock_offset", FT_INT64, BASE_DEC,
            NULL, 0, "Server clock minus capture clock, seconds (generated)", HFILL }},
        { &hf_address_status, { "pStatus", "dhcpsrv2.address_status", FT_UINT32, BASE_DEC,
            VALS(address_status_vals), 0, "Ownership of the address", HFILL }},
        { &hf_search_client_hardware_address, { "ClientHardwareAddress",
            "dhcpsrv2.search_info.client_hardware_address", FT_BYTES, SEP_COLON, NULL, 0,
            "DHCP_CLIENT_UID data: subnet id, hardware type, client identifier", HFILL }},
        { &hf_ci_client_hardware_address, { "ClientHardwareAddress",
            CI "client_hardware_address", FT_BYTES, SEP_COLON, NULL, 0,
            "DHCP_CLIENT_UID data: subnet id, hardware type, client identifier", HFILL }},
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
        { &hf_ci_quarantine_capable, { "QuarantineCapable", CI "quarantine_capable", FT_UINT32,
            BASE_DEC, NULL, 0, NULL, HFILL }},
        { &hf_ci_bnd_msg_status, { "bndMsgStatus", CI "bnd_msg_status", FT_UINT32, BASE_HEX,
            NULL, 0, "Ignored by the protocol", HFILL }},
        { &hf_ci_flags, { "flags", CI "flags", FT_UINT8, BASE_HEX, NULL, 0,
            "Ignored by the protocol", HFILL }},
    };
    static gint *ett[] = { &ett_set_flags, &ett_address_state };
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
    bind_roles();
}
