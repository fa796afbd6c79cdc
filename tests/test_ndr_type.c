/* test_ndr_type.c
 * Self-check of plugin/ndr/ndr-type.c (the table-driven decoder) on the tables
 * generated from tests/idl/excerpt.idl (tests/idl/excerpt-types.c), without a
 * dissection context: pinfo = NULL, tree = NULL.  Values are observed through
 * the per-type hooks, exactly as the plugin's semantic code sees them.
 *
 * Each group builds a stub by hand (NDR 2.0 little- and big-endian, NDR64),
 * per C706 14 / MS-RPCE 2.2.5, and checks the decoded values, the offset
 * reached and the problems reported.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/tvbuff.h>
#include <epan/dissectors/packet-dcerpc.h>
#include <wsutil/wmem/wmem.h>

#include <stdio.h>
#include <string.h>

#include "ndr-type.h"
#include "idl/excerpt-types.h"

static int n_passed, n_failed;

#define CHECK_INT(got, want) do {                                                   \
        long long got_ = (long long)(got), want_ = (long long)(want);              \
        if (got_ == want_) n_passed++;                                              \
        else { n_failed++; printf("%s:%d: FAIL: %s == %s (got %lld, want %lld)\n",  \
                                  __FILE__, __LINE__, #got, #want, got_, want_); }  \
    } while (0)

/* ------------------------------------------------------------------------ */
/* A stub builder                                                            */

typedef struct {
    guint8 b[4096];
    int n;
    gboolean big;
    gboolean ndr64;
} stub;

static void align(stub *s, int a) { while (s->n % a) s->b[s->n++] = 0xAA; }
static void put(stub *s, guint64 v, int size)
{
    int i;
    align(s, size);
    for (i = 0; i < size; i++)
        s->b[s->n + i] = (guint8)(v >> (8 * (s->big ? size - 1 - i : i)));
    s->n += size;
}
static void u8(stub *s, guint v) { put(s, v, 1); }
static void u16(stub *s, guint v) { put(s, v, 2); }
static void u32(stub *s, guint32 v) { put(s, v, 4); }
static void u64(stub *s, guint64 v) { put(s, v, 8); }
static void u3264(stub *s, guint64 v) { put(s, v, s->ndr64 ? 8 : 4); }
static void enm(stub *s, guint v) { put(s, v, s->ndr64 ? 4 : 2); }
static void ptr(stub *s, guint32 id) { u3264(s, id); }
/* [string] wchar_t array */
static void wstr(stub *s, const char *ascii)
{
    guint n = (guint)strlen(ascii) + 1, i;
    u3264(s, n); u3264(s, 0); u3264(s, n);
    for (i = 0; i < n; i++)
        u16(s, (guint8)ascii[i]);
}

/* ------------------------------------------------------------------------ */
/* Observing hooks                                                            */

typedef struct {
    guint16 type;
    guint n;
    guint64 v[8];
} seen_struct;

static seen_struct seen[64];
static guint n_seen;

static void
record(ndrt_ctx *ctx _U_, ndr_t *ndr, guint16 type, const ndrt_value *values,
       proto_tree *tree _U_, proto_item *item _U_)
{
    const ndrt_type *t = &excerpt_types[type];
    guint i;

    if (!ndr_ok(ndr) || n_seen >= G_N_ELEMENTS(seen))
        return;
    seen[n_seen].type = type;
    seen[n_seen].n = t->count;
    for (i = 0; i < t->count && i < 8; i++)
        seen[n_seen].v[i] = values[i].u;
    n_seen++;
}

static ndrt_type_hook hooks[EXCERPT_TYPE_COUNT];
/* The value hooks of the next run_param() (NULL: none). */
static ndrt_leaf_hook run_leaf;
static const ndrt_enter_hook *run_enter;
static int hf_none[EXCERPT_FIELD_COUNT];
static gint ett_none[EXCERPT_TYPE_COUNT];

static const seen_struct *
find(guint16 type, guint nth)
{
    guint i;
    for (i = 0; i < n_seen; i++)
        if (seen[i].type == type && nth-- == 0)
            return &seen[i];
    return NULL;
}

