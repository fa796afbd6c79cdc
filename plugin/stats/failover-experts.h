/* failover-experts.h -- packet experts from the failover model (failover-experts.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FAILOVER_EXPERTS_H
#define FAILOVER_EXPERTS_H

#include <epan/packet.h>

#include "dhcpsrv2-tap.h"

/* The one call from dhcpsrv2_end_response(): feeds the dissection-time model
 * on the first pass and adds the experts it found for this response (on
 * every pass). */
void dhcpsrv2_failover_experts(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                               const dhcpsrv2_tap_record *rec);

/* Registers the experts and preferences on the dhcpsrv2 protocol. */
void dhcpsrv2_failover_experts_register(int proto);

#endif /* FAILOVER_EXPERTS_H */
