/* failover-model.c -- the DHCP failover model (see failover-model.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <math.h>

#include <glib.h>
#include <epan/address.h>
#include <epan/to_str.h>

#include "failover-model.h"
#include "dhcpsrv-opnums.h"

/* ------------------------------------------------------------------------ */
/* Names                                                                      */

const char *const fm_counter_names[FM_COUNTERS] = {
    "numAddr", "addrFree", "addrInUse", "partnerAddrFree",
    "thisAddrFree", "partnerAddrInUse", "thisAddrInUse",
};

const char *const fm_check_names[DHCPSRV2_CHECK_COUNT] = {
    "addrFree + addrInUse != numAddr",
    "thisAddrFree + partnerAddrFree != addrFree",
    "thisAddrInUse + partnerAddrInUse != addrInUse",
    "addrFree == 0 (scope exhausted)",
    "thisAddrFree == 0 while partnerAddrFree > 0",
    "status 0 but no statistics",
    "statistics with an error status",
};

/* The names sort by name in this order, which is how stats_tree prints them. */
const char *const fm_bucket_names[FM_BUCKETS] = {
    "0-50 %", "50-80 %", "80-90 %", "90-100 %",
};

static const char *const fm_state_names[] = {
    "NO_STATE", "INIT", "STARTUP", "NORMAL", "COMMUNICATION_INT", "PARTNER_DOWN",
    "POTENTIAL_CONFLICT", "CONFLICT_DONE", "RESOLUTION_INT", "RECOVER", "RECOVER_WAIT",
    "RECOVER_DONE",
};

const char *
fm_fsm_state_name(guint32 state)
{
    return state < G_N_ELEMENTS(fm_state_names) ? fm_state_names[state] : NULL;
}

#define FM_OP_NAME(num, name) [num] = #name,
static const char *const fm_dhcpsrv_ops[DHCPSRV_OPERATION_COUNT] = {
    DHCPSRV_OPERATIONS(FM_OP_NAME)
};
static const char *const fm_dhcpsrv2_ops[DHCPSRV2_OPERATION_COUNT] = {
    DHCPSRV2_OPERATIONS(FM_OP_NAME)
};

const char *
fm_operation_name(guint8 interface_id, guint16 opnum)
{
    if (interface_id == DHCPSRV2_IF_DHCPSRV)
        return opnum < DHCPSRV_OPERATION_COUNT ? fm_dhcpsrv_ops[opnum] : NULL;
    if (interface_id == DHCPSRV2_IF_DHCPSRV2)
        return opnum < DHCPSRV2_OPERATION_COUNT ? fm_dhcpsrv2_ops[opnum] : NULL;
    return NULL;
}

static void
fm_format_seconds(char *buf, gsize size, double s)
{
    guint64 m;

    if (s < 60.0) {
        g_snprintf(buf, (gulong)size, "%u s", (guint)s);
        return;
    }
    if (s > 1e9) {
        g_strlcpy(buf, "> 30 years", size);
        return;
    }
    m = (guint64)(s / 60.0);    /* whole minutes, rounded down: never later than the fit */
    if (m < 60)
        g_snprintf(buf, (gulong)size, "%u min", (guint)m);
    else if (m < 48 * 60)
        g_snprintf(buf, (gulong)size, "%u h %02u min", (guint)(m / 60), (guint)(m % 60));
    else
        g_snprintf(buf, (gulong)size, "%u d %02u h", (guint)(m / 1440), (guint)(m / 60 % 24));
}

