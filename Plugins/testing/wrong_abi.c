// Test plugin: claims ABI version 99, newer than any host; the host must refuse it and say both versions.
#include "catraca_plugin.h"

static const catraca_plugin plugin = {
    .size = sizeof(catraca_plugin),
    .abi_version = 99,
    .name = "wrong-abi",
    .version = "1.0",
};

const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
