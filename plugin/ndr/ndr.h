/* ndr.h -- a small NDR 2.0 / NDR64 reader for DCE/RPC stubs.
 *
 * Wireshark 4.0 does not export its NDR pointer, string and array helpers to
 * plugins, so this layer provides them on top of exported primitives only
 * (tvb accessors, proto_tree_add_item, expert info).
 *
 * Conventions (as in the rest of Wireshark): every function takes the offset
 * of the next byte and returns the offset after what it consumed.  Offsets are
 * relative to the start of the stub, so alignment is computed from offset 0.
 * Fields are added to `tree` when it is non-NULL; a field id of -1 means
 * "read, do not display".
 *
 * Errors: nothing here throws.  Before every read the layer checks that the
 * bytes are really present.  A *fatal* problem (stub ends early, a count that
 * runs past the data, pointer budget exhausted, NULL [ref] pointer, unknown
 * union arm) adds an expert error at the failing field, records the first
 * such error in the reader and turns every later read into a no-op that
 * returns 0, so a dissector simply runs to its end and shows what decoded.
 * Non-fatal inconsistencies (string offset != 0, actual > max count, missing
 * terminator) add an expert warning and decoding goes on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPSRV_NDR_H
#define DHCPSRV_NDR_H

#include <epan/packet.h>
#include <epan/expert.h>

/* The problems the reader reports, in the order of ndr_fields.ei[]. */
typedef enum {
    NDR_OK = 0,
    NDR_ERR_TRUNCATED,                 /* fatal: the stub ends before a field */
    NDR_ERR_COUNT_TOO_LARGE,           /* fatal: a count runs past the bytes present */
    NDR_ERR_POINTER_LIMIT,             /* fatal: more deferred referents than the budget */
    NDR_ERR_NULL_REF_POINTER,          /* fatal: a [ref] pointer was NULL */
    NDR_ERR_BAD_DISCRIMINANT,          /* fatal: no union arm for the discriminant */
    NDR_ERR_DEPTH_LIMIT,               /* fatal: constructed values nested too deep */
    NDR_WARN_ACTUAL_GT_MAX,            /* actual_count > max_count */
    NDR_WARN_NONZERO_OFFSET,           /* varying offset != 0 */
    NDR_WARN_MISSING_TERMINATOR,       /* [string] without its NUL */
    NDR_WARN_COUNT_MISMATCH,           /* array size differs from its [size_is] member */
    NDR_WARN_SWITCH_MISMATCH,          /* union discriminant differs from its [switch_is] member */
    NDR_PROBLEM_COUNT
} ndr_problem;

/* Field and expert ids of the layer, registered once per protocol with
 * ndr_register_fields() (names are "<filter>.ndr.*"). */
typedef struct ndr_fields {
    int hf_referent_id;
    int hf_max_count;
    int hf_offset;
    int hf_actual_count;
    int hf_array_count;
    gint ett_pointer;
    gint ett_array;
    expert_field ei[NDR_PROBLEM_COUNT];
} ndr_fields;

typedef enum {
    NDR_PTR_REF,     /* [ref]: never NULL; no wire representation at top level */
    NDR_PTR_UNIQUE,  /* [unique]: referent id, 0 = NULL */
    NDR_PTR_FULL     /* [ptr]: like unique, and a repeated id refers to the same referent */
} ndr_pointer_kind;

typedef struct ndr ndr_t;

/* Dissects the referent of a pointer (or one top-level parameter). */
typedef int (*ndr_referent_fn)(ndr_t *ndr, proto_tree *tree, int offset, void *arg);
/* Dissects element `index` of an array. */
typedef int (*ndr_element_fn)(ndr_t *ndr, proto_tree *tree, int offset, guint32 index, void *arg);

/* An embedded referent waiting for the end of its enclosing construct. */
typedef struct ndr_deferred {
    ndr_referent_fn fn;
    void *arg;
    proto_tree *tree;
    proto_item *item;
} ndr_deferred;

#define NDR_MAX_DEFERRED   4096  /* referents pending at once in one stub */
#define NDR_MAX_FULL_IDS   256   /* distinct [ptr] referent ids remembered */

struct ndr {
    tvbuff_t *tvb;
    packet_info *pinfo;             /* may be NULL (unit tests): no expert info */
    ndr_fields *fields;             /* may be NULL: no NDR fields, no expert info */
    guint encoding;                 /* ENC_LITTLE_ENDIAN or ENC_BIG_ENDIAN */
    gboolean ndr64;
    guint captured;                 /* tvb_captured_length(tvb), fixed for a tvb */
    const guint8 *data;             /* those bytes, NULL when there are none */