void
fm_format_duration(char *buf, gsize size, const fm_trend *t)
{
    char d[32];

    if (!t->n) {
        g_strlcpy(buf, "-", size);
        return;
    }
    if (t->last == 0) {
        g_strlcpy(buf, "now", size);
        return;
    }
    if (!t->falling) {
        g_strlcpy(buf, "never", size);
        return;
    }
    fm_format_seconds(d, sizeof(d), t->seconds_to_zero);
    if (t->steady)
        g_strlcpy(buf, d, size);
    else
        g_snprintf(buf, (gulong)size, "(%s)", d);
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                                 */

static guint
fm_addr_hash(gconstpointer key)
{
    const address *addr = (const address *)key;
    return add_address_to_hash((guint)addr->type, addr);
}

static gboolean
fm_addr_equal(gconstpointer a, gconstpointer b)
{
    return addresses_equal((const address *)a, (const address *)b);
}

static void
fm_entry_free(gpointer p)
{
    fm_entry *e = (fm_entry *)p;

    while (e->status_counts) {
        fm_status_count *next = e->status_counts->next;
        g_free(e->status_counts);
        e->status_counts = next;
    }
    g_free(e);
}

static void
fm_link_list_free(gpointer p)
{
    fm_link *l = (fm_link *)p;

    while (l) {
        fm_link *next = l->next;
        g_free(l->rel_name);
        g_free(l);
        l = next;
    }
}

static void
fm_server_free(gpointer p)
{
    fm_server *srv = (fm_server *)p;

    g_hash_table_destroy(srv->entries);
    if (srv->unknown)
        fm_entry_free(srv->unknown);
    g_hash_table_destroy(srv->links);
    if (srv->sip_counts)
        g_hash_table_destroy(srv->sip_counts);
    g_array_free(srv->undecoded_ops, TRUE);
    g_free(srv->name);
    free_address(&srv->addr);
    g_free(srv);
}

static void
fm_scope_free(gpointer p)
{
    fm_scope *sc = (fm_scope *)p;

    g_ptr_array_free(sc->members, TRUE);
    g_free(sc->pair_name);
    g_free(sc);
}

fm_model *
fm_model_new(void)
{
    fm_model *m = g_new0(fm_model, 1);

    m->servers = g_hash_table_new_full(fm_addr_hash, fm_addr_equal, NULL, fm_server_free);
    m->server_list = g_ptr_array_new();
    m->servers_sorted = g_ptr_array_new();
    m->scopes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, fm_scope_free);
    m->scopes_sorted = g_ptr_array_new();
    m->entries_sorted = g_ptr_array_new();
    return m;
}

fm_model *
fm_model_new_experts(void)
{
    fm_model *m = fm_model_new();

    m->experts_only = TRUE;
    return m;
}

void
fm_model_clear(fm_model *m)
{
    g_ptr_array_set_size(m->entries_sorted, 0);
    g_ptr_array_set_size(m->scopes_sorted, 0);
    g_ptr_array_set_size(m->servers_sorted, 0);
    g_ptr_array_set_size(m->server_list, 0);
    g_hash_table_remove_all(m->scopes);
    g_hash_table_remove_all(m->servers);
    m->polls = m->sealed = m->untrusted = 0;
    m->generation++;
}

void
fm_model_free(fm_model *m)
{
    if (!m)
        return;
    g_ptr_array_free(m->entries_sorted, TRUE);
    g_ptr_array_free(m->scopes_sorted, TRUE);
    g_ptr_array_free(m->servers_sorted, TRUE);
    g_ptr_array_free(m->server_list, TRUE);
    g_hash_table_destroy(m->scopes);
    g_hash_table_destroy(m->servers);
    g_free(m);
}

/* ------------------------------------------------------------------------ */
/* Sorted lists                                                               */

static void
fm_sorted_insert(GPtrArray *a, gpointer item, GCompareFunc cmp)
{
    guint lo = 0, hi = a->len;

    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (cmp(g_ptr_array_index(a, mid), item) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    g_ptr_array_insert(a, (gint)lo, item);
}

static int
fm_server_cmp(gconstpointer a, gconstpointer b)
{
    return cmp_address(&((const fm_server *)a)->addr, &((const fm_server *)b)->addr);
}

static int
fm_scope_cmp(gconstpointer a, gconstpointer b)
{
    guint32 x = ((const fm_scope *)a)->scope_id, y = ((const fm_scope *)b)->scope_id;
    return x < y ? -1 : x > y;
}

/* server address, then scope id numerically, the unknown scope last */
static int
fm_entry_cmp(gconstpointer a, gconstpointer b)
{
    const fm_entry *x = (const fm_entry *)a, *y = (const fm_entry *)b;
    int r = cmp_address(&x->server->addr, &y->server->addr);

    if (r)
        return r;
    if (!x->scope != !y->scope)
        return x->scope ? -1 : 1;
    return x->scope_id < y->scope_id ? -1 : x->scope_id > y->scope_id;
}

/* ------------------------------------------------------------------------ */
/* Lookup / creation                                                          */

static fm_server *
fm_server_get(fm_model *m, const address *addr)
{
    fm_server *srv;
    guint i;

    /* Monitoring polls a handful of servers: a scan is cheaper than a hash. */
    if (m->server_list->len <= 8) {
        for (i = 0; i < m->server_list->len; i++) {
            srv = (fm_server *)g_ptr_array_index(m->server_list, i);
            if (addresses_equal(&srv->addr, addr))
                return srv;
        }
    } else if ((srv = (fm_server *)g_hash_table_lookup(m->servers, addr)) != NULL) {
        return srv;
    }
    srv = g_new0(fm_server, 1);
    copy_address(&srv->addr, addr);
    if (addr->len) {
        char *s = address_to_str(NULL, addr);
        srv->name = g_strdup(s);
        wmem_free(NULL, s);
    } else {
        srv->name = g_strdup("unknown server");
    }
    srv->entries = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, fm_entry_free);
    srv->links = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, fm_link_list_free);
    srv->undecoded_ops = g_array_new(FALSE, TRUE, sizeof(fm_undecoded_op));
    g_hash_table_insert(m->servers, &srv->addr, srv);
    g_ptr_array_add(m->server_list, srv);
    fm_sorted_insert(m->servers_sorted, srv, fm_server_cmp);
    return srv;
}

