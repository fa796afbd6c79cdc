/* ndr.c -- a small NDR 2.0 / NDR64 reader for DCE/RPC stubs (see ndr.h).
 *
 * References: C706 chapter 14 (NDR), [MS-RPCE] 2.2.5 (NDR64).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/dissectors/packet-dcerpc.h>
#include "ws-compat.h"        /* pntohu*, pletohu* (4.6 names) */

#include "ndr.h"

/* ------------------------------------------------------------------------ */
/* Registration                                                              */

static const char *const problem_names[NDR_PROBLEM_COUNT] = {
    [NDR_ERR_TRUNCATED]           = "truncated",
    [NDR_ERR_COUNT_TOO_LARGE]     = "count_too_large",
    [NDR_ERR_POINTER_LIMIT]       = "pointer_limit",
    [NDR_ERR_NULL_REF_POINTER]    = "null_ref_pointer",
    [NDR_ERR_BAD_DISCRIMINANT]    = "bad_discriminant",
    [NDR_ERR_DEPTH_LIMIT]         = "depth_limit",
    [NDR_WARN_ACTUAL_GT_MAX]      = "actual_count_gt_max_count",
    [NDR_WARN_NONZERO_OFFSET]     = "nonzero_offset",
    [NDR_WARN_MISSING_TERMINATOR] = "missing_terminator",
    [NDR_WARN_COUNT_MISMATCH]     = "count_mismatch",
    [NDR_WARN_SWITCH_MISMATCH]    = "switch_mismatch",
};

static const char *const problem_summaries[NDR_PROBLEM_COUNT] = {
    [NDR_ERR_TRUNCATED]           = "NDR: stub ends before this field",
    [NDR_ERR_COUNT_TOO_LARGE]     = "NDR: count runs past the end of the stub",
    [NDR_ERR_POINTER_LIMIT]       = "NDR: too many pointers in one stub",
    [NDR_ERR_NULL_REF_POINTER]    = "NDR: [ref] pointer is NULL",
    [NDR_ERR_BAD_DISCRIMINANT]    = "NDR: union discriminant selects no arm",
    [NDR_ERR_DEPTH_LIMIT]         = "NDR: constructed values nested too deep",
    [NDR_WARN_ACTUAL_GT_MAX]      = "NDR: actual count exceeds maximum count",
    [NDR_WARN_NONZERO_OFFSET]     = "NDR: varying offset is not zero",
    [NDR_WARN_MISSING_TERMINATOR] = "NDR: string has no NUL terminator",
    [NDR_WARN_COUNT_MISMATCH]     = "NDR: array size differs from its size_is member",
    [NDR_WARN_SWITCH_MISMATCH]    = "NDR: union discriminant differs from its switch_is member",
};

static gboolean
problem_is_fatal(ndr_problem problem)
{
    return problem >= NDR_ERR_TRUNCATED && problem <= NDR_ERR_DEPTH_LIMIT;
}

void
ndr_register_fields(int proto, const char *filter_name, ndr_fields *f)
{
    /* Names are built once at registration and live for the process. */
#define NDR_NAME(suffix) g_strdup_printf("%s.ndr." suffix, filter_name)
    hf_register_info hf[] = {
        { &f->hf_referent_id, { "Referent ID", NDR_NAME("referent_id"), FT_UINT64, BASE_HEX,
            NULL, 0, "NDR pointer referent id (0 = NULL)", HFILL }},
        { &f->hf_max_count, { "Max Count", NDR_NAME("max_count"), FT_UINT64, BASE_DEC,
            NULL, 0, "NDR conformance: allocated number of elements", HFILL }},
        { &f->hf_offset, { "Offset", NDR_NAME("offset"), FT_UINT64, BASE_DEC,
            NULL, 0, "NDR variance: index of the first element transmitted", HFILL }},
        { &f->hf_actual_count, { "Actual Count", NDR_NAME("actual_count"), FT_UINT64, BASE_DEC,
            NULL, 0, "NDR variance: number of elements transmitted", HFILL }},
        { &f->hf_array_count, { "Count", NDR_NAME("count"), FT_UINT64, BASE_DEC,
            NULL, 0, "NDR conformance of an array", HFILL }},
    };
    gint *ett[] = { &f->ett_pointer, &f->ett_array };
    ei_register_info ei[NDR_PROBLEM_COUNT - 1];
    hf_register_info *hf_copy;
    expert_module_t *expert;
    int i;

    static const ei_register_info ei_template = { NULL, { NULL, 0, 0, NULL, EXPFILL } };

    for (i = NDR_OK + 1; i < NDR_PROBLEM_COUNT; i++) {
        ei_register_info *e = &ei[i - 1];
        *e = ei_template;
        e->ids = &f->ei[i];
        e->eiinfo.name = g_strdup_printf("%s.ndr.%s", filter_name, problem_names[i]);
        e->eiinfo.group = problem_is_fatal((ndr_problem)i) ? PI_MALFORMED : PI_PROTOCOL;
        e->eiinfo.severity = problem_is_fatal((ndr_problem)i) ? PI_ERROR : PI_WARN;
        e->eiinfo.summary = problem_summaries[i];
    }
#undef NDR_NAME
    for (i = 0; i < NDR_PROBLEM_COUNT; i++)
        f->ei[i] = (expert_field)EI_INIT;
    f->hf_referent_id = f->hf_max_count = f->hf_offset = f->hf_actual_count = -1;
    f->hf_array_count = -1;
    f->ett_pointer = f->ett_array = -1;

    /* proto_register_field_array keeps pointers into the array: copy it. */
    hf_copy = (hf_register_info *)g_memdup2(hf, sizeof hf);
    proto_register_field_array(proto, hf_copy, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto);
    expert_register_field_array(expert, (ei_register_info *)g_memdup2(ei, sizeof ei),
                                array_length(ei));
}

