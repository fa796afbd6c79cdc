/* test_failover_model.c -- C unit tests of the failover model
 * (plugin/stats/failover-model.c): synthetic tap records in, answers checked.
 * No tshark: the model is plain C + glib (ctest unit.failover_model).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <math.h>

#include <glib.h>
#include <epan/address.h>

#include "failover-model.h"

static int failed, passed;

#define CHECK(cond) check((cond), #cond, __LINE__)
#define CHECK_EQ(a, b) check_eq((long long)(a), (long long)(b), #a, __LINE__)

static void
check(int cond, const char *what, int line)
{
    if (cond) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "FAIL line %d: %s\n", line, what);
}

static void
check_eq(long long got, long long want, const char *what, int line)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "FAIL line %d: %s = %lld, expected %lld\n", line, what, got, want);
}

/* --- record builders ------------------------------------------------------ */

static guint8 ip_a[4] = { 10, 0, 0, 1 };
static guint8 ip_b[4] = { 10, 0, 0, 2 };
static guint8 ip_c[4] = { 10, 0, 0, 3 };
static guint32 next_frame;

static void
at(nstime_t *ts, double seconds)
{
    ts->secs = (time_t)(1700000000 + (gint64)floor(seconds));
    ts->nsecs = (int)((seconds - floor(seconds)) * 1e9 + 0.5);
}

/* An opnum-97 answer of `server` for `scope`: this/partner free and in use;
 * numAddr and the totals follow. */
static void
poll_rec(dhcpsrv2_tap_record *r, const guint8 *server, guint32 scope, guint32 this_free,
         guint32 partner_free, guint32 this_in_use, guint32 partner_in_use)
{
    memset(r, 0, sizeof(*r));
    r->interface_id = DHCPSRV2_IF_DHCPSRV2;
    r->opnum = DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_STATISTICS;
    r->rsp_frame = ++next_frame;
    set_address(&r->server, AT_IPv4, 4, server);
    r->status_valid = TRUE;
    r->scope_id_valid = TRUE;
    r->scope_id = scope;
    r->stats_present = TRUE;
    r->counters.this_addr_free = this_free;
    r->counters.partner_addr_free = partner_free;
    r->counters.this_addr_in_use = this_in_use;
    r->counters.partner_addr_in_use = partner_in_use;
    r->counters.addr_free = this_free + partner_free;
    r->counters.addr_in_use = this_in_use + partner_in_use;
    r->counters.num_addr = r->counters.addr_free + r->counters.addr_in_use;
}

static void
feed(fm_model *m, dhcpsrv2_tap_record *r, double t, fm_events *ev)
{
    nstime_t ts;

    at(&ts, t);
    fm_model_feed(m, r, &ts, ev);
}

/* A consistent poll of A's or B's view of one scope's pools. */
static void
feed_view(fm_model *m, const guint8 *server, guint32 scope, const guint32 pool[2],
          const guint32 used[2], double t, fm_events *ev)
{
    dhcpsrv2_tap_record r;
    int me = server == ip_b;

    poll_rec(&r, server, scope, pool[me] - used[me], pool[!me] - used[!me], used[me], used[!me]);
    feed(m, &r, t, ev);
}

static const fm_scope *
scope_of(const fm_model *m, guint32 scope)
{
    return (const fm_scope *)g_hash_table_lookup(m->scopes, GUINT_TO_POINTER(scope));
}

static const fm_entry *
entry_of(const fm_model *m, const guint8 *server, guint32 scope)
{
    address a;
    const fm_server *srv;

    set_address(&a, AT_IPv4, 4, server);
    srv = (const fm_server *)g_hash_table_lookup(m->servers, &a);
    return srv ? (const fm_entry *)g_hash_table_lookup(srv->entries, GUINT_TO_POINTER(scope))
               : NULL;
}

static void
counts(const fm_model *m, guint32 scope, fm_pair_counts *c)
{
    const fm_scope *sc = scope_of(m, scope);

    memset(c, 0, sizeof(*c));
    if (sc)
        fm_scope_pair_counts(sc, c);
}

/* --- pairing ---------------------------------------------------------------- */

/* Partners polled back to back, rounds 5 s apart, pools change between
 * rounds only: every comparison agrees.  (The old rule, "the partner's latest
 * answer within 30 s", compared A's poll of round n with B's of round n-1.) */
