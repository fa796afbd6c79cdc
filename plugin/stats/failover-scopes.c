/* failover-scopes.c -- the scope table view of the failover model.
 *
 *   stat table   "DHCP Failover Scopes" (a stat_tap_table_ui)
 *                tshark -q -z dhcpsrv2_failover,scopes[,filter]
 *                GUI: Statistics -> DHCP Failover Scopes
 *
 * A thin view: the packet callback feeds the model; the rows are written
 * from the model when the table is drawn (the draw hook, failover-views.c),
 * one per (server, scope) in the model's order (server address, then scope
 * id, the unknown scope last).  Rows are never reallocated, only refilled
 * (the GUI keeps pointers to them); a new (server, scope) adds a row at the
 * end and every row is refilled in order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>

#include "dhcpsrv2.h"
#include "failover-views.h"

enum {
    COL_ROW, COL_SERVER, COL_SCOPE, COL_POLLS, COL_ERRORS, COL_MALFORMED, COL_STATS,
    COL_NUM_ADDR, COL_ADDR_FREE, COL_ADDR_IN_USE, COL_PARTNER_FREE, COL_THIS_FREE,
    COL_PARTNER_IN_USE, COL_THIS_IN_USE, COL_UTIL, COL_MIN_FREE, COL_FREE_CHANGE,
    COL_INCONSISTENT, COL_PARTNER, COL_COMPARED, COL_AGREE, COL_DISAGREE,
    COL_MAX_DFREE, COL_MAX_DINUSE, COL_PERSISTENT,
    COL_THIS_TREND, COL_THIS_TO_ZERO, COL_FREE_TREND, COL_FREE_TO_ZERO,
    COL_SHARE, COL_EXPECTED, COL_SHARE_CHECK, COL_FROZEN,
    COL_MIB_COMPARED, COL_MIB_AGREE, COL_MIB_DISAGREE, COL_MIB_FREE, COL_MIB_IN_USE,
    COL_MIB_OFFERS, FS_NFIELDS
};

/* tshark prints "<column_name> |" as the header and "<field_format> |" per
 * cell, so the names are padded to the printed width of their column. */
static stat_tap_table_item fs_fields[FS_NFIELDS] = {
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
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Persistent",           "%10u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "thisAddrFree trend/h", "%20s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "thisAddrFree to 0",    "%17s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "addrFree trend/h",     "%16s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "addrFree to 0",        "%13s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Share %",              "%7s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Expected %",           "%10s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Share check    ",      "%-15s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Partner frozen",       "%14s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "MIB compared",         "%12u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "MIB agree",            "%9u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "MIB disagree",         "%12u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "MIB free",             "%8s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "MIB in use",           "%10s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "MIB offers",           "%10s" },
};

/* Tables without rows: their titles carry the rules into the output (tshark
 * prints each title on its own line; the GUI shows them as top-level items). */
