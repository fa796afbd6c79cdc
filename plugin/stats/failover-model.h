/* failover-model.h -- the DHCP failover model: tap records in, answers out.
 *
 * Plain C and glib; no stats_tree, no stat_tap_table, no packet_info: the
 * model is fed only `const dhcpsrv2_tap_record *` (include/dhcpsrv2-tap.h)
 * plus the record's capture time, and answers the questions the views
 * (failover-tree.c, failover-scopes.c) and the packet experts
 * (failover-experts.c) print:
 *
 *   - per (server, scope): counts, last counters, min/max/average of each
 *     counter and of the utilization, buckets, checks, errors by status;
 *   - per scope: partner pairing (nearest in time, each poll at most once,
 *     within the window), agreement, persistent disagreement;
 *   - per (server, scope): trend of thisAddrFree and addrFree (least squares
 *     over the last FM_TREND_POLLS polls) and the projected time to 0;
 *   - per (server, scope): the relationship the server reported for the
 *     scope, this server's share of free addresses against its percentage,
 *     and a frozen partner (partner counters unchanged while ours move,
 *     relationship not NORMAL);
 *   - per (server, scope): the MIB counters (R_DhcpGetMibInfo, _VQ, _V5)
 *     cross-checked with the opnum-97 poll nearest in time;
 *   - per server and operation: calls that could not be decoded (sealed,
 *     untrusted).
 *
 * Memory grows with servers x scopes (and servers x operations for the
 * undecoded calls), never with packets.  Every list the model hands out is
 * sorted, so the views' output does not depend on hash order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FAILOVER_MODEL_H
#define FAILOVER_MODEL_H

#include <glib.h>
#include <epan/address.h>

#include "dhcpsrv2-tap.h"

/* Pairing window: two partner polls further apart are never compared. */
#define FM_WINDOW_S 30
/* Polls in the trend's least-squares fit (the last ones of the (server, scope)). */
#define FM_TREND_POLLS 12
/* Fewest polls a trend is computed from. */
#define FM_TREND_MIN_POLLS 3
/* A trend is steady (its projection is trusted, the expert may fire) over a
 * full window with a coefficient of determination of at least this. */
#define FM_TREND_STEADY_R2 0.8
/* A partner is frozen after this many polls in a row with its counters
 * unchanged while this server's changed, in a relationship state that is
 * not NORMAL. */
#define FM_FROZEN_POLLS 5

#define FM_COUNTERS 7       /* DHCP_FAILOVER_STATISTICS members, wire order */
#define FM_BUCKETS 4        /* utilization [0,50) [50,80) [80,90) [90,...) */

typedef struct fm_model fm_model;
typedef struct fm_server fm_server;
typedef struct fm_entry fm_entry;
typedef struct fm_scope fm_scope;

/* min / max / total of unsigned values (the count is kept by the owner) */
typedef struct fm_stat {
    gint64 total;
    guint32 min, max;
} fm_stat;

/* Responses of one (server, scope) with one failure status. */
typedef struct fm_status_count {
    struct fm_status_count *next;
    guint32 status;
    guint count;
} fm_status_count;

/* One poll as the pairing needs it (an opnum-97 answer with statistics). */
typedef struct fm_poll {
    gint64 t_ns;                /* capture time */
    guint64 seq;                /* arrival order (record sequence) */
    guint32 frame;
    guint32 this_free, partner_free, this_in_use, partner_in_use;
    gint64 gap_prev_ns;         /* to the partner's previous poll; G_MAXINT64: none */
} fm_poll;

/* The comparisons of one pair of partners. */
typedef struct fm_pair_counts {
    guint compared, agree, disagree;
    guint persistent;           /* disagreements in a run of >= 2 with the same direction */
    guint free_differs, in_use_differs;
    guint32 max_dfree, max_dinuse;
    guint run;                  /* current run of same-direction disagreements */
    guint8 run_dir;             /* its direction (fm_direction()) */
    guint longest_run;
    guint32 last_frames[2];     /* frames of the last comparison (A's, B's) */
} fm_pair_counts;

/* What happened to one record, for the packet experts. */
typedef struct fm_events {
    fm_entry *entry;            /* the (server, scope) the record updated, or NULL */
    gboolean compared;          /* the record is the later poll of a comparison (tentative) */
    gboolean disagree;
    gboolean persistent;        /* ... in a run of >= 2 same-direction disagreements */
    guint run;                  /* that run's length */
    guint32 partner_frame;
} fm_events;

