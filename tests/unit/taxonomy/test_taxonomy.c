/* The département table and the resolution of names, codes and labels. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oasis.h"
#include "taxonomy/departements.h"
#include "taxonomy/placenames.h"
#include "testutil.h"

/* Splits a data file into its rows of tab-separated fields, '#' lines and
 * blank lines skipped. Calls fn(fields, n, lineno, ud) for each. */
typedef void (*row_fn)(char **f, size_t n, int lineno, void *ud);

static void each_row(const char *rel, row_fn fn, void *ud)
{
    char *data = t_read_file(t_source_path(rel), NULL), *cursor = data, *line;
    int lineno = 0;
    while ((line = t_next_row(&cursor, &lineno)) != NULL) {
        char *f[8];
        fn(f, t_split_tabs(line, f, 8), lineno, ud);
    }
    free(data);
}

/* "54,88" from the codes of ds (spaces in the expected column trimmed). */
static void join_codes(const oasis_departement *const *ds, size_t n, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, ds[i]->code, cap - strlen(out) - 1);
    }
}

static void *count_in_thread(void *arg)
{
    (void)arg;
    size_t n = oasis_departement_count();
    const oasis_departement *d = oasis_departement_find("Loir-et-Cher");
    return (void *)(uintptr_t)(n == 101 && d && !strcmp(d->code, "41"));
}

/* First test: several threads race to build the table. */
static void test_init_threads(void **state)
{
    (void)state;
    pthread_t th[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, count_in_thread, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *ok;
        assert_int_equal(pthread_join(th[i], &ok), 0);
        assert_true(ok != NULL);
    }
    assert_int_equal(oa_departements_init(), 0);
}

static void test_table(void **state)
{
    (void)state;
    assert_int_equal(oasis_departement_count(), 101);
    assert_null(oasis_departement_at(101));
    for (size_t i = 0; i < 101; i++) {
        const oasis_departement *d = oasis_departement_at(i);
        assert_non_null(d);
        assert_true(*d->code && *d->name && *d->region_code && *d->region_name);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(d->code, oasis_departement_at(j)->code);
        /* Every name and every code leads back to its own entry. */
        assert_ptr_equal(oasis_departement_find(d->name), d);
        assert_ptr_equal(oasis_departement_find(d->code), d);
    }
    static const char *const special[] = {"2A", "2B", "971", "972", "973", "974", "976"};
    for (size_t k = 0; k < sizeof special / sizeof *special; k++) {
        size_t i = 0;
        while (i < 101 && strcmp(oasis_departement_at(i)->code, special[k]))
            i++;
        assert_true(i < 101);
    }
    const oasis_departement *d = oasis_departement_find("41");
    assert_string_equal(d->name, "Loir-et-Cher");
    assert_string_equal(d->region_code, "24");
    assert_string_equal(d->region_name, "Centre-Val de Loire");
    assert_null(oasis_departement_find(NULL));
}

static void find_row(char **f, size_t n, int lineno, void *ud)
{
    (void)ud;
    if (n != 2)
        fail_msg("taxonomy_find.tsv line %d: expected 2 fields", lineno);
    const oasis_departement *d = oasis_departement_find(f[0]);
    const oasis_departement *e = oa_departement_find(f[0], strlen(f[0]));
    if (!strcmp(f[1], "-")) {
        if (d)
            fail_msg("line %d: '%s' gave %s, expected none", lineno, f[0], d->code);
        return;
    }
    if (!d || strcmp(d->code, f[1]))
        fail_msg("line %d: '%s' gave %s, expected %s", lineno, f[0], d ? d->code : "none", f[1]);
    assert_ptr_equal(d, e);
}

static void test_find(void **state)
{
    (void)state;
    each_row("tests/data/taxonomy_find.tsv", find_row, NULL);
    /* A length shorter than the string is honoured. */
    const oasis_departement *d = oa_departement_find("Lot-et-Garonne", 3);
    assert_non_null(d);
    assert_string_equal(d->code, "46");
}

