/* failover-experts.c -- the failover model at dissection time.
 *
 * The statistics views run after the dissection; packet experts about
 * trends, pairing and shares are needed on the response itself.  So the
 * dissector feeds its own per-capture instance of the same model
 * (failover-model.c) on the first pass, from the one common tail of every
 * response (dhcpsrv2_end_response() calls dhcpsrv2_failover_experts()), and
 * remembers the result per frame (file scope), so that later passes, the
 * GUI and `tshark -2` show the same experts, whatever the order of
 * re-dissection (one fired response costs a 20-byte slot, see fx_slot).
 *
 * Experts (filterable, dhcpsrv2.expert.*):
 *   exhaustion_projected        thisAddrFree projected to reach 0 within the threshold
 *   scope_exhaustion_projected  addrFree likewise
 *   partner_persistent_disagreement  the 2nd (or later) same-direction
 *                               disagreement in a row with the partner's nearest poll
 *   share_off                   this server's share of free addresses outside the
 *                               tolerance of the relationship's percentage
 *   reserve_used_up             hot standby: the standby has no free address left
 *   partner_frozen              partner counters unchanged for FM_FROZEN_POLLS polls
 *                               while ours moved, relationship not NORMAL
 * Each fires on the response where its condition first becomes true for
 * the (server, scope) (again after it was false); the persistent
 * disagreement on every response that continues a run.
 *
 * Preferences (dhcpsrv2.*): exhaustion_threshold (minutes, default 60),
 * share_tolerance (percentage points, default 5).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>

#include "dhcpsrv2.h"
#include "failover-views.h"
#include "failover-experts.h"

static expert_field ei_exhaustion = EI_INIT;
static expert_field ei_scope_exhaustion = EI_INIT;
static expert_field ei_persistent = EI_INIT;
static expert_field ei_share_off = EI_INIT;
static expert_field ei_reserve_used_up = EI_INIT;
static expert_field ei_partner_frozen = EI_INIT;

static guint pref_threshold_min = 60;
static guint pref_share_tolerance = 5;

double
dhcpsrv2_share_tolerance(void)
{
    return (double)pref_share_tolerance;
}

guint
dhcpsrv2_exhaustion_threshold_s(void)
{
    return pref_threshold_min * 60;
}

/* What fired on one frame (first pass), with the numbers for the texts. */
typedef struct fx_result {
    guint8 fired;               /* FX_* bits */
    guint run;                  /* persistent: the run's length */
    guint32 partner_frame;
    double this_s, free_s;      /* projections (s) */
    double this_rate, free_rate;/* per hour */
    double share;
    guint expected;
    guint frozen_polls;
} fx_result;

#define FX_EXHAUSTION       0x01
#define FX_SCOPE_EXHAUSTION 0x02
#define FX_PERSISTENT       0x04
#define FX_SHARE_OFF        0x08
#define FX_RESERVE          0x10
#define FX_FROZEN           0x20

/* What was true at the previous response of a (server, scope) is kept in
 * its model entry's owner bits (fm_entry.owner_bits): FX_EXHAUSTION,
 * FX_SCOPE_EXHAUSTION, FX_SHARE_OFF, FX_RESERVE, FX_FROZEN. */

static fm_model *fx_model;              /* this capture's model (first pass) */

/* The responses on which an expert fired, kept for later passes in one
 * array sorted by (frame, request frame): the first pass appends in frame
 * order, so an insert is an append.  Almost every fired response is a
 * persistent disagreement alone (the benchmark capture: 8 % of the
 * responses), which fits in the 20-byte slot itself; anything else is kept
 * whole in fx_full.  The request frame tells apart two responses in one
 * frame (a TCP segment holding several PDUs). */
typedef struct fx_slot {
    guint32 frame;
    guint32 req_frame;
    guint32 run;                /* persistent disagreement */
    guint32 partner_frame;
    guint32 full;               /* 1 + index into fx_full; 0: persistent only */
} fx_slot;

static GArray *fx_slots;                /* fx_slot, sorted (file scope) */
static GArray *fx_full;                 /* fx_result */

static void
fx_init(void)
{
    fx_model = fm_model_new_experts();
    fx_slots = g_array_new(FALSE, FALSE, (guint)sizeof(fx_slot));
    fx_full = g_array_new(FALSE, FALSE, (guint)sizeof(fx_result));
}

static void
fx_cleanup(void)
{
    fm_model_free(fx_model);
    fx_model = NULL;
    if (fx_slots)
        g_array_free(fx_slots, TRUE);
    if (fx_full)
        g_array_free(fx_full, TRUE);
    fx_slots = fx_full = NULL;
}

static int
fx_slot_cmp(const fx_slot *s, guint32 frame, guint32 req_frame)
{
    if (s->frame != frame)
        return s->frame < frame ? -1 : 1;
    if (s->req_frame != req_frame)
        return s->req_frame < req_frame ? -1 : 1;
    return 0;
}

