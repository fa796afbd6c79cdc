/* dhcpm-decode.c -- every described MS-DHCPM method, decoded from the tables
 * generated out of the description (plugin/idl/dhcpm-types.c) by the
 * table-driven decoder of the NDR layer (ndr-type.c).
 *
 * What is here is what the layout does not say: which fields exist under
 * which protocol (registration of the generated field table), the dispatch
 * by opnum, the Info column, the tap record of every response, the hooks
 * that turn the MIB answers into tap records (dhcpm-mib.c) and the per-method
 * hooks of the failover methods (dhcpsrv2-failover.c, dhcpm_method_hooks).
 * Only opnum 97 keeps a hand-written decoder (dhcpsrv2-scope-stats.c, the
 * hot path): its opnum never reaches this file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-dcerpc.h>

#include "ws-compat.h"
#include "dhcpsrv2.h"
#include "dhcpm-decode.h"
#include "dhcpm-options.h"
#include "idl/dhcpm-types.h"

#define N_IFACES 2

/* Field index -> hf id, one array per protocol (index = dhcpsrv2_interface). */
static int hf_fields[N_IFACES][DHCPM_FIELD_COUNT];
static gint ett_types[DHCPM_TYPE_COUNT];
static ndrt_type_hook type_hooks[DHCPM_TYPE_COUNT];

typedef struct dhcpm_iface {
    const char *filter;
    guint8 proto_bit;
    const ndrt_method *methods;
    const guint *n_methods;
} dhcpm_iface;

static const dhcpm_iface ifaces[N_IFACES] = {
    [DHCPSRV2_IF_DHCPSRV2] = { "dhcpsrv2", NDRT_PROTO_DHCPSRV2, dhcpm_methods_dhcpsrv2,
                               &dhcpm_method_count_dhcpsrv2 },
    [DHCPSRV2_IF_DHCPSRV]  = { "dhcpsrv", NDRT_PROTO_DHCPSRV, dhcpm_methods_dhcpsrv,
                               &dhcpm_method_count_dhcpsrv },
};

/* ------------------------------------------------------------------------ */
/* Registration                                                               */

/* Registers, under `proto`, every field of the description its interface
 * uses.  A field registered by hand before (opnum 97's, the failover display
 * overrides of dhcpsrv2-failover.c, the
 * server handle) is shared, not registered twice. */
static void
register_fields(int proto, guint iface)
{
    const dhcpm_iface *ifc = &ifaces[iface];
    hf_register_info *hf = g_new0(hf_register_info, DHCPM_FIELD_COUNT);
    guint i, n = 0;

    for (i = 0; i < DHCPM_FIELD_COUNT; i++)
        hf_fields[iface][i] = -1;
    for (i = 1; i < DHCPM_FIELD_COUNT; i++) {
        const ndrt_field *f = &dhcpm_fields[i];
        char *abbrev;
        header_field_info *existing;

        if (!(f->protos & ifc->proto_bit))
            continue;
        abbrev = g_strdup_printf("%s.%s", ifc->filter, f->suffix);
        existing = proto_registrar_get_byname(abbrev);
        if (existing) {
            /* Shared only when it can show the value the same way (a
             * field registered by hand with a display of its own, such as
             * a 32-bit BOOL shown as a number, is the same 32-bit value). */
            if (existing->type == f->ftype ||
                (f->ftype == FT_BOOLEAN && f->display == 32 && existing->type == FT_UINT32))
                hf_fields[iface][i] = existing->id;
            g_free(abbrev);
            continue;
        }
        hf[n].p_id = &hf_fields[iface][i];
        hf[n].hfinfo.name = f->label;
        hf[n].hfinfo.abbrev = abbrev;
        hf[n].hfinfo.type = f->ftype;
        hf[n].hfinfo.display = f->display;
        hf[n].hfinfo.strings = f->strings;
        hf[n].hfinfo.bitmask = 0;
        hf[n].hfinfo.blurb = f->blurb;
        HFILL_INIT(hf[n]);
        n++;
    }
    /* Kept for the life of the process, as proto_register_field_array wants. */
    proto_register_field_array(proto, hf, (int)n);
}