static void
test_back_to_back(void)
{
    fm_model *m = fm_model_new();
    guint32 pool[2] = { 100, 100 }, used[2] = { 40, 50 };
    fm_pair_counts c;
    int round;

    for (round = 0; round < 15; round++) {
        feed_view(m, ip_a, 1, pool, used, round * 5.0, NULL);
        feed_view(m, ip_b, 1, pool, used, round * 5.0 + 0.01, NULL);
        used[0] += 1;   /* leases between rounds */
        used[1] -= 1;
    }
    counts(m, 1, &c);
    CHECK_EQ(c.compared, 15);
    CHECK_EQ(c.agree, 15);
    CHECK_EQ(c.disagree, 0);
    CHECK_EQ(c.persistent, 0);
    /* the last comparison is the pending one: counted by the query */
    CHECK(scope_of(m, 1)->pending);
    CHECK_EQ(scope_of(m, 1)->done.compared, 14);
    fm_model_free(m);
}

/* B's view of A lags by 5 in every round: every comparison disagrees the
 * same way, so every one is persistent. */
static void
test_persistent_mismatch(void)
{
    fm_model *m = fm_model_new();
    guint32 pool[2] = { 100, 100 }, used[2] = { 40, 50 };
    fm_pair_counts c;
    dhcpsrv2_tap_record r;
    fm_events ev;
    int round;

    for (round = 0; round < 6; round++) {
        feed_view(m, ip_a, 7, pool, used, round * 5.0, NULL);
        poll_rec(&r, ip_b, 7, pool[1] - used[1], pool[0] - used[0] - 5, used[1], used[0] + 5);
        feed(m, &r, round * 5.0 + 0.01, &ev);
        CHECK(ev.compared);
        CHECK(ev.disagree);
        CHECK_EQ(ev.persistent, round >= 1);
        CHECK_EQ(ev.run, round + 1);
        used[0] += 1;
    }
    counts(m, 7, &c);
    CHECK_EQ(c.compared, 6);
    CHECK_EQ(c.disagree, 6);
    CHECK_EQ(c.persistent, 6);
    CHECK_EQ(c.max_dfree, 5);
    CHECK_EQ(c.max_dinuse, 5);
    CHECK_EQ(c.longest_run, 6);
    fm_model_free(m);
}

/* A transient difference is a disagreement but not persistent; a run needs
 * the same direction. */
static void
test_persistence_direction(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    fm_pair_counts c;
    /* B's partner_free vs A's this_free (50): -1, +1, +1, 0, +1 */
    int delta[5] = { -1, 1, 1, 0, 1 };
    int i;

    for (i = 0; i < 5; i++) {
        poll_rec(&r, ip_a, 3, 50, 50, 0, 0);
        feed(m, &r, i * 10.0, NULL);
        poll_rec(&r, ip_b, 3, 50, (guint32)(50 + delta[i]), 0, 0);
        feed(m, &r, i * 10.0 + 0.5, NULL);
    }
    counts(m, 3, &c);
    CHECK_EQ(c.compared, 5);
    CHECK_EQ(c.agree, 1);
    CHECK_EQ(c.disagree, 4);
    CHECK_EQ(c.persistent, 2);      /* the two +1 in a row */
    CHECK_EQ(c.longest_run, 2);
    fm_model_free(m);
}

/* Nearest in time, each poll at most once: A1 (0 s), B1 (4 s), A2 (5 s),
 * B2 (5.1 s): B1's nearest A poll is A2, A2's is B2: A1 and B1 are not
 * compared, A2 with B2 is. */
static void
test_nearest_once(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    fm_pair_counts c;
    guint32 a2_frame;

    poll_rec(&r, ip_a, 4, 10, 20, 0, 0);
    feed(m, &r, 0.0, NULL);
    poll_rec(&r, ip_b, 4, 20, 10, 0, 0);
    feed(m, &r, 4.0, NULL);
    poll_rec(&r, ip_a, 4, 11, 20, 0, 0);      /* differs from B1 */
    feed(m, &r, 5.0, NULL);
    a2_frame = r.rsp_frame;
    poll_rec(&r, ip_b, 4, 20, 11, 0, 0);
    feed(m, &r, 5.1, NULL);
    counts(m, 4, &c);
    CHECK_EQ(c.compared, 1);
    CHECK_EQ(c.agree, 1);
    CHECK_EQ(c.last_frames[0], a2_frame);
    CHECK_EQ(c.last_frames[1], r.rsp_frame);

    /* one B poll, two A polls around it: only the nearer one is compared */
    poll_rec(&r, ip_a, 5, 10, 20, 0, 0);
    feed(m, &r, 100.0, NULL);
    poll_rec(&r, ip_b, 5, 20, 10, 0, 0);
    feed(m, &r, 102.0, NULL);
    poll_rec(&r, ip_a, 5, 99, 20, 0, 0);      /* would disagree */
    feed(m, &r, 103.0, NULL);
    counts(m, 5, &c);
    CHECK_EQ(c.compared, 1);
    CHECK_EQ(c.agree, 0);           /* B (102) is nearer to A (103) than to A (100) */
    CHECK_EQ(c.disagree, 1);

    /* A (200), B (200.1), A (205): B is used once, with the first A */
    poll_rec(&r, ip_a, 15, 10, 20, 0, 0);
    feed(m, &r, 200.0, NULL);
    poll_rec(&r, ip_b, 15, 20, 10, 0, 0);
    feed(m, &r, 200.1, NULL);
    poll_rec(&r, ip_a, 15, 12, 20, 0, 0);
    feed(m, &r, 205.0, NULL);
    counts(m, 15, &c);
    CHECK_EQ(c.compared, 1);
    CHECK_EQ(c.agree, 1);
    fm_model_free(m);
}

