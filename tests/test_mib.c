/* test_mib.c
 * The MIB tap feed (plugin/semantics/dhcpm-mib.c) on the tables generated from the
 * full description: R_DhcpGetMibInfoV5's [out] LPDHCP_MIB_INFO_V5 *MibInfo
 * decoded by the table-driven decoder with the MIB hooks bound, then the
 * tap record's mib_present / n_mib_scopes / mib_scopes checked.  A
 * truncated answer and a NULL MibInfo must feed nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tvbuff.h>

#include <stdio.h>
#include <string.h>

#include "dhcpm-decode.h"
#include "idl/dhcpm-types.h"

static int n_passed, n_failed;

#define CHECK_INT(got, want) do {                                                   \
        long long got_ = (long long)(got), want_ = (long long)(want);              \
        if (got_ == want_) n_passed++;                                              \
        else { n_failed++; printf("%s:%d: FAIL: %s == %s (got %lld, want %lld)\n",  \
                                  __FILE__, __LINE__, #got, #want, got_, want_); }  \
    } while (0)

typedef struct { guint8 b[1024]; int n; gboolean ndr64; } stub;
static void put(stub *s, guint64 v, int size)
{
    int i;
    while (s->n % size) s->b[s->n++] = 0;
    for (i = 0; i < size; i++) s->b[s->n + i] = (guint8)(v >> (8 * i));
    s->n += size;
}
static void u32(stub *s, guint32 v) { put(s, v, 4); }
static void u3264(stub *s, guint64 v) { put(s, v, s->ndr64 ? 8 : 4); }

static void
build(stub *s, guint n_scopes, gboolean null_info)
{
    guint i;

    u3264(s, null_info ? 0 : 0x20000);         /* MibInfo */
    if (null_info)
        return;
    for (i = 0; i < 7 + 2 + 9; i++)             /* counters, ServerStartTime, Qtn.., DelayedOffers.. */
        u32(s, i);
    u32(s, n_scopes);                           /* Scopes */
    u3264(s, 0x20004);                          /* ScopeInfo */
    u3264(s, n_scopes);
    for (i = 0; i < n_scopes; i++) {
        u32(s, 0xC0A80000 + (i << 8));          /* 192.168.i.0 */
        u32(s, 100 + i);                        /* in use */
        u32(s, 200 + i);                        /* free */
        u32(s, 3 + i);                          /* pending offers */
    }
}

static ndrt_type_hook hooks[DHCPM_TYPE_COUNT];
static int hf_none[DHCPM_FIELD_COUNT];
static gint ett_none[DHCPM_TYPE_COUNT];

static void
run(stub *s, dhcpsrv2_tap_record *rec)
{
    static const guint8 drep[4] = { 0x10, 0, 0, 0 };
    const ndrt_method *m = &dhcpm_methods_dhcpsrv2[DHCPSRV2_OPNUM_GET_MIB_INFO_V5];
    const ndrt_member *p = &dhcpm_members[m->first + 1];
    tvbuff_t *tvb = tvb_new_real_data(s->b, (guint)s->n, s->n);
    packet_info pinfo;
    dhcpm_mib_state mib;
    ndrt_ctx ctx = { &dhcpm_desc, hf_none, ett_none, hooks, &mib, 0, NULL, NULL, NULL, NULL, 0, NULL,
                     NULL };
    ndr_t ndr;

    memset(&pinfo, 0, sizeof pinfo);
    pinfo.pool = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    memset(rec, 0, sizeof *rec);
    dhcpm_mib_state_init(&mib, &pinfo);
    ndr_init(&ndr, tvb, &pinfo, NULL, drep, s->ndr64);
    ndrt_param(&ndr, &ctx, NULL, 0, p->type, p->field, p->name, NULL);
    dhcpm_mib_finish(&mib, &ndr, rec);
    /* copy what the checks read before the packet scope goes */
    if (rec->n_mib_scopes >= 2) {
        static dhcpsrv2_mib_scope copy[2];
        memcpy(copy, rec->mib_scopes, sizeof copy);
        rec->mib_scopes = copy;
    }
    wmem_destroy_allocator(pinfo.pool);
    tvb_free(tvb);
}

static void
syntax(gboolean ndr64)
{
    stub s = { .ndr64 = ndr64 };
    dhcpsrv2_tap_record rec;

    build(&s, 2, FALSE);
    run(&s, &rec);
    CHECK_INT(rec.mib_present, 1);
    CHECK_INT(rec.n_mib_scopes, 2);
    if (rec.n_mib_scopes == 2) {
        CHECK_INT(rec.mib_scopes[1].subnet, 0xC0A80100);
        CHECK_INT(rec.mib_scopes[1].num_addresses_in_use, 101);
        CHECK_INT(rec.mib_scopes[1].num_addresses_free, 201);
        CHECK_INT(rec.mib_scopes[1].num_pending_offers, 4);
    }
    /* truncated in the second scope: nothing fed */
    s.n -= 6;
    run(&s, &rec);
    CHECK_INT(rec.mib_present, 0);
    CHECK_INT(rec.n_mib_scopes, 0);
    /* NULL MibInfo */
    memset(&s, 0, sizeof s);
    s.ndr64 = ndr64;
    build(&s, 0, TRUE);
    run(&s, &rec);
    CHECK_INT(rec.mib_present, 0);
    /* no scope at all: present, zero scopes */
    memset(&s, 0, sizeof s);
    s.ndr64 = ndr64;
    build(&s, 0, FALSE);
    run(&s, &rec);
    CHECK_INT(rec.mib_present, 1);
    CHECK_INT(rec.n_mib_scopes, 0);
}

int
main(void)
{
    guint i;

    for (i = 0; i < DHCPM_FIELD_COUNT; i++)
        hf_none[i] = -1;
    dhcpm_mib_bind_hooks(hooks);
    syntax(FALSE);
    syntax(TRUE);
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed ? 1 : 0;
}
