/* failover-views.c -- registration of the three failover outputs, the draw
 * hook they share, and the stat_tap_table helpers of the two tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>

#include "dhcpsrv2.h"
#include "failover-views.h"

/* ------------------------------------------------------------------------ */
/* The draw hook                                                              */

typedef struct fv_hooked {
    void *view;
    fv_render_fn render;
} fv_hooked;

/* The views waiting for a draw, and the one listener that renders them all:
 * every extra tap listener costs tshark a little on every packet. */
static GArray *fv_views;
static gboolean fv_registered;
static int fv_tapdata;          /* the listener's identity */

static tap_packet_status
fv_hook_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
               const void *data _U_, tap_flags_t flags _U_)
{
    /* so that the GUI's periodic draw calls fv_hook_draw() */
    return fv_views && fv_views->len ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

static void
fv_hook_draw(void *tapdata _U_)
{
    guint i;

    for (i = 0; fv_views && i < fv_views->len; i++) {
        fv_hooked *h = &g_array_index(fv_views, fv_hooked, i);
        h->render(h->view);
    }
}

void
fv_hook_add(void *view, fv_render_fn render)
{
    fv_hooked h = { view, render };
    GString *err;
    guint i;

    if (!fv_views)
        fv_views = g_array_new(FALSE, FALSE, sizeof(fv_hooked));
    for (i = 0; i < fv_views->len; i++)
        if (g_array_index(fv_views, fv_hooked, i).view == view)
            return;
    g_array_append_val(fv_views, h);
    /* (Re-)register in front of every output registered so far: the GUI may
     * have opened a dialog since.  We are inside another listener's packet
     * callback; removing a listener other than the one being called is safe
     * there. */
    if (fv_registered)
        remove_tap_listener(&fv_tapdata);
    err = register_tap_listener(DHCPSRV2_TAP_NAME, &fv_tapdata, NULL, TL_REQUIRES_NOTHING, NULL,
                                fv_hook_packet, fv_hook_draw, NULL);
    fv_registered = err == NULL;
    if (err)
        g_string_free(err, TRUE);   /* cannot happen: our own tap exists */
}

void
fv_hook_remove(void *view)
{
    guint i;

    for (i = 0; fv_views && i < fv_views->len; i++) {
        if (g_array_index(fv_views, fv_hooked, i).view == view) {
            g_array_remove_index(fv_views, i);
            return;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Table helpers                                                              */

guint
dhcpsrv2_sorted_insert(GPtrArray *rows, gpointer item, GCompareFunc cmp)
{
    guint lo = 0, hi = rows->len;

    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (cmp(g_ptr_array_index(rows, mid), item) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    g_ptr_array_insert(rows, (gint)lo, item);
    return lo;
}

void
dhcpsrv2_table_drop_rows(stat_tap_table *table)
{
    guint i;

    for (i = 0; i < table->num_elements; i++)
        g_free(table->elements[i]);
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

stat_tap_table *
dhcpsrv2_table_setup(stat_tap_table_ui *ui, const char *const *notes, guint n_notes,
                     const char *rows_title)
{
    stat_tap_table *table = stat_tap_find_table(ui, rows_title);
    guint i;

    if (table) {
        dhcpsrv2_table_drop_rows(table);
        return table;
    }
    for (i = 0; i < n_notes; i++)
        stat_tap_add_table(ui, stat_tap_init_table(notes[i], (int)ui->nfields, 0, NULL));
    table = stat_tap_init_table(rows_title, (int)ui->nfields, 0, NULL);
    stat_tap_add_table(ui, table);
    return table;
}

void
dhcpsrv2_table_write_row(stat_tap_table *table, guint row, const stat_tap_table_item *fields,
                         guint nfields, dhcpsrv2_row_fill fill, const void *data)
{
    stat_tap_table_item_type *items;
    guint i;

    if (row < table->num_elements) {
        fill(table->elements[row], data);
        return;
    }
    items = g_new0(stat_tap_table_item_type, nfields);
    for (i = 0; i < nfields; i++)
        items[i].type = fields[i].type;
    fill(items, data);
    stat_tap_init_table_row(table, row, nfields, items);   /* copies the cells */
    g_free(items);
}

/* At most this many (server, operation) pairs are named in the note. */
#define FV_NOTE_OPS 6

void
fv_undecoded_note(GString *out, guint sealed, guint untrusted, const fm_model *m)
{
    guint i, j, shown = 0, more = 0;

    g_string_printf(out, "Undecoded calls: %u sealed (packet privacy, not decrypted: no values, "
                    "not in the rows), %u untrusted (decrypted stub that cannot be trusted: "
                    "not used)", sealed, untrusted);
    if (!m || !sealed)
        return;
    g_string_append(out, "; sealed by server and operation:");
    for (i = 0; i < m->servers_sorted->len; i++) {
        const fm_server *srv = (const fm_server *)g_ptr_array_index(m->servers_sorted, i);

        for (j = 0; j < srv->undecoded_ops->len; j++) {
            const fm_undecoded_op *op = &g_array_index(srv->undecoded_ops, fm_undecoded_op, j);
            const char *name = fm_operation_name(op->interface_id, op->opnum);

            if (shown == FV_NOTE_OPS) {
                more++;
                continue;
            }
            g_string_append_printf(out, "%s %s %s %s (%u) %u", shown ? "," : "", srv->name,
                                   op->interface_id == DHCPSRV2_IF_DHCPSRV ? "dhcpsrv" : "dhcpsrv2",
                                   name ? name : "unknown", op->opnum, op->sealed);
            shown++;
        }
    }
    if (more)
        g_string_append_printf(out, ", +%u more", more);
}

/* ------------------------------------------------------------------------ */
/* Registration (called back through tap_register_plugin, see plugin.c)       */

void
register_dhcpsrv2_stats(void)
{
    register_dhcpsrv2_tree();
    register_dhcpsrv2_scopes();
    register_dhcpsrv2_relstats();
}
