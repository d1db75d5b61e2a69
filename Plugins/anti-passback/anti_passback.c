/*
 * anti-passback: no second entry without an exit, per person (enrollid).
 *
 * Settings (plugins.settings.anti-passback in the config file):
 *
 *     {"entry": ["SN-ENTRY-1", ...], "exit": ["SN-EXIT-1", ...]}
 *
 *   entry  serial numbers of the terminals on the way in. A record from one of them, for a person who is
 *          inside, is refused with "Already inside". Other records get no opinion (abstain).
 *   exit   serial numbers of the terminals on the way out. Their records are never refused; the list is
 *          there so that a terminal named on both lists is caught as a mistake at start.
 *   Both lists are optional (empty by default), with at most 64 terminals each.
 *
 * Who is inside comes from passages, not records: a turnstile that turned towards "entry" puts its person
 * inside, one that turned towards "exit" takes them out. A record alone proves nothing, since the person
 * may turn back. The state is one key per person in the plugin's store ("inside/<enrollid>", present
 * while inside), so it survives restarts of the plugin host and of the daemon.
 *
 * Build outside the package (from the repository's top):
 *     cc -shared -fPIC -O2 -I Plugins/include -I Plugins/common/include \
 *         Plugins/anti-passback/anti_passback.c Plugins/common/plugin_json.c Plugins/common/plugin_support.c \
 *         -o libanti-passback.so
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catraca_plugin.h"
#include "plugin_json.h"
#include "plugin_support.h"

enum { MAX_TERMINALS = 64, SN_CAPACITY = 64, KEY_CAPACITY = 40 };

typedef struct terminal_list {
    size_t count;
    char sn[MAX_TERMINALS][SN_CAPACITY];
} terminal_list;

typedef struct anti_passback {
    const catraca_host *host;
    terminal_list entry;
    terminal_list exit;
} anti_passback;

static int terminal_list_contains(const terminal_list *list, const char *sn) {
    for (size_t i = 0; i < list->count; i++) {
        if (strcmp(list->sn[i], sn) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Reads settings member `name` (an array of serial numbers) into `list`; 0, or -1 after logging why. */
static int read_terminal_list(const catraca_host *host, const char *settings, const char *name,
                              terminal_list *list) {
    const char *array = plugin_json_member(settings, name);
    list->count = 0;
    if (array == NULL) {
        return 0;
    }
    if (plugin_json_type_of(array) != PLUGIN_JSON_ARRAY) {
        plugin_log(host, CATRACA_LOG_ERROR, "anti-passback settings: expected an array of serial numbers",
                   "key", name);
        return -1;
    }

    for (const char *element = plugin_json_first(array); element != NULL; element = plugin_json_next(element)) {
        if (list->count == MAX_TERMINALS) {
            plugin_log(host, CATRACA_LOG_ERROR, "anti-passback settings: more than 64 terminals", "key", name);
            return -1;
        }
        if (plugin_json_string(element, list->sn[list->count], SN_CAPACITY) != 0) {
            plugin_log(host, CATRACA_LOG_ERROR,
                       "anti-passback settings: each terminal must be a serial number string under 64 bytes",
                       "key", name);
            return -1;
        }
        list->count++;
    }
    return 0;
}

/* 0 when no terminal is on both lists; -1 after logging the first one that is. */
static int check_lists_disjoint(const anti_passback *plugin) {
    for (size_t i = 0; i < plugin->entry.count; i++) {
        if (terminal_list_contains(&plugin->exit, plugin->entry.sn[i])) {
            plugin_log(plugin->host, CATRACA_LOG_ERROR,
                       "anti-passback settings: a terminal is on both the entry and the exit list; keep it on one",
                       "sn", plugin->entry.sn[i]);
            return -1;
        }
    }
    return 0;
}

static void *open_plugin(const catraca_host *host) {
    const char *settings = plugin_checked_settings(host, "anti-passback");
    if (settings == NULL) {
        return NULL;
    }

    anti_passback *plugin = calloc(1, sizeof *plugin);
    if (plugin == NULL) {
        plugin_log(host, CATRACA_LOG_ERROR, "anti-passback: out of memory at open", NULL, NULL);
        return NULL;
    }
    plugin->host = host;

    if (read_terminal_list(host, settings, "entry", &plugin->entry) != 0
        || read_terminal_list(host, settings, "exit", &plugin->exit) != 0
        || check_lists_disjoint(plugin) != 0) {
        free(plugin);
        return NULL;
    }

    if (plugin->entry.count == 0) {
        plugin_log(host, CATRACA_LOG_WARNING,
                   "anti-passback has no entry terminals (settings key \"entry\"): it will refuse no record", NULL,
                   NULL);
    }
    return plugin;
}

static void close_plugin(void *state) {
    free(state);
}

static void inside_key(int64_t enrollid, char key[KEY_CAPACITY]) {
    snprintf(key, KEY_CAPACITY, "inside/%" PRId64, enrollid);
}

/* 1 when the person is inside, 0 when not, -1 when the store failed (logged). */
static int person_is_inside(const anti_passback *plugin, int64_t enrollid) {
    char key[KEY_CAPACITY];
    inside_key(enrollid, key);

    char value[8];
    size_t length = 0;
    int32_t status = plugin->host->kv_get(plugin->host->context, key, value, sizeof value, &length);
    if (status < 0) {
        plugin_log(plugin->host, CATRACA_LOG_ERROR, "anti-passback could not read its store", "key", key);
        return -1;
    }
    return status == 0;
}

static int32_t on_record(void *state, const catraca_record *record, catraca_decision *decision) {
    const anti_passback *plugin = state;
    if (record->sn == NULL || !terminal_list_contains(&plugin->entry, record->sn)) {
        return 0;
    }

    int inside = person_is_inside(plugin, record->enrollid);
    if (inside < 0) {
        return -1;
    }
    if (inside) {
        decision->access = CATRACA_DENY;
        plugin_copy_text(decision->message, sizeof decision->message, "Already inside");
    }
    return 0;
}

static void on_passage(void *state, const catraca_passage *passage) {
    const anti_passback *plugin = state;
    if (passage->side == NULL || passage->enrollid < 0) {
        return;
    }

    char key[KEY_CAPACITY];
    inside_key(passage->enrollid, key);

    int32_t status;
    if (strcmp(passage->side, "entry") == 0) {
        status = plugin->host->kv_set(plugin->host->context, key, "1", 1);
    } else if (strcmp(passage->side, "exit") == 0) {
        status = plugin->host->kv_set(plugin->host->context, key, NULL, 0);
    } else {
        plugin_log(plugin->host, CATRACA_LOG_WARNING, "anti-passback ignored a passage with an unknown side", "side",
                   passage->side);
        return;
    }

    if (status != 0) {
        plugin_log(plugin->host, CATRACA_LOG_ERROR,
                   "anti-passback could not store a passage; this person's next entry is judged on stale state",
                   "key", key);
    }
}

static const catraca_plugin descriptor = {
    .size = sizeof(catraca_plugin),
    .abi_version = CATRACA_PLUGIN_ABI_VERSION,
    .name = "anti-passback",
    .version = "1.0.0",
    .open = open_plugin,
    .close = close_plugin,
    .on_register = NULL,
    .on_record = on_record,
    .on_qrcode = NULL,
    .on_passage = on_passage,
    .on_unauthorised_rotation = NULL,
};

const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version) {
    return host_abi_version >= 1 ? &descriptor : NULL;
}
