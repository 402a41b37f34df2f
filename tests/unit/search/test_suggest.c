/* Spelling suggestions: the index's spelling dictionary (the analyzer's
 * words, unstemmed and accent-free), "did you mean" for unknown words,
 * and the suggestion searched when the query finds nothing. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/analyzer.h"
#include "analysis/words.h"
#include "oasis.h"
#include "testutil.h"
#include "xapian/xapc.h"

typedef t_corpus_fixture fixture;

/* The spelling words of a document: each distinct term's first word,
 * plain, three characters at least, no numbers. */
static void test_words(void **state)
{
    (void)state;
    oa_analyzer *a;
    assert_int_equal(oa_analyzer_new(&a), 0);
    const char *title = "Les Médecins de l'Hôpital";
    const char *text = "Un médecin, 2024, des hôpitaux et l’Œuvre ; médecins, désertification. Vu.";
    oa_tokens t = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(a, title, strlen(title), 0, &t), 0);
    size_t n_title = t.n;
    assert_int_equal(oa_analyze(a, text, strlen(text), 100, &t), 0);
    oa_words w = OA_WORDS_INIT;
    assert_int_equal(oa_words_collect(a, title, text, &t, n_title, &w), 0);
    char got[256] = "";
    for (size_t i = 0; i < oa_words_count(&w); i++) {
        strcat(got, i ? "," : "");
        strcat(got, oa_words_at(&w, i, NULL));
    }
    /* médecin and médecins share a term, hôpital and hôpitaux too: the
     * first spelling only; no number, no word under three letters. */
    assert_string_equal(got, "medecins,hopital,oeuvre,desertification");
    /* The same set, reused. */
    assert_int_equal(oa_words_collect(a, title, text, &t, n_title, &w), 0);
    assert_int_equal(oa_words_count(&w), 4);
    assert_null(oa_words_at(&w, 4, NULL));
    oa_words_free(&w);
    oa_tokens_free(&t);
    oa_analyzer_free(a);
}

/* The writer fills the spelling dictionary, accents left out. */
static void test_dictionary(void **state)
{
    fixture *f = *state;
    xapc_db *db = NULL;
    assert_int_equal(xapc_db_open(&db, f->index), 0);
    static const char *const pairs[][2] = {
        {"desertificaton", "desertification"},
        {"vesooul", "vesoul"},
        {"medecns", "medecins"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *s = NULL;
        assert_int_equal(xapc_db_spelling(db, pairs[i][0], strlen(pairs[i][0]), 2, &s), 0);
        assert_string_equal(s, pairs[i][1]);
        free(s);
    }
    xapc_db_free(db);
}

static void test_cases(void **state)
{
    fixture *f = *state;
    char *data = t_read_file(t_source_path("tests/data/query_suggest.tsv"), NULL);
    int lineno = 0, cases = 0, failures = 0;
    char *cursor = data, *line;
    while ((line = t_next_row(&cursor, &lineno)) != NULL) {
        char *want = strchr(line, '\t');
        assert_non_null(want);
        *want++ = '\0';
        char *corrected = strchr(want, '\t');
        assert_non_null(corrected);
        *corrected++ = '\0';
        oasis_results *r = NULL;
        oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
        o.suggest = 1;
        assert_int_equal(oasis_search(f->s, line, &o, &r), 0);
        const char *got = oasis_results_suggestion(r);
        int ok = !strcmp(want, "-") ? got == NULL : got && !strcmp(got, want);
        ok &= oasis_results_corrected(r) == atoi(corrected);
        /* Corrected: the suggestion found something; else the query's own
         * hits stand (none for a word nobody wrote). */
        if (oasis_results_corrected(r))
            ok &= oasis_results_total(r) > 0;
        if (!ok) {
            printf("query_suggest.tsv:%d: '%s': got %s (corrected %d), expected %s (%s)\n", lineno,
                   line, got ? got : "-", oasis_results_corrected(r), want, corrected);
            failures++;
        }
        oasis_results_free(r);
        cases++;
    }
    free(data);
    assert_true(cases >= 15);
    assert_int_equal(failures, 0);
}

/* Without suggest (the default), nothing is suggested or searched
 * instead. */
static void test_off(void **state)
{
    fixture *f = *state;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    assert_int_equal(o.suggest, 0);
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(f->s, "desertificaton", &o, &r), 0);
    assert_null(oasis_results_suggestion(r));
    assert_int_equal(oasis_results_corrected(r), 0);
    assert_int_equal(oasis_results_total(r), 0);
    oasis_results_free(r);
    /* A corrected search is that of the suggestion, hits and facets. */
    o.suggest = 1;
    o.facets = 1;
    oasis_results *a = NULL, *b = NULL;
    assert_int_equal(oasis_search(f->s, "desertificaton", &o, &a), 0);
    assert_int_equal(oasis_search(f->s, "desertification", &o, &b), 0);
    assert_int_equal(oasis_results_total(a), oasis_results_total(b));
    assert_int_equal(oasis_results_hit_count(a), oasis_results_hit_count(b));
    for (size_t i = 0; i < oasis_results_hit_count(a); i++)
        assert_string_equal(oasis_results_hit_at(a, i)->id, oasis_results_hit_at(b, i)->id);
    assert_int_equal(oasis_results_facet_count(a, OASIS_FACET_DEPARTEMENT),
                     oasis_results_facet_count(b, OASIS_FACET_DEPARTEMENT));
    oasis_results_free(a);
    oasis_results_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_dictionary),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_off),
    };
    return cmocka_run_group_tests(tests, t_corpus_setup, t_corpus_teardown);
}
