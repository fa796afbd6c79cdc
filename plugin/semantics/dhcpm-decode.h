/* dhcpm-decode.h -- hand-written semantics bound to the table-driven decoder.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPM_DECODE_H
#define DHCPM_DECODE_H

#include <epan/packet.h>
#include <epan/dissectors/packet-dcerpc.h>

#include "ndr-type.h"
#include "dhcpsrv2-tap.h"

/* The MIB answers of one response (dhcpm-mib.c): R_DhcpGetMibInfo,
 * R_DhcpGetMibInfoVQ (dhcpsrv) and R_DhcpGetMibInfoV5 (dhcpsrv2). */
typedef struct dhcpm_mib_state {
    packet_info *pinfo;
    gboolean seen;              /* a DHCP_MIB_INFO(_V5/_VQ) structure decoded */
    wmem_array_t *scopes;       /* dhcpsrv2_mib_scope, packet scope, created on first use */
} dhcpm_mib_state;

/* Binds the MIB hooks into `hooks` (type index -> hook). */
void dhcpm_mib_bind_hooks(ndrt_type_hook *hooks);
void dhcpm_mib_state_init(dhcpm_mib_state *state, packet_info *pinfo);
/* Fills the tap record's MIB members once the whole response decoded. */
void dhcpm_mib_finish(dhcpm_mib_state *state, ndr_t *ndr, dhcpsrv2_tap_record *rec);

/* ------------------------------------------------------------------------ */
/* Per-method hooks: meaning beyond layout for a few methods (the failover
 * ones, dhcpsrv2-failover.c).  The layout is decoded from the description as
 * for every method; the hooks see the parameters' values, bind value hooks
 * (ndrt_ctx.leaf/.enter) for the members, and fill the tap record, the
 * experts and the Info column. */
typedef struct dhcpm_call {
    ndr_t *ndr;
    ndrt_ctx *ctx;
    proto_tree *tree;
    dcerpc_info *di;
    const ndrt_method *method;
    const ndrt_value *params;       /* *_end: index = parameter of `method` (unset: absent) */
    struct dhcpsrv2_call *call;     /* the request's record (NULL: not matched) */
    dhcpsrv2_tap_record *rec;       /* responses: the tap record; requests: NULL */
    const guint32 *address;         /* request_end may set it: shown and kept for the response
                                       (dhcpsrv2_end_request) */
    guint32 address_value;
    void *state;                    /* the hooks' own */
} dhcpm_call;

typedef struct dhcpm_method_hooks {
    guint16 opnum;
    gboolean own_info;              /* the hooks write the Info column ([ws_info] is not used) */
    void (*request_begin)(dhcpm_call *c);
    void (*request_end)(dhcpm_call *c);     /* after the parameters */
    void (*response_begin)(dhcpm_call *c);
    void (*response_end)(dhcpm_call *c);    /* after the [out] parameters, before the status */
} dhcpm_method_hooks;

/* dhcpsrv2-failover.c: the hooks of a dhcpsrv2 opnum, or NULL; its type hooks
 * bound into `hooks` (type index -> hook). */
const dhcpm_method_hooks *dhcpsrv2_failover_hooks(guint opnum);
void dhcpsrv2_failover_bind_type_hooks(ndrt_type_hook *hooks);

/* The field index of "<proto>.<suffix>" in the description (0: none), and its
 * hf id under interface `iface` (-1: none). */
guint16 dhcpm_field_index(const char *suffix);
int dhcpm_field_hf(guint iface, guint16 field);

#endif