/* ------------------------------------------------------------------------ */
/* Reader state and problems                                                 */

void
ndr_init(ndr_t *ndr, tvbuff_t *tvb, packet_info *pinfo, ndr_fields *fields,
         const guint8 *drep, gboolean ndr64)
{
    memset(ndr, 0, sizeof *ndr);
    ndr->tvb = tvb;
    ndr->captured = tvb_captured_length(tvb);
    /* One pointer to the stub for every integer read: tvb_get_guint32() and
     * friends check the bounds again and cost a call each (a stub is read
     * as a few dozen integers).  ndr_need() has checked the bounds. */
    ndr->data = ndr->captured ? tvb_get_ptr(tvb, 0, (gint)ndr->captured) : NULL;
    ndr->pinfo = pinfo;
    ndr->fields = fields;
    ndr->encoding = DREP_ENC_INTEGER(drep);
    ndr->ndr64 = ndr64;
}

void
ndr_report(ndr_t *ndr, proto_tree *tree, int offset, int length, ndr_problem problem,
           const char *detail)
{
    int reported = (int)tvb_reported_length(ndr->tvb);

    if (problem_is_fatal(problem)) {
        if (ndr->error != NDR_OK)
            return;             /* only the first fatal problem is meaningful */
        ndr->error = problem;
        ndr->error_offset = offset;
    } else {
        ndr->warnings |= 1u << problem;
    }
    if (!ndr->pinfo || !ndr->fields)
        return;
    /* Point at what exists of the faulty field; never past the stub. */
    if (offset > reported)
        offset = reported;
    if (length < 0 || offset + length > reported)
        length = reported - offset;
    proto_tree_add_expert_format(tree, ndr->pinfo, &ndr->fields->ei[problem], ndr->tvb,
                                 offset, length, "%s%s%s", problem_summaries[problem],
                                 detail ? ": " : "", detail ? detail : "");
}

proto_tree *
ndr_subtree(ndr_t *ndr, proto_tree *tree, int offset, int length, gint ett, proto_item **item,
            const char *label)
{
    int present = (int)ndr->captured;

    if (item)
        *item = NULL;
    if (!tree)
        return NULL;
    if (!ndr_tree_visible(tree)) {
        /* What proto_tree_add_subtree() returns when it fakes the label. */
        if (item)
            *item = (proto_item *)tree;
        return tree;
    }
    if (offset > present)
        offset = present;
    if (length < 0 || length > present - offset)
        length = present - offset;
    return proto_tree_add_subtree(tree, ndr->tvb, offset, length, ett, item, label);
}

/* Detail text for ndr_report(), built only when it will be shown (in packet
 * scope): without pinfo there is no scope that would free it. */
#define NDR_DETAIL(ndr, ...) \
    (((ndr)->pinfo && (ndr)->fields) ? wmem_strdup_printf((ndr)->pinfo->pool, __VA_ARGS__) : NULL)

