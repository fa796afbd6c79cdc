/* dhcpsrv2.h -- what the files of the MS-DHCPM plugin share.
 *
 * packet-dcerpc-dhcpsrv.c  registers both interfaces, owns the opnum registry
 *                          and the pieces every method shares (the server
 *                          handle, the status, request-to-response state).
 * dhcpsrv2-failover.c      the failover methods' meaning beyond layout (hooks).
 * dhcpm-decode.c           every method but 97, from the description.
 * dhcpsrv-sealed.c         sealed (packet privacy) calls: notes, untrusted stubs.
 * stats/                   statistics, fed only by the tap (include/dhcpsrv2-tap.h):
 *                          the failover model, its views and packet experts.
 * ndr.c                    the NDR reader.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPSRV2_H
#define DHCPSRV2_H

#include <epan/packet.h>
#include <epan/dissectors/packet-dcerpc.h>

#include "ndr.h"
#include "dhcpsrv2-tap.h"

/* Registration entry points (called back by epan, see plugin.c). */
void proto_register_dhcpsrv(void);
void proto_reg_handoff_dhcpsrv(void);
void register_dhcpsrv2_stats(void);
void register_dhcpsrv2_taprecords(void);    /* dhcpsrv2-taprecords.c: -z dhcpsrv2,records */

/* One decoded operation of the opnum registry. */
typedef struct dhcpsrv_decoder {
    guint16 opnum;
    dcerpc_dissect_fnct_t *request;
    dcerpc_dissect_fnct_t *response;
} dhcpsrv_decoder;

/* The method files: each registers its fields and lists its decoders. */
extern const dhcpsrv_decoder dhcpsrv2_scope_stats_decoders[];     /* dhcpsrv2-scope-stats.c */
extern const guint dhcpsrv2_scope_stats_decoder_count;
void dhcpsrv2_scope_stats_register(int proto);
/* dhcpsrv2-failover.c: the failover methods' meaning beyond layout, bound to
 * the table-driven decoder (dhcpsrv2_failover_hooks, dhcpm-decode.h). */
void dhcpsrv2_failover_register(int proto);

extern int proto_dhcpsrv2;
extern ndr_fields dhcpsrv2_ndr;

/* Request facts the response needs (file scope, one small record per call). */
typedef struct dhcpsrv2_call {
    const char *server_ip_address;  /* interned; NULL when the pointer was NULL */
    guint32 scope_id;               /* opnum 97, 96: scopeId; 125: address */
    guint8 have_server : 1;         /* ServerIpAddress decoded (maybe NULL) */
    guint8 have_scope : 1;          /* scope_id decoded */
} dhcpsrv2_call;

/* The table-driven decoder of every other method (dhcpm-decode.c). */
void dhcpm_register(int dhcpsrv_id, int dhcpsrv2_id);
/* Installs the table-driven decoder for each described opnum of `iface`
 * (a dhcpsrv2_interface) that has no decoder yet. */
void dhcpm_install(dcerpc_sub_dissector *ops, guint iface);
gboolean dhcpm_is_generic(dcerpc_dissect_fnct_t *fn);
/* Sets `request`/`response` on opnum's entry of `ops` if it has none. */
void dhcpsrv_install_generic(dcerpc_sub_dissector *ops, guint16 opnum,
                             dcerpc_dissect_fnct_t *request, dcerpc_dissect_fnct_t *response);

/* The same shared pieces for either interface (`iface`: dhcpsrv2_interface):
 * its ndr_fields, its server_ip_address and werror fields. */
void dhcpsrv_iface_ndr_init(ndr_t *ndr, tvbuff_t *tvb, packet_info *pinfo, dcerpc_info *di,
                            const guint8 *drep, guint iface);
int dhcpsrv_dissect_server_handle_if(ndr_t *ndr, proto_tree *tree, int offset,
                                     dhcpsrv2_call *call, guint iface);
void dhcpsrv_add_request_server_if(proto_tree *tree, tvbuff_t *tvb, const dhcpsrv2_call *call,
                                   guint iface);
