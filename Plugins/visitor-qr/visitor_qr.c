/*
 * visitor-qr: visitor QR codes, each valid between two site times and usable once.
 *
 * Settings (plugins.settings.visitor-qr in the config file):
 *
 *     {"codes": [{"code": "V-7F3A", "name": "Ana Lima", "enrollid": 90001,
 *                 "from": "2026-05-04 08:00:00", "until": "2026-05-04 18:00:00"}, ...],
 *      "unknown": "deny"}
 *
 *   codes    every visitor code: its text (at most 200 bytes, unique), the visitor's name (shown as
 *            "Welcome NAME" and sent as the username), the enrollid the terminal records the visit under,
 *            and the site local times it is valid from and until, both included.
 *   unknown  what a code not in the list gets: "deny" (default, "Unknown code") or "abstain", when another
 *            plugin or the site's default should judge other codes.
 *
 * A valid code read for the first time is allowed and marked used in the plugin's store ("used/<code>",
 * holding the site time of its use), so a second read is refused with "Code already used", also after a
 * restart. The host answers a terminal's resend of the same read with the first decision, so a resend is
 * not a second use. Times are compared as text, which orders correctly because the format is fixed.
 *
 * Build outside the package (from the repository's top):
 *     cc -shared -fPIC -O2 -I Plugins/include -I Plugins/common/include \
 *         Plugins/visitor-qr/visitor_qr.c Plugins/common/plugin_json.c Plugins/common/plugin_support.c \
 *         -o libvisitor-qr.so
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catraca_plugin.h"
#include "plugin_json.h"
#include "plugin_support.h"

enum {
    CODE_CAPACITY = 201,
    NAME_CAPACITY = 64,
    TIME_CAPACITY = 20, /* "YYYY-MM-DD HH:MM:SS" and its NUL */
    KEY_CAPACITY = 8 + CODE_CAPACITY,
};

typedef struct visitor_code {
    char code[CODE_CAPACITY];
    char name[NAME_CAPACITY];
    int64_t enrollid;
    char from[TIME_CAPACITY];
    char until[TIME_CAPACITY];
} visitor_code;

typedef struct visitor_qr {
    const catraca_host *host;
    int32_t unknown_access; /* CATRACA_DENY or CATRACA_ABSTAIN */
    size_t count;
    visitor_code *codes;
} visitor_qr;

/* 1 when `text` has the exact shape "YYYY-MM-DD HH:MM:SS" (digits and separators; ranges not checked). */
static int is_site_time(const char *text) {
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    if (strlen(text) != sizeof shape - 1) {
        return 0;
    }
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        int matches = (shape[i] == 'd') ? (text[i] >= '0' && text[i] <= '9') : (text[i] == shape[i]);
        if (!matches) {
            return 0;
        }
    }
    return 1;
}

static void log_code_error(const catraca_host *host, size_t index, const char *problem) {
    char index_text[24];
    snprintf(index_text, sizeof index_text, "%zu", index);
    plugin_log(host, CATRACA_LOG_ERROR, problem, "codes_index", index_text);
}

/* Reads one element of "codes" into `code`; 0, or -1 after logging what is wrong with it. */
static int read_visitor_code(const catraca_host *host, const char *object, size_t index, visitor_code *code) {
    if (plugin_json_string(plugin_json_member(object, "code"), code->code, sizeof code->code) != 0
        || code->code[0] == '\0') {
        log_code_error(host, index, "visitor-qr settings: \"code\" must be a non-empty string of at most 200 bytes");
        return -1;
    }
    if (plugin_json_string(plugin_json_member(object, "name"), code->name, sizeof code->name) != 0) {
        log_code_error(host, index, "visitor-qr settings: \"name\" must be a string of at most 63 bytes");
        return -1;
    }
    if (plugin_json_int64(plugin_json_member(object, "enrollid"), &code->enrollid) != 0 || code->enrollid < 0) {
        log_code_error(host, index, "visitor-qr settings: \"enrollid\" must be a whole number, 0 or more");
        return -1;
    }
    if (plugin_json_string(plugin_json_member(object, "from"), code->from, sizeof code->from) != 0
        || !is_site_time(code->from)
        || plugin_json_string(plugin_json_member(object, "until"), code->until, sizeof code->until) != 0
        || !is_site_time(code->until)) {
        log_code_error(host, index, "visitor-qr settings: \"from\" and \"until\" must be \"YYYY-MM-DD HH:MM:SS\"");
        return -1;
    }
    if (strcmp(code->from, code->until) > 0) {
        log_code_error(host, index, "visitor-qr settings: \"from\" is after \"until\"");
        return -1;
    }
    return 0;
}

static const visitor_code *find_code(const visitor_qr *plugin, const char *text) {
    for (size_t i = 0; i < plugin->count; i++) {
        if (strcmp(plugin->codes[i].code, text) == 0) {
            return &plugin->codes[i];
        }
    }
    return NULL;
}

/* Reads the "codes" array into plugin->codes; 0, or -1 after logging why. */
static int read_codes(visitor_qr *plugin, const char *settings) {
    const char *array = plugin_json_member(settings, "codes");
    if (array != NULL && plugin_json_type_of(array) != PLUGIN_JSON_ARRAY) {
        plugin_log(plugin->host, CATRACA_LOG_ERROR, "visitor-qr settings: \"codes\" must be an array", NULL, NULL);
        return -1;
    }

    size_t count = 0;
    for (const char *element = plugin_json_first(array); element != NULL; element = plugin_json_next(element)) {
        count++;
    }
    plugin->codes = calloc(count == 0 ? 1 : count, sizeof *plugin->codes);
    if (plugin->codes == NULL) {
        plugin_log(plugin->host, CATRACA_LOG_ERROR, "visitor-qr: out of memory reading the codes", NULL, NULL);
        return -1;
    }

    for (const char *element = plugin_json_first(array); element != NULL; element = plugin_json_next(element)) {
        visitor_code *code = &plugin->codes[plugin->count];
        if (plugin_json_type_of(element) != PLUGIN_JSON_OBJECT) {
            log_code_error(plugin->host, plugin->count, "visitor-qr settings: each code must be an object");
            return -1;
        }
        if (read_visitor_code(plugin->host, element, plugin->count, code) != 0) {
            return -1;
        }
        if (find_code(plugin, code->code) != NULL) {
            log_code_error(plugin->host, plugin->count, "visitor-qr settings: this code is listed twice");
            return -1;
        }
        plugin->count++;
    }
    return 0;
}