/* Only within the window (30 s, inclusive). */
static void
test_window(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    fm_pair_counts c;

    poll_rec(&r, ip_a, 6, 10, 20, 0, 0);
    feed(m, &r, 0.0, NULL);
    poll_rec(&r, ip_b, 6, 20, 10, 0, 0);
    feed(m, &r, 30.5, NULL);
    counts(m, 6, &c);
    CHECK_EQ(c.compared, 0);
    poll_rec(&r, ip_a, 6, 10, 20, 0, 0);
    feed(m, &r, 60.5, NULL);                /* exactly 30 s after B */
    counts(m, 6, &c);
    CHECK_EQ(c.compared, 1);
    fm_model_free(m);
}

/* A third server: nothing of the scope is compared. */
static void
test_ambiguous(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    fm_pair_counts c;

    poll_rec(&r, ip_a, 8, 10, 20, 0, 0);
    feed(m, &r, 0.0, NULL);
    poll_rec(&r, ip_b, 8, 20, 10, 0, 0);
    feed(m, &r, 0.1, NULL);
    poll_rec(&r, ip_c, 8, 20, 10, 0, 0);
    feed(m, &r, 0.2, NULL);
    counts(m, 8, &c);
    CHECK_EQ(c.compared, 0);
    CHECK(scope_of(m, 8)->a == NULL);
    CHECK_EQ(scope_of(m, 8)->members->len, 3);
    fm_model_free(m);
}

/* --- trend and projection --------------------------------------------------- */

static void
test_trend(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    fm_trend t;
    char buf[32];
    int i;

    /* thisAddrFree 100, 90, 80, 70 one minute apart: -600/h, 70 left: 7 min;
     * the partner's free rises as much, so addrFree stays: never */
    for (i = 0; i < 4; i++) {
        poll_rec(&r, ip_a, 9, (guint32)(100 - 10 * i), (guint32)(10 * i), 0, 0);
        feed(m, &r, i * 60.0, NULL);
    }
    fm_entry_trend(entry_of(m, ip_a, 9), 0, &t);
    CHECK_EQ(t.n, 4);
    CHECK(fabs(t.per_hour + 600.0) < 1e-6);
    CHECK(t.falling);
    CHECK(fabs(t.seconds_to_zero - 420.0) < 1e-6);
    CHECK(fabs(t.r2 - 1.0) < 1e-9);
    CHECK(!t.steady);                   /* 4 polls, not a full window */
    fm_format_duration(buf, sizeof(buf), &t);
    CHECK(strcmp(buf, "(7 min)") == 0);
    fm_entry_trend(entry_of(m, ip_a, 9), 1, &t);
    CHECK(!t.falling);
    fm_format_duration(buf, sizeof(buf), &t);
    CHECK(strcmp(buf, "never") == 0);

    /* least squares over the last FM_TREND_POLLS only: a flat start is
     * forgotten once 12 falling polls have followed */
    for (i = 0; i < 16; i++) {
        guint32 v = i < 4 ? 200 : (guint32)(200 - 2 * (i - 3));
        poll_rec(&r, ip_b, 9, v, 0, 0, 0);
        feed(m, &r, i * 30.0, NULL);
    }
    fm_entry_trend(entry_of(m, ip_b, 9), 0, &t);
    CHECK_EQ(t.n, FM_TREND_POLLS);
    CHECK(fabs(t.per_hour + 240.0) < 1e-6);     /* -2 per 30 s */
    CHECK_EQ(t.last, 176);
    CHECK(fabs(t.seconds_to_zero - 176 * 15.0) < 1e-6);
    CHECK(t.steady);
    fm_format_duration(buf, sizeof(buf), &t);
    CHECK(strcmp(buf, "44 min") == 0);

    /* a noisy series over a full window is not steady */
    for (i = 0; i < FM_TREND_POLLS; i++) {
        poll_rec(&r, ip_a, 16, (guint32)(50 + (i % 2 ? 6 : 0) - i / 4), 0, 0, 0);
        feed(m, &r, i * 60.0, NULL);
    }
    fm_entry_trend(entry_of(m, ip_a, 16), 0, &t);
    CHECK(t.falling);
    CHECK(t.r2 < FM_TREND_STEADY_R2);
    CHECK(!t.steady);

    /* fewer than 3 polls: no trend */
    poll_rec(&r, ip_c, 9, 5, 0, 0, 0);
    feed(m, &r, 0.0, NULL);
    poll_rec(&r, ip_c, 9, 4, 0, 0, 0);
    feed(m, &r, 60.0, NULL);
    fm_entry_trend(entry_of(m, ip_c, 9), 0, &t);
    CHECK_EQ(t.n, 0);
    fm_format_duration(buf, sizeof(buf), &t);
    CHECK(strcmp(buf, "-") == 0);
    fm_model_free(m);
}

