/* ws-compat.h -- every difference between the Wireshark versions the plugin
 * supports (4.0, 4.4, 4.6), in one place.  The sources include this instead
 * of the moved headers and call the names below instead of the renamed or
 * re-signatured functions; no other file tests WIRESHARK_VERSION_*.
 *
 * What changed, and what the plugin does about it:
 *
 *   4.6  epan/value_string.h moved to wsutil/value_string.h.
 *        -> include this header for value_string, value_string_ext, etc.
 *   4.6  pntoh16/32/64 and pletoh16/32/64 (wsutil/pint.h) renamed
 *        pntohu16/32/64 and pletohu16/32/64, without aliases.
 *        -> the sources use the 4.6 names; they are provided below for 4.0/4.4.
 *   4.6  val_to_str() and value_string_ext_new() take a wmem scope first.
 *        -> compat_val_to_str(scope, ...), compat_value_string_ext_new(scope, ...)
 *           (before 4.6 the scope is ignored: val_to_str() allocates from the
 *           packet scope and value_string_ext_new() from the epan scope, so
 *           pass pinfo->pool resp. wmem_epan_scope() to keep the lifetimes equal).
 *   4.2+ plugin_describe() (wsutil/plugins.h) tells `tshark -G plugins` the
 *        plugin's type; without it 4.4/4.6 show "unknown".
 *        -> COMPAT_PLUGIN_DESCRIBE(flags), at file scope without a ';',
 *           defines it where it exists.
 *   4.4  expert_add_info*() return proto_item * (void in 4.0).
 *        -> never use their result.
 *   4.4  dcerpc_init_uuid() takes `const dcerpc_sub_dissector *` (non-const in
 *        4.0, where a const table draws -Wdiscarded-qualifiers).
 *        -> keep the procedure tables non-const; 4.4+ accept them as they are.
 *   4.4  stats_tree_register_plugin() returns stats_tree_cfg * (void in 4.0).
 *        -> never use its result.
 *   4.4  tvb_get_guint8() deprecated for tvb_get_uint8(), which 4.0 does not have.
 *        -> the sources use tvb_get_uint8(); provided below for 4.0.
 *   4.6  a stat_tap_ui's tap_init_cb returns bool (success), void before.
 *        -> declare it `static COMPAT_STAT_TAP_INIT_TYPE f(...)` and end every
 *           path with COMPAT_STAT_TAP_INIT_RETURN(ok).
 *   4.4  ip_to_str_buf() (wsutil/to_str.h) deprecated in favour of
 *        ip_num_to_str_buf(), which 4.0 does not have.
 *        -> compat_ip_num_to_str_buf(host_order_address, buf, len).
 *   4.4  prefs_register_bool_preference() takes bool * (gboolean * in 4.0).
 *        -> declare the variable `static compat_pref_bool var`.
 *   4.6  in a tree that is not visible, protocol items are faked unless a
 *        field of theirs is wanted (4.0/4.4 keep them).
 *        -> COMPAT_WANT_PROTOCOL_ITEMS: the sealed postdissector wants the
 *           protocols it looks for only where they would be faked; each wanted
 *           field costs a GPtrArray per frame in every run that builds a tree
 *           (semantics/dhcpsrv-sealed.c).
 *   4.6  dissector_try_uint_new() deprecated for dissector_try_uint_with_data()
 *        (same arguments), which 4.0/4.4 do not have.
 *        -> compat_dissector_try_uint().
 *   4.4  DCE/RPC's (private) dcerpc_dissector_data_t.decrypted became a bool
 *        (a gboolean in 4.0): the byte after it is padding, garbage.
 *        -> semantics/dhcpm-handoff.c reads only its first byte (not a shim:
 *           one rule for every version; see stub_decrypted() there).
 *   4.6  tshark frees every stats tree at exit (stats_tree_free()), which
 *        removes its tap listener first.
 *        -> a stats_tree cleanup callback must NOT call remove_tap_listener():
 *           on 4.6 that frees the listener a second time (abort after
 *           `-z dhcpsrv2_failover,tree`).  Not a compat shim: a rule for
 *           every version (in 4.0/4.4 stats_tree removes it too).
 *
 * Embedding epan (only fuzz/fuzz_dhcpsrv2.c, a program linking libwireshark):
 *   4.6  ws_log_init() lost its program name, configuration_init() its
 *        namespace, proto_item_fill_label() gained a value offset,
 *        wtap_rec_init() takes a buffer size, and epan_dissect_run*() take
 *        the frame from the record's buffer instead of a tvb.
 *        -> compat_ws_log_init(), compat_configuration_init(),
 *           compat_proto_item_fill_label(), compat_wtap_rec_init(),
 *           compat_epan_dissect_run_with_taps(edt, ft, rec, data, len, fd, cinfo).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPSRV_WS_COMPAT_H
#define DHCPSRV_WS_COMPAT_H

#include <wireshark.h>          /* ws_version.h: WIRESHARK_VERSION_MAJOR/MINOR */
#include <wsutil/pint.h>

#define COMPAT_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* --- protocol items in a tree that is not visible ------------------------ */
#define COMPAT_WANT_PROTOCOL_ITEMS COMPAT_WS_AT_LEAST(4, 6)

/* --- value_string: header location, scope arguments ----------------------- */
#if COMPAT_WS_AT_LEAST(4, 6)
#include <wsutil/value_string.h>
#define compat_val_to_str(scope, val, vs, fmt)  val_to_str((scope), (val), (vs), (fmt))
#define compat_value_string_ext_new(scope, vs, n, name) \
    value_string_ext_new((scope), (vs), (n), (name))
