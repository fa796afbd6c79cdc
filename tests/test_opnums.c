/* test_opnums.c
 * Self-check of the X-macro operation lists in plugin/semantics/dhcpsrv-opnums.h.
 *
 * Build: gcc -Wall -Wextra -Iplugin tests/test_opnums.c -o test_opnums
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "dhcpsrv-opnums.h"

typedef struct {
    unsigned    opnum;
    const char *name;
} op_entry;

#define OP_ENTRY(num, name) { num, #name },

static const op_entry dhcpsrv_ops[]  = { DHCPSRV_OPERATIONS(OP_ENTRY) };
static const op_entry dhcpsrv2_ops[] = { DHCPSRV2_OPERATIONS(OP_ENTRY) };

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int passed;
static int failed;

static void
check(int cond, const char *what)
{
    if (cond) {
        passed++;
    } else {
        failed++;
        printf("FAIL: %s\n", what);
    }
}

/* opnums must be exactly 0..n-1 in order: catches gaps, duplicates, reordering */
static void
check_sequence(const op_entry *ops, size_t n, const char *iface)
{
    char   msg[160];
    int    ok = 1;
    size_t i, j;

    for (i = 0; i < n; i++) {
        if (ops[i].opnum != i) {
            snprintf(msg, sizeof msg, "%s: entry %zu has opnum %u", iface, i, ops[i].opnum);
            check(0, msg);
            ok = 0;
        }
    }
    snprintf(msg, sizeof msg, "%s: opnums are 0..%zu in order", iface, n - 1);
    check(ok, msg);

    ok = 1;
    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
            if (strcmp(ops[i].name, ops[j].name) == 0) {
                snprintf(msg, sizeof msg, "%s: name %s at opnums %u and %u",
                         iface, ops[i].name, ops[i].opnum, ops[j].opnum);
                check(0, msg);
                ok = 0;
            }
        }
    }
    snprintf(msg, sizeof msg, "%s: names are unique", iface);
    check(ok, msg);
}

static void
check_name(const op_entry *ops, size_t n, unsigned opnum, const char *expected, const char *iface)
{
    char msg[160];

    snprintf(msg, sizeof msg, "%s opnum %u is %s", iface, opnum, expected);
    check(opnum < n && strcmp(ops[opnum].name, expected) == 0, msg);
}

int
main(void)
{
    check(N_ELEMS(dhcpsrv_ops) == DHCPSRV_OPERATION_COUNT, "dhcpsrv list length == DHCPSRV_OPERATION_COUNT");
    check(N_ELEMS(dhcpsrv2_ops) == DHCPSRV2_OPERATION_COUNT, "dhcpsrv2 list length == DHCPSRV2_OPERATION_COUNT");
    /* spec: dhcpsrv is 0..50 (51 methods), dhcpsrv2 is 0..132 (133 methods) */
    check(DHCPSRV_OPERATION_COUNT == 51, "dhcpsrv has 51 operations");
    check(DHCPSRV2_OPERATION_COUNT == 133, "dhcpsrv2 has 133 operations");

    check_sequence(dhcpsrv_ops, N_ELEMS(dhcpsrv_ops), "dhcpsrv");
    check_sequence(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), "dhcpsrv2");

    check_name(dhcpsrv_ops, N_ELEMS(dhcpsrv_ops), 0, "R_DhcpCreateSubnet", "dhcpsrv");
    check_name(dhcpsrv_ops, N_ELEMS(dhcpsrv_ops), 20, "R_DhcpEnumSubnetClients", "dhcpsrv");
    check_name(dhcpsrv_ops, N_ELEMS(dhcpsrv_ops), 49, "R_DhcpGetSubnetInfoVQ", "dhcpsrv");
    check_name(dhcpsrv_ops, N_ELEMS(dhcpsrv_ops), 50, "R_DhcpSetSubnetInfoVQ", "dhcpsrv");

    check_name(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), 0, "R_DhcpEnumSubnetClientsV5", "dhcpsrv2");
    check_name(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), 88, "R_DhcpEnumSubnetClientsFilterStatusInfo", "dhcpsrv2");
    check_name(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), 89, "R_DhcpV4FailoverCreateRelationship", "dhcpsrv2");
    check_name(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), 97, "R_DhcpV4FailoverGetScopeStatistics", "dhcpsrv2");
    check_name(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), 100, "R_DhcpV4FailoverTriggerAddrAllocation", "dhcpsrv2");
    check_name(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), 125, "R_DhcpV4FailoverGetAddressStatus", "dhcpsrv2");
    check_name(dhcpsrv2_ops, N_ELEMS(dhcpsrv2_ops), 132, "R_DhcpV4GetClientInfoEx", "dhcpsrv2");

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