static const char *const fs_notes[] = {
    "Pairing: partners = the two servers that answered with statistics for the same scope id; "
        "no pairing when more than two did (Partner = ambiguous)",
    "Comparison: a poll is compared with the partner's poll nearest in time when that poll's "
        "nearest partner poll is this one (ties: the earlier), each poll in at most one comparison, "
        "only if the two are at most 30 s apart (window 30 s); Compared/Agree/Disagree/Max diff/"
        "Persistent are per pair, shown on both rows",
    "Agree: thisAddrFree, thisAddrInUse, partnerAddrFree, partnerAddrInUse equal the partner's "
        "partnerAddrFree, partnerAddrInUse, thisAddrFree, thisAddrInUse; Max diff = largest absolute "
        "difference of those pairs; Persistent = disagreements in a run of 2+ comparisons in a row "
        "with the same direction of difference",
    "Trend: least squares over the last 12 polls with statistics (at least 3), addresses per hour; "
        "to 0 = last value / -trend (never: not falling, now: 0 already; in parentheses: not steady, "
        "i.e. fewer than 12 polls or R^2 < 0.8, and no expert); Share % = thisAddrFree / "
        "addrFree, Expected % = the relationship's percentage (load balance: the primary's share; "
        "hot standby: the standby's reserve), Share check: ok within the share tolerance preference; "
        "Partner frozen: partner counters unchanged for 5+ polls while this server's moved, "
        "relationship not NORMAL",
    "MIB: R_DhcpGetMibInfo/VQ (dhcpsrv 22, 43) and R_DhcpGetMibInfoV5 (dhcpsrv2 81) scope counters "
        "of the server, each compared with its opnum-97 poll nearest in time within 30 s: agree when "
        "NumAddressesFree == addrFree and NumAddressesInuse == addrInUse; MIB free/in use/offers "
        "= the last MIB answer",
};
#define FS_ROWS_TITLE \
    "Rows: one per server and scope, sorted by server address then scope id; Polls = responses, " \
    "Errors = failure status, Malformed = stub not fully decoded, Stats = responses with statistics; counters and Util % are those of " \
    "the last response with statistics; Min free = lowest addrFree; Free chg = last - first addrFree; " \
    "Inconsistent = responses failing a sum check"

/* The formatted cells of one row (pointers into it stay valid until the
 * next draw). */
typedef struct fs_row_text {
    char this_trend[24], this_zero[24], free_trend[24], free_zero[24];
    char share[16], expected[16], frozen[24];
    char mib_free[16], mib_in_use[16], mib_offers[16];
    char partner[32];
} fs_row_text;

typedef struct fs_view {
    fm_model *model;
    stat_tap_table *table;
    GPtrArray *texts;           /* fs_row_text per row (owned) */
    char *note_title;           /* current title of the undecoded note table */
    guint64 drawn;
    gboolean drawn_once;
} fs_view;

/* A stat_tap_table_ui has one set of tables, hence one view. */
static fs_view *fs_the_view;
static stat_tap_table_ui fs_ui;

typedef struct fs_row_ctx {
    const fm_entry *e;
    guint row;
    fs_row_text *text;
} fs_row_ctx;

static const char *
fs_partner_text(const fm_entry *e, char *buf, gsize size)
{
    const fm_scope *sc = e->scope;
    const fm_entry *p = fm_entry_partner(e);

    if (!sc || !e->member)
        return "-";
    if (p)
        return p->server->name;
    if (sc->members->len == 1)
        return "none seen";
    g_snprintf(buf, (gulong)size, "ambiguous: %u servers", sc->members->len);
    return buf;
}

static void
fs_trend_cells(const fm_entry *e, int which, char *trend, char *zero, gsize size)
{
    fm_trend t;

    fm_entry_trend(e, which, &t);
    if (t.n)    /* no "-0.00" */
        g_snprintf(trend, (gulong)size, "%+.2f", fabs(t.per_hour) < 0.005 ? 0.0 : t.per_hour);
    else
        g_strlcpy(trend, "-", size);
    fm_format_duration(zero, size, &t);
}

