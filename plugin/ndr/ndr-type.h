/* ndr-type.h -- a table-driven NDR decoder: types described as data.
 *
 * Part of the NDR layer (ndr.[ch]): it knows NDR and NDR64 and nothing of
 * MS-DHCPM.  The descriptor tables are generated from the interface
 * description by tools/gen-dhcpm.py (plugin/idl/dhcpm-types.c); this file
 * walks them over a stub with the primitives of ndr.h, so every read keeps
 * the layer's guarantees (bounds checked before use, counts checked against
 * the bytes present, expert error and no-op reads after the first fatal
 * problem, nothing thrown).  Meaning beyond layout (names of flags, experts,
 * tap records) is added by hooks that the caller binds (ndrt_ctx.hooks).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPSRV_NDR_TYPE_H
#define DHCPSRV_NDR_TYPE_H

#include <epan/packet.h>

#include "ndr.h"

/* Kinds of wire type.  Leaves carry a value shown as one field. */
typedef enum {
    NDRT_U8, NDRT_U16, NDRT_U32, NDRT_U64,
    NDRT_ENUM,          /* enum: 2 bytes in NDR, 4 in NDR64 */
    NDRT_ENUM32,        /* [v1_enum]: 4 bytes */
    NDRT_IPV4,          /* a DWORD whose value is an IPv4 address */
    NDRT_DATE_TIME,     /* DATE_TIME: two DWORDs (FILETIME), shown as one time */
    NDRT_IPV6,          /* DHCP_IPV6_ADDRESS: two ULONGLONG (high, low), shown as IPv6 */
    NDRT_TIME32,        /* a DWORD counting seconds since 1970 UTC ([ws_display(date)]) */
    NDRT_WSTRING,       /* [string] wchar_t array (the referent of a string pointer) */
    NDRT_WCHARS,        /* [size_is] wchar_t array without [string], shown as text */
    NDRT_BYTES,         /* [size_is] byte array, shown as one FT_BYTES */
    NDRT_CVBYTES,       /* [size_is, length_is] byte array */
    NDRT_FBYTES,        /* BYTE x[count] */
    /* constructed */
    NDRT_STRUCT,        /* members: first..first+count-1 of the member table */
    NDRT_UNION,         /* arms: one member entry per case value */
    NDRT_POINTER,       /* to `elem`, of kind `ptr` */
    NDRT_CARRAY,        /* conformant array of `elem` */
    NDRT_CVARRAY,       /* conformant varying array of `elem` */
    NDRT_FARRAY,        /* fixed array of `count` x `elem` */
    NDRT_KIND_COUNT
} ndrt_kind;

#define NDRT_NO_TYPE 0xFFFF     /* an empty union arm */

typedef struct ndrt_type {
    guint8 kind;                /* ndrt_kind */
    guint8 ptr;                 /* ndr_pointer_kind (NDRT_POINTER) */
    guint8 disc;                /* NDRT_UNION: kind of the discriminant (NDRT_ENUM, _ENUM32, _U16, _U32, _U8) */
    guint8 align[2];            /* alignment in NDR, NDR64 (structs: largest member; NDR64 trailing gap) */
    guint8 arm_align[2];        /* NDRT_UNION: largest arm alignment (NDR64 aligns the arm to it) */
    guint16 elem;               /* pointee / element type */
    guint16 first;              /* first member or arm in the member table */
    guint16 count;              /* members, arms, fixed array length */
    guint16 min_size;           /* smallest NDR wire size: bounds element counts */
    guint16 fixed[2];           /* wire size when constant (no pointer, union, array), else 0 */
    const char *name;
} ndrt_type;

typedef struct ndrt_member {
    const char *name;           /* IDL name (tree label) */
    guint16 type;               /* type index, NDRT_NO_TYPE for an empty arm */
    guint16 field;              /* field index (0: none, the value is constructed) */
    gint16 size_is;             /* struct member: index of the member that counts this array
                                   (or, NDRT_SWITCH_IS, the union's discriminant member), -1 */
    guint32 value;              /* union arm: case value; NDRT_SWITCH_MASK member: lo | hi << 16,
                                   the discriminant values that travel as 0 (ELEMENT_MASK) */
    guint8 is_default;          /* union arm: [default] */
    guint8 dir;                 /* parameter: NDRT_IN | NDRT_OUT */
    guint8 flags;               /* parameter: NDRT_INFO, NDRT_SERVER_HANDLE */
} ndrt_member;

#define NDRT_IN  1
#define NDRT_OUT 2
#define NDRT_INFO          1    /* [ws_info]: the value goes to the Info column */
#define NDRT_SERVER_HANDLE 2    /* DHCP_SRV_HANDLE */
#define NDRT_API_EXT_IN    4    /* [ws_api_extension(in)]: only when the request has exactly its bytes */
#define NDRT_API_EXT_OUT   8    /* [ws_api_extension(out)]: likewise in the response (before the status) */
#define NDRT_SWITCH_IS    16    /* struct member: a union switched by member `size_is` */
#define NDRT_SWITCH_MASK  32    /* ... through ELEMENT_MASK: values lo..hi travel as 0 */

