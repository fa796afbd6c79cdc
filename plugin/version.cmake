# The plugin's version, read by the standalone build (../CMakeLists.txt,
# project(VERSION)) and the in-tree build (CMakeLists.txt, set_module_info).
set(DHCPSRV2_VERSION_MAJOR 0)
set(DHCPSRV2_VERSION_MINOR 1)
set(DHCPSRV2_VERSION_PATCH 0)
set(DHCPSRV2_VERSION "${DHCPSRV2_VERSION_MAJOR}.${DHCPSRV2_VERSION_MINOR}.${DHCPSRV2_VERSION_PATCH}")