void
dhcpm_register(int dhcpsrv_id, int dhcpsrv2_id)
{
    static gint *ett[DHCPM_TYPE_COUNT];
    guint i;

    register_fields(dhcpsrv2_id, DHCPSRV2_IF_DHCPSRV2);
    register_fields(dhcpsrv_id, DHCPSRV2_IF_DHCPSRV);
    for (i = 0; i < DHCPM_TYPE_COUNT; i++) {
        ett_types[i] = -1;
        ett[i] = &ett_types[i];
    }
    proto_register_subtree_array(ett, DHCPM_TYPE_COUNT);
    dhcpm_mib_bind_hooks(type_hooks);
    dhcpsrv2_failover_bind_type_hooks(type_hooks);
    dhcpm_options_register(dhcpsrv_id, dhcpsrv2_id, &dhcpm_desc);
}

guint16
dhcpm_field_index(const char *suffix)
{
    guint i;

    for (i = 1; i < DHCPM_FIELD_COUNT; i++)
        if (strcmp(dhcpm_fields[i].suffix, suffix) == 0)
            return (guint16)i;
    return 0;
}

int
dhcpm_field_hf(guint iface, guint16 field)
{
    return iface < N_IFACES && field && field < DHCPM_FIELD_COUNT ? hf_fields[iface][field] : -1;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                   */

/* The hand-written meaning of this method beyond its layout, if any. */
static const dhcpm_method_hooks *
hooks_of(guint iface, const ndrt_method *m)
{
    return iface == DHCPSRV2_IF_DHCPSRV2 ? dhcpsrv2_failover_hooks(m->opnum) : NULL;
}

static void
call_hook(void (*hook)(dhcpm_call *), dhcpm_call *c)
{
    if (hook)
        hook(c);
}

static const ndrt_method *
method_of(guint iface, dcerpc_info *di)
{
    const dhcpm_iface *ifc = &ifaces[iface];
    guint opnum;

    if (!di->call_data)
        return NULL;
    opnum = di->call_data->opnum;
    if (opnum >= *ifc->n_methods || !ifc->methods[opnum].name)
        return NULL;
    return &ifc->methods[opnum];
}

static void
ctx_init(ndrt_ctx *ctx, guint iface, void *user)
{
    ctx->desc = &dhcpm_desc;
    ctx->hf = hf_fields[iface];
    ctx->ett = ett_types;
    ctx->hooks = type_hooks;
    ctx->user = user;
    ctx->depth = 0;
    ctx->info = NULL;
    ctx->info_field = NULL;
    ctx->leaf = NULL;
    ctx->leaf_user = NULL;
    ctx->scope = 0;
    ctx->enter = NULL;
    ctx->owner = NULL;
}

/* " a.b.c.d", " \"text\"", " Name" (enum) or " Name=N" for the Info column. */
static void
append_value_to_info(packet_info *pinfo, guint16 field, const ndrt_value *v,
                     const dhcpm_options_state *opts)
{
    const ndrt_field *f = &dhcpm_fields[field];
    const char *name;

    if (!v->set || !field)
        return;
    if (v->s) {
        /* an IPv6 address (as text) or a string */
        col_append_fstr(pinfo->cinfo, COL_INFO, f->ftype == FT_IPv6 ? " %s" : " \"%s\"", v->s);
        return;
    }
    switch (f->ftype) {
    case FT_IPv4:
        dhcpsrv2_append_ipv4_to_info(pinfo, (guint32)v->u);
        return;
    case FT_STRING:
    case FT_BYTES:
    case FT_ABSOLUTE_TIME:
    case FT_IPv6:
        return;
    default:
        break;
    }
    name = f->strings ? try_val_to_str((guint32)v->u, (const value_string *)f->strings) : NULL;
    if (!name && (name = dhcpm_options_id_name(opts, field, v->u)) != NULL) {
        col_append_fstr(pinfo->cinfo, COL_INFO, " %s=%" G_GUINT64_FORMAT " (%s)", f->label, v->u,
                        name);
        return;
    }
    if (name)
        col_append_fstr(pinfo->cinfo, COL_INFO, " %s=%s", f->label, name);
    else
        col_append_fstr(pinfo->cinfo, COL_INFO, " %s=%" G_GUINT64_FORMAT, f->label, v->u);
}

/* The request parameters the Info column shows: the [ws_info] ones, or
 * else the first [in] value after the server handle. */
static gboolean
info_param(const ndrt_method *m, guint i, guint8 dir)
{
    const ndrt_member *p = &dhcpm_members[m->first + i];
    guint j;

    if (p->flags & NDRT_INFO)
        return (p->dir & dir) != 0;
    if (dir == NDRT_OUT) {
        /* Counts returned: [out] DWORD *ElementsRead, *ClientsRead, ... */
        size_t len = strlen(p->name);
        return p->dir == NDRT_OUT && p->field && len > 4 && strcmp(p->name + len - 4, "Read") == 0;
    }
    for (j = 0; j < m->n_params; j++)
        if (dhcpm_members[m->first + j].flags & NDRT_INFO)
            return FALSE;
    for (j = 0; j < i; j++) {
        const ndrt_member *q = &dhcpm_members[m->first + j];
        if ((q->dir & NDRT_IN) && q->field && !(q->flags & NDRT_SERVER_HANDLE))
            return FALSE;       /* an earlier one was shown */
    }
    return (p->dir & NDRT_IN) && p->field && !(p->flags & NDRT_SERVER_HANDLE);
}

/* A parameter dhcpsapi.h has and the spec does not ([ws_api_extension]):
 * present only when the stub has exactly its DWORD left (and the status, in
 * a response). */
static gboolean
api_extension_present(const ndr_t *ndr, int offset, const ndrt_method *m, const ndrt_member *p,
                      guint8 dir)
{
    guint8 flag = dir == NDRT_IN ? NDRT_API_EXT_IN : NDRT_API_EXT_OUT;
    int left;

    if (!(p->flags & flag))
        return TRUE;
    left = (int)ndr->captured - ndr_align(offset, 4);
    return left == 4 + (dir == NDRT_OUT && m->status ? 4 : 0);
}

/* `values` (may be NULL): receives each parameter's value (index = parameter);
 * `info`: the [ws_info] values go to the Info column. */
static int
decode_params(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, const ndrt_method *m,
              guint8 dir, dhcpsrv2_call *call, guint iface, ndrt_value *values, gboolean info)
{
    dhcpm_options_state opts;   /* option values by option id (dhcpm-options.c) */
    guint i;

    dhcpm_options_begin(&opts, ctx, m->name, iface);
    for (i = 0; i < m->n_params && ndr_ok(ndr); i++) {
        const ndrt_member *p = &dhcpm_members[m->first + i];
        ndrt_value local = { 0, NULL, FALSE };
        ndrt_value *vp = values ? &values[i] : &local;

        if (!(p->dir & dir))
            continue;
        if (!api_extension_present(ndr, offset, m, p, dir))
            continue;
        if ((p->flags & NDRT_SERVER_HANDLE) && dir == NDRT_IN) {
            /* Interned and kept for the response's tap record. */
            offset = dhcpsrv_dissect_server_handle_if(ndr, tree, offset, call, iface);
            continue;
        }
        if (info && ndr->pinfo->cinfo && info_param(m, i, dir) && !p->field) {
            /* A constructed value: one leaf of it says what it is about. */
            ndrt_value leaf = { 0, NULL, FALSE };
            guint16 leaf_field = 0;

            ctx->info = &leaf;
            ctx->info_field = &leaf_field;
            offset = ndrt_param(ndr, ctx, tree, offset, p->type, p->field, p->name, vp);
            ctx->info = NULL;
            if (ndr_ok(ndr))
                append_value_to_info(ndr->pinfo, leaf_field, &leaf, &opts);
            continue;
        }
        offset = ndrt_param(ndr, ctx, tree, offset, p->type, p->field, p->name, vp);
        if (info && ndr_ok(ndr) && ndr->pinfo->cinfo && info_param(m, i, dir))
            append_value_to_info(ndr->pinfo, p->field, vp, &opts);
    }
    ctx->leaf = NULL;           /* opts ends here */
    return offset;
}

static int
dissect_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                dcerpc_info *di, guint8 *drep, guint iface)
{
    const ndrt_method *m = method_of(iface, di);
    const dhcpm_method_hooks *hooks;
    ndrt_value *values = NULL;
    dhcpsrv2_call *call;
    dhcpm_call c;
    ndrt_ctx ctx;
    ndr_t ndr;

    if (!m)
        return offset;
    call = dhcpsrv2_call_get(pinfo, di, TRUE);
    dhcpsrv_iface_ndr_init(&ndr, tvb, pinfo, di, drep, iface);
    ctx_init(&ctx, iface, NULL);
    hooks = hooks_of(iface, m);
    if (hooks) {
        memset(&c, 0, sizeof c);
        c.ndr = &ndr;
        c.ctx = &ctx;
        c.tree = tree;
        c.di = di;
        c.method = m;
        c.call = call;
        values = wmem_alloc0_array(pinfo->pool, ndrt_value, MAX(m->n_params, 1));
        c.params = values;
        call_hook(hooks->request_begin, &c);
    }
    offset = decode_params(&ndr, &ctx, tree, offset, m, NDRT_IN, call, iface, values,
                           !hooks || !hooks->own_info);
    if (hooks) {
        call_hook(hooks->request_end, &c);
        return dhcpsrv2_end_request(&ndr, offset, call, c.address);
    }
    return dhcpsrv2_end_request(&ndr, offset, call, NULL);
}

