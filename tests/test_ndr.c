/* test_ndr.c
 * Self-check of plugin/ndr/ndr.c (NDR 2.0 / NDR64 reader) without a dissection
 * context: ndr_init(..., pinfo = NULL, fields = NULL, ...) and tree = NULL
 * everywhere, so the layer only reads and records problems.
 *
 * Build: gcc -Wall -Wextra $(pkg-config --cflags wireshark) -Iplugin -Iinclude \
 *            tests/test_ndr.c plugin/ndr/ndr.c $(pkg-config --libs wireshark)
 *
 * Output: one line per failed check (file:line), a summary line per group,
 * and finally "N passed, M failed"; the exit status is 1 when M > 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <wireshark.h>
#include <epan/tvbuff.h>
#include <wsutil/wmem/wmem.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ndr.h"

/* ------------------------------------------------------------------------ */
/* Checks                                                                    */

static int n_passed;
static int n_failed;

static void check_impl(gboolean ok, const char *file, int line, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void
check_impl(gboolean ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        n_passed++;
        return;
    }
    n_failed++;
    printf("%s:%d: FAIL: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

#define CHECK(cond) check_impl(!!(cond), __FILE__, __LINE__, "%s", #cond)

#define CHECK_INT(got, want) do {                                                   \
        long long got_ = (long long)(got), want_ = (long long)(want);              \
        check_impl(got_ == want_, __FILE__, __LINE__, "%s == %s (got %lld, want %lld)", \
                   #got, #want, got_, want_);                                      \
    } while (0)

#define CHECK_U64(got, want) do {                                                   \
        unsigned long long got_ = (unsigned long long)(got);                       \
        unsigned long long want_ = (unsigned long long)(want);                     \
        check_impl(got_ == want_, __FILE__, __LINE__,                               \
                   "%s == %s (got 0x%llx, want 0x%llx)", #got, #want, got_, want_); \
    } while (0)

#define CHECK_STR(got, want) do {                                                   \
        const char *got_ = (got), *want_ = (want);                                 \
        check_impl(got_ != NULL && strcmp(got_, want_) == 0, __FILE__, __LINE__,   \
                   "%s == \"%s\" (got %s%s%s)", #got, want_, got_ ? "\"" : "",     \
                   got_ ? got_ : "NULL", got_ ? "\"" : "");                        \
    } while (0)

/* Runs one group and prints its own tally. */
static void
run_group(const char *name, void (*fn)(void))
{
    int p = n_passed, f = n_failed;

    fn();
    printf("# %-28s %3d passed, %d failed\n", name, n_passed - p, n_failed - f);
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */

static const guint8 DREP_LE[4] = { 0x10, 0, 0, 0 };
static const guint8 DREP_BE[4] = { 0x00, 0, 0, 0 };

static tvbuff_t *
start(ndr_t *ndr, const guint8 *data, guint len, const guint8 *drep, gboolean ndr64)
{
    tvbuff_t *tvb = tvb_new_real_data(data, len, (gint)len);

    ndr_init(ndr, tvb, NULL, NULL, drep, ndr64);
    return tvb;
}

/* With pinfo == NULL the layer allocates from the NULL wmem scope (g_malloc). */
static void
finish(ndr_t *ndr, tvbuff_t *tvb)
{
    g_free(ndr->deferred);
    g_free(ndr->full_ids);
    ndr->deferred = NULL;
    ndr->full_ids = NULL;
    tvb_free_chain(tvb);
}

#define WARN_BIT(p) (1u << (p))

/* A growable buffer that writes NDR the way a marshaller would. */
typedef struct {
    guint8 *d;
    int len;
    int cap;
    gboolean be;
    gboolean ndr64;
} wbuf;

static void
w_init(wbuf *b, gboolean ndr64, gboolean be)
{
    memset(b, 0, sizeof *b);
    b->ndr64 = ndr64;
    b->be = be;
}

static void
w_byte(wbuf *b, guint8 v)
{
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->d = (guint8 *)g_realloc(b->d, b->cap);
    }
    b->d[b->len++] = v;
}

static void
w_align(wbuf *b, int n)
{
    while (b->len % n)
        w_byte(b, 0xbf);        /* padding content is meaningless */
}

static void
w_uint(wbuf *b, guint64 v, int size)
{
    int i;

    w_align(b, size);
    for (i = 0; i < size; i++)
        w_byte(b, (guint8)(v >> (8 * (b->be ? size - 1 - i : i))));
}

static void w_u16(wbuf *b, guint16 v) { w_uint(b, v, 2); }
static void w_u32(wbuf *b, guint32 v) { w_uint(b, v, 4); }
static void w_3264(wbuf *b, guint64 v) { w_uint(b, v, b->ndr64 ? 8 : 4); }

/* [string] wchar_t*: max, offset, actual, then the characters of `s` plus a
 * NUL when `nul` (ASCII only). */
static void
w_wstr(wbuf *b, const char *s, gboolean nul)
{
    guint64 n = strlen(s) + (nul ? 1 : 0);
    size_t i;

    w_3264(b, n);
    w_3264(b, 0);
    w_3264(b, n);
    for (i = 0; s[i]; i++)
        w_u16(b, (guint8)s[i]);
    if (nul)
        w_u16(b, 0);
}

/* Records of referent/element callbacks: order, offsets seen, values read. */
typedef struct {
    const char *tag;
    int offset;         /* the offset the callback was given */
    guint32 value;
    char *str;          /* string read by a string referent (owned) */
} rec_t;

#define MAX_RECS 64
static rec_t recs[MAX_RECS];
static int n_recs;          /* recorded (bounded) */
static int n_calls;         /* all calls */
static guint64 recs_sum;    /* sum of values read (for long runs) */

static void
recs_reset(void)
{
    int i;

    for (i = 0; i < n_recs; i++)
        g_free(recs[i].str);
    memset(recs, 0, sizeof recs);
    n_recs = n_calls = 0;
    recs_sum = 0;
}

static rec_t *
rec_add(const char *tag, int offset)
{
    static rec_t sink;

    n_calls++;
    if (n_recs >= MAX_RECS) {
        memset(&sink, 0, sizeof sink);
        return &sink;
    }
    recs[n_recs].tag = tag;
    recs[n_recs].offset = offset;
    return &recs[n_recs++];
}

#define CHECK_REC(i, tag_, off_, val_) do {                                         \
        CHECK((i) < n_recs);                                                        \
        if ((i) < n_recs) {                                                         \
            CHECK_STR(recs[i].tag, tag_);                                           \
            CHECK_INT(recs[i].offset, off_);                                        \
            CHECK_U64(recs[i].value, val_);                                         \
        }                                                                           \
    } while (0)

/* Referent: a DWORD; arg is the tag. */
static int
rf_u32(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    rec_t *r = rec_add((const char *)arg, offset);
    guint32 v = 0xdeadbeef;

    offset = ndr_u32(ndr, tree, offset, -1, &v);
    r->value = v;
    recs_sum += v;
    return offset;
}

/* Referent: a [string] wchar_t*; arg is the tag. */
static int
rf_str(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    rec_t *r = rec_add((const char *)arg, offset);
    const char *s = NULL;

    offset = ndr_cvstring(ndr, tree, offset, -1, &s);
    r->str = (char *)s;
    return offset;
}

/* Referent that consumes nothing (must never be reached in some tests). */
static int
rf_nothing(ndr_t *ndr _U_, proto_tree *tree _U_, int offset, void *arg)
{
    rec_add((const char *)arg, offset);
    return offset;
}

/* ------------------------------------------------------------------------ */
/* 1. Alignment relative to the stub start                                   */