gboolean
ndr_need_slow(ndr_t *ndr, proto_tree *tree, int offset, guint64 length)
{
    guint remaining;

    if (ndr->error != NDR_OK)
        return FALSE;
    remaining = (guint)tvb_captured_length_remaining(ndr->tvb, offset < 0 ? 0 : offset);
    if (offset >= 0 && length <= remaining && tvb_bytes_exist(ndr->tvb, offset, (gint)length))
        return TRUE;
    ndr_report(ndr, tree, offset, -1, NDR_ERR_TRUNCATED,
               NDR_DETAIL(ndr,
                                  "%" G_GUINT64_FORMAT " byte(s) needed at offset %d, %u present%s",
                                  length, offset, remaining,
                                  tvb_captured_length(ndr->tvb) < tvb_reported_length(ndr->tvb)
                                      ? " (capture truncated by snaplen)" : ""));
    return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Primitives                                                                */

/* Adds the item of an integer read at `offset`.  The value is known: for
 * unsigned integer fields proto_tree_add_uint()/_uint64() store it as it is,
 * without proto_tree_add_item()'s second bounds check, read and encoding
 * dispatch (~600 -> ~350 Ir per item, BENCHMARKS.md "where the instructions
 * go"); the item (value, bitmask, position) is the same.  Other types
 * (FT_IPv4, signed, boolean) keep proto_tree_add_item(). */
static proto_item *
add_uint_item(ndr_t *ndr, proto_tree *tree, int hf, int offset, int size, guint64 v)
{
    switch (proto_registrar_get_ftype(hf)) {
    case FT_UINT8:
    case FT_UINT16:
    case FT_UINT24:
    case FT_UINT32:
        return proto_tree_add_uint(tree, hf, ndr->tvb, offset, size, (guint32)v);
    case FT_UINT64:
        return proto_tree_add_uint64(tree, hf, ndr->tvb, offset, size, v);
    default:
        return proto_tree_add_item(tree, hf, ndr->tvb, offset, size, ndr->encoding);
    }
}

/* Reads an aligned unsigned integer of `size` bytes and optionally adds it. */
static int
read_uint(ndr_t *ndr, proto_tree *tree, int offset, int size, int hf, guint64 *value,
          proto_item **item)
{
    guint64 v = 0;
    const guint8 *p;
    gboolean little;

    if (item)
        *item = NULL;
    offset = ndr_align(offset, size);
    if (!ndr_need(ndr, tree, offset, (guint64)size)) {
        if (value)
            *value = 0;
        return offset;
    }
    p = ndr->data + offset;
    little = ndr->encoding == ENC_LITTLE_ENDIAN;
    switch (size) {
    case 1: v = p[0]; break;
    case 2: v = little ? pletohu16(p) : pntohu16(p); break;
    case 4: v = little ? pletohu32(p) : pntohu32(p); break;
    default: v = little ? pletohu64(p) : pntohu64(p); break;
    }
    if (hf > 0 && tree) {
        proto_item *pi = ndr_keeps_item(tree, hf)
                         ? add_uint_item(ndr, tree, hf, offset, size, v)
                         : (proto_item *)tree;      /* what the faked call returns */
        if (item)
            *item = pi;
    }
    if (value)
        *value = v;
    return offset + size;
}

int
ndr_u8(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint8 *value)
{
    guint64 v;
    offset = read_uint(ndr, tree, offset, 1, hf, &v, NULL);
    if (value)
        *value = (guint8)v;
    return offset;
}

int
ndr_u16(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint16 *value)
{
    guint64 v;
    offset = read_uint(ndr, tree, offset, 2, hf, &v, NULL);
    if (value)
        *value = (guint16)v;
    return offset;
}

int
ndr_u32_item(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *value, proto_item **item)
{
    guint64 v;
    offset = read_uint(ndr, tree, offset, 4, hf, &v, item);
    if (value)
        *value = (guint32)v;
    return offset;
}

int
ndr_u32(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *value)
{
    return ndr_u32_item(ndr, tree, offset, hf, value, NULL);
}

int
ndr_u32_run(ndr_t *ndr, proto_tree *tree, int offset, const int *const *hf, guint32 *values,
            guint n)
{
    const guint8 *p;
    gboolean little;
    guint i;

    offset = ndr_align(offset, 4);
    if (G_UNLIKELY(!(ndr->error == NDR_OK && offset >= 0 && (guint)offset <= ndr->captured &&
                     (guint64)4 * n <= ndr->captured - (guint)offset))) {
        for (i = 0; i < n; i++)
            offset = ndr_u32(ndr, tree, offset, *hf[i], &values[i]);
        return offset;
    }
    p = ndr->data + offset;
    little = ndr->encoding == ENC_LITTLE_ENDIAN;
    for (i = 0; i < n; i++, p += 4) {
        guint32 v = little ? pletohu32(p) : pntohu32(p);
        int f = *hf[i];

        values[i] = v;
        if (f > 0 && tree && ndr_keeps_item(tree, f))
            add_uint_item(ndr, tree, f, offset + 4 * (int)i, 4, v);
    }
    return offset + 4 * (int)n;
}

int
ndr_u64(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint64 *value)
{
    return read_uint(ndr, tree, offset, 8, hf, value, NULL);
}

int
ndr_u3264(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint64 *value)
{
    return read_uint(ndr, tree, offset, ndr->ndr64 ? 8 : 4, hf, value, NULL);
}

int
ndr_enum(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *value)
{
    guint64 v;
    offset = read_uint(ndr, tree, offset, ndr->ndr64 ? 4 : 2, hf, &v, NULL);
    if (value)
        *value = (guint32)v;
    return offset;
}

static int
field_id(const ndr_t *ndr, size_t member_offset)
{
    if (!ndr->fields)
        return -1;
    return *(const int *)((const char *)ndr->fields + member_offset);
}
#define NDR_HF(ndr, member) field_id((ndr), G_STRUCT_OFFSET(ndr_fields, member))

/* ------------------------------------------------------------------------ */
/* Pointers and deferral                                                     */

/* Reads a referent id and opens the pointer's subtree.  Returns FALSE for a
 * NULL pointer or when the id could not be read.  For [ptr], a repeated id
 * means the referent was already transmitted: `*repeat` is set. */
static int
read_referent_id(ndr_t *ndr, proto_tree *tree, int offset, ndr_pointer_kind kind,
                 const char *label, proto_tree **subtree, proto_item **item, gboolean *nonnull,
                 gboolean *repeat)
{
    int start = offset;
    guint64 id;
    proto_item *pi = NULL;
    guint i;

    *subtree = NULL;
    *item = NULL;
    *nonnull = FALSE;
    *repeat = FALSE;
    offset = ndr_align(offset, ndr_ptr_size(ndr));
    start = offset;
    if (!ndr_need(ndr, tree, offset, (guint64)ndr_ptr_size(ndr)))
        return offset;
    offset = ndr_u3264(ndr, NULL, offset, -1, &id);
    if (tree) {
        *subtree = ndr_subtree(ndr, tree, start, offset - start,
                               ndr->fields ? ndr->fields->ett_pointer : -1, &pi, label);
        *item = pi;
        if (NDR_HF(ndr, hf_referent_id) > 0 && ndr_keeps_item(*subtree, NDR_HF(ndr, hf_referent_id)))
            proto_tree_add_uint64(*subtree, NDR_HF(ndr, hf_referent_id), ndr->tvb, start,
                                  offset - start, id);
    }
    if (id == 0) {
        if (pi && ndr_tree_visible(tree))   /* a label nobody can see otherwise */
            proto_item_append_text(pi, ": NULL");
        if (kind == NDR_PTR_REF)
            ndr_report(ndr, tree, start, offset - start, NDR_ERR_NULL_REF_POINTER, label);
        return offset;
    }
    *nonnull = TRUE;
    if (kind == NDR_PTR_FULL) {
        for (i = 0; i < ndr->n_full_ids; i++) {
            if (ndr->full_ids[i] == id) {
                *repeat = TRUE;
                if (pi && ndr_tree_visible(tree))
                    proto_item_append_text(pi, " (same referent as before)");
                return offset;
            }
        }
        if (!ndr->full_ids)
            ndr->full_ids = wmem_alloc_array(ndr->pinfo ? ndr->pinfo->pool : NULL, guint64,
                                             NDR_MAX_FULL_IDS);
        if (ndr->n_full_ids < NDR_MAX_FULL_IDS)
            ndr->full_ids[ndr->n_full_ids++] = id;
    }
    return offset;
}

int
ndr_toplevel_pointer(ndr_t *ndr, proto_tree *tree, int offset, ndr_pointer_kind kind,
                     const char *label, ndr_referent_fn fn, void *arg, gboolean *present)
{
    proto_tree *subtree;
    proto_item *item;
    gboolean nonnull, repeat;
    int start = offset;

    if (present)
        *present = FALSE;
    if (!ndr_ok(ndr))
        return offset;
    if (kind == NDR_PTR_REF) {
        /* A top-level [ref] pointer has no representation: referent in place. */
        subtree = ndr_subtree(ndr, tree, offset, 0, ndr->fields ? ndr->fields->ett_pointer : -1,
                              &item, label);
        nonnull = TRUE;
        repeat = FALSE;
    } else {
        offset = read_referent_id(ndr, tree, offset, kind, label, &subtree, &item, &nonnull,
                                  &repeat);
    }
    if (!nonnull || repeat || !ndr_ok(ndr))
        return offset;
    if (present)
        *present = TRUE;
    offset = fn(ndr, subtree, offset, arg);
    offset = ndr_flush(ndr, offset);
    if (item)
        proto_item_set_len(item, MAX(0, MIN(offset, (int)tvb_captured_length(ndr->tvb)) - start));
    return offset;
}

int
ndr_embedded_pointer(ndr_t *ndr, proto_tree *tree, int offset, ndr_pointer_kind kind,
                     const char *label, ndr_referent_fn fn, void *arg, gboolean *present)
{
    proto_tree *subtree;
    proto_item *item;
    gboolean nonnull, repeat;
    ndr_deferred *d;

    if (present)
        *present = FALSE;
    if (!ndr_ok(ndr))
        return offset;
    offset = read_referent_id(ndr, tree, offset, kind, label, &subtree, &item, &nonnull, &repeat);
    if (!nonnull || repeat || !ndr_ok(ndr))
        return offset;
    if (ndr->n_deferred == ndr->cap_deferred) {
        guint cap = ndr->cap_deferred ? ndr->cap_deferred * 2 : 16;
        if (cap > NDR_MAX_DEFERRED) {
            ndr_report(ndr, tree, offset, 0, NDR_ERR_POINTER_LIMIT, label);
            return offset;
        }
        ndr->deferred = wmem_realloc(ndr->pinfo ? ndr->pinfo->pool : NULL, ndr->deferred,
                                     cap * sizeof *ndr->deferred);
        ndr->cap_deferred = cap;
    }
    d = &ndr->deferred[ndr->n_deferred++];
    d->fn = fn;
    d->arg = arg;
    d->tree = subtree;
    d->item = item;
    if (present)
        *present = TRUE;
    return offset;
}

/* The pending referents form a stack of batches.  The batch being flushed is
 * [flush_base, n_deferred).  While one of its referents is dissected, the
 * referents it embeds are pushed above the batch and flushed right after it
 * (depth first, C706 14.3.12.3), then popped.  Entries never move, and the
 * total is bounded by NDR_MAX_DEFERRED. */
int
ndr_flush(ndr_t *ndr, int offset)
{
    guint start = ndr->flush_base;
    guint end = ndr->n_deferred;
    guint i;

    for (i = start; i < end && ndr_ok(ndr); i++) {
        ndr_deferred d = ndr->deferred[i];  /* a copy: pushes may move the array */

        ndr->flush_base = end;
        offset = d.fn(ndr, d.tree, offset, d.arg);
        offset = ndr_flush(ndr, offset);
        ndr->n_deferred = end;
    }
    ndr->n_deferred = start;
    ndr->flush_base = start;
    return offset;
}

int
ndr_toplevel(ndr_t *ndr, proto_tree *tree, int offset, ndr_referent_fn fn, void *arg)
{
    if (!ndr_ok(ndr))
        return offset;
    offset = fn(ndr, tree, offset, arg);
    return ndr_flush(ndr, offset);
}

/* ------------------------------------------------------------------------ */
/* Arrays and strings                                                        */

/* Checks that `count` elements of at least `min_size` bytes can be present. */
static gboolean
count_fits(ndr_t *ndr, proto_tree *tree, int offset, int count_offset, guint64 count,
           guint min_size, const char *what)
{
    guint64 remaining;

    if (!ndr_ok(ndr))
        return FALSE;
    remaining = (guint64)tvb_captured_length_remaining(ndr->tvb, offset < 0 ? 0 : offset);
    if (count <= G_MAXUINT32 && count * (guint64)MAX(min_size, 1u) <= remaining)
        return TRUE;
    if (min_size == 0 && count <= G_MAXUINT32)
        return TRUE;
    ndr_report(ndr, tree, count_offset, offset - count_offset, NDR_ERR_COUNT_TOO_LARGE,
               NDR_DETAIL(ndr,
                                  "%s %" G_GUINT64_FORMAT " x %u byte(s), %" G_GUINT64_FORMAT
                                  " present", what, count, min_size, remaining));
    return FALSE;
}

/* Reads the variance (offset, actual_count) of a varying array and checks it
 * against the conformance `max_count`. */
static int
read_variance(ndr_t *ndr, proto_tree *tree, int offset, guint64 max_count, guint64 *actual)
{
    guint64 var_offset = 0;
    int start = ndr_align(offset, ndr_ptr_size(ndr));

    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_offset), &var_offset);
    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_actual_count), actual);
    if (!ndr_ok(ndr))
        return offset;
    if (var_offset != 0)
        ndr_report(ndr, tree, start, ndr_ptr_size(ndr), NDR_WARN_NONZERO_OFFSET,
                   NDR_DETAIL(ndr,
                                      "offset %" G_GUINT64_FORMAT, var_offset));
    if (*actual > max_count)
        ndr_report(ndr, tree, start, offset - start, NDR_WARN_ACTUAL_GT_MAX,
                   NDR_DETAIL(ndr,
                                      "actual %" G_GUINT64_FORMAT " > max %" G_GUINT64_FORMAT,
                                      *actual, max_count));
    return offset;
}

