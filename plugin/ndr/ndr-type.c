/* ndr-type.c -- the table-driven NDR decoder (see ndr-type.h).
 *
 * References: C706 chapter 14 (NDR 2.0), [MS-RPCE] 2.2.5 (NDR64): structure
 * alignment and the NDR64 trailing gap (2.2.5.3.4.1), union alignment
 * (2.2.5.3.4.2), embedded pointers deferred to the end of the enclosing
 * construct, depth first (C706 14.3.12.3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <wsutil/inet_addr.h>

#include "ndr-type.h"

/* What a deferred referent (or an array element) needs to be decoded later. */
typedef struct ndrt_slot {
    ndrt_ctx *ctx;
    guint16 type;
    guint16 field;
    const char *label;
    ndrt_value *out;            /* top-level only: a struct's frame is gone when
                                   its deferred referents are decoded */
    gint64 expect;              /* the [size_is] member's value, -1 when unknown */
    guint64 scope;              /* ctx->scope when the pointer was read */
    void *owner;                /* ctx->owner when it was deferred (ndrt_enter_hook) */
} ndrt_slot;

static int decode(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 type,
                  guint16 field, const char *label, ndrt_value *out, gint64 expect);

static inline int
hf_of(const ndrt_ctx *ctx, guint16 field)
{
    return field ? ctx->hf[field] : -1;
}

/* Offers a decoded leaf to ctx->info: an address or a string wins over an
 * earlier number, otherwise the first one stays. */
static void
offer_info(ndrt_ctx *ctx, guint16 field, guint8 kind, guint64 u, const char *text)
{
    gboolean strong = kind == NDRT_IPV4 || text != NULL;
    gboolean have_strong;

    if (!ctx->info || !field)
        return;
    have_strong = ctx->info->set && (ctx->info->s != NULL ||
                                     ctx->desc->fields[*ctx->info_field].ftype == FT_IPv4);
    if (ctx->info->set && (have_strong || !strong))
        return;
    ctx->info->u = u;
    ctx->info->s = text;
    ctx->info->set = TRUE;
    *ctx->info_field = field;
}

/* ------------------------------------------------------------------------ */
/* The enter hook (ndrt_enter_hook): whose values these are                 */

/* The start of a structure: its ndrt_enter_hook's result becomes the owner;
 * returns the previous owner, restored at the end of the structure. */
static inline void *
enter_struct(ndrt_ctx *ctx, ndr_t *ndr, guint16 type)
{
    void *saved = ctx->owner;

    if (G_UNLIKELY(ctx->enter != NULL) && ctx->enter[type])
        ctx->owner = ctx->enter[type](ctx, ndr, type);
    return saved;
}

static inline void
set_value(ndrt_value *out, guint64 v)
{
    if (out) {
        out->u = v;
        out->set = TRUE;
    }
}

/* ------------------------------------------------------------------------ */
/* Leaves with a meaning beyond their layout                                 */