/* Trend of one counter: least squares over the last polls. */
typedef struct fm_trend {
    guint n;                    /* polls used (0: no trend, fewer than FM_TREND_MIN_POLLS) */
    double per_hour;            /* slope, addresses per hour */
    guint32 last;               /* the counter's last value */
    gboolean falling;           /* per_hour < 0 */
    double r2;                  /* coefficient of determination of the fit (1: a line) */
    gboolean steady;            /* n == FM_TREND_POLLS and r2 >= FM_TREND_STEADY_R2 */
    double seconds_to_zero;     /* last / -slope; 0 when last == 0; meaningless unless falling */
} fm_trend;

/* This server's share of the scope's free addresses against the relationship. */
typedef enum {
    FM_SHARE_UNKNOWN = 0,       /* no relationship reported for the scope, or no free addresses */
    FM_SHARE_OK,                /* within the tolerance */
    FM_SHARE_OFF,               /* outside the tolerance */
    FM_SHARE_RESERVE_USED_UP    /* hot standby: the standby has no free address left */
} fm_share_state;

typedef struct fm_share {
    fm_share_state state;
    double share;               /* thisAddrFree / addrFree x 100 */
    guint expected;             /* what the relationship says this server's share is */
    guint32 mode;               /* DHCP_FAILOVER_MODE */
    guint32 server_type;        /* DHCP_FAILOVER_SERVER of this server */
    guint32 rel_state;          /* FSM_STATE last reported */
    const char *rel_name;       /* "" when NULL */
} fm_share;

/* One relationship a server reported naming a scope. */
typedef struct fm_link {
    struct fm_link *next;       /* other relationships of the same (server, scope) */
    char *rel_name;             /* "" when NULL */
    guint32 state, mode, server_type;
    guint8 percentage;
    guint reports;
    guint state_reports[13];    /* per FSM_STATE 0..11; [12]: values above */
    guint64 stamp;              /* record sequence of the last counted report */
} fm_link;

/* One (server, scope). */
struct fm_entry {
    fm_server *server;
    fm_scope *scope;            /* NULL: the scope id is unknown */
    guint32 scope_id;
    char scope_name[16];        /* dotted quad or "unknown" */

    guint polls, errors, malformed, with_stats, inconsistent;
    guint32 first_free, min_free;
    dhcpsrv2_failover_counters last;    /* last response with statistics */
    gint64 last_t_ns;
    guint32 last_frame;
    fm_stat counter[FM_COUNTERS];       /* over the with_stats responses */
    guint util_count;                   /* responses with statistics and numAddr > 0 */
    double util_total, util_min, util_max, last_util;
    guint bucket[FM_BUCKETS];
    guint violations;
    guint violation[DHCPSRV2_CHECK_COUNT];
    fm_status_count *status_counts;

    /* pairing: this server's last poll of the scope */
    gboolean member;
    gboolean have_poll;
    fm_poll poll;

    /* trend: ring of the last polls */
    guint trend_n, trend_head;
    gint64 trend_t0_ns;
    struct { double t; guint32 this_free, addr_free; } trend[FM_TREND_POLLS];

    /* frozen partner */
    guint frozen_run;           /* polls in a row with the partner counters unchanged */
    gboolean frozen_this_moved; /* ... during which this server's changed */
    guint frozen_longest;

    /* relationships the server reported naming this scope (the head of
     * srv->links[scope_id], kept here so that a query needs no lookup) */
    const fm_link *links;
    /* the owner's bits: the model never reads or writes them (the packet
     * experts keep what was true at the previous response here) */
    guint8 owner_bits;

    /* MIB cross-check */
    guint mib_samples, mib_compared, mib_agree, mib_disagree;
    dhcpsrv2_mib_scope mib_last;
    gint64 mib_last_t_ns;
    gboolean mib_pending;       /* mib_last waits for the next poll */
    gint64 mib_dfree, mib_dinuse;   /* MIB - poll of the last comparison */
};

/* One scope id, across servers. */
struct fm_scope {
    guint32 scope_id;
    char name[16];
    GPtrArray *members;         /* fm_entry that answered with statistics, arrival order */
    fm_entry *a, *b;            /* the pair (lower address first) while exactly two */
    char *pair_name;            /* "A vs B" */
    fm_pair_counts done;        /* committed comparisons */
    gboolean pending;           /* pend[] waits for the later poll's next partner poll */
    fm_poll pend_a, pend_b;     /* the candidate comparison (A's poll, B's poll) */
    gint64 pend_gap_ns;
    gint64 pend_later_ns;       /* time of its later poll */
    fm_entry *pend_later;       /* whose poll is the later one */
};

