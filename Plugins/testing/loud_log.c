// Test plugin: every on_record logs a 4 MiB message, then a line that tries to forge another with a newline,
// an ESC and a key holding a space, `=` and a newline; then allows.
#include <stdlib.h>
#include <string.h>
#include "catraca_plugin.h"

static const catraca_host *host;

static void *loud_open(const catraca_host *given) {
    host = given;
    return (void *)&host;
}

static int32_t on_record(void *state, const catraca_record *record, catraca_decision *decision) {
    (void)state;
    (void)record;
    size_t size = 4 << 20;
    char *huge = malloc(size + 1);
    if (huge == NULL) return 1;
    memset(huge, 'm', size);
    huge[size] = '\0';
    host->log(host->context, CATRACA_LOG_INFO, huge, NULL, NULL, 0);
    free(huge);

    const char *keys[] = {"evil key=x\nFORGED-KEY"};
    const char *values[] = {"v\nFORGED-VALUE"};
    host->log(host->context, CATRACA_LOG_WARNING, "ok\nFORGED-LINE \x1b[2J", keys, values, 1);
    decision->access = CATRACA_ALLOW;
    return 0;
}

static const catraca_plugin plugin = {
    .size = sizeof(catraca_plugin),
    .abi_version = CATRACA_PLUGIN_ABI_VERSION,
    .name = "loud-log",
    .version = "1.0",
    .open = loud_open,
    .on_record = on_record,
};

const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
