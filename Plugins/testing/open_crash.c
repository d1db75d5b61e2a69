// Test plugin: `open` writes through a NULL pointer, so every start of its host ends before it opens.
#include <stddef.h>
#include "catraca_plugin.h"

static void *crash_open(const catraca_host *host) {
    (void)host;
    volatile int *nowhere = NULL;
    *nowhere = 1;
    return NULL;
}

static int32_t on_record(void *state, const catraca_record *record, catraca_decision *decision) {
    (void)state;
    (void)record;
    decision->access = CATRACA_DENY;
    return 0;
}

static const catraca_plugin plugin = {
    .size = sizeof(catraca_plugin),
    .abi_version = CATRACA_PLUGIN_ABI_VERSION,
    .name = "open-crash",
    .version = "1.0",
    .open = crash_open,
    .on_record = on_record,
};

const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
