/* dhcpsrv-sealed.c -- sealed (packet privacy) dhcpsrv / dhcpsrv2 calls.
 *
 * Two things Wireshark's DCE/RPC layer does not tell a sub-dissector:
 *
 *  - a stub it could not decrypt.  Then it never calls the interface's
 *    sub-dissector at all (it names the call from the clear header and shows
 *    "Encrypted stub data"), and for a fragmented call it does not even add
 *    the interface's protocol item.  Without help the user would see empty
 *    statistics and no reason.
 *  - a stub it decrypted wrongly.  Wireshark 4.0 keeps one decrypted payload
 *    per frame: when a TCP segment holds several sealed PDUs, the second and
 *    later ones get the first one's plaintext, and for NTLMSSP (an RC4 stream
 *    per direction) the stream then stays out of step for every later PDU of
 *    that direction.  The plugin would decode garbage and count it.
 *
 * Both are decided by a postdissector, which runs after every dissector of
 * the frame and can read what DCE/RPC put into the tree: each PDU is a
 * top-level "dcerpc" item whose bytes are the PDU (header, auth trailer), an
 * "Encrypted stub data" item follows it (or sits under our interface's item)
 * when the stub stayed sealed.  The interface of a fragment is found from the
 * bind's presentation context, tracked here per connection.  Verdicts are
 * made on the first pass, in frame order, and kept per frame, so every later
 * pass (GUI, tshark -2) shows and counts the same.
 *
 * The DCE/RPC tap is no alternative: its listeners run after dissection, so
 * they can neither add an expert info to the packet nor queue on our tap.
 *
 * Effects, per call (on the frame of its last fragment):
 *  - sealed: expert note dhcpsrv2.expert.sealed_stub (dhcpsrv.expert.sealed_stub),
 *    and for a response a tap record with undecoded = DHCPSRV2_UNDECODED_SEALED;
 *  - untrusted: expert warning dhcpsrv2.expert.untrusted_stub on the decoded
 *    values, and the response's tap record (queued by dhcpsrv2_end_response())
 *    is emptied to undecoded = DHCPSRV2_UNDECODED_UNTRUSTED before any
 *    listener sees it (tap listeners run after the postdissector).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <epan/prefs.h>

#include "dhcpsrv2.h"
#include "ws-compat.h"
#include "stats/failover-experts.h"

/* DCE/RPC connection-oriented header (C706 12.6, MS-RPCE 2.2.2.13) */
#define CO_HDR_LEN          16
#define CO_REQ_HDR_LEN      24
#define PTYPE_REQUEST       0
#define PTYPE_RESPONSE      2
#define PTYPE_BIND          11
#define PTYPE_ALTER_CONTEXT 14
#define PFC_FIRST_FRAG      0x01
#define PFC_LAST_FRAG       0x02
#define AUTH_LEVEL_PRIVACY  6
#define AUTH_TYPE_KERBEROS  16
#define SEC_TRAILER_LEN     8

/* proto data keys, under proto_dhcpsrv (dhcpsrv2's own file-scope keys are DCE/RPC
 * call ids, see dhcpsrv2-failover.c, so no fixed key under proto_dhcpsrv2 is safe:
 * a capture with call id 1 made the second pass read a clock check as verdicts) */
#define KEY_VERDICTS 1      /* file scope: this frame's verdicts */
#define KEY_RECORDS  2      /* packet scope: tracked_record list of dhcpsrv2_end_response() */

/* A decoded response of this frame, until the frame's verdicts are known. */
typedef struct tracked_record {
    dhcpsrv2_tap_record *rec;
    proto_tree *tree;           /* the response's tree and stub, for its model experts */
    tvbuff_t *tvb;
} tracked_record;

/* What the frame-by-frame scan keeps (file scope, freed with the file). */
static wmem_map_t *iface_by_ctx;     /* conn x ctx_id -> interface + 1 */
static wmem_map_t *poisoned_dir;     /* direction of an NTLMSSP-ish context out of step */
static wmem_map_t *bad_calls;        /* conn x call_id -> BAD_REQUEST | BAD_RESPONSE */
static wmem_map_t *request_seen;     /* conn x call_id -> first request fragment */