/* DATE_TIME (a FILETIME as two DWORDs, low first), shown as one time. */
static int
decode_date_time(ndr_t *ndr, proto_tree *tree, int offset, int hf, ndrt_value *out)
{
    guint32 low, high;
    int start = ndr_align(offset, 4);
    nstime_t ts;

    offset = ndr_u32(ndr, tree, offset, -1, &low);
    offset = ndr_u32(ndr, tree, offset, -1, &high);
    if (!ndr_ok(ndr))
        return offset;
    set_value(out, ((guint64)high << 32) | low);
    if (hf <= 0 || !tree || !ndr_keeps_item(tree, hf))
        return offset;
    /* The field's value is always the FILETIME itself (filters and exports
     * see the real time); the special values only get a text. */
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

/* DHCP_IPV6_ADDRESS: HighOrderBits then LowOrderBits, each a ULONGLONG in
 * the stub's byte order; the address is their big-endian concatenation. */
static int
decode_ipv6(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 field, int hf,
            ndrt_value *out)
{
    guint64 high, low;
    int start = ndr_align(offset, 8);
    ws_in6_addr addr;
    int i;

    offset = ndr_u64(ndr, tree, offset, -1, &high);
    offset = ndr_u64(ndr, tree, offset, -1, &low);
    if (!ndr_ok(ndr))
        return offset;
    for (i = 0; i < 8; i++) {       /* big-endian, as an address is written */
        addr.bytes[i] = (guint8)(high >> (56 - 8 * i));
        addr.bytes[8 + i] = (guint8)(low >> (56 - 8 * i));
    }
    if ((out || (ctx->info && field)) && ndr->pinfo) {
        /* As text: for the caller (the Info column) or a summary. */
        char *text = (char *)wmem_alloc(ndr->pinfo->pool, WS_INET6_ADDRSTRLEN);
        ws_inet_ntop6(&addr, text, WS_INET6_ADDRSTRLEN);
        if (out) {
            out->u = high;
            out->s = text;
            out->set = TRUE;
        }
        offer_info(ctx, field, NDRT_IPV6, high, text);
    }
    if (hf <= 0 || !tree || !ndr_keeps_item(tree, hf))
        return offset;
    proto_tree_add_ipv6(tree, hf, ndr->tvb, start, 16, &addr);
    return offset;
}

/* A DWORD of seconds since 1970 UTC, shown as a time. */
static int
decode_time32(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 field, int hf,
              ndrt_value *out)
{
    guint32 v;
    int start = ndr_align(offset, 4);
    nstime_t ts;

    offset = ndr_u32(ndr, tree, offset, -1, &v);
    if (!ndr_ok(ndr))
        return offset;
    set_value(out, v);
    if (G_UNLIKELY(ctx->leaf != NULL) && field) {
        ndrt_value lv = { v, NULL, TRUE };
        ctx->leaf(ctx, ndr, field, &lv, tree, offset - 4, offset);
    }
    if (hf <= 0 || !tree || !ndr_keeps_item(tree, hf))
        return offset;
    ts.secs = (time_t)v;
    ts.nsecs = 0;
    if (v == 0)
        proto_tree_add_time_format_value(tree, hf, ndr->tvb, start, 4, &ts, "Not set (0)");
    else
        proto_tree_add_time(tree, hf, ndr->tvb, start, 4, &ts);
    return offset;
}

static int
decode_fixed_bytes(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint count)
{
    if (!ndr_need(ndr, tree, offset, count))
        return offset;
    if (hf > 0 && tree && ndr_keeps_item(tree, hf))
        proto_tree_add_item(tree, hf, ndr->tvb, offset, (int)count, ENC_NA);
    return offset + (int)count;
}

/* ------------------------------------------------------------------------ */
/* Strings                                                                    */

static int
decode_wstring(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 field, int hf,
               ndrt_value *out)
{
    const char *text = NULL;
    /* The text is only needed for the caller, a summary or the label. */
    gboolean want = out || ndr_tree_visible(tree) || (ctx->info && field) ||
                    (ctx->leaf && field);
    int start = offset;

    offset = ndr_cvstring(ndr, tree, offset, hf, want ? &text : NULL);
    if (out && text) {
        out->s = text;
        out->set = TRUE;
    }
    /* The pointer's subtree (a visible tree's parent) says what it points to. */
    if (text && ndr_tree_visible(tree) && proto_tree_get_parent(tree))
        proto_item_append_text(proto_tree_get_parent(tree), ": %s", text);
    if (text)
        offer_info(ctx, field, NDRT_WSTRING, 0, text);
    if (G_UNLIKELY(ctx->leaf != NULL) && text && field && ndr_ok(ndr)) {
        ndrt_value v = { 0, text, TRUE };
        ctx->leaf(ctx, ndr, field, &v, tree, ndr_align(start, ndr_ptr_size(ndr)), offset);
    }
    return offset;
}

/* ------------------------------------------------------------------------ */
/* Pointers                                                                   */

static int
deferred_referent(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    const ndrt_slot *slot = (const ndrt_slot *)arg;
    guint64 scope = slot->ctx->scope;
    void *owner = slot->ctx->owner;

    slot->ctx->scope = slot->scope;
    slot->ctx->owner = slot->owner;
    offset = decode(ndr, slot->ctx, tree, offset, slot->type, slot->field, slot->label, NULL,
                    slot->expect);
    slot->ctx->scope = scope;
    slot->ctx->owner = owner;
    return offset;
}

static int
decode_embedded_pointer(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset,
                        const ndrt_type *t, guint16 field, const char *label, gint64 expect)
{
    /* Lives until the referent is decoded, at the next flush: packet scope
     * (unit tests without pinfo use an allocator of their own, ndr.h). */
    ndrt_slot *slot = wmem_new(ndr->pinfo ? ndr->pinfo->pool : NULL, ndrt_slot);

    slot->ctx = ctx;
    slot->type = t->elem;
    slot->field = field;
    slot->label = label;
    slot->out = NULL;
    slot->expect = expect;
    slot->scope = ctx->scope;
    slot->owner = ctx->owner;
    offset = ndr_embedded_pointer(ndr, tree, offset, (ndr_pointer_kind)t->ptr,
                                  label ? label : "pointer", deferred_referent, slot, NULL);
    return offset;
}

/* The referent of a top-level pointer: decoded in place, and a pointer to
 * a pointer ([out] T**) is a top-level pointer again, not a deferred one. */
static int
toplevel_referent(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    const ndrt_slot *slot = (const ndrt_slot *)arg;

    return ndrt_param(ndr, slot->ctx, tree, offset, slot->type, slot->field, slot->label,
                      slot->out);
}

int
ndrt_param(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 type,
           guint16 field, const char *label, ndrt_value *out)
{
    const ndrt_type *t = &ctx->desc->types[type];
    ndrt_slot slot;

    if (!ndr_ok(ndr))
        return offset;
    if (t->kind != NDRT_POINTER) {
        offset = decode(ndr, ctx, tree, offset, type, field, label, out, -1);
        return ndr_flush(ndr, offset);
    }
    if (t->ptr == NDR_PTR_REF) {
        /* No wire form, no subtree of its own: the referent is the value. */
        const ndrt_type *e = &ctx->desc->types[t->elem];
        if (e->kind == NDRT_POINTER)
            return ndrt_param(ndr, ctx, tree, offset, t->elem, field, label, out);
        offset = decode(ndr, ctx, tree, offset, t->elem, field, label, out, -1);
        return ndr_flush(ndr, offset);
    }
    slot.ctx = ctx;
    slot.type = t->elem;
    slot.field = field;
    slot.label = label;
    slot.out = out;
    slot.expect = -1;
    slot.scope = ctx->scope;
    slot.owner = ctx->owner;
    return ndr_toplevel_pointer(ndr, tree, offset, (ndr_pointer_kind)t->ptr,
                                label ? label : "pointer", toplevel_referent, &slot, NULL);
}

/* ------------------------------------------------------------------------ */
/* Arrays                                                                     */

static int
array_element(ndr_t *ndr, proto_tree *tree, int offset, guint32 index _U_, void *arg)
{
    const ndrt_slot *slot = (const ndrt_slot *)arg;

    return decode(ndr, slot->ctx, tree, offset, slot->type, slot->field, slot->label, NULL, -1);
}

static void
check_count(ndr_t *ndr, proto_tree *tree, int count_offset, guint32 count, gint64 expect)
{
    if (expect >= 0 && ndr_ok(ndr) && (guint64)expect != count)
        ndr_report(ndr, tree, count_offset, ndr_ptr_size(ndr), NDR_WARN_COUNT_MISMATCH,
                   ndr->pinfo ? wmem_strdup_printf(ndr->pinfo->pool,
                                                   "%u element(s), size_is member says %"
                                                   G_GINT64_FORMAT, count, expect)
                              : NULL);
}

static int
decode_array(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, const ndrt_type *t,
             guint16 field, const char *label, gint64 expect)
{
    const ndrt_type *e = &ctx->desc->types[t->elem];
    ndrt_slot slot = { ctx, t->elem, field, label, NULL, -1, 0, ctx->owner };
    int count_offset = ndr_align(offset, ndr_ptr_size(ndr));
    guint32 count = 0, i;

    switch (t->kind) {
    case NDRT_CARRAY:
        offset = ndr_conformant_array(ndr, tree, offset, MAX(e->min_size, 1), array_element,
                                      &slot, &count);
        break;
    case NDRT_CVARRAY:
        offset = ndr_conformant_varying_array(ndr, tree, offset, MAX(e->min_size, 1),
                                              array_element, &slot, &count);
        break;
    default:    /* NDRT_FARRAY: the count is part of the type */
        for (i = 0; i < t->count && ndr_ok(ndr); i++)
            offset = decode(ndr, ctx, tree, offset, t->elem, field, label, NULL, -1);
        return offset;
    }
    check_count(ndr, tree, count_offset, count, expect);
    return offset;
}

/* ------------------------------------------------------------------------ */
/* Structures and unions                                                      */

static proto_tree *
open_subtree(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 type,
             const char *label, proto_item **item)
{
    const ndrt_type *t = &ctx->desc->types[type];

    if (!ndr_tree_visible(tree))
        return ndr_subtree(ndr, tree, offset, 0, -1, item, NULL);
    return ndr_subtree(ndr, tree, offset, t->fixed[ndr->ndr64 ? 1 : 0], ctx->ett[type], item,
                       label ? wmem_strdup_printf(ndr->pinfo ? ndr->pinfo->pool : NULL,
                                                  "%s (%s)", label, t->name)
                             : t->name);
}

static void
close_subtree(ndr_t *ndr, const ndrt_type *t, proto_item *item, proto_tree *tree, int start,
              int end)
{
    if (!item || t->fixed[ndr->ndr64 ? 1 : 0] || !ndr_tree_visible(tree))
        return;
    end = MIN(end, (int)ndr->captured);
    proto_item_set_len(item, MAX(0, end - start));
}

static int
decode_struct(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *parent, int offset, guint16 type,
              const char *label)
{
    const ndrt_type *t = &ctx->desc->types[type];
    const ndrt_member *m = &ctx->desc->members[t->first];
    ndrt_value values[NDRT_MAX_MEMBERS];
    proto_item *item;
    proto_tree *tree;
    guint n = MIN(t->count, NDRT_MAX_MEMBERS), i;
    void *owner = enter_struct(ctx, ndr, type);
    int start;

    offset = ndr_align(offset, t->align[ndr->ndr64 ? 1 : 0]);
    start = offset;
    tree = open_subtree(ndr, ctx, parent, offset, type, label, &item);
    memset(values, 0, n * sizeof values[0]);
    for (i = 0; i < n && ndr_ok(ndr); i++) {
        gint64 expect = -1;
        if (m[i].size_is >= 0 && (guint)m[i].size_is < i && values[m[i].size_is].set) {
            expect = (gint64)values[m[i].size_is].u;
            /* ELEMENT_MASK: these element types travel with discriminant 0 */
            if ((m[i].flags & NDRT_SWITCH_MASK) && expect >= (gint64)(m[i].value & 0xFFFF) &&
                expect <= (gint64)(m[i].value >> 16))
                expect = 0;
        }
        offset = decode(ndr, ctx, tree, offset, m[i].type, m[i].field, m[i].name, &values[i],
                        expect);
    }
    /* NDR64: a structure's size is a multiple of its alignment (trailing gap). */
    offset = ndr_struct_end(ndr, offset, t->align[1]);
    close_subtree(ndr, t, item, tree, start, offset);
    if (ctx->hooks && ctx->hooks[type])
        ctx->hooks[type](ctx, ndr, type, values, tree, item);
    ctx->owner = owner;
    return offset;
}

static int
disc_size(const ndr_t *ndr, guint8 disc)
{
    switch (disc) {
    case NDRT_ENUM: return ndr->ndr64 ? 4 : 2;
    case NDRT_U16: return 2;
    case NDRT_U8: return 1;
    default: return 4;
    }
}

static int
decode_union(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *parent, int offset, guint16 type,
             const char *label, gint64 expect)
{
    const ndrt_type *t = &ctx->desc->types[type];
    const ndrt_member *arms = &ctx->desc->members[t->first];
    const ndrt_member *arm = NULL;
    proto_item *item;
    proto_tree *tree;
    guint64 value = 0;
    int size = disc_size(ndr, t->disc), disc_offset, start;
    guint i;

    /* NDR64 aligns the whole union to its largest member, discriminant
     * included (MS-RPCE 2.2.5.3.4.2); NDR 2.0 the discriminant to itself. */
    if (ndr->ndr64)
        offset = ndr_align(offset, t->align[1]);
    disc_offset = ndr_align(offset, size);
    start = disc_offset;
    tree = open_subtree(ndr, ctx, parent, disc_offset, type, label, &item);
    switch (size) {
    case 1: { guint8 v; offset = ndr_u8(ndr, tree, offset, -1, &v); value = v; break; }
    case 2: { guint16 v; offset = ndr_u16(ndr, tree, offset, -1, &v); value = v; break; }
    default: { guint32 v; offset = ndr_u32(ndr, tree, offset, -1, &v); value = v; break; }
    }
    if (!ndr_ok(ndr))
        return offset;
    /* The arm is the wire discriminant's; a different [switch_is] member is
     * only worth a warning. */
    if (expect >= 0 && (guint64)expect != value)
        ndr_report(ndr, tree, disc_offset, size, NDR_WARN_SWITCH_MISMATCH,
                   ndr->pinfo ? wmem_strdup_printf(ndr->pinfo->pool,
                                                   "discriminant %" G_GUINT64_FORMAT
                                                   ", switch_is member says %" G_GINT64_FORMAT,
                                                   value, expect)
                              : NULL);
    for (i = 0; i < t->count; i++) {
        if (!arms[i].is_default && arms[i].value == value) {
            arm = &arms[i];
            break;
        }
        if (arms[i].is_default)
            arm = &arms[i];
    }
    if (item && ndr_tree_visible(parent))
        proto_item_append_text(item, " [switch %" G_GUINT64_FORMAT "%s%s]", value,
                               arm ? ": " : "", arm ? arm->name : "");
    if (!arm) {
        ndr_report(ndr, tree, disc_offset, size, NDR_ERR_BAD_DISCRIMINANT,
                   ndr->pinfo ? wmem_strdup_printf(ndr->pinfo->pool, "%s: %" G_GUINT64_FORMAT,
                                                   t->name, value)
                              : NULL);
        return offset;
    }
    if (arm->type != NDRT_NO_TYPE) {
        /* NDR64: the arm starts at the largest arm alignment; NDR 2.0: at its own. */
        if (ndr->ndr64)
            offset = ndr_align(offset, t->arm_align[1]);
        offset = decode(ndr, ctx, tree, offset, arm->type, arm->field, arm->name, NULL, -1);
    }
    close_subtree(ndr, t, item, tree, start, offset);
    return offset;
}

/* ------------------------------------------------------------------------ */
/* Any value                                                                  */

/* ctx->leaf for an integer that ends at `end`. */
static void
leaf_integer(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int end, guint8 kind, guint16 field,
             guint64 u)
{
    ndrt_value v = { u, NULL, TRUE };
    int size;

    switch (kind) {
    case NDRT_U8: size = 1; break;
    case NDRT_U16: size = 2; break;
    case NDRT_U64: size = 8; break;
    case NDRT_ENUM: size = ndr->ndr64 ? 4 : 2; break;
    default: size = 4; break;
    }
    ctx->leaf(ctx, ndr, field, &v, tree, end - size, end);
}

static int
decode(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 type, guint16 field,
       const char *label, ndrt_value *out, gint64 expect)
{
    const ndrt_type *t;
    int hf = hf_of(ctx, field);
    guint64 v64;
    guint32 v32;
    guint16 v16;
    guint8 v8;

    if (!ndr_ok(ndr))
        return offset;
    if (type >= ctx->desc->n_types) {
        ndr_report(ndr, tree, offset, 0, NDR_ERR_BAD_DISCRIMINANT, "no such type");
        return offset;
    }
    t = &ctx->desc->types[type];
    switch (t->kind) {
    case NDRT_U8:
        offset = ndr_u8(ndr, tree, offset, hf, &v8);
        v64 = v8;
        break;
    case NDRT_U16:
        offset = ndr_u16(ndr, tree, offset, hf, &v16);
        v64 = v16;
        break;
    case NDRT_U32:
    case NDRT_ENUM32:
    case NDRT_IPV4:
        offset = ndr_u32(ndr, tree, offset, hf, &v32);
        v64 = v32;
        break;
    case NDRT_U64:
        offset = ndr_u64(ndr, tree, offset, hf, &v64);
        break;
    case NDRT_ENUM:
        offset = ndr_enum(ndr, tree, offset, hf, &v32);
        v64 = v32;
        break;
    case NDRT_DATE_TIME:
        return decode_date_time(ndr, tree, offset, hf, out);
    case NDRT_IPV6:
        return decode_ipv6(ndr, ctx, tree, offset, field, hf, out);
    case NDRT_TIME32:
        return decode_time32(ndr, ctx, tree, offset, field, hf, out);
    case NDRT_WSTRING:
        return decode_wstring(ndr, ctx, tree, offset, field, hf, out);
    case NDRT_WCHARS: {
        const char *text = NULL;
        offset = ndr_conformant_wchars(ndr, tree, offset, hf, out ? &text : NULL, &v32);
        if (out && text) {
            out->s = text;
            out->set = TRUE;
        }
        return offset;
    }
    case NDRT_BYTES: {
        int count_offset = ndr_align(offset, ndr_ptr_size(ndr));
        offset = ndr_conformant_bytes(ndr, tree, offset, hf, &v32);
        check_count(ndr, tree, count_offset, v32, expect);
        return offset;
    }
    case NDRT_CVBYTES:
        return ndr_conformant_varying_bytes(ndr, tree, offset, hf, &v32);
    case NDRT_FBYTES:
        return decode_fixed_bytes(ndr, tree, offset, hf, t->count);
    case NDRT_POINTER:
        return decode_embedded_pointer(ndr, ctx, tree, offset, t, field, label, expect);
    default:
        goto constructed;
    }
    /* The integers */
    if (ndr_ok(ndr)) {
        set_value(out, v64);
        if (G_UNLIKELY(ctx->info != NULL))
            offer_info(ctx, field, t->kind, v64, NULL);
        if (G_UNLIKELY(ctx->leaf != NULL) && field)
            leaf_integer(ndr, ctx, tree, offset, t->kind, field, v64);
    }
    return offset;

constructed:
    /* Constructed values: nesting is bounded. */
    if (ctx->depth >= NDRT_MAX_DEPTH) {
        ndr_report(ndr, tree, offset, 0, NDR_ERR_DEPTH_LIMIT, t->name);
        return offset;
    }
    ctx->depth++;
    switch (t->kind) {
    case NDRT_STRUCT:
        offset = decode_struct(ndr, ctx, tree, offset, type, label);
        break;
    case NDRT_UNION:
        offset = decode_union(ndr, ctx, tree, offset, type, label, expect);
        break;
    case NDRT_CARRAY:
    case NDRT_CVARRAY:
    case NDRT_FARRAY:
        offset = decode_array(ndr, ctx, tree, offset, t, field, label, expect);
        break;
    default:
        ndr_report(ndr, tree, offset, 0, NDR_ERR_BAD_DISCRIMINANT, "unknown type kind");
        break;
    }
    ctx->depth--;
    return offset;
}

int
ndrt_value_decode(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 type,
                  guint16 field, const char *label, ndrt_value *out)
{
    return decode(ndr, ctx, tree, offset, type, field, label, out, -1);
}
