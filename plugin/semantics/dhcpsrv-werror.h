/* dhcpsrv-werror.h
 * Names of the DWORD status codes returned by MS-DHCPM methods: the DHCP
 * server errors of dhcpsapi.h (20000..20139) merged with the Win32 codes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef __DHCPSRV_WERROR_H__
#define __DHCPSRV_WERROR_H__

#include "ws-compat.h"        /* value_string (moved in 4.6) */

/* Builds, once, the merged table of MS-DHCPM server errors and Win32 codes; call from proto_register. Idempotent. */
void dhcpsrv_werror_init(void);

/* The table for an hf's `strings` member (with BASE_HEX|BASE_EXT_STRING); valid after dhcpsrv_werror_init(). */
value_string_ext *dhcpsrv_werror_ext(void);

/* Name of a status code, or NULL when unknown. Valid after init. Must be cheap (binary search). */
const char *dhcpsrv_werror_name(guint32 code);

#endif /* __DHCPSRV_WERROR_H__ */
