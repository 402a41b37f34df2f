/* Facets and filters on the real corpus, counted by hand from the two
 * source files (see the comments by each expectation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oasis.h"
#include "testutil.h"

typedef t_corpus_fixture fixture;

typedef struct filters {
    const char *dept[4], *region[4], *category[4];
} filters;

static size_t count_of(const char *const *v)
{
    size_t n = 0;
    while (n < 4 && v[n])
        n++;
    return n;
}

static oasis_results *run(fixture *f, const char *q, const filters *fl, size_t limit)
{
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.facets = 1;
    o.limit = limit;
    if (fl) {
        o.departements = fl->dept;
        o.n_departements = count_of(fl->dept);
        o.regions = fl->region;
        o.n_regions = count_of(fl->region);
        o.categories = fl->category;
        o.n_categories = count_of(fl->category);
    }
    oasis_results *r = NULL;
    if (oasis_search(f->s, q, &o, &r) != 0)
        fail_msg("search '%s': %s", q, oasis_error_last());
    return r;
}

/* The count of value in facet, 0 when absent. */
static size_t facet_count(const oasis_results *r, oasis_facet facet, const char *value)
{
    for (size_t i = 0; i < oasis_results_facet_count(r, facet); i++) {
        const oasis_facet_value *v = oasis_results_facet_at(r, facet, i);
        if (!strcmp(v->value, value))
            return v->count;
    }
    return 0;
}

static size_t facet_sum(const oasis_results *r, oasis_facet facet)
{
    size_t sum = 0;
    for (size_t i = 0; i < oasis_results_facet_count(r, facet); i++)
        sum += oasis_results_facet_at(r, facet, i)->count;
    return sum;
}

static void test_whole_corpus(void **state)
{
    oasis_results *r = run(*state, "", NULL, 0);
    assert_int_equal(oasis_results_total(r), 23);
    assert_int_equal(oasis_results_hit_count(r), 0); /* limit 0: counts only */
    /* 22 départements: Indre and Loir-et-Cher twice each, the joint
     * initiative once for 54 and once for 88: 23 + 1 = 24 pairs. */
    assert_int_equal(oasis_results_facet_count(r, OASIS_FACET_DEPARTEMENT), 22);
    assert_int_equal(facet_sum(r, OASIS_FACET_DEPARTEMENT), 24);
    assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, "36"), 2);
    assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, "41"), 2);
    assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, "54"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, "88"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, "45"), 1);
    /* Most frequent first, ties by code. */
    assert_string_equal(oasis_results_facet_at(r, OASIS_FACET_DEPARTEMENT, 0)->value, "36");
    assert_string_equal(oasis_results_facet_at(r, OASIS_FACET_DEPARTEMENT, 1)->value, "41");
    assert_string_equal(oasis_results_facet_at(r, OASIS_FACET_DEPARTEMENT, 2)->value, "01");
    assert_string_equal(oasis_results_facet_at(r, OASIS_FACET_DEPARTEMENT, 2)->label, "Ain");
    /* Régions: Centre-Val de Loire = Loiret 1 + Loir-et-Cher 2 + Indre 2;
     * Île-de-France = Essonne, Seine-et-Marne, Seine-Saint-Denis, Yvelines;
     * Nouvelle-Aquitaine = Gironde, Lot-et-Garonne, Vienne; the joint
     * Meurthe-et-Moselle & Vosges initiative counts once for Grand Est. */
    assert_int_equal(oasis_results_facet_count(r, OASIS_FACET_REGION), 10);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "24"), 5);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "11"), 4);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "75"), 3);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "32"), 2);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "52"), 2);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "84"), 2);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "93"), 2);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "44"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "27"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "76"), 1);
    assert_int_equal(facet_sum(r, OASIS_FACET_REGION), 23);
    oasis_results_free(r);
}