    ndr_problem error;              /* first fatal problem, NDR_OK if none */
    int error_offset;
    guint32 warnings;               /* bit (1 << problem) for each warning seen */

    /* Deferred embedded referents: a stack of batches (see ndr_flush). */
    ndr_deferred *deferred;
    guint n_deferred;
    guint cap_deferred;
    guint flush_base;               /* first entry of the batch being flushed */

    guint64 *full_ids;              /* [ptr] ids already seen (lazily allocated) */
    guint n_full_ids;
};

/* Registration (once, from proto_register): builds "<filter>.ndr.*" fields. */
void ndr_register_fields(int proto, const char *filter_name, ndr_fields *fields);

/* Starts reading a stub.  `drep` is the PDU's data representation. */
void ndr_init(ndr_t *ndr, tvbuff_t *tvb, packet_info *pinfo, ndr_fields *fields,
              const guint8 *drep, gboolean ndr64);

static inline gboolean ndr_ok(const ndr_t *ndr) { return ndr->error == NDR_OK; }
static inline int ndr_align(int offset, int n) { return (offset + n - 1) & ~(n - 1); }
/* Alignment of a structure or union that contains pointers: 4 in NDR, 8 in NDR64. */
static inline int ndr_ptr_align(const ndr_t *ndr) { return ndr->ndr64 ? 8 : 4; }
static inline int ndr_ptr_size(const ndr_t *ndr) { return ndr->ndr64 ? 8 : 4; }
/* NDR64 pads a structure to a multiple of its alignment (the trailing gap,
 * MS-RPCE 2.2.5.3.4.1); NDR 2.0 does not. */
static inline int ndr_struct_end(const ndr_t *ndr, int offset, int ndr64_align)
{
    return ndr->ndr64 ? ndr_align(offset, ndr64_align) : offset;
}

/* A subtree for a construct of `length` bytes at `offset`, clamped to the
 * bytes present so that a short stub never throws. NULL when tree is NULL. */
proto_tree *ndr_subtree(ndr_t *ndr, proto_tree *tree, int offset, int length, gint ett,
                        proto_item **item, const char *label);

/* Reports a problem at offset (fatal problems stop the reader). */
void ndr_report(ndr_t *ndr, proto_tree *tree, int offset, int length, ndr_problem problem,
                const char *detail);

/* True when `length` bytes are present at `offset`; reports truncation otherwise. */
gboolean ndr_need_slow(ndr_t *ndr, proto_tree *tree, int offset, guint64 length);
static inline gboolean
ndr_need(ndr_t *ndr, proto_tree *tree, int offset, guint64 length)
{
    /* Hot path (every read): the bytes are there and nothing failed yet. */
    if (G_LIKELY(ndr->error == NDR_OK && offset >= 0 && (guint)offset <= ndr->captured &&
                 length <= ndr->captured - (guint)offset))
        return TRUE;
    return ndr_need_slow(ndr, tree, offset, length);
}

/* Whether proto_tree_add_*() would really add an item for field `hf` under
 * `tree`.  When a tree is built only for filters or taps (not visible), an
 * item of a field nothing references is "faked": the call does nothing and
 * returns `tree` itself.  Skipping the call and using `tree` as the item is
 * exactly the same result, without the work of the call.  hf_text_only
 * items (subtree labels) are faked under the same condition. */
static inline gboolean
ndr_tree_visible(proto_tree *tree)
{
    return tree && (PTREE_DATA(tree)->visible || !PITEM_FINFO(tree));
}
static inline gboolean
ndr_keeps_item(proto_tree *tree, int hf)
{
    return ndr_tree_visible(tree) || (tree && hf > 0 && proto_field_is_referenced(tree, hf));
}

/* Aligned primitives.  `value` may be NULL; it is set to 0 on failure. */
int ndr_u8(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint8 *value);
int ndr_u16(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint16 *value);
int ndr_u32(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *value);
/* `n` consecutive aligned 32-bit integers (a fixed-size structure of DWORDs):
 * one bounds check for all of them when they are all present, then exactly
 * what n ndr_u32() calls do (same items, same values); a short stub falls
 * back to ndr_u32() member by member, so a truncation is reported at the
 * first missing member as before.  hf[i] <= 0: read, no item. */
int ndr_u32_run(ndr_t *ndr, proto_tree *tree, int offset, const int *const *hf, guint32 *values,
                guint n);
int ndr_u64(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint64 *value);
/* 4 bytes in NDR, 8 in NDR64: pointers' referent ids, counts, sizes. */
int ndr_u3264(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint64 *value);
/* An enum without [v1_enum]: 2 bytes in NDR, 4 in NDR64. */
int ndr_enum(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *value);
/* Same as ndr_u32 but returns the item, for generated children / expert info. */
int ndr_u32_item(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *value,
                 proto_item **item);

