/* test_werror.c
 * Self-check of plugin/semantics/dhcpsrv-werror.c (merged DHCP server / Win32 status names).
 *
 * Build: gcc -Wall -Wextra $(pkg-config --cflags wireshark) -Iplugin \
 *            tests/test_werror.c plugin/semantics/dhcpsrv-werror.c $(pkg-config --libs wireshark)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <wireshark.h>
#include "ws-compat.h"        /* value_string (moved in 4.6) */
#include <epan/wmem_scopes.h>

#include <stdio.h>
#include <string.h>

#include "dhcpsrv-werror.h"

static int passed;
static int failed;

static void
check(gboolean cond, const char *what)
{
    if (cond) {
        passed++;
    } else {
        failed++;
        printf("FAIL: %s\n", what);
    }
}

static void
check_name(guint32 code, const char *expected)
{
    const char *got = dhcpsrv_werror_name(code);
    char        msg[200];

    snprintf(msg, sizeof msg, "0x%08x -> %s (got %s)", code, expected, got ? got : "NULL");
    check(got != NULL && strcmp(got, expected) == 0, msg);
}

int
main(void)
{
    value_string_ext   *vse;
    const value_string *vs;
    guint               n, i;
    gboolean            sorted = TRUE;

    /* value_string_ext_new() allocates from the epan scope, which
     * Wireshark sets up before proto_register; do the same here. */
    wmem_init_scopes();

    check(dhcpsrv_werror_name(0x4E94) == NULL, "name lookup before init returns NULL");

    dhcpsrv_werror_init();
    vse = dhcpsrv_werror_ext();
    check(vse != NULL, "ext table exists after init");
    dhcpsrv_werror_init();      /* idempotent */
    check(dhcpsrv_werror_ext() == vse, "second init keeps the same table");
    if (vse == NULL) {
        printf("%d passed, %d failed\n", passed, failed);
        return 1;
    }

    vs = VALUE_STRING_EXT_VS_P(vse);
    n  = VALUE_STRING_EXT_VS_NUM_ENTRIES(vse);
    check(n > 2000, "merged table holds the Win32 list too");
    check(vs[n].strptr == NULL && vs[n].value == 0, "array ends with {0, NULL}");
    for (i = 0; i < n; i++) {
        if (vs[i].strptr == NULL)
            sorted = FALSE;
        if (i > 0 && vs[i].value <= vs[i - 1].value) {
            printf("  not strictly increasing at %u: 0x%x after 0x%x\n", i, vs[i].value, vs[i - 1].value);
            sorted = FALSE;
        }
    }
    check(sorted, "array sorted strictly increasing, no NULL names before the end");

    /* generic Win32 codes, in their Win32 spelling */
    check_name(0, "ERROR_SUCCESS");
    check_name(2, "ERROR_FILE_NOT_FOUND");
    check_name(5, "ERROR_ACCESS_DENIED");
    check_name(87, "ERROR_INVALID_PARAMETER");
    check_name(234, "ERROR_MORE_DATA");
    check_name(259, "ERROR_NO_MORE_ITEMS");
    check_name(1722, "RPC_S_SERVER_UNAVAILABLE");
    check_name(1753, "EPT_S_NOT_REGISTERED");
    /* a code only the WERR list knows keeps the WERR_ name */
    check_name(1060, "WERR_SERVICE_DOES_NOT_EXIST");

    /* DHCP server errors, dhcpsapi.h values */
    check_name(0x4E20, "ERROR_DHCP_REGISTRY_INIT_FAILED");
    check_name(0x4E25, "ERROR_DHCP_SUBNET_NOT_PRESENT");
    check_name(0x4E43, "ERROR_DHCP_SERVER_INTERFACE_NOTIFICATION_EVENT");
    check_name(0x4E90, "ERROR_SCOPE_RANGE_POLICY_RANGE_CONFLICT");
    check_name(0x4E91, "ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP");
    check_name(0x4E92, "ERROR_DHCP_FO_RELATIONSHIP_EXISTS");
    check_name(0x4E93, "ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST");
    check_name(0x4E94, "ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP");
    check_name(0x4E95, "ERROR_DHCP_FO_RELATION_IS_SECONDARY");
    check_name(20139, "ERROR_LAST_DHCP_SERVER_ERROR");
    check(dhcpsrv_werror_name(20008) == NULL, "gap 20008 has no name");

    check(dhcpsrv_werror_name(0x12345678) == NULL, "unknown 0x12345678 -> NULL");

    {
        const char *via_ext  = try_val_to_str_ext(0x4E94, dhcpsrv_werror_ext());
        const char *via_name = dhcpsrv_werror_name(0x4E94);

        check(via_ext != NULL && via_name != NULL && strcmp(via_ext, via_name) == 0,
              "try_val_to_str_ext(0x4E94) == dhcpsrv_werror_name(0x4E94)");
        check(try_val_to_str_ext(1753, dhcpsrv_werror_ext()) == dhcpsrv_werror_name(1753),
              "try_val_to_str_ext(1753) == dhcpsrv_werror_name(1753)");
        check(try_val_to_str_ext(0x12345678, dhcpsrv_werror_ext()) == NULL,
              "try_val_to_str_ext(0x12345678) == NULL");
    }

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