/* The category facet counts exactly what the hits carry. */
static void test_category_facet_matches_hits(void **state)
{
    oasis_results *r = run(*state, "", NULL, 100);
    assert_int_equal(oasis_results_hit_count(r), 23);
    for (size_t c = 0; c < oasis_category_count(); c++) {
        const char *slug = oasis_category_at(c)->slug;
        size_t carried = 0;
        for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
            const oasis_hit *h = oasis_results_hit_at(r, i);
            for (size_t k = 0; k < h->n_categories; k++)
                carried += !strcmp(h->categories[k]->slug, slug);
        }
        assert_int_equal(facet_count(r, OASIS_FACET_CATEGORY, slug), carried);
    }
    /* Housing for interns and trainees: Indre, Loiret, Haute-Saône at least. */
    assert_true(facet_count(r, OASIS_FACET_CATEGORY, "logement") >= 3);
    oasis_results_free(r);
}

static void test_query_facets(void **state)
{
    /* "logement internes" matches Indre and Loiret (both words), Haute-Saône
     * (hébergement, stagiaires: synonyms of both), Mayenne (internes only),
     * Bouches-du-Rhône ("hébergé", a synonym of logement) and Ain (in the
     * category that "internes" names, etudiants). */
    oasis_results *r = run(*state, "logement internes", NULL, 10);
    assert_int_equal(oasis_results_total(r), 6);
    static const char *const depts[] = {"36", "45", "70", "53", "13", "01"};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, depts[i]), 1);
    assert_int_equal(oasis_results_facet_count(r, OASIS_FACET_DEPARTEMENT), 6);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "84"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "24"), 2);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "52"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "27"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "93"), 1);
    oasis_results_free(r);
}

static void test_joint_initiative(void **state)
{
    oasis_results *r = run(*state, "Vannson", NULL, 10);
    assert_int_equal(oasis_results_total(r), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, "54"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, "88"), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "44"), 1);
    assert_int_equal(facet_sum(r, OASIS_FACET_REGION), 1);
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    assert_int_equal(h->n_regions, 1);
    assert_string_equal(h->regions[0]->name, "Grand Est");
    oasis_results_free(r);
}

static void test_disjunctive(void **state)
{
    fixture *f = *state;
    oasis_results *plain = run(f, "santé", NULL, 50);
    filters fl = {{"45"}, {NULL}, {NULL}};
    oasis_results *r = run(f, "santé", &fl, 50);
    assert_int_equal(oasis_results_total(r), 1);
    /* The filtered facet still shows every département's count... */
    assert_int_equal(oasis_results_facet_count(r, OASIS_FACET_DEPARTEMENT),
                     oasis_results_facet_count(plain, OASIS_FACET_DEPARTEMENT));
    for (size_t i = 0; i < oasis_results_facet_count(plain, OASIS_FACET_DEPARTEMENT); i++) {
        const oasis_facet_value *v = oasis_results_facet_at(plain, OASIS_FACET_DEPARTEMENT, i);
        assert_int_equal(facet_count(r, OASIS_FACET_DEPARTEMENT, v->value), v->count);
    }
    /* ...while région and category count within the filter. */
    assert_int_equal(oasis_results_facet_count(r, OASIS_FACET_REGION), 1);
    assert_int_equal(facet_count(r, OASIS_FACET_REGION, "24"), 1);
    for (size_t i = 0; i < oasis_results_facet_count(r, OASIS_FACET_CATEGORY); i++)
        assert_int_equal(oasis_results_facet_at(r, OASIS_FACET_CATEGORY, i)->count, 1);
    oasis_results_free(r);

    /* Two filters: région Centre-Val de Loire and category logement. */
    filters two = {{NULL}, {"Centre-Val de Loire"}, {"logement"}};
    r = run(f, "", &two, 50);
    filters region_only = {{NULL}, {"24"}, {NULL}};
    filters cat_only = {{NULL}, {NULL}, {"logement"}};
    oasis_results *by_region = run(f, "", &region_only, 50);
    oasis_results *by_cat = run(f, "", &cat_only, 50);
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        assert_string_equal(h->regions[0]->code, "24");
        int has = 0;
        for (size_t k = 0; k < h->n_categories; k++)
            has |= !strcmp(h->categories[k]->slug, "logement");
        assert_true(has);
    }
    assert_true(oasis_results_total(r) >= 2); /* Indre and Loiret */
    /* Région counts as with the category filter alone; category counts as
     * with the région filter alone; département counts within both. */
    for (size_t i = 0; i < oasis_results_facet_count(by_cat, OASIS_FACET_REGION); i++) {
        const oasis_facet_value *v = oasis_results_facet_at(by_cat, OASIS_FACET_REGION, i);
        assert_int_equal(facet_count(r, OASIS_FACET_REGION, v->value), v->count);
    }
    for (size_t i = 0; i < oasis_results_facet_count(by_region, OASIS_FACET_CATEGORY); i++) {
        const oasis_facet_value *v = oasis_results_facet_at(by_region, OASIS_FACET_CATEGORY, i);
        assert_int_equal(facet_count(r, OASIS_FACET_CATEGORY, v->value), v->count);
    }
    assert_int_equal(facet_sum(r, OASIS_FACET_DEPARTEMENT), oasis_results_total(r));
    oasis_results_free(by_region);
    oasis_results_free(by_cat);
    oasis_results_free(r);
    oasis_results_free(plain);
}

