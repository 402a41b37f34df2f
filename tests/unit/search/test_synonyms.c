/* The thesaurus: the built-in table, lookups of runs of query words, the
 * groups (any member finds the others, the preferred one first), tables
 * read at run time, and malformed tables. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* "|a|b|" holds "|a|". */
static int listed(const char *list, const char *item)
{
    char bar[1100], want[128];
    snprintf(bar, sizeof bar, "|%s|", list);
    snprintf(want, sizeof want, "|%s|", item);
    return strstr(bar, want) != NULL;
}

static void test_builtin(void **state)
{
    (void)state;
    const oa_thesaurus *t = NULL;
    assert_int_equal(oa_thesaurus_builtin(&t), 0);
    assert_non_null(t);
    assert_true(oa_thesaurus_size(t) >= 60);
    /* The query, the first synonym (its line's preferred expression, or
     * the first other member when the query is the preferred one), and
     * another member it must find. */
    static const char *const cases[][3] = {
        /* A variant finds its preferred expression first, however written. */
        {"hébergement", "logement", "colocation"},
        {"Hebergements", "logement", "appartement"},
        {"MSP", "maison de santé", "maison médicale"},
        {"maisons médicales", "maison de santé", "MSP"},
        {"stagiaires", "interne", "étudiant en médecine"},
        {"internes en médecine", "interne", "stagiaire"},
        {"attirer", "attractivité", "attractivité"},
        {"médicobus", "bus", "bus santé"},
        {"Agence régionale de santé", "ARS", "ARS"},
        {"déserts médicaux", "désertification médicale", "zone sous-dotée"},
        {"kiné", "kinésithérapeute", "masseur-kinésithérapeute"},
        {"implantation", "installation", "installation"},
        /* A preferred expression finds its variants, in line order. */
        {"logement", "hébergement", "colocation"},
        {"internes", "interne en médecine", "stagiaire"},
        {"maison de santé", "maison médicale", "MSP"},
        {"dentiste", "chirurgien-dentiste", "bucco-dentaire"},
        {"subvention", "aide financière", "prime"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[1024];
        synonyms_of(t, cases[i][0], got, sizeof got);
        size_t first = strcspn(got, "|");
        if (strlen(cases[i][1]) != first || strncmp(got, cases[i][1], first) ||
            !listed(got, cases[i][2]))
            fail_msg("'%s': got '%s', expected '%s' first and '%s' among them", cases[i][0], got,
                     cases[i][1], cases[i][2]);
    }
    /* Not an expression. */
    static const char *const none[] = {"xylophone", "maison"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        char got[256];
        synonyms_of(t, none[i], got, sizeof got);
        assert_string_equal(got, "-");
    }
}

/* Two ways, the preferred expressions first, an expression of two lines
 * finding the members of both, and never the words typed. */
static void test_groups(void **state)
{
    (void)state;
    oa_thesaurus *t = NULL;
    assert_int_equal(
        oa_thesaurus_parse("bus\tnavette\tautocar\nitinérant\tmobile\tnavette\n", &t), 0);
    char got[256];
    synonyms_of(t, "bus", got, sizeof got);
    assert_string_equal(got, "navette|autocar");
    synonyms_of(t, "autocars", got, sizeof got);
    assert_string_equal(got, "bus|navette");
    synonyms_of(t, "navettes", got, sizeof got);
    assert_string_equal(got, "bus|itinérant|autocar|mobile");
    synonyms_of(t, "mobile", got, sizeof got);
    assert_string_equal(got, "itinérant|navette");
    oa_thesaurus_free(t);
}

static void warn_into(void *userdata, const char *file, long line, const char *message)
{
    char *out = userdata;
    size_t len = strlen(out);
    snprintf(out + len, 1024 - len, "%s:%ld: %s\n", strrchr(file, '/') + 1, line, message);
}

/* A table read at run time adds its lines to the built-in ones; a bad line
 * is a warning with its file and line, and the others are kept. */
static void test_load(void **state)
{
    (void)state;
    char dir[] = "/tmp/oasis-synonyms-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/synonyms.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# local words\nnavette\tcar médical\nlogement\n\ngîte\tde la\nfoyer\tlogement\n", f);
    assert_int_equal(fclose(f), 0);
    char warnings[1024] = "";
    oa_thesaurus *t = NULL;
    assert_int_equal(oa_thesaurus_load(path, warn_into, warnings, &t), 0);
    assert_string_equal(warnings, "synonyms.tsv:3: fewer than two expressions\n"
                                  "synonyms.tsv:5: an expression has no word\n");
    const oa_thesaurus *builtin = NULL;
    assert_int_equal(oa_thesaurus_builtin(&builtin), 0);
    assert_int_equal(oa_thesaurus_size(t), oa_thesaurus_size(builtin) + 4);
    char got[1024];
    synonyms_of(t, "car médical", got, sizeof got);
    assert_string_equal(got, "navette");
    /* "logement" now also finds "foyer", besides its built-in line. */
    synonyms_of(t, "logement", got, sizeof got);
    assert_true(listed(got, "foyer") && listed(got, "colocation"));
    synonyms_of(t, "foyer", got, sizeof got);
    assert_string_equal(got, "logement");
    oa_thesaurus_free(t);
    /* A file that cannot be read is an error. */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(oa_thesaurus_load(path, warn_into, warnings, &t), OASIS_EIO);
    assert_null(t);
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
     * "attractivité" (matched through its alternative): its variants. */
    synonyms_of(t, "attractivite", got, sizeof got);
    assert_string_equal(got, "attirer");
    synonyms_of(t, "teleconsultation", got, sizeof got);
    assert_true(!strncmp(got, "télémédecine|", strlen("télémédecine|")));
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
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_longest),
        cmocka_unit_test(test_alternatives),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