static void
fm_ipv4_text(char *buf, gsize size, guint32 v)
{
    g_snprintf(buf, (gulong)size, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
               v & 0xff);
}

static fm_scope *
fm_scope_get(fm_model *m, guint32 scope_id)
{
    fm_scope *sc = (fm_scope *)g_hash_table_lookup(m->scopes, GUINT_TO_POINTER(scope_id));

    if (sc)
        return sc;
    sc = g_new0(fm_scope, 1);
    sc->scope_id = scope_id;
    fm_ipv4_text(sc->name, sizeof(sc->name), scope_id);
    sc->members = g_ptr_array_new();
    g_hash_table_insert(m->scopes, GUINT_TO_POINTER(scope_id), sc);
    fm_sorted_insert(m->scopes_sorted, sc, fm_scope_cmp);
    return sc;
}

static fm_entry *
fm_entry_get(fm_model *m, fm_server *srv, gboolean scope_known, guint32 scope_id)
{
    fm_entry *e = scope_known
        ? (fm_entry *)g_hash_table_lookup(srv->entries, GUINT_TO_POINTER(scope_id))
        : srv->unknown;

    if (e)
        return e;
    e = g_new0(fm_entry, 1);
    e->server = srv;
    if (scope_known) {
        e->scope = fm_scope_get(m, scope_id);
        e->scope_id = scope_id;
        g_strlcpy(e->scope_name, e->scope->name, sizeof(e->scope_name));
        e->links = (const fm_link *)g_hash_table_lookup(srv->links, GUINT_TO_POINTER(scope_id));
        g_hash_table_insert(srv->entries, GUINT_TO_POINTER(scope_id), e);
    } else {
        g_strlcpy(e->scope_name, "unknown", sizeof(e->scope_name));
        srv->unknown = e;
    }
    fm_sorted_insert(m->entries_sorted, e, fm_entry_cmp);
    return e;
}

/* ------------------------------------------------------------------------ */
/* Partner pairing                                                            */

static guint32
fm_absdiff(guint32 x, guint32 y)
{
    return x > y ? x - y : y - x;
}

static gint64
fm_abs64(gint64 v)
{
    return v < 0 ? -v : v;
}

static guint8
fm_sign2(guint32 x, guint32 y)
{
    return x == y ? 0 : x > y ? 1 : 2;
}

guint8
fm_direction(const fm_poll *a, const fm_poll *b)
{
    return (guint8)(fm_sign2(a->this_free, b->partner_free) |
                    fm_sign2(a->partner_free, b->this_free) << 2 |
                    fm_sign2(a->this_in_use, b->partner_in_use) << 4 |
                    fm_sign2(a->partner_in_use, b->this_in_use) << 6);
}

/* One comparison of A's poll with B's: agree when each side's view of the
 * other equals the other's view of itself.  A disagreement in the same
 * direction as the previous comparison's continues a run; a run of two or
 * more is persistent (both members of the run count). */
static void
fm_pair_apply(fm_pair_counts *c, const fm_poll *a, const fm_poll *b)
{
    guint8 dir = fm_direction(a, b);
    guint32 dfree = MAX(fm_absdiff(a->this_free, b->partner_free),
                        fm_absdiff(a->partner_free, b->this_free));
    guint32 dinuse = MAX(fm_absdiff(a->this_in_use, b->partner_in_use),
                         fm_absdiff(a->partner_in_use, b->this_in_use));

    c->compared++;
    c->last_frames[0] = a->frame;
    c->last_frames[1] = b->frame;
    c->max_dfree = MAX(c->max_dfree, dfree);
    c->max_dinuse = MAX(c->max_dinuse, dinuse);
    if (dir == 0) {
        c->agree++;
        c->run = 0;
        return;
    }
    c->disagree++;
    if (dfree)
        c->free_differs++;
    if (dinuse)
        c->in_use_differs++;
    if (c->run && c->run_dir == dir) {
        c->run++;
        c->persistent += c->run == 2 ? 2 : 1;
    } else {
        c->run = 1;
        c->run_dir = dir;
    }
    c->longest_run = MAX(c->longest_run, c->run);
}

static void
fm_pair_commit(fm_scope *sc)
{
    fm_pair_apply(&sc->done, &sc->pend_a, &sc->pend_b);
    sc->pending = FALSE;
}

