/* dhcpsrv2-relstats.h -- what the two statistics files share.
 *
 * dhcpsrv2-stats.c     the scope statistics (tree and table); its tree also
 *                      links each scope to its failover relationship.
 * dhcpsrv2-relstats.c  the relationship table (-z dhcpsrv2_failover,relationships).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPSRV2_RELSTATS_H
#define DHCPSRV2_RELSTATS_H

#include <glib.h>
#include <epan/stat_tap_ui.h>

/* FSM_STATE values with a name (MS-DHCPM 2.2.1.1.20): 0 NO_STATE .. 11 RECOVER_DONE. */
#define DHCPSRV2_FSM_STATE_COUNT 12

/* The FSM_STATE name of a value, NULL when the value has none. */
const char *dhcpsrv2_fsm_state_name(guint32 state);

/* The two stat_tap_table_ui outputs (scopes, relationships) have the same
 * shape: note tables whose titles carry the rules, then one table of rows. */

/* The rows table of `ui`, created with its note tables on first use, emptied
 * when it exists (the GUI calls init again for a new dialog). */
stat_tap_table *dhcpsrv2_table_setup(stat_tap_table_ui *ui, const char *const *notes,
                                     guint n_notes, const char *rows_title);

/* Frees every row of a table (its cells point into accumulators). */
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

/* Registers the relationship table; called from register_dhcpsrv2_stats(). */
void register_dhcpsrv2_relstats(void);

#endif /* DHCPSRV2_RELSTATS_H */
