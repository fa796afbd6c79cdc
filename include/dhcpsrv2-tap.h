/* dhcpsrv2-tap.h -- the record the dhcpsrv2 dissector queues on its tap.
 *
 * This is the only interface between the dissector and the statistics
 * (plugin/stats/failover-model.c and its views) or any third-party tap listener: statistics never
 * re-parse packets.  One record is queued per decoded dhcpsrv2 *response*
 * (and per response of a call that could not be decoded, see `undecoded`)
 * (the request's values ride along, copied from the request by call
 * matching), on every pass, whether or not a tree is being built.
 *
 * Subscribe with register_tap_listener(DHCPSRV2_TAP_NAME, ...); the `data`
 * argument of the packet callback is a `const dhcpsrv2_tap_record *` that is
 * valid only during the callback (packet scope).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DHCPSRV2_TAP_H
#define DHCPSRV2_TAP_H

#include <glib.h>
#include <wsutil/nstime.h>
#include <epan/address.h>

#define DHCPSRV2_TAP_NAME "dhcpsrv2"

/* Opnum of R_DhcpV4FailoverGetScopeStatistics on dhcpsrv2. */
#define DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_STATISTICS 97

/* Consistency checks on DHCP_FAILOVER_STATISTICS and the status, as bits of
 * dhcpsrv2_tap_record.checks.  The dissector raises one expert info per set
 * bit (same condition, same name), so statistics and expert infos agree. */
typedef enum {
    DHCPSRV2_CHECK_FREE_INUSE_MISMATCH   = 1u << 0, /* addr_free + addr_in_use != num_addr */
    DHCPSRV2_CHECK_FREE_SPLIT_MISMATCH   = 1u << 1, /* this + partner free != addr_free */
    DHCPSRV2_CHECK_INUSE_SPLIT_MISMATCH  = 1u << 2, /* this + partner in use != addr_in_use */
    DHCPSRV2_CHECK_SCOPE_EXHAUSTED       = 1u << 3, /* addr_free == 0 */
    DHCPSRV2_CHECK_THIS_SERVER_EXHAUSTED = 1u << 4, /* this_addr_free == 0, partner_addr_free > 0 */
    DHCPSRV2_CHECK_NULL_STATS_SUCCESS    = 1u << 5, /* status 0 but no statistics */
    DHCPSRV2_CHECK_STATS_WITH_ERROR      = 1u << 6  /* statistics present with a failure status */
} dhcpsrv2_check;

#define DHCPSRV2_CHECK_COUNT 7

/* DHCP_FAILOVER_STATISTICS (MS-DHCPM 2.2.1.2.100), in wire order. */
typedef struct dhcpsrv2_failover_counters {
    guint32 num_addr;
    guint32 addr_free;
    guint32 addr_in_use;
    guint32 partner_addr_free;
    guint32 this_addr_free;
    guint32 partner_addr_in_use;
    guint32 this_addr_in_use;
} dhcpsrv2_failover_counters;

/* FSM_STATE (2.2.1.1.20) values used by the statistics. */
#define DHCPSRV2_FSM_NORMAL 3

/* Opnums of the other failover methods that feed statistics. */
#define DHCPSRV2_OPNUM_FAILOVER_GET_RELATIONSHIP        92
#define DHCPSRV2_OPNUM_FAILOVER_ENUM_RELATIONSHIP       93
#define DHCPSRV2_OPNUM_FAILOVER_GET_SCOPE_RELATIONSHIP  96
#define DHCPSRV2_OPNUM_FAILOVER_GET_SYSTEM_TIME         99

/* At most this many scope ids of one relationship are carried in a record. */
#define DHCPSRV2_TAP_MAX_SCOPES 64

/* DHCP_FAILOVER_RELATIONSHIP (2.2.1.2.98) as returned by opnums 92, 93, 96.
 * Strings are NULL when their pointer was NULL or did not decode. */
typedef struct dhcpsrv2_relationship {
    const char *name;
    guint32     primary_server;      /* DHCP_IP_ADDRESS values */
    guint32     secondary_server;
    guint32     mode;                /* DHCP_FAILOVER_MODE: 0 load balance, 1 hot standby */
    guint32     server_type;         /* DHCP_FAILOVER_SERVER: 0 primary, 1 secondary */
    guint32     state;               /* FSM_STATE */
    guint32     prev_state;
    guint32     mclt;                /* seconds */
    guint32     safe_period;         /* seconds; 0xFFFFFFFF = infinite */
    guint8      percentage;
    const char *primary_server_name;
    const char *secondary_server_name;
    guint32     num_scopes;          /* scope count as sent */
    guint32     scopes_stored;       /* min(num_scopes decoded, DHCPSRV2_TAP_MAX_SCOPES) */
    guint32     scopes[DHCPSRV2_TAP_MAX_SCOPES];
    gboolean    complete;            /* every field and string decoded */
} dhcpsrv2_relationship;