static void
test_alignment(void)
{
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    guint8 v8 = 0;
    guint16 v16 = 0;
    guint32 v32 = 0;
    guint64 v64 = 0;

    {   /* u8 at 0, then u32 reads at 4 */
        static const guint8 b[] = { 0xaa, 0x01, 0x02, 0x03, 0x78, 0x56, 0x34, 0x12 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_u8(&ndr, NULL, 0, -1, &v8);
        CHECK_INT(off, 1);
        CHECK_INT(v8, 0xaa);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_INT(off, 8);
        CHECK_U64(v32, 0x12345678);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* u16, then u64 reads at 8 (NDR and NDR64 alike) */
        static const guint8 b[] = { 0x34, 0x12, 1, 2, 3, 4, 5, 6,
                                    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01 };
        int k;
        for (k = 0; k < 2; k++) {
            tvb = start(&ndr, b, sizeof b, DREP_LE, k == 1);
            off = ndr_u16(&ndr, NULL, 0, -1, &v16);
            CHECK_INT(off, 2);
            CHECK_INT(v16, 0x1234);
            off = ndr_u64(&ndr, NULL, off, -1, &v64);
            CHECK_INT(off, 16);
            CHECK_U64(v64, G_GUINT64_CONSTANT(0x0102030405060708));
            CHECK_INT(ndr.error, NDR_OK);
            finish(&ndr, tvb);
        }
    }
    {   /* u16 at an odd offset reads at the next even one */
        static const guint8 b[] = { 0xee, 0xee, 0xcd, 0xab };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_u16(&ndr, NULL, 1, -1, &v16);
        CHECK_INT(off, 4);
        CHECK_INT(v16, 0xabcd);
        finish(&ndr, tvb);
    }
    {   /* u3264 at offset 1: 4 bytes at 4 (NDR), 8 bytes at 8 (NDR64) */
        static const guint8 b[] = { 0xee, 0xee, 0xee, 0xee, 0x11, 0x22, 0x33, 0x44,
                                    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_u3264(&ndr, NULL, 1, -1, &v64);
        CHECK_INT(off, 8);
        CHECK_U64(v64, 0x44332211);
        finish(&ndr, tvb);

        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        off = ndr_u3264(&ndr, NULL, 1, -1, &v64);
        CHECK_INT(off, 16);
        CHECK_U64(v64, G_GUINT64_CONSTANT(0x0807060504030201));
        CHECK_INT(ndr_ptr_size(&ndr), 8);
        CHECK_INT(ndr_ptr_align(&ndr), 8);
        finish(&ndr, tvb);
    }
    {   /* enum: 2 bytes (align 2) in NDR, 4 bytes (align 4) in NDR64 */
        static const guint8 b[] = { 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_enum(&ndr, NULL, 0, -1, &v32);
        CHECK_INT(off, 2);
        CHECK_U64(v32, 1);
        off = ndr_enum(&ndr, NULL, off, -1, &v32);
        CHECK_INT(off, 4);
        CHECK_U64(v32, 2);
        off = ndr_enum(&ndr, NULL, 5, -1, &v32);     /* odd offset -> reads at 6 */
        CHECK_INT(off, 8);
        CHECK_U64(v32, 0);
        finish(&ndr, tvb);

        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        off = ndr_enum(&ndr, NULL, 0, -1, &v32);
        CHECK_INT(off, 4);
        CHECK_U64(v32, 0x00020001);
        off = ndr_enum(&ndr, NULL, 2, -1, &v32);     /* -> reads at 4 */
        CHECK_INT(off, 8);
        CHECK_U64(v32, 3);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* Alignment is relative to the stub (tvb) start, not to the frame:
         * the stub begins at frame offset 3 here. */
        static const guint8 frame[] = { 0xf0, 0xf1, 0xf2,
                                        0x5a, 0xee, 0xee, 0xee, 0x78, 0x56, 0x34, 0x12 };
        tvbuff_t *parent = tvb_new_real_data(frame, sizeof frame, sizeof frame);
        tvbuff_t *stub = tvb_new_subset_remaining(parent, 3);
        ndr_init(&ndr, stub, NULL, NULL, DREP_LE, FALSE);
        off = ndr_u8(&ndr, NULL, 0, -1, &v8);
        CHECK_INT(v8, 0x5a);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_INT(off, 8);
        CHECK_U64(v32, 0x12345678);
        g_free(ndr.deferred);
        g_free(ndr.full_ids);
        tvb_free_chain(parent);
    }
    {   /* helpers */
        CHECK_INT(ndr_align(0, 4), 0);
        CHECK_INT(ndr_align(1, 4), 4);
        CHECK_INT(ndr_align(4, 4), 4);
        CHECK_INT(ndr_align(9, 8), 16);
        CHECK_INT(ndr_align(7, 1), 7);
    }
    {   /* NDR64 trailing gap; ndr_subtree without a tree */
        static const guint8 b[] = { 0 };
        proto_item *pi = (proto_item *)&pi;
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        CHECK_INT(ndr_struct_end(&ndr, 20, 8), 20);
        CHECK(ndr_subtree(&ndr, NULL, 0, 4, -1, &pi, "x") == NULL);
        CHECK(pi == NULL);
        finish(&ndr, tvb);
        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        CHECK_INT(ndr_struct_end(&ndr, 20, 8), 24);
        CHECK_INT(ndr_struct_end(&ndr, 28, 4), 28);
        CHECK_INT(ndr_struct_end(&ndr, 24, 8), 24);
        finish(&ndr, tvb);
    }
    {   /* a value pointer may be NULL; u32_item gives no item without a tree */
        static const guint8 b[] = { 1, 0, 0, 0, 2, 0, 0, 0 };
        proto_item *pi = (proto_item *)&pi;
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_u32(&ndr, NULL, 0, -1, NULL);
        CHECK_INT(off, 4);
        off = ndr_u32_item(&ndr, NULL, off, -1, &v32, &pi);
        CHECK_INT(off, 8);
        CHECK_U64(v32, 2);
        CHECK(pi == NULL);
        finish(&ndr, tvb);
    }
}

/* ------------------------------------------------------------------------ */
/* 2. Integer byte order from the drep                                       */

/* ndr_u32_run: the same values, offsets and errors as ndr_u32 member by
 * member, whole (one bounds check) or short (the member-by-member fallback). */
static void
test_u32_run(void)
{
    static const guint8 b[] = { 0xee, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
                                0x78, 0x56, 0x34, 0x12, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0 };
    static const int hf_none = -1;
    static const int *const hfs[7] = { &hf_none, &hf_none, &hf_none, &hf_none, &hf_none,
                                       &hf_none, &hf_none };
    guint len, k;

    for (k = 0; k < 2; k++) {
        for (len = 0; len <= sizeof b; len += 2) {
            ndr_t a, r;
            tvbuff_t *ta, *tr;
            guint32 va[7], vr[7];
            int oa, orr = 1, i;

            memset(va, 0xaa, sizeof va);
            memset(vr, 0xaa, sizeof vr);
            ta = start(&a, b, len, k ? DREP_BE : DREP_LE, FALSE);
            tr = start(&r, b, len, k ? DREP_BE : DREP_LE, FALSE);
            oa = ndr_u32_run(&a, NULL, 1, hfs, va, 7);     /* aligned to 4 first */
            for (i = 0; i < 7; i++)
                orr = ndr_u32(&r, NULL, orr, -1, &vr[i]);
            CHECK_INT(oa, orr);
            CHECK_INT(a.error, r.error);
            CHECK_INT(memcmp(va, vr, sizeof va), 0);
            if (len == sizeof b) {
                CHECK_INT(a.error, NDR_OK);
                CHECK_INT(oa, 32);
                CHECK_U64(va[3], k ? 0x78563412u : 0x12345678u);
            }
            finish(&a, ta);
            finish(&r, tr);
        }
    }
}

static void
test_byte_order(void)
{
    static const guint8 le[] = { 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0,
                                 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
                                 0xcd, 0xab };
    static const guint8 be[] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0,
                                 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                 0xab, 0xcd };
    static const guint8 drep_le_ebcdic[4] = { 0x11, 0, 0, 0 };   /* LE integers, EBCDIC chars */
    ndr_t a, b;
    tvbuff_t *ta, *tb;
    guint32 va = 0, vb = 1;
    guint64 wa = 0, wb = 1;
    guint16 sa = 0, sb = 1;
    int oa, ob;

    ta = start(&a, le, sizeof le, DREP_LE, FALSE);
    tb = start(&b, be, sizeof be, DREP_BE, FALSE);
    CHECK_INT(a.encoding, ENC_LITTLE_ENDIAN);
    CHECK_INT(b.encoding, ENC_BIG_ENDIAN);
    oa = ndr_u32(&a, NULL, 0, -1, &va);
    ob = ndr_u32(&b, NULL, 0, -1, &vb);
    CHECK_U64(va, 0x12345678);
    CHECK_U64(vb, 0x12345678);
    CHECK_INT(oa, ob);
    oa = ndr_u64(&a, NULL, oa, -1, &wa);
    ob = ndr_u64(&b, NULL, ob, -1, &wb);
    CHECK_U64(wa, G_GUINT64_CONSTANT(0x0102030405060708));
    CHECK_U64(wb, G_GUINT64_CONSTANT(0x0102030405060708));
    CHECK_INT(oa, 16);
    oa = ndr_u16(&a, NULL, oa, -1, &sa);
    ob = ndr_u16(&b, NULL, ob, -1, &sb);
    CHECK_INT(sa, 0xabcd);
    CHECK_INT(sb, 0xabcd);
    CHECK_INT(ob, 18);
    finish(&a, ta);
    finish(&b, tb);

    /* NDR64 8-byte counts/ids honour the drep too */
    ta = start(&a, le + 8, 8, DREP_LE, TRUE);
    tb = start(&b, be + 8, 8, DREP_BE, TRUE);
    ndr_u3264(&a, NULL, 0, -1, &wa);
    ndr_u3264(&b, NULL, 0, -1, &wb);
    CHECK_U64(wa, G_GUINT64_CONSTANT(0x0102030405060708));
    CHECK_U64(wb, G_GUINT64_CONSTANT(0x0102030405060708));
    finish(&a, ta);
    finish(&b, tb);

    /* the enum (2 bytes in NDR) */
    ta = start(&a, le + 16, 2, DREP_LE, FALSE);
    tb = start(&b, be + 16, 2, DREP_BE, FALSE);
    ndr_enum(&a, NULL, 0, -1, &va);
    ndr_enum(&b, NULL, 0, -1, &vb);
    CHECK_U64(va, 0xabcd);
    CHECK_U64(vb, 0xabcd);
    finish(&a, ta);
    finish(&b, tb);

    /* only the integer nibble of drep[0] matters */
    ta = start(&a, le, 4, drep_le_ebcdic, FALSE);
    ndr_u32(&a, NULL, 0, -1, &va);
    CHECK_U64(va, 0x12345678);
    finish(&a, ta);
}

/* ------------------------------------------------------------------------ */
/* 3. Truncation                                                             */

static void
test_truncation(void)
{
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    guint8 v8;
    guint16 v16;
    guint32 v32;
    guint64 v64;

    {   /* u32 with 3 bytes present */
        static const guint8 b[] = { 0x01, 0x02, 0x03 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        v32 = 0xdeadbeef;
        off = ndr_u32(&ndr, NULL, 0, -1, &v32);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 0);
        CHECK_U64(v32, 0);
        CHECK_INT(off, 0);
        CHECK(!ndr_ok(&ndr));
        /* every later read is a no-op, even where bytes exist */
        v8 = 0xee;
        off = ndr_u8(&ndr, NULL, 1, -1, &v8);
        CHECK_INT(off, 1);
        CHECK_INT(v8, 0);
        v16 = 0xeeee;
        off = ndr_u16(&ndr, NULL, 1, -1, &v16);
        CHECK_INT(off, 2);
        CHECK_INT(v16, 0);
        v32 = 0xeeeeeeee;
        off = ndr_u32(&ndr, NULL, 0, -1, &v32);
        CHECK_INT(off, 0);
        CHECK_U64(v32, 0);
        v64 = 1;
        off = ndr_u3264(&ndr, NULL, 1, -1, &v64);
        CHECK_INT(off, 4);
        CHECK_U64(v64, 0);
        /* the first error and its offset are kept */
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 0);
        CHECK_U64(ndr.warnings, 0);
        finish(&ndr, tvb);
    }
    {   /* truncation after some good fields: error_offset is the aligned field start */
        static const guint8 b[] = { 0x34, 0x12, 0xee, 0xee, 0x01, 0x02 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_u16(&ndr, NULL, 0, -1, &v16);
        CHECK_INT(v16, 0x1234);
        CHECK_INT(ndr.error, NDR_OK);
        v32 = 7;
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 4);
        CHECK_U64(v32, 0);
        CHECK_INT(off, 4);
        finish(&ndr, tvb);
    }
    {   /* u64 with 7 bytes, NDR64 id with 4 bytes */
        static const guint8 b[] = { 1, 2, 3, 4, 5, 6, 7 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        v64 = 9;
        ndr_u64(&ndr, NULL, 0, -1, &v64);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_U64(v64, 0);
        finish(&ndr, tvb);

        tvb = start(&ndr, b, 4, DREP_LE, TRUE);
        v64 = 9;
        ndr_u3264(&ndr, NULL, 0, -1, &v64);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_U64(v64, 0);
        finish(&ndr, tvb);
    }
    {   /* empty stub; and a capture cut by the snaplen (reported > captured) */
        static const guint8 b[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
        tvb = tvb_new_real_data(b, 0, 0);
        ndr_init(&ndr, tvb, NULL, NULL, DREP_LE, FALSE);
        ndr_u8(&ndr, NULL, 0, -1, &v8);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        finish(&ndr, tvb);

        tvb = tvb_new_real_data(b, 6, 8);
        ndr_init(&ndr, tvb, NULL, NULL, DREP_LE, FALSE);
        off = ndr_u32(&ndr, NULL, 0, -1, &v32);
        CHECK_INT(ndr.error, NDR_OK);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 4);
        CHECK_U64(v32, 0);
        finish(&ndr, tvb);
    }
    {   /* after an error, the constructed readers do nothing */
        static const guint8 b[] = { 0, 0, 2, 0, 3, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0,
                                    3, 0, 0, 0, 'a', 0, 'b', 0, 0, 0 };
        static const ndr_union_arm arms[] = { { 0, TRUE, rf_nothing } };
        const char *s = (const char *)&s;
        gboolean present = TRUE;
        guint32 count = 77, disc = 77;
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        ndr_report(&ndr, NULL, 2, 1, NDR_ERR_TRUNCATED, "test");
        CHECK_INT(ndr.error_offset, 2);
        off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "p", rf_nothing, "tp", &present);
        CHECK_INT(off, 0);
        CHECK(!present);
        present = TRUE;
        off = ndr_embedded_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "p", rf_nothing, "ep", &present);
        CHECK_INT(off, 0);
        CHECK(!present);
        off = ndr_toplevel(&ndr, NULL, 0, rf_nothing, "tl");
        CHECK_INT(off, 0);
        off = ndr_cvstring(&ndr, NULL, 4, -1, &s);
        CHECK(s == NULL);
        off = ndr_union(&ndr, NULL, 0, NDR_DISC_U32, -1, 4, arms, 1, "u", &disc);
        CHECK_INT(disc, 0);
        ndr_conformant_array(&ndr, NULL, 4, 4, NULL, NULL, &count);
        CHECK_INT(count, 0);
        CHECK_INT(n_calls, 0);
        CHECK_U64(ndr.warnings, 0);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 2);
        /* a later fatal report does not replace the first one */
        ndr_report(&ndr, NULL, 9, 1, NDR_ERR_BAD_DISCRIMINANT, NULL);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 2);
        finish(&ndr, tvb);
    }
    {   /* ndr_report: warnings set bits and are not fatal; fatal ones stop */
        static const guint8 b[] = { 1, 0, 0, 0, 2, 0, 0, 0 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        ndr_report(&ndr, NULL, 0, 4, NDR_WARN_NONZERO_OFFSET, "w");
        ndr_report(&ndr, NULL, 0, 4, NDR_WARN_MISSING_TERMINATOR, NULL);
        CHECK_U64(ndr.warnings, WARN_BIT(NDR_WARN_NONZERO_OFFSET) |
                                WARN_BIT(NDR_WARN_MISSING_TERMINATOR));
        CHECK_INT(ndr.error, NDR_OK);
        off = ndr_u32(&ndr, NULL, 0, -1, &v32);
        CHECK_U64(v32, 1);
        ndr_report(&ndr, NULL, 4, 4, NDR_ERR_NULL_REF_POINTER, NULL);
        ndr_report(&ndr, NULL, 6, 2, NDR_ERR_POINTER_LIMIT, NULL);
        CHECK_INT(ndr.error, NDR_ERR_NULL_REF_POINTER);
        CHECK_INT(ndr.error_offset, 4);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0);
        CHECK(!ndr_need(&ndr, NULL, 0, 1));
        finish(&ndr, tvb);
    }
    {   /* ndr_need on its own */
        static const guint8 b[] = { 1, 2, 3, 4 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        CHECK(ndr_need(&ndr, NULL, 0, 4));
        CHECK(ndr_need(&ndr, NULL, 4, 0));
        CHECK(ndr_need(&ndr, NULL, 3, 1));
        CHECK_INT(ndr.error, NDR_OK);
        CHECK(!ndr_need(&ndr, NULL, 1, G_GUINT64_CONSTANT(0x100000003)));   /* would wrap as a gint */
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 1);
        finish(&ndr, tvb);
    }
    {   /* a truncated deferred referent stops the remaining referents */
        static const guint8 b[] = { 0, 0, 2, 0, 4, 0, 2, 0, 0x11, 0x22 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_embedded_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "a", rf_u32, "A", NULL);
        off = ndr_embedded_pointer(&ndr, NULL, off, NDR_PTR_UNIQUE, "b", rf_u32, "B", NULL);
        CHECK_INT(off, 8);
        off = ndr_flush(&ndr, off);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 8);
        CHECK_INT(n_calls, 1);
        CHECK_REC(0, "A", 8, 0);
        CHECK_INT(ndr.n_deferred, 0);
        finish(&ndr, tvb);
        recs_reset();
    }
}