/* --- relationships: share, frozen partner ------------------------------------ */

static void
relationship_rec(dhcpsrv2_tap_record *r, dhcpsrv2_relationship *rel, const guint8 *server,
                 guint32 scope, guint32 mode, guint32 server_type, guint8 pct, guint32 state)
{
    memset(r, 0, sizeof(*r));
    memset(rel, 0, sizeof(*rel));
    r->interface_id = DHCPSRV2_IF_DHCPSRV2;
    r->opnum = DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_RELATIONSHIP;
    r->rsp_frame = ++next_frame;
    set_address(&r->server, AT_IPv4, 4, server);
    r->scope_id_valid = TRUE;
    r->scope_id = scope;
    rel->name = "rel";
    rel->mode = mode;
    rel->server_type = server_type;
    rel->percentage = pct;
    rel->state = state;
    rel->complete = TRUE;
    r->n_relationships = 1;
    r->relationships = rel;
}

static void
test_share(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    dhcpsrv2_relationship rel;
    fm_share sh;

    /* load balance, this server primary, 60 %: holds 30 of 50 free = 60 % */
    relationship_rec(&r, &rel, ip_a, 10, 0, 0, 60, DHCPSRV2_FSM_NORMAL);
    feed(m, &r, 0.0, NULL);
    poll_rec(&r, ip_a, 10, 30, 20, 0, 0);
    feed(m, &r, 1.0, NULL);
    fm_entry_share(entry_of(m, ip_a, 10), 5.0, &sh);
    CHECK_EQ(sh.state, FM_SHARE_OK);
    CHECK_EQ(sh.expected, 60);
    CHECK(fabs(sh.share - 60.0) < 1e-9);
    /* rebalancing stopped: 20 of 50 = 40 % */
    poll_rec(&r, ip_a, 10, 20, 30, 0, 0);
    feed(m, &r, 2.0, NULL);
    fm_entry_share(entry_of(m, ip_a, 10), 5.0, &sh);
    CHECK_EQ(sh.state, FM_SHARE_OFF);
    /* the secondary of the same relationship expects 40 % */
    relationship_rec(&r, &rel, ip_b, 10, 0, 1, 60, DHCPSRV2_FSM_NORMAL);
    feed(m, &r, 3.0, NULL);
    poll_rec(&r, ip_b, 10, 30, 20, 0, 0);
    feed(m, &r, 4.0, NULL);
    fm_entry_share(entry_of(m, ip_b, 10), 5.0, &sh);
    CHECK_EQ(sh.expected, 40);
    CHECK_EQ(sh.state, FM_SHARE_OFF);       /* 60 % held */

    /* hot standby: the standby (secondary) keeps a 5 % reserve ... */
    relationship_rec(&r, &rel, ip_b, 11, 1, 1, 5, DHCPSRV2_FSM_NORMAL);
    feed(m, &r, 5.0, NULL);
    poll_rec(&r, ip_b, 11, 5, 95, 0, 0);
    feed(m, &r, 6.0, NULL);
    fm_entry_share(entry_of(m, ip_b, 11), 5.0, &sh);
    CHECK_EQ(sh.expected, 5);
    CHECK_EQ(sh.state, FM_SHARE_OK);
    /* ... and has used it up */
    poll_rec(&r, ip_b, 11, 0, 95, 5, 0);
    feed(m, &r, 7.0, NULL);
    fm_entry_share(entry_of(m, ip_b, 11), 5.0, &sh);
    CHECK_EQ(sh.state, FM_SHARE_RESERVE_USED_UP);
    /* no relationship: unknown */
    poll_rec(&r, ip_c, 12, 5, 5, 0, 0);
    feed(m, &r, 8.0, NULL);
    fm_entry_share(entry_of(m, ip_c, 12), 5.0, &sh);
    CHECK_EQ(sh.state, FM_SHARE_UNKNOWN);
    fm_model_free(m);
}

