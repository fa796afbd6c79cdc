/* dhcpsrv-werror.c
 * Names of the DWORD status codes returned by MS-DHCPM methods.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One table, built once at registration, merged from three sources in
 * this order of precedence (the first one naming a value wins):
 *   1. dhcp_server_errors[]: the DHCP server error codes of dhcpsapi.h.
 *   2. win32_preferred_names[]: Win32 spellings for the generic codes the
 *      MS-DHCPM method pages actually cite.
 *   3. WERR_errors_VALUE_STRING_LIST from packet-windows-common.h (about
 *      2600 Win32 codes).  Only the list macro is used: the WERR_errors /
 *      WERR_errors_ext symbols are not exported to plugins.
 */

#include <stdlib.h>

#include <wireshark.h>
#include <epan/wmem_scopes.h>
#include <epan/dissectors/packet-windows-common.h>

#include "dhcpsrv-werror.h"

/*
 * DHCP server errors, values and names as in dhcpsapi.h (identical to
 * impacket's dhcpm.py constants; see /work/shared/protocol/
 * ms-dhcpm-failover.md section 5).  The header values are what a Windows
 * server returns.  The MS-DHCPM method pages are NOT used for values: they
 * contradict each other and the header (e.g. they print
 * ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST as 0x4E92, the header has 0x4E93;
 * ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP as 0x4E93 on one page and 0x4E94
 * on others).  Names keep the header's own spellings ("..._EXITS").
 * 20035 is not in dhcpsapi.h; it comes from the API page "DHCP Server
 * Management API Error Codes".  20139 ERROR_LAST_DHCP_SERVER_ERROR is the
 * header's end-of-range sentinel, kept so the value never shows as unknown.
 * Must stay sorted by value.
 */
