/* failover-tree.c -- the stats_tree view of the failover model.
 *
 *   stats_tree   "DHCP Failover/Scope statistics"
 *                tshark -q -z dhcpsrv2_failover,tree[,filter]
 *                GUI: Statistics -> DHCP Failover -> Scope statistics
 *
 * A thin view: the packet callback feeds the view's own model
 * (failover-model.c) and nothing else; the tree is rendered from the model
 * when it is drawn (the draw hook, failover-views.c): every node is set
 * from the model through the public stats_tree API (a node is found by its
 * parent and name, created on first use).  tshark draws once, the GUI every
 * few seconds while it reads; a draw costs servers x scopes, never packets.
 * The public API cannot rename or remove a node: in the GUI, a node whose
 * name carries a value (trend, share) that changed between two draws stays
 * listed under its old name with the count of the draw that made it.  Node names carry the values that are not counts
 * (min / max / average with two decimals, trends, shares), so that every
 * number is printed once, the way a person reads it, and the Count and
 * Percent columns hold counts that are parts of their parent (nodes that
 * are not parts hang under nodes of count 0: their Percent is empty).
 * Children are sorted by name (the tree's default sort), so the same capture
 * gives the same bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stats_tree.h>

#include "dhcpsrv2.h"
#include "dhcpsrv-werror.h"
#include "failover-views.h"

/* Top-level node names (their order is the order of the names). */
#define ST_BY_SERVER      "By server"
#define ST_PARTNER        "Partner agreement"
#define ST_RULE           "Partner pairing rule"
#define ST_RELATIONSHIPS  "Relationships"
#define ST_HEALTH         "Scope health"
#define ST_UNDECODED      "Undecoded calls"

/* Children of ST_RULE: the pairing rule in words (they sort by the digit). */
static const char *const ft_rule_lines[] = {
    "1 partners: the two servers answering the same scope id",
    "2 a poll is compared with the partner's poll nearest in time,",
    "3 when that poll's nearest partner poll is this one (ties: the earlier)",
    "4 each poll in at most one comparison; only within 30 s (window 30 s)",
    "5 agree: this free/in use == partner's partner free/in use, and back",
    "6 persistent: the same direction of difference 2+ comparisons in a row",
    "7 more than two servers for a scope id: not compared",
};

typedef struct ft_node_key {
    int parent;
    char *name;
    gboolean children;
} ft_node_key;

typedef struct ft_view {
    stats_tree *st;
    fm_model *model;
    guint64 drawn;              /* model generation last rendered */
    gboolean drawn_once;
    GArray *nodes;              /* ft_node_key of every node rendered (for a reset) */
    GHashTable *known;          /* "parent/name" of those, to add each once */
} ft_view;

/* One view per tree instance (tshark may run several with different
 * filters; the GUI makes a fresh instance per dialog). */
static GHashTable *ft_views;
static ft_view *ft_current;     /* the view being rendered */

/* ------------------------------------------------------------------------ */
/* Node helpers                                                               */

static gint
ft_clamp(guint64 v)
{
    return v > G_MAXINT ? G_MAXINT : (gint)v;
}

/* Sets the count of node `name` under `parent`, created on first use (the
 * public stats_tree API finds a node by its parent and name); returns its
 * id when it has children. */
static int
ft_node(stats_tree *st, int parent, const char *name, guint64 count, gboolean children)
{
    int id = stats_tree_manip_node_int(MN_SET, st, name, parent, children, ft_clamp(count));
    char *key = g_strdup_printf("%d/%s", parent, name);

    if (ft_current && !g_hash_table_contains(ft_current->known, key)) {
        ft_node_key k = { parent, g_strdup(name), children };
        g_array_append_val(ft_current->nodes, k);
        g_hash_table_add(ft_current->known, key);
    } else {
        g_free(key);
    }
    return id;
}

static int
ft_nodef(stats_tree *st, int parent, guint64 count, gboolean children, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);

static int
ft_nodef(stats_tree *st, int parent, guint64 count, gboolean children, const char *fmt, ...)
{
    va_list ap;
    char *name;
    int id;

    va_start(ap, fmt);
    name = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    id = ft_node(st, parent, name, count, children);
    g_free(name);
    return id;
}

/* ------------------------------------------------------------------------ */
/* By server                                                                  */

