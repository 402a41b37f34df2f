/* The thesaurus: the built-in table, lookups of runs of query words, the
 * variant → preferred relation, and malformed tables. */
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
#include "oasis.h"
#include "search/synonyms.h"
#include "testutil.h"
#include "util/error.h"

static oa_analyzer *an;

static int setup(void **state)
{
    (void)state;
    return oa_analyzer_new(&an);
}

static int teardown(void **state)
{
    (void)state;
    oa_analyzer_free(an);
    return 0;
}

/* The synonyms the thesaurus gives the words of query, as "a|b", or "-"
 * when the words are no expression; "" when an expression has none. */
static void synonyms_of(const oa_thesaurus *t, const char *query, char *out, size_t cap)
{
    oa_tokens toks = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(an, query, strlen(query), 0, &toks), 0);
    const char *term[16], *alt[16];
    size_t n = 0;
    for (size_t i = 0; i < toks.n && n < 16; i++) {
        if (toks.v[i].alt) {
            alt[n - 1] = toks.v[i].term;
            continue;
        }
        term[n] = toks.v[i].term;
        alt[n++] = NULL;
    }
    size_t expr = 0;
    size_t k = oa_thesaurus_match(t, term, alt, n, &expr);
    out[0] = '\0';
    if (k != n) {
        snprintf(out, cap, "-");
    } else {
        size_t idx[16];
        size_t ns = oa_thesaurus_synonyms(t, expr, idx, 16);
        for (size_t i = 0; i < ns && i < 16; i++) {
            size_t len = strlen(out);
            snprintf(out + len, cap - len, "%s%s", i ? "|" : "", oa_thesaurus_at(t, idx[i])->text);
        }
    }
    oa_tokens_free(&toks);
}

static void test_builtin(void **state)
{
    (void)state;
    const oa_thesaurus *t = NULL;
    assert_int_equal(oa_thesaurus_builtin(&t), 0);
    assert_non_null(t);
    assert_true(oa_thesaurus_size(t) >= 60);
    static const char *const cases[][2] = {
        /* A variant finds its preferred expression, however written. */
        {"hébergement", "logement"},
        {"Hebergements", "logement"},
        {"MSP", "maison de santé"},
        {"maisons médicales", "maison de santé"},
        {"stagiaires", "interne"},
        {"internes en médecine", "interne"},
        {"attirer", "attractivité"},
        {"médicobus", "bus"},
        {"Agence régionale de santé", "ARS"},
        {"déserts médicaux", "désertification médicale"},
        {"kiné", "kinésithérapeute"},
        /* A preferred expression is searched as typed. */
        {"logement", ""},
        {"internes", ""},
        {"maison de santé", ""},
        /* Not an expression. */
        {"xylophone", "-"},
        {"maison", "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[512];
        synonyms_of(t, cases[i][0], got, sizeof got);
        if (strcmp(got, cases[i][1]))
            fail_msg("'%s': got '%s', expected '%s'", cases[i][0], got, cases[i][1]);
    }
}

/* The longest expression at the start of the words wins. */
static void test_longest(void **state)
{
    (void)state;
    oa_thesaurus *t = NULL;
    assert_int_equal(oa_thesaurus_parse("# test\nmédecin\tdocteur\nmédecin généraliste\tgénéraliste\n", &t), 0);
    const char *term[] = {"medecin", "general", "rural"};
    size_t expr = 99;
    assert_int_equal(oa_thesaurus_match(t, term, NULL, 3, &expr), 2);
    assert_string_equal(oa_thesaurus_at(t, expr)->text, "médecin généraliste");
    assert_int_equal(oa_thesaurus_match(t, term, NULL, 1, &expr), 1);
    assert_string_equal(oa_thesaurus_at(t, expr)->text, "médecin");
    assert_int_equal(oa_thesaurus_match(t, term + 2, NULL, 1, &expr), 0);
    /* "docteur" is a variant of "médecin", on line 2; "médecin" itself
     * gives nothing. */
    const char *doc[] = {"docteur"};
    assert_int_equal(oa_thesaurus_match(t, doc, NULL, 1, &expr), 1);
    size_t idx[4];
    assert_int_equal(oa_thesaurus_synonyms(t, expr, idx, 4), 1);
    assert_string_equal(oa_thesaurus_at(t, idx[0])->text, "médecin");
    assert_int_equal(oa_thesaurus_at(t, idx[0])->group, 0);
    oa_thesaurus_free(t);
}

/* A word's accent-free alternative matches too (attractivite). */
static void test_alternatives(void **state)
{
    (void)state;
    const oa_thesaurus *t = NULL;
    assert_int_equal(oa_thesaurus_builtin(&t), 0);
    char got[256];
    /* "attractivite" typed without accents is the preferred expression
     * "attractivité" (matched through its alternative): nothing to add. */
    synonyms_of(t, "attractivite", got, sizeof got);
    assert_string_equal(got, "");
    synonyms_of(t, "teleconsultation", got, sizeof got);
    assert_string_equal(got, "télémédecine");
}

static void test_malformed(void **state)
{
    (void)state;
    static const char *const tables[][2] = {
        {"logement\n", "line 1: fewer than two expressions"},
        {"# c\n\nlogement\t\n", "line 3: an expression has no word"},
        {"logement\tde la\n", "line 1: an expression has no word"},
        {"bus\tnavette\nlogement\thébergement\xff\n", "line 2: invalid utf-8"},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        oa_thesaurus *t = (oa_thesaurus *)1;
        oa_error_clear();
        assert_int_equal(oa_thesaurus_parse(tables[i][0], &t), OASIS_EFORMAT);
        assert_null(t);
        if (!strstr(oa_error_message(), tables[i][1]))
            fail_msg("table %zu: '%s' lacks '%s'", i, oa_error_message(), tables[i][1]);
    }
    oa_thesaurus *t = NULL;
    assert_int_equal(oa_thesaurus_parse("", &t), 0);
    assert_int_equal(oa_thesaurus_size(t), 0);
    oa_thesaurus_free(t);
    oa_thesaurus_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_longest),
        cmocka_unit_test(test_alternatives),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
