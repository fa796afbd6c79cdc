/* dhcpm-options.c -- option values by option id (see dhcpm-options.h).
 *
 * How the option id reaches the values: the leaf hook of the table-driven
 * decoder (ndrt_ctx.leaf) sees every leaf; an option id leaf sets
 * ndrt_ctx.scope, which every pointer read afterwards hands to its deferred
 * referent.  So DHCP_OPTION_VALUE.OptionID reaches the elements of its own
 * Value (deferred, decoded after the whole array), whatever the flush order.
 *
 * Option ids: RFC 2132 (DHCPv4 options and BOOTP vendor extensions) and
 * those the Windows DHCP server predefines (RFC 4702 81, RFC 3442 121, the
 * Microsoft classless static route 249, WPAD 252); DHCPv6: RFC 8415 and
 * RFC 3646 (23, 24), RFC 4075 (31).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/to_str.h>
#include <epan/unit_strings.h>
#include <wsutil/inet_addr.h>

#include "ws-compat.h"
#include "dhcpsrv2.h"
#include "dhcpm-options.h"

#define N_IFACES 2

static const value_string dhcp_option_names[] = {
    { 0, "Pad" },
    { 1, "Subnet Mask" },
    { 2, "Time Offset" },
    { 3, "Router" },
    { 4, "Time Server" },
    { 5, "Name Server" },
    { 6, "Domain Name Server" },
    { 7, "Log Server" },
    { 8, "Cookie Server" },
    { 9, "LPR Server" },
    { 10, "Impress Server" },
    { 11, "Resource Location Server" },
    { 12, "Host Name" },
    { 13, "Boot File Size" },
    { 14, "Merit Dump File" },
    { 15, "Domain Name" },
    { 16, "Swap Server" },
    { 17, "Root Path" },
    { 18, "Extensions Path" },
    { 19, "IP Forwarding" },
    { 20, "Non-Local Source Routing" },
    { 21, "Policy Filter" },
    { 22, "Maximum Datagram Reassembly Size" },
    { 23, "Default IP Time-to-live" },
    { 24, "Path MTU Aging Timeout" },
    { 25, "Path MTU Plateau Table" },
    { 26, "Interface MTU" },
    { 27, "All Subnets are Local" },
    { 28, "Broadcast Address" },
    { 29, "Perform Mask Discovery" },
    { 30, "Mask Supplier" },
    { 31, "Perform Router Discovery" },
    { 32, "Router Solicitation Address" },
    { 33, "Static Route" },
    { 34, "Trailer Encapsulation" },
    { 35, "ARP Cache Timeout" },
    { 36, "Ethernet Encapsulation" },
    { 37, "TCP Default TTL" },
    { 38, "TCP Keepalive Interval" },
    { 39, "TCP Keepalive Garbage" },
    { 40, "NIS Domain" },
    { 41, "NIS Servers" },
    { 42, "NTP Servers" },
    { 43, "Vendor Specific Information" },
    { 44, "NetBIOS over TCP/IP Name Server" },
    { 45, "NetBIOS over TCP/IP Datagram Distribution Server" },
    { 46, "NetBIOS over TCP/IP Node Type" },
    { 47, "NetBIOS over TCP/IP Scope" },
    { 48, "X Window System Font Server" },
    { 49, "X Window System Display Manager" },
    { 50, "Requested IP Address" },
    { 51, "IP Address Lease Time" },
    { 52, "Option Overload" },
    { 53, "DHCP Message Type" },
    { 54, "Server Identifier" },
    { 55, "Parameter Request List" },
    { 56, "Message" },
    { 57, "Maximum DHCP Message Size" },
    { 58, "Renewal (T1) Time Value" },
    { 59, "Rebinding (T2) Time Value" },
    { 60, "Vendor Class Identifier" },
    { 61, "Client Identifier" },
    { 64, "NIS+ Domain" },
    { 65, "NIS+ Servers" },
    { 66, "TFTP Server Name" },
    { 67, "Bootfile Name" },
    { 68, "Mobile IP Home Agent" },
    { 69, "SMTP Server" },
    { 70, "POP3 Server" },
    { 71, "NNTP Server" },
    { 72, "Default WWW Server" },
    { 73, "Default Finger Server" },
    { 74, "Default IRC Server" },
    { 75, "StreetTalk Server" },
    { 76, "StreetTalk Directory Assistance Server" },
    { 81, "Client FQDN" },
    { 121, "Classless Static Route" },
    { 249, "Microsoft Classless Static Route" },
    { 252, "Web Proxy Auto-Discovery (WPAD)" },
    { 0, NULL }
};

static const value_string dhcpv6_option_names[] = {
    { 1, "Client Identifier" },
    { 2, "Server Identifier" },
    { 3, "Identity Association for Non-temporary Addresses" },
    { 4, "Identity Association for Temporary Addresses" },
    { 5, "IA Address" },
    { 6, "Option Request" },
    { 7, "Preference" },
    { 8, "Elapsed Time" },
    { 9, "Relay Message" },
    { 11, "Authentication" },
    { 12, "Server Unicast" },
    { 13, "Status Code" },
    { 14, "Rapid Commit" },
    { 15, "User Class" },
    { 16, "Vendor Class" },
    { 17, "Vendor-specific Information" },
    { 18, "Interface-Id" },
    { 19, "Reconfigure Message" },
    { 20, "Reconfigure Accept" },
    { 21, "SIP Server Domain Name List" },
    { 22, "SIP Server IPv6 Address List" },
    { 23, "DNS Recursive Name Server" },
    { 24, "Domain Search List" },
    { 31, "SNTP Servers" },
    { 32, "Information Refresh Time" },
    { 0, NULL }
};

static const value_string netbios_node_types[] = {
    { 1, "B-node" },
    { 2, "P-node" },
    { 4, "M-node" },
    { 8, "H-node" },
    { 0, NULL }
};

/* The union arm an option's elements travel in. */
enum { ARM_BYTE, ARM_WORD, ARM_DWORD, ARM_IP, ARM_STRING, ARM_IPV6_STRING, N_ARMS };

