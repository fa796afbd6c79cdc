/* failover-relationships.c -- the DHCP failover relationship table, fed only by the
 * dhcpsrv2 tap.
 *
 *   stat table   "DHCP Failover Relationships" (a stat_tap_table_ui)
 *                tshark -q -z dhcpsrv2_failover,relationships[,filter]
 *                GUI: Statistics -> DHCP Failover Relationships
 *
 * Input: the dhcpsrv2_tap_record of include/dhcpsrv2-tap.h.  Records of
 * R_DhcpV4FailoverGetRelationship (92), EnumRelationship (93) and
 * GetScopeRelationship (96) carry the relationships a server reported; records
 * of GetSystemTime (99) carry the server's clock offset against the capture
 * clock.  Packets are never re-parsed here.
 *
 * One row per (reporting server, relationship name), sorted by server address
 * bytes then name (strcmp), so the same capture always gives the same bytes.
 * A server that answered GetSystemTime but reported no relationship gets one
 * row named "-" that carries only its clock; it becomes the server's first
 * relationship row if one shows up later (rows are never removed: the GUI
 * keeps pointers to them).
 *
 * Memory grows with servers x relationships only: per row the last report,
 * the first few scope ids, and at most RS_HIST_FIRST + RS_HIST_LAST state
 * transitions.  Strings are formatted only when the value behind them changes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/stat_tap_ui.h>
#include "ws-compat.h"        /* pntohu32 (4.6 name) */

#include "dhcpsrv2.h"
#include "failover-views.h"

/* ------------------------------------------------------------------------ */
/* Names                                                                      */

/* FSM_STATE (2.2.1.1.20), the names the dissector shows. */
static const char *const rs_state_names[DHCPSRV2_FSM_STATE_COUNT] = {
    "NO_STATE", "INIT", "STARTUP", "NORMAL", "COMMUNICATION_INT", "PARTNER_DOWN",
    "POTENTIAL_CONFLICT", "CONFLICT_DONE", "RESOLUTION_INT", "RECOVER", "RECOVER_WAIT",
    "RECOVER_DONE",
};

const char *
dhcpsrv2_fsm_state_name(guint32 state)
{
    return state < DHCPSRV2_FSM_STATE_COUNT ? rs_state_names[state] : NULL;
}

/* DHCP_FAILOVER_MODE (2.2.1.1.18) and DHCP_FAILOVER_SERVER (2.2.1.1.19). */
static const char *const rs_mode_names[] = { "LoadBalance", "HotStandby" };
static const char *const rs_role_names[] = { "primary", "secondary" };

#define RS_SAFE_PERIOD_INFINITE 0xFFFFFFFFu

/* Scope ids listed in the Scopes column before "+k more". */
#define RS_SHOW_SCOPES 3
/* State transitions kept per row: the first RS_HIST_FIRST and the last
 * RS_HIST_LAST; the ones in between are only counted ("+k more"). */
#define RS_HIST_FIRST 2
#define RS_HIST_LAST 4

/* ------------------------------------------------------------------------ */
/* The accumulator                                                            */

typedef struct rs_server rs_server;

typedef struct rs_transition {
    guint32 state;
    time_t secs;                /* capture time of the first report in that state */
} rs_transition;

typedef struct rs_row {
    rs_server *server;
    char *name;                 /* relationship name; "" when it was NULL; NULL: clock-only row */
    guint row;                  /* table row */
    guint reports;

    /* the last report */
    gboolean seen;
    guint32 primary, secondary, mode, server_type, state, prev_state, mclt, safe_period;
    guint8 percentage;
    char primary_s[16], secondary_s[16];
    char mode_s[24], role_s[24], state_s[24], prev_s[24], safe_s[16];

    /* scopes of the last report */
    guint32 num_scopes;         /* as sent */
    guint32 n_shown;
    guint32 shown[RS_SHOW_SCOPES];
    char *scopes_s;

    /* states over time */
    guint ntrans;
    rs_transition first[RS_HIST_FIRST];
    rs_transition last[RS_HIST_LAST];   /* ring: transition i (>= RS_HIST_FIRST) at i % RS_HIST_LAST */
    char *history_s;

    /* clock difference to the partner (the relationship's other address) */
    char partner_s[24];
} rs_row;