static const value_string dhcp_server_errors[] = {
    { 0x00004E20, "ERROR_DHCP_REGISTRY_INIT_FAILED" },                  /* 20000 */
    { 0x00004E21, "ERROR_DHCP_DATABASE_INIT_FAILED" },                  /* 20001 */
    { 0x00004E22, "ERROR_DHCP_RPC_INIT_FAILED" },                       /* 20002 */
    { 0x00004E23, "ERROR_DHCP_NETWORK_INIT_FAILED" },                   /* 20003 */
    { 0x00004E24, "ERROR_DHCP_SUBNET_EXITS" },                          /* 20004 */
    { 0x00004E25, "ERROR_DHCP_SUBNET_NOT_PRESENT" },                    /* 20005 */
    { 0x00004E26, "ERROR_DHCP_PRIMARY_NOT_FOUND" },                     /* 20006 */
    { 0x00004E27, "ERROR_DHCP_ELEMENT_CANT_REMOVE" },                   /* 20007 */
    { 0x00004E29, "ERROR_DHCP_OPTION_EXITS" },                          /* 20009 */
    { 0x00004E2A, "ERROR_DHCP_OPTION_NOT_PRESENT" },                    /* 20010 */
    { 0x00004E2B, "ERROR_DHCP_ADDRESS_NOT_AVAILABLE" },                 /* 20011 */
    { 0x00004E2C, "ERROR_DHCP_RANGE_FULL" },                            /* 20012 */
    { 0x00004E2D, "ERROR_DHCP_JET_ERROR" },                             /* 20013 */
    { 0x00004E2E, "ERROR_DHCP_CLIENT_EXISTS" },                         /* 20014 */
    { 0x00004E2F, "ERROR_DHCP_INVALID_DHCP_MESSAGE" },                  /* 20015 */
    { 0x00004E30, "ERROR_DHCP_INVALID_DHCP_CLIENT" },                   /* 20016 */
    { 0x00004E31, "ERROR_DHCP_SERVICE_PAUSED" },                        /* 20017 */
    { 0x00004E32, "ERROR_DHCP_NOT_RESERVED_CLIENT" },                   /* 20018 */
    { 0x00004E33, "ERROR_DHCP_RESERVED_CLIENT" },                       /* 20019 */
    { 0x00004E34, "ERROR_DHCP_RANGE_TOO_SMALL" },                       /* 20020 */
    { 0x00004E35, "ERROR_DHCP_IPRANGE_EXITS" },                         /* 20021 */
    { 0x00004E36, "ERROR_DHCP_RESERVEDIP_EXITS" },                      /* 20022 */
    { 0x00004E37, "ERROR_DHCP_INVALID_RANGE" },                         /* 20023 */
    { 0x00004E38, "ERROR_DHCP_RANGE_EXTENDED" },                        /* 20024 */
    { 0x00004E39, "ERROR_EXTEND_TOO_SMALL" },                           /* 20025 */
    { 0x00004E3A, "WARNING_EXTENDED_LESS" },                            /* 20026 */
    { 0x00004E3B, "ERROR_DHCP_JET_CONV_REQUIRED" },                     /* 20027 */
    { 0x00004E3C, "ERROR_SERVER_INVALID_BOOT_FILE_TABLE" },             /* 20028 */
    { 0x00004E3D, "ERROR_SERVER_UNKNOWN_BOOT_FILE_NAME" },              /* 20029 */
    { 0x00004E3E, "ERROR_DHCP_SUPER_SCOPE_NAME_TOO_LONG" },             /* 20030 */
    { 0x00004E40, "ERROR_DHCP_IP_ADDRESS_IN_USE" },                     /* 20032 */
    { 0x00004E41, "ERROR_DHCP_LOG_FILE_PATH_TOO_LONG" },                /* 20033 */
    { 0x00004E42, "ERROR_DHCP_UNSUPPORTED_CLIENT" },                    /* 20034 */
    { 0x00004E43, "ERROR_DHCP_SERVER_INTERFACE_NOTIFICATION_EVENT" },   /* 20035 */
    { 0x00004E44, "ERROR_DHCP_JET97_CONV_REQUIRED" },                   /* 20036 */
    { 0x00004E45, "ERROR_DHCP_ROGUE_INIT_FAILED" },                     /* 20037 */
    { 0x00004E46, "ERROR_DHCP_ROGUE_SAMSHUTDOWN" },                     /* 20038 */
    { 0x00004E47, "ERROR_DHCP_ROGUE_NOT_AUTHORIZED" },                  /* 20039 */
    { 0x00004E48, "ERROR_DHCP_ROGUE_DS_UNREACHABLE" },                  /* 20040 */
    { 0x00004E49, "ERROR_DHCP_ROGUE_DS_CONFLICT" },                     /* 20041 */
    { 0x00004E4A, "ERROR_DHCP_ROGUE_NOT_OUR_ENTERPRISE" },              /* 20042 */
    { 0x00004E4B, "ERROR_DHCP_ROGUE_STANDALONE_IN_DS" },                /* 20043 */
    { 0x00004E4C, "ERROR_DHCP_CLASS_NOT_FOUND" },                       /* 20044 */
    { 0x00004E4D, "ERROR_DHCP_CLASS_ALREADY_EXISTS" },                  /* 20045 */
    { 0x00004E4E, "ERROR_DHCP_SCOPE_NAME_TOO_LONG" },                   /* 20046 */
    { 0x00004E4F, "ERROR_DHCP_DEFAULT_SCOPE_EXITS" },                   /* 20047 */
    { 0x00004E50, "ERROR_DHCP_CANT_CHANGE_ATTRIBUTE" },                 /* 20048 */
    { 0x00004E51, "ERROR_DHCP_IPRANGE_CONV_ILLEGAL" },                  /* 20049 */
    { 0x00004E52, "ERROR_DHCP_NETWORK_CHANGED" },                       /* 20050 */
    { 0x00004E53, "ERROR_DHCP_CANNOT_MODIFY_BINDINGS" },                /* 20051 */
    { 0x00004E54, "ERROR_DHCP_SUBNET_EXISTS" },                         /* 20052 */
    { 0x00004E55, "ERROR_DHCP_MSCOPE_EXISTS" },                         /* 20053 */
    { 0x00004E56, "ERROR_MSCOPE_RANGE_TOO_SMALL" },                     /* 20054 */
    { 0x00004E57, "ERROR_DHCP_EXEMPTION_EXISTS" },                      /* 20055 */
    { 0x00004E58, "ERROR_DHCP_EXEMPTION_NOT_PRESENT" },                 /* 20056 */
    { 0x00004E59, "ERROR_DHCP_INVALID_PARAMETER_OPTION32" },            /* 20057 */
    { 0x00004E66, "ERROR_DDS_NO_DS_AVAILABLE" },                        /* 20070 */
    { 0x00004E67, "ERROR_DDS_NO_DHCP_ROOT" },                           /* 20071 */
    { 0x00004E68, "ERROR_DDS_UNEXPECTED_ERROR" },                       /* 20072 */
    { 0x00004E69, "ERROR_DDS_TOO_MANY_ERRORS" },                        /* 20073 */
    { 0x00004E6A, "ERROR_DDS_DHCP_SERVER_NOT_FOUND" },                  /* 20074 */
    { 0x00004E6B, "ERROR_DDS_OPTION_ALREADY_EXISTS" },                  /* 20075 */
    { 0x00004E6C, "ERROR_DDS_OPTION_DOES_NOT_EXIST" },                  /* 20076 */
    { 0x00004E6D, "ERROR_DDS_CLASS_EXISTS" },                           /* 20077 */
    { 0x00004E6E, "ERROR_DDS_CLASS_DOES_NOT_EXIST" },                   /* 20078 */
    { 0x00004E6F, "ERROR_DDS_SERVER_ALREADY_EXISTS" },                  /* 20079 */
    { 0x00004E70, "ERROR_DDS_SERVER_DOES_NOT_EXIST" },                  /* 20080 */
    { 0x00004E71, "ERROR_DDS_SERVER_ADDRESS_MISMATCH" },                /* 20081 */
    { 0x00004E72, "ERROR_DDS_SUBNET_EXISTS" },                          /* 20082 */
    { 0x00004E73, "ERROR_DDS_SUBNET_HAS_DIFF_SSCOPE" },                 /* 20083 */
    { 0x00004E74, "ERROR_DDS_SUBNET_NOT_PRESENT" },                     /* 20084 */
    { 0x00004E75, "ERROR_DDS_RESERVATION_NOT_PRESENT" },                /* 20085 */
    { 0x00004E76, "ERROR_DDS_RESERVATION_CONFLICT" },                   /* 20086 */
    { 0x00004E77, "ERROR_DDS_POSSIBLE_RANGE_CONFLICT" },                /* 20087 */
    { 0x00004E78, "ERROR_DDS_RANGE_DOES_NOT_EXIST" },                   /* 20088 */
    { 0x00004E79, "ERROR_DHCP_DELETE_BUILTIN_CLASS" },                  /* 20089 */
    { 0x00004E7B, "ERROR_DHCP_INVALID_SUBNET_PREFIX" },                 /* 20091 */
    { 0x00004E7C, "ERROR_DHCP_INVALID_DELAY" },                         /* 20092 */
    { 0x00004E7D, "ERROR_DHCP_LINKLAYER_ADDRESS_EXISTS" },              /* 20093 */
    { 0x00004E7E, "ERROR_DHCP_LINKLAYER_ADDRESS_RESERVATION_EXISTS" },  /* 20094 */
    { 0x00004E7F, "ERROR_DHCP_LINKLAYER_ADDRESS_DOES_NOT_EXIST" },      /* 20095 */
    { 0x00004E85, "ERROR_DHCP_HARDWARE_ADDRESS_TYPE_ALREADY_EXEMPT" },  /* 20101 */
    { 0x00004E86, "ERROR_DHCP_UNDEFINED_HARDWARE_ADDRESS_TYPE" },       /* 20102 */
    { 0x00004E87, "ERROR_DHCP_OPTION_TYPE_MISMATCH" },                  /* 20103 */
    { 0x00004E88, "ERROR_DHCP_POLICY_BAD_PARENT_EXPR" },                /* 20104 */
    { 0x00004E89, "ERROR_DHCP_POLICY_EXISTS" },                         /* 20105 */
    { 0x00004E8A, "ERROR_DHCP_POLICY_RANGE_EXISTS" },                   /* 20106 */
    { 0x00004E8B, "ERROR_DHCP_POLICY_RANGE_BAD" },                      /* 20107 */
    { 0x00004E8C, "ERROR_DHCP_RANGE_INVALID_IN_SERVER_POLICY" },        /* 20108 */
    { 0x00004E8D, "ERROR_DHCP_INVALID_POLICY_EXPRESSION" },             /* 20109 */
    { 0x00004E8E, "ERROR_DHCP_INVALID_PROCESSING_ORDER" },              /* 20110 */
    { 0x00004E8F, "ERROR_DHCP_POLICY_NOT_FOUND" },                      /* 20111 */
    { 0x00004E90, "ERROR_SCOPE_RANGE_POLICY_RANGE_CONFLICT" },          /* 20112 */
    { 0x00004E91, "ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP" },      /* 20113 */
    { 0x00004E92, "ERROR_DHCP_FO_RELATIONSHIP_EXISTS" },                /* 20114 */
    { 0x00004E93, "ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST" },        /* 20115 */
    { 0x00004E94, "ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP" },          /* 20116 */
    { 0x00004E95, "ERROR_DHCP_FO_RELATION_IS_SECONDARY" },              /* 20117 */
    { 0x00004E96, "ERROR_DHCP_FO_NOT_SUPPORTED" },                      /* 20118 */
    { 0x00004E97, "ERROR_DHCP_FO_TIME_OUT_OF_SYNC" },                   /* 20119 */
    { 0x00004E98, "ERROR_DHCP_FO_STATE_NOT_NORMAL" },                   /* 20120 */
    { 0x00004E99, "ERROR_DHCP_NO_ADMIN_PERMISSION" },                   /* 20121 */
    { 0x00004E9A, "ERROR_DHCP_SERVER_NOT_REACHABLE" },                  /* 20122 */
    { 0x00004E9B, "ERROR_DHCP_SERVER_NOT_RUNNING" },                    /* 20123 */
    { 0x00004E9C, "ERROR_DHCP_SERVER_NAME_NOT_RESOLVED" },              /* 20124 */
    { 0x00004E9D, "ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG" },         /* 20125 */
    { 0x00004E9E, "ERROR_DHCP_REACHED_END_OF_SELECTION" },              /* 20126 */
    { 0x00004E9F, "ERROR_DHCP_FO_ADDSCOPE_LEASES_NOT_SYNCED" },         /* 20127 */
    { 0x00004EA0, "ERROR_DHCP_FO_MAX_RELATIONSHIPS" },                  /* 20128 */
    { 0x00004EA1, "ERROR_DHCP_FO_IPRANGE_TYPE_CONV_ILLEGAL" },          /* 20129 */
    { 0x00004EA2, "ERROR_DHCP_FO_MAX_ADD_SCOPES" },                     /* 20130 */
    { 0x00004EA3, "ERROR_DHCP_FO_BOOT_NOT_SUPPORTED" },                 /* 20131 */
    { 0x00004EA4, "ERROR_DHCP_FO_RANGE_PART_OF_REL" },                  /* 20132 */
    { 0x00004EA5, "ERROR_DHCP_FO_SCOPE_SYNC_IN_PROGRESS" },             /* 20133 */
    { 0x00004EA6, "ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED" },              /* 20134 */
    { 0x00004EA7, "ERROR_DHCP_POLICY_FQDN_RANGE_UNSUPPORTED" },         /* 20135 */
    { 0x00004EA8, "ERROR_DHCP_POLICY_FQDN_OPTION_UNSUPPORTED" },        /* 20136 */
    { 0x00004EA9, "ERROR_DHCP_POLICY_EDIT_FQDN_UNSUPPORTED" },          /* 20137 */
    { 0x00004EAA, "ERROR_DHCP_NAP_NOT_SUPPORTED" },                     /* 20138 */
    { 0x00004EAB, "ERROR_LAST_DHCP_SERVER_ERROR" },                     /* 20139 */
};

