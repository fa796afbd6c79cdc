/* dhcpsrv2-taprecords.c -- `tshark -q -z dhcpsrv2,records[,filter]`.
 *
 * Prints every record queued on the dhcpsrv2 tap (include/dhcpsrv2-tap.h),
 * one line each, in the order they were queued: what any statistics or
 * third-party listener receives, nothing recomputed.  For tests and for
 * anyone checking what a capture feeds into the statistics (a sealed call is
 * a record with "sealed" and no values; an untrusted stub one with
 * "untrusted" and no values).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>
#include <epan/address.h>
#include <epan/addr_resolv.h>
#include <epan/to_str.h>

#include "dhcpsrv2.h"
#include "dhcpm-handoff.h"
#include "ws-compat.h"

#define RECORDS_CLI "dhcpsrv2,records"

static const char *
undecoded_name(guint8 undecoded)
{
    switch (undecoded) {
    case DHCPSRV2_DECODED:             return "decoded";
    case DHCPSRV2_UNDECODED_SEALED:    return "sealed";
    case DHCPSRV2_UNDECODED_UNTRUSTED: return "untrusted";
    default:                           return "?";
    }
}

static void
append_values(GString *out, const dhcpsrv2_tap_record *r)
{
    const dhcpsrv2_failover_counters *c = &r->counters;

    if (r->status_valid)
        g_string_append_printf(out, " status=0x%08x", r->status);
    if (r->scope_id_valid)
        g_string_append_printf(out, " scope=%u.%u.%u.%u", r->scope_id >> 24,
                               (r->scope_id >> 16) & 0xff, (r->scope_id >> 8) & 0xff,
                               r->scope_id & 0xff);
    if (r->server_ip_address)
        g_string_append_printf(out, " server_ip_address=%s", r->server_ip_address);
    if (r->stats_present)
        g_string_append_printf(out, " stats=%u/%u/%u/%u/%u/%u/%u", c->num_addr, c->addr_free,
                               c->addr_in_use, c->partner_addr_free, c->this_addr_free,
                               c->partner_addr_in_use, c->this_addr_in_use);
    if (r->n_relationships)
        g_string_append_printf(out, " relationships=%u", r->n_relationships);
    if (r->system_time_valid)
        g_string_append_printf(out, " system_time=%u", r->system_time);
    if (r->mib_present)
        g_string_append_printf(out, " mib_scopes=%u", r->n_mib_scopes);
    if (r->malformed)
        g_string_append(out, " malformed");
}

static tap_packet_status
records_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
               tap_flags_t flags _U_)
{
    GString *out = (GString *)tapdata;
    const dhcpsrv2_tap_record *r = (const dhcpsrv2_tap_record *)data;
    char *server = address_to_str(pinfo->pool, &r->server);
    char *client = address_to_str(pinfo->pool, &r->client);

    g_string_append_printf(out, "%u\t%u\t%s\t%u\t%s\t%s\t%s\t", r->rsp_frame, r->req_frame,
                           r->interface_id == DHCPSRV2_IF_DHCPSRV ? "dhcpsrv" : "dhcpsrv2",
                           r->opnum, undecoded_name(r->undecoded), server, client);
    append_values(out, r);
    g_string_append_c(out, '\n');
    return TAP_PACKET_REDRAW;
}

static void
records_draw(void *tapdata)
{
    GString *out = (GString *)tapdata;
    guint short_way, generic;

    dhcpm_handoff_counts(&short_way, &generic);
    printf("=== dhcpsrv2 tap records ===\n"
           "rsp_frame\treq_frame\tinterface\topnum\tundecoded\tserver\tclient\tvalues\n%s"
           "===\n"
           "=== dhcpsrv2 hand-off (PDUs, every pass) ===\n"
           "short\tgeneric\n%u\t%u\n===\n", out->str, short_way, generic);
}

static void
records_finish(void *tapdata)
{
    g_string_free((GString *)tapdata, TRUE);
}

static COMPAT_STAT_TAP_INIT_TYPE
records_init(const char *opt_arg, void *userdata _U_)
{
    const char *filter = NULL;
    GString *out = g_string_new(NULL);
    GString *error;

    if (g_str_has_prefix(opt_arg, RECORDS_CLI ","))
        filter = opt_arg + strlen(RECORDS_CLI ",");
    error = register_tap_listener(DHCPSRV2_TAP_NAME, out, filter, TL_REQUIRES_NOTHING, NULL,
                                  records_packet, records_draw, records_finish);
    if (error) {
        fprintf(stderr, "tshark: -z " RECORDS_CLI ": %s\n", error->str);
        g_string_free(error, TRUE);
        g_string_free(out, TRUE);
        COMPAT_STAT_TAP_INIT_RETURN(FALSE);
    }
    COMPAT_STAT_TAP_INIT_RETURN(TRUE);
}

void
register_dhcpsrv2_taprecords(void)
{
    static tap_param params[] = { { PARAM_FILTER, "filter", "Filter", NULL, TRUE } };
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC, "DHCPSRV2 tap records", RECORDS_CLI, records_init,
        G_N_ELEMENTS(params), params
    };

    register_stat_tap_ui(&ui, NULL);
}
