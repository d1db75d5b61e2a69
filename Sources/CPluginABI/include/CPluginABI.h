// The plugin ABI for the Swift plugin host: the header itself lives with the plugins, where integrators find it.
#ifndef CATRACA_CPLUGINABI_H
#define CATRACA_CPLUGINABI_H

#include "../../../Plugins/include/catraca_plugin.h"

/// Calls the entry symbol found with dlsym: Swift cannot call a `void *` as a C function without a cast
/// that hides the signature, so the signature is stated once here.
const catraca_plugin *cpluginabi_call_entry(void *symbol, uint32_t host_abi_version);

#endif