static void label_row(char **f, size_t n, int lineno, void *ud)
{
    (void)ud;
    if (n != 3)
        fail_msg("taxonomy_labels.tsv line %d: expected 3 fields", lineno);
    const oasis_departement *out[8];
    size_t got = 99;
    int rc = oa_departement_resolve_label(f[0], strlen(f[0]), out, 8, &got);
    char codes[128];
    join_codes(out, got, codes, sizeof codes);
    const char *want = t_trim(f[1]);
    if (strcmp(codes, want))
        fail_msg("line %d: '%s' gave '%s', expected '%s'", lineno, f[0], codes, want);
    int want_rc = !strcmp(f[2], "ok") ? 0 : OASIS_ENOTFOUND;
    if (rc != want_rc)
        fail_msg("line %d: '%s' returned %d, expected %d", lineno, f[0], rc, want_rc);
}

static void test_resolve_label(void **state)
{
    (void)state;
    each_row("tests/data/taxonomy_labels.tsv", label_row, NULL);

    /* The message names the part that failed. */
    const oasis_departement *out[4];
    size_t n;
    assert_int_equal(oa_departement_resolve_label("Vosges & Atlantide", 18, out, 4, &n),
                     OASIS_ENOTFOUND);
    assert_string_equal(oasis_error_last(), "unknown département 'Atlantide'");

    /* max bounds what is stored. */
    const char *many = "Ain, Aisne, Allier";
    assert_int_equal(oa_departement_resolve_label(many, strlen(many), out, 2, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(out[1]->code, "02");
}

static void scan_row(char **f, size_t n, int lineno, void *ud)
{
    (void)ud;
    if (n != 2)
        fail_msg("taxonomy_scan.tsv line %d: expected 2 fields", lineno);
    const oasis_departement *out[16];
    size_t got = oa_departement_scan(f[0], strlen(f[0]), out, 16);
    char codes[128];
    join_codes(out, got, codes, sizeof codes);
    const char *want = t_trim(f[1]);
    if (strcmp(codes, want))
        fail_msg("line %d: '%s' gave '%s', expected '%s'", lineno, f[0], codes, want);
}

static void test_scan(void **state)
{
    (void)state;
    each_row("tests/data/taxonomy_scan.tsv", scan_row, NULL);
    const oasis_departement *out[1];
    const char *t = "Cher, Indre, Vienne";
    assert_int_equal(oa_departement_scan(t, strlen(t), out, 1), 1);
    assert_string_equal(out[0]->code, "18");
}

/* Every other name of corpus/place-names.tsv points to a région or a
 * département of the table, and is found by the lookups of filters. */
static void test_place_names(void **state)
{
    (void)state;
    size_t n = oa_place_alias_count();
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        oa_place_alias a;
        const char *key = oa_place_alias_at(i, &a);
        assert_non_null(key);
        if (!a.region && !a.departement)
            fail_msg("place-names.tsv: '%s' names no région or département of the table", key);
        if (a.region)
            assert_ptr_equal(oa_region_find(key, strlen(key)), a.region);
        else
            assert_ptr_equal(oa_departement_find(key, strlen(key)), a.departement);
    }
    assert_null(oa_place_alias_at(n, &(oa_place_alias){0}));
    assert_string_equal(oasis_region_find("PACA")->code, "93");
    assert_string_equal(oasis_region_find("île-de-France")->code, "11");
    assert_string_equal(oasis_region_find("Région Sud")->code, "93");
    assert_null(oasis_region_find("Alsace"));
    assert_null(oasis_region_find("Paris"));
    assert_int_equal(oa_place_name_continues("pays", 4), 1);
    assert_int_equal(oa_place_name_continues("region", 6), 1);
    assert_int_equal(oa_place_name_continues("bretagne", 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_threads),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_resolve_label),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_place_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
