/*
 * plugin_support.c: the helpers declared in plugin_support.h.
 */
#include "plugin_support.h"
#include "plugin_json.h"

#include <stdio.h>
#include <string.h>

/* The length of `text` cut to at most `limit` bytes without splitting a UTF-8 sequence. */
static size_t utf8_prefix_length(const char *text, size_t limit) {
    size_t length = strnlen(text, limit + 1);
    if (length <= limit) {
        return length;
    }
    length = limit;
    /* Step back over continuation bytes (10xxxxxx) to the start of the sequence that was cut. */
    while (length > 0 && ((unsigned char)text[length] & 0xC0) == 0x80) {
        length--;
    }
    return length;
}

void plugin_copy_text(char *buffer, size_t capacity, const char *text) {
    if (capacity == 0) {
        return;
    }
    size_t length = utf8_prefix_length(text, capacity - 1);
    memcpy(buffer, text, length);
    buffer[length] = '\0';
}

void plugin_log(const catraca_host *host, int32_t level, const char *message, const char *key,
                const char *value) {
    const char *keys[1] = {key};
    const char *values[1] = {value};
    host->log(host->context, level, message, keys, values, key == NULL ? 0 : 1);
}

const char *plugin_checked_settings(const catraca_host *host, const char *plugin) {
    const char *settings = host->settings_json(host->context);
    size_t error_offset = 0;
    if (settings != NULL && plugin_json_check(settings, &error_offset) == 0) {
        return settings;
    }
    char message[128];
    char offset_text[24];
    snprintf(message, sizeof message, "%s settings are not valid JSON", plugin);
    snprintf(offset_text, sizeof offset_text, "%zu", error_offset);
    plugin_log(host, CATRACA_LOG_ERROR, message, "offset", offset_text);
    return NULL;
}
