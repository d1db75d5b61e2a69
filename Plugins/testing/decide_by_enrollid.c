// Test plugin: refuses enrollids from 1000 up, allows the others; a single-use QR code; refuses some terminals.
#include <stdio.h>
#include <string.h>
#include "catraca_plugin.h"

#ifndef TEST_PLUGIN_NAME
#define TEST_PLUGIN_NAME "decide-by-enrollid"
#endif

static const catraca_host *host;

static void *test_open(const catraca_host *given) {
    host = given;
    const char *keys[] = {"settings"};
    const char *values[] = {host->settings_json(host->context)};
    host->log(host->context, CATRACA_LOG_INFO, "decide-by-enrollid opened", keys, values, 1);
    return (void *)&host;
}

static void test_close(void *state) {
    (void)state;
}

static int32_t on_register(void *state, const catraca_registration *registration, catraca_decision *decision) {
    (void)state;
    if (strncmp(registration->sn, "REFUSE", 6) == 0) {
        decision->access = CATRACA_DENY;
        snprintf(decision->message, sizeof decision->message, "Terminal refused by test");
    }
    return 0;
}

static int32_t on_record(void *state, const catraca_record *record, catraca_decision *decision) {
    (void)state;
    if (record->enrollid >= 1000) {
        decision->access = CATRACA_DENY;
        snprintf(decision->message, sizeof decision->message, "Refused by test %lld", (long long)record->enrollid);
        decision->text_color = 0xFF0000;
        decision->fontsize = 32;
    } else {
        decision->access = CATRACA_ALLOW;
        snprintf(decision->message, sizeof decision->message, "Welcome %lld", (long long)record->enrollid);
    }
    return 0;
}

static int32_t on_qrcode(void *state, const catraca_qrcode *qrcode, catraca_decision *decision) {
    (void)state;
    if (strcmp(qrcode->code, "VISITOR-1") != 0) return 0;
    char used[8];
    size_t length = 0;
    if (host->kv_get(host->context, qrcode->code, used, sizeof used, &length) == 0) {
        decision->access = CATRACA_DENY;
        snprintf(decision->message, sizeof decision->message, "Code already used");
        return 0;
    }
    host->kv_set(host->context, qrcode->code, "1", 1);
    decision->access = CATRACA_ALLOW;
    decision->enrollid = 5001;
    snprintf(decision->username, sizeof decision->username, "Visitor");
    snprintf(decision->message, sizeof decision->message, "Welcome visitor");
    return 0;
}

static void on_passage(void *state, const catraca_passage *passage) {
    (void)state;
    const char *keys[] = {"turnstile", "outcome"};
    const char *values[] = {passage->turnstile, passage->outcome};
    host->log(host->context, CATRACA_LOG_INFO, "passage seen", keys, values, 2);
}

static const catraca_plugin plugin = {
    .size = sizeof(catraca_plugin),
    .abi_version = CATRACA_PLUGIN_ABI_VERSION,
    .name = TEST_PLUGIN_NAME, /* the benchmark builds copies under other names */
    .version = "1.0",
    .open = test_open,
    .close = test_close,
    .on_register = on_register,
    .on_record = on_record,
    .on_qrcode = on_qrcode,
    .on_passage = on_passage,
};

const catraca_plugin *catraca_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