#define BAD_REQUEST  1u
#define BAD_RESPONSE 2u

typedef enum { VERDICT_SEALED = 1, VERDICT_UNTRUSTED } verdict_kind;

typedef struct verdict {
    guint8   kind;          /* verdict_kind */
    guint8   iface;         /* dhcpsrv2_interface */
    guint8   ptype;
    guint16  opnum;
    guint    pdu_index;     /* which DCE/RPC PDU of the frame */
    guint32  req_frame;
    nstime_t req_time;
    struct verdict *next;
} verdict;

typedef struct request_info {
    guint32  frame;
    nstime_t time;
    guint16  opnum;
} request_info;

static int proto_dcerpc = -1;
static int hf_encrypted_stub = -1;
static int hf_decrypted_stub = -1;
static int proto_dhcpsrv2_id = -1;
static int proto_dhcpsrv_id = -1;

/* dhcpsrv2.detect_sealed: on by default; off, no postdissector field is
 * wanted (no tree is forced on tree-less runs) and nothing is detected.
 * The same when dhcpsrv2 is disabled: the postdissector is its handle and
 * is then not called, so wanting fields would only make every dissector
 * build a tree for nothing. */
static compat_pref_bool pref_detect_sealed = TRUE;
static dissector_handle_t post_handle;
static gboolean wanting;           /* the wanted fields are set */

static expert_field ei_sealed[2] = { EI_INIT, EI_INIT };
static expert_field ei_untrusted[2] = { EI_INIT, EI_INIT };

static const guint8 uuid_dhcpsrv2_le[16] = {
    0x20, 0x17, 0x82, 0x5b, 0x3b, 0xf6, 0xd0, 0x11,
    0xaa, 0xd2, 0x00, 0xc0, 0x4f, 0xc3, 0x24, 0xdb };
static const guint8 uuid_dhcpsrv_le[16] = {
    0x98, 0xd0, 0xff, 0x6b, 0x12, 0xa1, 0x10, 0x36,
    0x98, 0x33, 0x46, 0xc3, 0xf8, 0x74, 0x53, 0x2d };

/* ------------------------------------------------------------------------ */
/* Keys: 64-bit FNV-1a over the endpoints, so nothing is copied per PDU      */

static guint64
fnv_bytes(guint64 h, const guint8 *p, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= G_GUINT64_CONSTANT(0x100000001b3);
    }
    return h;
}

static guint64
fnv_endpoint(guint64 h, const address *addr, guint32 port)
{
    guint8 p[4] = { (guint8)(port >> 24), (guint8)(port >> 16), (guint8)(port >> 8), (guint8)port };

    h = fnv_bytes(h, (const guint8 *)addr->data, addr->len);
    return fnv_bytes(h, p, 4);
}

/* One direction of the transport connection. */
static guint64
direction_key(const packet_info *pinfo)
{
    guint64 h = G_GUINT64_CONSTANT(0xcbf29ce484222325);

    h = fnv_endpoint(h, &pinfo->src, pinfo->srcport);
    return fnv_endpoint(h, &pinfo->dst, pinfo->destport);
}

/* The connection, whichever way the packet goes. */
static guint64
connection_key(const packet_info *pinfo)
{
    guint64 h = G_GUINT64_CONSTANT(0xcbf29ce484222325);
    int order = cmp_address(&pinfo->src, &pinfo->dst);

    if (order < 0 || (order == 0 && pinfo->srcport <= pinfo->destport)) {
        h = fnv_endpoint(h, &pinfo->src, pinfo->srcport);
        return fnv_endpoint(h, &pinfo->dst, pinfo->destport);
    }
    h = fnv_endpoint(h, &pinfo->dst, pinfo->destport);
    return fnv_endpoint(h, &pinfo->src, pinfo->srcport);
}