void
fm_scope_pair_counts(const fm_scope *sc, fm_pair_counts *out)
{
    *out = sc->done;
    if (sc->pending)
        fm_pair_apply(out, &sc->pend_a, &sc->pend_b);
}

const fm_entry *
fm_entry_partner(const fm_entry *e)
{
    const fm_scope *sc = e->scope;

    if (!sc || !sc->a || !e->member)
        return NULL;
    return sc->a == e ? sc->b : sc->a;
}

static void
fm_partner_join(fm_scope *sc, fm_entry *e)
{
    e->member = TRUE;
    g_ptr_array_add(sc->members, e);
    if (sc->members->len == 2) {
        fm_entry *x = (fm_entry *)g_ptr_array_index(sc->members, 0);
        gboolean x_first = cmp_address(&x->server->addr, &e->server->addr) < 0;
        sc->a = x_first ? x : e;
        sc->b = x_first ? e : x;
        sc->pair_name = g_strdup_printf("%s vs %s", sc->a->server->name, sc->b->server->name);
        /* the first member's polls so far had no partner: no previous gap */
        x->poll.gap_prev_ns = G_MAXINT64;
    } else if (sc->members->len > 2) {
        /* more than two servers: nothing of the scope is compared */
        sc->a = sc->b = NULL;
        memset(&sc->done, 0, sizeof(sc->done));
        sc->pending = FALSE;
    }
}

/* Nearest-in-time pairing, each poll used at most once (docs/statistics.md):
 * a poll P of one partner and a poll Q of the other are compared when each
 * is the other's nearest poll of the partner (ties: the earlier one) and
 * they are at most FM_WINDOW_S apart.  Such a pair is adjacent in time, so
 * the nearest partner poll of a poll is its partner's previous or next
 * poll: the later poll Q of a candidate (P, Q) is known to prefer P only
 * when Q's partner polls again (or at the end).  Until then the candidate is
 * pending; queries count it as it stands. */
static void
fm_partner_poll(fm_scope *sc, fm_entry *e, fm_poll *n, fm_events *ev)
{
    fm_entry *other;
    const fm_poll *p;
    gint64 g;

    n->gap_prev_ns = G_MAXINT64;
    if (!sc->a)
        return;
    other = sc->a == e ? sc->b : sc->a;

    /* 1. the pending candidate's later poll now knows its next partner poll */
    if (sc->pending && sc->pend_later != e) {
        if (sc->pend_gap_ns <= fm_abs64(n->t_ns - sc->pend_later_ns))
            fm_pair_commit(sc);
        sc->pending = FALSE;
    }
    if (!other->have_poll)
        return;

    /* 2. (partner's last poll, this one): a candidate if this poll is the
     * first of ours after it, nearer to it than its previous partner poll,
     * and within the window */
    p = &other->poll;
    g = fm_abs64(n->t_ns - p->t_ns);
    n->gap_prev_ns = g;
    if (e->have_poll && e->poll.seq > p->seq)
        return;     /* an earlier poll of ours is nearer to p */
    if (g >= p->gap_prev_ns || g > (gint64)FM_WINDOW_S * 1000000000)
        return;
    sc->pending = TRUE;
    sc->pend_a = sc->a == e ? *n : *p;
    sc->pend_b = sc->a == e ? *p : *n;
    sc->pend_gap_ns = g;
    sc->pend_later_ns = n->t_ns;
    sc->pend_later = e;
    if (ev) {
        fm_pair_counts c = sc->done;
        fm_pair_apply(&c, &sc->pend_a, &sc->pend_b);
        ev->compared = TRUE;
        ev->disagree = c.run > 0;
        ev->persistent = c.run >= 2;
        ev->run = c.run;
        ev->partner_frame = p->frame;
    }
}

/* ------------------------------------------------------------------------ */
/* Per (server, scope) accumulation                                           */

static guint
fm_bucket(double util)
{
    return util < 50.0 ? 0 : util < 80.0 ? 1 : util < 90.0 ? 2 : 3;
}

static void
fm_stat_add(fm_stat *s, guint count_before, guint32 v)
{
    if (count_before == 0 || v < s->min)
        s->min = v;
    if (count_before == 0 || v > s->max)
        s->max = v;
    s->total += v;
}

static void
fm_count_status(fm_entry *e, guint32 status)
{
    fm_status_count *sc;

    for (sc = e->status_counts; sc && sc->status != status; sc = sc->next)
        ;
    if (!sc) {
        sc = g_new0(fm_status_count, 1);
        sc->status = status;
        sc->next = e->status_counts;
        e->status_counts = sc;
    }
    sc->count++;
}

