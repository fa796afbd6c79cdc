/* dhcpsrv2-scope-stats.c -- R_DhcpV4FailoverGetScopeStatistics (opnum 97).
 *
 * One function per IDL type or parameter, in the order of the spec's field
 * tables ([MS-DHCPM] 2.2.1.2.100 and 3.2.4.98).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/dissectors/packet-dcerpc.h>
#include <wsutil/inet_addr.h>
#include <wsutil/to_str.h>

#include "dhcpsrv2.h"
#include "ws-compat.h"

int dhcpsrv2_hf_scope_id = -1;
static int hf_stats_num_addr = -1;
static int hf_stats_addr_free = -1;
static int hf_stats_addr_in_use = -1;
static int hf_stats_partner_addr_free = -1;
static int hf_stats_this_addr_free = -1;
static int hf_stats_partner_addr_in_use = -1;
static int hf_stats_this_addr_in_use = -1;
static int hf_stats_utilization = -1;

static gint ett_failover_stats = -1;

static expert_field ei_free_inuse_mismatch = EI_INIT;
static expert_field ei_free_split_mismatch = EI_INIT;
static expert_field ei_inuse_split_mismatch = EI_INIT;
static expert_field ei_scope_exhausted = EI_INIT;
static expert_field ei_this_server_exhausted = EI_INIT;
static expert_field ei_null_stats_success = EI_INIT;
static expert_field ei_stats_with_error = EI_INIT;

/* ------------------------------------------------------------------------ */
/* DHCP_FAILOVER_STATISTICS consistency                                       */

/* The counters have no normative invariant; these are the relations their
 * definitions imply (see docs and the protocol digest, 3.3).  The bits go to
 * the tap record too, so statistics count exactly what the experts show. */
static guint32
failover_stats_checks(const dhcpsrv2_failover_counters *c)
{
    guint32 checks = 0;

    if ((guint64)c->addr_free + c->addr_in_use != c->num_addr)
        checks |= DHCPSRV2_CHECK_FREE_INUSE_MISMATCH;
    if ((guint64)c->this_addr_free + c->partner_addr_free != c->addr_free)
        checks |= DHCPSRV2_CHECK_FREE_SPLIT_MISMATCH;
    if ((guint64)c->this_addr_in_use + c->partner_addr_in_use != c->addr_in_use)
        checks |= DHCPSRV2_CHECK_INUSE_SPLIT_MISMATCH;
    if (c->addr_free == 0)
        checks |= DHCPSRV2_CHECK_SCOPE_EXHAUSTED;
    if (c->this_addr_free == 0 && c->partner_addr_free > 0)
        checks |= DHCPSRV2_CHECK_THIS_SERVER_EXHAUSTED;
    return checks;
}

/* Display of the generated utilization: two decimals and a percent sign. */
static void
format_utilization(gchar *buf, double value)
{
    snprintf(buf, ITEM_LABEL_LENGTH, "%.2f %%", value);
}

