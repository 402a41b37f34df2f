/* Concepts through the taxonomy: words that name an action category (its
 * slug, label or a rule phrase) also find that category's initiatives,
 * below those that hold the words, and --explain says so. */
#define _POSIX_C_SOURCE 200809L
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

static oasis_results *search(void **state, const char *q, const char *category, int synonyms)
{
    t_corpus_fixture *f = *state;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    o.explain = 1;
    o.facets = 1;
    o.synonyms = synonyms;
    const char *cats[1] = {category};
    o.categories = cats;
    o.n_categories = category ? 1 : 0;
    oasis_results *r = NULL;
    if (oasis_search(f->s, q, &o, &r) != 0)
        fail_msg("'%s': %s", q, oasis_error_last());
    return r;
}

/* The match of h that says h has category slug, or NULL. */
static const oasis_match *category_match(const oasis_hit *h, const char *slug)
{
    char label[64];
    snprintf(label, sizeof label, "cat:%s", slug);
    for (size_t i = 0; i < h->n_matches; i++)
        if (h->matches[i].kind == OASIS_MATCH_CATEGORY && !strcmp(h->matches[i].query, label))
            return &h->matches[i];
    return NULL;
}

static size_t facet(const oasis_results *r, const char *slug)
{
    for (size_t i = 0; i < oasis_results_facet_count(r, OASIS_FACET_CATEGORY); i++) {
        const oasis_facet_value *v = oasis_results_facet_at(r, OASIS_FACET_CATEGORY, i);
        if (!strcmp(v->value, slug))
            return v->count;
    }
    return 0;
}

/* The Medicobus says "bus santé connecté", never télémédecine: it is
 * found through its category, and the match says which words named it. */
static void test_category_finds(void **state)
{
    oasis_results *r = search(state, "télémédecine", NULL, 1);
    const oasis_hit *found = NULL;
    for (size_t i = 0; i < oasis_results_hit_count(r); i++)
        if (!strcmp(oasis_results_hit_at(r, i)->id, "06-medicobus"))
            found = oasis_results_hit_at(r, i);
    assert_non_null(found);
    const oasis_match *m = category_match(found, "telemedecine");
    assert_non_null(m);
    assert_string_equal(m->of, "télémédecine");
    assert_false(found->all_terms);
    oasis_results_free(r);
    /* Without the query side's knowledge (synonyms off), words only. */
    r = search(state, "télémédecine", NULL, 0);
    assert_int_equal(oasis_results_total(r), 0);
    oasis_results_free(r);
}

/* A category's name finds every initiative of the category: its facet
 * count is the category's count in the whole index; the hits that hold
 * the words rank first. */
static void test_agrees_with_facets(void **state)
{
    for (size_t c = 0; c < oasis_category_count(); c++) {
        const oasis_category *cat = oasis_category_at(c);
        oasis_results *all = search(state, "", cat->slug, 1);
        oasis_results *r = search(state, cat->slug, NULL, 1);
        if (facet(r, cat->slug) != oasis_results_total(all))
            fail_msg("'%s': facet %zu, %zu initiatives with the category", cat->slug,
                     facet(r, cat->slug), oasis_results_total(all));
        int words_done = 0;
        for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
            const oasis_hit *h = oasis_results_hit_at(r, i);
            int only_category = h->n_matches == 1 && category_match(h, cat->slug);
            if (only_category)
                words_done = 1;
            else if (words_done)
                fail_msg("'%s': %s holds words but ranks after a category-only hit", cat->slug,
                         h->id);
        }
        oasis_results_free(r);
        oasis_results_free(all);
    }
    /* By label and by rule phrase too. */
    oasis_results *r = search(state, "Santé itinérante", NULL, 1);
    assert_int_equal(facet(r, "itinerance"), 2);
    oasis_results_free(r);
    r = search(state, "consultation à distance", NULL, 1);
    assert_int_equal(facet(r, "telemedecine"), 1);
    oasis_results_free(r);
}

/* Words that name no category add none. */
static void test_no_category(void **state)
{
    oasis_results *r = search(state, "Vannson", NULL, 1);
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        for (size_t k = 0; k < h->n_matches; k++)
            assert_int_not_equal(h->matches[k].kind, OASIS_MATCH_CATEGORY);
    }
    assert_int_equal(oasis_results_total(r), 1);
    oasis_results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_category_finds),
        cmocka_unit_test(test_agrees_with_facets),
        cmocka_unit_test(test_no_category),
    };
    return cmocka_run_group_tests(tests, t_corpus_setup, t_corpus_teardown);
}
