/* dhcpsrv2-stats.c -- DHCP failover statistics, fed only by the dhcpsrv2 tap.
 *
 * Input: the dhcpsrv2_tap_record of include/dhcpsrv2-tap.h (one per decoded
 * dhcpsrv2 response).  R_DhcpV4FailoverGetScopeStatistics (opnum 97) records
 * feed both outputs; the tree also links each (server, scope) to the failover
 * relationship the server reports for it (relationships of GetRelationship 92,
 * EnumRelationship 93 and GetScopeRelationship 96 answers).  Packets are never
 * re-parsed here.  The relationship table (-z dhcpsrv2_failover,relationships)
 * is in dhcpsrv2-relstats.c.
 *
 * Two outputs, each with its own accumulator (fo_state, below):
 *
 *   stats_tree   "DHCP Failover/Scope statistics"
 *                tshark -q -z dhcpsrv2_failover,tree[,filter]
 *                GUI: Statistics -> DHCP Failover -> Scope statistics
 *   stat table   "DHCP Failover Scopes" (a stat_tap_table_ui)
 *                tshark -q -z dhcpsrv2_failover,scopes[,filter]
 *                GUI: Statistics -> DHCP Failover Scopes
 *
 * State is kept per (server, scope) and per scope, never per packet: the
 * cross-partner check is streaming (see fo_partner_update() and
 * docs/statistics.md for the exact rule).  Every output is sorted (the tree by
 * node name, the table by server address bytes then scope id), so the same
 * capture always gives the same bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/stats_tree.h>
#include <epan/stats_tree_priv.h>
#include <epan/stat_tap_ui.h>

#include "dhcpsrv2.h"
#include "dhcpsrv2-relstats.h"
#include "dhcpsrv-werror.h"

/* ------------------------------------------------------------------------ */
/* Constants and names                                                        */

/* Pairing window of the cross-partner check, in seconds (printed in both
 * outputs; keep the texts below in step). */
#define FO_WINDOW_S 30
#define FO_WINDOW_NS ((gint64)FO_WINDOW_S * 1000000000)

/* The checks that say the counters contradict each other ("Inconsistent"
 * column of the table).  The other bits are states (exhaustion) or protocol
 * anomalies (status vs statistics); the tree counts every bit. */
#define FO_CONSISTENCY_BITS (DHCPSRV2_CHECK_FREE_INUSE_MISMATCH | \
                             DHCPSRV2_CHECK_FREE_SPLIT_MISMATCH | \
                             DHCPSRV2_CHECK_INUSE_SPLIT_MISMATCH)

#define FO_COUNTERS 7

/* DHCP_FAILOVER_STATISTICS member names, wire order. */
static const char *const fo_counter_names[FO_COUNTERS] = {
    "numAddr", "addrFree", "addrInUse", "partnerAddrFree",
    "thisAddrFree", "partnerAddrInUse", "thisAddrInUse",
};

/* One human name per dhcpsrv2_check bit, bit order. */
static const char *const fo_check_names[DHCPSRV2_CHECK_COUNT] = {
    "addrFree + addrInUse != numAddr",
    "thisAddrFree + partnerAddrFree != addrFree",
    "thisAddrInUse + partnerAddrInUse != addrInUse",
    "addrFree == 0 (scope exhausted)",
    "thisAddrFree == 0 while partnerAddrFree > 0",
    "status 0 but no statistics",
    "statistics with an error status",
};

/* Utilization buckets: [0,50) [50,80) [80,90) [90,...) percent.  The names
 * sort by name in this order, which is how stats_tree prints them. */
static const char *const fo_bucket_names[4] = {
    "0-50 %", "50-80 %", "80-90 %", "90-100 %",
};

/* stats_tree node names */
#define ST_BY_SERVER      "By server"
#define ST_PARTNER        "Partner agreement"
#define ST_RULE           "Partner pairing rule"
#define ST_SIP_PIVOT      "ServerIpAddress differs"
#define ST_ERRORS         "Errors by status"
#define ST_MALFORMED      "Malformed responses"
#define ST_COUNTERS       "Counters"
#define ST_UTILIZATION    "utilization %"  /* lower case: sorts after the counters */
#define ST_BUCKETS        "Utilization buckets"
#define ST_VIOLATIONS     "Invariant violations"
#define ST_ANSWERING      "Servers answering"
#define ST_AMBIGUOUS      "More than two servers: not compared"
#define ST_AGREE          "Agree"
#define ST_DISAGREE       "Disagree"
#define ST_DIFF_FREE      "|diff| free"
#define ST_DIFF_INUSE     "|diff| in use"
#define ST_REL_PREFIX     "Relationship: "  /* + "<name> (<last state>)" */
#define ST_REL_NO_NAME    "(no name)"
#define ST_REL_UNKNOWN    "unknown state"   /* child counting states without a name */

/* Children of ST_RULE: the pairing rule in words (they sort by the digit). */
static const char *const fo_rule_lines[] = {
    "1 partners: the two servers answering the same scope id",
    "2 a response is compared with the partner's latest response",
    "3 only if the two are at most 30 s apart (window 30 s)",
    "4 agree: this free/in use == partner's partner free/in use",
    "5 and partner free/in use == partner's this free/in use",
    "6 |diff| = largest absolute difference of those pairs",
    "7 more than two servers for a scope id: not compared",
};

/* ------------------------------------------------------------------------ */
/* How the work is split                                                      */

/* A record only updates a small accumulator per (server, scope) (fo_entry,
 * below), a few adjacent cache lines, and marks the entry dirty.  The
 * stats_tree nodes and the table rows are written from the accumulator when
 * the output is drawn (fo_sync()), for the dirty entries only: tshark draws
 * once, at the end; the GUI every second or so while it reads.
 *
 * Neither a stats_tree nor a stat_tap_table_ui has a "before drawing" hook,
 * so one extra listener on the dhcpsrv2 tap (fo_sync_hook()) has a draw
 * callback that runs fo_sync() on every accumulator waiting for it.  It must
 * draw before the outputs' own listeners: draw_tap_listeners() walks the
 * listeners from the most recently registered, so the extra listener is
 * (re-)registered at an output's first record after its init or reset, when
 * every output's own listener is registered, and goes when the last
 * accumulator is reset or freed.  Writing the stats_tree nodes on every
 * record touched some twenty separately allocated nodes and a table row per
 * record: most of the statistics' cost was cache misses on those
 * (BENCHMARKS.md). */

/* ------------------------------------------------------------------------ */
/* stats_tree nodes                                                           */

/* stats_tree_manip_node_int() looks a node up by name in its parent's hash
 * and keeps burst-rate buckets.  Instead every node is created once through
 * the API (stats_tree_create_node() returns an id, the node is
 * st->parents[id]; stats_tree_priv.h is the installed implementor's header)
 * and fo_sync() sets its counter, total, min, max and ST_FLG_AVERAGE,
 * exactly what MN_INCREASE, MN_SET and MN_AVERAGE would have accumulated,
 * minus the burst columns (shown as "-"). */

static stat_node *
fo_node_create(stats_tree *st, const char *name, int parent_id, stat_node_datatype type,
               gboolean with_children)
{
    int id = stats_tree_create_node(st, name, parent_id, type, with_children);
    return (stat_node *)g_ptr_array_index(st->parents, id);
}

static stat_node *
fo_pivot_create(stats_tree *st, const char *name, int parent_id)
{
    int id = stats_tree_create_pivot(st, name, parent_id);
    return (stat_node *)g_ptr_array_index(st->parents, id);
}

/* The child of a node created with children, created on first use. */
static stat_node *
fo_node_child(stats_tree *st, stat_node *parent, const char *name)
{
    stat_node *n = (stat_node *)g_hash_table_lookup(parent->hash, name);
    return n ? n : fo_node_create(st, name, parent->id, STAT_DT_INT, FALSE);
}

static gint
fo_clamp_int(guint64 v)
{
    return v > G_MAXINT ? G_MAXINT : (gint)v;
}

static void
fo_node_set_count(stat_node *n, guint count)
{
    n->counter = fo_clamp_int(count);
}

