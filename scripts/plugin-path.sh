# Sourced by the scripts: where a build's plugin is staged.  The Wireshark
# major.minor level of the plugin directory ("4.0", "4.4", "4.6") comes from
# the build (CMake writes it to <build>/wireshark-abi); nothing hard-codes it.

# plugin_abi BUILD_DIR: the major.minor BUILD_DIR was configured for (empty if not configured)
plugin_abi() { cat "$1/wireshark-abi" 2>/dev/null || true; }

# staged_plugin BUILD_DIR: the staged plugin of BUILD_DIR (it may not exist yet)
staged_plugin() { echo "$1/stage/$(plugin_abi "$1")/epan/dhcpsrv2.so"; }