struct rs_server {
    address addr;               /* deep copy: the hash key */
    char *name;                 /* address_to_str(), formatted once */
    GHashTable *rows;           /* relationship name -> rs_row (not owned: see rs_state.rows) */
    rs_row *clock_row;          /* the "-" row while the server has no relationship row */

    gboolean has_clock;
    gint64 offset;              /* last GetSystemTime offset, s */
    guint64 max_abs;            /* largest |offset| */
    char offset_s[24], max_s[24];
};

typedef struct rs_state {
    GHashTable *servers;        /* address -> rs_server (owned) */
    GPtrArray *rows;            /* every rs_row (owned), in table order */
    stat_tap_table *table;
    guint sealed, untrusted;    /* undecoded calls (the note says why rows may be missing) */
    char *note_title;           /* current title of the undecoded note table */
} rs_state;

static guint
rs_addr_hash(gconstpointer key)
{
    const address *addr = (const address *)key;
    return add_address_to_hash((guint)addr->type, addr);
}

static gboolean
rs_addr_equal(gconstpointer a, gconstpointer b)
{
    return addresses_equal((const address *)a, (const address *)b);
}

static void
rs_server_free(gpointer p)
{
    rs_server *srv = (rs_server *)p;

    g_hash_table_destroy(srv->rows);
    wmem_free(NULL, srv->name);
    free_address(&srv->addr);
    g_free(srv);
}

static void
rs_row_free(gpointer p)
{
    rs_row *r = (rs_row *)p;

    g_free(r->name);
    g_free(r->scopes_s);
    g_free(r->history_s);
    g_free(r);
}

static rs_state *
rs_state_new(void)
{
    rs_state *s = g_new0(rs_state, 1);

    s->servers = g_hash_table_new_full(rs_addr_hash, rs_addr_equal, NULL, rs_server_free);
    s->rows = g_ptr_array_new_with_free_func(rs_row_free);
    return s;
}

static void
rs_state_clear(rs_state *s)
{
    g_ptr_array_set_size(s->rows, 0);
    g_hash_table_remove_all(s->servers);
    s->sealed = s->untrusted = 0;
}

/* Table order: server address (type, length, bytes), then name; the
 * clock-only row is alone for its server. */
static int
rs_row_cmp(gconstpointer a, gconstpointer b)
{
    const rs_row *x = (const rs_row *)a, *y = (const rs_row *)b;
    int r = cmp_address(&x->server->addr, &y->server->addr);

    if (r)
        return r;
    if (!x->name || !y->name)
        return !x->name - !y->name;
    return strcmp(x->name, y->name);
}

/* ------------------------------------------------------------------------ */
/* Text of the cells (formatted when the value changes)                       */

static void
rs_ipv4_text(char *buf, gsize size, guint32 v)
{
    g_snprintf(buf, (gulong)size, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
               v & 0xff);
}

static void
rs_enum_text(char *buf, gsize size, guint32 v, const char *const *names, guint n)
{
    if (v < n)
        g_strlcpy(buf, names[v], size);
    else
        g_snprintf(buf, (gulong)size, "unknown (%u)", v);
}

/* "2: 192.168.10.0, 192.168.20.0", "5: a, b, c +2 more", "0". */
static void
rs_format_scopes(rs_row *r)
{
    GString *s = g_string_new(NULL);
    guint32 i;

    g_string_printf(s, "%u", r->num_scopes);
    for (i = 0; i < r->n_shown; i++) {
        char ip[16];
        rs_ipv4_text(ip, sizeof(ip), r->shown[i]);
        g_string_append_printf(s, "%s%s", i ? ", " : ": ", ip);
    }
    if (r->num_scopes > r->n_shown)
        g_string_append_printf(s, " +%u more", r->num_scopes - r->n_shown);
    g_free(r->scopes_s);
    r->scopes_s = g_string_free(s, FALSE);
}

