/* dhcpm-mib.c -- the scope counters of the MIB answers, for the statistics.
 *
 * R_DhcpGetMibInfo (dhcpsrv 22), R_DhcpGetMibInfoVQ (dhcpsrv 43) and
 * R_DhcpGetMibInfoV5 (dhcpsrv2 81) return, per scope, the addresses in use,
 * free and offered (SCOPE_MIB_INFO, _VQ, _V5: [MS-DHCPM] 2.2.1.2.48, 2.2.1.2.50,
 * 2.2.1.2.52).  Hooks on those structures collect them while the
 * table-driven decoder walks the answer; the response's tap record carries
 * them only when the whole answer decoded (a truncated or lying stub feeds
 * nothing into the statistics).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>

#include "dhcpm-decode.h"
#include "idl/dhcpm-types.h"

/* At most this many scopes of one answer are carried (each is 16 wire
 * bytes at least, so a stub can only claim so many anyway). */
#define MIB_MAX_SCOPES 65536

static const char *const scope_types[] = { "SCOPE_MIB_INFO", "SCOPE_MIB_INFO_V5",
                                           "SCOPE_MIB_INFO_VQ" };
static const char *const mib_types[] = { "DHCP_MIB_INFO", "DHCP_MIB_INFO_V5", "DHCP_MIB_INFO_VQ" };

/* Member positions of the four shared counters, per scope type. */
typedef struct scope_layout {
    guint16 type;
    gint8 subnet, in_use, free, pending;
} scope_layout;

static scope_layout layouts[G_N_ELEMENTS(scope_types)];
static guint n_layouts;

static gint
member_index(guint16 type, const char *name)
{
    const ndrt_type *t = &dhcpm_types[type];
    guint i;

    for (i = 0; i < t->count; i++)
        if (strcmp(dhcpm_members[t->first + i].name, name) == 0)
            return (gint)i;
    return -1;
}

static gint
type_index(const char *name)
{
    guint i;

    for (i = 0; i < DHCPM_TYPE_COUNT; i++)
        if (dhcpm_types[i].kind == NDRT_STRUCT && strcmp(dhcpm_types[i].name, name) == 0)
            return (gint)i;
    return -1;
}

static void
scope_decoded(ndrt_ctx *ctx, ndr_t *ndr, guint16 type, const ndrt_value *values,
              proto_tree *tree _U_, proto_item *item _U_)
{
    dhcpm_mib_state *state = (dhcpm_mib_state *)ctx->user;
    const scope_layout *l = NULL;
    dhcpsrv2_mib_scope scope;
    guint i;

    if (!state || !ndr_ok(ndr))
        return;
    for (i = 0; i < n_layouts; i++)
        if (layouts[i].type == type)
            l = &layouts[i];
    if (!l || !values[l->subnet].set || !values[l->in_use].set || !values[l->free].set ||
        !values[l->pending].set)
        return;
    if (!state->scopes)
        state->scopes = wmem_array_new(state->pinfo->pool, sizeof scope);
    if (wmem_array_get_count(state->scopes) >= MIB_MAX_SCOPES)
        return;
    scope.subnet = (guint32)values[l->subnet].u;
    scope.num_addresses_in_use = (guint32)values[l->in_use].u;
    scope.num_addresses_free = (guint32)values[l->free].u;
    scope.num_pending_offers = (guint32)values[l->pending].u;
    wmem_array_append_one(state->scopes, scope);
}

static void
mib_decoded(ndrt_ctx *ctx, ndr_t *ndr, guint16 type _U_, const ndrt_value *values _U_,
            proto_tree *tree _U_, proto_item *item _U_)
{
    dhcpm_mib_state *state = (dhcpm_mib_state *)ctx->user;

    if (state && ndr_ok(ndr))
        state->seen = TRUE;
}

void
dhcpm_mib_bind_hooks(ndrt_type_hook *hooks)
{
    guint i;

    n_layouts = 0;
    for (i = 0; i < G_N_ELEMENTS(scope_types); i++) {
        gint t = type_index(scope_types[i]);
        scope_layout l;

        if (t < 0)
            continue;
        l.type = (guint16)t;
        l.subnet = (gint8)member_index(l.type, "Subnet");
        l.in_use = (gint8)member_index(l.type, "NumAddressesInuse");
        l.free = (gint8)member_index(l.type, "NumAddressesFree");
        l.pending = (gint8)member_index(l.type, "NumPendingOffers");
        if (l.subnet < 0 || l.in_use < 0 || l.free < 0 || l.pending < 0)
            continue;
        layouts[n_layouts++] = l;
        hooks[t] = scope_decoded;
    }
    for (i = 0; i < G_N_ELEMENTS(mib_types); i++) {
        gint t = type_index(mib_types[i]);
        if (t >= 0)
            hooks[t] = mib_decoded;
    }
}

void
dhcpm_mib_state_init(dhcpm_mib_state *state, packet_info *pinfo)
{
    state->pinfo = pinfo;
    state->seen = FALSE;
    state->scopes = NULL;
}

void
dhcpm_mib_finish(dhcpm_mib_state *state, ndr_t *ndr, dhcpsrv2_tap_record *rec)
{
    guint n;

    if (!state->seen || !ndr_ok(ndr))
        return;
    n = state->scopes ? wmem_array_get_count(state->scopes) : 0;
    rec->mib_present = TRUE;
    rec->n_mib_scopes = n;
    rec->mib_scopes = n ? (const dhcpsrv2_mib_scope *)wmem_array_get_raw(state->scopes) : NULL;
    col_append_fstr(ndr->pinfo->cinfo, COL_INFO, ": %u scope%s", n, n == 1 ? "" : "s");
}
