/* The tables compiled in at build time (tools/gen_tables.c, cmake/embed.cmake)
 * against what the library computes at run time from the embedded text:
 * the fold keys of the départements and régions, the longest-first order,
 * the code index, the analysed synonyms, the communes table's length. A
 * generator or analyzer change that makes them differ fails here. */
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
#include "search/synonyms_table.h"
#include "taxonomy/communes.h"
#include "taxonomy/departements.h"
#include "taxonomy/departements_table.h"
#include "testutil.h"

static char *fold(const char *s)
{
    char *k = NULL;
    assert_int_equal(oa_fold_key(s, strlen(s), &k), 0);
    return k;
}

/* Every row of corpus/departements.tsv is in the table, in order, with the
 * fold key the analyzer makes of its name. */
static void test_departement_rows(void **state)
{
    (void)state;
    char *data = t_read_file(t_source_path("corpus/departements.tsv"), NULL);
    size_t row = 0;
    int header = 0;
    char *cursor = data, *line;
    while ((line = t_next_row(&cursor, NULL)) != NULL) {
        char *f[4];
        assert_int_equal(t_split_tabs(line, f, 4), 4);
        if (header) {
            assert_true(row < oa_dept_count);
            const oasis_departement *d = &oa_dept_table[row];
            assert_string_equal(d->code, f[0]);
            assert_string_equal(d->name, f[1]);
            assert_string_equal(d->region_code, f[2]);
            assert_string_equal(d->region_name, f[3]);
            char *k = fold(f[1]);
            size_t len;
            assert_string_equal(oa_departement_key(row, &len), k);
            assert_int_equal(len, strlen(k));
            free(k);
            row++;
        }
        header = 1;
    }
    free(data);
    assert_int_equal(row, oa_dept_count);
    assert_int_equal(oasis_departement_count(), oa_dept_count);
    assert_null(oa_departement_key(oa_dept_count, NULL));
}

static void test_departement_order_and_alias(void **state)
{
    (void)state;
    size_t seen[256] = {0}, max_words = 0;
    for (size_t j = 0; j < oa_dept_count; j++) {
        size_t i = oa_dept_by_len[j];
        assert_true(i < oa_dept_count);
        assert_int_equal(seen[i]++, 0);
        if (j)
            assert_true(oa_dept_keys[oa_dept_by_len[j - 1]].len >= oa_dept_keys[i].len);
        const oa_dept_key *k = &oa_dept_keys[i];
        size_t words = 1;
        for (const char *p = k->key; *p; p++)
            words += *p == ' ';
        if (words > max_words)
            max_words = words;
        int article = !strncmp(k->key, "la ", 3) || !strncmp(k->key, "le ", 3) ||
                      !strncmp(k->key, "les ", 4);
        assert_int_equal(k->alias >= 0, article);
        if (article)
            assert_int_equal(k->key[k->alias - 1], ' ');
    }
    assert_int_equal(max_words, oa_dept_max_words);
    /* The alias is found: "Réunion" for "La Réunion". */
    assert_string_equal(oa_departement_find("Réunion", strlen("Réunion"))->code, "974");
}

static void test_regions(void **state)
{
    (void)state;
    assert_int_equal(oasis_region_count(), oa_region_count);
    for (size_t r = 0; r < oa_region_count; r++) {
        char *k = fold(oa_region_table[r].name);
        assert_string_equal(oa_region_keys[r], k);
        free(k);
        if (r)
            assert_true(strcmp(oa_region_table[r - 1].code, oa_region_table[r].code) < 0);
        /* Each région is some département's, with the same name. */
        int found = 0;
        for (size_t i = 0; i < oa_dept_count && !found; i++)
            found = !strcmp(oa_dept_table[i].region_code, oa_region_table[r].code) &&
                    !strcmp(oa_dept_table[i].region_name, oa_region_table[r].name);
        assert_true(found);
    }
    for (size_t i = 0; i < oa_dept_count; i++) {
        const oasis_region *reg = oasis_region_find(oa_dept_table[i].region_code);
        assert_non_null(reg);
        assert_string_equal(reg->name, oa_dept_table[i].region_name);
    }
}

/* The exact code lookups give what the folding lookups give, and only for
 * canonical codes. */
