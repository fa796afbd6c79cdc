/* dhcpsrv-opnums.h
 * Operation names of the two MS-DHCPM RPC interfaces, as X-macro lists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Source of the names and numbers: [MS-DHCPM] (Microsoft DHCP Server
 * Management Protocol) on Microsoft Learn -- the "Methods in RPC Opnum
 * Order" tables of section 3.1.4 (dhcpsrv) and 3.2.4 (dhcpsrv2), and the
 * method pages 3.1.4.(opnum+1) / 3.2.4.(opnum+1), each of which states
 * "The opnum field value for this method is N".  Names are spelled exactly
 * as the spec prints them.
 *
 * The full order was taken from the spec's Appendix A IDL (as mirrored in
 * oiweiwei/go-msrpc idl/dhcpm.idl, whose "// Opnum N" markers match) and
 * spot-checked against the spec method pages: dhcpsrv 0, 1, 18, 20, 21, 22,
 * 26, 40, 42, 46, 48, 49, 50; dhcpsrv2 9, 11, 40, 57, 72, 88-101, 125, 126,
 * 131.  Cross-checked, with no disagreement, against impacket dhcpm.py
 * (opnums it defines) and the per-opnum files of TheManticoreProject/Manticore.
 *
 * NOTE: dhcpsrv has 51 methods (opnums 0..50), not 50: §3.1.4.51
 * R_DhcpSetSubnetInfoVQ is opnum 50.  dhcpsrv2 has 133 (opnums 0..132).
 *
 * Usage:  #define X(num, name) { num, #name },
 *         static const value_string ops[] = { DHCPSRV_OPERATIONS(X) { 0, NULL } };
 */

#ifndef __DHCPSRV_OPNUMS_H__
#define __DHCPSRV_OPNUMS_H__

/* every operation of dhcpsrv (6bffd098-a112-3610-9833-46c3f874532d v1.0), opnums 0..50 */
#define DHCPSRV_OPERATIONS(X) \
    X(0,  R_DhcpCreateSubnet) \
    X(1,  R_DhcpSetSubnetInfo) \
    X(2,  R_DhcpGetSubnetInfo) \
    X(3,  R_DhcpEnumSubnets) \
    X(4,  R_DhcpAddSubnetElement) \
    X(5,  R_DhcpEnumSubnetElements) \
    X(6,  R_DhcpRemoveSubnetElement) \
    X(7,  R_DhcpDeleteSubnet) \
    X(8,  R_DhcpCreateOption) \
    X(9,  R_DhcpSetOptionInfo) \
    X(10, R_DhcpGetOptionInfo) \
    X(11, R_DhcpRemoveOption) \
    X(12, R_DhcpSetOptionValue) \
    X(13, R_DhcpGetOptionValue) \
    X(14, R_DhcpEnumOptionValues) \
    X(15, R_DhcpRemoveOptionValue) \
    X(16, R_DhcpCreateClientInfo) \
    X(17, R_DhcpSetClientInfo) \
    X(18, R_DhcpGetClientInfo) \
    X(19, R_DhcpDeleteClientInfo) \
    X(20, R_DhcpEnumSubnetClients) \
    X(21, R_DhcpGetClientOptions) \
    X(22, R_DhcpGetMibInfo) \
    X(23, R_DhcpEnumOptions) \
    X(24, R_DhcpSetOptionValues) \
    X(25, R_DhcpServerSetConfig) \
    X(26, R_DhcpServerGetConfig) \
    X(27, R_DhcpScanDatabase) \
    X(28, R_DhcpGetVersion) \
    X(29, R_DhcpAddSubnetElementV4) \
    X(30, R_DhcpEnumSubnetElementsV4) \
    X(31, R_DhcpRemoveSubnetElementV4) \
    X(32, R_DhcpCreateClientInfoV4) \
    X(33, R_DhcpSetClientInfoV4) \
    X(34, R_DhcpGetClientInfoV4) \
    X(35, R_DhcpEnumSubnetClientsV4) \
    X(36, R_DhcpSetSuperScopeV4) \
    X(37, R_DhcpGetSuperScopeInfoV4) \
    X(38, R_DhcpDeleteSuperScopeV4) \
    X(39, R_DhcpServerSetConfigV4) \
    X(40, R_DhcpServerGetConfigV4) \
    X(41, R_DhcpServerSetConfigVQ) \
    X(42, R_DhcpServerGetConfigVQ) \
    X(43, R_DhcpGetMibInfoVQ) \
    X(44, R_DhcpCreateClientInfoVQ) \
    X(45, R_DhcpSetClientInfoVQ) \
    X(46, R_DhcpGetClientInfoVQ) \
    X(47, R_DhcpEnumSubnetClientsVQ) \
    X(48, R_DhcpCreateSubnetVQ) \
    X(49, R_DhcpGetSubnetInfoVQ) \
    X(50, R_DhcpSetSubnetInfoVQ)

