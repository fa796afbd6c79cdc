/* fuzz_dhcpsrv2.c -- libFuzzer target for the dhcpsrv2 stub dissectors.
 *
 * The plugin sources are compiled into this binary and registered with
 * plugin_register() before epan_init(), exactly as Wireshark registers a
 * loaded plugin.  Every input becomes one Ethernet/IPv4/TCP frame whose
 * payload is a DCE/RPC bind + request (+ response) for the dhcpsrv2 (or
 * dhcpsrv) interface, and the frame goes through epan_dissect_run(), so the
 * stub reaches our code through eth -> ip -> tcp -> dcerpc heuristic ->
 * dcerpc -> sub-dissector, the path a captured packet takes.
 *
 * Input layout (see docs/robustness.md):
 *   byte 0   flags: bit 0 NDR64, bit 1 big-endian, bits 2-3 mode (0 request
 *            only, 1 response only (empty request), 2/3 request and
 *            response), bit 4 dhcpsrv instead of dhcpsrv2, bit 5 request in
 *            two fragments, bit 6 response in two fragments, bit 7 second
 *            (visited) pass as well
 *   byte 1   opnum selector: 0-12 picks a hand-decoded opnum (89-100, 125),
 *            13-0xEF any opnum of the interface ((selector - 13) modulo
 *            133 for dhcpsrv2, 51 for dhcpsrv: the table-driven decoder),
 *            otherwise byte 2 is the opnum
 *   byte 2   raw opnum
 *   byte 3-4 request stub length (little-endian), in mode 2/3
 *   rest     stub(s)
 * Shorter inputs are padded with zeros.
 *
 * Each input uses a new TCP conversation (its own client address and port),
 * so DCE/RPC binds and call matching never leak between inputs; the epan
 * session, which keeps file-scope state, is renewed every 20000 inputs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wireshark.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/packet.h>
#include <epan/column.h>
#include <epan/column-info.h>
#include <epan/addr_resolv.h>
#include <epan/tvbuff.h>
#include <epan/timestamp.h>
#include <epan/tap.h>
#include <epan/expert.h>
#include <wiretap/wtap.h>
#include <wsutil/privileges.h>
#include <wsutil/filesystem.h>
#include <wsutil/wslog.h>
#include <epan/stat_tap_ui.h>

#include "failover-model.h"

#include "ws-compat.h"    /* the epan embedding API changed in 4.6 */

/* From plugin/plugin.c (compiled into this binary). */
void plugin_register(void);

/* Inputs per epan session (FUZZ_DHCPSRV2_RESET_EVERY overrides). */
static guint32 reset_every = 20000;

static const guint16 decoded_opnums[] = { 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 125 };

static epan_t *session;
static epan_dissect_t *edt;
static column_info cinfo;
static guint32 inputs_in_session;
static guint32 conversation_counter;
static guint32 frame_counter;
static gboolean dump_tree;      /* FUZZ_DHCPSRV2_DUMP=1: print each tree (to check seeds) */

static tap_packet_status expert_tapped(void *tapdata, packet_info *pinfo, epan_dissect_t *edt_,
                                       const void *data, tap_flags_t flags);

/* ------------------------------------------------------------------------ */
/* Building the frame                                                         */

typedef struct {
    guint8 *data;
    size_t len, cap;
} buf_t;