/* The conformance and variance of a [string] wchar_t array (their items
 * added), checked.  Returns the offset after the characters; *text and
 * *text_len (bytes, without the terminator) locate the text, *text is -1
 * when the characters are not all there (reported). */
static int
cvstring_body(ndr_t *ndr, proto_tree *tree, int offset, int *text, int *text_len)
{
    guint64 max_count = 0, actual = 0;
    int count_offset, len;
    gboolean terminated;

    *text = -1;
    *text_len = 0;
    count_offset = ndr_align(offset, ndr_ptr_size(ndr));
    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_max_count), &max_count);
    offset = read_variance(ndr, tree, offset, max_count, &actual);
    /* Characters are 2-byte aligned, which the counts already guarantee. */
    if (!count_fits(ndr, tree, offset, count_offset, actual, 2, "string of"))
        return offset;
    len = (int)actual * 2;
    /* count_fits() checked the len bytes are there */
    terminated = actual > 0 && ndr->data[offset + len - 2] == 0 && ndr->data[offset + len - 1] == 0;
    if (!terminated)
        ndr_report(ndr, tree, offset, len, NDR_WARN_MISSING_TERMINATOR, NULL);
    *text = offset;
    *text_len = terminated ? len - 2 : len;
    return offset + len;
}

int
ndr_cvstring(ndr_t *ndr, proto_tree *tree, int offset, int hf, const char **value)
{
    int text, text_len;

    if (value)
        *value = NULL;
    offset = cvstring_body(ndr, tree, offset, &text, &text_len);
    if (text < 0)
        return offset;
    if (hf > 0 && tree && ndr_keeps_item(tree, hf)) {
        if (value && ndr->pinfo) {
            /* One UTF-16 decode for both the field and the caller's copy. */
            proto_tree_add_item_ret_string(tree, hf, ndr->tvb, text, text_len,
                                           ENC_UTF_16 | ndr->encoding, ndr->pinfo->pool,
                                           (const guint8 **)value);
            return offset;
        }
        proto_tree_add_item(tree, hf, ndr->tvb, text, text_len, ENC_UTF_16 | ndr->encoding);
    }
    if (value)
        *value = (const char *)tvb_get_string_enc(ndr->pinfo ? ndr->pinfo->pool : NULL, ndr->tvb,
                                                  text, text_len, ENC_UTF_16 | ndr->encoding);
    return offset;
}