static int
dissect_response(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                 dcerpc_info *di, guint8 *drep, guint iface)
{
    const ndrt_method *m = method_of(iface, di);
    const dhcpm_method_hooks *hooks;
    ndrt_value *values = NULL;
    const dhcpsrv2_call *call;
    dhcpsrv2_tap_record *rec;
    dhcpm_call c;
    dhcpm_mib_state mib;
    ndrt_ctx ctx;
    ndr_t ndr;

    if (!m)
        return offset;
    call = dhcpsrv2_call_get(pinfo, di, FALSE);
    dhcpsrv_iface_ndr_init(&ndr, tvb, pinfo, di, drep, iface);
    rec = dhcpsrv2_tap_record_new(pinfo, di, call, ndr.ndr64);
    rec->interface_id = (guint8)iface;
    dhcpsrv_add_request_server_if(tree, tvb, call, iface);
    dhcpm_mib_state_init(&mib, pinfo);
    ctx_init(&ctx, iface, &mib);
    hooks = hooks_of(iface, m);
    if (hooks) {
        memset(&c, 0, sizeof c);
        c.ndr = &ndr;
        c.ctx = &ctx;
        c.tree = tree;
        c.di = di;
        c.method = m;
        c.call = (dhcpsrv2_call *)call;
        c.rec = rec;
        values = wmem_alloc0_array(pinfo->pool, ndrt_value, MAX(m->n_params, 1));
        c.params = values;
        call_hook(hooks->response_begin, &c);
    }
    offset = decode_params(&ndr, &ctx, tree, offset, m, NDRT_OUT, NULL, iface, values,
                           !hooks || !hooks->own_info);
    if (hooks)
        call_hook(hooks->response_end, &c);
    if (m->status)
        offset = dhcpsrv_dissect_status_if(&ndr, tree, offset, rec, iface);
    dhcpm_mib_finish(&mib, &ndr, rec);
    return dhcpsrv2_end_response(&ndr, offset, rec);
}