static void test_by_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < oa_dept_count; i++) {
        const char *code = oa_dept_table[i].code;
        assert_ptr_equal(oa_departement_by_code(code, strlen(code)), &oa_dept_table[i]);
        assert_ptr_equal(oa_departement_find(code, strlen(code)), &oa_dept_table[i]);
    }
    /* Every two- and three-character string: a hit is exactly a code. */
    const char alphabet[] = "0123456789ABab ";
    for (size_t a = 0; a < sizeof alphabet - 1; a++)
        for (size_t b = 0; b < sizeof alphabet - 1; b++)
            for (size_t c = 0; c <= sizeof alphabet - 1; c++) {
                char s[4] = {alphabet[a], alphabet[b], c < sizeof alphabet - 1 ? alphabet[c] : 0, 0};
                const oasis_departement *d = oa_departement_by_code(s, strlen(s));
                if (d)
                    assert_string_equal(d->code, s);
                else
                    for (size_t i = 0; i < oa_dept_count; i++)
                        assert_string_not_equal(oa_dept_table[i].code, s);
            }
    assert_null(oa_departement_by_code("2a", 2));
    assert_null(oa_departement_by_code("1", 1));
    assert_null(oa_departement_by_code("20", 2));
    assert_null(oa_departement_by_code("975", 3));
    assert_null(oa_departement_by_code("4501", 2 + 2));
    assert_string_equal(oa_departement_by_code("4501", 2)->code, "45");
    assert_null(oa_departement_by_code(NULL, 2));
    /* The folding lookups still take what people write. */
    assert_string_equal(oa_departement_find("2a", 2)->code, "2A");
    assert_string_equal(oa_departement_find("1", 1)->code, "01");

    for (size_t r = 0; r < oa_region_count; r++) {
        const char *code = oa_region_table[r].code;
        assert_ptr_equal(oa_region_by_code(code, strlen(code)), &oa_region_table[r]);
        assert_ptr_equal(oa_region_find(code, strlen(code)), &oa_region_table[r]);
    }
    assert_null(oa_region_by_code("99", 2));
    assert_null(oa_region_by_code("2", 1));
    assert_null(oa_region_by_code(NULL, 2));
    assert_string_equal(oa_region_find("2", 1)->code, "02");
}

static void assert_same_expr(const oa_syn_expr *a, const oa_syn_expr *b)
{
    assert_string_equal(a->text, b->text);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->group, b->group);
    assert_int_equal(a->preferred, b->preferred);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->term[i], b->term[i]);
        if (a->alt[i] || b->alt[i]) {
            assert_non_null(a->alt[i]);
            assert_non_null(b->alt[i]);
            assert_string_equal(a->alt[i], b->alt[i]);
        }
    }
}

/* The compiled-in thesaurus is what parsing the embedded table gives. */
static void test_synonyms(void **state)
{
    (void)state;
    const oa_thesaurus *built;
    assert_int_equal(oa_thesaurus_builtin(&built), 0);
    oa_thesaurus *parsed;
    assert_int_equal(oa_thesaurus_parse(oa_synonyms_tsv, &parsed), 0);
    assert_true(oa_thesaurus_size(built) > 10);
    assert_int_equal(oa_thesaurus_size(built), oa_thesaurus_size(parsed));
    for (size_t i = 0; i < oa_thesaurus_size(parsed); i++)
        assert_same_expr(oa_thesaurus_at(built, i), oa_thesaurus_at(parsed, i));
    oa_thesaurus_free(parsed);
    const oa_thesaurus *again;
    assert_int_equal(oa_thesaurus_builtin(&again), 0);
    assert_ptr_equal(again, built);
}

static void test_communes_len(void **state)
{
    (void)state;
    assert_int_equal(oa_communes_tsv_len, strlen(oa_communes_tsv));
    assert_true(oa_communes_count() > 34000);
    oa_commune c;
    assert_int_equal(oa_communes_at(oa_communes_count() - 1, &c), 0);
    assert_int_equal(oa_communes_at(oa_communes_count(), &c), OASIS_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_departement_rows),
        cmocka_unit_test(test_departement_order_and_alias),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_by_code),
        cmocka_unit_test(test_synonyms),
        cmocka_unit_test(test_communes_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