static void
test_frozen(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    dhcpsrv2_relationship rel;
    guint polls;
    int i;

    relationship_rec(&r, &rel, ip_a, 13, 0, 0, 50, 4 /* COMMUNICATION_INT */);
    feed(m, &r, 0.0, NULL);
    relationship_rec(&r, &rel, ip_a, 14, 0, 0, 50, DHCPSRV2_FSM_NORMAL);
    feed(m, &r, 0.0, NULL);
    for (i = 0; i < FM_FROZEN_POLLS; i++) {
        poll_rec(&r, ip_a, 13, (guint32)(50 - i), 40, (guint32)i, 10);  /* ours move */
        feed(m, &r, 1.0 + i * 60, NULL);
        poll_rec(&r, ip_a, 14, (guint32)(50 - i), 40, (guint32)i, 10);
        feed(m, &r, 1.0 + i * 60, NULL);
        CHECK_EQ(fm_entry_partner_frozen(entry_of(m, ip_a, 13), &polls), i == FM_FROZEN_POLLS - 1);
    }
    CHECK_EQ(polls, FM_FROZEN_POLLS);
    CHECK(!fm_entry_partner_frozen(entry_of(m, ip_a, 14), NULL));     /* NORMAL */
    /* the partner moves: no longer frozen */
    poll_rec(&r, ip_a, 13, 40, 41, 10, 9);
    feed(m, &r, 400.0, NULL);
    CHECK(!fm_entry_partner_frozen(entry_of(m, ip_a, 13), NULL));
    fm_model_free(m);
}

/* --- undecoded calls, interfaces -------------------------------------------- */

static void
test_undecoded(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    const fm_server *srv;
    address a;
    int i;

    for (i = 0; i < 3; i++) {
        poll_rec(&r, ip_a, 20, 1, 1, 1, 1);
        r.undecoded = DHCPSRV2_UNDECODED_SEALED;   /* values set by mistake: never used */
        feed(m, &r, i, NULL);
    }
    poll_rec(&r, ip_a, 20, 1, 1, 1, 1);
    r.undecoded = DHCPSRV2_UNDECODED_SEALED;
    r.interface_id = DHCPSRV2_IF_DHCPSRV;
    r.opnum = DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO;
    feed(m, &r, 5, NULL);
    poll_rec(&r, ip_a, 20, 1, 1, 1, 1);
    r.undecoded = DHCPSRV2_UNDECODED_UNTRUSTED;
    feed(m, &r, 6, NULL);

    CHECK_EQ(m->sealed, 4);
    CHECK_EQ(m->untrusted, 1);
    CHECK_EQ(m->polls, 0);
    CHECK(entry_of(m, ip_a, 20) == NULL);
    set_address(&a, AT_IPv4, 4, ip_a);
    srv = (const fm_server *)g_hash_table_lookup(m->servers, &a);
    CHECK(srv != NULL);
    if (srv) {
        const fm_undecoded_op *op0 = &g_array_index(srv->undecoded_ops, fm_undecoded_op, 0);
        const fm_undecoded_op *op1 = &g_array_index(srv->undecoded_ops, fm_undecoded_op, 1);
        CHECK_EQ(srv->undecoded_ops->len, 2);
        /* sorted by (interface, opnum): dhcpsrv2 (0) 97 first, then dhcpsrv (1) 22 */
        CHECK_EQ(op0->interface_id, DHCPSRV2_IF_DHCPSRV2);
        CHECK_EQ(op0->opnum, 97);
        CHECK_EQ(op0->sealed, 3);
        CHECK_EQ(op1->interface_id, DHCPSRV2_IF_DHCPSRV);
        CHECK_EQ(op1->sealed, 1);
        CHECK(strcmp(fm_operation_name(op1->interface_id, op1->opnum), "R_DhcpGetMibInfo") == 0);
        CHECK(strcmp(fm_operation_name(op0->interface_id, op0->opnum),
                     "R_DhcpV4FailoverGetScopeStatistics") == 0);
        CHECK_EQ(srv->sealed, 4);
        CHECK_EQ(srv->untrusted, 1);
    }

    /* a dhcpsrv record with opnum 97 is not GetScopeStatistics */
    poll_rec(&r, ip_b, 21, 1, 1, 1, 1);
    r.interface_id = DHCPSRV2_IF_DHCPSRV;
    feed(m, &r, 7, NULL);
    CHECK_EQ(m->polls, 0);
    fm_model_free(m);
}

