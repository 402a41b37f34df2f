/* What the library gives long-running readers: completions of a text
 * being typed, the rules behind a hit's categories, and a searcher
 * brought to the index's latest commit. On corpus/ indexed for real. */
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
#include "taxonomy/communes.h"
#include "testutil.h"

typedef t_corpus_fixture fixture;

/* The completion of kind whose value (or label, for a word) is v, or NULL. */
static const oasis_completion *find(const oasis_completions *c, oasis_completion_kind kind,
                                    const char *v)
{
    for (size_t i = 0; i < oasis_completions_count(c); i++) {
        const oasis_completion *x = oasis_completions_at(c, i);
        if (x->kind == kind && !strcmp(x->value ? x->value : x->label, v))
            return x;
    }
    return NULL;
}

static void test_complete_places_and_words(void **state)
{
    fixture *f = *state;
    oasis_completions *c = NULL;
    assert_int_equal(oasis_searcher_complete(f->s, "logement loir", 20, &c), 0);
    const oasis_completion *x = find(c, OASIS_COMPLETION_DEPARTEMENT, "45");
    assert_non_null(x);
    assert_string_equal(x->text, "logement Loiret");
    assert_string_equal(x->label, "Loiret");
    x = find(c, OASIS_COMPLETION_DEPARTEMENT, "41"); /* hyphens ignored */
    assert_non_null(x);
    assert_string_equal(x->text, "logement Loir-et-Cher");
    /* Places and categories before words, words before communes. */
    int seen_word = 0, seen_commune = 0;
    for (size_t i = 0; i < oasis_completions_count(c); i++) {
        oasis_completion_kind k = oasis_completions_at(c, i)->kind;
        if (k == OASIS_COMPLETION_WORD)
            seen_word = 1;
        else if (k == OASIS_COMPLETION_COMMUNE)
            seen_commune = 1;
        else
            assert_false(seen_word || seen_commune);
        if (k == OASIS_COMPLETION_WORD)
            assert_false(seen_commune);
    }
    oasis_completions_free(c);
    /* Several words of a name: "loir et ch". */
    assert_int_equal(oasis_searcher_complete(f->s, "Loir et ch", 5, &c), 0);
    assert_non_null(find(c, OASIS_COMPLETION_DEPARTEMENT, "41"));
    assert_true(oasis_completions_count(c) <= 5);
    oasis_completions_free(c);
    /* A word of the index, with the initiatives holding it. */
    assert_int_equal(oasis_searcher_complete(f->s, "VÉSOU", 0, &c), 0);
    x = find(c, OASIS_COMPLETION_WORD, "vesoul");
    assert_non_null(x);
    assert_string_equal(x->text, "vesoul");
    assert_true(x->count >= 1);
    assert_null(x->value);
    oasis_completions_free(c);
    /* A category, by label or slug; a région. */
    assert_int_equal(oasis_searcher_complete(f->s, "itinér", 0, &c), 0);
    assert_non_null(find(c, OASIS_COMPLETION_CATEGORY, "itinerance"));
    oasis_completions_free(c);
    assert_int_equal(oasis_searcher_complete(f->s, "grand e", 0, &c), 0);
    assert_non_null(find(c, OASIS_COMPLETION_REGION, "44"));
    oasis_completions_free(c);
}

static void test_complete_edges(void **state)
{
    fixture *f = *state;
    oasis_completions *c = NULL;
    static const char *const nothing[] = {"", "   ", "logement ", NULL};
    for (size_t i = 0; nothing[i]; i++) {
        assert_int_equal(oasis_searcher_complete(f->s, nothing[i], 0, &c), 0);
        assert_int_equal(oasis_completions_count(c), 0);
        assert_null(oasis_completions_at(c, 0));
        oasis_completions_free(c);
    }
    assert_int_equal(oasis_searcher_complete(f->s, NULL, 0, &c), 0);
    assert_int_equal(oasis_completions_count(c), 0);
    oasis_completions_free(c);
    /* At most 50, 10 by default. */
    assert_int_equal(oasis_searcher_complete(f->s, "sa", 1000, &c), 0);
    assert_int_equal(oasis_completions_count(c), 50);
    oasis_completions_free(c);
    assert_int_equal(oasis_searcher_complete(f->s, "sa", 0, &c), 0);
    assert_int_equal(oasis_completions_count(c), 10);
    oasis_completions_free(c);
    assert_int_equal(oasis_searcher_complete(f->s, "m\xc3", 0, &c), OASIS_EFORMAT);
    assert_null(c);
    oasis_completions_free(NULL);
}