/* count/total/min/max of int values, as MN_AVERAGE keeps them */
typedef struct fo_int_stat {
    gint64 total;
    gint min, max;
} fo_int_stat;

static inline void
fo_int_stat_add(fo_int_stat *a, guint count_before, gint v)
{
    if (count_before == 0 || v < a->min)
        a->min = v;
    if (count_before == 0 || v > a->max)
        a->max = v;
    a->total += v;
}

static void
fo_node_set_avg_int(stat_node *n, guint count, const fo_int_stat *a)
{
    n->counter = fo_clamp_int(count);
    if (count == 0)
        return;
    n->total.int_total = a->total;
    n->minvalue.int_min = a->min;
    n->maxvalue.int_max = a->max;
    n->st_flags |= ST_FLG_AVERAGE;
}

/* ------------------------------------------------------------------------ */
/* The accumulator                                                            */

typedef struct fo_server fo_server;
typedef struct fo_scope fo_scope;
typedef struct fo_entry fo_entry;
typedef struct fo_link fo_link;
typedef struct fo_state fo_state;

/* Responses of one (server, scope) with one failure status (tree only). */
typedef struct fo_status_count {
    struct fo_status_count *next;
    guint32 status;
    guint count;
    stat_node *node;            /* child of the entry's ST_ERRORS pivot */
} fo_status_count;

/* One (server, scope, relationship name) the server reported (tree only):
 * the scope is in the relationship's scope list, or it is the scopeId of a
 * GetScopeRelationship call answered with that relationship.  Its nodes live
 * under the (server, scope) node once that exists (first opnum 97 answer). */
struct fo_link {
    fo_link *next;              /* other relationships of the same (server, scope) */
    fo_server *server;
    guint32 scope_id;
    char *rel_name;             /* "" when the name was NULL */
    guint32 state;              /* last reported FSM_STATE */
    guint reports;              /* relationship reports that named the scope */
    guint state_reports[DHCPSRV2_FSM_STATE_COUNT + 1];  /* per state; last: no name */
    guint64 stamp;              /* fo_state.rec_seq of the last counted record */
    gboolean dirty;             /* in fo_state.dirty_links */

    stat_node *n_link;          /* ST_REL_PREFIX "<name> (<state>)" */
    guint32 shown_state;        /* the state in n_link's name */
    stat_node *n_state[DHCPSRV2_FSM_STATE_COUNT + 1];
};

/* One (server, scope).  The first block is what every record of the pair
 * touches; it is kept together (a few cache lines) on purpose. */
struct fo_entry {
    guint polls;                /* responses */
    guint errors;               /* responses with a failure status */
    guint malformed;
    guint with_stats;           /* responses with statistics (stats_present) */
    guint inconsistent;         /* responses with any FO_CONSISTENCY_BITS */
    gboolean dirty;             /* in fo_state.dirty: the outputs are behind */
    gboolean member;            /* counted in scope->members */
    guint member_index;         /* its place in scope->members */
    guint32 min_free;
    guint32 first_free;
    dhcpsrv2_failover_counters last;    /* last response with statistics */
    double last_util;           /* of `last`; 0 when its numAddr is 0 */
    fo_scope *scope;            /* NULL: responses whose scope id is unknown */
    fo_server *server;

    /* tree instances only: what the nodes show */
    fo_int_stat counter[FO_COUNTERS];   /* over the with_stats responses */
    guint util_count;           /* responses with statistics and numAddr > 0 */
    double util_total;          /* sum of (gfloat) utilization, like MN_AVERAGE */
    gfloat util_min, util_max;
    guint bucket[4];
    guint violations;           /* responses with any check bit */
    guint violation[DHCPSRV2_CHECK_COUNT];
    fo_status_count *status_counts;

    /* cold */
    guint32 scope_id;
    char scope_name[16];        /* dotted quad or "unknown" */
    guint row;                  /* table row (table instance only) */
    stat_node *n_scope, *n_errors, *n_malformed, *n_counters, *n_util;
    stat_node *n_counter[FO_COUNTERS];
    stat_node *n_buckets, *n_bucket[4];
    stat_node *n_violations, *n_violation[DHCPSRV2_CHECK_COUNT];
};

/* A server's entries by scope id: open addressing, linear probing.  One
 * probe is usually one cache line; GHashTable keeps hashes, keys and values
 * in three arrays. */
typedef struct fo_slot {
    guint32 scope_id;
    fo_entry *entry;            /* NULL: free slot */
} fo_slot;

typedef struct fo_entry_map {
    fo_slot *slots;
    guint mask;                 /* capacity - 1 (a power of two) */
    guint used;
} fo_entry_map;

/* One answering server. */
struct fo_server {
    address addr;               /* deep copy: the hash key */
    char *name;                 /* address_to_str(), formatted once */
    fo_entry_map entries;       /* scope_id -> fo_entry (owned) */
    fo_entry *unknown;          /* scope id unknown (owned) */
    guint polls;
    GHashTable *links;          /* scope_id -> fo_link list (owned; tree only) */
    guint sip_total;            /* responses whose request named another ServerIpAddress */
    GHashTable *sip_counts;     /* that name (owned) -> guint count (owned; tree only) */
    guint64 synced;             /* fo_state.sync_seq of its last fo_sync() */

    stat_node *n_server;        /* created with the server's first entry */
    stat_node *n_sip;           /* ST_SIP_PIVOT, created when first needed */
};

/* The latest sample of one of the first two members of a scope: what the
 * cross-partner check compares, kept in the scope so that a record reads
 * its partner's sample without touching the partner's entry. */
typedef struct fo_sample {
    nstime_t ts;
    guint32 this_free, partner_free, this_in_use, partner_in_use;
} fo_sample;

/* One scope id, across servers: the cross-partner state. */
struct fo_scope {
    guint32 scope_id;
    guint n_members;            /* == members->len, read on every record */
    gboolean dirty;             /* in fo_state.dirty_scopes */
    fo_sample sample[2];        /* of members[0] and members[1] */
    fo_entry *a, *b;            /* the pair (lower address first) while n_members == 2 */
    guint compared, agree, disagree;
    guint32 max_dfree, max_dinuse;
    fo_int_stat dfree, dinuse;  /* over `compared` (tree only) */
    GPtrArray *members;         /* fo_entry that answered with statistics */
    char name[16];
    char *pair_name;            /* "A vs B", kept when a third server appears */
    char *ambiguous_text;       /* "ambiguous: N servers" */
    guint64 synced;

    /* nodes under ST_PARTNER */
    stat_node *n_pscope, *n_answering, *n_ambiguous;
    stat_node *n_pair, *n_agree, *n_disagree, *n_dfree, *n_dinuse;
};

#define FO_SMALL_SERVERS 8      /* found by a scan of server_list below this */

struct fo_state {
    GHashTable *servers;        /* address -> fo_server (owned) */
    GPtrArray *server_list;     /* the same servers, arrival order */
    GHashTable *scopes;         /* scope_id -> fo_scope (owned) */
    GPtrArray *entries;         /* table: every fo_entry in table order */
    GPtrArray *new_entries;     /* table: created since the last fo_sync() */
    GPtrArray *dirty;           /* entries changed since the last fo_sync() */
    GPtrArray *dirty_scopes;    /* scopes whose pairing or comparison changed */
    GPtrArray *dirty_links;     /* tree: links changed since the last fo_sync() */
    guint polls;                /* opnum 97 records */
    guint total_compared;
    guint64 rec_seq;            /* relationship records seen (fo_link.stamp) */
    guint64 sync_seq;           /* fo_sync() calls */

    /* exactly one of these is set */
    stats_tree *st;
    stat_tap_table *table;

    stat_node *n_by_server, *n_partner;
    gboolean reinit;            /* inside stats_tree_reinit() from fo_tree_init() */
    gboolean sync_hooked;       /* the draw hook listener is registered */
    gboolean sync_per_record;   /* it could not be: sync after every record */
};

static guint
fo_addr_hash(gconstpointer key)
{
    const address *addr = (const address *)key;
    return add_address_to_hash((guint)addr->type, addr);
}

static gboolean
fo_addr_equal(gconstpointer a, gconstpointer b)
{
    return addresses_equal((const address *)a, (const address *)b);
}