static guint64
sub_key(guint64 conn, guint32 tag, guint32 value)
{
    guint8 p[8] = { (guint8)(tag >> 24), (guint8)(tag >> 16), (guint8)(tag >> 8), (guint8)tag,
                    (guint8)(value >> 24), (guint8)(value >> 16), (guint8)(value >> 8),
                    (guint8)value };

    return fnv_bytes(conn, p, 8);
}

static guint64 *
file_key(guint64 k)
{
    guint64 *p = wmem_new(wmem_file_scope(), guint64);

    *p = k;
    return p;
}

/* ------------------------------------------------------------------------ */
/* One DCE/RPC PDU as the scan sees it                                        */

typedef struct pdu_view {
    tvbuff_t   *tvb;            /* the bytes of the PDU's "dcerpc" item */
    int         offset;
    guint       length;
    proto_item *dcerpc_item;
    proto_item *iface_item;     /* our protocol's item, when DCE/RPC added one */
    int         iface;          /* from iface_item, -1 if none */
    gboolean    iface_encrypted;    /* "Encrypted stub data" under our item */
    gboolean    top_encrypted;      /* ... after the PDU, at the top (a fragment) */
    gboolean    top_decrypted;      /* "Decrypted stub data" after the PDU */
    gboolean    encrypted;          /* so: Wireshark did not decrypt the stub */
} pdu_view;

typedef struct pdu_header {
    guint8  ptype;
    guint8  flags;
    gboolean le;
    guint16 frag_len;
    guint16 auth_len;
    guint32 call_id;
    guint16 ctx_id;
    guint16 opnum;              /* requests only */
    guint8  auth_type;
    guint8  auth_level;
} pdu_header;

static guint16
get16(tvbuff_t *tvb, int offset, gboolean le)
{
    return le ? tvb_get_letohs(tvb, offset) : tvb_get_ntohs(tvb, offset);
}

static guint32
get32(tvbuff_t *tvb, int offset, gboolean le)
{
    return le ? tvb_get_letohl(tvb, offset) : tvb_get_ntohl(tvb, offset);
}

/* Reads the header and auth trailer from the PDU's bytes; FALSE when they
 * are not all there (a truncated capture, a PDU DCE/RPC itself rejected). */
static gboolean
read_header(const pdu_view *v, pdu_header *h)
{
    int o = v->offset;
    int remaining = v->tvb ? tvb_captured_length_remaining(v->tvb, o) : -1;
    guint avail, trailer;

    /* nothing here may throw: the bytes are checked before every read */
    if (remaining < CO_HDR_LEN || v->length < CO_HDR_LEN || tvb_get_uint8(v->tvb, o) != 5)
        return FALSE;
    avail = (guint)remaining;
    h->ptype = tvb_get_uint8(v->tvb, o + 2);
    h->flags = tvb_get_uint8(v->tvb, o + 3);
    h->le = (tvb_get_uint8(v->tvb, o + 4) & 0x10) != 0;
    h->frag_len = get16(v->tvb, o + 8, h->le);
    h->auth_len = get16(v->tvb, o + 10, h->le);
    h->call_id = get32(v->tvb, o + 12, h->le);
    h->ctx_id = 0;
    h->opnum = 0;
    h->auth_type = h->auth_level = 0;
    if (h->frag_len > avail || h->frag_len > v->length)
        return FALSE;
    if ((h->ptype == PTYPE_REQUEST || h->ptype == PTYPE_RESPONSE) && h->frag_len >= CO_REQ_HDR_LEN) {
        h->ctx_id = get16(v->tvb, o + 20, h->le);
        if (h->ptype == PTYPE_REQUEST)
            h->opnum = get16(v->tvb, o + 22, h->le);
    }
    if (h->auth_len) {
        trailer = (guint)h->auth_len + SEC_TRAILER_LEN;
        if (trailer + CO_HDR_LEN > h->frag_len)
            return FALSE;
        h->auth_type = tvb_get_uint8(v->tvb, o + h->frag_len - (int)trailer);
        h->auth_level = tvb_get_uint8(v->tvb, o + h->frag_len - (int)trailer + 1);
    }
    return TRUE;
}