/* Interned strings, keyed by their wire form (byte order + UTF-16 bytes). */
typedef struct {
    guint32 encoding;
    guint32 len;
    const guint8 *bytes;
} wire_key;

static guint
wire_key_hash(gconstpointer k)
{
    const wire_key *key = (const wire_key *)k;
    guint32 h = 2166136261u ^ key->encoding;        /* FNV-1a */
    guint32 i;

    for (i = 0; i < key->len; i++)
        h = (h ^ key->bytes[i]) * 16777619u;
    return h;
}

static gboolean
wire_key_equal(gconstpointer a, gconstpointer b)
{
    const wire_key *x = (const wire_key *)a, *y = (const wire_key *)b;

    return x->encoding == y->encoding && x->len == y->len &&
           memcmp(x->bytes, y->bytes, x->len) == 0;
}

wmem_map_t *
ndr_string_cache_new(void)
{
    return wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), wire_key_hash,
                                  wire_key_equal);
}

/* Files the interned text of wire bytes `key` (copied to file scope). */
static const char *
remember(wmem_map_t *cache, const wire_key *key, const char *interned)
{
    wire_key *stored = wmem_new(wmem_file_scope(), wire_key);

    *stored = *key;
    if (key->len)
        stored->bytes = (const guint8 *)wmem_memdup(wmem_file_scope(), key->bytes, key->len);
    wmem_map_insert(cache, stored, (void *)interned);
    return interned;
}