/* Which interface a record's call belongs to (opnum spaces differ). */
typedef enum {
    DHCPSRV2_IF_DHCPSRV2 = 0,       /* 5b821720-f63b-11d0-aad2-00c04fc324db */
    DHCPSRV2_IF_DHCPSRV  = 1        /* 6bffd098-a112-3610-9833-46c3f874532d */
} dhcpsrv2_interface;

/* Why a record carries no values (dhcpsrv2_tap_record.undecoded).  Such a
 * record still names the call (interface, opnum, frames, server, client) so
 * that statistics can say why a table is empty; every value field of it is
 * unset and statistics must not use them. */
typedef enum {
    DHCPSRV2_DECODED = 0,           /* the stub was decoded (maybe malformed) */
    DHCPSRV2_UNDECODED_SEALED,      /* packet privacy and Wireshark did not decrypt
                                       the stub: nothing of it is known */
    DHCPSRV2_UNDECODED_UNTRUSTED    /* a stub Wireshark decrypted but that cannot be
                                       trusted (e.g. several sealed PDUs in one TCP
                                       segment get the first one's plaintext) */
} dhcpsrv2_undecoded;

/* Opnums of the MIB methods whose scope counters the statistics cross-check
 * with R_DhcpV4FailoverGetScopeStatistics (interface in the comment). */
#define DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO      22  /* dhcpsrv  R_DhcpGetMibInfo */
#define DHCPSRV2_OPNUM_DHCPSRV_GET_MIB_INFO_VQ   43  /* dhcpsrv  R_DhcpGetMibInfoVQ */
#define DHCPSRV2_OPNUM_GET_MIB_INFO_V5           81  /* dhcpsrv2 R_DhcpGetMibInfoV5 */

/* One scope of a MIB answer (SCOPE_MIB_INFO, _V5, _VQ: the members all three share). */
typedef struct dhcpsrv2_mib_scope {
    guint32 subnet;                 /* DHCP_IP_ADDRESS value */
    guint32 num_addresses_in_use;
    guint32 num_addresses_free;
    guint32 num_pending_offers;
} dhcpsrv2_mib_scope;

typedef struct dhcpsrv2_tap_record {
    guint8      interface_id;       /* dhcpsrv2_interface (0: dhcpsrv2) */
    guint8      undecoded;          /* dhcpsrv2_undecoded (0: decoded) */
    guint16     opnum;              /* operation number within interface_id */
    gboolean    ndr64;              /* transfer syntax of the call */
    gboolean    malformed;          /* the response stub did not decode completely */

    guint32     req_frame;          /* 0 when the request was not seen */
    guint32     rsp_frame;
    nstime_t    response_time;      /* response time - request time (zero if unknown) */

    address     server;             /* RPC server that answered: source of the response */
    address     client;             /* RPC client: destination of the response */
    const char *server_ip_address;  /* request's ServerIpAddress string; NULL when the
                                       pointer was NULL or the request was not decoded */

    gboolean    status_valid;       /* the status DWORD decoded */
    guint32     status;             /* Win32 / DHCP status (0 = ERROR_SUCCESS) */

    /* R_DhcpV4FailoverGetScopeStatistics (opnum 97) */
    gboolean    scope_id_valid;     /* the request's scopeId is known */
    guint32     scope_id;           /* DHCP_IP_ADDRESS value: 192.168.10.0 is 0xC0A80A00 */
    gboolean    stats_present;      /* counters decoded completely */
    dhcpsrv2_failover_counters counters;
    guint32     checks;             /* dhcpsrv2_check bits raised for this response */

    /* R_DhcpV4FailoverGetRelationship (92), EnumRelationship (93) and
     * GetScopeRelationship (96, scope_id above is its scopeId): the
     * relationships in the response, in wire order (packet scope). */
    guint32     n_relationships;
    const dhcpsrv2_relationship *relationships;

    /* R_DhcpV4FailoverGetSystemTime (99) */
    gboolean    system_time_valid;
    guint32     system_time;        /* server clock, seconds since 1970 UTC */
    gint64      clock_offset;       /* system_time - capture time of the response, seconds */

    /* R_DhcpGetMibInfo, _VQ (dhcpsrv) and R_DhcpGetMibInfoV5 (dhcpsrv2): the
     * per-scope counters of a decoded answer, in wire order (packet scope).
     * mib_present: the MIB structure decoded completely. */
    gboolean    mib_present;
    guint32     n_mib_scopes;
    const dhcpsrv2_mib_scope *mib_scopes;
} dhcpsrv2_tap_record;

#endif /* DHCPSRV2_TAP_H */