/* ------------------------------------------------------------------------ */
/* 4. Pointers                                                               */

static void
test_pointers(void)
{
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    gboolean present;
    guint32 v32;

    {   /* top-level unique NULL */
        static const guint8 b[] = { 0, 0, 0, 0, 0x2a, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        present = TRUE;
        off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "p", rf_u32, "R", &present);
        CHECK_INT(off, 4);
        CHECK(!present);
        CHECK_INT(n_calls, 0);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x2a);
        CHECK_INT(off, 8);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* top-level unique non-NULL: referent right after the id */
        static const guint8 b[] = { 0xee, 0xee, 0xee, 0xee, 0, 0, 2, 0, 0x2a, 0, 0, 0, 0x2b, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        present = FALSE;
        off = ndr_toplevel_pointer(&ndr, NULL, 2, NDR_PTR_UNIQUE, "p", rf_u32, "R", &present);
        CHECK_INT(off, 12);
        CHECK(present);
        CHECK_INT(n_calls, 1);
        CHECK_REC(0, "R", 8, 0x2a);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x2b);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* NDR64: 8-byte ids.  The second id is non-zero only in its high half. */
        static const guint8 b[] = { 0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 1, 0x2a, 0, 0, 0,
                                    0xee, 0xee, 0xee, 0xee,
                                    0, 0, 2, 0, 0, 0, 0, 0, 0x2c, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        present = TRUE;
        off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "p", rf_u32, "N", &present);
        CHECK_INT(off, 8);
        CHECK(!present);
        CHECK_INT(n_calls, 0);
        off = ndr_toplevel_pointer(&ndr, NULL, off, NDR_PTR_UNIQUE, "p", rf_u32, "H", &present);
        CHECK(present);
        CHECK_INT(off, 20);
        /* id aligned to 8 from offset 20 -> 24 */
        off = ndr_toplevel_pointer(&ndr, NULL, off, NDR_PTR_UNIQUE, "p", rf_u32, "A", &present);
        CHECK(present);
        CHECK_INT(off, 36);
        CHECK_INT(n_calls, 2);
        CHECK_REC(0, "H", 16, 0x2a);
        CHECK_REC(1, "A", 32, 0x2c);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* top-level [ref]: no wire id, referent in place */
        static const guint8 b[] = { 0x2a, 0, 0, 0, 0, 0, 0, 0 };
        int k;
        for (k = 0; k < 2; k++) {
            recs_reset();
            tvb = start(&ndr, b, sizeof b, DREP_LE, k == 1);
            present = FALSE;
            off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_REF, "p", rf_u32, "R", &present);
            CHECK(present);
            CHECK_INT(off, 4);
            CHECK_INT(n_calls, 1);
            CHECK_REC(0, "R", 0, 0x2a);
            CHECK_INT(ndr.error, NDR_OK);
            finish(&ndr, tvb);
        }
    }
    {   /* embedded [ref] pointer NULL -> fatal (NDR and NDR64) */
        static const guint8 b[] = { 0xee, 0xee, 0xee, 0xee, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
        int k;
        for (k = 0; k < 2; k++) {
            recs_reset();
            tvb = start(&ndr, b, sizeof b, DREP_LE, k == 1);
            present = TRUE;
            off = ndr_embedded_pointer(&ndr, NULL, 1, NDR_PTR_REF, "r", rf_u32, "R", &present);
            CHECK(!present);
            CHECK_INT(ndr.error, NDR_ERR_NULL_REF_POINTER);
            CHECK_INT(ndr.error_offset, (k == 1 ? 8 : 4));
            off = ndr_flush(&ndr, off);
            CHECK_INT(n_calls, 0);
            CHECK_INT(ndr.n_deferred, 0);
            finish(&ndr, tvb);
        }
    }
    {   /* embedded [ref] non-NULL: id read now, referent at flush; a NULL
         * embedded unique pointer contributes nothing */
        static const guint8 b[] = { 4, 0, 2, 0, 0, 0, 0, 0, 0x2a, 0, 0, 0 };
        gboolean p2 = TRUE;
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        present = FALSE;
        off = ndr_embedded_pointer(&ndr, NULL, 0, NDR_PTR_REF, "r", rf_u32, "R", &present);
        CHECK(present);
        CHECK_INT(off, 4);
        off = ndr_embedded_pointer(&ndr, NULL, off, NDR_PTR_UNIQUE, "n", rf_u32, "N", &p2);
        CHECK(!p2);
        CHECK_INT(off, 8);
        CHECK_INT(n_calls, 0);
        CHECK_INT(ndr.n_deferred, 1);
        off = ndr_flush(&ndr, off);
        CHECK_INT(off, 12);
        CHECK_INT(n_calls, 1);
        CHECK_REC(0, "R", 8, 0x2a);
        CHECK_INT(ndr.n_deferred, 0);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    recs_reset();
}

/* ------------------------------------------------------------------------ */
/* 5. Strings                                                                */

/* [MS-DHCPM] failover digest §6.2: NDR request, L"10.0.0.1", scope 192.168.10.0 */
static const guint8 req_ndr[40] = {
    0x00, 0x00, 0x02, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x09, 0x00, 0x00, 0x00,
    0x31, 0x00, 0x30, 0x00, 0x2e, 0x00, 0x30, 0x00, 0x2e, 0x00, 0x30, 0x00,
    0x2e, 0x00, 0x31, 0x00, 0x00, 0x00,
    0xbf, 0xbf,
    0x00, 0x0a, 0xa8, 0xc0,
};
/* §6.4: the same request in NDR64 */
static const guint8 req_ndr64[56] = {
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x31, 0x00, 0x30, 0x00, 0x2e, 0x00, 0x30, 0x00, 0x2e, 0x00, 0x30, 0x00,
    0x2e, 0x00, 0x31, 0x00, 0x00, 0x00,
    0x00, 0x00,
    0x00, 0x0a, 0xa8, 0xc0,
};
/* §6.3 / §6.5: ServerIpAddress = NULL */
static const guint8 req_null_ndr[8] = { 0, 0, 0, 0, 0x00, 0x0a, 0xa8, 0xc0 };
static const guint8 req_null_ndr64[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x0a, 0xa8, 0xc0 };

/* Decodes one string at offset 0 of the given bytes; returns the end offset. */
static int
decode_string(const guint8 *b, guint len, const guint8 *drep, gboolean ndr64, ndr_t *ndr,
              char **out)
{
    tvbuff_t *tvb = start(ndr, b, len, drep, ndr64);
    const char *s = (const char *)&s;   /* must be overwritten */
    int off = ndr_cvstring(ndr, NULL, 0, -1, &s);

    *out = (char *)s;
    finish(ndr, tvb);
    return off;
}

static void
test_strings(void)
{
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    gboolean present;
    guint32 scope;
    char *s;
    wbuf w;

    {   /* §6.2 and §6.4 */
        struct { const guint8 *b; guint len; gboolean ndr64; int str_at; int str_end; } ex[] = {
            { req_ndr, sizeof req_ndr, FALSE, 4, 0x22 },
            { req_ndr64, sizeof req_ndr64, TRUE, 8, 0x32 },
        };
        int k;
        for (k = 0; k < 2; k++) {
            recs_reset();
            tvb = start(&ndr, ex[k].b, ex[k].len, DREP_LE, ex[k].ndr64);
            present = FALSE;
            off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "ServerIpAddress", rf_str,
                                       "S", &present);
            CHECK(present);
            CHECK_INT(off, ex[k].str_end);
            CHECK_INT(n_recs, 1);
            CHECK_INT(recs[0].offset, ex[k].str_at);
            CHECK_STR(recs[0].str, "10.0.0.1");
            off = ndr_u32(&ndr, NULL, off, -1, &scope);
            CHECK_U64(scope, 0xC0A80A00);
            CHECK_INT(off, (int)ex[k].len);
            CHECK_INT(ndr.error, NDR_OK);
            CHECK_U64(ndr.warnings, 0);
            finish(&ndr, tvb);
        }
        recs_reset();
    }
    {   /* §6.3 and §6.5: NULL string pointer */
        struct { const guint8 *b; guint len; gboolean ndr64; } ex[] = {
            { req_null_ndr, sizeof req_null_ndr, FALSE },
            { req_null_ndr64, sizeof req_null_ndr64, TRUE },
        };
        int k;
        for (k = 0; k < 2; k++) {
            recs_reset();
            tvb = start(&ndr, ex[k].b, ex[k].len, DREP_LE, ex[k].ndr64);
            present = TRUE;
            off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "ServerIpAddress", rf_str,
                                       "S", &present);
            CHECK(!present);
            CHECK_INT(n_calls, 0);
            off = ndr_u32(&ndr, NULL, off, -1, &scope);
            CHECK_U64(scope, 0xC0A80A00);
            CHECK_INT(off, (int)ex[k].len);
            CHECK_INT(ndr.error, NDR_OK);
            finish(&ndr, tvb);
        }
    }
    {   /* actual > max: warning, decoding goes on */
        static const guint8 b[] = { 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 'a', 0, 'b', 0, 0, 0 };
        off = decode_string(b, sizeof b, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, WARN_BIT(NDR_WARN_ACTUAL_GT_MAX));
        CHECK_INT(off, 18);
        CHECK_STR(s, "ab");
        g_free(s);
    }
    {   /* offset != 0: warning */
        static const guint8 b[] = { 3, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 'a', 0, 'b', 0, 0, 0 };
        off = decode_string(b, sizeof b, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, WARN_BIT(NDR_WARN_NONZERO_OFFSET));
        CHECK_INT(off, 18);
        CHECK_STR(s, "ab");
        g_free(s);
    }
    {   /* no terminator: warning, string returned whole */
        static const guint8 b[] = { 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 'a', 0, 'b', 0, 0xee, 0xee };
        off = decode_string(b, sizeof b, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, WARN_BIT(NDR_WARN_MISSING_TERMINATOR));
        CHECK_INT(off, 16);
        CHECK_STR(s, "ab");
        g_free(s);
    }
    {   /* all three warnings at once, NDR64 */
        w_init(&w, TRUE, FALSE);
        w_3264(&w, 1);
        w_3264(&w, 5);
        w_3264(&w, 2);
        w_u16(&w, 'x');
        w_u16(&w, 'y');
        off = decode_string(w.d, w.len, DREP_LE, TRUE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, WARN_BIT(NDR_WARN_ACTUAL_GT_MAX) | WARN_BIT(NDR_WARN_NONZERO_OFFSET) |
                                WARN_BIT(NDR_WARN_MISSING_TERMINATOR));
        CHECK_INT(off, 28);
        CHECK_STR(s, "xy");
        g_free(s);
        g_free(w.d);
    }
    {   /* actual_count 0: empty text, not fatal (no NUL either) */
        static const guint8 b[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        off = decode_string(b, sizeof b, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_INT(off, 12);
        CHECK_STR(s, "");
        CHECK_U64(ndr.warnings, WARN_BIT(NDR_WARN_MISSING_TERMINATOR));
        g_free(s);
    }
    {   /* non-ASCII text: U+00E9 U+20AC */
        static const guint8 b[] = { 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0xe9, 0x00, 0xac, 0x20, 0, 0 };
        off = decode_string(b, sizeof b, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_STR(s, "\xc3\xa9\xe2\x82\xac");
        g_free(s);
    }
    {   /* a lone surrogate does not break decoding (replacement character) */
        static const guint8 b[] = { 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0x00, 0xd8, 'k', 0, 0, 0 };
        off = decode_string(b, sizeof b, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_INT(off, 18);
        /* (libwireshark 4.0 also drops the unit after a lone lead surrogate) */
        CHECK(s != NULL && strncmp(s, "\xef\xbf\xbd", 3) == 0);
        g_free(s);
    }
    {   /* actual_count 500 with 18 bytes of characters present */
        guint8 b[12 + 18];
        memcpy(b, req_ndr + 4, 12 + 18);
        b[0] = 0xf4; b[1] = 0x01;       /* max 500 */
        b[8] = 0xf4; b[9] = 0x01;       /* actual 500 */
        off = decode_string(b, sizeof b, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        CHECK_INT(ndr.error_offset, 0);
        CHECK(s == NULL);
        CHECK_INT(off, 12);
    }
    {   /* a count that just overshoots (9 characters, 17 bytes present) */
        off = decode_string(req_ndr + 4, 12 + 17, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        CHECK(s == NULL);
        /* ... and exactly enough (18 bytes) */
        off = decode_string(req_ndr + 4, 12 + 18, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_INT(off, 30);
        CHECK_STR(s, "10.0.0.1");
        g_free(s);
    }
    {   /* huge counts: NDR 0x7fffffff, 0x80000001, 0xffffffff */
        static const guint32 counts[] = { 0x7fffffffu, 0x80000001u, 0xffffffffu };
        guint k;
        for (k = 0; k < G_N_ELEMENTS(counts); k++) {
            w_init(&w, FALSE, FALSE);
            w_3264(&w, counts[k]);
            w_3264(&w, 0);
            w_3264(&w, counts[k]);
            w_u16(&w, 'a');
            w_u16(&w, 0);
            off = decode_string(w.d, w.len, DREP_LE, FALSE, &ndr, &s);
            CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
            CHECK_INT(ndr.error_offset, 0);
            CHECK(s == NULL);
            CHECK_INT(off, 12);
            g_free(w.d);
        }
    }
    {   /* huge counts: NDR64 2^62, 2^63 + 1 (count * 2 wraps to 2), 2^64 - 1 */
        static const guint64 counts[] = {
            G_GUINT64_CONSTANT(1) << 62,
            (G_GUINT64_CONSTANT(1) << 63) + 1,
            G_GUINT64_CONSTANT(0xffffffffffffffff),
            G_GUINT64_CONSTANT(0x100000001),        /* truncates to 1 as a guint32 */
        };
        guint k;
        for (k = 0; k < G_N_ELEMENTS(counts); k++) {
            w_init(&w, TRUE, FALSE);
            w_3264(&w, counts[k]);
            w_3264(&w, 0);
            w_3264(&w, counts[k]);
            w_u16(&w, 'a');
            w_u16(&w, 0);
            off = decode_string(w.d, w.len, DREP_LE, TRUE, &ndr, &s);
            CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
            CHECK_INT(ndr.error_offset, 0);
            CHECK(s == NULL);
            CHECK_INT(off, 24);
            g_free(w.d);
        }
    }
    {   /* header truncated: TRUNCATED, not COUNT_TOO_LARGE */
        off = decode_string(req_ndr + 4, 10, DREP_LE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 8);
        CHECK(s == NULL);
    }
    {   /* big-endian string (counts and characters) */
        static const guint8 b[] = { 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 'h', 0, 'i', 0, 0 };
        off = decode_string(b, sizeof b, DREP_BE, FALSE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, 0);
        CHECK_INT(off, 18);
        CHECK_STR(s, "hi");
        g_free(s);

        w_init(&w, TRUE, TRUE);
        w_wstr(&w, "10.0.0.1", TRUE);
        off = decode_string(w.d, w.len, DREP_BE, TRUE, &ndr, &s);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_INT(off, 24 + 18);
        CHECK_STR(s, "10.0.0.1");
        g_free(s);
        g_free(w.d);
    }
    {   /* a string at an unaligned offset: header aligned to 4 */
        static const guint8 b[] = { 0xee, 0xee, 0xee, 0xee, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
                                    'z', 0, 0, 0 };
        const char *v = NULL;
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_cvstring(&ndr, NULL, 1, -1, &v);
        CHECK_INT(off, 20);
        CHECK_STR(v, "z");
        g_free((char *)v);
        off = ndr_cvstring(&ndr, NULL, 4, -1, NULL);    /* value may be NULL */
        CHECK_INT(off, 20);
        finish(&ndr, tvb);
    }
    recs_reset();
}

/* ------------------------------------------------------------------------ */
/* 6. Deferral of embedded referents                                         */

static int calls_at_flat_end;

/* struct { [string] wchar_t *a; DWORD x; [string] wchar_t *b; } */
typedef struct {
    guint32 x;
    gboolean pa, pb;
} two_str;

static int
st_two_strings(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    two_str *s = (two_str *)arg;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "a", rf_str, "s1", &s->pa);
    offset = ndr_u32(ndr, tree, offset, -1, &s->x);
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "b", rf_str, "s2", &s->pb);
    calls_at_flat_end = n_calls;
    return offset;
}

/* Array element: struct { DWORD *a; DWORD *b; } */
static const char *const elem_tags[] = { "0a", "0b", "1a", "1b", "2a", "2b" };

static int
el_pair(ndr_t *ndr, proto_tree *tree, int offset, guint32 index, void *arg _U_)
{
    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "a", rf_u32,
                                  (void *)elem_tags[(index * 2) % 6], NULL);
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "b", rf_u32,
                                  (void *)elem_tags[(index * 2 + 1) % 6], NULL);
    return offset;
}

static int
st_pair_array(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    offset = ndr_conformant_array(ndr, tree, offset, (guint)ndr_ptr_size(ndr) * 2, el_pair, NULL,
                                  (guint32 *)arg);
    calls_at_flat_end = n_calls;
    return offset;
}

/* Nesting: S { T *a; DWORD *b; }  T { DWORD v; U *c; DWORD *d; }
 *          U { DWORD w; DWORD *e; } */
static int
st_U(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    rec_t *r = rec_add("U", offset);
    guint32 v;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_u32(ndr, tree, offset, -1, &v);
    r->value = v;
    return ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "e", rf_u32, "E", NULL);
}

static int
st_T(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    rec_t *r = rec_add("T", offset);
    guint32 v;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_u32(ndr, tree, offset, -1, &v);
    r->value = v;
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "c", st_U, NULL, NULL);
    return ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "d", rf_u32, "D", NULL);
}