/* --- MIB cross-check ---------------------------------------------------------- */

static void
mib_rec(dhcpsrv2_tap_record *r, dhcpsrv2_mib_scope *ms, guint8 iface, guint16 opnum,
        const guint8 *server, guint32 subnet, guint32 free_, guint32 in_use, guint32 offers)
{
    memset(r, 0, sizeof(*r));
    r->interface_id = iface;
    r->opnum = opnum;
    r->rsp_frame = ++next_frame;
    set_address(&r->server, AT_IPv4, 4, server);
    ms->subnet = subnet;
    ms->num_addresses_free = free_;
    ms->num_addresses_in_use = in_use;
    ms->num_pending_offers = offers;
    r->mib_present = TRUE;
    r->n_mib_scopes = 1;
    r->mib_scopes = ms;
}

static void
test_mib(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    dhcpsrv2_mib_scope ms;
    guint c, a, d;
    gint64 dfree, dinuse;

    /* poll (free 30, in use 70), MIB 2 s later agrees (pending until the next poll) */
    poll_rec(&r, ip_a, 30, 10, 20, 30, 40);
    feed(m, &r, 0.0, NULL);
    mib_rec(&r, &ms, DHCPSRV2_IF_DHCPSRV, DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO, ip_a, 30, 30, 70, 2);
    feed(m, &r, 2.0, NULL);
    fm_entry_mib_counts(entry_of(m, ip_a, 30), &c, &a, &d, &dfree, &dinuse);
    CHECK_EQ(c, 1);
    CHECK_EQ(a, 1);
    CHECK_EQ(entry_of(m, ip_a, 30)->mib_compared, 0);   /* still pending */

    /* the next poll, 1 s after the MIB, is nearer: the MIB is compared with it */
    poll_rec(&r, ip_a, 30, 9, 20, 31, 40);      /* free 29, in use 71 */
    feed(m, &r, 3.0, NULL);
    fm_entry_mib_counts(entry_of(m, ip_a, 30), &c, &a, &d, &dfree, &dinuse);
    CHECK_EQ(c, 1);
    CHECK_EQ(d, 1);
    CHECK_EQ(dfree, 1);
    CHECK_EQ(dinuse, -1);

    /* V5 on dhcpsrv2 (81) counts too; a dhcpsrv2 opnum 22 does not */
    mib_rec(&r, &ms, DHCPSRV2_IF_DHCPSRV2, DHCPSRV2_OPNUM_GET_MIB_INFO_V5, ip_a, 30, 29, 71, 0);
    feed(m, &r, 3.5, NULL);
    mib_rec(&r, &ms, DHCPSRV2_IF_DHCPSRV2, 22, ip_a, 30, 1, 1, 0);
    feed(m, &r, 3.6, NULL);
    fm_entry_mib_counts(entry_of(m, ip_a, 30), &c, &a, &d, &dfree, &dinuse);
    CHECK_EQ(c, 2);
    CHECK_EQ(a, 1);
    CHECK_EQ(entry_of(m, ip_a, 30)->mib_samples, 2);

    /* beyond the window: not compared */
    mib_rec(&r, &ms, DHCPSRV2_IF_DHCPSRV, DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO_VQ, ip_b, 31, 5, 5, 0);
    feed(m, &r, 10.0, NULL);
    poll_rec(&r, ip_b, 31, 5, 0, 5, 0);
    feed(m, &r, 50.0, NULL);
    fm_entry_mib_counts(entry_of(m, ip_b, 31), &c, &a, &d, &dfree, &dinuse);
    CHECK_EQ(c, 0);
    fm_model_free(m);
}

/* --- the packet experts' model: the same answers ------------------------------- */

/* The least-squares fit as it was computed before fm_entry_trends(): one
 * counter, two passes.  fm_entry_trend()/_trends() must give these numbers
 * bit for bit (the views print them and the experts compare them). */