static inline guint
fo_slot_of(guint32 scope_id, guint mask)
{
    guint32 h = scope_id * 0x9E3779B1u;
    return (h ^ (h >> 16)) & mask;
}

static fo_entry *
fo_entry_map_lookup(const fo_entry_map *m, guint32 scope_id)
{
    guint i;

    if (!m->slots)
        return NULL;
    for (i = fo_slot_of(scope_id, m->mask); m->slots[i].entry; i = (i + 1) & m->mask)
        if (m->slots[i].scope_id == scope_id)
            return m->slots[i].entry;
    return NULL;
}

static void
fo_entry_map_put(fo_slot *slots, guint mask, guint32 scope_id, fo_entry *e)
{
    guint i = fo_slot_of(scope_id, mask);

    while (slots[i].entry)
        i = (i + 1) & mask;
    slots[i].scope_id = scope_id;
    slots[i].entry = e;
}

/* At most half full: a lookup ends within a probe or two. */
static void
fo_entry_map_insert(fo_entry_map *m, guint32 scope_id, fo_entry *e)
{
    if (!m->slots || (m->used + 1) * 2 > m->mask + 1) {
        guint cap = m->slots ? (m->mask + 1) * 2 : 16;
        fo_slot *slots = g_new0(fo_slot, cap);
        guint i;

        for (i = 0; m->slots && i <= m->mask; i++)
            if (m->slots[i].entry)
                fo_entry_map_put(slots, cap - 1, m->slots[i].scope_id, m->slots[i].entry);
        g_free(m->slots);
        m->slots = slots;
        m->mask = cap - 1;
    }
    fo_entry_map_put(m->slots, m->mask, scope_id, e);
    m->used++;
}

static void
fo_entry_free(fo_entry *e)
{
    while (e->status_counts) {
        fo_status_count *next = e->status_counts->next;
        g_free(e->status_counts);
        e->status_counts = next;
    }
    g_free(e);
}

static void
fo_entry_map_free(fo_entry_map *m)
{
    guint i;

    for (i = 0; m->slots && i <= m->mask; i++)
        if (m->slots[i].entry)
            fo_entry_free(m->slots[i].entry);
    g_free(m->slots);
    memset(m, 0, sizeof(*m));
}

static void
fo_link_list_free(gpointer p)
{
    fo_link *l = (fo_link *)p;

    while (l) {
        fo_link *next = l->next;
        g_free(l->rel_name);
        g_free(l);
        l = next;
    }
}

static void
fo_server_free(gpointer p)
{
    fo_server *srv = (fo_server *)p;

    g_hash_table_destroy(srv->links);
    if (srv->sip_counts)
        g_hash_table_destroy(srv->sip_counts);
    fo_entry_map_free(&srv->entries);
    if (srv->unknown)
        fo_entry_free(srv->unknown);
    wmem_free(NULL, srv->name);
    free_address(&srv->addr);
    g_free(srv);
}

static void
fo_scope_free(gpointer p)
{
    fo_scope *sc = (fo_scope *)p;

    g_ptr_array_free(sc->members, TRUE);
    g_free(sc->pair_name);
    g_free(sc->ambiguous_text);
    g_free(sc);
}

static fo_state *
fo_state_new(void)
{
    fo_state *s = g_new0(fo_state, 1);

    s->servers = g_hash_table_new_full(fo_addr_hash, fo_addr_equal, NULL, fo_server_free);
    s->server_list = g_ptr_array_new();
    s->scopes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, fo_scope_free);
    s->entries = g_ptr_array_new();
    s->new_entries = g_ptr_array_new();
    s->dirty = g_ptr_array_new();
    s->dirty_scopes = g_ptr_array_new();
    s->dirty_links = g_ptr_array_new();
    return s;
}

static void fo_sync_unhook(fo_state *s, gboolean remove_listener);

static void
fo_state_clear(fo_state *s)
{
    fo_sync_unhook(s, TRUE);
    g_ptr_array_set_size(s->entries, 0);
    g_ptr_array_set_size(s->new_entries, 0);
    g_ptr_array_set_size(s->dirty, 0);
    g_ptr_array_set_size(s->dirty_scopes, 0);
    g_ptr_array_set_size(s->dirty_links, 0);
    g_ptr_array_set_size(s->server_list, 0);
    g_hash_table_remove_all(s->scopes);
    g_hash_table_remove_all(s->servers);
    s->polls = 0;
    s->total_compared = 0;
}

static void
fo_state_free(gpointer p)
{
    fo_state *s = (fo_state *)p;

    if (!s)
        return;
    /* Reached from the stats_tree cleanup callback, which tshark 4.6 calls
     * while it frees every tap listener at exit: removing one there frees
     * it twice (ws-compat.h).  The idle listener is left to Wireshark's
     * teardown, or replaced by the next fo_sync_hook(). */
    fo_sync_unhook(s, FALSE);
    g_ptr_array_free(s->dirty_links, TRUE);
    g_ptr_array_free(s->dirty_scopes, TRUE);
    g_ptr_array_free(s->dirty, TRUE);
    g_ptr_array_free(s->new_entries, TRUE);
    g_ptr_array_free(s->entries, TRUE);
    g_ptr_array_free(s->server_list, TRUE);
    g_hash_table_destroy(s->scopes);
    g_hash_table_destroy(s->servers);
    g_free(s);
}

static inline void
fo_entry_touch(fo_state *s, fo_entry *e)
{
    if (!e->dirty) {
        e->dirty = TRUE;
        g_ptr_array_add(s->dirty, e);
    }
}

static void
fo_scope_touch(fo_state *s, fo_scope *sc)
{
    if (!sc->dirty) {
        sc->dirty = TRUE;
        g_ptr_array_add(s->dirty_scopes, sc);
    }
}

static void
fo_link_touch(fo_state *s, fo_link *l)
{
    if (!l->dirty) {
        l->dirty = TRUE;
        g_ptr_array_add(s->dirty_links, l);
    }
}

/* Table order: server address (type, length, bytes), then scope id
 * numerically, the unknown scope last. */
static int
fo_entry_cmp(gconstpointer a, gconstpointer b)
{
    const fo_entry *x = (const fo_entry *)a, *y = (const fo_entry *)b;
    int r = cmp_address(&x->server->addr, &y->server->addr);

    if (r)
        return r;
    if (!x->scope != !y->scope)
        return x->scope ? -1 : 1;
    if (x->scope_id != y->scope_id)
        return x->scope_id < y->scope_id ? -1 : 1;
    return 0;
}

static guint32
fo_absdiff(guint32 x, guint32 y)
{
    return x > y ? x - y : y - x;
}

/* ------------------------------------------------------------------------ */
/* Table output (stat_tap_table_ui)                                           */

enum {
    COL_ROW, COL_SERVER, COL_SCOPE, COL_POLLS, COL_ERRORS, COL_MALFORMED, COL_STATS,
    COL_NUM_ADDR, COL_ADDR_FREE, COL_ADDR_IN_USE, COL_PARTNER_FREE, COL_THIS_FREE,
    COL_PARTNER_IN_USE, COL_THIS_IN_USE, COL_UTIL, COL_MIN_FREE, COL_FREE_CHANGE,
    COL_INCONSISTENT, COL_PARTNER, COL_COMPARED, COL_AGREE, COL_DISAGREE,
    COL_MAX_DFREE, COL_MAX_DINUSE, FO_NFIELDS
};

/* tshark prints "<column_name> |" as the header and "<field_format> |" per
 * cell, so the names are padded to the printed width of their column. */
