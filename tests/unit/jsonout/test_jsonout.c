/* jsonout writes what jansson's json_dumps(JSON_COMPACT) writes for the
 * same values: strings (escapes, UTF-8 kept, invalid UTF-8 refused),
 * integers and reals; and the objects of real results parse back to what
 * the library returned. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonout.h"
#include "oasis.h"
#include "testutil.h"

/* jansson's text of v (consumed). */
static char *jansson_text(json_t *v)
{
    json_t *a = json_pack("[o]", v);
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    /* "[x]" → "x" */
    size_t n = strlen(s);
    memmove(s, s + 1, n - 2);
    s[n - 2] = '\0';
    return s;
}

static char *ours(void (*write)(jo_buf *, const void *), const void *v)
{
    jo_buf b = JO_BUF_INIT;
    write(&b, v);
    return jo_buf_take(&b, NULL);
}

static void write_string(jo_buf *b, const void *v)
{
    jo_string(b, v);
}

static void write_real(jo_buf *b, const void *v)
{
    jo_real(b, *(const double *)v);
}

static void write_int(jo_buf *b, const void *v)
{
    jo_int(b, *(const long long *)v);
}

static void test_strings(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "",
        "plain",
        "\"quoted\" and \\back\\slash / slash",
        "\b\f\n\r\t\x01\x1f\x7f end",
        "accents: é è ê à ç œ Œ",
        "line sep \xe2\x80\xa8 para sep \xe2\x80\xa9",
        "emoji \xf0\x9f\x98\x80 and \xf4\x8f\xbf\xbf",
        "<script>alert(1)</script>\"><img src=x onerror=alert(2)>",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *want = jansson_text(json_string(cases[i]));
        char *got = ours(write_string, cases[i]);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    /* Not UTF-8: refused, as jansson refuses it. */
    static const char *const bad[] = {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80", "\xe2\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_null(json_string(bad[i]));
        assert_null(ours(write_string, bad[i]));
    }
}

static void test_numbers(void **state)
{
    (void)state;
    static const double reals[] = {0.0,    1.0,     -2.5,  0.1,   11.072686510986006,
                                   1e20,   1e-5,    1e300, 3e-300, 123456789012345678.0,
                                   1e17,   -0.0,    2.5e-7, 1.5e22};
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        char *want = jansson_text(json_real(reals[i]));
        char *got = ours(write_real, &reals[i]);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    static const long long ints[] = {0, 1, -1, 1234567890123LL, -9223372036854775807LL};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        char *want = jansson_text(json_integer(ints[i]));
        char *got = ours(write_int, &ints[i]);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
}

/* A page of real results parses back to the library's values. */
static void test_results(void **state)
{
    t_corpus_fixture *f = *state;
    oasis_search_options o;
    oasis_search_options_init_reader(&o);
    o.facets = 1;
    o.explain = 1;
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(f->s, "logement internes", &o, &r), 0);
    jo_buf b = JO_BUF_INIT;
    jo_results(&b, "logement internes", r, 1, 1);
    size_t len;
    char *text = jo_buf_take(&b, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    json_error_t e;
    json_t *o2 = json_loads(text, 0, &e);
    assert_non_null(o2);
    assert_string_equal(json_string_value(json_object_get(o2, "query")), "logement internes");
    assert_int_equal(json_integer_value(json_object_get(o2, "total")), oasis_results_total(r));
    json_t *hits = json_object_get(o2, "hits");
    assert_int_equal(json_array_size(hits), oasis_results_hit_count(r));
    for (size_t i = 0; i < json_array_size(hits); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        json_t *jh = json_array_get(hits, i);
        assert_string_equal(json_string_value(json_object_get(jh, "id")), h->id);
        assert_string_equal(json_string_value(json_object_get(jh, "text")), h->text);
        assert_true(json_real_value(json_object_get(jh, "score")) == h->score);
        assert_int_equal(json_array_size(json_object_get(jh, "explain")), h->n_matches);
        assert_int_equal(json_array_size(json_object_get(jh, "highlights")), h->n_highlights);
    }
    json_t *facets = json_object_get(o2, "facets");
    assert_int_equal(json_array_size(json_object_get(facets, "departement")),
                     oasis_results_facet_count(r, OASIS_FACET_DEPARTEMENT));
    json_decref(o2);
    free(text);
    /* With reasons, each category says its rule. */
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    jo_reason reasons[16];
    for (size_t i = 0; i < h->n_categories && i < 16; i++)
        reasons[i] = (jo_reason){i % 2 ? "une règle" : NULL, i % 2 ? (long)i : 0};
    jo_raw(&b, "{");
    jo_hit_members(&b, h, 0, h->n_categories <= 16 ? reasons : NULL);
    jo_raw(&b, "}");
    text = jo_buf_take(&b, NULL);
    o2 = json_loads(text, 0, &e);
    assert_non_null(o2);
    json_t *c1 = json_array_get(json_object_get(o2, "categories"), 1);
    if (c1) {
        assert_string_equal(json_string_value(json_object_get(c1, "rule")), "une règle");
        assert_int_equal(json_integer_value(json_object_get(c1, "rule_line")), 1);
    }
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(o2, "categories"), 0), "rule")));
    json_decref(o2);
    free(text);
    oasis_results_free(r);
}

/* A région named in the query: each of its places says the région (the
 * places are written with explanations). */
static void test_region_places(void **state)
{
    t_corpus_fixture *f = *state;
    oasis_search_options o;
    oasis_search_options_init(&o);
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(f->s, "santé Occitanie", &o, &r), 0);
    assert_true(oasis_results_place_count(r) > 0);
    jo_buf b = JO_BUF_INIT;
    jo_results(&b, "santé Occitanie", r, 0, 1);
    char *text = jo_buf_take(&b, NULL);
    json_error_t e;
    json_t *o2 = json_loads(text, 0, &e);
    assert_non_null(o2);
    json_t *places = json_object_get(o2, "places");
    assert_int_equal(json_array_size(places), oasis_results_place_count(r));
    for (size_t i = 0; i < json_array_size(places); i++) {
        const oasis_place *p = oasis_results_place_at(r, i);
        assert_non_null(p->region);
        json_t *reg = json_object_get(json_array_get(places, i), "region");
        assert_string_equal(json_string_value(json_object_get(reg, "code")), p->region->code);
        assert_string_equal(json_string_value(json_object_get(reg, "name")), p->region->name);
    }
    json_decref(o2);
    free(text);
    oasis_results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_region_places),
    };
    return cmocka_run_group_tests(tests, t_corpus_setup, t_corpus_teardown);
}
