/* failover-views.h -- what the statistics views share.
 *
 * failover-model.c          the model (plain C + glib): records in, answers out.
 * failover-tree.c           stats_tree "DHCP Failover/Scope statistics" (-z dhcpsrv2_failover,tree)
 * failover-scopes.c         scope table (-z dhcpsrv2_failover,scopes)
 * failover-relationships.c  relationship table (-z dhcpsrv2_failover,relationships)
 * failover-views.c          registration, the draw hook, the table helpers
 * failover-experts.c        the model at dissection time: packet experts, preferences
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FAILOVER_VIEWS_H
#define FAILOVER_VIEWS_H

#include <glib.h>
#include <epan/stat_tap_ui.h>

#include "failover-model.h"

/* FSM_STATE values with a name (MS-DHCPM 2.2.1.1.20): 0 NO_STATE .. 11 RECOVER_DONE. */
#define DHCPSRV2_FSM_STATE_COUNT 12

/* The FSM_STATE name of a value, NULL when the value has none. */
const char *dhcpsrv2_fsm_state_name(guint32 state);

/* --- the draw hook ---------------------------------------------------------
 * Neither a stats_tree nor a stat_tap_table_ui has a "before drawing" hook,
 * so one extra listener on the dhcpsrv2 tap has a draw callback that lets
 * every view waiting for it render its model.  It must draw before the
 * views' own listeners (draw_tap_listeners() walks the most recently
 * registered first), so it is registered again in front at a view's first
 * record after its init or reset.  It is never removed from a cleanup
 * callback (tshark 4.6 frees stats trees at exit, and a listener removed
 * from there is freed twice). */
typedef void (*fv_render_fn)(void *view);

/* Called from a view's packet callback: the view renders before the next draw. */
void fv_hook_add(void *view, fv_render_fn render);
/* Called from init, reset and cleanup: the view no longer renders. */
void fv_hook_remove(void *view);

/* --- stat_tap_table helpers (scope and relationship tables) ---------------- */

/* The rows table of `ui`, created with its note tables on first use, emptied
 * when it exists (the GUI calls init again for a new dialog). */
stat_tap_table *dhcpsrv2_table_setup(stat_tap_table_ui *ui, const char *const *notes,
                                     guint n_notes, const char *rows_title);

/* Frees every row of a table (its cells point into the views' memory). */
void dhcpsrv2_table_drop_rows(stat_tap_table *table);

/* Writes row `row` through `fill`: in place when it exists (the GUI keeps
 * pointers to the row arrays, so rows are never reallocated, only refilled),
 * else as a new row whose cell types come from `fields`. */
typedef void (*dhcpsrv2_row_fill)(stat_tap_table_item_type *items, const void *data);
void dhcpsrv2_table_write_row(stat_tap_table *table, guint row, const stat_tap_table_item *fields,
                              guint nfields, dhcpsrv2_row_fill fill, const void *data);

/* Inserts `item` into `rows`, kept sorted by `cmp` (binary search); returns
 * its index: the rows from there on have moved. */
guint dhcpsrv2_sorted_insert(GPtrArray *rows, gpointer item, GCompareFunc cmp);

/* The text of the note table (row-less, the title is the text) that says
 * which calls could not be decoded, so that an empty table says why it is
 * empty: totals, and per server and operation when `m` is given.  The
 * title is rewritten at draw time. */
void fv_undecoded_note(GString *out, guint sealed, guint untrusted, const fm_model *m);

/* Registration of the three outputs (called from register_dhcpsrv2_stats()). */
void register_dhcpsrv2_tree(void);
void register_dhcpsrv2_scopes(void);
void register_dhcpsrv2_relstats(void);

/* The preferences the views share with the experts (failover-experts.c). */
double dhcpsrv2_share_tolerance(void);          /* percentage points */
guint dhcpsrv2_exhaustion_threshold_s(void);    /* seconds */

#endif /* FAILOVER_VIEWS_H */