/* bind / alter_context: remembers which presentation context is ours. */
static void
note_bind(const pdu_view *v, const pdu_header *h, guint64 conn)
{
    int o = v->offset + 24, end = v->offset + h->frag_len;
    guint n, i, ntransfer;

    if (o + 4 > end)
        return;
    n = tvb_get_uint8(v->tvb, o);
    o += 4;
    for (i = 0; i < n && o + 24 <= end; i++) {
        guint16 ctx_id = get16(v->tvb, o, h->le);
        int iface = -1;

        ntransfer = tvb_get_uint8(v->tvb, o + 2);
        /* abstract syntax: the uuid is little-endian with drep LE (the usual case) */
        if (tvb_memeql(v->tvb, o + 4, uuid_dhcpsrv2_le, 16) == 0)
            iface = DHCPSRV2_IF_DHCPSRV2;
        else if (tvb_memeql(v->tvb, o + 4, uuid_dhcpsrv_le, 16) == 0)
            iface = DHCPSRV2_IF_DHCPSRV;
        if (iface >= 0)
            wmem_map_insert(iface_by_ctx, file_key(sub_key(conn, 0x63747800, ctx_id)),
                            GINT_TO_POINTER(iface + 1));
        else
            wmem_map_remove(iface_by_ctx, &(guint64){ sub_key(conn, 0x63747800, ctx_id) });
        o += 24 + 20 * (int)ntransfer;
    }
}

static int
iface_of(const pdu_view *v, const pdu_header *h, guint64 conn)
{
    guint64 k = sub_key(conn, 0x63747800, h->ctx_id);
    gpointer found = wmem_map_lookup(iface_by_ctx, &k);

    if (found)
        return GPOINTER_TO_INT(found) - 1;
    return v->iface;
}

/* ------------------------------------------------------------------------ */
/* The first-pass scan of a frame                                             */

#define MAX_PDUS_PER_FRAME 256      /* a bound on the tree walk, far above real frames */

static guint
collect_pdus(proto_tree *tree, pdu_view *views, guint max)
{
    proto_node *node;
    guint n = 0;

    for (node = tree->first_child; node; node = node->next) {
        field_info *fi = PNODE_FINFO(node);
        int id;

        if (!fi || !fi->hfinfo)
            continue;
        id = fi->hfinfo->id;
        if (id == proto_dcerpc) {
            if (n == max)
                break;
            views[n].tvb = fi->ds_tvb;
            views[n].offset = fi->start;
            views[n].length = (guint)fi->length;
            views[n].dcerpc_item = (proto_item *)node;
            views[n].iface_item = NULL;
            views[n].iface = -1;
            views[n].iface_encrypted = FALSE;
            views[n].top_encrypted = FALSE;
            views[n].top_decrypted = FALSE;
            n++;
        } else if (n && (id == proto_dhcpsrv2_id || id == proto_dhcpsrv_id)) {
            proto_node *child;

            views[n - 1].iface_item = (proto_item *)node;
            views[n - 1].iface = id == proto_dhcpsrv2_id ? DHCPSRV2_IF_DHCPSRV2 : DHCPSRV2_IF_DHCPSRV;
            for (child = node->first_child; child; child = child->next)
                if (PNODE_FINFO(child) && PNODE_FINFO(child)->hfinfo->id == hf_encrypted_stub)
                    views[n - 1].iface_encrypted = TRUE;
        } else if (n && id == hf_encrypted_stub) {
            views[n - 1].top_encrypted = TRUE;
        } else if (n && id == hf_decrypted_stub) {
            views[n - 1].top_decrypted = TRUE;
        }
    }
    /* Undecrypted, as DCE/RPC shows it: a whole stub handed to us with
     * "Encrypted stub data" in it; a fragment with the encrypted bytes at the
     * top level and no "Decrypted stub data".  A decrypted fragment keeps its
     * "Encrypted stub data" inside the dcerpc item, not looked at here. */
    for (guint i = 0; i < n; i++)
        views[i].encrypted = views[i].iface_encrypted ||
                             (views[i].top_encrypted && !views[i].top_decrypted);
    return n;
}

