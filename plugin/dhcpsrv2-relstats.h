/* dhcpsrv2-relstats.h -- what the two statistics files share.
 *
 * dhcpsrv2-stats.c     the scope statistics (tree and table); its tree also
 *                      links each scope to its failover relationship.
 * dhcpsrv2-relstats.c  the relationship table (-z dhcpsrv2_failover,relationships).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPSRV2_RELSTATS_H
#define DHCPSRV2_RELSTATS_H

#include <glib.h>

/* FSM_STATE values with a name (MS-DHCPM 2.2.1.1.20): 0 NO_STATE .. 11 RECOVER_DONE. */
#define DHCPSRV2_FSM_STATE_COUNT 12

/* The FSM_STATE name of a value, NULL when the value has none. */
const char *dhcpsrv2_fsm_state_name(guint32 state);

/* Registers the relationship table; called from register_dhcpsrv2_stats(). */
void register_dhcpsrv2_relstats(void);

#endif /* DHCPSRV2_RELSTATS_H */
