// Test plugin: on_record never returns, so the daemon's deadline must kill its host.
#include <unistd.h>
#include "catraca_plugin.h"

static int32_t on_record(void *state, const catraca_record *record, catraca_decision *decision) {
    (void)state; (void)record; (void)decision;
    for (;;) pause();
    return 0;
}

static const catraca_plugin plugin = {
    .size = sizeof(catraca_plugin),
    .abi_version = CATRACA_PLUGIN_ABI_VERSION,
    .name = "sleep-forever",
    .version = "1.0",
    .on_record = on_record,
};

const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