static verdict *
new_verdict(verdict_kind kind, int iface, const pdu_header *h, guint index, guint64 conn)
{
    verdict *v = wmem_new0(wmem_file_scope(), verdict);
    guint64 k = sub_key(conn, 0x63616c6c, h->call_id);
    const request_info *req = (const request_info *)wmem_map_lookup(request_seen, &k);

    v->kind = (guint8)kind;
    v->iface = (guint8)iface;
    v->ptype = h->ptype;
    v->opnum = h->opnum;
    v->pdu_index = index;
    if (h->ptype == PTYPE_RESPONSE && req) {
        v->req_frame = req->frame;
        v->req_time = req->time;
        v->opnum = req->opnum;      /* a response header has no opnum */
    }
    return v;
}

/* Remembers a request's first fragment (frame, time, opnum) for the sealed
 * response's record: DCE/RPC's own call data is not reachable from here. */
static void
note_request(packet_info *pinfo, const pdu_header *h, guint64 conn)
{
    guint64 k = sub_key(conn, 0x63616c6c, h->call_id);
    request_info *req;

    if (!(h->flags & PFC_FIRST_FRAG))
        return;
    req = wmem_new(wmem_file_scope(), request_info);
    req->frame = pinfo->num;
    req->time = pinfo->abs_ts;
    req->opnum = h->opnum;
    wmem_map_insert(request_seen, file_key(k), req);
}

static verdict *
scan_frame(packet_info *pinfo, proto_tree *tree)
{
    pdu_view views[MAX_PDUS_PER_FRAME];
    guint n = collect_pdus(tree, views, MAX_PDUS_PER_FRAME), i;
    gboolean sealed_before = FALSE;
    guint64 conn = connection_key(pinfo), dir = direction_key(pinfo);
    verdict *head = NULL, **tail = &head;

    for (i = 0; i < n; i++) {
        pdu_header h;
        int iface;
        guint bad_bit, bad;
        guint64 ck;
        gboolean position_bad, untrusted;

        if (!read_header(&views[i], &h))
            continue;
        if (h.ptype == PTYPE_BIND || h.ptype == PTYPE_ALTER_CONTEXT) {
            note_bind(&views[i], &h, conn);
            if (h.auth_len)         /* a new security context: in step again */
                wmem_map_remove(poisoned_dir, &dir);
            continue;
        }
        if ((h.ptype != PTYPE_REQUEST && h.ptype != PTYPE_RESPONSE) ||
            h.auth_level != AUTH_LEVEL_PRIVACY)
            continue;
        /* Wireshark 4.0 caches one decrypted payload per frame */
        position_bad = sealed_before && !views[i].encrypted;
        sealed_before = TRUE;
        bad_bit = h.ptype == PTYPE_REQUEST ? BAD_REQUEST : BAD_RESPONSE;
        ck = sub_key(conn, 0x62616400, h.call_id);
        if (position_bad) {
            if (h.auth_type != AUTH_TYPE_KERBEROS)  /* RC4 stream now out of step */
                wmem_map_insert(poisoned_dir, file_key(dir), GUINT_TO_POINTER(1));
            bad = GPOINTER_TO_UINT(wmem_map_lookup(bad_calls, &ck));
            wmem_map_insert(bad_calls, file_key(ck), GUINT_TO_POINTER(bad | bad_bit));
        }
        if (!views[i].encrypted && wmem_map_lookup(poisoned_dir, &dir)) {
            bad = GPOINTER_TO_UINT(wmem_map_lookup(bad_calls, &ck));
            wmem_map_insert(bad_calls, file_key(ck), GUINT_TO_POINTER(bad | bad_bit));
        }
        iface = iface_of(&views[i], &h, conn);
        if (iface < 0)
            continue;
        if (h.ptype == PTYPE_REQUEST)
            note_request(pinfo, &h, conn);
        if (!(h.flags & PFC_LAST_FRAG))
            continue;
        bad = GPOINTER_TO_UINT(wmem_map_lookup(bad_calls, &ck));
        untrusted = h.ptype == PTYPE_REQUEST ? (bad & BAD_REQUEST) != 0 : bad != 0;
        if (views[i].encrypted || untrusted) {
            *tail = new_verdict(views[i].encrypted ? VERDICT_SEALED : VERDICT_UNTRUSTED,
                                iface, &h, i, conn);
            tail = &(*tail)->next;
        }
    }
    return head;
}

