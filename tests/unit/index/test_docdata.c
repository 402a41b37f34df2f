/* The document data stored with each initiative: what the encoder writes
 * reads back the same; any JSON object in that shape reads; what is not
 * one is OASIS_EINDEX; invalid UTF-8 is refused when writing. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "index/docdata.h"
#include "oasis.h"

static void decode_ok(const char *json, oa_docdata *d)
{
    int rc = oa_docdata_decode(json, strlen(json), d);
    if (rc)
        fail_msg("decode '%s': %d", json, rc);
}

static void test_round_trip(void **state)
{
    (void)state;
    oasis_doc doc = {0};
    doc.title = "Santé \"rurale\" \\ / \t tab";
    doc.text = "Ligne 1\nLigne 2 \x01 contrôle, émoji \xF0\x9F\x98\x80, œuvre";
    doc.source_file = "données/é.jsonl";
    doc.source_line = 42;
    const char *codes[] = {"2A", "971"};
    const char *cats[] = {"sante"};
    char *json;
    assert_int_equal(oa_docdata_encode(&doc, "id-\xC3\xA9", codes, 2, cats, 1, &json), 0);
    oa_docdata d;
    decode_ok(json, &d);
    assert_string_equal(d.id, "id-\xC3\xA9");
    assert_string_equal(d.title, doc.title);
    assert_string_equal(d.text, doc.text);
    assert_string_equal(d.source_file, doc.source_file);
    assert_int_equal(d.source_line, 42);
    assert_int_equal(d.n_departements, 2);
    assert_string_equal(d.departements[0], "2A");
    assert_string_equal(d.departements[1], "971");
    assert_int_equal(d.n_categories, 1);
    assert_string_equal(d.categories[0], "sante");
    oa_docdata_clear(&d);
    free(json);
    /* Nothing but the id: empty strings and lists. */
    oasis_doc empty = {0};
    assert_int_equal(oa_docdata_encode(&empty, "x", NULL, 0, NULL, 0, &json), 0);
    decode_ok(json, &d);
    assert_string_equal(d.title, "");
    assert_int_equal(d.n_departements + d.n_categories, 0);
    oa_docdata_clear(&d);
    free(json);
}

static void test_any_shape(void **state)
{
    (void)state;
    oa_docdata d;
    /* Keys in another order, white space, unknown keys of every type,
     * escapes \u with a surrogate pair, values of other types ignored. */
    decode_ok(" { \"line\" : -3 , \"x\": {\"a\": [1, 2.5e3, true, null, \"]\"]},\n"
              "\"text\": \"\\u00e9t\\u00E9 \\ud83d\\ude00 \\\"q\\\"\", \"title\": 7,"
              "\"departements\": [\"01\", 5, \"2B\"], \"categories\": \"no\", \"id\": \"a\" } ",
              &d);
    assert_string_equal(d.id, "a");
    assert_string_equal(d.text, "\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80 \"q\"");
    assert_string_equal(d.title, "");
    assert_string_equal(d.source_file, "");
    assert_int_equal(d.source_line, -3);
    assert_int_equal(d.n_departements, 2);
    assert_string_equal(d.departements[1], "2B");
    assert_int_equal(d.n_categories, 0);
    oa_docdata_clear(&d);
    decode_ok("{}", &d);
    assert_string_equal(d.id, "");
    assert_int_equal(d.source_line, 0);
    oa_docdata_clear(&d);
}

static void test_malformed(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "[]",
        "\"id\"",
        "{\"id\": \"a\"",
        "{\"id\": \"a\",}",
        "{\"id\" \"a\"}",
        "{\"id\": \"a\"} x",
        "{\"id\": \"a\nb\"}",
        "{\"id\": \"\\x\"}",
        "{\"id\": \"\\u12\"}",
        "{\"id\": \"\\ud800\"}",
        "{\"id\": \"\\udc00\"}",
        "{\"id\": \"\\u0000\"}",
        "{\"id\": \"a\xff\"}",
        "{\"departements\": [\"a\" \"b\"]}",
        "{\"x\": [[[}",
        "{\"x\": tru}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oa_docdata d;
        int rc = oa_docdata_decode(bad[i], strlen(bad[i]), &d);
        if (rc != OASIS_EINDEX)
            fail_msg("'%s': %d, not OASIS_EINDEX", bad[i], rc);
        assert_null(d.id);
    }
}

/* Strings are scanned eight bytes at a time: a quote, a backslash, a
 * control byte or a multi-byte character at every offset of a long text
 * reads back the same; a raw control byte at every offset is refused. */
static void test_every_offset(void **state)
{
    (void)state;
    const char *special[] = {"\"", "\\", "\n", "\x01", "\x1f", "\xC3\xA9", "/"};
    for (size_t k = 0; k < sizeof special / sizeof *special; k++) {
        for (size_t at = 0; at < 40; at++) {
            char text[64];
            memset(text, 'a', sizeof text);
            size_t n = strlen(special[k]);
            memcpy(text + at, special[k], n);
            text[at + n + 10] = '\0';
            oasis_doc doc = {0};
            doc.text = text;
            char *json;
            assert_int_equal(oa_docdata_encode(&doc, "x", NULL, 0, NULL, 0, &json), 0);
            oa_docdata d;
            decode_ok(json, &d);
            assert_string_equal(d.text, text);
            oa_docdata_clear(&d);
            free(json);
        }
    }
    for (size_t at = 0; at < 40; at++) {
        char json[96];
        snprintf(json, sizeof json, "{\"id\": \"x\", \"text\": \"%.*s\x01%.*s\"}", (int)at,
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 12, "bbbbbbbbbbbb");
        oa_docdata d;
        assert_int_equal(oa_docdata_decode(json, strlen(json), &d), OASIS_EINDEX);
    }
}

static void test_invalid_utf8_encoding(void **state)
{
    (void)state;
    oasis_doc doc = {0};
    doc.title = "ok";
    char *json = (char *)1;
    assert_int_equal(oa_docdata_encode(&doc, "id\xff", NULL, 0, NULL, 0, &json), OASIS_EFORMAT);
    assert_null(json);
    doc.source_file = "f\xC3.jsonl";
    assert_int_equal(oa_docdata_encode(&doc, "id", NULL, 0, NULL, 0, &json), OASIS_EFORMAT);
    assert_null(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_any_shape),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_every_offset),
        cmocka_unit_test(test_invalid_utf8_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