static void
fs_health_cells(const fm_entry *e, fs_row_text *x, const char **check)
{
    guint frozen;
    fm_share sh;

    fs_trend_cells(e, 0, x->this_trend, x->this_zero, sizeof(x->this_trend));
    fs_trend_cells(e, 1, x->free_trend, x->free_zero, sizeof(x->free_trend));
    fm_entry_share(e, dhcpsrv2_share_tolerance(), &sh);
    *check = "-";
    g_strlcpy(x->share, "-", sizeof(x->share));
    g_strlcpy(x->expected, "-", sizeof(x->expected));
    if (sh.state != FM_SHARE_UNKNOWN) {
        g_snprintf(x->share, sizeof(x->share), "%.2f", sh.share);
        g_snprintf(x->expected, sizeof(x->expected), "%u", sh.expected);
        *check = sh.state == FM_SHARE_OK ? "ok" : sh.state == FM_SHARE_OFF ? "OFF"
                                                                            : "RESERVE USED UP";
    }
    if (fm_entry_partner_frozen(e, &frozen))
        g_snprintf(x->frozen, sizeof(x->frozen), "%u polls", frozen);
    else
        g_strlcpy(x->frozen, "-", sizeof(x->frozen));
    if (e->mib_samples) {
        g_snprintf(x->mib_free, sizeof(x->mib_free), "%u", e->mib_last.num_addresses_free);
        g_snprintf(x->mib_in_use, sizeof(x->mib_in_use), "%u", e->mib_last.num_addresses_in_use);
        g_snprintf(x->mib_offers, sizeof(x->mib_offers), "%u", e->mib_last.num_pending_offers);
    } else {
        g_strlcpy(x->mib_free, "-", sizeof(x->mib_free));
        g_strlcpy(x->mib_in_use, "-", sizeof(x->mib_in_use));
        g_strlcpy(x->mib_offers, "-", sizeof(x->mib_offers));
    }
}

static void
fs_fill(stat_tap_table_item_type *items, const void *data)
{
    const fs_row_ctx *ctx = (const fs_row_ctx *)data;
    const fm_entry *e = ctx->e;
    const dhcpsrv2_failover_counters *c = &e->last;
    gint64 change = (gint64)c->addr_free - (gint64)e->first_free;
    fm_pair_counts pc;
    const char *check;
    guint mc, ma, md;
    gint64 dfree, dinuse;

    memset(&pc, 0, sizeof(pc));
    if (fm_entry_partner(e))
        fm_scope_pair_counts(e->scope, &pc);
    fs_health_cells(e, ctx->text, &check);
    fm_entry_mib_counts(e, &mc, &ma, &md, &dfree, &dinuse);

    items[COL_ROW].value.uint_value = ctx->row + 1;
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
    items[COL_PARTNER].value.string_value = fs_partner_text(e, ctx->text->partner,
                                                           sizeof(ctx->text->partner));
    items[COL_COMPARED].value.uint_value = pc.compared;
    items[COL_AGREE].value.uint_value = pc.agree;
    items[COL_DISAGREE].value.uint_value = pc.disagree;
    items[COL_MAX_DFREE].value.uint_value = pc.max_dfree;
    items[COL_MAX_DINUSE].value.uint_value = pc.max_dinuse;
    items[COL_PERSISTENT].value.uint_value = pc.persistent;
    items[COL_THIS_TREND].value.string_value = ctx->text->this_trend;
    items[COL_THIS_TO_ZERO].value.string_value = ctx->text->this_zero;
    items[COL_FREE_TREND].value.string_value = ctx->text->free_trend;
    items[COL_FREE_TO_ZERO].value.string_value = ctx->text->free_zero;
    items[COL_SHARE].value.string_value = ctx->text->share;
    items[COL_EXPECTED].value.string_value = ctx->text->expected;
    items[COL_SHARE_CHECK].value.string_value = check;
    items[COL_FROZEN].value.string_value = ctx->text->frozen;
    items[COL_MIB_COMPARED].value.uint_value = mc;
    items[COL_MIB_AGREE].value.uint_value = ma;
    items[COL_MIB_DISAGREE].value.uint_value = md;
    items[COL_MIB_FREE].value.string_value = ctx->text->mib_free;
    items[COL_MIB_IN_USE].value.string_value = ctx->text->mib_in_use;
    items[COL_MIB_OFFERS].value.string_value = ctx->text->mib_offers;
}

static void
fs_render_note(fs_view *v)
{
    stat_tap_table *note = v->note_title ? stat_tap_find_table(&fs_ui, v->note_title) : NULL;
    GString *text = g_string_new(NULL);

    if (!note) {
        g_string_free(text, TRUE);
        return;
    }
    fv_undecoded_note(text, v->model->sealed, v->model->untrusted, v->model);
    if (strcmp(text->str, v->note_title) == 0) {
        g_string_free(text, TRUE);
        return;
    }
    /* the old title stays allocated: the GUI may still show it */
    v->note_title = g_string_free(text, FALSE);
    note->title = v->note_title;
}

