/* placeholder until the statistics land */
#include <wireshark.h>
#include "dhcpsrv2.h"
void register_dhcpsrv2_stats(void) { }
