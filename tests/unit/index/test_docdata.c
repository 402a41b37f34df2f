/* The document data stored with each initiative: what the encoder writes
 * reads back the same; anything else (cut short, changed lengths, invalid
 * UTF-8, bytes left over) is OASIS_ECORRUPT, never a read past the end;
 * invalid UTF-8 is refused when writing. */
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

static const char *CODES[] = {"2A", "971"};
static const char *CATS[] = {"sante"};

/* A document with something in every field. */
static void sample(oasis_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->title = "Santé \"rurale\" \\ / \t tab";
    doc->text = "Ligne 1\nLigne 2 \x01 contrôle, émoji \xF0\x9F\x98\x80, œuvre";
    doc->source_file = "données/é.jsonl";
    doc->source_line = 42;
}

static void decode_ok(const oa_buf *b, oa_docdata *d)
{
    int rc = oa_docdata_decode(b->data, b->len, d);
    if (rc)
        fail_msg("decode of %zu bytes: %d", b->len, rc);
}

static void test_round_trip(void **state)
{
    (void)state;
    oasis_doc doc;
    sample(&doc);
    oa_buf b = OA_BUF_INIT;
    assert_int_equal(oa_docdata_encode(&doc, "id-\xC3\xA9", CODES, 2, CATS, 1, &b), 0);
    oa_docdata d;
    decode_ok(&b, &d);
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
    /* Nothing but the id: empty strings and lists, all allocated. */
    oasis_doc empty = {0};
    assert_int_equal(oa_docdata_encode(&empty, "x", NULL, 0, NULL, 0, &b), 0);
    decode_ok(&b, &d);
    assert_string_equal(d.title, "");
    assert_string_equal(d.source_file, "");
    assert_int_equal(d.source_line, 0);
    assert_int_equal(d.n_departements + d.n_categories, 0);
    assert_non_null(d.departements);
    assert_non_null(d.categories);
    oa_docdata_clear(&d);
    oa_buf_free(&b);
}

/* Lengths of one byte and more: a text of every length up to 20,000
 * bytes around the boundaries of the length bytes reads back. */
static void test_lengths(void **state)
{
    (void)state;
    size_t lens[] = {0, 1, 127, 128, 129, 16383, 16384, 16385, 20000};
    char *text = malloc(20001);
    assert_non_null(text);
    oa_buf b = OA_BUF_INIT;
    for (size_t k = 0; k < sizeof lens / sizeof *lens; k++) {
        memset(text, 'a', lens[k]);
        text[lens[k]] = '\0';
        oasis_doc doc = {0};
        doc.text = text;
        doc.source_line = (long)lens[k] * 1000;
        assert_int_equal(oa_docdata_encode(&doc, "x", NULL, 0, NULL, 0, &b), 0);
        oa_docdata d;
        decode_ok(&b, &d);
        assert_int_equal(strlen(d.text), lens[k]);
        assert_int_equal(d.source_line, (long)lens[k] * 1000);
        oa_docdata_clear(&d);
    }
    oa_buf_free(&b);
    free(text);
}

static void expect_damaged(const char *data, size_t len, const char *what)
{
    oa_docdata d;
    int rc = oa_docdata_decode(data, len, &d);
    if (rc != OASIS_ECORRUPT)
        fail_msg("%s (%zu bytes): %d, not OASIS_ECORRUPT", what, len, rc);
    assert_null(d.id);
    assert_null(d.departements);
}

/* Every prefix of a valid record, every byte changed in turn and a byte
 * more: refused (or, for a changed byte that still makes a valid record,
 * read without going past the end: the sanitizer build checks that). */
static void test_damaged(void **state)
{
    (void)state;
    oasis_doc doc;
    sample(&doc);
    oa_buf b = OA_BUF_INIT;
    assert_int_equal(oa_docdata_encode(&doc, "id", CODES, 2, CATS, 1, &b), 0);
    char *copy = malloc(b.len + 1);
    assert_non_null(copy);
    for (size_t n = 0; n < b.len; n++) {
        memcpy(copy, b.data, n); /* exactly n bytes: a read past them is caught */
        expect_damaged(copy, n, "a record cut short");
    }
    memcpy(copy, b.data, b.len);
    copy[b.len] = 'x';
    expect_damaged(copy, b.len + 1, "a byte left over");
    for (size_t i = 0; i < b.len; i++) {
        static const unsigned char values[] = {0x00, 0x7f, 0x80, 0xff};
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(copy, b.data, b.len);
            copy[i] = (char)values[v];
            oa_docdata d;
            int rc = oa_docdata_decode(copy, b.len, &d);
            assert_true(rc == 0 || rc == OASIS_ECORRUPT);
            if (rc == 0)
                oa_docdata_clear(&d);
        }
    }
    free(copy);
    oa_buf_free(&b);
    expect_damaged("", 0, "nothing");
    expect_damaged("{\"id\":\"a\"}", 10, "another format");
    /* A length past the end, a count past the end, a NUL and invalid
     * UTF-8 inside a string. */
    expect_damaged("\x01\x05" "ab", 4, "a length past the end");
    expect_damaged("\x01\x01x\x00\x00\x00\x00\xff\xff\xff\x7f", 11, "a count past the end");
    expect_damaged("\x01\x03" "a\0b\x00\x00\x00\x00\x00\x00", 11, "a NUL in a string");
    expect_damaged("\x01\x02" "a\xff\x00\x00\x00\x00\x00\x00", 10, "invalid UTF-8");
    expect_damaged("\x01\x01x\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x00\x00",
                   19, "a line number too long");
}

static void test_invalid_utf8_encoding(void **state)
{
    (void)state;
    oasis_doc doc = {0};
    doc.title = "ok";
    oa_buf b = OA_BUF_INIT;
    assert_int_equal(oa_docdata_encode(&doc, "id\xff", NULL, 0, NULL, 0, &b), OASIS_EFORMAT);
    doc.source_file = "f\xC3.jsonl";
    assert_int_equal(oa_docdata_encode(&doc, "id", NULL, 0, NULL, 0, &b), OASIS_EFORMAT);
    doc.source_file = NULL;
    const char *bad_cat[] = {"sant\xe9"};
    assert_int_equal(oa_docdata_encode(&doc, "id", NULL, 0, bad_cat, 1, &b), OASIS_EFORMAT);
    oa_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_invalid_utf8_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