/*
 * The WERR list spells every Win32 code with a WERR_ prefix (WERR_OK,
 * WERR_MORE_DATA, WERR_RPC_S_SERVER_UNAVAILABLE, ...).  MS-DHCPM and
 * winerror.h use ERROR_SUCCESS, ERROR_MORE_DATA, RPC_S_SERVER_UNAVAILABLE;
 * there is no mechanical WERR_ -> Win32 rename (RPC_S_, EPT_S_, DNS_ERROR_
 * ... carry no ERROR_ prefix), so the Win32 spelling is given explicitly
 * for the codes these methods return or that show up around them; all other
 * Win32 codes keep the WERR_ name.  Must stay sorted by value.
 */
static const value_string win32_preferred_names[] = {
    { 0,    "ERROR_SUCCESS" },
    { 1,    "ERROR_INVALID_FUNCTION" },
    { 2,    "ERROR_FILE_NOT_FOUND" },
    { 3,    "ERROR_PATH_NOT_FOUND" },
    { 5,    "ERROR_ACCESS_DENIED" },
    { 6,    "ERROR_INVALID_HANDLE" },
    { 8,    "ERROR_NOT_ENOUGH_MEMORY" },
    { 13,   "ERROR_INVALID_DATA" },
    { 14,   "ERROR_OUTOFMEMORY" },
    { 50,   "ERROR_NOT_SUPPORTED" },
    { 87,   "ERROR_INVALID_PARAMETER" },
    { 120,  "ERROR_CALL_NOT_IMPLEMENTED" },
    { 122,  "ERROR_INSUFFICIENT_BUFFER" },
    { 183,  "ERROR_ALREADY_EXISTS" },
    { 234,  "ERROR_MORE_DATA" },
    { 259,  "ERROR_NO_MORE_ITEMS" },
    { 1168, "ERROR_NOT_FOUND" },
    { 1359, "ERROR_INTERNAL_ERROR" },
    { 1717, "RPC_S_UNKNOWN_IF" },
    { 1722, "RPC_S_SERVER_UNAVAILABLE" },
    { 1723, "RPC_S_SERVER_TOO_BUSY" },
    { 1726, "RPC_S_CALL_FAILED" },
    { 1727, "RPC_S_CALL_FAILED_DNE" },
    { 1745, "RPC_S_PROCNUM_OUT_OF_RANGE" },
    { 1753, "EPT_S_NOT_REGISTERED" },
    { 1783, "RPC_X_BAD_STUB_DATA" },
};

