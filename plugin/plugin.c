/* plugin.c -- the symbols a Wireshark plugin exports: the four of 4.0, and
 * plugin_describe() where it exists (4.2+), so that `tshark -G plugins`
 * lists it as a dissector.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "dhcpsrv2.h"
#include "ws-compat.h"

#ifndef PLUGIN_VERSION
#error PLUGIN_VERSION must be defined by the build
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

COMPAT_PLUGIN_DESCRIBE(WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER)

void
plugin_register(void)
{
    /* Registration is only queued here; epan calls these back in order. */
    static const proto_plugin dhcpsrv_proto = {
        .register_protoinfo = proto_register_dhcpsrv,
        .register_handoff = proto_reg_handoff_dhcpsrv,
    };
    static const tap_plugin dhcpsrv_stats = {
        .register_tap_listener = register_dhcpsrv2_stats,
    };

    proto_register_plugin(&dhcpsrv_proto);
    tap_register_plugin(&dhcpsrv_stats);
}