static void test_or_within_and_across(void **state)
{
    fixture *f = *state;
    filters two_depts = {{"45", "36"}, {NULL}, {NULL}};
    oasis_results *r = run(f, "", &two_depts, 50);
    assert_int_equal(oasis_results_total(r), 3); /* Loiret 1 + Indre 2 */
    oasis_results_free(r);
    filters and = {{"45", "36"}, {"Pays de la Loire"}, {NULL}};
    r = run(f, "", &and, 50);
    assert_int_equal(oasis_results_total(r), 0);
    oasis_results_free(r);
}

static void test_unknown_values(void **state)
{
    fixture *f = *state;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    const char *bad[] = {"telepathie"};
    o.categories = bad;
    o.n_categories = 1;
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(f->s, "santé", &o, &r), OASIS_EINVAL);
    assert_non_null(strstr(oasis_error_last(), "telepathie"));
    assert_non_null(strstr(oasis_error_last(), "valid: ")); /* and the slugs */
    assert_non_null(strstr(oasis_error_last(), "logement"));
    o.n_categories = 0;
    const char *region[] = {"Atlantide"};
    o.regions = region;
    o.n_regions = 1;
    assert_int_equal(oasis_search(f->s, "santé", &o, &r), OASIS_EINVAL);
    assert_non_null(strstr(oasis_error_last(), "région 'Atlantide'"));
    assert_null(r);
}

static void test_regions_table(void **state)
{
    (void)state;
    assert_int_equal(oasis_region_count(), 18); /* 13 metropolitan + 5 overseas */
    assert_string_equal(oasis_region_find("grand est")->code, "44");
    assert_string_equal(oasis_region_find("Ile-de-France")->code, "11");
    assert_string_equal(oasis_region_find("1")->name, "Guadeloupe");
    assert_null(oasis_region_find("Atlantide"));
    for (size_t i = 0; i + 1 < oasis_region_count(); i++)
        assert_true(strcmp(oasis_region_at(i)->code, oasis_region_at(i + 1)->code) < 0);
    assert_null(oasis_region_at(oasis_region_count()));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_corpus),
        cmocka_unit_test(test_category_facet_matches_hits),
        cmocka_unit_test(test_query_facets),
        cmocka_unit_test(test_joint_initiative),
        cmocka_unit_test(test_disjunctive),
        cmocka_unit_test(test_or_within_and_across),
        cmocka_unit_test(test_unknown_values),
        cmocka_unit_test(test_regions_table),
    };
    return cmocka_run_group_tests_name("facets", tests, t_corpus_setup, t_corpus_teardown);
}