static void
put(buf_t *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->data = (guint8 *)g_realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put8(buf_t *b, guint8 v) { put(b, &v, 1); }

static void
put16(buf_t *b, guint16 v, gboolean be)
{
    guint8 x[2];
    if (be) { x[0] = v >> 8; x[1] = v & 0xff; } else { x[0] = v & 0xff; x[1] = v >> 8; }
    put(b, x, 2);
}

static void
put32(buf_t *b, guint32 v, gboolean be)
{
    put16(b, be ? (guint16)(v >> 16) : (guint16)(v & 0xffff), be);
    put16(b, be ? (guint16)(v & 0xffff) : (guint16)(v >> 16), be);
}

static void
patch16(buf_t *b, size_t at, guint16 v, gboolean be)
{
    if (be) { b->data[at] = v >> 8; b->data[at + 1] = v & 0xff; }
    else { b->data[at] = v & 0xff; b->data[at + 1] = v >> 8; }
}

/* A GUID in DCE/RPC order: the first three fields in the PDU's byte order. */
static void
put_uuid(buf_t *b, guint32 d1, guint16 d2, guint16 d3, const guint8 d4[8], gboolean be)
{
    put32(b, d1, be);
    put16(b, d2, be);
    put16(b, d3, be);
    put(b, d4, 8);
}

/* Common header; returns the offset of frag_len for patching. */
static size_t
cn_header(buf_t *b, guint8 ptype, guint8 flags, guint32 call_id, gboolean be)
{
    size_t frag_at;
    put8(b, 5);                 /* rpc_vers */
    put8(b, 0);                 /* rpc_vers_minor */
    put8(b, ptype);
    put8(b, flags);
    put8(b, be ? 0x00 : 0x10);  /* drep: integer and character representation */
    put8(b, 0x00);              /* float: IEEE */
    put8(b, 0);
    put8(b, 0);
    frag_at = b->len;
    put16(b, 0, be);            /* frag_len, patched */
    put16(b, 0, be);            /* auth_len */
    put32(b, call_id, be);
    return frag_at;
}

static void
bind_pdu(buf_t *b, gboolean be, gboolean ndr64, gboolean v1_iface)
{
    static const guint8 dhcpsrv2_d4[8] = { 0xaa, 0xd2, 0x00, 0xc0, 0x4f, 0xc3, 0x24, 0xdb };
    static const guint8 dhcpsrv_d4[8] = { 0x98, 0x33, 0x46, 0xc3, 0xf8, 0x74, 0x53, 0x2d };
    static const guint8 ndr_d4[8] = { 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60 };
    static const guint8 ndr64_d4[8] = { 0x83, 0x19, 0xb5, 0xdb, 0xef, 0x9c, 0xcc, 0x36 };
    size_t start = b->len;
    size_t frag_at = cn_header(b, 11, 0x03, 1, be);

    put16(b, 5840, be);         /* max_xmit_frag */
    put16(b, 5840, be);         /* max_recv_frag */
    put32(b, 0, be);            /* assoc_group */
    put8(b, 1);                 /* n_context_elem */
    put8(b, 0); put16(b, 0, FALSE);
    put16(b, 0, be);            /* p_cont_id */
    put8(b, 1);                 /* n_transfer_syn */
    put8(b, 0);
    if (v1_iface)
        put_uuid(b, 0x6bffd098, 0xa112, 0x3610, dhcpsrv_d4, be);
    else
        put_uuid(b, 0x5b821720, 0xf63b, 0x11d0, dhcpsrv2_d4, be);
    put32(b, 1, be);            /* interface version 1.0 (one u32: major in the low half) */
    if (ndr64) {
        put_uuid(b, 0x71710533, 0xbeba, 0x4937, ndr64_d4, be);
        put32(b, 1, be);
    } else {
        put_uuid(b, 0x8a885d04, 0x1ceb, 0x11c9, ndr_d4, be);
        put32(b, 2, be);
    }
    patch16(b, frag_at, (guint16)(b->len - start), be);
}

/* A request (ptype 0) or response (ptype 2), optionally in two fragments. */
static void
call_pdus(buf_t *b, guint8 ptype, gboolean be, guint16 opnum, const guint8 *stub, size_t len,
          gboolean fragment)
{
    size_t cut = fragment ? len / 2 : len;
    size_t pieces[2][2] = { { 0, cut }, { cut, len } };
    int n = fragment ? 2 : 1, i;

    for (i = 0; i < n; i++) {
        size_t start = b->len, frag_at;
        size_t from = pieces[i][0], to = pieces[i][1];
        guint8 flags = (i == 0 ? 0x01 : 0) | (i == n - 1 ? 0x02 : 0);

        frag_at = cn_header(b, ptype, flags, 2, be);
        put32(b, (guint32)(len - from), be);  /* alloc_hint */
        put16(b, 0, be);                      /* p_cont_id */
        if (ptype == 0) {
            put16(b, opnum, be);
        } else {
            put8(b, 0);                       /* cancel_count */
            put8(b, 0);
        }
        put(b, stub + from, to - from);
        patch16(b, frag_at, (guint16)(b->len - start), be);
    }
}

static guint16
ip_checksum(const guint8 *p, size_t n)
{
    guint32 sum = 0;
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        sum += (guint32)(p[i] << 8 | p[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (guint16)~sum;
}

/* Ethernet + IPv4 + TCP around `payload`; each call a new conversation. */
static void
frame(buf_t *f, const buf_t *payload)
{
    static const guint8 eth[14] = { 0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x64, 0x08, 0x00 };
    guint32 conv = conversation_counter++;
    guint32 client = 0x0a000000u | (0x010000u + (conv / 60000u) % 0xfe0000u);
    guint16 sport = (guint16)(1024 + conv % 60000u);
    size_t ip_at;
    guint16 total = (guint16)(20 + 20 + payload->len);

    put(f, eth, sizeof eth);
    ip_at = f->len;
    put8(f, 0x45); put8(f, 0);
    put16(f, total, TRUE);
    put16(f, (guint16)conv, TRUE);
    put16(f, 0x4000, TRUE);                 /* DF */
    put8(f, 128); put8(f, 6);
    put16(f, 0, TRUE);                      /* checksum, below */
    put32(f, client, TRUE);                 /* 10.x.y.z, one per conversation */
    put32(f, 0x0a000001u, TRUE);            /* 10.0.0.1 */
    patch16(f, ip_at + 10, ip_checksum(f->data + ip_at, 20), TRUE);
    put16(f, sport, TRUE);
    put16(f, 49670, TRUE);                  /* dynamic RPC port: dcerpc heuristic */
    put32(f, 1, TRUE);                      /* seq */
    put32(f, 1, TRUE);                      /* ack */
    put8(f, 0x50); put8(f, 0x18);           /* data offset 5, PSH|ACK */
    put16(f, 64240, TRUE);
    put16(f, 0, TRUE);                      /* checksum (not verified by default) */
    put16(f, 0, TRUE);
    put(f, payload->data, payload->len);
}

/* ------------------------------------------------------------------------ */
/* epan setup                                                                 */

static const nstime_t *
get_frame_ts(struct packet_provider_data *prov _U_, guint32 frame_num _U_)
{
    static nstime_t ts = { 1793606400, 0 };   /* 2026-11-02 08:00:00 UTC */
    return &ts;
}

static void
new_session(void)
{
    static const struct packet_provider_funcs funcs = { .get_frame_ts = get_frame_ts };

    if (edt)
        epan_dissect_free(edt);
    if (session)
        epan_free(session);
    session = epan_new(NULL, &funcs);
    edt = epan_dissect_new(session, TRUE, TRUE);
    inputs_in_session = 0;
}

static void
set_pref(const char *pref)
{
    char *writable = g_strdup(pref);   /* prefs_set_pref() writes into its argument */
    char *errmsg = NULL;

    if (prefs_set_pref(writable, &errmsg) != PREFS_SET_OK) {
        fprintf(stderr, "fuzz: cannot set preference %s: %s\n", pref, errmsg ? errmsg : "?");
        exit(1);
    }
    g_free(errmsg);
    g_free(writable);
}

/* ------------------------------------------------------------------------ */
/* The statistics under the fuzzer                                            */

/* Every tap record also goes to
 *  - the two stat_tap_table_ui outputs of the plugin (scopes, relationships),
 *    registered as tshark does for -z, drawn every FUZZ_DRAW_EVERY inputs
 *    (their draw hook renders the rows from their model);
 *  - a failover model of our own (plugin/stats/failover-model.c), fed the
 *    record and a mirrored "partner" copy of it (another server, 1 ms later,
 *    this/partner swapped), so that pairing, persistence, trends, shares,
 *    the frozen partner and the MIB cross-check run on fuzzed values, and
 *    queried after every record.
 * The stats tree cannot be instantiated without stats_tree_priv.h; it renders
 * the same model through the public stats_tree API only. */
#define FUZZ_DRAW_EVERY 4096

static fm_model *fuzz_model;
static guint draws_due;
static const guint8 fuzz_partner_ip[4] = { 10, 9, 9, 9 };

/* Every query of the model on the (server, scope) a record updated. */
static void
query_entry(const fm_entry *e)
{
    guint u1, u2, u3;
    gint64 d1, d2;
    char buf[64];
    fm_pair_counts pc;
    fm_trend t;
    fm_share sh;

    if (!e)
        return;
    if (e->scope && fm_entry_partner(e))
        fm_scope_pair_counts(e->scope, &pc);
    fm_entry_trend(e, 0, &t);
    fm_format_duration(buf, sizeof buf, &t);
    fm_entry_trend(e, 1, &t);
    fm_format_duration(buf, sizeof buf, &t);
    fm_entry_share(e, 5.0, &sh);
    fm_entry_partner_frozen(e, &u1);
    fm_entry_mib_counts(e, &u1, &u2, &u3, &d1, &d2);
}

static tap_packet_status
model_tapped(void *tapdata _U_, packet_info *pinfo, epan_dissect_t *edt_ _U_, const void *data,
             tap_flags_t flags _U_)
{
    const dhcpsrv2_tap_record *rec = (const dhcpsrv2_tap_record *)data;
    dhcpsrv2_tap_record mirror;
    nstime_t ts = pinfo->abs_ts;
    fm_events ev;

    if (!rec)
        return TAP_PACKET_DONT_REDRAW;
    fm_model_feed(fuzz_model, rec, &ts, &ev);
    query_entry(ev.entry);
    mirror = *rec;
    set_address(&mirror.server, AT_IPv4, 4, fuzz_partner_ip);
    mirror.counters.this_addr_free = rec->counters.partner_addr_free;
    mirror.counters.partner_addr_free = rec->counters.this_addr_free ^ (rec->rsp_frame & 1);
    mirror.counters.this_addr_in_use = rec->counters.partner_addr_in_use;
    mirror.counters.partner_addr_in_use = rec->counters.this_addr_in_use;
    ts.nsecs += 1000000;
    fm_model_feed(fuzz_model, &mirror, &ts, &ev);
    query_entry(ev.entry);
    return TAP_PACKET_DONT_REDRAW;
}

static void
register_statistics(void)
{
    static const char *const tables[] = { "dhcpsrv2_failover,scopes",
                                          "dhcpsrv2_failover,relationships" };
    static int table_tapdata[2];
    guint i;

    /* the plugin's tap_register_plugin() callbacks (tshark does this too) */
    static tap_reg_t no_builtin_taps[] = { { NULL, NULL } };

    register_all_tap_listeners(no_builtin_taps);
    fuzz_model = fm_model_new();
    for (i = 0; i < G_N_ELEMENTS(tables); i++) {
        stat_tap_table_ui *ui = stat_tap_by_name(tables[i]);
        GString *err;

        if (!ui) {
            fprintf(stderr, "fuzz: no statistic %s\n", tables[i]);
            exit(1);
        }
        ui->stat_tap_init_cb(ui);
        err = register_tap_listener(ui->tap_name, &table_tapdata[i], NULL, 0, NULL,
                                    ui->packet_func, NULL, NULL);
        if (err) {
            fprintf(stderr, "fuzz: %s: %s\n", tables[i], err->str);
            exit(1);
        }
    }
    if (register_tap_listener("dhcpsrv2", &fuzz_model, NULL, TL_REQUIRES_NOTHING, NULL,
                              model_tapped, NULL, NULL)) {
        fprintf(stderr, "fuzz: cannot listen to the dhcpsrv2 tap\n");
        exit(1);
    }
}

/* Draws (renders the tables) now and then; a new session starts a new
 * "capture" for the model too. */
static void
statistics_after_input(gboolean session_ends)
{
    if (++draws_due >= FUZZ_DRAW_EVERY || session_ends) {
        draws_due = 0;
        draw_tap_listeners(TRUE);
    }
    if (session_ends) {
        fm_model_clear(fuzz_model);
        reset_tap_listeners();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc _U_, char ***argv)
{
    char *err;
    GString *err_str;

    g_setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", FALSE);  /* ASan sees every block */
    compat_ws_log_init("fuzz_dhcpsrv2");
    ws_log_set_level(LOG_LEVEL_CRITICAL);
    init_process_policies();
    err = compat_configuration_init((*argv)[0]);
    if (err) {
        fprintf(stderr, "fuzz: configuration_init: %s\n", err);
        g_free(err);
    }
    /* Keep preferences and profiles of the machine out of the run. */
    g_setenv("WIRESHARK_CONFIG_DIR", "/nonexistent-dhcpsrv2-fuzz", TRUE);
    wtap_init(FALSE);
    plugin_register();
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz: epan_init failed\n");
        exit(1);
    }
    epan_load_settings();
    disable_name_resolution();
    /* One frame per input: no TCP reassembly across inputs, no sequence
     * analysis; DCE/RPC fragment reassembly stays on (bits 5 and 6). */
    set_pref("tcp.desegment_tcp_streams:FALSE");
    set_pref("tcp.analyze_sequence_numbers:FALSE");
    set_pref("tcp.calculate_timestamps:FALSE");
    set_pref("ip.defragment:FALSE");
    prefs_apply_all();

    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);
    col_setup(&cinfo, prefs.num_cols);
    build_column_format_array(&cinfo, prefs.num_cols, TRUE);
    err_str = register_tap_listener("expert", NULL, NULL, TL_REQUIRES_NOTHING, NULL, expert_tapped,
                                    NULL, NULL);
    if (err_str) {
        fprintf(stderr, "fuzz: cannot listen to the expert tap: %s\n", err_str->str);
        exit(1);
    }
    register_statistics();
    dump_tree = g_getenv("FUZZ_DHCPSRV2_DUMP") != NULL;
    if (g_getenv("FUZZ_DHCPSRV2_RESET_EVERY"))
        reset_every = MAX(1, (guint32)atoi(g_getenv("FUZZ_DHCPSRV2_RESET_EVERY")));
    new_session();
    return 0;
}


static void
dump_node(proto_node *node, gpointer data)
{
    int depth = GPOINTER_TO_INT(data);
    field_info *fi = PNODE_FINFO(node);
    gchar label[ITEM_LABEL_LENGTH];

    if (fi && fi->hfinfo) {
        if (fi->rep)
            g_strlcpy(label, fi->rep->representation, sizeof label);
        else
            compat_proto_item_fill_label(fi, label);
        printf("%*s%s  [%s]\n", depth * 2, "", label, fi->hfinfo->abbrev);
    }
    proto_tree_children_foreach(node, dump_node, GINT_TO_POINTER(depth + 1));
}

/* The oracle beyond crashes: the plugin's promise (plugin/ndr/ndr.h) is that a
 * stub it cannot decode carries an NDR expert error *in the tree* (where
 * the user and the display filter see it), and that no exception escapes
 * the sub-dissector.  Every expert item also goes to the "expert" tap, even
 * one added to a NULL tree, which is then invisible: so the fatal NDR items
 * the tap saw must all be in the tree.  A frame that breaks either rule
 * aborts the run. */
static guint tapped_ndr_errors;

static gboolean
is_fatal_ndr_abbrev(const char *abbrev)
{
    if (!abbrev || !g_str_has_prefix(abbrev, "dhcpsrv2.ndr."))
        return FALSE;
    abbrev += strlen("dhcpsrv2.ndr.");
    return g_str_equal(abbrev, "truncated") || g_str_equal(abbrev, "count_too_large") ||
           g_str_equal(abbrev, "pointer_limit") || g_str_equal(abbrev, "null_ref_pointer") ||
           g_str_equal(abbrev, "bad_discriminant");
}

static tap_packet_status
expert_tapped(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt_ _U_,
              const void *data, tap_flags_t flags _U_)
{
    const expert_info_t *ei = (const expert_info_t *)data;

    if (ei->hf_index > 0 && is_fatal_ndr_abbrev(proto_registrar_get_abbrev(ei->hf_index)))
        tapped_ndr_errors++;
    return TAP_PACKET_DONT_REDRAW;
}

typedef struct {
    guint ndr_errors;           /* fatal dhcpsrv2.ndr.* expert items in the tree */
    guint escaped;              /* [Malformed Packet: DHCPSRV...] from an exception */
} tree_facts;

static void
scan_node(proto_node *node, gpointer data)
{
    tree_facts *facts = (tree_facts *)data;
    field_info *fi = PNODE_FINFO(node);

    if (fi && fi->hfinfo) {
        if (is_fatal_ndr_abbrev(fi->hfinfo->abbrev))
            facts->ndr_errors++;
        /* the label show_exception() gives; wire data cannot make this item */
        if (g_str_equal(fi->hfinfo->abbrev, "_ws.malformed") && fi->rep &&
            strstr(fi->rep->representation, "Malformed Packet: DHCPSRV"))
            facts->escaped++;
    }
    proto_tree_children_foreach(node, scan_node, data);
}

static void
check_frame(const char *pass)
{
    tree_facts facts = { 0, 0 };

    proto_tree_children_foreach(edt->tree, scan_node, &facts);
    if (facts.escaped) {
        fprintf(stderr, "fuzz: %s pass: an exception escaped the dhcpsrv2 dissector\n", pass);
        abort();
    }
    if (facts.ndr_errors < tapped_ndr_errors) {
        fprintf(stderr, "fuzz: %s pass: %u fatal NDR expert item(s) reported, %u in the tree "
                "(added to a NULL tree?)\n", pass, tapped_ndr_errors, facts.ndr_errors);
        abort();
    }
}

static void
dissect_frame(const guint8 *data, size_t len, gboolean second_pass)
{
    wtap_rec rec;
    frame_data fd;
    static nstime_t elapsed;
    const frame_data *ref = NULL;

    compat_wtap_rec_init(&rec, len);
    rec.rec_type = REC_TYPE_PACKET;
    rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    rec.ts.secs = 1793606400 + (frame_counter % 86400);
    rec.ts.nsecs = 0;
    rec.rec_header.packet_header.caplen = (guint32)len;
    rec.rec_header.packet_header.len = (guint32)len;
    rec.rec_header.packet_header.pkt_encap = WTAP_ENCAP_ETHERNET;
    rec.tsprec = WTAP_TSPREC_USEC;

    frame_data_init(&fd, ++frame_counter, &rec, 0, 0);
    frame_data_set_before_dissect(&fd, &elapsed, &ref, NULL);
    tapped_ndr_errors = 0;
    compat_epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, data, len, &fd, &cinfo);
    epan_dissect_fill_in_columns(edt, FALSE, TRUE);
    check_frame("first");
    if (dump_tree) {
        proto_tree_children_foreach(edt->tree, dump_node, GINT_TO_POINTER(0));
        for (int i = 0; i < cinfo.num_cols; i++)
            printf("column %d: %s\n", i, cinfo.columns[i].col_data ? cinfo.columns[i].col_data : "");
        printf("----\n");
    }
    epan_dissect_reset(edt);
    if (second_pass) {
        /* What Wireshark does when it redraws a packet (and tshark -2). */
        fd.visited = 1;
        tapped_ndr_errors = 0;
        compat_epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, data, len, &fd,
                                          &cinfo);
        epan_dissect_fill_in_columns(edt, FALSE, TRUE);
        check_frame("second");
        epan_dissect_reset(edt);
    }
    frame_data_destroy(&fd);
    wtap_rec_cleanup(&rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    guint8 hdr[5] = { 0, 0, 0, 0, 0 };
    const guint8 *stub = input + MIN(size, sizeof hdr);
    size_t stub_len = size - MIN(size, sizeof hdr);
    gboolean ndr64, be, v1_iface, frag_req, frag_rsp, second_pass;
    guint mode;
    guint16 opnum;
    size_t req_len;
    buf_t payload = { NULL, 0, 0 }, f = { NULL, 0, 0 };

    /* The frame must fit an IPv4 total length and two 16-bit frag_len. */
    if (stub_len > 30000)
        return -1;
    memcpy(hdr, input, MIN(size, sizeof hdr));
    ndr64 = hdr[0] & 0x01;
    be = (hdr[0] & 0x02) != 0;
    mode = (hdr[0] >> 2) & 0x03;
    v1_iface = (hdr[0] & 0x10) != 0;
    frag_req = (hdr[0] & 0x20) != 0;
    frag_rsp = (hdr[0] & 0x40) != 0;
    second_pass = (hdr[0] & 0x80) != 0;
    if (hdr[1] < G_N_ELEMENTS(decoded_opnums))
        opnum = decoded_opnums[hdr[1]];
    else if (hdr[1] < 0xF0)
        opnum = (guint16)((hdr[1] - G_N_ELEMENTS(decoded_opnums)) % (v1_iface ? 51 : 133));
    else
        opnum = hdr[2];

    bind_pdu(&payload, be, ndr64, v1_iface);
    switch (mode) {
    case 0:     /* request only */
        call_pdus(&payload, 0, be, opnum, stub, stub_len, frag_req);
        break;
    case 1:     /* response to an empty request */
        call_pdus(&payload, 0, be, opnum, stub, 0, FALSE);
        call_pdus(&payload, 2, be, opnum, stub, stub_len, frag_rsp);
        break;
    default:    /* request, then response */
        req_len = MIN((size_t)(hdr[3] | hdr[4] << 8), stub_len);
        call_pdus(&payload, 0, be, opnum, stub, req_len, frag_req);
        call_pdus(&payload, 2, be, opnum, stub + req_len, stub_len - req_len, frag_rsp);
        break;
    }
    frame(&f, &payload);
    dissect_frame(f.data, f.len, second_pass);
    g_free(payload.data);
    g_free(f.data);

    if (++inputs_in_session >= reset_every) {
        statistics_after_input(TRUE);
        new_session();
    } else {
        statistics_after_input(FALSE);
    }
    return 0;
}