static void
fm_count_server_name(fm_server *srv, const char *sip)
{
    guint *count;

    if (!sip || strcmp(sip, srv->name) == 0)
        return;
    if (!srv->sip_counts)
        srv->sip_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    count = (guint *)g_hash_table_lookup(srv->sip_counts, sip);
    if (!count) {
        count = g_new0(guint, 1);
        g_hash_table_insert(srv->sip_counts, g_strdup(sip), count);
    }
    (*count)++;
    srv->sip_total++;
}

static void
fm_trend_add(fm_entry *e, gint64 t_ns, const dhcpsrv2_failover_counters *c)
{
    guint i;

    if (e->trend_n == 0)
        e->trend_t0_ns = t_ns;
    i = e->trend_head;
    e->trend[i].t = (double)(t_ns - e->trend_t0_ns) / 1e9;
    e->trend[i].this_free = c->this_addr_free;
    e->trend[i].addr_free = c->addr_free;
    e->trend_head = (i + 1) % FM_TREND_POLLS;
    if (e->trend_n < FM_TREND_POLLS)
        e->trend_n++;
}

static void
fm_frozen_update(fm_entry *e, const dhcpsrv2_failover_counters *c)
{
    const dhcpsrv2_failover_counters *p = &e->last;

    if (e->with_stats == 0 ||
        c->partner_addr_free != p->partner_addr_free ||
        c->partner_addr_in_use != p->partner_addr_in_use) {
        e->frozen_run = 1;
        e->frozen_this_moved = FALSE;
        return;
    }
    e->frozen_run++;
    if (c->this_addr_free != p->this_addr_free || c->this_addr_in_use != p->this_addr_in_use)
        e->frozen_this_moved = TRUE;
    if (e->frozen_this_moved)
        e->frozen_longest = MAX(e->frozen_longest, e->frozen_run);
}

/* The MIB sample against a poll (free, in use) `dt_ns` away. */
static void
fm_mib_compare(guint *compared, guint *agree, guint *disagree, gint64 *dfree, gint64 *dinuse,
               const dhcpsrv2_mib_scope *mib, guint32 addr_free, guint32 addr_in_use)
{
    (*compared)++;
    *dfree = (gint64)mib->num_addresses_free - addr_free;
    *dinuse = (gint64)mib->num_addresses_in_use - addr_in_use;
    if (*dfree == 0 && *dinuse == 0)
        (*agree)++;
    else
        (*disagree)++;
}

static gboolean
fm_within_window(gint64 dt_ns)
{
    return fm_abs64(dt_ns) <= (gint64)FM_WINDOW_S * 1000000000;
}

/* A pending MIB sample, now that the next poll (t_ns, c) is known, or
 * (c == NULL) without it: compared with the nearer of the previous poll and
 * that one (ties: the previous), if within the window. */
static void
fm_mib_resolve(fm_entry *e, gint64 t_ns, const dhcpsrv2_failover_counters *c)
{
    gint64 dprev = G_MAXINT64, dnext = G_MAXINT64;

    e->mib_pending = FALSE;
    if (e->with_stats && e->last_t_ns <= e->mib_last_t_ns)
        dprev = e->mib_last_t_ns - e->last_t_ns;
    if (c)
        dnext = fm_abs64(t_ns - e->mib_last_t_ns);
    if (dprev <= dnext && dprev != G_MAXINT64 && fm_within_window(dprev))
        fm_mib_compare(&e->mib_compared, &e->mib_agree, &e->mib_disagree, &e->mib_dfree,
                       &e->mib_dinuse, &e->mib_last, e->last.addr_free, e->last.addr_in_use);
    else if (dnext < dprev && fm_within_window(dnext))
        fm_mib_compare(&e->mib_compared, &e->mib_agree, &e->mib_disagree, &e->mib_dfree,
                       &e->mib_dinuse, &e->mib_last, c->addr_free, c->addr_in_use);
}

/* The accumulators only the views print (not kept by an experts-only model). */
static void
fm_record_stats_views(fm_entry *e, const dhcpsrv2_failover_counters *c, gint64 t_ns)
{
    guint n = e->with_stats;

    fm_stat_add(&e->counter[0], n, c->num_addr);
    fm_stat_add(&e->counter[1], n, c->addr_free);
    fm_stat_add(&e->counter[2], n, c->addr_in_use);
    fm_stat_add(&e->counter[3], n, c->partner_addr_free);
    fm_stat_add(&e->counter[4], n, c->this_addr_free);
    fm_stat_add(&e->counter[5], n, c->partner_addr_in_use);
    fm_stat_add(&e->counter[6], n, c->this_addr_in_use);
    e->last_util = 0.0;
    if (c->num_addr > 0) {
        double util = 100.0 * c->addr_in_use / c->num_addr;
        if (e->util_count == 0 || util < e->util_min)
            e->util_min = util;
        if (e->util_count == 0 || util > e->util_max)
            e->util_max = util;
        e->util_total += util;
        e->util_count++;
        e->bucket[fm_bucket(util)]++;
        e->last_util = util;
    }
    if (n == 0 || c->addr_free < e->min_free)
        e->min_free = c->addr_free;
    if (n == 0)
        e->first_free = c->addr_free;
    if (e->mib_pending)
        fm_mib_resolve(e, t_ns, c);
}

