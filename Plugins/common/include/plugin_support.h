/*
 * plugin_support.h: small helpers the C example plugins share: bounded UTF-8 text and one-line logging
 * through the host. Hidden, like the JSON reader, so a plugin exports only its entry symbol.
 */
#ifndef PLUGIN_SUPPORT_H
#define PLUGIN_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "catraca_plugin.h"

#define PLUGIN_SUPPORT_HIDDEN __attribute__((visibility("hidden")))

/* Copies `text` into `buffer` of `capacity` bytes, NUL-terminated, cut before a UTF-8 sequence that
   would not fit whole (a terminal's screen should never get half a character). */
PLUGIN_SUPPORT_HIDDEN void plugin_copy_text(char *buffer, size_t capacity, const char *text);

/* Logs `message` through the host with one key=value pair, or none when `key` is NULL. */
PLUGIN_SUPPORT_HIDDEN void plugin_log(const catraca_host *host, int32_t level, const char *message,
                                      const char *key, const char *value);

/* The plugin's settings (`settings_json`) once checked as JSON; NULL, after an error line naming `plugin`
   and the offset of the fault, when they are not. */
PLUGIN_SUPPORT_HIDDEN const char *plugin_checked_settings(const catraca_host *host, const char *plugin);

#endif /* PLUGIN_SUPPORT_H */