static void
ft_render_counters(stats_tree *st, int scope_id, const fm_entry *e)
{
    int id = ft_node(st, scope_id, "Counters", e->with_stats, TRUE);
    guint i;

    for (i = 0; i < FM_COUNTERS; i++) {
        const fm_stat *s = &e->counter[i];
        const guint32 *last = (const guint32 *)&e->last;
        ft_nodef(st, id, e->with_stats, FALSE, "%s: last %u, min %u, max %u, average %.2f",
                 fm_counter_names[i], last[i], s->min, s->max,
                 (double)s->total / e->with_stats);
    }
    if (e->util_count)
        ft_nodef(st, id, e->util_count, FALSE,
                 "utilization %%: last %.2f, min %.2f, max %.2f, average %.2f",
                 e->last_util, e->util_min, e->util_max, e->util_total / e->util_count);
}

/* Errors by status: one child per name (two values may share a name). */
static void
ft_render_errors(stats_tree *st, int scope_id, const fm_entry *e)
{
    int id = ft_node(st, scope_id, "Errors by status", e->errors, TRUE);
    GHashTable *by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const fm_status_count *sc;
    GHashTableIter it;
    gpointer key, value;

    for (sc = e->status_counts; sc; sc = sc->next) {
        const char *name = dhcpsrv_werror_name(sc->status);
        char *k = name ? g_strdup(name) : g_strdup_printf("0x%08x", sc->status);
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(by_name, k));
        g_hash_table_replace(by_name, k, GUINT_TO_POINTER(n + sc->count));
    }
    g_hash_table_iter_init(&it, by_name);
    while (g_hash_table_iter_next(&it, &key, &value))
        ft_node(st, id, (const char *)key, GPOINTER_TO_UINT(value), FALSE);
    g_hash_table_destroy(by_name);
}

static void
ft_render_entry(stats_tree *st, int server_id, const fm_entry *e)
{
    int id = ft_node(st, server_id, e->scope_name, e->polls, TRUE);
    int vid;
    guint i;

    if (e->with_stats)
        ft_render_counters(st, id, e);
    ft_render_errors(st, id, e);
    vid = ft_node(st, id, "Invariant violations", e->violations, TRUE);
    for (i = 0; i < DHCPSRV2_CHECK_COUNT; i++)
        if (e->violation[i])
            ft_node(st, vid, fm_check_names[i], e->violation[i], FALSE);
    ft_node(st, id, "Malformed responses", e->malformed, FALSE);
    if (e->with_stats) {
        int bid = ft_node(st, id, "Utilization buckets", e->util_count, TRUE);
        for (i = 0; i < FM_BUCKETS; i++)
            ft_node(st, bid, fm_bucket_names[i], e->bucket[i], FALSE);
    }
}