/* ------------------------------------------------------------------------ */
/* Every pass: the experts, the records                                       */

gboolean
dhcpsrv_sealed_track_record(packet_info *pinfo, dhcpsrv2_tap_record *rec, proto_tree *tree,
                            tvbuff_t *tvb)
{
    wmem_list_t *list;
    tracked_record *t;

    if (!wanting || !tree)      /* no postdissector scan will look for it */
        return FALSE;
    list = (wmem_list_t *)p_get_proto_data(pinfo->pool, pinfo, proto_dhcpsrv_id, KEY_RECORDS);
    if (!list) {
        list = wmem_list_new(pinfo->pool);
        p_add_proto_data(pinfo->pool, pinfo, proto_dhcpsrv_id, KEY_RECORDS, list);
    }
    t = wmem_new(pinfo->pool, tracked_record);
    t->rec = rec;
    t->tree = tree;
    t->tvb = tvb;
    wmem_list_append(list, t);
    return TRUE;
}

/* Empties a queued record: the call stays named, no value survives. */
static void
untrust_record(dhcpsrv2_tap_record *rec)
{
    dhcpsrv2_tap_record keep = *rec;

    memset(rec, 0, sizeof *rec);
    rec->interface_id = keep.interface_id;
    rec->undecoded = DHCPSRV2_UNDECODED_UNTRUSTED;
    rec->opnum = keep.opnum;
    rec->ndr64 = keep.ndr64;
    rec->req_frame = keep.req_frame;
    rec->rsp_frame = keep.rsp_frame;
    rec->response_time = keep.response_time;
    rec->server = keep.server;
    rec->client = keep.client;
}

static void
untrust_matching_record(packet_info *pinfo, const verdict *v)
{
    wmem_list_t *list = (wmem_list_t *)p_get_proto_data(pinfo->pool, pinfo, proto_dhcpsrv_id,
                                                        KEY_RECORDS);
    wmem_list_frame_t *f;

    if (!list)
        return;
    for (f = wmem_list_head(list); f; f = wmem_list_frame_next(f)) {
        dhcpsrv2_tap_record *rec = ((tracked_record *)wmem_list_frame_data(f))->rec;

        if (rec->undecoded == DHCPSRV2_DECODED && rec->interface_id == v->iface &&
            rec->opnum == v->opnum) {
            untrust_record(rec);
            return;
        }
    }
}

static void
queue_sealed_record(packet_info *pinfo, const verdict *v)
{
    dhcpsrv2_tap_record *rec = wmem_new0(pinfo->pool, dhcpsrv2_tap_record);

    rec->interface_id = v->iface;
    rec->undecoded = DHCPSRV2_UNDECODED_SEALED;
    rec->opnum = v->opnum;
    rec->req_frame = v->req_frame;
    rec->rsp_frame = pinfo->num;
    if (v->req_frame)
        nstime_delta(&rec->response_time, &pinfo->abs_ts, &v->req_time);
    copy_address_shallow(&rec->server, &pinfo->src);
    copy_address_shallow(&rec->client, &pinfo->dst);
    dhcpsrv2_tap_queue(pinfo, rec);
}