static gint64
rs_day(time_t secs)
{
    gint64 t = (gint64)secs;
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* "STATE HH:MM:SS" (UTC); the date is added when it is not the day of the
 * row's first transition. */
static void
rs_append_transition(GString *s, const rs_transition *t, gint64 first_day)
{
    const char *name = dhcpsrv2_fsm_state_name(t->state);
    gint64 day = rs_day(t->secs);
    gint64 sod = (gint64)t->secs - day * 86400;

    if (name)
        g_string_append(s, name);
    else
        g_string_append_printf(s, "unknown (%u)", t->state);
    g_string_append_c(s, ' ');
    if (day != first_day) {
        GDateTime *dt = g_date_time_new_from_unix_utc((gint64)t->secs);
        if (dt) {
            char *d = g_date_time_format(dt, "%Y-%m-%d ");
            g_string_append(s, d);
            g_free(d);
            g_date_time_unref(dt);
        }
    }
    g_string_append_printf(s, "%02d:%02d:%02d", (int)(sod / 3600), (int)(sod / 60 % 60),
                           (int)(sod % 60));
}

static void
rs_format_history(rs_row *r)
{
    GString *s = g_string_new(NULL);
    gint64 first_day = rs_day(r->first[0].secs);
    guint i, from;

    for (i = 0; i < r->ntrans && i < RS_HIST_FIRST; i++) {
        if (i)
            g_string_append(s, " > ");
        rs_append_transition(s, &r->first[i], first_day);
    }
    if (r->ntrans > RS_HIST_FIRST) {
        from = r->ntrans > RS_HIST_FIRST + RS_HIST_LAST ? r->ntrans - RS_HIST_LAST : RS_HIST_FIRST;
        if (from > RS_HIST_FIRST)
            g_string_append_printf(s, " > (+%u more)", from - RS_HIST_FIRST);
        for (i = from; i < r->ntrans; i++) {
            g_string_append(s, " > ");
            rs_append_transition(s, &r->last[i % RS_HIST_LAST], first_day);
        }
    }
    g_free(r->history_s);
    r->history_s = g_string_free(s, FALSE);
}

static void
rs_push_transition(rs_row *r, guint32 state, time_t secs)
{
    rs_transition t = { state, secs };

    if (r->ntrans < RS_HIST_FIRST)
        r->first[r->ntrans] = t;
    else
        r->last[r->ntrans % RS_HIST_LAST] = t;
    if (r->ntrans < G_MAXUINT)
        r->ntrans++;
    rs_format_history(r);
}

/* ------------------------------------------------------------------------ */
/* Table output                                                               */

enum {
    RC_ROW, RC_SERVER, RC_NAME, RC_ROLE, RC_MODE, RC_STATE, RC_PREV_STATE, RC_PRIMARY,
    RC_SECONDARY, RC_MCLT, RC_SAFE_PERIOD, RC_PERCENTAGE, RC_REPORTS, RC_CLOCK, RC_MAX_CLOCK,
    RC_PARTNER_CLOCK, RC_SCOPES, RC_HISTORY, RS_NFIELDS
};

/* tshark prints "<column_name> |" as the header and "<field_format> |" per
 * cell, so the names are padded to the printed width of their column. */
static stat_tap_table_item rs_table_fields[RS_NFIELDS] = {
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "  #",                      "%3u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Server         ",          "%-15s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Relationship            ", "%-24s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Role     ",                "%-9s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Mode       ",              "%-11s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "State             ",       "%-18s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Prev state        ",       "%-18s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Primary        ",          "%-15s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Secondary      ",          "%-15s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "MCLT (s)",                 "%8u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Safe period",              "%11s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Pct",                      "%3u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Reports",                  "%7u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Clock offset",             "%12s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Max abs offset",           "%14s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Partner clock diff",       "%18s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Scopes                          ", "%-32s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "States seen (UTC)",        "%s" },
};

/* Tables without rows: their titles carry the rules into the output (tshark
 * prints each title on its own line; the GUI shows them as top-level items). */
static const char *const rs_table_notes[] = {
    "Reports: relationships in GetRelationship (92), EnumRelationship (93) and "
        "GetScopeRelationship (96) answers; the relationship's columns are those of the last "
        "report",
    "States seen: each state the server reported, in turn, with the capture time (UTC) of its "
        "first report; at most 6 kept (the first 2 and the last 4), \"(+k more)\" for the others",
    "Clock (GetSystemTime, 99): Clock offset = the server's last answer - capture time (s); "
        "Max abs offset = largest |offset|; Partner clock diff = this server's last offset - "
        "the partner's (the relationship's other address); a server without relationships has "
        "one row \"-\"",
};
#define RS_TABLE_ROWS_TITLE \
    "Rows: one per reporting server and relationship name, sorted by server address then " \
    "name; Role = serverType of the reporting server; Safe period 4294967295 = infinite; " \
    "Scopes = count, then the first 3"

static const char *
rs_or_dash(gboolean valid, const char *s)
{
    return valid && s ? s : "-";
}

static void
rs_table_fill(stat_tap_table_item_type *items, const rs_row *r)
{
    const rs_server *srv = r->server;
    gboolean rel = r->seen;

    items[RC_ROW].value.uint_value = r->row + 1;
    items[RC_SERVER].value.string_value = srv->name;
    items[RC_NAME].value.string_value = !r->name ? "-" : r->name[0] ? r->name : "(no name)";
    items[RC_ROLE].value.string_value = rs_or_dash(rel, r->role_s);
    items[RC_MODE].value.string_value = rs_or_dash(rel, r->mode_s);
    items[RC_STATE].value.string_value = rs_or_dash(rel, r->state_s);
    items[RC_PREV_STATE].value.string_value = rs_or_dash(rel, r->prev_s);
    items[RC_PRIMARY].value.string_value = rs_or_dash(rel, r->primary_s);
    items[RC_SECONDARY].value.string_value = rs_or_dash(rel, r->secondary_s);
    items[RC_MCLT].value.uint_value = rel ? r->mclt : 0;
    items[RC_SAFE_PERIOD].value.string_value = rs_or_dash(rel, r->safe_s);
    items[RC_PERCENTAGE].value.uint_value = rel ? r->percentage : 0;
    items[RC_REPORTS].value.uint_value = r->reports;
    items[RC_CLOCK].value.string_value = rs_or_dash(srv->has_clock, srv->offset_s);
    items[RC_MAX_CLOCK].value.string_value = rs_or_dash(srv->has_clock, srv->max_s);
    items[RC_PARTNER_CLOCK].value.string_value = r->partner_s[0] ? r->partner_s : "-";
    items[RC_SCOPES].value.string_value = rs_or_dash(rel, r->scopes_s);
    items[RC_HISTORY].value.string_value = rs_or_dash(rel, r->history_s);
}

static void
rs_table_fill_row(stat_tap_table_item_type *items, const void *data)
{
    rs_table_fill(items, (const rs_row *)data);
}

static void
rs_table_write_row(rs_state *s, const rs_row *r)
{
    dhcpsrv2_table_write_row(s->table, r->row, rs_table_fields, RS_NFIELDS, rs_table_fill_row, r);
}

/* ------------------------------------------------------------------------ */
/* Partner clock                                                              */

/* The relationship's other server: the address of primary/secondary that is
 * not the reporting server's; by serverType when neither is (NAT, IPv6). */
static rs_server *
rs_partner(rs_state *s, const rs_row *r)
{
    guint32 partner, be;
    address a;

    if (r->server->addr.type == AT_IPv4 && r->server->addr.len == 4) {
        guint32 me = pntohu32(r->server->addr.data);
        if (me == r->primary)
            partner = r->secondary;
        else if (me == r->secondary)
            partner = r->primary;
        else
            partner = r->server_type == 1 ? r->primary : r->secondary;
    } else {
        partner = r->server_type == 1 ? r->primary : r->secondary;
    }
    be = g_htonl(partner);
    set_address(&a, AT_IPv4, 4, &be);
    return (rs_server *)g_hash_table_lookup(s->servers, &a);
}

/* Recomputes the Partner clock diff text of a row; TRUE when it changed. */
static gboolean
rs_update_partner_clock(rs_state *s, rs_row *r)
{
    char buf[sizeof(r->partner_s)];
    const rs_server *p;

    buf[0] = '\0';
    if (r->seen && r->server->has_clock && (p = rs_partner(s, r)) != NULL && p != r->server &&
        p->has_clock)
        g_snprintf(buf, sizeof(buf), "%+" G_GINT64_FORMAT, r->server->offset - p->offset);
    if (strcmp(buf, r->partner_s) == 0)
        return FALSE;
    g_strlcpy(r->partner_s, buf, sizeof(r->partner_s));
    return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Lookup / creation                                                          */

static rs_server *
rs_server_get(rs_state *s, const address *addr)
{
    rs_server *srv = (rs_server *)g_hash_table_lookup(s->servers, addr);

    if (srv)
        return srv;
    srv = g_new0(rs_server, 1);
    copy_address(&srv->addr, addr);
    srv->name = addr->len ? address_to_str(NULL, addr) : wmem_strdup(NULL, "unknown server");
    srv->rows = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(s->servers, &srv->addr, srv);
    return srv;
}

/* Sorted insert (binary search), then renumber and refill the rows from
 * there on: the table is always in output order. */
static void
rs_row_insert(rs_state *s, rs_row *r)
{
    guint i;

    for (i = dhcpsrv2_sorted_insert(s->rows, r, rs_row_cmp); i < s->rows->len; i++) {
        rs_row *x = (rs_row *)g_ptr_array_index(s->rows, i);
        x->row = i;
        rs_table_write_row(s, x);
    }
}

static rs_row *
rs_row_get(rs_state *s, rs_server *srv, const char *name)
{
    rs_row *r = (rs_row *)g_hash_table_lookup(srv->rows, name);

    if (r)
        return r;
    if (srv->clock_row) {
        /* The server's only row so far: it keeps its place. */
        r = srv->clock_row;
        srv->clock_row = NULL;
        r->name = g_strdup(name);
    } else {
        r = g_new0(rs_row, 1);
        r->server = srv;
        r->name = g_strdup(name);
        rs_row_insert(s, r);
    }
    g_hash_table_insert(srv->rows, r->name, r);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Per-record processing                                                      */

static void
rs_report(rs_state *s, rs_server *srv, const dhcpsrv2_relationship *rel, const nstime_t *ts)
{
    rs_row *r = rs_row_get(s, srv, rel->name ? rel->name : "");
    gboolean first = !r->seen;
    gboolean partner_changed = FALSE;
    guint32 n_shown, i;

    if (r->reports < G_MAXUINT)
        r->reports++;

    if (first || rel->primary_server != r->primary) {
        r->primary = rel->primary_server;
        rs_ipv4_text(r->primary_s, sizeof(r->primary_s), r->primary);
        partner_changed = TRUE;
    }
    if (first || rel->secondary_server != r->secondary) {
        r->secondary = rel->secondary_server;
        rs_ipv4_text(r->secondary_s, sizeof(r->secondary_s), r->secondary);
        partner_changed = TRUE;
    }
    if (first || rel->server_type != r->server_type) {
        r->server_type = rel->server_type;
        rs_enum_text(r->role_s, sizeof(r->role_s), r->server_type, rs_role_names,
                     G_N_ELEMENTS(rs_role_names));
        partner_changed = TRUE;
    }
    if (first || rel->mode != r->mode) {
        r->mode = rel->mode;
        rs_enum_text(r->mode_s, sizeof(r->mode_s), r->mode, rs_mode_names,
                     G_N_ELEMENTS(rs_mode_names));
    }
    if (first || rel->state != r->state) {
        r->state = rel->state;
        rs_enum_text(r->state_s, sizeof(r->state_s), r->state, rs_state_names,
                     DHCPSRV2_FSM_STATE_COUNT);
        rs_push_transition(r, r->state, ts->secs);
    }
    if (first || rel->prev_state != r->prev_state) {
        r->prev_state = rel->prev_state;
        rs_enum_text(r->prev_s, sizeof(r->prev_s), r->prev_state, rs_state_names,
                     DHCPSRV2_FSM_STATE_COUNT);
    }
    if (first || rel->safe_period != r->safe_period) {
        r->safe_period = rel->safe_period;
        if (r->safe_period == RS_SAFE_PERIOD_INFINITE)
            g_strlcpy(r->safe_s, "infinite", sizeof(r->safe_s));
        else
            g_snprintf(r->safe_s, sizeof(r->safe_s), "%u", r->safe_period);
    }
    r->mclt = rel->mclt;
    r->percentage = rel->percentage;

    n_shown = MIN(MIN(rel->scopes_stored, (guint32)DHCPSRV2_TAP_MAX_SCOPES), (guint32)RS_SHOW_SCOPES);
    if (first || rel->num_scopes != r->num_scopes || n_shown != r->n_shown ||
        memcmp(rel->scopes, r->shown, n_shown * sizeof(guint32)) != 0) {
        r->num_scopes = rel->num_scopes;
        r->n_shown = n_shown;
        for (i = 0; i < n_shown; i++)
            r->shown[i] = rel->scopes[i];
        rs_format_scopes(r);
    }
    r->seen = TRUE;

    if (first || partner_changed)
        rs_update_partner_clock(s, r);
    rs_table_write_row(s, r);
}

static void
rs_clock(rs_state *s, rs_server *srv, gint64 offset)
{
    guint64 abs_offset = offset < 0 ? (guint64)0 - (guint64)offset : (guint64)offset;
    guint i;

    if (srv->has_clock && offset == srv->offset)
        return;     /* nothing shown changes */
    if (!srv->has_clock || abs_offset > srv->max_abs) {
        srv->max_abs = abs_offset;
        g_snprintf(srv->max_s, sizeof(srv->max_s), "%" G_GUINT64_FORMAT, abs_offset);
    }
    srv->offset = offset;
    g_snprintf(srv->offset_s, sizeof(srv->offset_s), "%+" G_GINT64_FORMAT, offset);
    srv->has_clock = TRUE;

    if (g_hash_table_size(srv->rows) == 0 && !srv->clock_row) {
        rs_row *r = g_new0(rs_row, 1);
        r->server = srv;
        srv->clock_row = r;
        rs_row_insert(s, r);
    }

    /* Every row shows its server's clock, and the partner difference of any
     * row may involve this server: refill them all (they are few). */
    for (i = 0; i < s->rows->len; i++) {
        rs_row *r = (rs_row *)g_ptr_array_index(s->rows, i);
        rs_update_partner_clock(s, r);
        rs_table_write_row(s, r);
    }
}

static stat_tap_table_ui rs_table_ui;

/* The undecoded note's title, rewritten when the counts change (rare). */
static void
rs_update_note(rs_state *s)
{
    stat_tap_table *note = s->note_title ? stat_tap_find_table(&rs_table_ui, s->note_title) : NULL;
    GString *text = g_string_new(NULL);

    fv_undecoded_note(text, s->sealed, s->untrusted, NULL);
    if (!note) {
        g_string_free(text, TRUE);
        return;
    }
    /* the old title stays allocated: the GUI may still show it */
    s->note_title = g_string_free(text, FALSE);
    note->title = s->note_title;
}

static tap_packet_status
rs_process(rs_state *s, packet_info *pinfo, const dhcpsrv2_tap_record *rec)
{
    rs_server *srv = NULL;
    guint32 i;

    if (!rec)
        return TAP_PACKET_DONT_REDRAW;
    if (rec->undecoded != DHCPSRV2_DECODED) {
        if (rec->undecoded == DHCPSRV2_UNDECODED_SEALED)
            s->sealed++;
        else
            s->untrusted++;
        rs_update_note(s);
        return TAP_PACKET_REDRAW;
    }
    if (rec->interface_id != DHCPSRV2_IF_DHCPSRV2)
        return TAP_PACKET_DONT_REDRAW;      /* dhcpsrv opnums are not dhcpsrv2 ones */
    switch (rec->opnum) {
    case DHCPSRV2_OPNUM_FAILOVER_GET_RELATIONSHIP:
    case DHCPSRV2_OPNUM_FAILOVER_ENUM_RELATIONSHIP:
    case DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_RELATIONSHIP:
        for (i = 0; i < rec->n_relationships && rec->relationships; i++) {
            const dhcpsrv2_relationship *rel = &rec->relationships[i];
            if (!rel->complete)
                continue;
            if (!srv)
                srv = rs_server_get(s, &rec->server);
            rs_report(s, srv, rel, &pinfo->abs_ts);
        }
        return srv ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
    case DHCPSRV2_OPNUM_FAILOVER_GET_SYSTEM_TIME:
        if (!rec->system_time_valid)
            return TAP_PACKET_DONT_REDRAW;
        rs_clock(s, rs_server_get(s, &rec->server), rec->clock_offset);
        return TAP_PACKET_REDRAW;
    default:
        return TAP_PACKET_DONT_REDRAW;
    }
}

/* ------------------------------------------------------------------------ */
/* stat_tap_table_ui: -z dhcpsrv2_failover,relationships[,filter]             */

/* A stat_tap_table_ui has one set of tables, hence one accumulator. */
static rs_state *rs_table_state;

/* ------------------------------------------------------------------------ */
/* stat_tap_table_ui instance                                                 */

static void
rs_table_init(stat_tap_table_ui *ui)
{
    const char *notes[G_N_ELEMENTS(rs_table_notes) + 1];
    rs_state *s;
    guint i;

    if (!rs_table_state)
        rs_table_state = rs_state_new();
    s = rs_table_state;
    rs_state_clear(s);
    if (!s->note_title || !stat_tap_find_table(ui, s->note_title)) {
        GString *text = g_string_new(NULL);
        fv_undecoded_note(text, 0, 0, NULL);
        s->note_title = g_string_free(text, FALSE);
    }
    for (i = 0; i < G_N_ELEMENTS(rs_table_notes); i++)
        notes[i] = rs_table_notes[i];
    notes[i] = s->note_title;
    s->table = dhcpsrv2_table_setup(ui, notes, G_N_ELEMENTS(notes), RS_TABLE_ROWS_TITLE);
    rs_update_note(s);
}

static void
rs_table_reset(stat_tap_table *table)
{
    if (!rs_table_state || table != rs_table_state->table)
        return;     /* the note tables have no rows */
    rs_state_clear(rs_table_state);
    dhcpsrv2_table_drop_rows(table);
    rs_update_note(rs_table_state);
}

static tap_packet_status
rs_table_packet(void *tapdata _U_, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                tap_flags_t flags _U_)
{
    if (!rs_table_state || !rs_table_state->table)
        return TAP_PACKET_DONT_REDRAW;
    return rs_process(rs_table_state, pinfo, (const dhcpsrv2_tap_record *)data);
}

static tap_param rs_table_params[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, TRUE },
};

static stat_tap_table_ui rs_table_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "DHCP Failover Relationships",
    DHCPSRV2_TAP_NAME,
    "dhcpsrv2_failover,relationships",
    rs_table_init,
    rs_table_packet,
    rs_table_reset,
    NULL,           /* cells point into the accumulator; nothing to free */
    NULL,
    G_N_ELEMENTS(rs_table_fields), rs_table_fields,
    G_N_ELEMENTS(rs_table_params), rs_table_params,
    NULL,
    0
};

void
register_dhcpsrv2_relstats(void)
{
    register_stat_tap_table_ui(&rs_table_ui);
}