static void test_communes_prefix(void **state)
{
    (void)state;
    oa_commune found[8];
    size_t n = oa_communes_prefix("vesou", 5, found, 8);
    int vesoul = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(found[i].name_len >= 5);
        vesoul |= found[i].name_len == 6 && !memcmp(found[i].name, "Vesoul", 6) &&
                  !strcmp(found[i].departement->code, "70");
    }
    assert_true(vesoul);
    assert_int_equal(oa_communes_prefix("saint", 5, found, 8), 8); /* bounded */
    assert_int_equal(oa_communes_prefix("zzzzzz", 6, found, 8), 0);
    assert_int_equal(oa_communes_prefix("", 0, found, 8), 0);
}

typedef struct reasons {
    size_t n, with_rule;
    char slugs[16][32];
} reasons;

static void on_reason(void *userdata, const char *doc_id, const char *category,
                      const char *phrase, long rule_line)
{
    reasons *r = userdata;
    assert_non_null(doc_id);
    assert_true(phrase ? rule_line > 0 : rule_line == 0);
    if (r->n < 16)
        snprintf(r->slugs[r->n], sizeof r->slugs[r->n], "%s", category);
    r->n++;
    r->with_rule += phrase != NULL;
}

static void test_category_reasons(void **state)
{
    fixture *f = *state;
    oasis_results *res = NULL;
    assert_int_equal(oasis_searcher_get(f->s, "70-la-maison-des-stagiaires-du-bassin-vesulien",
                                        &res),
                     0);
    const oasis_hit *h = oasis_results_hit_at(res, 0);
    reasons r = {0};
    assert_int_equal(oasis_searcher_category_reasons(f->s, h, on_reason, &r), 0);
    assert_int_equal(r.n, h->n_categories);
    for (size_t i = 0; i < h->n_categories && i < 16; i++)
        assert_string_equal(r.slugs[i], h->categories[i]->slug);
    assert_int_equal(r.with_rule, r.n); /* corpus/ names no category itself */
    oasis_results_free(res);
}

static void test_reopen(void **state)
{
    (void)state;
    char *dir = t_mkdtemp(), path[4200];
    snprintf(path, sizeof path, "%s/reopen.db", dir);
    oasis_writer *w = NULL;
    assert_int_equal(oasis_writer_open(&w, path, NULL), 0);
    oasis_doc d = OASIS_DOC_INIT;
    d.id = "one";
    d.title = "Maison de santé";
    d.text = "Un logement pour les internes.";
    assert_int_equal(oasis_writer_add(w, &d), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    oasis_searcher *s = NULL;
    assert_int_equal(oasis_searcher_open(&s, path), 0);
    assert_int_equal(oasis_searcher_doc_count(s), 1);
    int changed = -1;
    assert_int_equal(oasis_searcher_reopen(s, &changed), 0);
    assert_int_equal(changed, 0);
    d.id = "two";
    assert_int_equal(oasis_writer_add(w, &d), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(oasis_searcher_reopen(s, &changed), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(oasis_searcher_doc_count(s), 2);
    assert_int_equal(oasis_searcher_reopen(s, NULL), 0);
    oasis_searcher_free(s);
    oasis_writer_free(w);
    t_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete_places_and_words),
        cmocka_unit_test(test_complete_edges),
        cmocka_unit_test(test_communes_prefix),
        cmocka_unit_test(test_category_reasons),
        cmocka_unit_test(test_reopen),
    };
    return cmocka_run_group_tests(tests, t_corpus_setup, t_corpus_teardown);
}