static void
ref_trend(const fm_entry *e, int which, fm_trend *out)
{
    double st = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, mt, my;
    guint n = e->trend_n, i;

    memset(out, 0, sizeof(*out));
    if (n < FM_TREND_MIN_POLLS)
        return;
    for (i = 0; i < n; i++) {
        st += e->trend[i].t;
        sy += which ? e->trend[i].addr_free : e->trend[i].this_free;
    }
    mt = st / n;
    my = sy / n;
    for (i = 0; i < n; i++) {
        double dt = e->trend[i].t - mt;
        double dy = (which ? e->trend[i].addr_free : e->trend[i].this_free) - my;
        sxx += dt * dt;
        sxy += dt * dy;
        syy += dy * dy;
    }
    if (sxx <= 0.0)
        return;
    out->n = n;
    out->per_hour = sxy / sxx * 3600.0;
    if (fabs(out->per_hour) < 1e-9)
        out->per_hour = 0.0;
    out->last = which ? e->last.addr_free : e->last.this_addr_free;
    out->falling = out->per_hour < 0.0;
    out->r2 = syy > 0.0 ? sxy * sxy / (sxx * syy) : 1.0;
    out->steady = n == FM_TREND_POLLS && out->r2 >= FM_TREND_STEADY_R2;
    out->seconds_to_zero = out->last == 0 ? 0.0
                         : out->falling ? out->last / (-out->per_hour / 3600.0) : 0.0;
}

static int
same_trend(const fm_trend *a, const fm_trend *b)
{
    return a->n == b->n && a->last == b->last && a->falling == b->falling &&
           a->steady == b->steady && memcmp(&a->per_hour, &b->per_hour, sizeof(double)) == 0 &&
           memcmp(&a->r2, &b->r2, sizeof(double)) == 0 &&
           memcmp(&a->seconds_to_zero, &b->seconds_to_zero, sizeof(double)) == 0;
}

static void
test_trends_bitwise(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    fm_trend t0, t1, a, b, ref;
    guint32 x = 12345;
    int i, bad = 0;

    /* a noisy walk at irregular times: every fit of the ring, as it fills and
     * wraps, equals the reference bit for bit */
    for (i = 0; i < 40; i++) {
        const fm_entry *e;

        x = x * 1103515245u + 12345u;
        poll_rec(&r, ip_a, 40, 500 - (guint32)i * 3 + (x >> 28), 200 + (x >> 29), 7, 9);
        feed(m, &r, i * 7.3 + (x >> 30) * 0.37, NULL);
        e = entry_of(m, ip_a, 40);
        fm_entry_trends(e, &t0, &t1);
        fm_entry_trend(e, 0, &a);
        fm_entry_trend(e, 1, &b);
        ref_trend(e, 0, &ref);
        bad += !same_trend(&t0, &ref) || !same_trend(&a, &ref);
        ref_trend(e, 1, &ref);
        bad += !same_trend(&t1, &ref) || !same_trend(&b, &ref);
    }
    CHECK_EQ(bad, 0);
    fm_model_free(m);
}

static void
same_answers(const fm_model *full, const fm_model *lite, const fm_events *ef,
             const fm_events *el, const guint8 *server, guint32 scope, int *bad)
{
    const fm_entry *a = entry_of(full, server, scope), *b = entry_of(lite, server, scope);
    fm_trend ta, tb;
    fm_share sa, sb;
    guint fa = 0, fb = 0;
    int w;

    if (ef->compared != el->compared || ef->disagree != el->disagree ||
        ef->persistent != el->persistent || ef->run != el->run ||
        ef->partner_frame != el->partner_frame || !ef->entry != !el->entry) {
        (*bad)++;
        return;
    }
    if (!a || !b) {
        *bad += !a != !b;
        return;
    }
    for (w = 0; w < 2; w++) {
        fm_entry_trend(a, w, &ta);
        fm_entry_trend(b, w, &tb);
        *bad += !same_trend(&ta, &tb);
    }
    fm_entry_share(a, 5.0, &sa);
    fm_entry_share(b, 5.0, &sb);
    *bad += sa.state != sb.state || sa.expected != sb.expected ||
            memcmp(&sa.share, &sb.share, sizeof(double)) != 0;
    *bad += fm_entry_partner_frozen(a, &fa) != fm_entry_partner_frozen(b, &fb) || fa != fb;
}

/* fm_model_new_experts() answers every question the experts ask as the full
 * model does: pairing events, trends, shares (the relationship reported
 * before and after the scope's first poll), frozen partner; MIB and
 * undecoded records in between change nothing of it. */
