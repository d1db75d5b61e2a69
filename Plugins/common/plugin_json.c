/*
 * plugin_json.c: the in-place JSON reader declared in plugin_json.h.
 *
 * Every scanner takes a pointer to the first character of a value and returns the pointer just past it,
 * or NULL when the text is not JSON there (then *failure, when given, points at the offending byte). The
 * document is NUL-terminated and a NUL is never valid inside a value, so no scanner reads past the end.
 */
#include "plugin_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 32, MAX_KEY_BYTES = 256 };

static const char *skip_value(const char *p, int depth, const char **failure);

static const char *fail(const char *at, const char **failure) {
    if (failure != NULL) {
        *failure = at;
    }
    return NULL;
}

static const char *skip_whitespace(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
        p++;
    }
    return p;
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

static int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* The four hex digits after "\u" at `p` (p points at the 'u'), or -1. Stops at the first non-hex byte,
   so it never reads past a NUL. */
static int32_t read_hex4(const char *p) {
    int32_t code = 0;
    for (int i = 1; i <= 4; i++) {
        int digit = hex_digit_value(p[i]);
        if (digit < 0) {
            return -1;
        }
        code = code * 16 + digit;
    }
    return code;
}

static const char *skip_string(const char *p, const char **failure) {
    if (*p != '"') {
        return fail(p, failure);
    }
    p++;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            return p + 1;
        }
        if (c < 0x20) { /* a control character, or the end of the text */
            return fail(p, failure);
        }
        if (c != '\\') {
            p++;
            continue;
        }
        p++;
        if (*p == 'u') {
            if (read_hex4(p) < 0) {
                return fail(p, failure);
            }
            p += 5;
        } else if (*p != '\0' && strchr("\"\\/bfnrt", *p) != NULL) {
            p++;
        } else {
            return fail(p, failure);
        }
    }
}

static const char *skip_digits(const char *p) {
    while (is_digit(*p)) {
        p++;
    }
    return p;
}

static const char *skip_number(const char *p, const char **failure) {
    if (*p == '-') {
        p++;
    }
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        p = skip_digits(p);
    } else {
        return fail(p, failure);
    }

    if (*p == '.') {
        p++;
        if (!is_digit(*p)) {
            return fail(p, failure);
        }
        p = skip_digits(p);
    }

    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        if (!is_digit(*p)) {
            return fail(p, failure);
        }
        p = skip_digits(p);
    }
    return p;
}

static const char *skip_literal(const char *p, const char *literal, const char **failure) {
    size_t length = strlen(literal);
    if (strncmp(p, literal, length) != 0) {
        return fail(p, failure);
    }
    return p + length;
}

/* Skips whitespace, `separator`, whitespace; NULL when the separator is not there. */
static const char *skip_separator(const char *p, char separator, const char **failure) {
    p = skip_whitespace(p);
    if (*p != separator) {
        return fail(p, failure);
    }
    return skip_whitespace(p + 1);
}

static const char *skip_object(const char *p, int depth, const char **failure) {
    if (depth >= MAX_DEPTH) {
        return fail(p, failure);
    }
    p = skip_whitespace(p + 1);
    if (*p == '}') {
        return p + 1;
    }
    for (;;) {
        p = skip_string(p, failure);
        if (p == NULL) {
            return NULL;
        }
        p = skip_separator(p, ':', failure);
        if (p == NULL) {
            return NULL;
        }
        p = skip_value(p, depth + 1, failure);
        if (p == NULL) {
            return NULL;
        }
        p = skip_whitespace(p);
        if (*p == '}') {
            return p + 1;
        }
        if (*p != ',') {
            return fail(p, failure);
        }
        p = skip_whitespace(p + 1);
    }
}

static const char *skip_array(const char *p, int depth, const char **failure) {
    if (depth >= MAX_DEPTH) {
        return fail(p, failure);
    }
    p = skip_whitespace(p + 1);
    if (*p == ']') {
        return p + 1;
    }
    for (;;) {
        p = skip_value(p, depth + 1, failure);
        if (p == NULL) {
            return NULL;
        }
        p = skip_whitespace(p);
        if (*p == ']') {
            return p + 1;
        }
        if (*p != ',') {
            return fail(p, failure);
        }
        p = skip_whitespace(p + 1);
    }
}

static const char *skip_value(const char *p, int depth, const char **failure) {
    p = skip_whitespace(p);
    switch (*p) {
    case '{':
        return skip_object(p, depth, failure);
    case '[':
        return skip_array(p, depth, failure);
    case '"':
        return skip_string(p, failure);
    case 't':
        return skip_literal(p, "true", failure);
    case 'f':
        return skip_literal(p, "false", failure);
    case 'n':
        return skip_literal(p, "null", failure);
    default:
        return skip_number(p, failure);
    }
}

int plugin_json_check(const char *text, size_t *error_offset) {
    const char *failure = text;
    const char *end = skip_value(text, 0, &failure);
    if (end != NULL) {
        end = skip_whitespace(end);
        if (*end == '\0') {
            return 0;
        }
        failure = end;
    }
    if (error_offset != NULL) {
        *error_offset = (size_t)(failure - text);
    }
    return -1;
}

plugin_json_type plugin_json_type_of(const char *value) {
    if (value == NULL) {
        return PLUGIN_JSON_INVALID;
    }
    const char *p = skip_whitespace(value);
    switch (*p) {
    case '{':
        return PLUGIN_JSON_OBJECT;
    case '[':
        return PLUGIN_JSON_ARRAY;
    case '"':
        return PLUGIN_JSON_STRING;
    case 't':
        return PLUGIN_JSON_TRUE;
    case 'f':
        return PLUGIN_JSON_FALSE;
    case 'n':
        return PLUGIN_JSON_NULL;
    default:
        return (*p == '-' || is_digit(*p)) ? PLUGIN_JSON_NUMBER : PLUGIN_JSON_INVALID;
    }
}