static const char *const arm_suffix[N_ARMS] = {
    "option_element_union.byte_option",
    "option_element_union.word_option",
    "option_element_union.d_word_option",
    "option_element_union.ip_address_option",
    "option_element_union.string_data_option",
    "option_element_union.ipv6_address_data_option",
};

/* Fields whose value is an option id. */
static const char *const id_suffix[] = { "option_id", "option_value.option_id", "option.option_id" };
#define N_ID_FIELDS G_N_ELEMENTS(id_suffix)

typedef struct opt_meaning {
    guint8 family;
    guint32 id;
    guint8 arm;
    const char *suffix;         /* option_value.<suffix> */
    const char *label;
    enum ftenum ftype;
    int display;
    const void *strings;
    gboolean duration;          /* seconds: also "(8 days)", 0xFFFFFFFF infinite */
} opt_meaning;

static const opt_meaning meanings[] = {
    { 4, 1, ARM_IP, "subnet_mask", "Subnet mask", FT_IPv4, BASE_NETMASK, NULL, FALSE },
    { 4, 2, ARM_DWORD, "time_offset", "Time offset", FT_INT32, BASE_DEC | BASE_UNIT_STRING,
      &units_second_seconds, FALSE },
    { 4, 3, ARM_IP, "router", "Router", FT_IPv4, BASE_NONE, NULL, FALSE },
    { 4, 4, ARM_IP, "time_server", "Time server", FT_IPv4, BASE_NONE, NULL, FALSE },
    { 4, 6, ARM_IP, "dns_server", "DNS server", FT_IPv4, BASE_NONE, NULL, FALSE },
    { 4, 12, ARM_STRING, "host_name", "Host name", FT_STRING, BASE_NONE, NULL, FALSE },
    { 4, 15, ARM_STRING, "domain_name", "Domain name", FT_STRING, BASE_NONE, NULL, FALSE },
    { 4, 26, ARM_WORD, "interface_mtu", "Interface MTU", FT_UINT16, BASE_DEC, NULL, FALSE },
    { 4, 28, ARM_IP, "broadcast_address", "Broadcast address", FT_IPv4, BASE_NONE, NULL, FALSE },
    { 4, 42, ARM_IP, "ntp_server", "NTP server", FT_IPv4, BASE_NONE, NULL, FALSE },
    { 4, 44, ARM_IP, "wins_server", "WINS/NBNS server", FT_IPv4, BASE_NONE, NULL, FALSE },
    { 4, 46, ARM_BYTE, "netbios_node_type", "NetBIOS node type", FT_UINT8, BASE_HEX,
      VALS(netbios_node_types), FALSE },
    { 4, 47, ARM_STRING, "netbios_scope", "NetBIOS scope", FT_STRING, BASE_NONE, NULL, FALSE },
    { 4, 51, ARM_DWORD, "lease_time", "Lease time", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
      &units_second_seconds, TRUE },
    { 4, 58, ARM_DWORD, "renewal_time", "Renewal time (T1)", FT_UINT32,
      BASE_DEC | BASE_UNIT_STRING, &units_second_seconds, TRUE },
    { 4, 59, ARM_DWORD, "rebinding_time", "Rebinding time (T2)", FT_UINT32,
      BASE_DEC | BASE_UNIT_STRING, &units_second_seconds, TRUE },
    { 4, 60, ARM_STRING, "vendor_class", "Vendor class identifier", FT_STRING, BASE_NONE, NULL,
      FALSE },
    { 4, 66, ARM_STRING, "tftp_server_name", "TFTP server name", FT_STRING, BASE_NONE, NULL,
      FALSE },
    { 4, 67, ARM_STRING, "bootfile_name", "Bootfile name", FT_STRING, BASE_NONE, NULL, FALSE },
    { 4, 252, ARM_STRING, "wpad_url", "WPAD URL", FT_STRING, BASE_NONE, NULL, FALSE },
    { 6, 23, ARM_IPV6_STRING, "v6_dns_server", "DNS recursive name server (DHCPv6)", FT_IPv6,
      BASE_NONE, NULL, FALSE },
    { 6, 24, ARM_STRING, "v6_domain_search_list", "Domain search list (DHCPv6)", FT_STRING,
      BASE_NONE, NULL, FALSE },
};
#define N_MEANINGS G_N_ELEMENTS(meanings)