/* The index of the first slot not before (frame, req_frame). */
static guint
fx_slot_position(guint32 frame, guint32 req_frame)
{
    guint lo = 0, hi = fx_slots->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (fx_slot_cmp(&g_array_index(fx_slots, fx_slot, mid), frame, req_frame) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void
fx_remember(guint32 frame, guint32 req_frame, const fx_result *r)
{
    fx_slot s = { frame, req_frame, r->run, r->partner_frame, 0 };
    guint at = fx_slots->len;

    if (r->fired != FX_PERSISTENT) {
        g_array_append_val(fx_full, *r);
        s.full = fx_full->len;
    }
    if (at && fx_slot_cmp(&g_array_index(fx_slots, fx_slot, at - 1), frame, req_frame) >= 0)
        at = fx_slot_position(frame, req_frame);    /* not in frame order: never in tshark */
    if (at < fx_slots->len && !fx_slot_cmp(&g_array_index(fx_slots, fx_slot, at), frame, req_frame))
        g_array_index(fx_slots, fx_slot, at) = s;
    else
        g_array_insert_val(fx_slots, at, s);
}

/* Later passes: what fired on this response at the first pass, in *r. */
static gboolean
fx_recall(guint32 frame, guint32 req_frame, fx_result *r)
{
    guint at = fx_slot_position(frame, req_frame);
    const fx_slot *s;

    if (at >= fx_slots->len)
        return FALSE;
    s = &g_array_index(fx_slots, fx_slot, at);
    if (fx_slot_cmp(s, frame, req_frame))
        return FALSE;
    if (s->full) {
        *r = g_array_index(fx_full, fx_result, s->full - 1);
    } else {
        memset(r, 0, sizeof(*r));
        r->fired = FX_PERSISTENT;
        r->run = s->run;
        r->partner_frame = s->partner_frame;
    }
    return TRUE;
}

/* Sets `bit` in `fired` when `now` is true and was not at the previous response. */
static void
fx_edge(guint8 *below, guint8 *fired, guint8 bit, gboolean now)
{
    if (now && !(*below & bit))
        *fired |= bit;
    if (now)
        *below |= bit;
    else
        *below &= (guint8)~bit;
}

static void
fx_evaluate(fm_entry *e, const fm_events *ev, fx_result *r)
{
    guint8 *st = &e->owner_bits;
    double thr = (double)dhcpsrv2_exhaustion_threshold_s();
    fm_trend t0, t1;
    fm_share sh;
    guint frozen;

    /* Only a steady trend (a full ring of FM_TREND_POLLS polls) may fire:
     * before that the fit is not needed (the numbers are shown only when
     * an expert fires). */
    if (e->trend_n >= FM_TREND_POLLS) {
        fm_entry_trends(e, &t0, &t1);
    } else {
        memset(&t0, 0, sizeof(t0));
        memset(&t1, 0, sizeof(t1));
    }
    r->this_s = t0.seconds_to_zero;
    r->free_s = t1.seconds_to_zero;
    r->this_rate = t0.per_hour;
    r->free_rate = t1.per_hour;
    fx_edge(st, &r->fired, FX_EXHAUSTION, t0.steady && t0.falling && t0.seconds_to_zero < thr);
    fx_edge(st, &r->fired, FX_SCOPE_EXHAUSTION, t1.steady && t1.falling && t1.seconds_to_zero < thr);

    fm_entry_share(e, dhcpsrv2_share_tolerance(), &sh);
    r->share = sh.share;
    r->expected = sh.expected;
    fx_edge(st, &r->fired, FX_SHARE_OFF, sh.state == FM_SHARE_OFF);
    fx_edge(st, &r->fired, FX_RESERVE, sh.state == FM_SHARE_RESERVE_USED_UP);

    fx_edge(st, &r->fired, FX_FROZEN, fm_entry_partner_frozen(e, &frozen));
    r->frozen_polls = frozen;

    if (ev->persistent) {
        r->fired |= FX_PERSISTENT;
        r->run = ev->run;
        r->partner_frame = ev->partner_frame;
    }
}

/* First pass: feed the model, keep what fired. */
static gboolean
fx_first_pass(packet_info *pinfo, const dhcpsrv2_tap_record *rec, fx_result *r)
{
    fm_events ev;

    if (!fx_model)
        return FALSE;
    if (!fm_model_feed(fx_model, rec, &pinfo->abs_ts, &ev) || !ev.entry || !rec->stats_present ||
        !ev.entry->scope)
        return FALSE;
    memset(r, 0, sizeof(*r));
    fx_evaluate(ev.entry, &ev, r);
    if (!r->fired)
        return FALSE;
    fx_remember(pinfo->num, rec->req_frame, r);
    return TRUE;
}

static void
fx_duration(char *buf, gsize size, double s, double rate, guint32 last)
{
    fm_trend t;

    memset(&t, 0, sizeof(t));
    t.n = 1;
    t.steady = TRUE;
    t.falling = TRUE;
    t.last = last ? last : 1;
    t.seconds_to_zero = s;
    t.per_hour = rate;
    fm_format_duration(buf, size, &t);
}

static void
fx_show(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const dhcpsrv2_tap_record *rec,
        const fx_result *r)
{
    char when[32];

    if (r->fired & FX_EXHAUSTION) {
        fx_duration(when, sizeof(when), r->this_s, r->this_rate, rec->counters.this_addr_free);
        proto_tree_add_expert_format(tree, pinfo, &ei_exhaustion, tvb, 0, 0,
                                     "thisAddrFree %u falls %.2f/h: this server runs out in %s "
                                     "(threshold %u min)", rec->counters.this_addr_free,
                                     -r->this_rate, when, pref_threshold_min);
    }
    if (r->fired & FX_SCOPE_EXHAUSTION) {
        fx_duration(when, sizeof(when), r->free_s, r->free_rate, rec->counters.addr_free);
        proto_tree_add_expert_format(tree, pinfo, &ei_scope_exhaustion, tvb, 0, 0,
                                     "addrFree %u falls %.2f/h: the scope runs out in %s "
                                     "(threshold %u min)", rec->counters.addr_free,
                                     -r->free_rate, when, pref_threshold_min);
    }
    if (r->fired & FX_PERSISTENT)
        proto_tree_add_expert_format(tree, pinfo, &ei_persistent, tvb, 0, 0,
                                     "Persistent disagreement with the partner's nearest poll "
                                     "(frame %u): the same direction %u comparisons in a row",
                                     r->partner_frame, r->run);
    if (r->fired & FX_SHARE_OFF)
        proto_tree_add_expert_format(tree, pinfo, &ei_share_off, tvb, 0, 0,
                                     "This server holds %.2f %% of the free addresses; the "
                                     "relationship says %u %% (tolerance %u points)",
                                     r->share, r->expected, pref_share_tolerance);
    if (r->fired & FX_RESERVE)
        proto_tree_add_expert_format(tree, pinfo, &ei_reserve_used_up, tvb, 0, 0,
                                     "Hot standby reserve used up: thisAddrFree 0 (reserve %u %%)",
                                     r->expected);
    if (r->fired & FX_FROZEN)
        proto_tree_add_expert_format(tree, pinfo, &ei_partner_frozen, tvb, 0, 0,
                                     "Partner counters unchanged for %u polls while this "
                                     "server's moved, relationship not NORMAL", r->frozen_polls);
}

void
dhcpsrv2_failover_experts(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                          const dhcpsrv2_tap_record *rec)
{
    fx_result r;
    gboolean fired;

    if (!rec || rec->interface_id != DHCPSRV2_IF_DHCPSRV2 || rec->undecoded != DHCPSRV2_DECODED ||
        !fx_slots)
        return;     /* an untrusted stub (dhcpsrv-sealed.c) feeds nothing */
    if (!PINFO_FD_VISITED(pinfo))
        fired = fx_first_pass(pinfo, rec, &r);
    else
        fired = fx_recall(pinfo->num, rec->req_frame, &r);
    if (fired)
        fx_show(tree, pinfo, tvb, rec, &r);
}

void
dhcpsrv2_failover_experts_register(int proto)
{
    static ei_register_info ei[] = {
        { &ei_exhaustion, { "dhcpsrv2.expert.exhaustion_projected", PI_SEQUENCE, PI_WARN,
          "thisAddrFree projected to reach 0 within the exhaustion threshold", EXPFILL }},
        { &ei_scope_exhaustion, { "dhcpsrv2.expert.scope_exhaustion_projected", PI_SEQUENCE,
          PI_WARN, "addrFree projected to reach 0 within the exhaustion threshold", EXPFILL }},
        { &ei_persistent, { "dhcpsrv2.expert.partner_persistent_disagreement", PI_SEQUENCE,
          PI_WARN, "Persistent disagreement with the failover partner", EXPFILL }},
        { &ei_share_off, { "dhcpsrv2.expert.share_off", PI_SEQUENCE, PI_WARN,
          "Share of free addresses outside the relationship's percentage", EXPFILL }},
        { &ei_reserve_used_up, { "dhcpsrv2.expert.reserve_used_up", PI_SEQUENCE, PI_WARN,
          "Hot standby reserve used up", EXPFILL }},
        { &ei_partner_frozen, { "dhcpsrv2.expert.partner_frozen", PI_SEQUENCE, PI_WARN,
          "Partner counters frozen while ours move (relationship not NORMAL)", EXPFILL }},
    };
    expert_module_t *expert = expert_register_protocol(proto);
    module_t *prefs = prefs_find_module("dhcpsrv2");

    expert_register_field_array(expert, ei, array_length(ei));
    if (!prefs)
        prefs = prefs_register_protocol(proto, NULL);
    prefs_register_uint_preference(prefs, "exhaustion_threshold",
                                   "Exhaustion warning threshold (minutes)",
                                   "Warn on the response whose projected time until thisAddrFree "
                                   "or addrFree reaches 0 first drops below this",
                                   10, &pref_threshold_min);
    prefs_register_uint_preference(prefs, "share_tolerance",
                                   "Share tolerance (percentage points)",
                                   "How far this server's share of the free addresses may be from "
                                   "the relationship's percentage before it is flagged",
                                   10, &pref_share_tolerance);
    register_init_routine(fx_init);
    register_cleanup_routine(fx_cleanup);
}