static void
ft_render_by_server(stats_tree *st, const fm_model *m)
{
    int root = ft_node(st, 0, ST_BY_SERVER, m->polls, TRUE);
    guint i, j;

    for (i = 0; i < m->servers_sorted->len; i++) {
        const fm_server *srv = (const fm_server *)g_ptr_array_index(m->servers_sorted, i);
        int sid;

        if (!srv->polls)
            continue;   /* only relationship, MIB or undecoded records */
        sid = ft_node(st, root, srv->name, srv->polls, TRUE);
        for (j = 0; j < m->entries_sorted->len; j++) {
            const fm_entry *e = (const fm_entry *)g_ptr_array_index(m->entries_sorted, j);
            if (e->server == srv && e->polls)
                ft_render_entry(st, sid, e);
        }
        if (srv->sip_total) {
            int pid = ft_node(st, sid, "ServerIpAddress differs", srv->sip_total, TRUE);
            GHashTableIter it;
            gpointer key, value;

            g_hash_table_iter_init(&it, srv->sip_counts);
            while (g_hash_table_iter_next(&it, &key, &value))
                ft_node(st, pid, (const char *)key, *(const guint *)value, FALSE);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Partner agreement                                                          */

static void
ft_render_pair(stats_tree *st, int scope_id, const fm_scope *sc, const fm_pair_counts *c)
{
    int id = ft_node(st, scope_id, sc->pair_name, c->compared, TRUE);
    int did;

    ft_node(st, id, "Agree", c->agree, FALSE);
    did = ft_node(st, id, "Disagree", c->disagree, TRUE);
    ft_node(st, did, "Persistent (same direction 2+ comparisons in a row)", c->persistent, FALSE);
    ft_nodef(st, did, c->free_differs, FALSE, "free differs, max diff free %u", c->max_dfree);
    ft_nodef(st, did, c->in_use_differs, FALSE, "in use differs, max diff in use %u",
             c->max_dinuse);
    if (c->persistent)
        ft_nodef(st, id, c->persistent, FALSE,
                 "PERSISTENT DISAGREEMENT: longest run %u, last frames %u and %u",
                 c->longest_run, c->last_frames[0], c->last_frames[1]);
}

static void
ft_render_partner(stats_tree *st, const fm_model *m)
{
    guint64 total = 0;
    int root;
    guint i;

    for (i = 0; i < m->scopes_sorted->len; i++) {
        const fm_scope *sc = (const fm_scope *)g_ptr_array_index(m->scopes_sorted, i);
        fm_pair_counts c;
        if (sc->a) {
            fm_scope_pair_counts(sc, &c);
            total += c.compared;
        }
    }
    root = ft_node(st, 0, ST_PARTNER, total, TRUE);
    for (i = 0; i < m->scopes_sorted->len; i++) {
        const fm_scope *sc = (const fm_scope *)g_ptr_array_index(m->scopes_sorted, i);
        fm_pair_counts c;
        int id;

        if (!sc->members->len)
            continue;   /* a scope only MIB answers named */
        memset(&c, 0, sizeof(c));
        if (sc->a)
            fm_scope_pair_counts(sc, &c);
        id = ft_node(st, root, sc->name, c.compared, TRUE);
        if (sc->a)
            ft_render_pair(st, id, sc, &c);
        else if (sc->members->len == 1)
            ft_node(st, id, "Only one server answering: not compared", 0, FALSE);
        else
            ft_nodef(st, id, 0, FALSE, "More than two servers (%u): not compared",
                     sc->members->len);
    }
}

/* ------------------------------------------------------------------------ */
/* Scope health                                                               */

static const char *
ft_mode_role(const fm_share *s)
{
    static const char *const names[2][2] = {
        { "LoadBalance primary", "LoadBalance secondary" },
        { "HotStandby primary (active)", "HotStandby secondary (standby)" },
    };
    return names[s->mode & 1][s->server_type & 1];
}

static const char *
ft_share_verdict(fm_share_state state)
{
    switch (state) {
    case FM_SHARE_OK:               return "ok";
    case FM_SHARE_OFF:              return "OFF";
    case FM_SHARE_RESERVE_USED_UP:  return "RESERVE USED UP";
    default:                        return "-";
    }
}

static void
ft_render_trend(stats_tree *st, int id, const fm_entry *e, int which)
{
    fm_trend t;
    char when[32];

    fm_entry_trend(e, which, &t);
    if (!t.n)
        return;
    fm_format_duration(when, sizeof(when), &t);
    ft_nodef(st, id, 0, FALSE, "%s trend: %+.2f/h over the last %u polls, to 0: %s",
             which ? "addrFree" : "thisAddrFree", fabs(t.per_hour) < 0.005 ? 0.0 : t.per_hour,
             t.n, when);
}

static void
ft_render_health_entry(stats_tree *st, int server_id, const fm_entry *e)
{
    int id = ft_node(st, server_id, e->scope_name, 0, TRUE);
    guint frozen, mc, ma, md;
    gint64 dfree, dinuse;
    fm_share sh;

    ft_render_trend(st, id, e, 0);
    ft_render_trend(st, id, e, 1);
    fm_entry_share(e, dhcpsrv2_share_tolerance(), &sh);
    if (sh.state != FM_SHARE_UNKNOWN)
        ft_nodef(st, id, 0, FALSE, "Share of free addresses: %.2f %% (expected %u %%, %s): %s",
                 sh.share, sh.expected, ft_mode_role(&sh), ft_share_verdict(sh.state));
    if (fm_entry_partner_frozen(e, &frozen)) {
        const char *state = dhcpsrv2_fsm_state_name(sh.rel_state);
        ft_nodef(st, id, 0, FALSE, "PARTNER FROZEN: partner counters unchanged for %u polls (%s)",
                 frozen, state ? state : "unknown state");
    }
    if (e->mib_samples) {
        fm_entry_mib_counts(e, &mc, &ma, &md, &dfree, &dinuse);
        ft_nodef(st, id, 0, FALSE,
                 "MIB cross-check: %u compared, %u agree, %u disagree%s; last MIB free %u, "
                 "in use %u, pending offers %u",
                 mc, ma, md, md ? " (MIB DIFFERS)" : "", e->mib_last.num_addresses_free,
                 e->mib_last.num_addresses_in_use, e->mib_last.num_pending_offers);
    }
}

static void
ft_render_health(stats_tree *st, const fm_model *m)
{
    int root = ft_node(st, 0, ST_HEALTH, 0, TRUE);
    guint i, j;

    for (i = 0; i < m->servers_sorted->len; i++) {
        const fm_server *srv = (const fm_server *)g_ptr_array_index(m->servers_sorted, i);
        int sid = -1;

        for (j = 0; j < m->entries_sorted->len; j++) {
            const fm_entry *e = (const fm_entry *)g_ptr_array_index(m->entries_sorted, j);
            if (e->server != srv || !e->scope || (!e->with_stats && !e->mib_samples))
                continue;
            if (sid < 0)
                sid = ft_node(st, root, srv->name, 0, TRUE);
            ft_render_health_entry(st, sid, e);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Relationships                                                              */

static char *
ft_link_label(const fm_link *l)
{
    const char *state = dhcpsrv2_fsm_state_name(l->state);
    const char *name = l->rel_name[0] ? l->rel_name : "(no name)";

    if (state)
        return g_strdup_printf("Relationship: %s (%s)", name, state);
    return g_strdup_printf("Relationship: %s (unknown %u)", name, l->state);
}

/* Relationship reports by server, then scope, then relationship: a scope
 * a server never answered opnum 97 for is listed too. */
static void
ft_render_relationships(stats_tree *st, const fm_model *m)
{
    GArray *scopes = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint64 total = 0;
    int root;
    guint i, j, k;

    root = ft_node(st, 0, ST_RELATIONSHIPS, 0, TRUE);
    for (i = 0; i < m->servers_sorted->len; i++) {
        const fm_server *srv = (const fm_server *)g_ptr_array_index(m->servers_sorted, i);
        GHashTableIter it;
        gpointer key, value;
        guint srv_reports = 0;
        int sid;

        if (!g_hash_table_size(srv->links))
            continue;
        g_array_set_size(scopes, 0);
        g_hash_table_iter_init(&it, srv->links);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            guint32 id = GPOINTER_TO_UINT(key);
            const fm_link *l;
            g_array_append_val(scopes, id);
            for (l = (const fm_link *)value; l; l = l->next)
                srv_reports += l->reports;
        }
        total += srv_reports;
        sid = ft_node(st, root, srv->name, srv_reports, TRUE);
        for (j = 0; j < scopes->len; j++) {
            guint32 scope_id = g_array_index(scopes, guint32, j);
            const fm_link *head = (const fm_link *)g_hash_table_lookup(srv->links,
                                                                      GUINT_TO_POINTER(scope_id));
            const fm_link *l;
            guint reports = 0;
            char name[16];
            int scid;

            for (l = head; l; l = l->next)
                reports += l->reports;
            g_snprintf(name, sizeof(name), "%u.%u.%u.%u", scope_id >> 24, (scope_id >> 16) & 0xff,
                       (scope_id >> 8) & 0xff, scope_id & 0xff);
            scid = ft_node(st, sid, name, reports, TRUE);
            for (l = head; l; l = l->next) {
                char *label = ft_link_label(l);
                int lid = ft_node(st, scid, label, l->reports, TRUE);
                g_free(label);
                for (k = 0; k <= DHCPSRV2_FSM_STATE_COUNT; k++)
                    if (l->state_reports[k])
                        ft_node(st, lid, k < DHCPSRV2_FSM_STATE_COUNT ? dhcpsrv2_fsm_state_name(k)
                                                                     : "unknown state",
                                l->state_reports[k], FALSE);
            }
        }
    }
    stats_tree_manip_node_int(MN_SET, st, ST_RELATIONSHIPS, 0, TRUE, ft_clamp(total));
    g_array_free(scopes, TRUE);
}

/* ------------------------------------------------------------------------ */
/* Undecoded calls                                                            */

static void
ft_render_undecoded(stats_tree *st, const fm_model *m)
{
    int root = ft_node(st, 0, ST_UNDECODED, (guint64)m->sealed + m->untrusted, TRUE);
    int sealed = ft_node(st, root, "Sealed (packet privacy, not decrypted)", m->sealed, TRUE);
    int untrusted = ft_node(st, root, "Untrusted (decrypted stub not trusted, not used)",
                            m->untrusted, TRUE);
    guint i, j;

    for (i = 0; i < m->servers_sorted->len; i++) {
        const fm_server *srv = (const fm_server *)g_ptr_array_index(m->servers_sorted, i);

        if (srv->sealed) {
            int sid = ft_node(st, sealed, srv->name, srv->sealed, TRUE);
            for (j = 0; j < srv->undecoded_ops->len; j++) {
                const fm_undecoded_op *op = &g_array_index(srv->undecoded_ops, fm_undecoded_op, j);
                const char *name = fm_operation_name(op->interface_id, op->opnum);
                ft_nodef(st, sid, op->sealed, FALSE, "%s %s (%u)",
                         op->interface_id == DHCPSRV2_IF_DHCPSRV ? "dhcpsrv" : "dhcpsrv2",
                         name ? name : "unknown operation", op->opnum);
            }
        }
        if (srv->untrusted)
            ft_node(st, untrusted, srv->name, srv->untrusted, FALSE);
    }
}

/* ------------------------------------------------------------------------ */
/* The callbacks                                                              */

static void
ft_create_all(ft_view *v)
{
    stats_tree *st = v->st;
    int rule;
    guint i;

    ft_current = v;
    ft_render_by_server(st, v->model);
    ft_render_partner(st, v->model);
    rule = ft_node(st, 0, ST_RULE, 0, TRUE);
    for (i = 0; i < G_N_ELEMENTS(ft_rule_lines); i++)
        ft_node(st, rule, ft_rule_lines[i], 0, FALSE);
    ft_render_health(st, v->model);
    ft_render_relationships(st, v->model);
    ft_render_undecoded(st, v->model);
    ft_current = NULL;
}

/* The draw hook: every node again from the model, when it changed. */
static void
ft_render(void *p)
{
    ft_view *v = (ft_view *)p;

    if (v->drawn_once && v->drawn == v->model->generation)
        return;
    ft_create_all(v);
    v->drawn = v->model->generation;
    v->drawn_once = TRUE;
}

static void
ft_node_key_clear(gpointer p)
{
    g_free(((ft_node_key *)p)->name);
}

static void
ft_init(stats_tree *st)
{
    ft_view *v;
    guint i;

    if (!ft_views)
        ft_views = g_hash_table_new(g_direct_hash, g_direct_equal);
    v = (ft_view *)g_hash_table_lookup(ft_views, st);
    if (!v) {
        v = g_new0(ft_view, 1);
        v->st = st;
        v->model = fm_model_new();
        v->nodes = g_array_new(FALSE, FALSE, sizeof(ft_node_key));
        g_array_set_clear_func(v->nodes, ft_node_key_clear);
        v->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(ft_views, st, v);
    } else {
        /* init again (the GUI's reset): start from an empty model.  The
         * public API cannot remove nodes: the ones shown so far count 0. */
        fv_hook_remove(v);
        fm_model_clear(v->model);
        v->drawn_once = FALSE;
        for (i = 0; i < v->nodes->len; i++) {
            const ft_node_key *k = &g_array_index(v->nodes, ft_node_key, i);
            stats_tree_manip_node_int(MN_SET, st, k->name, k->parent, k->children, 0);
        }
    }
    ft_create_all(v);
}

static void
ft_cleanup(stats_tree *st)
{
    ft_view *v = ft_views ? (ft_view *)g_hash_table_lookup(ft_views, st) : NULL;

    if (!v)
        return;
    /* never remove a tap listener here (see failover-views.h) */
    fv_hook_remove(v);
    g_hash_table_remove(ft_views, st);
    fm_model_free(v->model);
    g_array_free(v->nodes, TRUE);
    g_hash_table_destroy(v->known);
    g_free(v);
}

static tap_packet_status
ft_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
          tap_flags_t flags _U_)
{
    static stats_tree *last_st;
    static ft_view *last_view;
    ft_view *v;

    /* a lookup cache: one tree instance is the common case */
    if (st == last_st && last_view && last_view->st == st && ft_views &&
        g_hash_table_lookup(ft_views, st) == last_view)
        v = last_view;
    else
        v = ft_views ? (ft_view *)g_hash_table_lookup(ft_views, st) : NULL;
    last_st = st;
    last_view = v;
    if (!v || !fm_model_feed(v->model, (const dhcpsrv2_tap_record *)data, &pinfo->abs_ts, NULL))
        return TAP_PACKET_DONT_REDRAW;
    fv_hook_add(v, ft_render);
    return TAP_PACKET_REDRAW;
}

void
register_dhcpsrv2_tree(void)
{
    stats_tree_register_plugin(DHCPSRV2_TAP_NAME, "dhcpsrv2_failover",
                               "DHCP Failover/Scope statistics",
                               ST_SORT_COL_NAME << ST_FLG_SRTCOL_SHIFT,
                               ft_packet, ft_init, ft_cleanup);
}
