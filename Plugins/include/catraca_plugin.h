/*
 * catraca_plugin.h: the whole contract between Catraca and a site-rule plugin. ABI version 1.
 *
 * A plugin is a shared library exporting one C symbol, `catraca_plugin_entry`, that returns a static
 * description of the plugin and its hooks. Catraca loads plugins in a separate plugin-host process, so a
 * plugin that crashes or hangs costs its own calls, never the terminals' server. Every hook runs on one
 * thread of that process, one call at a time; a plugin needs no locking of its own.
 *
 * Versioning. `CATRACA_PLUGIN_ABI_VERSION` names this header's version. The host loads a plugin built
 * against any version from 1 up to its own; a plugin built against a newer version than the host speaks
 * is refused, and the log says both versions. Later versions only append: new fields go at the end of
 * the structs, new hooks at the end of `catraca_plugin`. Every struct starts with its `size` as the side
 * that filled it was built, so each side reads only the fields the other one knows.
 *
 * Ownership. Everything the host passes to a hook (events, strings) is valid only during that call:
 * copy what you keep. The `catraca_host` passed to `open` and the strings it returns stay valid until
 * `close` returns. The `catraca_plugin` returned by the entry symbol, and its strings, must stay valid
 * until the library is unloaded (make it static). Decisions are written into a struct the host owns.
 */
#ifndef CATRACA_PLUGIN_H
#define CATRACA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CATRACA_PLUGIN_ABI_VERSION 1u
#define CATRACA_PLUGIN_ENTRY_SYMBOL "catraca_plugin_entry"

/* Log levels for `catraca_host.log`. */
enum {
    CATRACA_LOG_DEBUG = 0,
    CATRACA_LOG_INFO = 1,
    CATRACA_LOG_WARNING = 2,
    CATRACA_LOG_ERROR = 3,
};

/* `catraca_decision.access`. */
enum {
    CATRACA_ABSTAIN = -1, /* no opinion: the next plugin, or the site's default, decides */
    CATRACA_DENY = 0,     /* refuse: the first refusal wins, and its message is shown */
    CATRACA_ALLOW = 1,
};

/* What a hook answers. The host fills it with ABSTAIN and empty strings before each call. */
typedef struct catraca_decision {
    uint32_t size;          /* sizeof(catraca_decision) as the host built it */
    int32_t access;         /* CATRACA_ABSTAIN, CATRACA_DENY or CATRACA_ALLOW */
    char message[128];      /* shown on the terminal's screen; UTF-8, NUL-terminated; "" = none */
    int32_t fontsize;       /* 10,12,14,16,18,20,22,24,28,32,40; another is clamped to the nearest; 0 = default */
    int32_t text_color;     /* 0xRRGGBB; -1 = the terminal's default */
    int64_t enrollid;       /* sendqrcode only: the person the code stands for; -1 = none */
    char username[64];      /* sendqrcode only: their name; "" = none */
} catraca_decision;

/* A terminal registering (`reg`). */
typedef struct catraca_registration {
    uint32_t size;
    const char *sn;
    const char *address;        /* host:port it connected from */
    const char *devinfo_json;   /* its devinfo object as JSON text, or NULL */
} catraca_registration;

/* An access record (`sendlog`), once per record: a resent record is not shown again. */
typedef struct catraca_record {
    uint32_t size;
    const char *sn;
    int64_t enrollid;
    const char *time;           /* the terminal's clock, "YYYY-MM-DD HH:MM:SS" */
    int32_t mode;               /* how the person was verified (8 face, 3 card, ...) */
    int32_t inout;
    int32_t event;              /* 0 = a successful verification on the firmwares known */
    int32_t verifymode;         /* -1 when absent */
    const char *name;           /* NULL when absent */
    const char *json;           /* the whole record as the terminal sent it, without its photo */
} catraca_record;

/* A QR code read (`sendqrcode`), once per read: a resend gets the first answer again. */
typedef struct catraca_qrcode {
    uint32_t size;
    const char *sn;
    const char *code;           /* the QR code's text */
} catraca_qrcode;