static int hf_meaning[N_IFACES][N_MEANINGS];
static int hf_option[N_IFACES];         /* the option id by name, DHCPv4 */
static int hf_option_v6[N_IFACES];      /* likewise, DHCPv6 */
static guint16 arm_field[N_ARMS];       /* generated field index of each arm (0: none) */
static guint16 id_field[N_ID_FIELDS];

#define SCOPE_SET (G_GUINT64_CONSTANT(1) << 32)

static guint16
field_by_suffix(const ndrt_desc *desc, const char *suffix)
{
    guint i;

    for (i = 1; i < desc->n_fields; i++)
        if (strcmp(desc->fields[i].suffix, suffix) == 0)
            return (guint16)i;
    return 0;
}

/* The option id by name, beside every option id field of the interface. */
static void
option_name_field(hf_register_info *hf, int *id, const char *name, const char *filter,
                  const char *suffix, const value_string *names, const char *blurb)
{
    *id = -1;
    hf->p_id = id;
    hf->hfinfo.name = name;
    hf->hfinfo.abbrev = g_strdup_printf("%s.option_value.%s", filter, suffix);
    hf->hfinfo.type = FT_UINT32;
    hf->hfinfo.display = BASE_DEC;
    hf->hfinfo.strings = VALS(names);
    hf->hfinfo.blurb = blurb;
    HFILL_INIT(*hf);
}

static void
register_iface(int proto, guint iface, const char *filter)
{
    hf_register_info *hf = g_new0(hf_register_info, N_MEANINGS + 2);
    guint i, n = 0;

    for (i = 0; i < N_MEANINGS; i++) {
        const opt_meaning *m = &meanings[i];
        hf_meaning[iface][i] = -1;
        hf[n].p_id = &hf_meaning[iface][i];
        hf[n].hfinfo.name = m->label;
        hf[n].hfinfo.abbrev = g_strdup_printf("%s.option_value.%s", filter, m->suffix);
        hf[n].hfinfo.type = m->ftype;
        hf[n].hfinfo.display = m->display;
        hf[n].hfinfo.strings = m->strings;
        hf[n].hfinfo.blurb = g_strdup_printf("Option %u's element, by the option id (generated)",
                                             m->id);
        HFILL_INIT(hf[n]);
        n++;
    }
    option_name_field(&hf[n++], &hf_option[iface], "Option", filter, "option",
                      dhcp_option_names, "The DHCPv4 option id by name (generated)");
    option_name_field(&hf[n++], &hf_option_v6[iface], "Option (DHCPv6)", filter, "option_v6",
                      dhcpv6_option_names, "The DHCPv6 option id by name (generated)");
    proto_register_field_array(proto, hf, (int)n);
}

void
dhcpm_options_register(int dhcpsrv_id, int dhcpsrv2_id, const ndrt_desc *desc)
{
    guint i;

    register_iface(dhcpsrv2_id, DHCPSRV2_IF_DHCPSRV2, "dhcpsrv2");
    register_iface(dhcpsrv_id, DHCPSRV2_IF_DHCPSRV, "dhcpsrv");
    for (i = 0; i < N_ARMS; i++)
        arm_field[i] = field_by_suffix(desc, arm_suffix[i]);
    for (i = 0; i < N_ID_FIELDS; i++)
        id_field[i] = field_by_suffix(desc, id_suffix[i]);
}