int
ndr_cvstring_interned(ndr_t *ndr, proto_tree *tree, int offset, int hf, wmem_map_t *cache,
                      const char *(*intern)(const char *text), const char **value)
{
    int text, text_len;
    wire_key key;
    const char *interned;

    *value = NULL;
    offset = cvstring_body(ndr, tree, offset, &text, &text_len);
    if (text < 0)
        return offset;
    key.encoding = ndr->encoding;
    key.len = (guint32)text_len;
    /* cvstring_body() checked the bytes are there; memcmp() wants a pointer
     * even for no bytes. */
    key.bytes = text_len ? ndr->data + text : (const guint8 *)"";
    interned = (const char *)wmem_map_lookup(cache, &key);
    if (hf > 0 && tree && ndr_keeps_item(tree, hf)) {
        /* The item gets the text already decoded from these bytes (what
         * proto_tree_add_item() would decode again); a new text is decoded
         * once, for the item, and interned from there. */
        if (interned) {
            proto_tree_add_string(tree, hf, ndr->tvb, text, text_len, interned);
        } else {
            wmem_allocator_t *scope = ndr->pinfo ? ndr->pinfo->pool : NULL;
            const guint8 *decoded = NULL;

            proto_tree_add_item_ret_string(tree, hf, ndr->tvb, text, text_len,
                                           ENC_UTF_16 | ndr->encoding, scope, &decoded);
            if (decoded)
                interned = remember(cache, &key, intern((const char *)decoded));
            if (!scope)
                g_free((void *)decoded);
        }
    }
    if (!interned) {
        /* First time these bytes are seen in this file: decode them once. */
        char *decoded = (char *)tvb_get_string_enc(NULL, ndr->tvb, text, text_len,
                                                   ENC_UTF_16 | ndr->encoding);
        interned = remember(cache, &key, intern(decoded));
        g_free(decoded);
    }
    *value = interned;
    return offset;
}