/* Reads "unknown" into plugin->unknown_access; 0, or -1 after logging why. */
static int read_unknown_policy(visitor_qr *plugin, const char *settings) {
    const char *value = plugin_json_member(settings, "unknown");
    char policy[16] = "deny";
    if (value != NULL && plugin_json_string(value, policy, sizeof policy) != 0) {
        policy[0] = '\0';
    }
    if (strcmp(policy, "deny") == 0) {
        plugin->unknown_access = CATRACA_DENY;
    } else if (strcmp(policy, "abstain") == 0) {
        plugin->unknown_access = CATRACA_ABSTAIN;
    } else {
        plugin_log(plugin->host, CATRACA_LOG_ERROR, "visitor-qr settings: \"unknown\" must be \"deny\" or \"abstain\"",
                   NULL, NULL);
        return -1;
    }
    return 0;
}

static void close_plugin(void *state) {
    visitor_qr *plugin = state;
    if (plugin != NULL) {
        free(plugin->codes);
        free(plugin);
    }
}

static void *open_plugin(const catraca_host *host) {
    const char *settings = plugin_checked_settings(host, "visitor-qr");
    if (settings == NULL) {
        return NULL;
    }

    visitor_qr *plugin = calloc(1, sizeof *plugin);
    if (plugin == NULL) {
        plugin_log(host, CATRACA_LOG_ERROR, "visitor-qr: out of memory at open", NULL, NULL);
        return NULL;
    }
    plugin->host = host;

    if (read_unknown_policy(plugin, settings) != 0 || read_codes(plugin, settings) != 0) {
        close_plugin(plugin);
        return NULL;
    }
    return plugin;
}

static void refuse(catraca_decision *decision, const char *message) {
    decision->access = CATRACA_DENY;
    plugin_copy_text(decision->message, sizeof decision->message, message);
}

static void welcome(catraca_decision *decision, const visitor_code *code) {
    char message[sizeof "Welcome " + NAME_CAPACITY];
    snprintf(message, sizeof message, "Welcome %s", code->name);

    decision->access = CATRACA_ALLOW;
    decision->enrollid = code->enrollid;
    plugin_copy_text(decision->username, sizeof decision->username, code->name);
    plugin_copy_text(decision->message, sizeof decision->message, message);
}

/* 1 when the code was used before, 0 when not, -1 when the store failed (logged). */
static int code_was_used(const visitor_qr *plugin, const char *key) {
    char value[TIME_CAPACITY];
    size_t length = 0;
    int32_t status = plugin->host->kv_get(plugin->host->context, key, value, sizeof value, &length);
    if (status < 0) {
        plugin_log(plugin->host, CATRACA_LOG_ERROR, "visitor-qr could not read its store", NULL, NULL);
        return -1;
    }
    return status == 0;
}

static int32_t on_qrcode(void *state, const catraca_qrcode *qrcode, catraca_decision *decision) {
    const visitor_qr *plugin = state;
    const catraca_host *host = plugin->host;

    const visitor_code *code = (qrcode->code == NULL) ? NULL : find_code(plugin, qrcode->code);
    if (code == NULL) {
        if (plugin->unknown_access == CATRACA_DENY) {
            refuse(decision, "Unknown code");
        }
        return 0;
    }

    char now[32];
    int32_t weekday = 0;
    if (host->site_time(host->context, host->now_ms(host->context), now, sizeof now, &weekday) != 0) {
        plugin_log(host, CATRACA_LOG_ERROR, "visitor-qr could not read the site time", NULL, NULL);
        return -1;
    }
    if (strcmp(now, code->from) < 0) {
        refuse(decision, "Code not valid yet");
        return 0;
    }
    if (strcmp(now, code->until) > 0) {
        refuse(decision, "Code expired");
        return 0;
    }

    char key[KEY_CAPACITY];
    snprintf(key, sizeof key, "used/%s", code->code);
    int used = code_was_used(plugin, key);
    if (used < 0) {
        return -1;
    }
    if (used) {
        refuse(decision, "Code already used");
        return 0;
    }

    /* Marked used before the allow is written: a code that cannot be marked must not open twice. */
    if (host->kv_set(host->context, key, now, strlen(now)) != 0) {
        plugin_log(host, CATRACA_LOG_ERROR,
                   "visitor-qr could not mark a code used, so it does not allow it; the site's fallback applies",
                   NULL, NULL);
        return -1;
    }
    welcome(decision, code);
    return 0;
}

static const catraca_plugin descriptor = {
    .size = sizeof(catraca_plugin),
    .abi_version = CATRACA_PLUGIN_ABI_VERSION,
    .name = "visitor-qr",
    .version = "1.0.0",
    .open = open_plugin,
    .close = close_plugin,
    .on_register = NULL,
    .on_record = NULL,
    .on_qrcode = on_qrcode,
    .on_passage = NULL,
    .on_unauthorised_rotation = NULL,
};

const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version) {
    return host_abi_version >= 1 ? &descriptor : NULL;
}
