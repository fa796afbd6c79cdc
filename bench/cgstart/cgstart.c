/* cgstart.c -- benchmark helper plugin "dhcpsrv2cgstart" (not shipped, not tested).
 *
 * Used only by bench/peer.py, which runs tshark under
 * `valgrind --tool=callgrind --instr-atstart=no`.  It registers a
 * postdissector that switches callgrind's instrumentation on at the end of
 * the first frame and does nothing afterwards.  tshark's start-up before that
 * point (registering ~3 000 dissectors, preferences, name resolution files:
 * ~1.1 G Ir, about 20 s under callgrind) then runs at valgrind's
 * uninstrumented speed, about five times faster.  It does not depend on the
 * capture, so it cancels in the difference between two capture sizes exactly
 * as when it is counted: the marginal figures are unchanged, only the totals
 * lose the constant part (checked in BENCHMARKS.md).  What remains per frame
 * is one call of an empty postdissector, on every side of every comparison.
 * Outside valgrind the request is a no-op.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/packet.h>
#include <valgrind/callgrind.h>

#ifndef PLUGIN_VERSION
#error PLUGIN_VERSION must be defined by the build
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

static int proto_cgstart = -1;
static gboolean started;

static int
start_instrumentation(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree _U_,
                      void *data _U_)
{
    if (!started) {
        started = TRUE;
        CALLGRIND_START_INSTRUMENTATION;
    }
    return 0;
}

static void
register_cgstart(void)
{
    proto_cgstart = proto_register_protocol("callgrind start (benchmark helper)",
                                            "DHCPSRV2CGSTART", "dhcpsrv2cgstart");
}

static void
handoff_cgstart(void)
{
    register_postdissector(create_dissector_handle(start_instrumentation, proto_cgstart));
}

void
plugin_register(void)
{
    static const proto_plugin cgstart = {
        .register_protoinfo = register_cgstart,
        .register_handoff = handoff_cgstart,
    };

    proto_register_plugin(&cgstart);
}