#define WERR_ENTRY(name, val) { val, #name },
static const value_string win32_werr_names[] = {
    WERR_errors_VALUE_STRING_LIST(WERR_ENTRY)
};
#undef WERR_ENTRY

typedef struct {
    guint32     value;
    guint       rank;   /* lower wins on equal values */
    const char *name;
} werror_candidate;

static value_string     *merged_errors;      /* sorted, unique, {0, NULL}-terminated */
static guint             merged_count;       /* entries, terminator excluded */
static value_string_ext *merged_errors_ext;

static int
compare_candidates(const void *a, const void *b)
{
    const werror_candidate *ca = (const werror_candidate *)a;
    const werror_candidate *cb = (const werror_candidate *)b;

    if (ca->value != cb->value)
        return ca->value < cb->value ? -1 : 1;
    if (ca->rank != cb->rank)
        return ca->rank < cb->rank ? -1 : 1;
    return 0;
}

static guint
add_candidates(werror_candidate *out, const value_string *vs, guint n, guint rank)
{
    guint i;

    for (i = 0; i < n; i++) {
        out[i].value = vs[i].value;
        out[i].rank  = rank;
        out[i].name  = vs[i].strptr;
    }
    return n;
}

void
dhcpsrv_werror_init(void)
{
    werror_candidate *cand;
    guint             n_cand = 0;
    guint             total, i;

    if (merged_errors_ext)
        return;

    total = (guint)(G_N_ELEMENTS(dhcp_server_errors) + G_N_ELEMENTS(win32_preferred_names) +
                    G_N_ELEMENTS(win32_werr_names));
    cand = g_new(werror_candidate, total);
    n_cand += add_candidates(cand + n_cand, dhcp_server_errors, G_N_ELEMENTS(dhcp_server_errors), 0);
    n_cand += add_candidates(cand + n_cand, win32_preferred_names, G_N_ELEMENTS(win32_preferred_names), 1);
    n_cand += add_candidates(cand + n_cand, win32_werr_names, G_N_ELEMENTS(win32_werr_names), 2);

    /* Sort rather than trust the inputs' order: value_string_ext falls back
     * to a linear scan (with a warning) on an unsorted array. */
    qsort(cand, n_cand, sizeof cand[0], compare_candidates);

    merged_errors = g_new(value_string, n_cand + 1);
    merged_count  = 0;
    for (i = 0; i < n_cand; i++) {
        if (merged_count > 0 && merged_errors[merged_count - 1].value == cand[i].value)
            continue;   /* a higher-ranked source already named this value */
        merged_errors[merged_count].value  = cand[i].value;
        merged_errors[merged_count].strptr = cand[i].name;
        merged_count++;
    }
    merged_errors[merged_count].value  = 0;
    merged_errors[merged_count].strptr = NULL;
    g_free(cand);

    /* value_string_ext_new() counts the {0, NULL} terminator (it asserts
     * vs[n-1].strptr == NULL and stores n-1).  It allocates from the epan
     * scope, which exists by the time proto_register runs. */
    merged_errors_ext = compat_value_string_ext_new(wmem_epan_scope(), merged_errors,
                                                    merged_count + 1, "dhcpsrv_werror");
}

value_string_ext *
dhcpsrv_werror_ext(void)
{
    return merged_errors_ext;
}

const char *
dhcpsrv_werror_name(guint32 code)
{
    guint lo = 0, hi = merged_count;

    /* merged_count is 0 before init, so this returns NULL then */
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (merged_errors[mid].value == code)
            return merged_errors[mid].strptr;
        if (merged_errors[mid].value < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
