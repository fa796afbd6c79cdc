# `cpack -G DEB` in the build directory: one .deb for the Wireshark
# major.minor this build is for, installing dhcpsrv2.so into that version's
# system plugin directory (Wireshark_PLUGIN_INSTALL_DIR/epan, e.g.
# /usr/lib/x86_64-linux-gnu/wireshark/plugins/4.4/epan/) and depending on the
# libwireshark package it was linked with, restricted to that major.minor
# (a plugin loads only into the major.minor it was built for).
#
#   cmake -S . -B build && cmake --build build && (cd build && cpack -G DEB)
#   -> build/wireshark-dhcpsrv2-plugin_<version>+ws<X.Y>_<arch>.deb
#
# The package has its own install component (deb, not installed by a plain
# `cmake --install`, which keeps its per-user/system choice).

# The system plugin directory, relative to /usr (CPack packages under /usr).
set(_ws_prefix "${Wireshark_INSTALL_PREFIX}")
if(NOT _ws_prefix)
  set(_ws_prefix /usr)
endif()
file(RELATIVE_PATH _plugin_reldir "${_ws_prefix}" "${Wireshark_PLUGIN_INSTALL_DIR}/epan")
install(TARGETS dhcpsrv2 LIBRARY DESTINATION "${_plugin_reldir}" COMPONENT deb EXCLUDE_FROM_ALL)

# The Debian package that owns the libwireshark.so.N the plugin links with
# (libwireshark16 for 4.0, libwireshark18 for 4.4, libwireshark19 for 4.6).
find_library(_libwireshark NAMES wireshark PATHS "${Wireshark_LIB_DIR}" NO_DEFAULT_PATH)
get_filename_component(_libwireshark_real "${_libwireshark}" REALPATH)
execute_process(COMMAND dpkg-query -S "${_libwireshark_real}"
                OUTPUT_VARIABLE _owner OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
string(REGEX REPLACE "^([^:]+):.*" "\\1" _libwireshark_pkg "${_owner}")
if(NOT _libwireshark_pkg)
  message(STATUS "deb: no package owns ${_libwireshark_real}; `cpack -G DEB` is unavailable")
  return()
endif()

set(_abi "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
math(EXPR _next_minor "${Wireshark_MINOR_VERSION} + 1")
set(_abi_next "${Wireshark_MAJOR_VERSION}.${_next_minor}")

set(CPACK_GENERATOR DEB)
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};deb;/")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_NAME wireshark-dhcpsrv2-plugin)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}+ws${_abi}")
set(CPACK_PACKAGE_CONTACT "dhcpsrv2 plugin maintainers <dhcpsrv2@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "MS-DHCPM (DHCP Server Management Protocol) dissector for Wireshark ${_abi}")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Wireshark/tshark ${_abi} plugin decoding the dhcpsrv2 and dhcpsrv DCE/RPC\n interfaces of the Windows DHCP Server service, with failover statistics.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)       # libc6, libglib2.0-0(t64), libwireshark
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "${_libwireshark_pkg} (>= ${_abi}), ${_libwireshark_pkg} (<< ${_abi_next}~)")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "wireshark, tshark")
include(CPack)