static int
dhcpsrv2_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                 dcerpc_info *di, guint8 *drep)
{
    return dissect_request(tvb, offset, pinfo, tree, di, drep, DHCPSRV2_IF_DHCPSRV2);
}

static int
dhcpsrv2_response(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                  dcerpc_info *di, guint8 *drep)
{
    return dissect_response(tvb, offset, pinfo, tree, di, drep, DHCPSRV2_IF_DHCPSRV2);
}

static int
dhcpsrv_request(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                dcerpc_info *di, guint8 *drep)
{
    return dissect_request(tvb, offset, pinfo, tree, di, drep, DHCPSRV2_IF_DHCPSRV);
}

static int
dhcpsrv_response(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                 dcerpc_info *di, guint8 *drep)
{
    return dissect_response(tvb, offset, pinfo, tree, di, drep, DHCPSRV2_IF_DHCPSRV);
}

gboolean
dhcpm_is_generic(dcerpc_dissect_fnct_t *fn)
{
    return fn == dhcpsrv2_request || fn == dhcpsrv_request;
}

void
dhcpm_install(dcerpc_sub_dissector *ops, guint iface)
{
    const dhcpm_iface *ifc = &ifaces[iface];
    guint op;

    for (op = 0; op < *ifc->n_methods; op++) {
        if (!ifc->methods[op].name)
            continue;
        if (iface == DHCPSRV2_IF_DHCPSRV2)
            dhcpsrv_install_generic(ops, (guint16)op, dhcpsrv2_request, dhcpsrv2_response);
        else
            dhcpsrv_install_generic(ops, (guint16)op, dhcpsrv_request, dhcpsrv_response);
    }
}