/* Decodes the [out] parameter `param` of dhcpsrv method `opnum` (or of
 * dhcpsrv2 when opnum >= 1000) from `s`; returns the offset reached. */
static int
run_param(stub *s, guint opnum, guint param, ndr_t *ndr)
{
    static const guint8 drep_le[4] = { 0x10, 0, 0, 0 }, drep_be[4] = { 0x00, 0, 0, 0 };
    const ndrt_method *m = opnum >= 1000 ? &excerpt_methods_dhcpsrv2[opnum - 1000]
                                         : &excerpt_methods_dhcpsrv[opnum];
    const ndrt_member *p = &excerpt_members[m->first + param];
    tvbuff_t *tvb = tvb_new_real_data(s->b, (guint)s->n, s->n);
    ndrt_ctx ctx = { &excerpt_desc, hf_none, ett_none, hooks, NULL, 0, NULL, NULL, run_leaf,
                     NULL, 0, run_enter, NULL };
    int end;

    n_seen = 0;
    ndr_init(ndr, tvb, NULL, NULL, s->big ? drep_be : drep_le, s->ndr64);
    end = ndrt_param(ndr, &ctx, NULL, 0, p->type, p->field, p->name, NULL);
    tvb_free(tvb);
    return end;
}

/* ------------------------------------------------------------------------ */
/* Groups                                                                     */

/* R_DhcpGetMibInfo's [out] LPDHCP_MIB_INFO *MibInfo: a unique pointer, the
 * structure (DATE_TIME inside), then the deferred array of 2 scopes. */
static void
build_mib(stub *s, guint32 scopes_claimed, guint scopes_sent)
{
    guint i;

    ptr(s, 0x20000);
    for (i = 0; i < 7; i++)
        u32(s, 100 + i);                /* Discovers .. Releases */
    u32(s, 0x11111111); u32(s, 0x01d00000);     /* ServerStartTime */
    u32(s, scopes_claimed);             /* Scopes */
    ptr(s, 0x20004);                    /* ScopeInfo */
    u3264(s, scopes_sent);              /* conformance */
    for (i = 0; i < scopes_sent; i++) {
        u32(s, 0x0A000000 + i);         /* Subnet 10.0.0.i */
        u32(s, 10 + i); u32(s, 20 + i); u32(s, 30 + i);
    }
}

