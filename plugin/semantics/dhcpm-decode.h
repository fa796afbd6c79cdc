/* dhcpm-decode.h -- hand-written semantics bound to the table-driven decoder.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPM_DECODE_H
#define DHCPM_DECODE_H

#include <epan/packet.h>

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

#endif