static int
st_S(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "a", st_T, NULL, NULL);
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "b", rf_u32, "B", NULL);
    calls_at_flat_end = n_calls;
    return offset;
}

/* struct { DWORD v; DWORD *x; } as the referent of a top-level pointer */
static int
st_V(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    rec_t *r = rec_add("V", offset);
    guint32 v;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_u32(ndr, tree, offset, -1, &v);
    r->value = v;
    offset = ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "x", rf_u32, "X", NULL);
    calls_at_flat_end = n_calls;
    return offset;
}

/* struct { [ptr] DWORD *p0, *p1, *p2; } or the [unique] equivalent */
typedef struct {
    ndr_pointer_kind kind;
    gboolean present[3];
} three_ptr;

static int
st_three(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    three_ptr *t = (three_ptr *)arg;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_embedded_pointer(ndr, tree, offset, t->kind, "p0", rf_u32, "P0", &t->present[0]);
    offset = ndr_embedded_pointer(ndr, tree, offset, t->kind, "p1", rf_u32, "P1", &t->present[1]);
    offset = ndr_embedded_pointer(ndr, tree, offset, t->kind, "p2", rf_u32, "P2", &t->present[2]);
    return offset;
}

static void
test_deferral(void)
{
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    guint32 v32;
    wbuf w;

    {   /* struct with two embedded strings, NDR */
        static const guint8 b[] = {
            0x00, 0x00, 0x02, 0x00,     /* 0: id a */
            0x44, 0x33, 0x22, 0x11,     /* 4: x */
            0x04, 0x00, 0x02, 0x00,     /* 8: id b */
            2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 'A', 0, 0, 0,           /* 12: "A" */
            3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 'B', 0, 'C', 0, 0, 0,   /* 28: "BC" */
            0xee, 0xee, 0x99, 0, 0, 0,                                   /* 48: status */
        };
        two_str st = { 0, FALSE, FALSE };
        recs_reset();
        calls_at_flat_end = -1;
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_two_strings, &st);
        CHECK_INT(calls_at_flat_end, 0);
        CHECK_U64(st.x, 0x11223344);
        CHECK(st.pa && st.pb);
        CHECK_INT(off, 46);
        CHECK_INT(n_recs, 2);
        CHECK_STR(recs[0].tag, "s1");
        CHECK_INT(recs[0].offset, 12);
        CHECK_STR(recs[0].str, "A");
        CHECK_STR(recs[1].tag, "s2");
        CHECK_INT(recs[1].offset, 28);
        CHECK_STR(recs[1].str, "BC");
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x99);
        CHECK_INT(off, 52);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, 0);
        CHECK_INT(ndr.n_deferred, 0);
        finish(&ndr, tvb);
    }
    {   /* the same in NDR64: flat part 24 bytes, strings at 24 and 56 */
        two_str st = { 0, FALSE, FALSE };
        w_init(&w, TRUE, FALSE);
        w_3264(&w, 0x20000);
        w_u32(&w, 0x11223344);
        w_3264(&w, 0x20004);            /* at 16 */
        w_wstr(&w, "A", TRUE);          /* at 24 .. 52 */
        w_align(&w, 8);
        w_wstr(&w, "BC", TRUE);         /* at 56 .. 86 */
        w_u32(&w, 0x99);                /* at 88 */
        CHECK_INT(w.len, 92);
        recs_reset();
        calls_at_flat_end = -1;
        tvb = start(&ndr, w.d, w.len, DREP_LE, TRUE);
        off = ndr_toplevel(&ndr, NULL, 0, st_two_strings, &st);
        CHECK_INT(calls_at_flat_end, 0);
        CHECK_U64(st.x, 0x11223344);
        CHECK_INT(off, 86);
        CHECK_INT(n_recs, 2);
        CHECK_INT(recs[0].offset, 24);
        CHECK_STR(recs[0].str, "A");
        CHECK_INT(recs[1].offset, 52);      /* given 52, aligns to 56 itself */
        CHECK_STR(recs[1].str, "BC");
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x99);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
        g_free(w.d);
    }
    {   /* first string pointer NULL: only the second referent follows */
        static const guint8 b[] = {
            0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11, 0x04, 0x00, 0x02, 0x00,
            3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 'B', 0, 'C', 0, 0, 0,
        };
        two_str st = { 0, TRUE, FALSE };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_two_strings, &st);
        CHECK(!st.pa && st.pb);
        CHECK_INT(off, 30);
        CHECK_INT(n_recs, 1);
        CHECK_STR(recs[0].tag, "s2");
        CHECK_INT(recs[0].offset, 12);
        CHECK_STR(recs[0].str, "BC");
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* array of 3 structures with 2 pointers each (one NULL) */
        static const guint8 b[] = {
            3, 0, 0, 0,                             /* 0: count */
            0x00, 0, 2, 0, 0x04, 0, 2, 0,           /* 4: e0 a, b */
            0x08, 0, 2, 0, 0x00, 0, 0, 0,           /* 12: e1 a, b = NULL */
            0x0c, 0, 2, 0, 0x10, 0, 2, 0,           /* 20: e2 a, b */
            100, 0, 0, 0, 101, 0, 0, 0,             /* 28: *e0.a, *e0.b */
            110, 0, 0, 0,                           /* 36: *e1.a */
            120, 0, 0, 0, 121, 0, 0, 0,             /* 40: *e2.a, *e2.b */
        };
        guint32 count = 0;
        recs_reset();
        calls_at_flat_end = -1;
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_pair_array, &count);
        CHECK_INT(count, 3);
        CHECK_INT(calls_at_flat_end, 0);
        CHECK_INT(off, 48);
        CHECK_INT(n_calls, 5);
        CHECK_REC(0, "0a", 28, 100);
        CHECK_REC(1, "0b", 32, 101);
        CHECK_REC(2, "1a", 36, 110);
        CHECK_REC(3, "2a", 40, 120);
        CHECK_REC(4, "2b", 44, 121);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* the same array in NDR64 */
        guint32 count = 0;
        w_init(&w, TRUE, FALSE);
        w_3264(&w, 3);
        w_3264(&w, 0x20000); w_3264(&w, 0x20004);
        w_3264(&w, 0x20008); w_3264(&w, 0);
        w_3264(&w, 0x2000c); w_3264(&w, 0x20010);     /* flat part ends at 56 */
        w_u32(&w, 100); w_u32(&w, 101); w_u32(&w, 110); w_u32(&w, 120); w_u32(&w, 121);
        recs_reset();
        calls_at_flat_end = -1;
        tvb = start(&ndr, w.d, w.len, DREP_LE, TRUE);
        off = ndr_toplevel(&ndr, NULL, 0, st_pair_array, &count);
        CHECK_INT(count, 3);
        CHECK_INT(calls_at_flat_end, 0);
        CHECK_INT(off, 76);
        CHECK_INT(n_calls, 5);
        CHECK_REC(0, "0a", 56, 100);
        CHECK_REC(1, "0b", 60, 101);
        CHECK_REC(2, "1a", 64, 110);
        CHECK_REC(3, "2a", 68, 120);
        CHECK_REC(4, "2b", 72, 121);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
        g_free(w.d);
    }
    {   /* nested referents, depth first: T, U, *e, *d, then *b */
        static const guint8 b[] = {
            0x00, 0, 2, 0, 0x04, 0, 2, 0,           /* 0: S { a, b } */
            1, 0, 0, 0, 0x08, 0, 2, 0, 0x0c, 0, 2, 0, /* 8: T { v, c, d } */
            2, 0, 0, 0, 0x10, 0, 2, 0,              /* 20: U { w, e } */
            3, 0, 0, 0,                             /* 28: *e */
            4, 0, 0, 0,                             /* 32: *d */
            5, 0, 0, 0,                             /* 36: *b */
            0x77, 0, 0, 0,                          /* 40: next parameter */
        };
        recs_reset();
        calls_at_flat_end = -1;
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_S, NULL);
        CHECK_INT(calls_at_flat_end, 0);
        CHECK_INT(off, 40);
        CHECK_INT(n_calls, 5);
        CHECK_REC(0, "T", 8, 1);
        CHECK_REC(1, "U", 20, 2);
        CHECK_REC(2, "E", 28, 3);
        CHECK_REC(3, "D", 32, 4);
        CHECK_REC(4, "B", 36, 5);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x77);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_INT(ndr.n_deferred, 0);
        CHECK_INT(ndr.flush_base, 0);
        finish(&ndr, tvb);
    }
    {   /* the same nesting in NDR64 */
        w_init(&w, TRUE, FALSE);
        w_3264(&w, 0x20000); w_3264(&w, 0x20004);                   /* 0: S */
        w_u32(&w, 1); w_3264(&w, 0x20008); w_3264(&w, 0x2000c);     /* 16: T (v, pad, c, d) */
        w_u32(&w, 2); w_3264(&w, 0x20010);                          /* 40: U (w, pad, e) */
        w_u32(&w, 3);                                               /* 56: *e */
        w_u32(&w, 4);                                               /* 60: *d */
        w_u32(&w, 5);                                               /* 64: *b */
        CHECK_INT(w.len, 68);
        recs_reset();
        tvb = start(&ndr, w.d, w.len, DREP_LE, TRUE);
        off = ndr_toplevel(&ndr, NULL, 0, st_S, NULL);
        CHECK_INT(off, 68);
        CHECK_INT(n_calls, 5);
        CHECK_REC(0, "T", 16, 1);
        CHECK_REC(1, "U", 40, 2);
        CHECK_REC(2, "E", 56, 3);
        CHECK_REC(3, "D", 60, 4);
        CHECK_REC(4, "B", 64, 5);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
        g_free(w.d);
    }
    {   /* a top-level pointer flushes its referent's embedded referents
         * before the next parameter */
        static const guint8 b[] = {
            0x00, 0, 2, 0,              /* 0: top-level unique id */
            0x55, 0, 0, 0, 0x04, 0, 2, 0, /* 4: V { v, x } */
            0x66, 0, 0, 0,              /* 12: *x */
            0x77, 0, 0, 0,              /* 16: next parameter */
        };
        gboolean present = FALSE;
        recs_reset();
        calls_at_flat_end = -1;
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "v", st_V, NULL, &present);
        CHECK(present);
        CHECK_INT(calls_at_flat_end, 1);        /* only V itself so far */
        CHECK_INT(off, 16);
        CHECK_INT(n_calls, 2);
        CHECK_REC(0, "V", 4, 0x55);
        CHECK_REC(1, "X", 12, 0x66);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x77);
        CHECK_INT(ndr.n_deferred, 0);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* full pointers: a repeated id is not read twice */
        static const guint8 b[] = {
            0x00, 0, 2, 0, 0x00, 0, 2, 0, 0x04, 0, 2, 0,  /* p0, p1 (= p0), p2 */
            11, 0, 0, 0,                                  /* 12: *p0 */
            22, 0, 0, 0,                                  /* 16: *p2 */
            0x33, 0, 0, 0,                                /* 20: next parameter */
        };
        three_ptr t = { NDR_PTR_FULL, { FALSE, TRUE, FALSE } };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_three, &t);
        CHECK(t.present[0] && !t.present[1] && t.present[2]);
        CHECK_INT(off, 20);
        CHECK_INT(n_calls, 2);
        CHECK_REC(0, "P0", 12, 11);
        CHECK_REC(1, "P2", 16, 22);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x33);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* [unique] pointers with equal ids are not aliased: three referents */
        static const guint8 b[] = {
            0x00, 0, 2, 0, 0x00, 0, 2, 0, 0x04, 0, 2, 0,
            11, 0, 0, 0, 12, 0, 0, 0, 22, 0, 0, 0,
        };
        three_ptr t = { NDR_PTR_UNIQUE, { FALSE, FALSE, FALSE } };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_three, &t);
        CHECK(t.present[0] && t.present[1] && t.present[2]);
        CHECK_INT(off, 24);
        CHECK_INT(n_calls, 3);
        CHECK_REC(0, "P0", 12, 11);
        CHECK_REC(1, "P1", 16, 12);
        CHECK_REC(2, "P2", 20, 22);
        finish(&ndr, tvb);
    }
    {   /* top-level full pointers: the second one repeats the first id */
        static const guint8 b[] = { 0x00, 0, 2, 0, 5, 0, 0, 0, 0x00, 0, 2, 0, 9, 0, 0, 0 };
        gboolean present = FALSE;
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_FULL, "f1", rf_u32, "F1", &present);
        CHECK(present);
        CHECK_INT(off, 8);
        off = ndr_toplevel_pointer(&ndr, NULL, off, NDR_PTR_FULL, "f2", rf_u32, "F2", &present);
        CHECK(!present);
        CHECK_INT(off, 12);
        CHECK_INT(n_calls, 1);
        CHECK_REC(0, "F1", 4, 5);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 9);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    recs_reset();
}

