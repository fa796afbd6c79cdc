/* dhcpm-options.h -- option values by option id (hand-written meaning over
 * the table-driven decoder).
 *
 * A DHCP_OPTION_DATA_ELEMENT only says its wire type (a DWORD, an address, a
 * string).  When the option id is known from the same stub (the OptionID /
 * OptionId parameter, DHCP_OPTION_VALUE.OptionID, DHCP_OPTION.OptionID before
 * its DefaultValue), the elements of the standard options get a generated
 * item with their meaning: dhcpsrv2.option_value.router as an IPv4 address,
 * the lease time as a duration, the NetBIOS node type by name, ...
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPM_OPTIONS_H
#define DHCPM_OPTIONS_H

#include <epan/packet.h>

#include "ndr-type.h"

typedef struct dhcpm_options_state {
    guint8 iface;               /* dhcpsrv2_interface */
    guint8 family;              /* 4: DHCPv4 option ids, 6: DHCPv6 (the *V6 methods), 0: off */
} dhcpm_options_state;

/* Registers the fields under both protocols and finds the generated fields
 * it listens to (by their names in `desc`). */
void dhcpm_options_register(int dhcpsrv_id, int dhcpsrv2_id, const ndrt_desc *desc);

/* Before a stub of method `method_name` is decoded with `ctx`: binds the
 * leaf hook when the method carries options. */
void dhcpm_options_begin(dhcpm_options_state *st, ndrt_ctx *ctx, const char *method_name,
                         guint iface);

/* The option's name when `field` is an option id field, else NULL (Info). */
const char *dhcpm_options_id_name(const dhcpm_options_state *st, guint16 field, guint64 id);

#endif