static void
test_experts_model(void)
{
    fm_model *full = fm_model_new(), *lite = fm_model_new_experts();
    dhcpsrv2_tap_record r;
    dhcpsrv2_relationship rel;
    dhcpsrv2_mib_scope ms;
    fm_events ef, el;
    nstime_t ts;
    int i, bad = 0;

#define BOTH(rec, t, server, scope) do { \
        at(&ts, (t)); \
        fm_model_feed(full, (rec), &ts, &ef); \
        fm_model_feed(lite, (rec), &ts, &el); \
        same_answers(full, lite, &ef, &el, (server), (scope), &bad); \
    } while (0)

    relationship_rec(&r, &rel, ip_a, 50, 0, 0, 60, 4 /* COMMUNICATION_INT */);
    BOTH(&r, 0.0, ip_a, 50);
    for (i = 0; i < 30; i++) {
        double t = 10.0 + i * 20.0;
        /* scope 50: A drains, B frozen from poll 8 on, B off by one from poll 15 */
        poll_rec(&r, ip_a, 50, (guint32)(300 - 7 * i), i < 8 ? (guint32)(200 - i) : 192,
                 (guint32)(7 * i), i < 8 ? (guint32)i : 8);
        BOTH(&r, t, ip_a, 50);
        poll_rec(&r, ip_b, 50, i < 8 ? (guint32)(200 - i) : 192, (guint32)(300 - 7 * i) +
                 (i >= 15), i < 8 ? (guint32)i : 8, (guint32)(7 * i));
        BOTH(&r, t + 1.0, ip_b, 50);
        /* scope 51: polled first, its relationship (hot standby) reported at poll 5 */
        poll_rec(&r, ip_b, 51, (guint32)(20 - i / 2), 100, 3, 4);
        BOTH(&r, t + 2.0, ip_b, 51);
        if (i == 5) {
            relationship_rec(&r, &rel, ip_b, 51, 1, 1, 10, DHCPSRV2_FSM_NORMAL);
            BOTH(&r, t + 3.0, ip_b, 51);
        }
        if (i % 7 == 3) {
            mib_rec(&r, &ms, DHCPSRV2_IF_DHCPSRV, DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO, ip_a, 50,
                    1, 2, 0);
            BOTH(&r, t + 4.0, ip_a, 50);
            poll_rec(&r, ip_a, 50, 1, 1, 1, 1);
            r.undecoded = DHCPSRV2_UNDECODED_SEALED;
            BOTH(&r, t + 5.0, ip_a, 50);
        }
    }
#undef BOTH
    CHECK_EQ(bad, 0);
    /* the run was not trivial: the questions have answers */
    {
        fm_share sh;
        guint polls;
        fm_trend t;

        fm_entry_share(entry_of(lite, ip_b, 51), 5.0, &sh);
        CHECK(sh.state != FM_SHARE_UNKNOWN);
        CHECK(fm_entry_partner_frozen(entry_of(lite, ip_a, 50), &polls));
        fm_entry_trend(entry_of(lite, ip_a, 50), 0, &t);
        CHECK(t.steady && t.falling);
        CHECK(el.entry != NULL);
    }
    /* and the lite model keeps none of the views' accumulators */
    CHECK_EQ(entry_of(lite, ip_a, 50)->counter[0].total, 0);
    CHECK(entry_of(full, ip_a, 50)->counter[0].total > 0);
    CHECK_EQ(entry_of(lite, ip_a, 50)->mib_samples, 0);
    fm_model_free(full);
    fm_model_free(lite);
}

/* --- determinism ---------------------------------------------------------------- */

static void
test_sorted(void)
{
    fm_model *m = fm_model_new();
    dhcpsrv2_tap_record r;
    const fm_entry *e0, *e1, *e2;

    poll_rec(&r, ip_b, 0x0A000000, 1, 1, 1, 1);
    feed(m, &r, 0, NULL);
    poll_rec(&r, ip_a, 0xC0A80000, 1, 1, 1, 1);
    feed(m, &r, 0, NULL);
    poll_rec(&r, ip_a, 0x0B000000, 1, 1, 1, 1);
    feed(m, &r, 0, NULL);
    e0 = (const fm_entry *)g_ptr_array_index(m->entries_sorted, 0);
    e1 = (const fm_entry *)g_ptr_array_index(m->entries_sorted, 1);
    e2 = (const fm_entry *)g_ptr_array_index(m->entries_sorted, 2);
    CHECK(e0->scope_id == 0x0B000000 && e1->scope_id == 0xC0A80000 && e2->scope_id == 0x0A000000);
    CHECK(e2->server->addr.len == 4 && ((const guint8 *)e2->server->addr.data)[3] == 2);
    fm_model_free(m);
}

int
main(void)
{
    test_back_to_back();
    test_persistent_mismatch();
    test_persistence_direction();
    test_nearest_once();
    test_window();
    test_ambiguous();
    test_trend();
    test_share();
    test_frozen();
    test_undecoded();
    test_mib();
    test_sorted();
    test_trends_bitwise();
    test_experts_model();
    printf("failover model: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