/* The draw hook: every row again, in the model's order. */
static void
fs_render(void *p)
{
    fs_view *v = (fs_view *)p;
    const GPtrArray *entries = v->model->entries_sorted;
    guint i;

    /* The GUI frees a dialog's tables when it closes. */
    if (!v->table || stat_tap_find_table(&fs_ui, FS_ROWS_TITLE) != v->table)
        return;
    if (v->drawn_once && v->drawn == v->model->generation)
        return;
    fs_render_note(v);
    for (i = 0; i < entries->len; i++) {
        fs_row_ctx ctx;

        if (i == v->texts->len)
            g_ptr_array_add(v->texts, g_new0(fs_row_text, 1));
        ctx.e = (const fm_entry *)g_ptr_array_index(entries, i);
        ctx.row = i;
        ctx.text = (fs_row_text *)g_ptr_array_index(v->texts, i);
        dhcpsrv2_table_write_row(v->table, i, fs_fields, FS_NFIELDS, fs_fill, &ctx);
    }
    v->drawn = v->model->generation;
    v->drawn_once = TRUE;
}

static void
fs_clear(fs_view *v)
{
    fv_hook_remove(v);
    fm_model_clear(v->model);
    v->drawn_once = FALSE;
}

static void
fs_init(stat_tap_table_ui *ui)
{
    fs_view *v = fs_the_view;
    const char *notes[G_N_ELEMENTS(fs_notes) + 1];
    guint i;

    if (!v) {
        v = fs_the_view = g_new0(fs_view, 1);
        v->model = fm_model_new();
        v->texts = g_ptr_array_new_with_free_func(g_free);
    }
    fs_clear(v);
    if (!v->note_title || !stat_tap_find_table(ui, v->note_title)) {
        GString *text = g_string_new(NULL);
        fv_undecoded_note(text, 0, 0, NULL);
        v->note_title = g_string_free(text, FALSE);
    }
    for (i = 0; i < G_N_ELEMENTS(fs_notes); i++)
        notes[i] = fs_notes[i];
    notes[i] = v->note_title;
    v->table = dhcpsrv2_table_setup(ui, notes, G_N_ELEMENTS(notes), FS_ROWS_TITLE);
    g_ptr_array_set_size(v->texts, 0);
}

static void
fs_reset(stat_tap_table *table)
{
    fs_view *v = fs_the_view;

    if (!v || table != v->table)
        return;     /* the note tables have no rows */
    fs_clear(v);
    dhcpsrv2_table_drop_rows(table);
    g_ptr_array_set_size(v->texts, 0);
}

static tap_packet_status
fs_packet(void *tapdata _U_, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
          tap_flags_t flags _U_)
{
    fs_view *v = fs_the_view;

    if (!v || !v->table ||
        !fm_model_feed(v->model, (const dhcpsrv2_tap_record *)data, &pinfo->abs_ts, NULL))
        return TAP_PACKET_DONT_REDRAW;
    fv_hook_add(v, fs_render);
    return TAP_PACKET_REDRAW;
}

static tap_param fs_params[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, TRUE },
};

static stat_tap_table_ui fs_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "DHCP Failover Scopes",
    DHCPSRV2_TAP_NAME,
    "dhcpsrv2_failover,scopes",
    fs_init,
    fs_packet,
    fs_reset,
    NULL,           /* cells point into the view; nothing to free */
    NULL,
    G_N_ELEMENTS(fs_fields), fs_fields,
    G_N_ELEMENTS(fs_params), fs_params,
    NULL,
    0
};

void
register_dhcpsrv2_scopes(void)
{
    register_stat_tap_table_ui(&fs_ui);
}