static void
mib_in(gboolean big, gboolean ndr64)
{
    stub s = { .big = big, .ndr64 = ndr64 };
    const seen_struct *mib, *sc;
    ndr_t ndr;
    int end;

    build_mib(&s, 2, 2);
    end = run_param(&s, 22, 1, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT(ndr.warnings, 0);
    CHECK_INT(end, s.n);
    mib = find(EXCERPT_T_DHCP_MIB_INFO, 0);
    CHECK_INT(mib != NULL, 1);
    if (mib) {
        CHECK_INT(mib->v[0], 100);
        CHECK_INT(mib->v[6], 106);
        CHECK_INT(mib->v[7], 0x01d0000011111111ULL);  /* DATE_TIME as one value */
    }
    sc = find(EXCERPT_T_SCOPE_MIB_INFO, 1);
    CHECK_INT(sc != NULL, 1);
    if (sc) {
        CHECK_INT(sc->v[0], 0x0A000001);
        CHECK_INT(sc->v[1], 11);
        CHECK_INT(sc->v[2], 21);
        CHECK_INT(sc->v[3], 31);
    }
    CHECK_INT(find(EXCERPT_T_SCOPE_MIB_INFO, 2) == NULL, 1);
}

static void group_mib_ndr_le(void) { mib_in(FALSE, FALSE); }
static void group_mib_ndr_be(void) { mib_in(TRUE, FALSE); }
static void group_mib_ndr64(void) { mib_in(FALSE, TRUE); }

static void
group_mib_count_mismatch(void)
{
    stub s = { 0 };
    ndr_t ndr;

    build_mib(&s, 3, 2);        /* Scopes says 3, the array holds 2 */
    run_param(&s, 22, 1, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT((ndr.warnings >> NDR_WARN_COUNT_MISMATCH) & 1, 1);
}

static void
group_mib_truncated(void)
{
    stub s = { 0 };
    ndr_t ndr;
    int cut;

    build_mib(&s, 2, 2);
    for (cut = 0; cut < s.n; cut++) {
        stub t = s;
        t.n = cut;
        run_param(&t, 22, 1, &ndr);
        if (ndr.error == NDR_OK) {
            printf("cut %d decoded without error\n", cut);
            n_failed++;
            return;
        }
    }
    n_passed++;
    /* A count running past the data is reported as such, not read. */
    {
        stub t = { 0 };
        build_mib(&t, 2, 0);
        t.n -= 4;
        u32(&t, 100000);        /* conformance 100000, nothing follows */
        run_param(&t, 22, 1, &ndr);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
    }
}

/* R_DhcpAddSubnetElement's [in, ref] LPDHCP_SUBNET_ELEMENT_DATA: enum,
 * then the union: its discriminant again, then the arm. */
static void
element(gboolean ndr64, guint type, guint disc, stub *s)
{
    s->ndr64 = ndr64;
    enm(s, type);
    if (ndr64)
        align(s, 8);            /* the union aligns to its largest arm (a pointer) */
    enm(s, disc);
    if (disc <= 4) {
        ptr(s, 0x20000);
    }
    if (ndr64)
        align(s, 8);            /* trailing gap of DHCP_SUBNET_ELEMENT_DATA */
    if (disc == 0 || disc == 3) {   /* DHCP_IP_RANGE */
        u32(s, 0xC0A80101); u32(s, 0xC0A801FE);
    } else if (disc == 4) {
        u32(s, 77);
    }
}

static void
union_in(gboolean ndr64)
{
    stub s = { 0 };
    const seen_struct *r, *d;
    ndr_t ndr;
    int end;

    element(ndr64, 0, 0, &s);
    end = run_param(&s, 4, 2, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT(end, s.n);
    d = find(EXCERPT_T_DHCP_SUBNET_ELEMENT_DATA, 0);
    r = find(EXCERPT_T_DHCP_IP_RANGE, 0);
    CHECK_INT(d && r, 1);
    if (r) {
        CHECK_INT(r->v[0], 0xC0A80101);
        CHECK_INT(r->v[1], 0xC0A801FE);
    }
    /* DhcpIpRangesDhcpOnly (5) travels as 0 (ELEMENT_MASK): the IpRange arm. */
    memset(&s, 0, sizeof s);
    element(ndr64, 5, 0, &s);
    end = run_param(&s, 4, 2, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT(end, s.n);
    CHECK_INT(find(EXCERPT_T_DHCP_IP_RANGE, 0) != NULL, 1);
    CHECK_INT((ndr.warnings >> NDR_WARN_SWITCH_MISMATCH) & 1, 0);
    /* Type 5 with discriminant 5: not what ELEMENT_MASK says (0), a warning. */
    memset(&s, 0, sizeof s);
    element(ndr64, 5, 5, &s);
    run_param(&s, 4, 2, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT((ndr.warnings >> NDR_WARN_SWITCH_MISMATCH) & 1, 1);
    /* The empty [default] arm. */
    memset(&s, 0, sizeof s);
    element(ndr64, 7, 7, &s);
    end = run_param(&s, 4, 2, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT(end, s.n);
}

static void group_union_ndr(void) { union_in(FALSE); }
static void group_union_ndr64(void) { union_in(TRUE); }

/* DHCP_V6_SAMPLE (dhcpsrv2 opnum 0, [in, unique] Sample): an 8-aligned
 * structure with a string, and an array of pointers to IPv6 addresses. */
static void
v6_in(gboolean ndr64, gboolean big)
{
    stub s = { .ndr64 = ndr64, .big = big };
    const seen_struct *v;
    ndr_t ndr;
    int end;

    ptr(&s, 0x20000);                   /* Sample */
    align(&s, 8);
    u64(&s, 0x20010db800000000ULL);     /* Prefix */
    u64(&s, 1);
    ptr(&s, 0x20004);                   /* Name */
    u32(&s, 2);                         /* Count */
    ptr(&s, 0x20008);                   /* Addresses */
    if (ndr64)
        align(&s, 8);
    wstr(&s, "ab");
    u3264(&s, 2);                       /* array of 2 pointers */
    ptr(&s, 0x2000c);
    ptr(&s, 0);                         /* a NULL element */
    align(&s, 8);
    u64(&s, 0xfe80000000000000ULL);
    u64(&s, 2);
    end = run_param(&s, 1000, 3, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT(ndr.warnings, 0);
    CHECK_INT(end, s.n);
    v = find(EXCERPT_T_DHCP_V6_SAMPLE, 0);
    CHECK_INT(v != NULL, 1);
    if (v)
        CHECK_INT(v->v[2], 2);
}

static void group_v6_ndr(void) { v6_in(FALSE, FALSE); }
static void group_v6_ndr64_be(void) { v6_in(TRUE, TRUE); }

/* DHCP_ADDR_PATTERN by value: BOOL, BYTE, BOOL, BYTE, BYTE[255]. */
static void
group_fixed_array(void)
{
    stub s = { 0 };
    const seen_struct *p;
    ndr_t ndr;
    int i, end;

    u32(&s, 1); u8(&s, 6); u32(&s, 0); u8(&s, 3);
    for (i = 0; i < 255; i++)
        u8(&s, (guint)i);
    end = run_param(&s, 1000, 2, &ndr);
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT(end, 4 + 1 + 3 + 4 + 1 + 255);
    p = find(EXCERPT_T_DHCP_ADDR_PATTERN, 0);
    CHECK_INT(p && p->v[1] == 6 && p->v[3] == 3, 1);
}

static void
group_bad_discriminant(void)
{
    stub s = { 0 };
    ndr_t ndr;

    enm(&s, 2);
    enm(&s, 9);         /* no arm 9, and no default arm would be... there is one: */
    run_param(&s, 4, 2, &ndr);
    CHECK_INT(ndr.error, NDR_OK);   /* [default] catches 9 */
}

/* The value hooks: every leaf reaches the leaf hook with the owner the
 * innermost enter hook returned, also for referents deferred past the end
 * of their structure (the host names of element 1 come after element 2's
 * ElementType). */
typedef struct {
    guint16 field;
    guint64 u;
    char s[16];
    gsize owner;
} seen_leaf;

static seen_leaf leaves[32];
static guint n_leaves;
static gsize n_entered;

static void
value_leaf_seen(ndrt_ctx *ctx, ndr_t *ndr _U_, guint16 field, const ndrt_value *v,
                proto_tree *tree _U_, int start, int end)
{
    guint64 u = v->u;
    const char *text = v->s;

    if (n_leaves >= G_N_ELEMENTS(leaves) || end <= start)
        return;
    leaves[n_leaves].field = field;
    leaves[n_leaves].u = u;
    g_strlcpy(leaves[n_leaves].s, text ? text : "", sizeof leaves[0].s);
    leaves[n_leaves].owner = GPOINTER_TO_SIZE(ctx->owner);
    n_leaves++;
}

static void *
element_entered(ndrt_ctx *ctx _U_, ndr_t *ndr _U_, guint16 type _U_)
{
    return GSIZE_TO_POINTER(++n_entered);
}

static guint16
field_of(const char *suffix)
{
    guint16 i;
    for (i = 1; i < EXCERPT_FIELD_COUNT; i++)
        if (strcmp(excerpt_fields[i].suffix, suffix) == 0)
            return i;
    return 0;
}

/* The owner of the `nth` leaf of `field` (-1: no such leaf). */
static long long
owner_of(const char *suffix, guint nth, const char *text)
{
    guint16 f = field_of(suffix);
    guint i;

    for (i = 0; i < n_leaves; i++)
        if (leaves[i].field == f && nth-- == 0)
            return text && strcmp(leaves[i].s, text) != 0 ? -2 : (long long)leaves[i].owner;
    return -1;
}

static void
value_hooks(gboolean ndr64)
{
    static ndrt_enter_hook enter[EXCERPT_TYPE_COUNT];
    stub s = { 0 };
    ndr_t ndr;
    int end, k;

    s.ndr64 = ndr64;
    /* [out] LPDHCP_SUBNET_ELEMENT_INFO_ARRAY *Elements: referent, the array
     * structure, then (deferred) 2 elements, each a DhcpSecondaryHosts arm
     * pointing to a DHCP_HOST_INFO with two strings. */
    ptr(&s, 0x20000);
    u32(&s, 2);
    ptr(&s, 0x20004);
    u3264(&s, 2);
    for (k = 0; k < 2; k++) {
        enm(&s, 1);
        if (ndr64)
            align(&s, 8);
        enm(&s, 1);
        ptr(&s, 0x20008 + 8 * k);
        if (ndr64)
            align(&s, 8);
    }
    for (k = 0; k < 2; k++) {
        if (ndr64)
            align(&s, 8);       /* DHCP_HOST_INFO holds pointers: 8-aligned in NDR64 */
        u32(&s, 0x0A000001 + k);
        ptr(&s, 0x30000 + 8 * k);
        ptr(&s, 0x30004 + 8 * k);
        if (ndr64)
            align(&s, 8);
        wstr(&s, k ? "nb2" : "nb1");
        wstr(&s, k ? "host2" : "host1");
    }
    memset(enter, 0, sizeof enter);
    enter[EXCERPT_T_DHCP_SUBNET_ELEMENT_DATA] = element_entered;
    run_leaf = value_leaf_seen;
    run_enter = enter;
    n_leaves = 0;
    n_entered = 0;
    end = run_param(&s, 1000, 4, &ndr);
    run_leaf = NULL;
    run_enter = NULL;
    CHECK_INT(ndr.error, NDR_OK);
    CHECK_INT(end, s.n);
    CHECK_INT(n_entered, 2);
    CHECK_INT(owner_of("subnet_element_info_array.num_elements", 0, NULL), 0);
    CHECK_INT(owner_of("subnet_element_data.element_type", 0, NULL), 1);
    CHECK_INT(owner_of("subnet_element_data.element_type", 1, NULL), 2);
    CHECK_INT(owner_of("host_info.ip_address", 0, NULL), 1);
    CHECK_INT(owner_of("host_info.ip_address", 1, NULL), 2);
    CHECK_INT(owner_of("host_info.net_bios_name", 0, "nb1"), 1);
    CHECK_INT(owner_of("host_info.host_name", 0, "host1"), 1);
    CHECK_INT(owner_of("host_info.net_bios_name", 1, "nb2"), 2);
    CHECK_INT(owner_of("host_info.host_name", 1, "host2"), 2);
    CHECK_INT(owner_of("host_info.host_name", 2, NULL), -1);
}

static void group_value_hooks_ndr(void) { value_hooks(FALSE); }
static void group_value_hooks_ndr64(void) { value_hooks(TRUE); }

/* ndrt_ctx.leaf and ndrt_ctx.scope: a value set before a pointer is read
 * reaches its deferred referent, a change inside the referent does not
 * leak out of it. */
typedef struct {
    guint16 f_scopes, f_subnet;
    guint n_scopes, n_subnets;
    guint64 scope_at_subnet[4];
    guint32 subnet[4];
    int subnet_len[4];
} leaf_seen;

static guint16
field_named(const char *suffix)
{
    guint i;
    for (i = 1; i < EXCERPT_FIELD_COUNT; i++)
        if (strcmp(excerpt_fields[i].suffix, suffix) == 0)
            return (guint16)i;
    return 0;
}

static void
leaf_record(ndrt_ctx *ctx, ndr_t *ndr _U_, guint16 field, const ndrt_value *v,
            proto_tree *tree _U_, int start, int end)
{
    leaf_seen *ls = (leaf_seen *)ctx->leaf_user;

    if (field == ls->f_scopes) {
        ls->n_scopes++;
        ctx->scope = 100 + v->u;        /* the pointer read next inherits it */
    } else if (field == ls->f_subnet && ls->n_subnets < 4) {
        ls->scope_at_subnet[ls->n_subnets] = ctx->scope;
        ls->subnet[ls->n_subnets] = (guint32)v->u;
        ls->subnet_len[ls->n_subnets] = end - start;
        ls->n_subnets++;
        ctx->scope = 7;                 /* inside the referent only */
    }
}

static void
leaf_scope(gboolean ndr64)
{
    static const guint8 drep_le[4] = { 0x10, 0, 0, 0 };
    stub s = { .ndr64 = ndr64 };
    const ndrt_method *m = &excerpt_methods_dhcpsrv[22];
    const ndrt_member *p = &excerpt_members[m->first + 1];
    leaf_seen ls = { field_named("mib_info.scopes"), field_named("scope_mib_info.subnet"), 0, 0,
                     { 0 }, { 0 }, { 0 } };
    ndrt_ctx ctx = { &excerpt_desc, hf_none, ett_none, hooks, NULL, 0, NULL, NULL,
                     leaf_record, &ls, 0, NULL, NULL };
    tvbuff_t *tvb;
    ndr_t ndr;
    int end;

    build_mib(&s, 2, 2);
    tvb = tvb_new_real_data(s.b, (guint)s.n, s.n);
    ndr_init(&ndr, tvb, NULL, NULL, drep_le, s.ndr64);
    end = ndrt_param(&ndr, &ctx, NULL, 0, p->type, p->field, p->name, NULL);
    tvb_free(tvb);
    CHECK_INT(ls.f_scopes != 0 && ls.f_subnet != 0, 1);
    CHECK_INT(end, s.n);
    CHECK_INT(ls.n_scopes, 1);
    CHECK_INT(ls.n_subnets, 2);
    CHECK_INT(ls.subnet[0], 0x0A000000);
    CHECK_INT(ls.subnet[1], 0x0A000001);
    CHECK_INT(ls.subnet_len[0], 4);
    CHECK_INT(ls.scope_at_subnet[0], 102);      /* Scopes = 2, set before ScopeInfo was read */
    CHECK_INT(ls.scope_at_subnet[1], 7);        /* same referent: the change inside it */
    CHECK_INT(ctx.scope, 102);                  /* restored after the referent */
}

static void group_leaf_scope_ndr(void) { leaf_scope(FALSE); }
static void group_leaf_scope_ndr64(void) { leaf_scope(TRUE); }

typedef struct {
    const char *name;
    void (*fn)(void);
} group;

int
main(void)
{
    static const group groups[] = {
        { "mib NDR little-endian", group_mib_ndr_le },
        { "mib NDR big-endian", group_mib_ndr_be },
        { "mib NDR64", group_mib_ndr64 },
        { "mib size_is mismatch", group_mib_count_mismatch },
        { "mib truncated anywhere", group_mib_truncated },
        { "union NDR", group_union_ndr },
        { "union NDR64", group_union_ndr64 },
        { "v6 sample NDR", group_v6_ndr },
        { "v6 sample NDR64 big-endian", group_v6_ndr64_be },
        { "fixed byte array", group_fixed_array },
        { "default arm", group_bad_discriminant },
        { "value hooks NDR", group_value_hooks_ndr },
        { "value hooks NDR64", group_value_hooks_ndr64 },
        { "leaf hook, scope NDR", group_leaf_scope_ndr },
        { "leaf hook, scope NDR64", group_leaf_scope_ndr64 },
    };
    guint i;

    for (i = 0; i < EXCERPT_TYPE_COUNT; i++)
        hooks[i] = excerpt_types[i].kind == NDRT_STRUCT ? record : NULL;
    for (i = 0; i < EXCERPT_FIELD_COUNT; i++)
        hf_none[i] = -1;
    for (i = 0; i < G_N_ELEMENTS(groups); i++) {
        int p = n_passed, f = n_failed;
        groups[i].fn();
        printf("# %-28s %3d passed, %d failed\n", groups[i].name, n_passed - p, n_failed - f);
    }
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed ? 1 : 0;
}