static gboolean
is_id_field(guint16 field)
{
    guint i;

    for (i = 0; i < N_ID_FIELDS; i++)
        if (field && id_field[i] == field)
            return TRUE;
    return FALSE;
}

const char *
dhcpm_options_id_name(const dhcpm_options_state *st, guint16 field, guint64 id)
{
    if (!st || !st->family || !is_id_field(field) || id > G_MAXUINT32)
        return NULL;
    return try_val_to_str((guint32)id, st->family == 6 ? dhcpv6_option_names : dhcp_option_names);
}

static void
add_meaning(ndr_t *ndr, proto_tree *tree, int hf, const opt_meaning *m, const ndrt_value *v,
            int start, int len)
{
    proto_item *pi = NULL;

    switch (m->ftype) {
    case FT_IPv4:
        /* The stub's DWORD is the address in host order. */
        pi = proto_tree_add_ipv4(tree, hf, ndr->tvb, start, len, g_htonl((guint32)v->u));
        break;
    case FT_IPv6: {
        ws_in6_addr addr;
        if (!v->s || !ws_inet_pton6(v->s, &addr))
            return;
        pi = proto_tree_add_ipv6(tree, hf, ndr->tvb, start, len, &addr);
        break;
    }
    case FT_STRING:
        if (!v->s)
            return;
        pi = proto_tree_add_string(tree, hf, ndr->tvb, start, len, v->s);
        break;
    case FT_INT32:
        pi = proto_tree_add_int(tree, hf, ndr->tvb, start, len, (gint32)(guint32)v->u);
        break;
    default:
        pi = proto_tree_add_uint(tree, hf, ndr->tvb, start, len, (guint32)v->u);
        break;
    }
    if (m->duration && pi && ndr->pinfo) {
        if ((guint32)v->u == 0xFFFFFFFF)
            proto_item_append_text(pi, " (infinite)");
        else if (v->u >= 60)
            proto_item_append_text(pi, " (%s)",
                                   unsigned_time_secs_to_str(ndr->pinfo->pool, (guint32)v->u));
    }
    proto_item_set_generated(pi);
}

static void
options_leaf(ndrt_ctx *ctx, ndr_t *ndr, guint16 field, const ndrt_value *v, proto_tree *tree,
             int start, int end)
{
    const dhcpm_options_state *st = (const dhcpm_options_state *)ctx->leaf_user;
    guint32 id;
    guint arm, i;

    if (is_id_field(field)) {
        if (v->u > G_MAXUINT32)
            return;
        /* What the pointers read from here on point to belongs to this id. */
        ctx->scope = SCOPE_SET | v->u;
        proto_item_set_generated(proto_tree_add_uint(
            tree, st->family == 6 ? hf_option_v6[st->iface] : hf_option[st->iface], ndr->tvb,
            start, end - start, (guint32)v->u));
        /* A DHCP_OPTION_VALUE's / DHCP_OPTION's subtree says which option it is. */
        if (field != id_field[0] && ndr_tree_visible(tree) && proto_tree_get_parent(tree)) {
            const char *name = dhcpm_options_id_name(st, field, v->u);
            proto_item_append_text(proto_tree_get_parent(tree), ": %s (%u)",
                                   name ? name : "Unknown", (guint32)v->u);
        }
        return;
    }
    if (!(ctx->scope & SCOPE_SET) || !tree)
        return;
    for (arm = 0; arm < N_ARMS; arm++)
        if (arm_field[arm] == field)
            break;
    if (arm == N_ARMS)
        return;
    id = (guint32)ctx->scope;
    for (i = 0; i < N_MEANINGS; i++) {
        const opt_meaning *m = &meanings[i];
        if (m->id == id && m->family == st->family && m->arm == arm) {
            add_meaning(ndr, tree, hf_meaning[st->iface][i], m, v, start, end - start);
            return;
        }
    }
}

void
dhcpm_options_begin(dhcpm_options_state *st, ndrt_ctx *ctx, const char *method_name,
                    guint iface)
{
    st->iface = (guint8)iface;
    st->family = 0;
    if (!method_name || !strstr(method_name, "Option") || iface >= N_IFACES)
        return;
    /* R_Dhcp...V6 methods name DHCPv6 options; R_DhcpV4... and the rest DHCPv4. */
    st->family = g_str_has_suffix(method_name, "V6") ? 6 : 4;
    ctx->leaf = options_leaf;
    ctx->leaf_user = st;
    ctx->scope = 0;
}