/* One undecoded operation of one server. */
typedef struct fm_undecoded_op {
    guint8 interface_id;
    guint16 opnum;
    guint sealed;
} fm_undecoded_op;

struct fm_server {
    address addr;               /* deep copy */
    char *name;                 /* address text, formatted once */
    GHashTable *entries;        /* scope_id -> fm_entry (owned) */
    fm_entry *unknown;          /* scope id unknown (owned) */
    guint polls;
    GHashTable *links;          /* scope_id -> fm_link list (owned) */
    guint sip_total;
    GHashTable *sip_counts;     /* other ServerIpAddress name -> guint* */
    guint sealed, untrusted;
    GArray *undecoded_ops;      /* fm_undecoded_op, sorted by (interface, opnum) */
};

struct fm_model {
    GHashTable *servers;        /* address -> fm_server (owned) */
    GPtrArray *server_list;     /* arrival order */
    GPtrArray *servers_sorted;  /* by address */
    GHashTable *scopes;         /* scope_id -> fm_scope (owned) */
    GPtrArray *scopes_sorted;   /* by scope id */
    GPtrArray *entries_sorted;  /* by server address, scope id, unknown last */
    guint polls;                /* opnum 97 records */
    guint sealed, untrusted;    /* undecoded records */
    guint64 rec_seq;
    guint64 generation;         /* bumped by every record that changed something */
    gboolean experts_only;      /* fm_model_new_experts(): see there */
};

fm_model *fm_model_new(void);
/* A model that keeps only what the packet experts ask (fm_events, trends,
 * share, frozen partner, pairing): no per-counter min/max/total, utilization,
 * buckets, error statuses, check counts, other ServerIpAddress names, MIB or
 * undecoded calls (those fields stay 0).  The answers it gives are those of
 * a full model fed the same records. */
fm_model *fm_model_new_experts(void);
void fm_model_clear(fm_model *m);
void fm_model_free(fm_model *m);

/* Feeds one record with its capture time.  Returns TRUE when the record
 * changed the model.  `ev` (may be NULL) receives what the experts need. */
gboolean fm_model_feed(fm_model *m, const dhcpsrv2_tap_record *rec, const nstime_t *ts,
                       fm_events *ev);

/* --- queries (pure: they never change the model) -------------------------- */

/* The pair's comparisons including the candidate comparison still waiting
 * for the next poll (what a draw now shows). */
void fm_scope_pair_counts(const fm_scope *sc, fm_pair_counts *out);

/* The partner of an entry's scope: NULL when not paired. */
const fm_entry *fm_entry_partner(const fm_entry *e);

/* Trend of thisAddrFree (which = 0) or addrFree (which = 1). */
void fm_entry_trend(const fm_entry *e, int which, fm_trend *out);
/* Both trends in one pass over the polls (the same numbers as two
 * fm_entry_trend() calls, bit for bit). */
void fm_entry_trends(const fm_entry *e, fm_trend *this_free, fm_trend *addr_free);

/* The relationship the server last reported for the scope (NULL: none). */
const fm_link *fm_entry_link(const fm_entry *e);

/* This server's share of free addresses against the relationship. */
void fm_entry_share(const fm_entry *e, double tolerance, fm_share *out);

/* TRUE when the partner counters are frozen (FM_FROZEN_POLLS) in a state
 * that is not NORMAL; `polls` receives the run length. */
gboolean fm_entry_partner_frozen(const fm_entry *e, guint *polls);

/* MIB comparisons including one still waiting for the next poll. */
void fm_entry_mib_counts(const fm_entry *e, guint *compared, guint *agree, guint *disagree,
                         gint64 *dfree, gint64 *dinuse);

/* "a vs b" direction signature of a comparison: 2 bits per counter pair. */
guint8 fm_direction(const fm_poll *a, const fm_poll *b);

/* Names */
extern const char *const fm_counter_names[FM_COUNTERS];
extern const char *const fm_check_names[DHCPSRV2_CHECK_COUNT];
extern const char *const fm_bucket_names[FM_BUCKETS];
const char *fm_fsm_state_name(guint32 state);       /* NULL when the value has none */
const char *fm_operation_name(guint8 interface_id, guint16 opnum);  /* NULL when unknown */

/* "1 h 05 min", "45 s", "never", "now", "-" into buf; in parentheses when
 * the trend is not steady. */
void fm_format_duration(char *buf, gsize size, const fm_trend *t);

#endif /* FAILOVER_MODEL_H */