/* A top-level pointer parameter: [ref] has no wire form; [unique]/[ptr] are a
 * referent id followed at once by the referent.  The referent's own embedded
 * referents are flushed before returning.  A subtree titled `label` holds the
 * referent id and the referent; a NULL pointer shows "label: NULL".
 * `present` (may be NULL) says whether the referent was there. */
int ndr_toplevel_pointer(ndr_t *ndr, proto_tree *tree, int offset, ndr_pointer_kind kind,
                         const char *label, ndr_referent_fn fn, void *arg, gboolean *present);

/* A pointer embedded in a structure or array: the referent id is read now,
 * the referent is dissected by the next ndr_flush(), into the subtree made
 * here.  Embedded [ref] pointers carry a (non-zero) referent id too. */
int ndr_embedded_pointer(ndr_t *ndr, proto_tree *tree, int offset, ndr_pointer_kind kind,
                         const char *label, ndr_referent_fn fn, void *arg, gboolean *present);

/* Dissects, depth first and left to right, every referent deferred since the
 * enclosing construct began (C706 14.3.12.3).  Call it after each top-level
 * parameter that is, or contains, a constructed type with pointers. */
int ndr_flush(ndr_t *ndr, int offset);

/* A whole top-level parameter passed by value or through [ref]: fn, then flush. */
int ndr_toplevel(ndr_t *ndr, proto_tree *tree, int offset, ndr_referent_fn fn, void *arg);

/* [string] wchar_t array (conformant varying): max_count, offset, actual_count,
 * then actual_count UTF-16 units.  Adds `hf` (FT_STRING) without the
 * terminator.  `value` (may be NULL) receives the text in packet scope, or
 * NULL when the string did not decode. */
int ndr_cvstring(ndr_t *ndr, proto_tree *tree, int offset, int hf, const char **value);

/* The same for a string the caller keeps for the whole file: `*value` is the
 * file-scope string intern(decoded text) returned, or NULL when the string
 * did not decode.  `cache` (from ndr_string_cache_new(), emptied with the
 * file scope) maps the string's wire bytes to that result, so a string seen
 * before is neither decoded nor hashed as text again.  intern() is called
 * once per distinct wire form, with a temporary copy. */
wmem_map_t *ndr_string_cache_new(void);
int ndr_cvstring_interned(ndr_t *ndr, proto_tree *tree, int offset, int hf, wmem_map_t *cache,
                          const char *(*intern)(const char *text), const char **value);

/* Conformant array ([size_is]): count, then elements.  `min_element_size` is
 * the smallest wire size of one element; count * min_element_size must fit
 * in the bytes present or the count is reported as too large. */
int ndr_conformant_array(ndr_t *ndr, proto_tree *tree, int offset, guint min_element_size,
                         ndr_element_fn fn, void *arg, guint32 *count);
/* Conformant varying array ([size_is, length_is]): max, offset, actual, elements. */
int ndr_conformant_varying_array(ndr_t *ndr, proto_tree *tree, int offset, guint min_element_size,
                                 ndr_element_fn fn, void *arg, guint32 *count);
/* Conformant byte array shown as one FT_BYTES field. */
int ndr_conformant_bytes(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *count);
/* Conformant varying byte array ([size_is, length_is] BYTE *) as one FT_BYTES field. */
int ndr_conformant_varying_bytes(ndr_t *ndr, proto_tree *tree, int offset, int hf, guint32 *count);
/* Conformant wchar_t array without [string] (no terminator expected), shown
 * as FT_STRING; `value` (may be NULL) as for ndr_cvstring(). */
int ndr_conformant_wchars(ndr_t *ndr, proto_tree *tree, int offset, int hf, const char **value,
                          guint32 *count);

/* Non-encapsulated union ([switch_is]): the discriminant is on the wire in
 * front of the arm.  Arms are looked up by value; an unknown value is fatal
 * unless a default arm (is_default) exists. */
typedef enum { NDR_DISC_ENUM, NDR_DISC_U16, NDR_DISC_U32 } ndr_discriminant;
typedef struct ndr_union_arm {
    guint32 value;
    gboolean is_default;
    ndr_referent_fn fn;   /* NULL: empty arm */
} ndr_union_arm;
int ndr_union(ndr_t *ndr, proto_tree *tree, int offset, ndr_discriminant disc_type, int hf_disc,
              int arm_align, const ndr_union_arm *arms, guint n_arms, void *arg, guint32 *disc);

#endif /* DHCPSRV_NDR_H */