#define NDRT_PROTO_DHCPSRV  1
#define NDRT_PROTO_DHCPSRV2 2

/* One field of the description, registered once per protocol that uses it
 * as "<proto>.<suffix>". */
typedef struct ndrt_field {
    const char *label;
    const char *suffix;
    enum ftenum ftype;
    int display;
    const void *strings;
    const char *blurb;
    guint8 protos;              /* NDRT_PROTO_* bits */
} ndrt_field;

typedef struct ndrt_method {
    const char *name;           /* NULL: opnum not described */
    guint16 opnum;
    guint16 first;              /* first parameter in the member table */
    guint8 n_params;
    guint8 status;              /* returns a DWORD status */
} ndrt_method;

typedef struct ndrt_desc {
    const ndrt_type *types;
    const ndrt_member *members;
    const ndrt_field *fields;
    guint n_types;
    guint n_fields;
} ndrt_desc;

/* The value of a decoded scalar or string member (the frame hooks see). */
typedef struct ndrt_value {
    guint64 u;
    const char *s;              /* strings: the text (packet scope), else NULL */
    gboolean set;               /* decoded */
} ndrt_value;

typedef struct ndrt_ctx ndrt_ctx;

/* Called after a structure of type `type` was decoded (check ndr_ok()):
 * `values` are its members' values (index = member), `tree`/`item` its subtree. */
typedef void (*ndrt_type_hook)(ndrt_ctx *ctx, ndr_t *ndr, guint16 type, const ndrt_value *values,
                               proto_tree *tree, proto_item *item);

/* Called, when ctx->leaf is set, after each integer, TIME32 or string leaf that has a
 * field: its value, the subtree it was added to, and its bytes [start, end). */
typedef void (*ndrt_leaf_hook)(ndrt_ctx *ctx, ndr_t *ndr, guint16 field, const ndrt_value *v,
                               proto_tree *tree, int start, int end);

/* Called when a structure of type `type` starts (ctx->enter[type] set); what
 * it returns is ctx->owner while that structure decodes, and while every
 * referent deferred from inside it decodes (after the structure, at the
 * flush), so that leaf hooks can tell whose member a leaf is (the name of
 * the second relationship of an array comes after both relationships). */
typedef void *(*ndrt_enter_hook)(ndrt_ctx *ctx, ndr_t *ndr, guint16 type);

#define NDRT_MAX_MEMBERS 64     /* members of one struct (the generator checks) */
#define NDRT_MAX_DEPTH   32     /* nesting of constructed values in one stub */

struct ndrt_ctx {
    const ndrt_desc *desc;
    const int *hf;              /* field index -> hf id of the protocol decoded (<= 0: none) */
    const gint *ett;            /* type index -> subtree id */
    const ndrt_type_hook *hooks;/* type index -> hook or NULL; may be NULL */
    void *user;                 /* for the hooks */
    guint depth;
    /* When set: receives one leaf of the value being decoded (the first IPv4
     * address or string, else the first leaf with a field), for a summary
     * such as the Info column; *info_field is that leaf's field. */
    ndrt_value *info;
    guint16 *info_field;
    /* Optional (NULL: off): every leaf with a field, for meaning that depends
     * on an earlier value of the same stub (option values by option id). */
    ndrt_leaf_hook leaf;
    void *leaf_user;            /* for the leaf hook */
    /* The caller's value that embedded referents inherit: a deferred
     * referent is decoded with the value `scope` had when its pointer was
     * read (restored afterwards), so a value set before a pointer applies to
     * what it points to, whenever the flush reaches it. */
    guint64 scope;
    /* Optional (NULL: off): type index -> hook called when a structure of that
     * type starts; its result is `owner` for the structure and the referents
     * deferred from inside it (ndrt_enter_hook). */
    const ndrt_enter_hook *enter;
    void *owner;
};

/* A top-level parameter of type `type`: a [ref] pointer has no wire form
 * (its referent is in place), a [unique]/[ptr] pointer is a referent id and
 * its referent, pointers to pointers likewise ([out] T**); then every
 * deferred embedded referent is flushed.  `out` (may be NULL) receives a
 * scalar's or string's value. */
int ndrt_param(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 type,
               guint16 field, const char *label, ndrt_value *out);

/* One value of type `type` inside a constructed value (embedded pointers
 * are deferred to the next ndr_flush()). */
int ndrt_value_decode(ndr_t *ndr, ndrt_ctx *ctx, proto_tree *tree, int offset, guint16 type,
                      guint16 field, const char *label, ndrt_value *out);

#endif /* DHCPSRV_NDR_TYPE_H */