static int
array_elements(ndr_t *ndr, proto_tree *tree, int offset, guint32 count, ndr_element_fn fn,
               void *arg)
{
    guint32 i;

    for (i = 0; i < count && ndr_ok(ndr); i++) {
        int before = offset;
        offset = fn(ndr, tree, offset, i, arg);
        if (offset <= before && ndr_ok(ndr))
            break;      /* an element that consumes nothing would loop for nothing */
    }
    return offset;
}

int
ndr_conformant_array(ndr_t *ndr, proto_tree *tree, int offset, guint min_element_size,
                     ndr_element_fn fn, void *arg, guint32 *count)
{
    guint64 n = 0;
    int count_offset = ndr_align(offset, ndr_ptr_size(ndr));

    if (count)
        *count = 0;
    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_array_count), &n);
    if (!count_fits(ndr, tree, offset, count_offset, n, min_element_size, "array of"))
        return offset;
    if (count)
        *count = (guint32)n;
    return array_elements(ndr, tree, offset, (guint32)n, fn, arg);
}

int
ndr_conformant_varying_array(ndr_t *ndr, proto_tree *tree, int offset, guint min_element_size,
                             ndr_element_fn fn, void *arg, guint32 *count)
{
    guint64 max_count = 0, actual = 0;
    int count_offset = ndr_align(offset, ndr_ptr_size(ndr));

    if (count)
        *count = 0;
    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_max_count), &max_count);
    offset = read_variance(ndr, tree, offset, max_count, &actual);
    if (!count_fits(ndr, tree, offset, count_offset, actual, min_element_size, "array of"))
        return offset;
    if (count)
        *count = (guint32)actual;
    return array_elements(ndr, tree, offset, (guint32)actual, fn, arg);
}