/* ------------------------------------------------------------------------ */
/* 7. Arrays                                                                 */

static int
el_u32(ndr_t *ndr, proto_tree *tree, int offset, guint32 index, void *arg _U_)
{
    static const char *const tags[] = { "e0", "e1", "e2", "e3", "e4", "e5" };
    rec_t *r = rec_add(tags[index % 6], offset);
    guint32 v = 0;

    offset = ndr_u32(ndr, tree, offset, -1, &v);
    r->value = v;
    return offset;
}

static int
el_empty(ndr_t *ndr _U_, proto_tree *tree _U_, int offset, guint32 index _U_, void *arg _U_)
{
    n_calls++;
    return offset;
}

static void
test_arrays(void)
{
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    guint32 count, v32;

    {   /* conformant DWORD array, NDR, at an unaligned offset */
        static const guint8 b[] = { 0xee, 0xee, 0xee, 0xee, 3, 0, 0, 0,
                                    10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 0x44, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        count = 99;
        off = ndr_conformant_array(&ndr, NULL, 2, 4, el_u32, NULL, &count);
        CHECK_INT(count, 3);
        CHECK_INT(off, 20);
        CHECK_INT(n_calls, 3);
        CHECK_REC(0, "e0", 8, 10);
        CHECK_REC(1, "e1", 12, 20);
        CHECK_REC(2, "e2", 16, 30);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_U64(v32, 0x44);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* NDR64: 8-byte count */
        static const guint8 b[] = { 2, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        off = ndr_conformant_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(count, 2);
        CHECK_INT(off, 16);
        CHECK_REC(0, "e0", 8, 10);
        CHECK_REC(1, "e1", 12, 20);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* count 0 */
        static const guint8 b[] = { 0, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        count = 99;
        off = ndr_conformant_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(count, 0);
        CHECK_INT(off, 4);
        CHECK_INT(n_calls, 0);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* big-endian count and elements */
        static const guint8 b[] = { 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 7 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_BE, FALSE);
        off = ndr_conformant_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(count, 2);
        CHECK_INT(off, 12);
        CHECK_REC(0, "e0", 4, 256);
        CHECK_REC(1, "e1", 8, 7);
        finish(&ndr, tvb);
    }
    {   /* count that does not fit: 4 DWORDs announced, 3 present */
        static const guint8 b[] = { 4, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        count = 99;
        off = ndr_conformant_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        CHECK_INT(ndr.error_offset, 0);
        CHECK_INT(count, 0);
        CHECK_INT(n_calls, 0);
        CHECK_INT(off, 4);
        finish(&ndr, tvb);
    }
    {   /* 0xffffffff (NDR) and 2^32 (NDR64) elements */
        static const guint8 b32[] = { 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0 };
        static const guint8 b64[] = { 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b32, sizeof b32, DREP_LE, FALSE);
        ndr_conformant_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        CHECK_INT(n_calls, 0);
        finish(&ndr, tvb);
        tvb = start(&ndr, b64, sizeof b64, DREP_LE, TRUE);
        ndr_conformant_array(&ndr, NULL, 0, 1, el_u32, NULL, &count);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        CHECK_INT(count, 0);
        CHECK_INT(n_calls, 0);
        finish(&ndr, tvb);
        /* min_element_size 0 does not make 2^32 acceptable either */
        tvb = start(&ndr, b64, sizeof b64, DREP_LE, TRUE);
        ndr_conformant_array(&ndr, NULL, 0, 0, el_empty, NULL, &count);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        CHECK_INT(n_calls, 0);
        finish(&ndr, tvb);
    }
    {   /* the count fits with min size 1 but an element runs out: stops there */
        static const guint8 b[] = { 4, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        ndr_conformant_array(&ndr, NULL, 0, 1, el_u32, NULL, &count);
        CHECK_INT(count, 4);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 12);
        CHECK_INT(n_calls, 3);
        finish(&ndr, tvb);
    }
    {   /* elements that consume nothing do not loop count times */
        static const guint8 b[] = { 0xe8, 0x03, 0, 0 };     /* 1000 */
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_conformant_array(&ndr, NULL, 0, 0, el_empty, NULL, &count);
        CHECK_INT(off, 4);
        CHECK(n_calls <= 1);
        finish(&ndr, tvb);
    }
    {   /* conformant varying: max 5, offset 0, actual 2 */
        static const guint8 b[] = { 5, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        count = 99;
        off = ndr_conformant_varying_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(count, 2);
        CHECK_INT(off, 20);
        CHECK_INT(n_calls, 2);
        CHECK_REC(0, "e0", 12, 10);
        CHECK_REC(1, "e1", 16, 20);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, 0);
        finish(&ndr, tvb);
    }
    {   /* conformant varying, NDR64, actual > max and offset != 0: warnings */
        wbuf w;
        w_init(&w, TRUE, FALSE);
        w_3264(&w, 1);
        w_3264(&w, 3);
        w_3264(&w, 2);
        w_u32(&w, 10);
        w_u32(&w, 20);
        recs_reset();
        tvb = start(&ndr, w.d, w.len, DREP_LE, TRUE);
        off = ndr_conformant_varying_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(count, 2);
        CHECK_INT(off, 32);
        CHECK_REC(0, "e0", 24, 10);
        CHECK_REC(1, "e1", 28, 20);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, WARN_BIT(NDR_WARN_ACTUAL_GT_MAX) | WARN_BIT(NDR_WARN_NONZERO_OFFSET));
        finish(&ndr, tvb);
        g_free(w.d);
    }
    {   /* conformant varying, actual too large */
        static const guint8 b[] = { 5, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        count = 99;
        ndr_conformant_varying_array(&ndr, NULL, 0, 4, el_u32, NULL, &count);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        CHECK_INT(ndr.error_offset, 0);
        CHECK_INT(count, 0);
        CHECK_INT(n_calls, 0);
        finish(&ndr, tvb);
    }
    {   /* conformant bytes */
        static const guint8 b[] = { 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0xee, 0xee, 0xee,
                                    0x2a, 0, 0, 0 };
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        count = 99;
        off = ndr_conformant_bytes(&ndr, NULL, 0, -1, &count);
        CHECK_INT(count, 5);
        CHECK_INT(off, 9);
        off = ndr_u32(&ndr, NULL, off, -1, &v32);
        CHECK_INT(off, 16);
        CHECK_U64(v32, 0x2a);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);

        /* 0x2a bytes announced, none present */
        tvb = start(&ndr, b + 12, 4, DREP_LE, FALSE);
        ndr_conformant_bytes(&ndr, NULL, 0, -1, &count);
        CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
        finish(&ndr, tvb);
        /* count 0 */
        {
            static const guint8 z[] = { 0, 0, 0, 0 };
            tvb = start(&ndr, z, sizeof z, DREP_LE, FALSE);
            count = 99;
            off = ndr_conformant_bytes(&ndr, NULL, 0, -1, &count);
            CHECK_INT(off, 4);
            CHECK_INT(count, 0);
            CHECK_INT(ndr.error, NDR_OK);
            finish(&ndr, tvb);
        }

        /* 6 announced, 5 present */
        {
            static const guint8 c[] = { 6, 0, 0, 0, 'h', 'e', 'l', 'l', 'o' };
            tvb = start(&ndr, c, sizeof c, DREP_LE, FALSE);
            count = 99;
            off = ndr_conformant_bytes(&ndr, NULL, 0, -1, &count);
            CHECK_INT(ndr.error, NDR_ERR_COUNT_TOO_LARGE);
            CHECK_INT(ndr.error_offset, 0);
            CHECK_INT(count, 0);
            CHECK_INT(off, 4);
            finish(&ndr, tvb);
        }
        /* NDR64 count */
        {
            static const guint8 c[] = { 3, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c' };
            tvb = start(&ndr, c, sizeof c, DREP_LE, TRUE);
            off = ndr_conformant_bytes(&ndr, NULL, 0, -1, &count);
            CHECK_INT(count, 3);
            CHECK_INT(off, 11);
            CHECK_INT(ndr.error, NDR_OK);
            finish(&ndr, tvb);
        }
    }
    recs_reset();
}

/* ------------------------------------------------------------------------ */
/* 8. Unions                                                                 */

static int
arm_u32(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    return rf_u32(ndr, tree, offset, "u32");
}

static int
arm_u64(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    rec_t *r = rec_add("u64", offset);
    guint64 v = 0;

    offset = ndr_u64(ndr, tree, offset, -1, &v);
    r->value = (guint32)v;
    return offset;
}

static int
arm_default(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    return rf_u32(ndr, tree, offset, "default");
}

static void
test_unions(void)
{
    static const ndr_union_arm arms[] = {
        { 1, FALSE, arm_u32 },
        { 2, FALSE, arm_u64 },
        { 3, FALSE, NULL },
    };
    static const ndr_union_arm arms_def[] = {
        { 0, TRUE, arm_default },   /* default listed first: exact matches still win */
        { 1, FALSE, arm_u32 },
    };
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    guint32 disc;

    {   /* NDR: enum discriminant (2 bytes), arm 4-aligned */
        static const guint8 b[] = { 1, 0, 0xee, 0xee, 0x2a, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_union(&ndr, NULL, 0, NDR_DISC_ENUM, -1, 4, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 1);
        CHECK_INT(off, 8);
        CHECK_INT(n_calls, 1);
        CHECK_REC(0, "u32", 4, 0x2a);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* NDR: enum discriminant at offset 2, arm 8-aligned (hyper) */
        static const guint8 b[] = { 0xee, 0xee, 2, 0, 0xee, 0xee, 0xee, 0xee,
                                    0x2b, 0, 0, 0, 0, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_union(&ndr, NULL, 1, NDR_DISC_ENUM, -1, 8, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 2);
        CHECK_INT(off, 16);
        CHECK_REC(0, "u64", 8, 0x2b);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* NDR, big endian discriminant */
        static const guint8 b[] = { 0, 1, 0xee, 0xee, 0, 0, 0, 0x2a };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_BE, FALSE);
        off = ndr_union(&ndr, NULL, 0, NDR_DISC_ENUM, -1, 4, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 1);
        CHECK_INT(off, 8);
        CHECK_REC(0, "u32", 4, 0x2a);
        finish(&ndr, tvb);
    }
    {   /* NDR: u32 discriminant */
        static const guint8 b[] = { 1, 0, 0, 0, 0x2a, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_union(&ndr, NULL, 0, NDR_DISC_U32, -1, 4, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 1);
        CHECK_INT(off, 8);
        CHECK_REC(0, "u32", 4, 0x2a);
        finish(&ndr, tvb);
    }
    {   /* NDR64: enum discriminant is 4 bytes; arm_align 8 aligns the union to 8 */
        static const guint8 b[] = { 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
                                    2, 0, 0, 0, 0xee, 0xee, 0xee, 0xee,
                                    0x2c, 0, 0, 0, 0, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        off = ndr_union(&ndr, NULL, 4, NDR_DISC_ENUM, -1, 8, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 2);
        CHECK_INT(off, 24);
        CHECK_REC(0, "u64", 16, 0x2c);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* NDR64: arm_align 4 -> the union stays at 4 */
        static const guint8 b[] = { 0xee, 0xee, 0xee, 0xee, 1, 0, 0, 0, 0x2d, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        off = ndr_union(&ndr, NULL, 2, NDR_DISC_ENUM, -1, 4, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 1);
        CHECK_INT(off, 12);
        CHECK_REC(0, "u32", 8, 0x2d);
        finish(&ndr, tvb);
    }
    {   /* NDR64: a u16 discriminant stays 2 bytes */
        static const guint8 b[] = { 1, 0, 0xee, 0xee, 0x2e, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, TRUE);
        off = ndr_union(&ndr, NULL, 0, NDR_DISC_U16, -1, 4, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 1);
        CHECK_INT(off, 8);
        CHECK_REC(0, "u32", 4, 0x2e);
        finish(&ndr, tvb);
    }
    {   /* empty arm */
        static const guint8 b[] = { 3, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_union(&ndr, NULL, 0, NDR_DISC_ENUM, -1, 2, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(disc, 3);
        CHECK_INT(off, 2);
        CHECK_INT(n_calls, 0);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    {   /* unknown discriminant, no default */
        static const guint8 b[] = { 0xee, 0xee, 7, 0, 0x2a, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        ndr_union(&ndr, NULL, 1, NDR_DISC_ENUM, -1, 4, arms, G_N_ELEMENTS(arms), NULL, &disc);
        CHECK_INT(ndr.error, NDR_ERR_BAD_DISCRIMINANT);
        CHECK_INT(ndr.error_offset, 2);
        CHECK_INT(n_calls, 0);
        finish(&ndr, tvb);
    }
    {   /* unknown discriminant, default arm; known one still picks its arm */
        static const guint8 b[] = { 7, 0, 0xee, 0xee, 0x2a, 0, 0, 0, 1, 0, 0xee, 0xee, 0x2b, 0, 0, 0 };
        recs_reset();
        tvb = start(&ndr, b, sizeof b, DREP_LE, FALSE);
        off = ndr_union(&ndr, NULL, 0, NDR_DISC_ENUM, -1, 4, arms_def, G_N_ELEMENTS(arms_def), NULL,
                        &disc);
        CHECK_INT(disc, 7);
        CHECK_INT(off, 8);
        off = ndr_union(&ndr, NULL, off, NDR_DISC_ENUM, -1, 4, arms_def, G_N_ELEMENTS(arms_def), NULL,
                        &disc);
        CHECK_INT(disc, 1);
        CHECK_INT(off, 16);
        CHECK_INT(n_calls, 2);
        CHECK_REC(0, "default", 4, 0x2a);
        CHECK_REC(1, "u32", 12, 0x2b);
        CHECK_INT(ndr.error, NDR_OK);
        finish(&ndr, tvb);
    }
    recs_reset();
}

/* ------------------------------------------------------------------------ */
/* 9. Pointer budget                                                         */

static int
el_ptr(ndr_t *ndr, proto_tree *tree, int offset, guint32 index _U_, void *arg _U_)
{
    return ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "p", rf_u32, "p", NULL);
}

static int
st_ptr_array(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    return ndr_conformant_array(ndr, tree, offset, (guint)ndr_ptr_size(ndr), el_ptr, NULL,
                                (guint32 *)arg);
}

/* count, count ids, count DWORDs (values 1..count) */
static void
build_ptr_array(wbuf *w, guint32 n)
{
    guint32 i;

    w_init(w, FALSE, FALSE);
    w_3264(w, n);
    for (i = 0; i < n; i++)
        w_3264(w, 0x20000 + 4 * i);
    for (i = 0; i < n; i++)
        w_u32(w, i + 1);
}

/* A linked list: struct node { DWORD v; struct node *next; } */
static guint32 chain_last;
static gboolean chain_in_order;

static int
st_node(ndr_t *ndr, proto_tree *tree, int offset, void *arg _U_)
{
    guint32 v = 0;

    offset = ndr_align(offset, ndr_ptr_align(ndr));
    offset = ndr_u32(ndr, tree, offset, -1, &v);
    n_calls++;
    recs_sum += v;
    if (v != chain_last + 1)
        chain_in_order = FALSE;
    chain_last = v;
    return ndr_embedded_pointer(ndr, tree, offset, NDR_PTR_UNIQUE, "next", st_node, NULL, NULL);
}

/* top-level unique id, then n nodes each followed at once by its successor */
static void
build_chain(wbuf *w, guint32 n)
{
    guint32 i;

    w_init(w, FALSE, FALSE);
    w_3264(w, 0x20000);
    for (i = 1; i <= n; i++) {
        w_u32(w, i);
        w_3264(w, i < n ? 0x20000 + 4 * i : 0);
    }
}

static void
test_pointer_budget(void)
{
    ndr_t ndr;
    tvbuff_t *tvb;
    int off;
    guint32 count;
    wbuf w;

    {   /* exactly NDR_MAX_DEFERRED pending referents is fine */
        guint32 n = NDR_MAX_DEFERRED;
        build_ptr_array(&w, n);
        recs_reset();
        tvb = start(&ndr, w.d, w.len, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_ptr_array, &count);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_INT(count, n);
        CHECK_INT(off, 4 + 8 * (int)n);
        CHECK_INT(n_calls, (int)n);
        CHECK_U64(recs_sum, (guint64)n * (n + 1) / 2);
        CHECK_REC(0, "p", 4 + 4 * (int)n, 1);
        CHECK_INT(ndr.n_deferred, 0);
        finish(&ndr, tvb);
        g_free(w.d);
    }
    {   /* one more, and far more: POINTER_LIMIT, nothing dissected */
        static const guint32 ns[] = { NDR_MAX_DEFERRED + 1, 3 * NDR_MAX_DEFERRED };
        guint k;
        for (k = 0; k < G_N_ELEMENTS(ns); k++) {
            int id_at = 4 + 4 * NDR_MAX_DEFERRED;   /* id of the first pointer over budget */
            build_ptr_array(&w, ns[k]);
            recs_reset();
            tvb = start(&ndr, w.d, w.len, DREP_LE, FALSE);
            off = ndr_toplevel(&ndr, NULL, 0, st_ptr_array, &count);
            CHECK_INT(ndr.error, NDR_ERR_POINTER_LIMIT);
            CHECK(ndr.error_offset >= id_at && ndr.error_offset <= id_at + 4);
            CHECK_INT(n_calls, 0);
            CHECK(ndr.cap_deferred <= NDR_MAX_DEFERRED);
            CHECK_INT(ndr.n_deferred, 0);
            finish(&ndr, tvb);
            g_free(w.d);
        }
    }
    {   /* the budget is per pending batch: two parameters of 3000 each are fine */
        guint32 n = 3000, count2 = 0;
        wbuf two;
        guint32 i;
        w_init(&two, FALSE, FALSE);
        build_ptr_array(&w, n);
        for (i = 0; i < (guint32)w.len; i++)
            w_byte(&two, w.d[i]);
        for (i = 0; i < (guint32)w.len; i++)
            w_byte(&two, w.d[i]);
        recs_reset();
        tvb = start(&ndr, two.d, two.len, DREP_LE, FALSE);
        off = ndr_toplevel(&ndr, NULL, 0, st_ptr_array, &count);
        off = ndr_toplevel(&ndr, NULL, off, st_ptr_array, &count2);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_INT(count, n);
        CHECK_INT(count2, n);
        CHECK_INT(off, 2 * (4 + 8 * (int)n));
        CHECK_INT(n_calls, 2 * (int)n);
        CHECK_U64(recs_sum, (guint64)n * (n + 1));
        finish(&ndr, tvb);
        g_free(w.d);
        g_free(two.d);
    }
    {   /* a chain of n nodes keeps n - 1 referents pending at its deepest:
         * NDR_MAX_DEFERRED + 1 nodes are fine, more hit the limit */
        static const guint32 ns[] = { NDR_MAX_DEFERRED + 1, NDR_MAX_DEFERRED + 2, 4 * NDR_MAX_DEFERRED };
        guint k;
        for (k = 0; k < G_N_ELEMENTS(ns); k++) {
            guint32 n = ns[k];
            gboolean present = FALSE;
            build_chain(&w, n);
            recs_reset();
            chain_last = 0;
            chain_in_order = TRUE;
            tvb = start(&ndr, w.d, w.len, DREP_LE, FALSE);
            off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "list", st_node, NULL, &present);
            CHECK(present);
            CHECK(chain_in_order);
            CHECK(ndr.cap_deferred <= NDR_MAX_DEFERRED);
            CHECK_INT(ndr.n_deferred, 0);
            CHECK_INT(ndr.flush_base, 0);
            if (k == 0) {
                CHECK_INT(ndr.error, NDR_OK);
                CHECK_INT(off, 4 + 8 * (int)n);
                CHECK_INT(n_calls, (int)n);
                CHECK_U64(recs_sum, (guint64)n * (n + 1) / 2);
            } else {
                CHECK_INT(ndr.error, NDR_ERR_POINTER_LIMIT);
                CHECK_INT(n_calls, NDR_MAX_DEFERRED + 1);
            }
            finish(&ndr, tvb);
            g_free(w.d);
        }
    }
    recs_reset();
}

/* ------------------------------------------------------------------------ */
/* 10. DHCP_FAILOVER_STATISTICS response (§6.6, §6.7)                        */

static const guint8 resp_ndr[36] = {
    0x00, 0x00, 0x02, 0x00,
    0xc8, 0x00, 0x00, 0x00, 0x96, 0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x00,
    0x4b, 0x00, 0x00, 0x00, 0x4b, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
    0x1e, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};
static const guint8 resp_ndr64[40] = {
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xc8, 0x00, 0x00, 0x00, 0x96, 0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x00,
    0x4b, 0x00, 0x00, 0x00, 0x4b, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
    0x1e, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};
static const guint8 resp_err_ndr[8] = { 0, 0, 0, 0, 2, 0, 0, 0 };
static const guint8 resp_err_ndr64[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0 };

typedef struct {
    int offset;
    guint32 c[7];
} stats_t;

static int
rf_stats(ndr_t *ndr, proto_tree *tree, int offset, void *arg)
{
    stats_t *s = (stats_t *)arg;
    int i;

    s->offset = offset;
    for (i = 0; i < 7; i++)
        offset = ndr_u32(ndr, tree, offset, -1, &s->c[i]);
    return offset;
}

static void
test_failover_stats(void)
{
    static const guint32 want[7] = { 200, 150, 50, 75, 75, 20, 30 };
    struct { const guint8 *b; guint len; gboolean ndr64; int stats_at; guint32 status; gboolean ok; } ex[] = {
        { resp_ndr, sizeof resp_ndr, FALSE, 4, 0, TRUE },
        { resp_ndr64, sizeof resp_ndr64, TRUE, 8, 0, TRUE },
        { resp_err_ndr, sizeof resp_err_ndr, FALSE, -1, 2, FALSE },
        { resp_err_ndr64, sizeof resp_err_ndr64, TRUE, -1, 2, FALSE },
    };
    guint k;
    int i;

    for (k = 0; k < G_N_ELEMENTS(ex); k++) {
        ndr_t ndr;
        tvbuff_t *tvb = start(&ndr, ex[k].b, ex[k].len, DREP_LE, ex[k].ndr64);
        stats_t st;
        gboolean present = !ex[k].ok;
        guint32 status = 0xdeadbeef;
        int off;

        memset(&st, 0, sizeof st);
        st.offset = -1;
        off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "pStats", rf_stats, &st, &present);
        CHECK(present == ex[k].ok);
        CHECK_INT(st.offset, ex[k].stats_at);
        for (i = 0; i < 7; i++)
            CHECK_U64(st.c[i], ex[k].ok ? want[i] : 0);
        off = ndr_u32(&ndr, NULL, off, -1, &status);
        CHECK_U64(status, ex[k].status);
        CHECK_INT(off, (int)ex[k].len);
        CHECK_INT(ndr.error, NDR_OK);
        CHECK_U64(ndr.warnings, 0);
        finish(&ndr, tvb);
    }

    {   /* the NDR response cut inside the counters */
        ndr_t ndr;
        tvbuff_t *tvb = start(&ndr, resp_ndr, 22, DREP_LE, FALSE);
        stats_t st;
        guint32 status = 0xdeadbeef;
        int off;

        memset(&st, 0, sizeof st);
        off = ndr_toplevel_pointer(&ndr, NULL, 0, NDR_PTR_UNIQUE, "pStats", rf_stats, &st, NULL);
        off = ndr_u32(&ndr, NULL, off, -1, &status);
        CHECK_INT(ndr.error, NDR_ERR_TRUNCATED);
        CHECK_INT(ndr.error_offset, 20);
        CHECK_U64(st.c[3], 75);
        CHECK_U64(st.c[4], 0);
        CHECK_U64(status, 0);
        finish(&ndr, tvb);
    }
}

/* ------------------------------------------------------------------------ */

int
main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* keep the output of a crashing run */
    wmem_init();

    run_group("1 alignment", test_alignment);
    run_group("2 byte order", test_byte_order);
    run_group("2b u32 run", test_u32_run);
    run_group("3 truncation", test_truncation);
    run_group("4 pointers", test_pointers);
    run_group("5 strings", test_strings);
    run_group("6 deferral", test_deferral);
    run_group("7 arrays", test_arrays);
    run_group("8 unions", test_unions);
    run_group("9 pointer budget", test_pointer_budget);
    run_group("10 failover statistics", test_failover_stats);

    recs_reset();
    wmem_cleanup();
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed > 0 ? 1 : 0;
}