#else
#include <epan/value_string.h>
#define compat_val_to_str(scope, val, vs, fmt)  ((void)(scope), val_to_str((val), (vs), (fmt)))
#define compat_value_string_ext_new(scope, vs, n, name) \
    ((void)(scope), value_string_ext_new((vs), (n), (name)))
#endif

/* --- byte-order readers: the 4.6 names on every version -------------------- */
#if !COMPAT_WS_AT_LEAST(4, 6)
static inline uint16_t pntohu16(const void *p)  { return pntoh16(p); }
static inline uint32_t pntohu32(const void *p)  { return pntoh32(p); }
static inline uint64_t pntohu64(const void *p)  { return pntoh64(p); }
static inline uint16_t pletohu16(const void *p) { return pletoh16(p); }
static inline uint32_t pletohu32(const void *p) { return pletoh32(p); }
static inline uint64_t pletohu64(const void *p) { return pletoh64(p); }
#endif

/* --- stat_tap_ui init callback result ------------------------------------- */
#if COMPAT_WS_AT_LEAST(4, 6)
#define COMPAT_STAT_TAP_INIT_TYPE        bool
#define COMPAT_STAT_TAP_INIT_RETURN(ok)  return (ok)
#else
#define COMPAT_STAT_TAP_INIT_TYPE        void
#define COMPAT_STAT_TAP_INIT_RETURN(ok)  do { (void)(ok); return; } while (0)
#endif

/* --- tvb byte reader: the 4.2+ name on every version ----------------------- */
#include <epan/tvbuff.h>
#if !COMPAT_WS_AT_LEAST(4, 2)
static inline uint8_t tvb_get_uint8(tvbuff_t *tvb, const int offset) { return tvb_get_guint8(tvb, offset); }
#endif

/* --- the variable of a boolean preference: bool * on 4.4/4.6, gboolean * on 4.0 */
#if COMPAT_WS_AT_LEAST(4, 4)
typedef bool compat_pref_bool;
#else
typedef gboolean compat_pref_bool;
#endif

/* --- IPv4 address text into a buffer (host byte order value) ------------- */
#include <wsutil/to_str.h>
#if COMPAT_WS_AT_LEAST(4, 4)
#define compat_ip_num_to_str_buf(addr, buf, len)  ip_num_to_str_buf((addr), (buf), (len))
#else
static inline void
compat_ip_num_to_str_buf(uint32_t addr, char *buf, int len)
{
    const uint8_t bytes[4] = { (uint8_t)(addr >> 24), (uint8_t)(addr >> 16),
                               (uint8_t)(addr >> 8), (uint8_t)addr };
    ip_to_str_buf(bytes, buf, len);
}
#endif

/* --- plugin_describe(): the plugin's type in `tshark -G plugins` ----------- */
#if COMPAT_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#define COMPAT_PLUGIN_DESCRIBE(flags) \
    WS_DLL_PUBLIC uint32_t plugin_describe(void); \
    uint32_t plugin_describe(void) { return (flags); }
#else
/* 4.0 has no plugin_describe() (nor the WS_PLUGIN_DESC_* flags, which are
 * dropped unexpanded); its -G plugins derives "dissector" itself. */
#define COMPAT_PLUGIN_DESCRIBE(flags) \
    typedef int compat_no_plugin_describe_in_this_version;
#endif

/* --- a dissector table lookup with data, without adding a protocol layer -- */
#if COMPAT_WS_AT_LEAST(4, 6)
#define compat_dissector_try_uint(table, val, tvb, pinfo, tree, add_name, data) \
    dissector_try_uint_with_data((table), (val), (tvb), (pinfo), (tree), (add_name), (data))
#else
#define compat_dissector_try_uint(table, val, tvb, pinfo, tree, add_name, data) \
    dissector_try_uint_new((table), (val), (tvb), (pinfo), (tree), (add_name), (data))
#endif

/* --- embedding epan (fuzz/ only; macros, so plugin sources need none of
 * the wiretap/epan_dissect headers) ------------------------------------------ */
#if COMPAT_WS_AT_LEAST(4, 6)
#define compat_ws_log_init(progname)            ((void)(progname), ws_log_init(NULL))
#define compat_configuration_init(arg0)         configuration_init(arg0)
#define compat_proto_item_fill_label(fi, label) proto_item_fill_label((fi), (label), &(size_t){0})
#define compat_wtap_rec_init(rec, space)        wtap_rec_init((rec), (space))
/* The frame goes into the record's buffer (cleared first: the second pass reuses the record). */
#define compat_epan_dissect_run_with_taps(edt, ft, rec, data, len, fd, cinfo) \
    (ws_buffer_clean(&(rec)->data), ws_buffer_append(&(rec)->data, (data), (len)), \
     epan_dissect_run_with_taps((edt), (ft), (rec), (fd), (cinfo)))
#else
#define compat_ws_log_init(progname)            ws_log_init((progname), NULL)
#define compat_configuration_init(arg0)         configuration_init((arg0), NULL)
#define compat_proto_item_fill_label(fi, label) proto_item_fill_label((fi), (label))
#define compat_wtap_rec_init(rec, space)        ((void)(space), wtap_rec_init(rec))
/* epan_dissect_reset() frees the tvb: each run gets a new one. */
#define compat_epan_dissect_run_with_taps(edt, ft, rec, data, len, fd, cinfo) \
    epan_dissect_run_with_taps((edt), (ft), (rec), \
                               tvb_new_real_data((data), (guint)(len), (gint)(len)), (fd), (cinfo))
#endif

#endif /* DHCPSRV_WS_COMPAT_H */