int
ndr_conformant_bytes(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *count)
{
    guint64 n = 0;
    int count_offset = ndr_align(offset, ndr_ptr_size(ndr));

    if (count)
        *count = 0;
    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_array_count), &n);
    if (!count_fits(ndr, tree, offset, count_offset, n, 1, "byte array of"))
        return offset;
    if (hf > 0 && tree && ndr_keeps_item(tree, hf))
        proto_tree_add_item(tree, hf, ndr->tvb, offset, (int)n, ENC_NA);
    if (count)
        *count = (guint32)n;
    return offset + (int)n;
}

int
ndr_conformant_varying_bytes(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *count)
{
    guint64 max_count = 0, actual = 0;
    int count_offset = ndr_align(offset, ndr_ptr_size(ndr));

    if (count)
        *count = 0;
    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_max_count), &max_count);
    offset = read_variance(ndr, tree, offset, max_count, &actual);
    if (!count_fits(ndr, tree, offset, count_offset, actual, 1, "byte array of"))
        return offset;
    if (hf > 0 && tree && ndr_keeps_item(tree, hf))
        proto_tree_add_item(tree, hf, ndr->tvb, offset, (int)actual, ENC_NA);
    if (count)
        *count = (guint32)actual;
    return offset + (int)actual;
}

int
ndr_conformant_wchars(ndr_t *ndr, proto_tree *tree, int offset, int hf, const char **value,
                      guint32 *count)
{
    guint64 n = 0;
    int count_offset = ndr_align(offset, ndr_ptr_size(ndr));
    int len;

    if (value)
        *value = NULL;
    if (count)
        *count = 0;
    offset = ndr_u3264(ndr, tree, offset, NDR_HF(ndr, hf_array_count), &n);
    if (!count_fits(ndr, tree, offset, count_offset, n, 2, "wchar_t array of"))
        return offset;
    len = (int)n * 2;
    if (hf > 0 && tree && ndr_keeps_item(tree, hf))
        proto_tree_add_item(tree, hf, ndr->tvb, offset, len, ENC_UTF_16 | ndr->encoding);
    if (value)
        *value = (const char *)tvb_get_string_enc(ndr->pinfo ? ndr->pinfo->pool : NULL, ndr->tvb,
                                                  offset, len, ENC_UTF_16 | ndr->encoding);
    if (count)
        *count = (guint32)n;
    return offset + len;
}

/* ------------------------------------------------------------------------ */
/* Unions                                                                    */

int
ndr_union(ndr_t *ndr, proto_tree *tree, int offset, ndr_discriminant disc_type, int hf_disc,
          int arm_align, const ndr_union_arm *arms, guint n_arms, void *arg, guint32 *disc)
{
    const ndr_union_arm *arm = NULL;
    guint32 value = 0;
    guint16 v16;
    int disc_size, disc_offset;
    guint i;

    if (disc)
        *disc = 0;
    disc_size = disc_type == NDR_DISC_U32 ? 4 : disc_type == NDR_DISC_U16 ? 2 : ndr->ndr64 ? 4 : 2;
    /* NDR64 aligns the whole union to its largest member (MS-RPCE 2.2.5.3.4.2). */
    if (ndr->ndr64)
        offset = ndr_align(offset, MAX(disc_size, arm_align));
    disc_offset = ndr_align(offset, disc_size);
    switch (disc_type) {
    case NDR_DISC_ENUM: offset = ndr_enum(ndr, tree, offset, hf_disc, &value); break;
    case NDR_DISC_U16: offset = ndr_u16(ndr, tree, offset, hf_disc, &v16); value = v16; break;
    case NDR_DISC_U32: offset = ndr_u32(ndr, tree, offset, hf_disc, &value); break;
    }
    if (!ndr_ok(ndr))
        return offset;
    if (disc)
        *disc = value;
    for (i = 0; i < n_arms; i++) {
        if (!arms[i].is_default && arms[i].value == value) {
            arm = &arms[i];
            break;
        }
        if (arms[i].is_default)
            arm = &arms[i];
    }
    if (!arm) {
        ndr_report(ndr, tree, disc_offset, disc_size, NDR_ERR_BAD_DISCRIMINANT,
                   NDR_DETAIL(ndr, "%u", value));
        return offset;
    }
    offset = ndr_align(offset, arm_align);
    return arm->fn ? arm->fn(ndr, tree, offset, arg) : offset;
}
