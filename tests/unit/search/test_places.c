/* The communes table and the places found in the words of a query. */
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
#include "search/places.h"
#include "taxonomy/communes.h"
#include "taxonomy/departements.h"
#include "testutil.h"

/* Every row is well formed and the rows are sorted by the library's own
 * fold key, which the binary search relies on; a sample of names is
 * found again by lookup. */
static void test_table_sorted(void **state)
{
    (void)state;
    assert_int_equal(oa_departements_init(), 0);
    const char *p = oa_communes_tsv;
    while (*p == '#' || !strncmp(p, "name\t", 5))
        p = strchr(p, '\n') + 1;
    char *prev = NULL;
    size_t rows = 0;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        const char *tab = memchr(p, '\t', (size_t)(eol - p));
        assert_non_null(tab);
        char *key;
        assert_int_equal(oa_fold_key(p, (size_t)(tab - p), &key), 0);
        if (prev && strcmp(prev, key) > 0)
            fail_msg("row %zu '%.*s' sorts before the row above it", rows + 1,
                     (int)(eol - p), p);
        if (rows % 97 == 0) {
            oa_commune c[64];
            size_t n = oa_communes_find(key, strlen(key), c, 64, NULL);
            int found = 0;
            for (size_t i = 0; i < n && i < 64; i++)
                found |= c[i].name == p;
            if (!found)
                fail_msg("'%s' is not found by lookup", key);
        }
        free(prev);
        prev = key;
        rows++;
        p = *eol ? eol + 1 : eol;
    }
    free(prev);
    assert_int_equal(rows, oa_communes_count());
    assert_true(rows > 34000 && rows < 36000);
    for (size_t i = 0; i < rows; i += 1013) {
        oa_commune c;
        assert_int_equal(oa_communes_at(i, &c), 0);
        assert_non_null(c.departement);
    }
    oa_commune c;
    assert_int_equal(oa_communes_at(rows, &c), OASIS_ENOTFOUND);
}

static void test_lookup(void **state)
{
    (void)state;
    oa_commune c[8];
    int longer = -1;
    assert_int_equal(oa_communes_find("vesoul", 6, c, 8, &longer), 1);
    assert_string_equal(c[0].departement->code, "70");
    assert_int_equal((int)c[0].name_len, 6);
    assert_memory_equal(c[0].name, "Vesoul", 6);
    assert_int_equal(c[0].common, 0);
    assert_int_equal(longer, 0);
    assert_int_equal(oa_communes_find("bourg en bresse", 15, c, 8, NULL), 1);
    assert_string_equal(c[0].departement->code, "01");
    /* Several départements, in code order; more than max still counted. */
    size_t n = oa_communes_find("saint denis", 11, c, 2, NULL);
    assert_int_equal(n, 4);
    assert_string_equal(c[0].departement->code, "11");
    assert_string_equal(c[1].departement->code, "30");
    /* "saint" is no commune, but starts many. */
    assert_int_equal(oa_communes_find("saint", 5, c, 8, &longer), 0);
    assert_int_equal(longer, 1);
    assert_int_equal(oa_communes_find("zzzz", 4, c, 8, &longer), 0);
    assert_int_equal(longer, 0);
    assert_int_equal(oa_communes_find("", 0, c, 8, &longer), 0);
    /* A commune whose name is a common word is marked. */
    assert_int_equal(oa_communes_find("bus", 3, c, 8, NULL), 1);
    assert_int_equal(c[0].common, 1);
    assert_string_equal(c[0].departement->code, "62");
    /* Names with accents and apostrophes. */
    assert_int_equal(oa_communes_find("l abergement clemenciat", 23, c, 8, NULL), 1);
    assert_int_equal(oa_communes_find("oeting", 6, c, 8, NULL), 1);
    assert_string_equal(c[0].departement->code, "57");
}

/* Splits query into words at spaces; each word's capital counts except on
 * the first (unless the place is all the words). Returns the places as
 * "words=codes | …" (a région's code as R53), or "-". */
static void places_of(const char *query, char *out, size_t cap)
{
    oa_place_word w[64];
    size_t n = 0;
    for (const char *p = query; *p && n < 64;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e > p) {
            int up = oa_word_capitalized(p, (size_t)(e - p));
            w[n] = (oa_place_word){p, (size_t)(e - p), n > 0 && up, n == 0 && up};
            n++;
        }
        p = e;
    }
    oa_place pl[8];
    size_t np = oa_places_find(w, n, pl, 8);
    out[0] = '\0';
    if (np == 0)
        snprintf(out, cap, "-");
    for (size_t i = 0; i < np; i++) {
        const char *first = w[pl[i].first].text;
        const oa_place_word *last = &w[pl[i].first + pl[i].n - 1];
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%.*s=", i ? " | " : "",
                 (int)(last->text + last->len - first), first);
        if (pl[i].region) {
            len = strlen(out);
            snprintf(out + len, cap - len, "R%s", pl[i].region->code);
        }
        for (size_t k = 0; k < pl[i].n_depts; k++) {
            len = strlen(out);
            snprintf(out + len, cap - len, "%s%s", k ? "," : "", pl[i].dept[k]->code);
        }
    }
}

static void test_places_cases(void **state)
{
    (void)state;
    char *data = t_read_file(t_source_path("tests/data/query_places.tsv"), NULL);
    int lineno = 0, cases = 0, failures = 0;
    char *cursor = data, *line;
    while ((line = t_next_row(&cursor, &lineno)) != NULL) {
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        char got[512];
        places_of(line, got, sizeof got);
        cases++;
        if (strcmp(got, tab + 1) != 0) {
            printf("query_places.tsv:%d: '%s': expected %s, got %s\n", lineno, line, tab + 1, got);
            failures++;
        }
    }
    free(data);
    assert_true(cases >= 25);
    assert_int_equal(failures, 0);
}

/* A commune and a département that share a name: the département wins. */
static void test_departement_first(void **state)
{
    (void)state;
    char got[256];
    places_of("hôpital Vienne", got, sizeof got);
    assert_string_equal(got, "Vienne=86");
    oa_commune c[8];
    size_t n = oa_communes_find("vienne", 6, c, 8, NULL);
    assert_true(n >= 1);
    assert_string_equal(c[0].departement->code, "38");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_places_cases),
        cmocka_unit_test(test_departement_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