/* A passage at a turnstile, or an unauthorised rotation (a turn no grant explains). */
typedef struct catraca_passage {
    uint32_t size;
    const char *turnstile;
    const char *outcome;        /* "turned_a", "turned_b", "not_turned", "unauthorised_rotation" */
    const char *side;           /* "entry", "exit", or NULL when the turnstile did not turn */
    const char *sn;             /* the terminal of the grant, or NULL */
    int64_t enrollid;           /* the person, or -1 */
    const char *json;           /* the passage as the store keeps it (docs/upstream/payloads.md) */
} catraca_passage;

/* What the host offers a plugin. Call only from inside a hook or `open`/`close`. */
typedef struct catraca_host {
    uint32_t size;              /* sizeof(catraca_host) as the host built it */
    uint32_t abi_version;       /* the host's CATRACA_PLUGIN_ABI_VERSION */
    void *context;              /* pass it back to every function below */

    /* One log line: `message`, then `count` key=value pairs. Strings are copied. The message and values are cut
     * to 4 KiB, keys to 64 bytes, pairs to 32 (a `truncated` pair says what was cut); the daemon logs the message
     * as the value `text`, quoted and escaped, and replaces characters outside A-Z a-z 0-9 _ . - in keys. */
    void (*log)(void *context, int32_t level, const char *message,
                const char *const *keys, const char *const *values, size_t count);

    /* The plugin's own settings from the config file (plugins.settings.<name>) as a JSON object text;
       "{}" when there are none. Valid until `close` returns. */
    const char *(*settings_json)(void *context);

    /* A small persistent key-value store of this plugin's own, kept across restarts.
       kv_get copies the value (not NUL-terminated) into buffer, sets *length to its full length, and
       returns 0; 1 when the key is absent; -1 on error. A buffer too small gets the first `capacity`
       bytes and *length still says the full length. kv_set stores `length` bytes; value NULL deletes.
       Returns 0, or -1 on error (the daemon logs why). Keys are at most 255 bytes, values 64 KiB. */
    int32_t (*kv_get)(void *context, const char *key, char *buffer, size_t capacity, size_t *length);
    int32_t (*kv_set)(void *context, const char *key, const char *value, size_t length);

    /* The site clock: milliseconds since 1970 UTC, and the site's local time as "YYYY-MM-DD HH:MM:SS"
       plus its weekday (0 Sunday .. 6 Saturday) written into `buffer` (at least 20 bytes). */
    int64_t (*now_ms)(void *context);
    int32_t (*site_time)(void *context, int64_t ms, char *buffer, size_t capacity, int32_t *weekday);

    /* Asks the daemon to open door `door` of terminal `sn` (the protocol's opendoor). Returns 0 when
       the request was passed on; the door opens later, or not, as the terminal answers. */
    int32_t (*open_door)(void *context, const char *sn, int32_t door);
} catraca_host;

/* The plugin's description and hooks. Any hook may be NULL (not interested). Hooks returning int32_t
   return 0 when they filled the decision (or abstained), non-zero when they failed (the site's fallback
   decision applies and the daemon logs it). */
typedef struct catraca_plugin {
    uint32_t size;              /* sizeof(catraca_plugin) as the plugin built it */
    uint32_t abi_version;       /* the CATRACA_PLUGIN_ABI_VERSION the plugin was built against */
    const char *name;           /* unique among the site's plugins; names its settings and store: 1 to 64 of
                                   A-Z a-z 0-9 . _ -, not starting with '.' (another name is refused) */
    const char *version;

    /* Returns the plugin's state, handed to every hook; NULL means it could not start (say why in the
       log first). */
    void *(*open)(const catraca_host *host);
    void (*close)(void *state);

    int32_t (*on_register)(void *state, const catraca_registration *registration, catraca_decision *decision);
    int32_t (*on_record)(void *state, const catraca_record *record, catraca_decision *decision);
    int32_t (*on_qrcode)(void *state, const catraca_qrcode *qrcode, catraca_decision *decision);
    void (*on_passage)(void *state, const catraca_passage *passage);
    void (*on_unauthorised_rotation)(void *state, const catraca_passage *passage);
} catraca_plugin;

/* The one exported symbol. `host_abi_version` is the host's version; return NULL to decline. */
const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* CATRACA_PLUGIN_H */