static stat_tap_table_item fo_table_fields[FO_NFIELDS] = {
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "  #",                  "%3u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Server         ",      "%-15s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Scope          ",      "%-15s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Polls",                "%5u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Errors",               "%6u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Malformed",            "%9u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Stats",                "%5u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "numAddr",              "%7u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "addrFree",             "%8u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "addrInUse",            "%9u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "partnerAddrFree",      "%15u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "thisAddrFree",         "%12u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "partnerAddrInUse",     "%16u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "thisAddrInUse",        "%13u" },
    { TABLE_ITEM_FLOAT,  TAP_ALIGN_RIGHT, "Util %",               "%6.2f" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Min free",             "%8u" },
    { TABLE_ITEM_INT,    TAP_ALIGN_RIGHT, "Free chg",             "%+8d" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Inconsistent",         "%12u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Partner             ", "%-20s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Compared",             "%8u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Agree",                "%5u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Disagree",             "%8u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Max diff free",        "%13u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Max diff in use",      "%15u" },
};

/* Tables without rows: their titles carry the rules into the output (tshark
 * prints each title on its own line; the GUI shows them as top-level items). */
static const char *const fo_table_notes[] = {
    "Pairing: partners = the two servers that answered with statistics for the same scope id; "
        "no pairing when more than two did (Partner = ambiguous)",
    "Comparison: each response with statistics is compared with the partner's latest response "
        "for that scope if the two are at most 30 s apart (window 30 s); "
        "Compared/Agree/Disagree/Max diff are per pair, shown on both rows",
    "Agree: thisAddrFree, thisAddrInUse, partnerAddrFree, partnerAddrInUse equal the partner's "
        "partnerAddrFree, partnerAddrInUse, thisAddrFree, thisAddrInUse; "
        "Max diff = largest absolute difference of those pairs",
};
#define FO_TABLE_ROWS_TITLE \
    "Rows: one per server and scope, sorted by server address then scope id; Polls = responses, " \
    "Errors = failure status, Malformed = stub not fully decoded, Stats = responses with statistics; counters and Util % are those of " \
    "the last response with statistics; Min free = lowest addrFree; Free chg = last - first addrFree; " \
    "Inconsistent = responses failing a sum check"

static const char *
fo_partner_text(const fo_entry *e)
{
    const fo_scope *sc = e->scope;

    if (!sc || !e->member)
        return "-";
    if (sc->n_members == 1)
        return "none seen";
    if (sc->n_members == 2)
        return (sc->a == e ? sc->b : sc->a)->server->name;
    return sc->ambiguous_text;
}

/* Fills the values of a row whose cell types are already set. */
static void
fo_table_fill(stat_tap_table_item_type *items, const fo_entry *e)
{
    const dhcpsrv2_failover_counters *c = &e->last;
    const fo_scope *sc = e->scope;
    gboolean paired = sc && e->member && sc->n_members == 2;
    gint64 change = (gint64)c->addr_free - (gint64)e->first_free;

    items[COL_ROW].value.uint_value = e->row + 1;
    items[COL_SERVER].value.string_value = e->server->name;
    items[COL_SCOPE].value.string_value = e->scope_name;
    items[COL_POLLS].value.uint_value = e->polls;
    items[COL_ERRORS].value.uint_value = e->errors;
    items[COL_MALFORMED].value.uint_value = e->malformed;
    items[COL_STATS].value.uint_value = e->with_stats;
    items[COL_NUM_ADDR].value.uint_value = c->num_addr;
    items[COL_ADDR_FREE].value.uint_value = c->addr_free;
    items[COL_ADDR_IN_USE].value.uint_value = c->addr_in_use;
    items[COL_PARTNER_FREE].value.uint_value = c->partner_addr_free;
    items[COL_THIS_FREE].value.uint_value = c->this_addr_free;
    items[COL_PARTNER_IN_USE].value.uint_value = c->partner_addr_in_use;
    items[COL_THIS_IN_USE].value.uint_value = c->this_addr_in_use;
    items[COL_UTIL].value.float_value = e->last_util;
    items[COL_MIN_FREE].value.uint_value = e->min_free;
    items[COL_FREE_CHANGE].value.int_value =
        change > G_MAXINT ? G_MAXINT : change < G_MININT ? G_MININT : (gint)change;
    items[COL_INCONSISTENT].value.uint_value = e->inconsistent;
    items[COL_PARTNER].value.string_value = fo_partner_text(e);
    items[COL_COMPARED].value.uint_value = paired ? sc->compared : 0;
    items[COL_AGREE].value.uint_value = paired ? sc->agree : 0;
    items[COL_DISAGREE].value.uint_value = paired ? sc->disagree : 0;
    items[COL_MAX_DFREE].value.uint_value = paired ? sc->max_dfree : 0;
    items[COL_MAX_DINUSE].value.uint_value = paired ? sc->max_dinuse : 0;
}

static void
fo_table_fill_row(stat_tap_table_item_type *items, const void *data)
{
    fo_table_fill(items, (const fo_entry *)data);
}

static void
fo_table_write_row(fo_state *s, const fo_entry *e)
{
    dhcpsrv2_table_write_row(s->table, e->row, fo_table_fields, FO_NFIELDS, fo_table_fill_row, e);
}

/* The rows of new entries are inserted in order (binary search), the rows
 * from the first insertion on renumbered and rewritten, then the other
 * changed rows rewritten: the table is always in output order. */
static void
fo_table_sync(fo_state *s)
{
    guint first = G_MAXUINT, i;

    for (i = 0; i < s->new_entries->len; i++) {
        guint at = dhcpsrv2_sorted_insert(s->entries, g_ptr_array_index(s->new_entries, i),
                                          fo_entry_cmp);
        first = MIN(first, at);     /* MIN() evaluates its arguments twice */
    }
    g_ptr_array_set_size(s->new_entries, 0);

    for (i = first; i < s->entries->len; i++) {
        fo_entry *x = (fo_entry *)g_ptr_array_index(s->entries, i);
        x->row = i;
        fo_table_write_row(s, x);
    }
    for (i = 0; i < s->dirty->len; i++) {
        fo_entry *e = (fo_entry *)g_ptr_array_index(s->dirty, i);
        if (e->row < first)
            fo_table_write_row(s, e);
    }
    /* Partner and pair columns are on every member's row. */
    for (i = 0; i < s->dirty_scopes->len; i++) {
        const fo_scope *sc = (const fo_scope *)g_ptr_array_index(s->dirty_scopes, i);
        guint j;

        for (j = 0; j < sc->members->len; j++) {
            const fo_entry *e = (const fo_entry *)g_ptr_array_index(sc->members, j);
            if (e->row < first)
                fo_table_write_row(s, e);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Scope -> relationship links (tree only)                                    */

/* Renames a node created through the API.  new_stat_node() keyed it by its
 * name in the parent's hash and in st->names (the tree-wide name index, whose
 * key may be our name string even when the value is a later node of the same
 * name): both entries move off the old string before it is freed. */
static void
fo_node_rename(stat_node *n, const char *name)
{
    stats_tree *st = n->st;
    char *old = n->name;
    gpointer key, value;

    n->name = g_strdup(name);
    if (n->parent && n->parent->hash) {
        if (g_hash_table_lookup(n->parent->hash, old) == n)
            g_hash_table_remove(n->parent->hash, old);
        g_hash_table_replace(n->parent->hash, n->name, n);
    }
    if (n->id >= 0) {
        if (g_hash_table_lookup_extended(st->names, old, &key, &value) &&
            (key == (gpointer)old || value == (gpointer)n)) {
            stat_node *other = (stat_node *)value;
            g_hash_table_remove(st->names, old);
            if (other != n)
                g_hash_table_insert(st->names, other->name, other);
        }
        g_hash_table_insert(st->names, n->name, n);
    }
    g_free(old);
}

static guint
fo_state_index(guint32 state)
{
    return state < DHCPSRV2_FSM_STATE_COUNT ? state : DHCPSRV2_FSM_STATE_COUNT;
}

static char *
fo_link_label(const fo_link *l)
{
    const char *state = dhcpsrv2_fsm_state_name(l->state);
    const char *name = l->rel_name[0] ? l->rel_name : ST_REL_NO_NAME;

    if (state)
        return g_strdup_printf(ST_REL_PREFIX "%s (%s)", name, state);
    return g_strdup_printf(ST_REL_PREFIX "%s (unknown %u)", name, l->state);
}

/* One report of relationship `rel` by `srv` naming scope `scope_id`; counted
 * once per record (a 96 answer names its scopeId and usually lists it too). */
static void
fo_link_report(fo_state *s, fo_server *srv, guint32 scope_id, const dhcpsrv2_relationship *rel)
{
    const char *name = rel->name ? rel->name : "";
    fo_link *head = (fo_link *)g_hash_table_lookup(srv->links, GUINT_TO_POINTER(scope_id));
    fo_link *l, *tail = NULL;
    guint idx;

    for (l = head; l; l = l->next) {
        if (strcmp(l->rel_name, name) == 0)
            break;
        tail = l;
    }
    if (!l) {
        l = g_new0(fo_link, 1);
        l->server = srv;
        l->scope_id = scope_id;
        l->rel_name = g_strdup(name);
        if (tail)
            tail->next = l;
        else
            g_hash_table_insert(srv->links, GUINT_TO_POINTER(scope_id), l);
    }
    if (l->reports && l->stamp == s->rec_seq)
        return;
    l->stamp = s->rec_seq;

    idx = fo_state_index(rel->state);
    if (l->reports < G_MAXUINT)
        l->reports++;
    if (l->state_reports[idx] < G_MAXUINT)
        l->state_reports[idx]++;
    l->state = rel->state;
    fo_link_touch(s, l);
}

/* The link's nodes under the (server, scope) node, once that exists. */
static void
fo_tree_sync_link(fo_state *s, fo_link *l)
{
    guint i;

    if (!l->n_link) {
        fo_entry *e = fo_entry_map_lookup(&l->server->entries, l->scope_id);
        char *label;

        if (!e || !e->n_scope)
            return;     /* created with the entry's nodes (fo_tree_create_entry_nodes) */
        label = fo_link_label(l);
        l->n_link = fo_node_create(s->st, label, e->n_scope->id, STAT_DT_INT, TRUE);
        l->shown_state = l->state;
        g_free(label);
    } else if (l->shown_state != l->state) {
        char *label = fo_link_label(l);
        fo_node_rename(l->n_link, label);
        l->shown_state = l->state;
        g_free(label);
    }
    fo_node_set_count(l->n_link, l->reports);
    for (i = 0; i <= DHCPSRV2_FSM_STATE_COUNT; i++) {
        if (!l->state_reports[i])
            continue;
        if (!l->n_state[i])
            l->n_state[i] = fo_node_create(s->st, i < DHCPSRV2_FSM_STATE_COUNT
                                                  ? dhcpsrv2_fsm_state_name(i) : ST_REL_UNKNOWN,
                                           l->n_link->id, STAT_DT_INT, FALSE);
        fo_node_set_count(l->n_state[i], l->state_reports[i]);
    }
}

/* Opnums 92, 93, 96: every scope of every relationship in the answer, and
 * for 96 the request's scopeId. */
static gboolean
fo_record_relationships(fo_state *s, const dhcpsrv2_tap_record *rec);

/* ------------------------------------------------------------------------ */
/* Lookup / creation of servers, entries, scopes                              */

static fo_server *
fo_server_get(fo_state *s, const address *addr)
{
    fo_server *srv;
    guint i;

    /* Monitoring polls a handful of servers: a scan of a few cached
     * addresses is cheaper than hashing one. */
    if (s->server_list->len <= FO_SMALL_SERVERS) {
        for (i = 0; i < s->server_list->len; i++) {
            srv = (fo_server *)g_ptr_array_index(s->server_list, i);
            if (addresses_equal(&srv->addr, addr))
                return srv;
        }
        srv = NULL;
    } else {
        srv = (fo_server *)g_hash_table_lookup(s->servers, addr);
    }
    if (srv)
        return srv;
    srv = g_new0(fo_server, 1);
    copy_address(&srv->addr, addr);
    srv->name = addr->len ? address_to_str(NULL, addr) : wmem_strdup(NULL, "unknown server");
    srv->links = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, fo_link_list_free);
    g_hash_table_insert(s->servers, &srv->addr, srv);
    g_ptr_array_add(s->server_list, srv);
    return srv;
}

static fo_scope *
fo_scope_get(fo_state *s, guint32 scope_id)
{
    fo_scope *sc = (fo_scope *)g_hash_table_lookup(s->scopes, GUINT_TO_POINTER(scope_id));

    if (sc)
        return sc;
    sc = g_new0(fo_scope, 1);
    sc->scope_id = scope_id;
    g_snprintf(sc->name, sizeof(sc->name), "%u.%u.%u.%u", scope_id >> 24, (scope_id >> 16) & 0xff,
               (scope_id >> 8) & 0xff, scope_id & 0xff);
    sc->members = g_ptr_array_new();
    g_hash_table_insert(s->scopes, GUINT_TO_POINTER(scope_id), sc);
    return sc;
}

static fo_entry *
fo_entry_get(fo_state *s, fo_server *srv, gboolean scope_known, guint32 scope_id)
{
    fo_entry *e = scope_known ? fo_entry_map_lookup(&srv->entries, scope_id) : srv->unknown;

    if (e)
        return e;
    e = g_new0(fo_entry, 1);
    e->server = srv;
    if (scope_known) {
        e->scope = fo_scope_get(s, scope_id);
        e->scope_id = scope_id;
        g_strlcpy(e->scope_name, e->scope->name, sizeof(e->scope_name));
        fo_entry_map_insert(&srv->entries, scope_id, e);
    } else {
        g_strlcpy(e->scope_name, "unknown", sizeof(e->scope_name));
        srv->unknown = e;
    }
    if (s->table)
        g_ptr_array_add(s->new_entries, e);
    return e;
}

/* ------------------------------------------------------------------------ */
/* Per-record processing                                                      */

static guint
fo_bucket(double util)
{
    if (util < 50.0)
        return 0;
    if (util < 80.0)
        return 1;
    if (util < 90.0)
        return 2;
    return 3;
}

/* Streaming rule (documented in docs/statistics.md; tests depend on it):
 * for a response R with statistics from server X for scope S at time t
 *  1. the first such response of X for S makes X a member of S; with two
 *     members S is paired (A = lower address, B = higher); with a third
 *     member S becomes ambiguous for good and every result of S is dropped;
 *  2. if S has exactly two members and the other member Y has a latest
 *     sample taken at t_Y with |t - t_Y| <= 30 s, R is compared with it:
 *     agree iff R.this_free == Y.partner_free, R.this_in_use ==
 *     Y.partner_in_use, R.partner_free == Y.this_free and R.partner_in_use ==
 *     Y.this_in_use; |diff| free = max(|R.this_free - Y.partner_free|,
 *     |R.partner_free - Y.this_free|), |diff| in use likewise;
 *  3. R becomes X's latest sample for S (done by the caller afterwards). */
static void
fo_partner_join(fo_state *s, fo_entry *e)
{
    fo_scope *sc = e->scope;

    e->member = TRUE;
    e->member_index = sc->members->len;
    g_ptr_array_add(sc->members, e);
    sc->n_members = sc->members->len;
    if (sc->n_members == 2) {
        fo_entry *x = (fo_entry *)g_ptr_array_index(sc->members, 0);
        if (cmp_address(&x->server->addr, &e->server->addr) < 0) {
            sc->a = x;
            sc->b = e;
        } else {
            sc->a = e;
            sc->b = x;
        }
        sc->pair_name = g_strdup_printf("%s vs %s", sc->a->server->name, sc->b->server->name);
    } else if (sc->n_members > 2) {
        g_free(sc->ambiguous_text);
        sc->ambiguous_text = g_strdup_printf("ambiguous: %u servers", sc->n_members);
        s->total_compared -= sc->compared;
        sc->a = sc->b = NULL;
        sc->compared = sc->agree = sc->disagree = 0;
        sc->max_dfree = sc->max_dinuse = 0;
    }
    fo_scope_touch(s, sc);      /* every member's Partner and pair columns */
}

static void
fo_partner_update(fo_state *s, fo_entry *e, const dhcpsrv2_failover_counters *c,
                  const nstime_t *ts)
{
    fo_scope *sc = e->scope;
    const fo_sample *o;
    guint32 dfree, dinuse;
    gint64 dt;

    if (!e->member)
        fo_partner_join(s, e);
    if (sc->n_members != 2)
        return;
    /* The other member joined with a response with statistics and stored
     * its sample then (fo_partner_store()): there is always one. */
    o = &sc->sample[1 - e->member_index];
    dt = ((gint64)ts->secs - (gint64)o->ts.secs) * 1000000000 +
         ((gint64)ts->nsecs - (gint64)o->ts.nsecs);
    if (dt < -FO_WINDOW_NS || dt > FO_WINDOW_NS)
        return;

    dfree = MAX(fo_absdiff(c->this_addr_free, o->partner_free),
                fo_absdiff(c->partner_addr_free, o->this_free));
    dinuse = MAX(fo_absdiff(c->this_addr_in_use, o->partner_in_use),
                 fo_absdiff(c->partner_addr_in_use, o->this_in_use));
    if (s->st) {
        fo_int_stat_add(&sc->dfree, sc->compared, fo_clamp_int(dfree));
        fo_int_stat_add(&sc->dinuse, sc->compared, fo_clamp_int(dinuse));
    }
    sc->compared++;
    s->total_compared++;
    if (dfree == 0 && dinuse == 0)
        sc->agree++;
    else
        sc->disagree++;
    sc->max_dfree = MAX(sc->max_dfree, dfree);
    sc->max_dinuse = MAX(sc->max_dinuse, dinuse);
    fo_scope_touch(s, sc);      /* both rows' pair columns changed */
}

/* Rule step 3: the response becomes its server's latest sample for the
 * scope (only the first two members are ever compared). */
static void
fo_partner_store(fo_entry *e, const dhcpsrv2_failover_counters *c, const nstime_t *ts)
{
    fo_sample *smp;

    if (!e->member || e->member_index > 1)
        return;
    smp = &e->scope->sample[e->member_index];
    smp->ts = *ts;
    smp->this_free = c->this_addr_free;
    smp->partner_free = c->partner_addr_free;
    smp->this_in_use = c->this_addr_in_use;
    smp->partner_in_use = c->partner_addr_in_use;
}

/* What only the tree shows: per-counter averages, buckets, violations,
 * errors by status, other ServerIpAddress names. */
static void
fo_tree_count(fo_server *srv, fo_entry *e, const dhcpsrv2_tap_record *rec)
{
    guint i;

    if (rec->server_ip_address && strcmp(rec->server_ip_address, srv->name) != 0) {
        guint *count;

        if (!srv->sip_counts)
            srv->sip_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        count = (guint *)g_hash_table_lookup(srv->sip_counts, rec->server_ip_address);
        if (!count) {   /* allocated once per name; later records only count */
            count = g_new0(guint, 1);
            g_hash_table_insert(srv->sip_counts, g_strdup(rec->server_ip_address), count);
        }
        (*count)++;
        srv->sip_total++;
    }
    if (rec->status_valid && rec->status != 0) {
        fo_status_count *sc;

        for (sc = e->status_counts; sc && sc->status != rec->status; sc = sc->next)
            ;
        if (!sc) {
            sc = g_new0(fo_status_count, 1);
            sc->status = rec->status;
            sc->next = e->status_counts;
            e->status_counts = sc;
        }
        sc->count++;
    }
    if (rec->checks) {
        e->violations++;
        for (i = 0; i < DHCPSRV2_CHECK_COUNT; i++)
            if (rec->checks & (1u << i))
                e->violation[i]++;
    }
    if (rec->stats_present) {
        const dhcpsrv2_failover_counters *c = &rec->counters;
        guint n = e->with_stats;    /* responses with statistics before this one */

        fo_int_stat_add(&e->counter[0], n, fo_clamp_int(c->num_addr));
        fo_int_stat_add(&e->counter[1], n, fo_clamp_int(c->addr_free));
        fo_int_stat_add(&e->counter[2], n, fo_clamp_int(c->addr_in_use));
        fo_int_stat_add(&e->counter[3], n, fo_clamp_int(c->partner_addr_free));
        fo_int_stat_add(&e->counter[4], n, fo_clamp_int(c->this_addr_free));
        fo_int_stat_add(&e->counter[5], n, fo_clamp_int(c->partner_addr_in_use));
        fo_int_stat_add(&e->counter[6], n, fo_clamp_int(c->this_addr_in_use));
        if (c->num_addr > 0) {
            double util = 100.0 * c->addr_in_use / c->num_addr;
            gfloat v = (gfloat)util;

            if (e->util_count == 0 || v < e->util_min)
                e->util_min = v;
            if (e->util_count == 0 || v > e->util_max)
                e->util_max = v;
            e->util_total += v;
            e->util_count++;
            e->bucket[fo_bucket(util)]++;
        }
    }
}

/* One R_DhcpV4FailoverGetScopeStatistics (97) answer. */
static void
fo_record_scope_stats(fo_state *s, const packet_info *pinfo, const dhcpsrv2_tap_record *rec)
{
    fo_server *srv = fo_server_get(s, &rec->server);
    fo_entry *e = fo_entry_get(s, srv, rec->scope_id_valid, rec->scope_id);

    fo_entry_touch(s, e);
    s->polls++;
    srv->polls++;
    e->polls++;
    if (rec->status_valid && rec->status != 0)
        e->errors++;
    if (rec->malformed)
        e->malformed++;
    if (rec->checks & FO_CONSISTENCY_BITS)
        e->inconsistent++;
    if (s->st)
        fo_tree_count(srv, e, rec);     /* before with_stats moves on */
    if (rec->stats_present) {
        const dhcpsrv2_failover_counters *c = &rec->counters;

        if (e->with_stats == 0) {
            e->first_free = c->addr_free;
            e->min_free = c->addr_free;
        } else if (c->addr_free < e->min_free) {
            e->min_free = c->addr_free;
        }
        e->with_stats++;
        e->last_util = c->num_addr ? 100.0 * c->addr_in_use / c->num_addr : 0.0;
        if (e->scope) {
            fo_partner_update(s, e, c, &pinfo->abs_ts);
            fo_partner_store(e, c, &pinfo->abs_ts);
        }
        e->last = *c;
    }
}

static gboolean
fo_record_relationships(fo_state *s, const dhcpsrv2_tap_record *rec)
{
    fo_server *srv = NULL;
    guint32 i, j;

    s->rec_seq++;
    for (i = 0; i < rec->n_relationships && rec->relationships; i++) {
        const dhcpsrv2_relationship *rel = &rec->relationships[i];
        guint32 n = MIN(rel->scopes_stored, (guint32)DHCPSRV2_TAP_MAX_SCOPES);

        if (!rel->complete)
            continue;
        if (!srv)
            srv = fo_server_get(s, &rec->server);
        if (rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_RELATIONSHIP && rec->scope_id_valid)
            fo_link_report(s, srv, rec->scope_id, rel);
        for (j = 0; j < n; j++)
            fo_link_report(s, srv, rel->scopes[j], rel);
    }
    return srv != NULL;
}

/* ------------------------------------------------------------------------ */
/* Writing the stats_tree nodes (at draw time)                                */

static void
fo_tree_create_entry_nodes(fo_state *s, fo_entry *e)
{
    stats_tree *st = s->st;
    fo_link *l;
    int id;

    /* a server appears under ST_BY_SERVER with its first opnum 97 answer,
     * not with a relationship report */
    if (!e->server->n_server)
        e->server->n_server = fo_node_create(st, e->server->name, s->n_by_server->id,
                                             STAT_DT_INT, TRUE);
    e->n_scope = fo_node_create(st, e->scope_name, e->server->n_server->id, STAT_DT_INT, TRUE);
    id = e->n_scope->id;
    e->n_errors = fo_pivot_create(st, ST_ERRORS, id);
    e->n_malformed = fo_node_create(st, ST_MALFORMED, id, STAT_DT_INT, FALSE);
    /* its children appear with the first response that raises them */
    e->n_violations = fo_node_create(st, ST_VIOLATIONS, id, STAT_DT_INT, TRUE);
    /* ST_COUNTERS and ST_BUCKETS: with the first response with statistics */

    /* relationships reported before this scope's first answer */
    if (e->scope)
        for (l = (fo_link *)g_hash_table_lookup(e->server->links, GUINT_TO_POINTER(e->scope_id));
             l; l = l->next)
            fo_link_touch(s, l);
}

static void
fo_tree_create_counter_nodes(fo_state *s, fo_entry *e)
{
    stats_tree *st = s->st;
    guint i;

    e->n_counters = fo_node_create(st, ST_COUNTERS, e->n_scope->id, STAT_DT_INT, TRUE);
    for (i = 0; i < FO_COUNTERS; i++)
        e->n_counter[i] = fo_node_create(st, fo_counter_names[i], e->n_counters->id, STAT_DT_INT, FALSE);
    e->n_util = fo_node_create(st, ST_UTILIZATION, e->n_counters->id, STAT_DT_FLOAT, FALSE);
    e->n_buckets = fo_node_create(st, ST_BUCKETS, e->n_scope->id, STAT_DT_INT, TRUE);
    for (i = 0; i < G_N_ELEMENTS(fo_bucket_names); i++)
        e->n_bucket[i] = fo_node_create(st, fo_bucket_names[i], e->n_buckets->id, STAT_DT_INT, FALSE);
}

static void
fo_tree_sync_server(fo_state *s, fo_server *srv)
{
    GHashTableIter it;
    gpointer key, value;

    if (srv->synced == s->sync_seq)
        return;
    srv->synced = s->sync_seq;
    fo_node_set_count(srv->n_server, srv->polls);
    /* The request's ServerIpAddress, when it is not the answering address. */
    if (!srv->sip_total)
        return;
    if (!srv->n_sip)
        srv->n_sip = fo_pivot_create(s->st, ST_SIP_PIVOT, srv->n_server->id);
    fo_node_set_count(srv->n_sip, srv->sip_total);
    g_hash_table_iter_init(&it, srv->sip_counts);
    while (g_hash_table_iter_next(&it, &key, &value))
        fo_node_set_count(fo_node_child(s->st, srv->n_sip, (const char *)key),
                          *(const guint *)value);
}

static void
fo_tree_sync_partner(fo_state *s, fo_scope *sc)
{
    stats_tree *st = s->st;
    int id;

    if (sc->synced == s->sync_seq)
        return;
    sc->synced = s->sync_seq;
    if (!sc->n_pscope) {
        sc->n_pscope = fo_node_create(st, sc->name, s->n_partner->id, STAT_DT_INT, TRUE);
        sc->n_answering = fo_node_create(st, ST_ANSWERING, sc->n_pscope->id, STAT_DT_INT, FALSE);
    }
    fo_node_set_count(sc->n_pscope, sc->compared);
    fo_node_set_count(sc->n_answering, sc->n_members);
    if (sc->pair_name && !sc->n_pair) {
        sc->n_pair = fo_node_create(st, sc->pair_name, sc->n_pscope->id, STAT_DT_INT, TRUE);
        id = sc->n_pair->id;
        sc->n_agree = fo_node_create(st, ST_AGREE, id, STAT_DT_INT, FALSE);
        sc->n_disagree = fo_node_create(st, ST_DISAGREE, id, STAT_DT_INT, FALSE);
        sc->n_dfree = fo_node_create(st, ST_DIFF_FREE, id, STAT_DT_INT, FALSE);
        sc->n_dinuse = fo_node_create(st, ST_DIFF_INUSE, id, STAT_DT_INT, FALSE);
    }
    if (sc->n_pair) {
        /* after a third server: all 0 (a node with count 0 prints "-" for
         * its average, min and max) */
        fo_node_set_count(sc->n_pair, sc->compared);
        fo_node_set_count(sc->n_agree, sc->agree);
        fo_node_set_count(sc->n_disagree, sc->disagree);
        fo_node_set_avg_int(sc->n_dfree, sc->compared, &sc->dfree);
        fo_node_set_avg_int(sc->n_dinuse, sc->compared, &sc->dinuse);
    }
    if (sc->n_members > 2) {
        if (!sc->n_ambiguous)
            sc->n_ambiguous = fo_node_create(st, ST_AMBIGUOUS, sc->n_pscope->id, STAT_DT_INT, FALSE);
        fo_node_set_count(sc->n_ambiguous, sc->n_members);
    }
}

static void
fo_tree_sync_entry(fo_state *s, fo_entry *e)
{
    stats_tree *st = s->st;
    fo_status_count *sc;
    guint i;

    if (!e->n_scope)
        fo_tree_create_entry_nodes(s, e);
    fo_tree_sync_server(s, e->server);
    fo_node_set_count(e->n_scope, e->polls);

    fo_node_set_count(e->n_errors, e->errors);
    /* two status values may share a name, hence a node */
    for (sc = e->status_counts; sc; sc = sc->next) {
        if (!sc->node) {
            const char *name = dhcpsrv_werror_name(sc->status);
            char hex[16];
            if (!name) {
                g_snprintf(hex, sizeof(hex), "0x%08x", sc->status);
                name = hex;
            }
            sc->node = fo_node_child(st, e->n_errors, name);
        }
        sc->node->counter = 0;
    }
    for (sc = e->status_counts; sc; sc = sc->next)
        fo_node_set_count(sc->node, (guint)sc->node->counter + sc->count);
    fo_node_set_count(e->n_malformed, e->malformed);

    if (e->with_stats) {
        if (!e->n_counters)
            fo_tree_create_counter_nodes(s, e);
        fo_node_set_count(e->n_counters, e->with_stats);
        for (i = 0; i < FO_COUNTERS; i++)
            fo_node_set_avg_int(e->n_counter[i], e->with_stats, &e->counter[i]);
        if (e->util_count) {
            e->n_util->counter = fo_clamp_int(e->util_count);
            e->n_util->total.float_total = e->util_total;
            e->n_util->minvalue.float_min = e->util_min;
            e->n_util->maxvalue.float_max = e->util_max;
            e->n_util->st_flags |= ST_FLG_AVERAGE;
        }
        fo_node_set_count(e->n_buckets, e->util_count);
        for (i = 0; i < G_N_ELEMENTS(e->bucket); i++)
            fo_node_set_count(e->n_bucket[i], e->bucket[i]);
    }

    fo_node_set_count(e->n_violations, e->violations);
    for (i = 0; i < DHCPSRV2_CHECK_COUNT; i++) {
        if (!e->violation[i])
            continue;
        if (!e->n_violation[i])
            e->n_violation[i] = fo_node_create(st, fo_check_names[i], e->n_violations->id,
                                               STAT_DT_INT, FALSE);
        fo_node_set_count(e->n_violation[i], e->violation[i]);
    }

    if (e->member)
        fo_tree_sync_partner(s, e->scope);
}

static void
fo_tree_sync(fo_state *s)
{
    guint i;

    fo_node_set_count(s->n_by_server, s->polls);
    fo_node_set_count(s->n_partner, s->total_compared);
    for (i = 0; i < s->dirty->len; i++)
        fo_tree_sync_entry(s, (fo_entry *)g_ptr_array_index(s->dirty, i));
    for (i = 0; i < s->dirty_scopes->len; i++)
        fo_tree_sync_partner(s, (fo_scope *)g_ptr_array_index(s->dirty_scopes, i));
    /* after the entries: a link's node hangs under its entry's node */
    for (i = 0; i < s->dirty_links->len; i++) {
        fo_link *l = (fo_link *)g_ptr_array_index(s->dirty_links, i);
        l->dirty = FALSE;
        fo_tree_sync_link(s, l);
    }
    g_ptr_array_set_size(s->dirty_links, 0);
}

/* ------------------------------------------------------------------------ */
/* The draw hook                                                              */

/* Brings the output up to date with the accumulator: the dirty entries only. */
static void
fo_sync(fo_state *s)
{
    guint i;

    s->sync_seq++;
    if (s->st)
        fo_tree_sync(s);
    else if (s->table)
        fo_table_sync(s);
    for (i = 0; i < s->dirty->len; i++)
        ((fo_entry *)g_ptr_array_index(s->dirty, i))->dirty = FALSE;
    g_ptr_array_set_size(s->dirty, 0);
    for (i = 0; i < s->dirty_scopes->len; i++)
        ((fo_scope *)g_ptr_array_index(s->dirty_scopes, i))->dirty = FALSE;
    g_ptr_array_set_size(s->dirty_scopes, 0);
}

static stat_tap_table_ui fo_table_ui;

/* The accumulators waiting for a draw, and the one listener that syncs them
 * all: every extra tap listener costs tshark a little on every packet of
 * every protocol (have_tap_listener() and the tap queue walk the list). */
static GPtrArray *fo_hooked;
static gboolean fo_hook_registered;

static tap_packet_status
fo_sync_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
               const void *data _U_, tap_flags_t flags _U_)
{
    return TAP_PACKET_REDRAW;   /* so that the GUI's periodic draw calls fo_sync_draw() */
}

static void
fo_sync_draw(void *tapdata _U_)
{
    guint i;

    for (i = 0; fo_hooked && i < fo_hooked->len; i++) {
        fo_state *s = (fo_state *)g_ptr_array_index(fo_hooked, i);

        /* The GUI frees a dialog's tables when it closes; the accumulator
         * stays hooked until the next init, so check the table is still there. */
        if (s->table && stat_tap_find_table(&fo_table_ui, FO_TABLE_ROWS_TITLE) != s->table)
            continue;
        fo_sync(s);
    }
}

static void
fo_sync_hook(fo_state *s)
{
    GString *err;

    if (s->sync_hooked || s->sync_per_record)
        return;
    /* (Re-)register in front of every output registered so far: the GUI may
     * have opened a dialog since, in front of the listener.  Removing a
     * listener other than the one being called is safe inside the tap
     * loop. */
    if (fo_hook_registered)
        remove_tap_listener(&fo_hooked);
    err = register_tap_listener(DHCPSRV2_TAP_NAME, &fo_hooked, NULL, TL_REQUIRES_NOTHING, NULL,
                                fo_sync_packet, fo_sync_draw, NULL);
    fo_hook_registered = err == NULL;
    if (err) {
        /* cannot happen (our own tap exists); stay correct, if slower */
        g_string_free(err, TRUE);
        s->sync_per_record = TRUE;
        return;
    }
    if (!fo_hooked)
        fo_hooked = g_ptr_array_new();
    g_ptr_array_add(fo_hooked, s);
    s->sync_hooked = TRUE;
}

/* Called from init, reset and cleanup: the listener goes with the last
 * accumulator (except from cleanup, see fo_state_free()), so that the next
 * record registers it again, in front. */
static void
fo_sync_unhook(fo_state *s, gboolean remove_listener)
{
    if (!s->sync_hooked)
        return;
    g_ptr_array_remove(fo_hooked, s);
    s->sync_hooked = FALSE;
    if (remove_listener && fo_hooked->len == 0 && fo_hook_registered) {
        remove_tap_listener(&fo_hooked);
        fo_hook_registered = FALSE;
    }
}

/* Both outputs' packet callback. */
static tap_packet_status
fo_process(fo_state *s, packet_info *pinfo, const dhcpsrv2_tap_record *rec)
{
    if (!rec)
        return TAP_PACKET_DONT_REDRAW;
    if (rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_RELATIONSHIP ||
        rec->opnum == DHCPSRV2_OPNUM_FAILOVER_ENUM_RELATIONSHIP ||
        rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_RELATIONSHIP) {
        if (!s->st || !rec->n_relationships || !fo_record_relationships(s, rec))
            return TAP_PACKET_DONT_REDRAW;
    } else if (rec->opnum == DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_STATISTICS) {
        fo_record_scope_stats(s, pinfo, rec);
    } else {
        return TAP_PACKET_DONT_REDRAW;
    }
    fo_sync_hook(s);
    if (s->sync_per_record)
        fo_sync(s);
    return TAP_PACKET_REDRAW;
}

/* ------------------------------------------------------------------------ */
/* stats_tree: -z dhcpsrv2_failover,tree[,filter]                             */

/* One accumulator per tree instance (tshark may run several with different
 * filters; the GUI makes a fresh instance per dialog and calls init again
 * from its reset callback). */
static GHashTable *fo_tree_states;
static stats_tree *fo_last_st;          /* fo_tree_states lookup cache */
static fo_state *fo_last_state;

static void
fo_tree_init(stats_tree *st)
{
    fo_state *s;
    stat_node *rule;
    guint i;

    fo_last_st = NULL;
    fo_last_state = NULL;
    if (!fo_tree_states)
        fo_tree_states = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, fo_state_free);
    s = (fo_state *)g_hash_table_lookup(fo_tree_states, st);
    if (s) {
        fo_state_clear(s);
        if (!s->reinit && st->root.children) {
            /* init again on a tree that has our nodes: drop them all
             * (stats_tree_reinit() frees every node, then calls us back). */
            s->reinit = TRUE;
            stats_tree_reinit(st);
            s->reinit = FALSE;
            return;
        }
    } else {
        s = fo_state_new();
        s->st = st;
        g_hash_table_insert(fo_tree_states, st, s);
    }

    s->n_by_server = fo_node_create(st, ST_BY_SERVER, 0, STAT_DT_INT, TRUE);
    s->n_partner = fo_node_create(st, ST_PARTNER, 0, STAT_DT_INT, TRUE);
    rule = fo_node_create(st, ST_RULE, 0, STAT_DT_INT, TRUE);
    for (i = 0; i < G_N_ELEMENTS(fo_rule_lines); i++)
        fo_node_create(st, fo_rule_lines[i], rule->id, STAT_DT_INT, FALSE);
}

static void
fo_tree_cleanup(stats_tree *st)
{
    fo_last_st = NULL;
    fo_last_state = NULL;
    if (fo_tree_states)
        g_hash_table_remove(fo_tree_states, st);    /* unhooks, then frees */
}

static tap_packet_status
fo_tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
               tap_flags_t flags _U_)
{
    if (st != fo_last_st) {
        fo_last_state = fo_tree_states ? (fo_state *)g_hash_table_lookup(fo_tree_states, st) : NULL;
        fo_last_st = st;
    }
    if (!fo_last_state)
        return TAP_PACKET_DONT_REDRAW;
    return fo_process(fo_last_state, pinfo, (const dhcpsrv2_tap_record *)data);
}

/* ------------------------------------------------------------------------ */
/* stat_tap_table_ui: -z dhcpsrv2_failover,scopes[,filter]                    */

/* A stat_tap_table_ui has one set of tables, hence one accumulator. */
static fo_state *fo_table_state;

static void
fo_table_init(stat_tap_table_ui *ui)
{
    if (!fo_table_state)
        fo_table_state = fo_state_new();
    fo_state_clear(fo_table_state);
    fo_table_state->table = dhcpsrv2_table_setup(ui, fo_table_notes, G_N_ELEMENTS(fo_table_notes),
                                                 FO_TABLE_ROWS_TITLE);
}

static void
fo_table_reset(stat_tap_table *table)
{
    if (!fo_table_state || table != fo_table_state->table)
        return;     /* the note tables have no rows */
    fo_state_clear(fo_table_state);
    dhcpsrv2_table_drop_rows(table);
}

static tap_packet_status
fo_table_packet(void *tapdata _U_, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                tap_flags_t flags _U_)
{
    if (!fo_table_state || !fo_table_state->table)
        return TAP_PACKET_DONT_REDRAW;
    return fo_process(fo_table_state, pinfo, (const dhcpsrv2_tap_record *)data);
}

static tap_param fo_table_params[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, TRUE },
};

static stat_tap_table_ui fo_table_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "DHCP Failover Scopes",
    DHCPSRV2_TAP_NAME,
    "dhcpsrv2_failover,scopes",
    fo_table_init,
    fo_table_packet,
    fo_table_reset,
    NULL,           /* cells point into the accumulator; nothing to free */
    NULL,
    G_N_ELEMENTS(fo_table_fields), fo_table_fields,
    G_N_ELEMENTS(fo_table_params), fo_table_params,
    NULL,
    0
};

/* ------------------------------------------------------------------------ */
/* Registration (called back through tap_register_plugin, see plugin.c)       */

void
register_dhcpsrv2_stats(void)
{
    stats_tree_register_plugin(DHCPSRV2_TAP_NAME, "dhcpsrv2_failover",
                               "DHCP Failover/Scope statistics",
                               ST_SORT_COL_NAME << ST_FLG_SRTCOL_SHIFT,
                               fo_tree_packet, fo_tree_init, fo_tree_cleanup);
    register_stat_tap_table_ui(&fo_table_ui);
    register_dhcpsrv2_relstats();
}
