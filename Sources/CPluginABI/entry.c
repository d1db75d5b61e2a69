#include "CPluginABI.h"

const catraca_plugin *cpluginabi_call_entry(void *symbol, uint32_t host_abi_version) {
    const catraca_plugin *(*entry)(uint32_t) = (const catraca_plugin *(*)(uint32_t))symbol;
    return entry(host_abi_version);
}