static void
fm_record_stats(fm_model *m, fm_entry *e, const dhcpsrv2_tap_record *rec, gint64 t_ns,
                fm_events *ev)
{
    const dhcpsrv2_failover_counters *c = &rec->counters;
    fm_poll p;

    if (!m->experts_only)
        fm_record_stats_views(e, c, t_ns);
    fm_frozen_update(e, c);
    fm_trend_add(e, t_ns, c);

    if (e->scope) {
        if (!e->member)
            fm_partner_join(e->scope, e);
        p.t_ns = t_ns;
        p.seq = m->rec_seq;
        p.frame = rec->rsp_frame;
        p.this_free = c->this_addr_free;
        p.partner_free = c->partner_addr_free;
        p.this_in_use = c->this_addr_in_use;
        p.partner_in_use = c->partner_addr_in_use;
        fm_partner_poll(e->scope, e, &p, ev);
        e->poll = p;
        e->have_poll = TRUE;
    }
    e->with_stats++;
    e->last = *c;
    e->last_t_ns = t_ns;
    e->last_frame = rec->rsp_frame;
}

static void fm_record_scope_stats_views(fm_server *srv, fm_entry *e,
                                        const dhcpsrv2_tap_record *rec);

/* One R_DhcpV4FailoverGetScopeStatistics (97) answer. */
static void
fm_record_scope_stats(fm_model *m, const dhcpsrv2_tap_record *rec, gint64 t_ns, fm_events *ev)
{
    fm_server *srv = fm_server_get(m, &rec->server);
    fm_entry *e = fm_entry_get(m, srv, rec->scope_id_valid, rec->scope_id);

    if (ev)
        ev->entry = e;
    m->polls++;
    srv->polls++;
    e->polls++;
    if (!m->experts_only)
        fm_record_scope_stats_views(srv, e, rec);
    if (rec->stats_present)
        fm_record_stats(m, e, rec, t_ns, ev);
}

/* What only the views print of a 97 answer (not kept by an experts-only model). */
static void
fm_record_scope_stats_views(fm_server *srv, fm_entry *e, const dhcpsrv2_tap_record *rec)
{
    guint i;

    fm_count_server_name(srv, rec->server_ip_address);
    if (rec->status_valid && rec->status != 0) {
        e->errors++;
        fm_count_status(e, rec->status);
    }
    if (rec->malformed)
        e->malformed++;
    if (rec->checks & (DHCPSRV2_CHECK_FREE_INUSE_MISMATCH | DHCPSRV2_CHECK_FREE_SPLIT_MISMATCH |
                       DHCPSRV2_CHECK_INUSE_SPLIT_MISMATCH))
        e->inconsistent++;
    if (rec->checks) {
        e->violations++;
        for (i = 0; i < DHCPSRV2_CHECK_COUNT; i++)
            if (rec->checks & (1u << i))
                e->violation[i]++;
    }
}

/* ------------------------------------------------------------------------ */
/* Relationships (92, 93, 96)                                                 */

static void
fm_link_report(fm_model *m, fm_server *srv, guint32 scope_id, const dhcpsrv2_relationship *rel)
{
    const char *name = rel->name ? rel->name : "";
    fm_link *head = (fm_link *)g_hash_table_lookup(srv->links, GUINT_TO_POINTER(scope_id));
    fm_link *l, *tail = NULL;

    for (l = head; l; l = l->next) {
        if (strcmp(l->rel_name, name) == 0)
            break;
        tail = l;
    }
    if (!l) {
        l = g_new0(fm_link, 1);
        l->rel_name = g_strdup(name);
        if (tail) {
            tail->next = l;
        } else {
            fm_entry *e = (fm_entry *)g_hash_table_lookup(srv->entries,
                                                          GUINT_TO_POINTER(scope_id));
            g_hash_table_insert(srv->links, GUINT_TO_POINTER(scope_id), l);
            if (e)
                e->links = l;   /* the head never changes after this */
        }
    }
    if (l->reports && l->stamp == m->rec_seq)
        return;     /* a 96 answer names its scopeId and usually lists it too */
    l->stamp = m->rec_seq;
    l->reports++;
    l->state_reports[MIN(rel->state, 12u)]++;
    l->state = rel->state;
    l->mode = rel->mode;
    l->server_type = rel->server_type;
    l->percentage = rel->percentage;
}