/* every operation of dhcpsrv2 (5b821720-f63b-11d0-aad2-00c04fc324db v1.0), opnums 0..132 */
#define DHCPSRV2_OPERATIONS(X) \
    X(0,   R_DhcpEnumSubnetClientsV5) \
    X(1,   R_DhcpSetMScopeInfo) \
    X(2,   R_DhcpGetMScopeInfo) \
    X(3,   R_DhcpEnumMScopes) \
    X(4,   R_DhcpAddMScopeElement) \
    X(5,   R_DhcpEnumMScopeElements) \
    X(6,   R_DhcpRemoveMScopeElement) \
    X(7,   R_DhcpDeleteMScope) \
    X(8,   R_DhcpScanMDatabase) \
    X(9,   R_DhcpCreateMClientInfo) \
    X(10,  R_DhcpSetMClientInfo) \
    X(11,  R_DhcpGetMClientInfo) \
    X(12,  R_DhcpDeleteMClientInfo) \
    X(13,  R_DhcpEnumMScopeClients) \
    X(14,  R_DhcpCreateOptionV5) \
    X(15,  R_DhcpSetOptionInfoV5) \
    X(16,  R_DhcpGetOptionInfoV5) \
    X(17,  R_DhcpEnumOptionsV5) \
    X(18,  R_DhcpRemoveOptionV5) \
    X(19,  R_DhcpSetOptionValueV5) \
    X(20,  R_DhcpSetOptionValuesV5) \
    X(21,  R_DhcpGetOptionValueV5) \
    X(22,  R_DhcpEnumOptionValuesV5) \
    X(23,  R_DhcpRemoveOptionValueV5) \
    X(24,  R_DhcpCreateClass) \
    X(25,  R_DhcpModifyClass) \
    X(26,  R_DhcpDeleteClass) \
    X(27,  R_DhcpGetClassInfo) \
    X(28,  R_DhcpEnumClasses) \
    X(29,  R_DhcpGetAllOptions) \
    X(30,  R_DhcpGetAllOptionValues) \
    X(31,  R_DhcpGetMCastMibInfo) \
    X(32,  R_DhcpAuditLogSetParams) \
    X(33,  R_DhcpAuditLogGetParams) \
    X(34,  R_DhcpServerQueryAttribute) \
    X(35,  R_DhcpServerQueryAttributes) \
    X(36,  R_DhcpServerRedoAuthorization) \
    X(37,  R_DhcpAddSubnetElementV5) \
    X(38,  R_DhcpEnumSubnetElementsV5) \
    X(39,  R_DhcpRemoveSubnetElementV5) \
    X(40,  R_DhcpGetServerBindingInfo) \
    X(41,  R_DhcpSetServerBindingInfo) \
    X(42,  R_DhcpQueryDnsRegCredentials) \
    X(43,  R_DhcpSetDnsRegCredentials) \
    X(44,  R_DhcpBackupDatabase) \
    X(45,  R_DhcpRestoreDatabase) \
    X(46,  R_DhcpGetServerSpecificStrings) \
    X(47,  R_DhcpCreateOptionV6) \
    X(48,  R_DhcpSetOptionInfoV6) \
    X(49,  R_DhcpGetOptionInfoV6) \
    X(50,  R_DhcpEnumOptionsV6) \
    X(51,  R_DhcpRemoveOptionV6) \
    X(52,  R_DhcpSetOptionValueV6) \
    X(53,  R_DhcpEnumOptionValuesV6) \
    X(54,  R_DhcpRemoveOptionValueV6) \
    X(55,  R_DhcpGetAllOptionsV6) \
    X(56,  R_DhcpGetAllOptionValuesV6) \
    X(57,  R_DhcpCreateSubnetV6) \
    X(58,  R_DhcpEnumSubnetsV6) \
    X(59,  R_DhcpAddSubnetElementV6) \
    X(60,  R_DhcpEnumSubnetElementsV6) \
    X(61,  R_DhcpRemoveSubnetElementV6) \
    X(62,  R_DhcpDeleteSubnetV6) \
    X(63,  R_DhcpGetSubnetInfoV6) \
    X(64,  R_DhcpEnumSubnetClientsV6) \
    X(65,  R_DhcpServerSetConfigV6) \
    X(66,  R_DhcpServerGetConfigV6) \
    X(67,  R_DhcpSetSubnetInfoV6) \
    X(68,  R_DhcpGetMibInfoV6) \
    X(69,  R_DhcpGetServerBindingInfoV6) \
    X(70,  R_DhcpSetServerBindingInfoV6) \
    X(71,  R_DhcpSetClientInfoV6) \
    X(72,  R_DhcpGetClientInfoV6) \
    X(73,  R_DhcpDeleteClientInfoV6) \
    X(74,  R_DhcpCreateClassV6) \
    X(75,  R_DhcpModifyClassV6) \
    X(76,  R_DhcpDeleteClassV6) \
    X(77,  R_DhcpEnumClassesV6) \
    X(78,  R_DhcpGetOptionValueV6) \
    X(79,  R_DhcpSetSubnetDelayOffer) \
    X(80,  R_DhcpGetSubnetDelayOffer) \
    X(81,  R_DhcpGetMibInfoV5) \
    X(82,  R_DhcpAddFilterV4) \
    X(83,  R_DhcpDeleteFilterV4) \
    X(84,  R_DhcpSetFilterV4) \
    X(85,  R_DhcpGetFilterV4) \
    X(86,  R_DhcpEnumFilterV4) \
    X(87,  R_DhcpSetDnsRegCredentialsV5) \
    X(88,  R_DhcpEnumSubnetClientsFilterStatusInfo) \
    X(89,  R_DhcpV4FailoverCreateRelationship) \
    X(90,  R_DhcpV4FailoverSetRelationship) \
    X(91,  R_DhcpV4FailoverDeleteRelationship) \
    X(92,  R_DhcpV4FailoverGetRelationship) \
    X(93,  R_DhcpV4FailoverEnumRelationship) \
    X(94,  R_DhcpV4FailoverAddScopeToRelationship) \
    X(95,  R_DhcpV4FailoverDeleteScopeFromRelationship) \
    X(96,  R_DhcpV4FailoverGetScopeRelationship) \
    X(97,  R_DhcpV4FailoverGetScopeStatistics) \
    X(98,  R_DhcpV4FailoverGetClientInfo) \
    X(99,  R_DhcpV4FailoverGetSystemTime) \
    X(100, R_DhcpV4FailoverTriggerAddrAllocation) \
    X(101, R_DhcpV4SetOptionValue) \
    X(102, R_DhcpV4SetOptionValues) \
    X(103, R_DhcpV4GetOptionValue) \
    X(104, R_DhcpV4RemoveOptionValue) \
    X(105, R_DhcpV4GetAllOptionValues) \
    X(106, R_DhcpV4QueryPolicyEnforcement) \
    X(107, R_DhcpV4SetPolicyEnforcement) \
    X(108, R_DhcpV4CreatePolicy) \
    X(109, R_DhcpV4GetPolicy) \
    X(110, R_DhcpV4SetPolicy) \
    X(111, R_DhcpV4DeletePolicy) \
    X(112, R_DhcpV4EnumPolicies) \
    X(113, R_DhcpV4AddPolicyRange) \
    X(114, R_DhcpV4RemovePolicyRange) \
    X(115, R_DhcpV4EnumSubnetClients) \
    X(116, R_DhcpV6SetStatelessStoreParams) \
    X(117, R_DhcpV6GetStatelessStoreParams) \
    X(118, R_DhcpV6GetStatelessStatistics) \
    X(119, R_DhcpV4EnumSubnetReservations) \
    X(120, R_DhcpV4GetFreeIPAddress) \
    X(121, R_DhcpV6GetFreeIPAddress) \
    X(122, R_DhcpV4CreateClientInfo) \
    X(123, R_DhcpV4GetClientInfo) \
    X(124, R_DhcpV6CreateClientInfo) \
    X(125, R_DhcpV4FailoverGetAddressStatus) \
    X(126, R_DhcpV4CreatePolicyEx) \
    X(127, R_DhcpV4GetPolicyEx) \
    X(128, R_DhcpV4SetPolicyEx) \
    X(129, R_DhcpV4EnumPoliciesEx) \
    X(130, R_DhcpV4EnumSubnetClientsEx) \
    X(131, R_DhcpV4CreateClientInfoEx) \
    X(132, R_DhcpV4GetClientInfoEx)

#define DHCPSRV_OPERATION_COUNT  51
#define DHCPSRV2_OPERATION_COUNT 133

#endif /* __DHCPSRV_OPNUMS_H__ */
