/* dhcpm-handoff.h -- our own "dcerpc.uuid" handle (dhcpm-handoff.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPM_HANDOFF_H
#define DHCPM_HANDOFF_H

#include <epan/packet.h>
#include <epan/prefs.h>

enum { DHCPM_HANDOFF_DHCPSRV2, DHCPM_HANDOFF_DHCPSRV, DHCPM_HANDOFF_IFACES };

/* In proto_register: the private table of DCE/RPC's handles, the ett, the
 * preference (in dhcpsrv2's module). */
void dhcpm_handoff_register(int proto, module_t *prefs);
/* In proto_reg_handoff, after dcerpc_init_uuid() of the interface. */
void dhcpm_handoff_install(guint iface, int proto, e_guid_t *uuid, guint16 ver);

/* PDUs handed to our handle since the file was opened (every pass), by the
 * way they went; printed by `-z dhcpsrv2,records` for the tests. */
void dhcpm_handoff_counts(guint *short_way_pdus, guint *generic_pdus);

#endif