int dhcpsrv_dissect_status_if(ndr_t *ndr, proto_tree *tree, int offset,
                              dhcpsrv2_tap_record *rec, guint iface);

/* Starts an NDR reader on a dhcpsrv2 stub (syntax and byte order of the call). */
void dhcpsrv2_ndr_init(ndr_t *ndr, tvbuff_t *tvb, packet_info *pinfo, dcerpc_info *di,
                       const guint8 *drep);

/* The request-side record of this call: created on the first pass of a
 * request; NULL when the request was not seen or not matched. */
dhcpsrv2_call *dhcpsrv2_call_get(packet_info *pinfo, dcerpc_info *di, gboolean create);

/* [in, unique, string] DHCP_SRV_HANDLE ServerIpAddress, first parameter of
 * every method.  Stores it in `call` on the first pass (call may be NULL). */
int dhcpsrv2_dissect_server_handle(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_call *call);

/* In a response: the request's ServerIpAddress as a generated field. */
void dhcpsrv2_add_request_server(proto_tree *tree, tvbuff_t *tvb, const dhcpsrv2_call *call);

/* A fresh tap record for a response (packet scope), with frames, times,
 * addresses and the request's ServerIpAddress filled in. */
dhcpsrv2_tap_record *dhcpsrv2_tap_record_new(packet_info *pinfo, dcerpc_info *di,
                                             const dhcpsrv2_call *call, gboolean ndr64);

/* The trailing DWORD status of every response: field, expert note when it
 * is not ERROR_SUCCESS, ", <status name>" in the Info column. */
int dhcpsrv2_dissect_status(ndr_t *ndr, proto_tree *tree, int offset, dhcpsrv2_tap_record *rec);
/* The same without the ", STATUS" Info append, for a caller that builds its
 * whole Info suffix and appends it once (opnum 97). */
int dhcpsrv2_dissect_status_no_info(ndr_t *ndr, proto_tree *tree, int offset,
                                    dhcpsrv2_tap_record *rec);

/* Ends a response: marks the record malformed if the stub did not decode,
 * queues it on the tap and returns the offset to hand back to dcerpc. */
int dhcpsrv2_end_response(ndr_t *ndr, int offset, dhcpsrv2_tap_record *rec);

/* Ends a request: when the stub did not decode, " [malformed stub]" in the
 * Info column and the whole stub consumed; otherwise, when `address` is not
 * NULL, it is shown in the Info column and kept (first pass) for the response. */
int dhcpsrv2_end_request(ndr_t *ndr, int offset, dhcpsrv2_call *call, const guint32 *address);

/* Queues a record on the dhcpsrv2 tap (the sealed-call records). */
void dhcpsrv2_tap_queue(packet_info *pinfo, dhcpsrv2_tap_record *rec);

/* dhcpsrv-sealed.c: sealed and untrusted stubs (a postdissector).  The
 * record of every decoded response is handed to it in case the frame shows
 * its stub cannot be trusted.  TRUE: the postdissector will scan this frame
 * and then show the record's model experts (on `tree`) itself, after the
 * verdict; FALSE: the caller shows them now. */
void dhcpsrv_sealed_register(int proto_dhcpsrv2, int proto_dhcpsrv);
void dhcpsrv_sealed_handoff(void);
gboolean dhcpsrv_sealed_track_record(packet_info *pinfo, dhcpsrv2_tap_record *rec,
                                     proto_tree *tree, tvbuff_t *tvb);

/* Appends " a.b.c.d" (a DHCP_IP_ADDRESS value) to the Info column. */
void dhcpsrv2_append_ipv4_to_info(packet_info *pinfo, guint32 address);

/* The scope id copied from the request, as a generated field. */
extern int dhcpsrv2_hf_scope_id;

/* Name of a status, or its hex value in packet scope. */
const char *dhcpsrv2_status_text(packet_info *pinfo, guint32 status);

#endif /* DHCPSRV2_H */