static proto_item *
verdict_item(proto_tree *tree, const verdict *v)
{
    pdu_view views[MAX_PDUS_PER_FRAME];
    guint n = collect_pdus(tree, views, MAX_PDUS_PER_FRAME);

    if (v->pdu_index >= n)
        return NULL;
    return views[v->pdu_index].iface_item ? views[v->pdu_index].iface_item
                                          : views[v->pdu_index].dcerpc_item;
}

static void
apply_verdict(packet_info *pinfo, proto_tree *tree, const verdict *v)
{
    proto_item *item = verdict_item(tree, v);

    if (v->kind == VERDICT_SEALED) {
        expert_add_info(pinfo, item, &ei_sealed[v->iface]);
        col_append_str(pinfo->cinfo, COL_INFO, " [sealed stub]");
        if (v->ptype == PTYPE_RESPONSE)
            queue_sealed_record(pinfo, v);
    } else {
        expert_add_info(pinfo, item, &ei_untrusted[v->iface]);
        col_append_str(pinfo->cinfo, COL_INFO, " [untrusted stub]");
        if (v->ptype == PTYPE_RESPONSE)
            untrust_matching_record(pinfo, v);
    }
}

/* The model's experts of this frame's responses, now that their verdicts
 * are in: an untrusted stub neither feeds the model nor gets its experts. */
static void
show_model_experts(packet_info *pinfo)
{
    wmem_list_t *list = (wmem_list_t *)p_get_proto_data(pinfo->pool, pinfo, proto_dhcpsrv_id,
                                                        KEY_RECORDS);
    wmem_list_frame_t *f;

    for (f = list ? wmem_list_head(list) : NULL; f; f = wmem_list_frame_next(f)) {
        const tracked_record *t = (const tracked_record *)wmem_list_frame_data(f);

        dhcpsrv2_failover_experts(t->tree, pinfo, t->tvb, t->rec);
    }
}

static int
dissect_sealed_post(tvbuff_t *tvb _U_, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    verdict *v;

    if (!tree || !wanting)  /* nothing to read (no field wanted this pass), or off */
        return 0;
    if (!pinfo->fd->visited) {
        v = scan_frame(pinfo, tree);
        if (v)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_dhcpsrv_id, KEY_VERDICTS, v);
    } else {
        v = (verdict *)p_get_proto_data(wmem_file_scope(), pinfo, proto_dhcpsrv_id, KEY_VERDICTS);
    }
    for (; v; v = v->next)
        apply_verdict(pinfo, tree, v);
    show_model_experts(pinfo);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Registration                                                               */

#define SEALED_TEXT \
    "Sealed stub (packet privacy) that Wireshark did not decrypt: its values are unknown " \
    "and not counted. To decode it, capture from the bind and give the secret: the NTLM " \
    "password (Preferences > Protocols > NTLMSSP > NT Password, -o ntlmssp.nt_password:...) " \
    "or a keytab with the account's NT hash as arcfour-hmac key; for Kerberos, a keytab " \
    "of the server account (Preferences > Protocols > KRB5, -o kerberos.decrypt:TRUE " \
    "-o kerberos.file:...)"
#define UNTRUSTED_TEXT \
    "Decrypted stub that cannot be trusted: this sealed PDU shared a TCP segment with " \
    "another one (or follows such a segment in an NTLMSSP-sealed direction), and Wireshark " \
    "then decrypts it with the wrong data; the values shown are not counted"

/* The fields the postdissector wants, by the preference.  Wanting a field
 * makes epan build a tree on every pass, so the scan always has the PDUs to
 * read; on 4.6 the protocol items are wanted too because it fakes them in a
 * tree that is not visible (4.0 and 4.4 keep them), and the scan finds each
 * PDU by its "dcerpc" item and our stub by our protocol's item.  Not more
 * than that: epan keeps a GPtrArray per wanted field and frame. */