static gboolean
fm_record_relationships(fm_model *m, const dhcpsrv2_tap_record *rec)
{
    fm_server *srv = NULL;
    guint32 i, j;

    for (i = 0; i < rec->n_relationships && rec->relationships; i++) {
        const dhcpsrv2_relationship *rel = &rec->relationships[i];
        guint32 n = MIN(rel->scopes_stored, (guint32)DHCPSRV2_TAP_MAX_SCOPES);

        if (!rel->complete)
            continue;
        if (!srv)
            srv = fm_server_get(m, &rec->server);
        if (rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_RELATIONSHIP && rec->scope_id_valid)
            fm_link_report(m, srv, rec->scope_id, rel);
        for (j = 0; j < n; j++)
            fm_link_report(m, srv, rel->scopes[j], rel);
    }
    return srv != NULL;
}

const fm_link *
fm_entry_link(const fm_entry *e)
{
    const fm_link *l, *best = NULL;

    if (!e->scope)
        return NULL;
    for (l = e->links; l; l = l->next)
        if (!best || l->stamp > best->stamp)
            best = l;
    return best;
}

/* ------------------------------------------------------------------------ */
/* MIB (dhcpsrv 22, 43; dhcpsrv2 81)                                          */

static gboolean
fm_is_mib(const dhcpsrv2_tap_record *rec)
{
    if (rec->interface_id == DHCPSRV2_IF_DHCPSRV)
        return rec->opnum == DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO ||
               rec->opnum == DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO_VQ;
    return rec->interface_id == DHCPSRV2_IF_DHCPSRV2 &&
           rec->opnum == DHCPSRV2_OPNUM_GET_MIB_INFO_V5;
}

static gboolean
fm_record_mib(fm_model *m, const dhcpsrv2_tap_record *rec, gint64 t_ns)
{
    fm_server *srv;
    guint32 i;

    if (!rec->mib_present || !rec->mib_scopes || !rec->n_mib_scopes)
        return FALSE;
    srv = fm_server_get(m, &rec->server);
    for (i = 0; i < rec->n_mib_scopes; i++) {
        fm_entry *e = fm_entry_get(m, srv, TRUE, rec->mib_scopes[i].subnet);

        if (e->mib_pending)
            fm_mib_resolve(e, 0, NULL);     /* its next poll never came */
        e->mib_last = rec->mib_scopes[i];
        e->mib_last_t_ns = t_ns;
        e->mib_pending = TRUE;
        e->mib_samples++;
    }
    return TRUE;
}

void
fm_entry_mib_counts(const fm_entry *e, guint *compared, guint *agree, guint *disagree,
                    gint64 *dfree, gint64 *dinuse)
{
    *compared = e->mib_compared;
    *agree = e->mib_agree;
    *disagree = e->mib_disagree;
    *dfree = e->mib_dfree;
    *dinuse = e->mib_dinuse;
    if (e->mib_pending && e->with_stats && e->last_t_ns <= e->mib_last_t_ns &&
        fm_within_window(e->mib_last_t_ns - e->last_t_ns))
        fm_mib_compare(compared, agree, disagree, dfree, dinuse, &e->mib_last,
                       e->last.addr_free, e->last.addr_in_use);
}

/* ------------------------------------------------------------------------ */
/* Undecoded calls                                                            */

static void
fm_record_undecoded(fm_model *m, const dhcpsrv2_tap_record *rec)
{
    fm_server *srv = fm_server_get(m, &rec->server);
    GArray *ops = srv->undecoded_ops;
    guint32 key = (guint32)rec->interface_id << 16 | rec->opnum;
    fm_undecoded_op op = { rec->interface_id, rec->opnum, 0 };
    guint lo = 0, hi = ops->len;

    if (rec->undecoded != DHCPSRV2_UNDECODED_SEALED) {
        /* untrusted: counted, nothing else of it is used */
        srv->untrusted++;
        m->untrusted++;
        return;
    }
    srv->sealed++;
    m->sealed++;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        const fm_undecoded_op *x = &g_array_index(ops, fm_undecoded_op, mid);
        guint32 k = (guint32)x->interface_id << 16 | x->opnum;
        if (k == key) {
            g_array_index(ops, fm_undecoded_op, mid).sealed++;
            return;
        }
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    op.sealed = 1;
    g_array_insert_val(ops, lo, op);
}

/* ------------------------------------------------------------------------ */
/* Feeding                                                                    */

