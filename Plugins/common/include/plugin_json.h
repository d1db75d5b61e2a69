/*
 * plugin_json.h: a tiny JSON reader for the C example plugins' settings (`catraca_host.settings_json`).
 *
 * It reads in place: a value is a pointer to its first character inside the NUL-terminated document,
 * and nothing is allocated. Call `plugin_json_check` once on the whole document; every other function
 * assumes a checked document and answers "not found" (NULL or -1) for anything of the wrong type.
 *
 * It accepts RFC 8259 JSON only (no comments, no trailing commas), nesting up to 32 levels. Bytes of
 * 0x80 and above inside strings are passed through without UTF-8 validation: the daemon hands plugins
 * settings it has parsed and written again itself. The functions are hidden so that a plugin exports
 * nothing but its entry symbol.
 */
#ifndef PLUGIN_JSON_H
#define PLUGIN_JSON_H

#include <stddef.h>
#include <stdint.h>

#define PLUGIN_JSON_HIDDEN __attribute__((visibility("hidden")))

typedef enum plugin_json_type {
    PLUGIN_JSON_INVALID = 0,
    PLUGIN_JSON_OBJECT,
    PLUGIN_JSON_ARRAY,
    PLUGIN_JSON_STRING,
    PLUGIN_JSON_NUMBER,
    PLUGIN_JSON_TRUE,
    PLUGIN_JSON_FALSE,
    PLUGIN_JSON_NULL,
} plugin_json_type;

/* 0 when `text` is exactly one JSON value (surrounding whitespace allowed); -1 otherwise, with the byte
   offset of the first problem in *error_offset (when not NULL). */
PLUGIN_JSON_HIDDEN int plugin_json_check(const char *text, size_t *error_offset);

/* The type of the value starting at `value` (leading whitespace skipped); INVALID for NULL. */
PLUGIN_JSON_HIDDEN plugin_json_type plugin_json_type_of(const char *value);

/* The value of member `key` of the object at `object`, or NULL when it is absent or `object` is not an
   object. With duplicate keys, the first one wins. */
PLUGIN_JSON_HIDDEN const char *plugin_json_member(const char *object, const char *key);

/* The first element of the array at `array`, or NULL when it is empty or not an array. */
PLUGIN_JSON_HIDDEN const char *plugin_json_first(const char *array);

/* The element after `element` in its array, or NULL after the last one. */
PLUGIN_JSON_HIDDEN const char *plugin_json_next(const char *element);

/* Copies the string at `value`, unescaped and NUL-terminated, into `buffer`. Returns 0; -1 when it is
   not a string, does not fit in `capacity` bytes with its NUL, or contains \u0000. */
PLUGIN_JSON_HIDDEN int plugin_json_string(const char *value, char *buffer, size_t capacity);

/* Reads the number at `value` as a whole int64. Returns 0; -1 when it is not a number, has a fraction
   or an exponent, or is out of range. */
PLUGIN_JSON_HIDDEN int plugin_json_int64(const char *value, int64_t *result);

#endif /* PLUGIN_JSON_H */