/* Decimal digits of v at p; returns the end. */
static char *
put_u32(char *p, guint32 v)
{
    char tmp[10];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *
put_lit(char *p, const char *s, size_t len)
{
    memcpy(p, s, len);
    return p + len;
}

#define PUT_LIT(p, s) put_lit((p), (s), sizeof(s) - 1)

/* s at p, at most to end - 1; returns the new end. */
static char *
put_str(char *p, const char *end, const char *s)
{
    while (*s && p < end - 1)
        *p++ = *s++;
    return p;
}

/* The response's Info suffix, built in one buffer and appended once:
 * " scopeId: addrFree/numAddr free (this thisAddrFree, partner
 * partnerAddrFree), STATUS", each part present only when decoded.  One
 * col_append_str() instead of four: each append measures the whole Info
 * text again (g_strlcat) and walks the columns (BENCHMARKS.md, issue 14).
 * The text is that of the former appends, ": %u/%u free (this %u, partner
 * %u)" included. */
typedef struct info_suffix {
    char text[1 + WS_INET_ADDRSTRLEN + 2 + 4 * 10 + sizeof("/ free (this , partner )") +
              sizeof(", ") + 64];
    char *p;
} info_suffix;

static void
suffix_scope(info_suffix *s, guint32 scope_id)
{
    *s->p++ = ' ';
    compat_ip_num_to_str_buf(scope_id, s->p, WS_INET_ADDRSTRLEN);
    s->p += strlen(s->p);
}

static void
suffix_free(info_suffix *s, const dhcpsrv2_failover_counters *c)
{
    char *p = s->p;

    p = PUT_LIT(p, ": ");
    p = put_u32(p, c->addr_free);
    *p++ = '/';
    p = put_u32(p, c->num_addr);
    p = PUT_LIT(p, " free (this ");
    p = put_u32(p, c->this_addr_free);
    p = PUT_LIT(p, ", partner ");
    p = put_u32(p, c->partner_addr_free);
    *p++ = ')';
    s->p = p;
}

static void
suffix_status(info_suffix *s, const char *status)
{
    const char *end = s->text + sizeof(s->text);

    s->p = put_str(s->p, end, ", ");
    s->p = put_str(s->p, end, status);
}

static void
suffix_append(packet_info *pinfo, info_suffix *s)
{
    *s->p = '\0';
    if (s->p != s->text)
        col_append_str(pinfo->cinfo, COL_INFO, s->text);
}

static const struct {
    dhcpsrv2_check bit;
    expert_field *ei;
} check_experts[] = {
    { DHCPSRV2_CHECK_FREE_INUSE_MISMATCH,   &ei_free_inuse_mismatch },
    { DHCPSRV2_CHECK_FREE_SPLIT_MISMATCH,   &ei_free_split_mismatch },
    { DHCPSRV2_CHECK_INUSE_SPLIT_MISMATCH,  &ei_inuse_split_mismatch },
    { DHCPSRV2_CHECK_SCOPE_EXHAUSTED,       &ei_scope_exhausted },
    { DHCPSRV2_CHECK_THIS_SERVER_EXHAUSTED, &ei_this_server_exhausted },
    { DHCPSRV2_CHECK_NULL_STATS_SUCCESS,    &ei_null_stats_success },
    { DHCPSRV2_CHECK_STATS_WITH_ERROR,      &ei_stats_with_error },
};

static void
add_check_experts(packet_info *pinfo, proto_item *item, const dhcpsrv2_tap_record *rec)
{
    const dhcpsrv2_failover_counters *c = &rec->counters;
    guint i;

    for (i = 0; i < G_N_ELEMENTS(check_experts); i++) {
        if (!(rec->checks & check_experts[i].bit))
            continue;
        switch (check_experts[i].bit) {
        case DHCPSRV2_CHECK_FREE_INUSE_MISMATCH:
            expert_add_info_format(pinfo, item, check_experts[i].ei,
                                   "addrFree + addrInUse = %" G_GUINT64_FORMAT ", numAddr = %u",
                                   (guint64)c->addr_free + c->addr_in_use, c->num_addr);
            break;
        case DHCPSRV2_CHECK_FREE_SPLIT_MISMATCH:
            expert_add_info_format(pinfo, item, check_experts[i].ei,
                                   "thisAddrFree + partnerAddrFree = %" G_GUINT64_FORMAT
                                   ", addrFree = %u",
                                   (guint64)c->this_addr_free + c->partner_addr_free, c->addr_free);
            break;
        case DHCPSRV2_CHECK_INUSE_SPLIT_MISMATCH:
            expert_add_info_format(pinfo, item, check_experts[i].ei,
                                   "thisAddrInUse + partnerAddrInUse = %" G_GUINT64_FORMAT
                                   ", addrInUse = %u",
                                   (guint64)c->this_addr_in_use + c->partner_addr_in_use,
                                   c->addr_in_use);
            break;
        default:
            expert_add_info(pinfo, item, check_experts[i].ei);
            break;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* DHCP_FAILOVER_STATISTICS (2.2.1.2.100)                                     */

static int
dissect_DHCP_FAILOVER_STATISTICS(ndr_t *ndr, proto_tree *parent, int offset, void *arg)
{
    /* the seven members, wire order: one bounds check (ndr_u32_run) */
    static const int *const stats_hf[] = {
        &hf_stats_num_addr, &hf_stats_addr_free, &hf_stats_addr_in_use,
        &hf_stats_partner_addr_free, &hf_stats_this_addr_free, &hf_stats_partner_addr_in_use,
        &hf_stats_this_addr_in_use,
    };
    dhcpsrv2_failover_counters *c = (dhcpsrv2_failover_counters *)arg;
    proto_tree *tree;
    guint32 v[G_N_ELEMENTS(stats_hf)];

    offset = ndr_align(offset, 4);
    tree = ndr_subtree(ndr, parent, offset, 28, ett_failover_stats, NULL,
                       "DHCP_FAILOVER_STATISTICS");
    offset = ndr_u32_run(ndr, tree, offset, stats_hf, v, G_N_ELEMENTS(v));
    c->num_addr = v[0];
    c->addr_free = v[1];
    c->addr_in_use = v[2];
    c->partner_addr_free = v[3];
    c->this_addr_free = v[4];
    c->partner_addr_in_use = v[5];
    c->this_addr_in_use = v[6];
    if (ndr_ok(ndr) && tree && c->num_addr > 0) {
        double utilization = 100.0 * c->addr_in_use / c->num_addr;
        /* The label ("25.00 %") is formatted by format_utilization() only
         * when the tree is shown, not for every packet. */
        proto_item *pi = ndr_keeps_item(tree, hf_stats_utilization)
                         ? proto_tree_add_double(tree, hf_stats_utilization, ndr->tvb, 0, 0,
                                                 utilization)
                         : (proto_item *)tree;      /* what the faked call returns */
        proto_item_set_generated(pi);
    }
    return offset;
}

/* ------------------------------------------------------------------------ */
/* Opnum 97: R_DhcpV4FailoverGetScopeStatistics (3.2.4.98)                    */

static int
dhcpsrv2_dissect_GetScopeStatistics_request(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                            proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, TRUE);
    ndr_t ndr;
    guint32 scope_id;

    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    offset = dhcpsrv2_dissect_server_handle(&ndr, tree, offset, call);
    offset = ndr_u32(&ndr, tree, offset, dhcpsrv2_hf_scope_id, &scope_id);
    return dhcpsrv2_end_request(&ndr, offset, call, &scope_id);
}

static int
dhcpsrv2_dissect_GetScopeStatistics_response(tvbuff_t *tvb, int offset, packet_info *pinfo,
                                             proto_tree *tree, dcerpc_info *di, guint8 *drep)
{
    const dhcpsrv2_call *call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv2_tap_record *rec;
    ndr_t ndr;
    gboolean present;
    const dhcpsrv2_failover_counters *c;
    info_suffix info;
    gboolean to_info = pinfo->cinfo != NULL;    /* tshark -T fields, -q: no Info column */

    info.p = info.text;
    dhcpsrv2_ndr_init(&ndr, tvb, pinfo, di, drep);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    dhcpsrv2_add_request_server(tree, tvb, call);
    if (call && call->have_scope) {
        rec->scope_id_valid = TRUE;
        rec->scope_id = call->scope_id;
        proto_item_set_generated(ndr_keeps_item(tree, dhcpsrv2_hf_scope_id)
                                 ? proto_tree_add_ipv4(tree, dhcpsrv2_hf_scope_id, tvb, 0, 0,
                                                       g_htonl(call->scope_id))
                                 : (proto_item *)tree);
        if (to_info)
            suffix_scope(&info, call->scope_id);
    }

    offset = ndr_toplevel_pointer(&ndr, tree, offset, NDR_PTR_UNIQUE, "pStats",
                                  dissect_DHCP_FAILOVER_STATISTICS, &rec->counters, &present);
    rec->stats_present = present && ndr_ok(&ndr);
    c = &rec->counters;
    if (rec->stats_present) {
        if (to_info)
            suffix_free(&info, c);
        rec->checks = failover_stats_checks(c);
    }
    offset = dhcpsrv2_dissect_status_no_info(&ndr, tree, offset, rec);
    if (rec->status_valid) {
        if (to_info)
            suffix_status(&info, dhcpsrv2_status_text(pinfo, rec->status));
        if (rec->status == 0 && !present)
            rec->checks |= DHCPSRV2_CHECK_NULL_STATS_SUCCESS;
        if (rec->status != 0 && rec->stats_present)
            rec->checks |= DHCPSRV2_CHECK_STATS_WITH_ERROR;
    }
    if (to_info)
        suffix_append(pinfo, &info);
    add_check_experts(pinfo, proto_tree_get_parent(tree) ? proto_tree_get_parent(tree) : NULL,
                      rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

const dhcpsrv_decoder dhcpsrv2_scope_stats_decoders[] = {
    { DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_STATISTICS,
      dhcpsrv2_dissect_GetScopeStatistics_request, dhcpsrv2_dissect_GetScopeStatistics_response },
};
const guint dhcpsrv2_scope_stats_decoder_count = G_N_ELEMENTS(dhcpsrv2_scope_stats_decoders);

/* ------------------------------------------------------------------------ */
/* Registration                                                               */

void
dhcpsrv2_scope_stats_register(int proto)
{
    static hf_register_info hf[] = {
        { &dhcpsrv2_hf_scope_id,
          { "scopeId", "dhcpsrv2.scope_id", FT_IPv4, BASE_NONE,
            NULL, 0, "DHCP_IP_ADDRESS of the scope (subnet) asked about", HFILL }},
        { &hf_stats_num_addr,
          { "numAddr", "dhcpsrv2.failover_stats.num_addr", FT_UINT32, BASE_DEC,
            NULL, 0, "Addresses of the scope available for leasing", HFILL }},
        { &hf_stats_addr_free,
          { "addrFree", "dhcpsrv2.failover_stats.addr_free", FT_UINT32, BASE_DEC,
            NULL, 0, "Free addresses of the scope", HFILL }},
        { &hf_stats_addr_in_use,
          { "addrInUse", "dhcpsrv2.failover_stats.addr_in_use", FT_UINT32, BASE_DEC,
            NULL, 0, "Leased addresses of the scope", HFILL }},
        { &hf_stats_partner_addr_free,
          { "partnerAddrFree", "dhcpsrv2.failover_stats.partner_addr_free", FT_UINT32, BASE_DEC,
            NULL, 0, "Free addresses owned by the partner server", HFILL }},
        { &hf_stats_this_addr_free,
          { "thisAddrFree", "dhcpsrv2.failover_stats.this_addr_free", FT_UINT32, BASE_DEC,
            NULL, 0, "Free addresses owned by the answering server", HFILL }},
        { &hf_stats_partner_addr_in_use,
          { "partnerAddrInUse", "dhcpsrv2.failover_stats.partner_addr_in_use", FT_UINT32, BASE_DEC,
            NULL, 0, "Addresses leased by the partner server", HFILL }},
        { &hf_stats_this_addr_in_use,
          { "thisAddrInUse", "dhcpsrv2.failover_stats.this_addr_in_use", FT_UINT32, BASE_DEC,
            NULL, 0, "Addresses leased by the answering server", HFILL }},
        { &hf_stats_utilization,
          { "Utilization", "dhcpsrv2.failover_stats.utilization", FT_DOUBLE, BASE_CUSTOM,
            CF_FUNC(format_utilization), 0, "addrInUse / numAddr x 100 (generated)", HFILL }},
    };
    static gint *ett[] = { &ett_failover_stats };
    static ei_register_info ei[] = {
        { &ei_free_inuse_mismatch,
          { "dhcpsrv2.expert.free_inuse_mismatch", PI_PROTOCOL, PI_WARN,
            "addrFree + addrInUse differs from numAddr", EXPFILL }},
        { &ei_free_split_mismatch,
          { "dhcpsrv2.expert.free_split_mismatch", PI_PROTOCOL, PI_WARN,
            "thisAddrFree + partnerAddrFree differs from addrFree", EXPFILL }},
        { &ei_inuse_split_mismatch,
          { "dhcpsrv2.expert.inuse_split_mismatch", PI_PROTOCOL, PI_WARN,
            "thisAddrInUse + partnerAddrInUse differs from addrInUse", EXPFILL }},
        { &ei_scope_exhausted,
          { "dhcpsrv2.expert.scope_exhausted", PI_RESPONSE_CODE, PI_WARN,
            "The scope has no free address", EXPFILL }},
        { &ei_this_server_exhausted,
          { "dhcpsrv2.expert.this_server_exhausted", PI_RESPONSE_CODE, PI_WARN,
            "This server has no free address left while its partner still has some", EXPFILL }},
        { &ei_null_stats_success,
          { "dhcpsrv2.expert.null_stats_success", PI_PROTOCOL, PI_WARN,
            "Success status but no statistics returned", EXPFILL }},
        { &ei_stats_with_error,
          { "dhcpsrv2.expert.stats_with_error", PI_PROTOCOL, PI_WARN,
            "Statistics returned with an error status", EXPFILL }},
    };
    expert_module_t *expert;

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto);
    expert_register_field_array(expert, ei, array_length(ei));
}