gboolean
fm_model_feed(fm_model *m, const dhcpsrv2_tap_record *rec, const nstime_t *ts, fm_events *ev)
{
    gint64 t_ns = (gint64)ts->secs * 1000000000 + ts->nsecs;
    gboolean changed = TRUE;

    if (ev)
        memset(ev, 0, sizeof(*ev));
    if (!rec)
        return FALSE;
    m->rec_seq++;
    if (m->experts_only && (rec->undecoded != DHCPSRV2_DECODED || fm_is_mib(rec)))
        changed = FALSE;    /* nothing the experts ask */
    else if (rec->undecoded != DHCPSRV2_DECODED)
        fm_record_undecoded(m, rec);
    else if (fm_is_mib(rec))
        changed = fm_record_mib(m, rec, t_ns);
    else if (rec->interface_id != DHCPSRV2_IF_DHCPSRV2)
        changed = FALSE;    /* a dhcpsrv opnum is not a dhcpsrv2 one */
    else if (rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_STATISTICS)
        fm_record_scope_stats(m, rec, t_ns, ev);
    else if (rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_RELATIONSHIP ||
             rec->opnum == DHCPSRV2_OPNUM_FAILOVER_ENUM_RELATIONSHIP ||
             rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_RELATIONSHIP)
        changed = fm_record_relationships(m, rec);
    else
        changed = FALSE;
    if (changed)
        m->generation++;
    return changed;
}

/* ------------------------------------------------------------------------ */
/* Trend, share, frozen partner                                               */

/* The fit's result from its sums (one counter). */
static void
fm_trend_finish(const fm_entry *e, int which, guint n, double sxx, double sxy, double syy,
                fm_trend *out)
{
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

/* Least squares of both counters over the ring; each sum is accumulated in
 * the same order as for one counter alone, so the results are the same. */
void
fm_entry_trends(const fm_entry *e, fm_trend *out0, fm_trend *out1)
{
    double st = 0, sy0 = 0, sy1 = 0, sxx = 0, sxy0 = 0, syy0 = 0, sxy1 = 0, syy1 = 0;
    double mt, my0, my1;
    guint n = e->trend_n, i;

    memset(out0, 0, sizeof(*out0));
    memset(out1, 0, sizeof(*out1));
    if (n < FM_TREND_MIN_POLLS)
        return;
    for (i = 0; i < n; i++) {
        st += e->trend[i].t;
        sy0 += e->trend[i].this_free;
        sy1 += e->trend[i].addr_free;
    }
    mt = st / n;
    my0 = sy0 / n;
    my1 = sy1 / n;
    for (i = 0; i < n; i++) {
        double dt = e->trend[i].t - mt;
        double dy0 = e->trend[i].this_free - my0;
        double dy1 = e->trend[i].addr_free - my1;
        sxx += dt * dt;
        sxy0 += dt * dy0;
        syy0 += dy0 * dy0;
        sxy1 += dt * dy1;
        syy1 += dy1 * dy1;
    }
    if (sxx <= 0.0)
        return;     /* all polls at one instant */
    fm_trend_finish(e, 0, n, sxx, sxy0, syy0, out0);
    fm_trend_finish(e, 1, n, sxx, sxy1, syy1, out1);
}

void
fm_entry_trend(const fm_entry *e, int which, fm_trend *out)
{
    fm_trend other;

    if (which)
        fm_entry_trends(e, &other, out);
    else
        fm_entry_trends(e, out, &other);
}

void
fm_entry_share(const fm_entry *e, double tolerance, fm_share *out)
{
    const fm_link *l = fm_entry_link(e);
    const dhcpsrv2_failover_counters *c = &e->last;
    gboolean standby;

    memset(out, 0, sizeof(*out));
    if (!l || !e->with_stats || l->mode > 1 || l->server_type > 1 || l->percentage > 100)
        return;
    out->mode = l->mode;
    out->server_type = l->server_type;
    out->rel_state = l->state;
    out->rel_name = l->rel_name;
    /* load balance: percentage is the primary's share; hot standby: the
     * standby's (secondary's) reserve */
    standby = l->mode == 1 && l->server_type == 1;
    if (l->mode == 0)
        out->expected = l->server_type == 0 ? l->percentage : 100u - l->percentage;
    else
        out->expected = standby ? l->percentage : 100u - l->percentage;
    if (c->addr_free == 0)
        return;
    out->share = 100.0 * c->this_addr_free / c->addr_free;
    if (standby && l->percentage > 0 && c->this_addr_free == 0)
        out->state = FM_SHARE_RESERVE_USED_UP;
    else if (fabs(out->share - out->expected) <= tolerance + 1e-9)
        out->state = FM_SHARE_OK;
    else
        out->state = FM_SHARE_OFF;
}

gboolean
fm_entry_partner_frozen(const fm_entry *e, guint *polls)
{
    const fm_link *l = fm_entry_link(e);

    if (polls)
        *polls = e->frozen_this_moved ? e->frozen_run : 0;
    return e->frozen_this_moved && e->frozen_run >= FM_FROZEN_POLLS && l &&
           l->state != DHCPSRV2_FSM_NORMAL;
}