const char *plugin_json_member(const char *object, const char *key) {
    if (plugin_json_type_of(object) != PLUGIN_JSON_OBJECT) {
        return NULL;
    }
    const char *p = skip_whitespace(skip_whitespace(object) + 1);
    if (*p == '}') {
        return NULL;
    }
    for (;;) {
        char name[MAX_KEY_BYTES];
        int matches = plugin_json_string(p, name, sizeof name) == 0 && strcmp(name, key) == 0;

        p = skip_string(p, NULL);
        p = (p == NULL) ? NULL : skip_separator(p, ':', NULL);
        if (p == NULL || matches) {
            return p;
        }

        p = skip_value(p, 0, NULL);
        if (p == NULL) {
            return NULL;
        }
        p = skip_whitespace(p);
        if (*p != ',') {
            return NULL;
        }
        p = skip_whitespace(p + 1);
    }
}

const char *plugin_json_first(const char *array) {
    if (plugin_json_type_of(array) != PLUGIN_JSON_ARRAY) {
        return NULL;
    }
    const char *p = skip_whitespace(skip_whitespace(array) + 1);
    return (*p == ']' || *p == '\0') ? NULL : p;
}

const char *plugin_json_next(const char *element) {
    const char *p = skip_value(element, 0, NULL);
    if (p == NULL) {
        return NULL;
    }
    p = skip_whitespace(p);
    return (*p == ',') ? skip_whitespace(p + 1) : NULL;
}

/* Appends `code` as UTF-8 at buffer[*used], keeping room for the final NUL. Returns 0, or -1 when full. */
static int append_utf8(char *buffer, size_t capacity, size_t *used, uint32_t code) {
    char bytes[4];
    size_t count;
    if (code < 0x80) {
        bytes[0] = (char)code;
        count = 1;
    } else if (code < 0x800) {
        bytes[0] = (char)(0xC0 | (code >> 6));
        bytes[1] = (char)(0x80 | (code & 0x3F));
        count = 2;
    } else if (code < 0x10000) {
        bytes[0] = (char)(0xE0 | (code >> 12));
        bytes[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        bytes[2] = (char)(0x80 | (code & 0x3F));
        count = 3;
    } else {
        bytes[0] = (char)(0xF0 | (code >> 18));
        bytes[1] = (char)(0x80 | ((code >> 12) & 0x3F));
        bytes[2] = (char)(0x80 | ((code >> 6) & 0x3F));
        bytes[3] = (char)(0x80 | (code & 0x3F));
        count = 4;
    }
    if (*used + count + 1 > capacity) {
        return -1;
    }
    memcpy(buffer + *used, bytes, count);
    *used += count;
    return 0;
}

/* Decodes the escape after the backslash at `p` (p points at the escape letter) into a code point;
   returns the pointer past it, or NULL for \u0000, a lone surrogate or a malformed escape. */
static const char *read_escape(const char *p, uint32_t *code) {
    static const char letters[] = "\"\\/bfnrt";
    static const char values[] = "\"\\/\b\f\n\r\t";
    if (*p != 'u') {
        const char *letter = (*p == '\0') ? NULL : strchr(letters, *p);
        if (letter == NULL) {
            return NULL;
        }
        *code = (uint32_t)(unsigned char)values[letter - letters];
        return p + 1;
    }

    int32_t first = read_hex4(p);
    if (first <= 0 || (first >= 0xDC00 && first <= 0xDFFF)) {
        return NULL;
    }
    if (first < 0xD800 || first > 0xDBFF) {
        *code = (uint32_t)first;
        return p + 5;
    }

    /* A high surrogate must be followed by "\u" and a low one. */
    if (p[5] != '\\' || p[6] != 'u') {
        return NULL;
    }
    int32_t second = read_hex4(p + 6);
    if (second < 0xDC00 || second > 0xDFFF) {
        return NULL;
    }
    *code = 0x10000 + (((uint32_t)first - 0xD800) << 10) + ((uint32_t)second - 0xDC00);
    return p + 11;
}

int plugin_json_string(const char *value, char *buffer, size_t capacity) {
    if (plugin_json_type_of(value) != PLUGIN_JSON_STRING || capacity == 0) {
        return -1;
    }
    const char *p = skip_whitespace(value) + 1;
    size_t used = 0;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            buffer[used] = '\0';
            return 0;
        }
        if (c < 0x20) {
            return -1;
        }
        if (c != '\\') {
            if (used + 2 > capacity) {
                return -1;
            }
            buffer[used++] = (char)c;
            p++;
            continue;
        }
        uint32_t code;
        p = read_escape(p + 1, &code);
        if (p == NULL || append_utf8(buffer, capacity, &used, code) != 0) {
            return -1;
        }
    }
}

int plugin_json_int64(const char *value, int64_t *result) {
    if (plugin_json_type_of(value) != PLUGIN_JSON_NUMBER) {
        return -1;
    }
    const char *start = skip_whitespace(value);
    const char *end = skip_number(start, NULL);
    if (end == NULL) {
        return -1;
    }
    for (const char *p = start; p < end; p++) {
        if (*p == '.' || *p == 'e' || *p == 'E') {
            return -1;
        }
    }

    errno = 0;
    char *parsed_end;
    long long number = strtoll(start, &parsed_end, 10);
    if (errno == ERANGE || parsed_end != end) {
        return -1;
    }
    *result = (int64_t)number;
    return 0;
}