static void
set_wanted(void)
{
    gboolean want = pref_detect_sealed &&
        proto_is_protocol_enabled(find_protocol_by_id(proto_dhcpsrv2_id));
    GArray *wanted;

    if (!post_handle || wanting == want)
        return;
    wanting = want;
    if (!wanting) {
        set_postdissector_wanted_hfids(post_handle, NULL);
        return;
    }
    wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    g_array_append_val(wanted, hf_encrypted_stub);
    g_array_append_val(wanted, hf_decrypted_stub);
    if (COMPAT_WANT_PROTOCOL_ITEMS) {
        g_array_append_val(wanted, proto_dcerpc);
        g_array_append_val(wanted, proto_dhcpsrv2_id);
        g_array_append_val(wanted, proto_dhcpsrv_id);
    }
    set_postdissector_wanted_hfids(post_handle, wanted);
}

/* Each file (epan_new): the preferences and the enabled protocols are
 * applied by then, and tshark asks whether a postdissector wants fields
 * after opening the file. */
static void
sealed_init(void)
{
    set_wanted();
}

void
dhcpsrv_sealed_register(int proto_v2, int proto_v1)
{
    static ei_register_info ei_v2[] = {
        { &ei_sealed[DHCPSRV2_IF_DHCPSRV2],
          { "dhcpsrv2.expert.sealed_stub", PI_DECRYPTION, PI_NOTE, SEALED_TEXT, EXPFILL }},
        { &ei_untrusted[DHCPSRV2_IF_DHCPSRV2],
          { "dhcpsrv2.expert.untrusted_stub", PI_DECRYPTION, PI_WARN, UNTRUSTED_TEXT, EXPFILL }},
    };
    static ei_register_info ei_v1[] = {
        { &ei_sealed[DHCPSRV2_IF_DHCPSRV],
          { "dhcpsrv.expert.sealed_stub", PI_DECRYPTION, PI_NOTE, SEALED_TEXT, EXPFILL }},
        { &ei_untrusted[DHCPSRV2_IF_DHCPSRV],
          { "dhcpsrv.expert.untrusted_stub", PI_DECRYPTION, PI_WARN, UNTRUSTED_TEXT, EXPFILL }},
    };

    module_t *prefs = prefs_find_module("dhcpsrv2");

    proto_dhcpsrv2_id = proto_v2;
    proto_dhcpsrv_id = proto_v1;
    if (!prefs)
        prefs = prefs_register_protocol(proto_v2, NULL);
    prefs_register_bool_preference(prefs, "detect_sealed", "Detect sealed and untrusted stubs",
                                   "Note the sealed (packet privacy) calls Wireshark did not decrypt "
                                   "and keep the stubs it decrypted wrongly out of the statistics. "
                                   "Makes every pass build a protocol tree: off, statistics-only runs "
                                   "(tshark -q -z) are cheaper, but sealed calls go unnoticed and "
                                   "wrongly decrypted ones are counted (docs/sealed.md)",
                                   &pref_detect_sealed);
    register_init_routine(sealed_init);
    expert_register_field_array(expert_register_protocol(proto_v2), ei_v2, array_length(ei_v2));
    expert_register_field_array(expert_register_protocol(proto_v1), ei_v1, array_length(ei_v1));

    iface_by_ctx = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                          g_int64_hash, g_int64_equal);
    poisoned_dir = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                          g_int64_hash, g_int64_equal);
    bad_calls = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                       g_int64_hash, g_int64_equal);
    request_seen = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                          g_int64_hash, g_int64_equal);
}

void
dhcpsrv_sealed_handoff(void)
{
    proto_dcerpc = proto_get_id_by_filter_name("dcerpc");
    hf_encrypted_stub = proto_registrar_get_id_byname("dcerpc.encrypted_stub_data");
    hf_decrypted_stub = proto_registrar_get_id_byname("dcerpc.decrypted_stub_data");
    if (proto_dcerpc < 0 || hf_encrypted_stub < 0 || hf_decrypted_stub < 0)
        return;     /* not this Wireshark's DCE/RPC: no sealed-stub notes */
    post_handle = create_dissector_handle(dissect_sealed_post, proto_dhcpsrv2_id);
    register_postdissector(post_handle);
    set_wanted();
}
