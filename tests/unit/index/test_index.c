/* The library end to end: the real corpus written into a real Xapian index
 * in a temporary directory, then searched. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "index/schema.h"
#include "oasis.h"
#include "testutil.h"
#include "xapian/xapc.h"

typedef struct fixture {
    char *dir;
    char index[4096];
    size_t warnings;
    char last_warning[512];
} fixture;

static void count_warning(void *userdata, const char *file, long line, const char *message)
{
    fixture *f = userdata;
    f->warnings++;
    snprintf(f->last_warning, sizeof f->last_warning, "%s:%ld: %s", file, line, message);
}

static int open_writer(fixture *f, oasis_writer **w)
{
    oasis_writer_options o = OASIS_WRITER_OPTIONS_INIT;
    o.warning = count_warning;
    o.warning_userdata = f;
    return oasis_writer_open(w, f->index, &o);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = t_mkdtemp();
    snprintf(f->index, sizeof f->index, "%s/oasis.db", f->dir);
    oasis_writer *w;
    assert_int_equal(open_writer(f, &w), 0);
    oasis_add_stats st = OASIS_ADD_STATS_INIT;
    assert_int_equal(oasis_writer_add_path(w, t_source_path("corpus"), &st), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    oasis_writer_free(w);
    assert_int_equal(st.files, 2);
    assert_int_equal(st.records, 23);
    assert_int_equal(st.indexed, 23);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(st.warnings, 0);
    assert_int_equal(f->warnings, 0);
    *state = f;
    return 0;
}

static oasis_results *search(fixture *f, const char *q, const oasis_search_options *o)
{
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, f->index), 0);
    oasis_results *r = NULL;
    int rc = oasis_search(s, q, o, &r);
    if (rc)
        fail_msg("search '%s': %s", q, oasis_error_last());
    oasis_searcher_free(s); /* results outlive the searcher */
    return r;
}

static int has_dept(const oasis_hit *h, const char *code)
{
    for (size_t i = 0; i < h->n_departements; i++)
        if (!strcmp(h->departements[i]->code, code))
            return 1;
    return 0;
}

static void test_doc_count_and_reindex(void **state)
{
    fixture *f = *state;
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, f->index), 0);
    assert_int_equal(oasis_searcher_doc_count(s), 23);
    oasis_searcher_free(s);
    /* Indexing the same corpus again replaces, never duplicates. */
    oasis_writer *w;
    assert_int_equal(open_writer(f, &w), 0);
    assert_int_equal(oasis_writer_add_path(w, t_source_path("corpus"), NULL), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(oasis_writer_doc_count(w), 23);
    oasis_writer_free(w);
}

static void test_logement_internes(void **state)
{
    fixture *f = *state;
    oasis_results *r = search(f, "logement internes", NULL);
    assert_true(oasis_results_hit_count(r) >= 4);
    /* Loiret (16 logements for internes), Indre (2 logements for Internes
     * en médecine) and Haute-Saône (hébergement and colocation for
     * stagiaires, through the thesaurus) are the three initiatives offering
     * housing to interns; they hold both words or their synonyms and come
     * first. */
    int seen[3] = {0, 0, 0};
    static const char *const codes[3] = {"45", "36", "70"};
    for (size_t i = 0; i < 3; i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        assert_true(h->all_terms);
        assert_int_equal(h->rank, i + 1);
        for (size_t k = 0; k < 3; k++)
            seen[k] += has_dept(h, codes[k]);
        if (i)
            assert_true(oasis_results_hit_at(r, i - 1)->score >= h->score);
    }
    assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    for (size_t i = 3; i < oasis_results_hit_count(r); i++)
        assert_false(oasis_results_hit_at(r, i)->all_terms);
    assert_true(oasis_results_total(r) >= oasis_results_hit_count(r));
    oasis_results_free(r);
}

static void test_missing_word_does_not_empty(void **state)
{
    fixture *f = *state;
    oasis_results *r = search(f, "logement xylophonistes", NULL);
    assert_true(oasis_results_total(r) > 0);
    assert_false(oasis_results_hit_at(r, 0)->all_terms);
    oasis_results_free(r);
    r = search(f, "xylophonistes", NULL);
    assert_int_equal(oasis_results_total(r), 0);
    assert_int_equal(oasis_results_hit_count(r), 0);
    oasis_results_free(r);
}

/* Every spelling in forms finds the same initiatives, at least one. */
static void assert_same_matches(fixture *f, const char *const *forms, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        oasis_results *r = search(f, forms[i], NULL);
        if (i == 0)
            total = oasis_results_total(r);
        assert_true(total > 0);
        if (oasis_results_total(r) != total)
            fail_msg("'%s' finds %zu, '%s' finds %zu", forms[0], total, forms[i],
                     oasis_results_total(r));
        oasis_results_free(r);
    }
}

static void test_accents_and_forms(void **state)
{
    const char *medecins[] = {"médecins", "MEDECIN", "medecins", "Médecin"};
    assert_same_matches(*state, medecins, 4);
    /* Snowball stems "attractivité" and "attractivite" apart: the index
     * holds both stems so accents still do not matter. */
    const char *attractivite[] = {"attractivité", "attractivite", "l'ATTRACTIVITÉ"};
    assert_same_matches(*state, attractivite, 3);
    const char *acces[] = {"accès", "acces", "d’accès"};
    assert_same_matches(*state, acces, 3);
}

static void test_dept_filter(void **state)
{
    fixture *f = *state;
    const char *loiret[] = {"45"};
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.departements = loiret;
    o.n_departements = 1;
    oasis_results *r = search(f, "logement internes", &o);
    assert_int_equal(oasis_results_total(r), 1);
    assert_true(has_dept(oasis_results_hit_at(r, 0), "45"));
    assert_string_equal(oasis_results_hit_at(r, 0)->departements[0]->name, "Loiret");
    oasis_results_free(r);

    /* Names in any form, several départements OR-ed, browsing without words. */
    const char *two[] = {"loir et cher", "Indre"};
    o.departements = two;
    o.n_departements = 2;
    o.limit = 50;
    r = search(f, "", &o);
    assert_int_equal(oasis_results_total(r), 4); /* 2 for Loir-et-Cher, 2 for Indre */
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        assert_true(has_dept(h, "41") || has_dept(h, "36"));
    }
    oasis_results_free(r);

    const char *bad[] = {"Atlantide"};
    o.departements = bad;
    o.n_departements = 1;
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, f->index), 0);
    assert_int_equal(oasis_search(s, "santé", &o, &r), OASIS_EINVAL);
    assert_non_null(strstr(oasis_error_last(), "Atlantide"));
    assert_null(r);
    oasis_searcher_free(s);
}

static void test_joint_initiative(void **state)
{
    fixture *f = *state;
    oasis_results *r = search(f, "Vannson Klein", NULL);
    assert_true(oasis_results_hit_count(r) >= 1);
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    assert_int_equal(h->n_departements, 2);
    assert_true(has_dept(h, "54") && has_dept(h, "88"));
    oasis_results_free(r);
    const char *vosges[] = {"88"};
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.departements = vosges;
    o.n_departements = 1;
    r = search(f, "plan santé", &o);
    assert_int_equal(oasis_results_total(r), 1);
    oasis_results_free(r);
}

/* Pages of 3 put together give the list of one page of 100, with
 * proximity weighed or not (its window is the same for every page). */
static void check_paging(fixture *f, int proximity)
{
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    o.exact_total = 1;
    o.proximity = proximity;
    oasis_results *all = search(f, "santé département médecins", &o);
    size_t total = oasis_results_total(all);
    assert_true(total > 6);
    assert_int_equal(oasis_results_hit_count(all), total);
    assert_true(oasis_results_total_exact(all));
    /* Best first within each tier. */
    for (size_t i = 1; i < total; i++) {
        const oasis_hit *a = oasis_results_hit_at(all, i - 1), *b = oasis_results_hit_at(all, i);
        assert_true(a->all_terms >= b->all_terms);
        if (a->all_terms == b->all_terms)
            assert_true(a->score >= b->score);
    }
    o.limit = 3;
    for (o.offset = 0; o.offset < total; o.offset += 3) {
        oasis_results *page = search(f, "santé département médecins", &o);
        assert_int_equal(oasis_results_total(page), total);
        /* The same total when the facet pass counts it. */
        o.facets = 1;
        oasis_results *faceted = search(f, "santé département médecins", &o);
        o.facets = 0;
        assert_int_equal(oasis_results_total(faceted), total);
        oasis_results_free(faceted);
        for (size_t i = 0; i < oasis_results_hit_count(page); i++) {
            const oasis_hit *h = oasis_results_hit_at(page, i);
            assert_int_equal(h->rank, o.offset + i + 1);
            assert_string_equal(h->id, oasis_results_hit_at(all, o.offset + i)->id);
        }
        oasis_results_free(page);
    }
    /* Ids are unique. */
    for (size_t i = 0; i < total; i++)
        for (size_t j = i + 1; j < total; j++)
            assert_string_not_equal(oasis_results_hit_at(all, i)->id, oasis_results_hit_at(all, j)->id);
    oasis_results_free(all);
}

static void test_paging(void **state)
{
    check_paging(*state, 0);
    check_paging(*state, 1);
}

/* By default a total may be an estimate, and says so; exact_total, facets
 * and the older options versions count exactly. */
static void test_estimated_total(void **state)
{
    fixture *f = *state;
    const char *queries[] = {"santé département médecins", "santé", "logement internes",
                             "médecins", "maison santé centre"};
    for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
        oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
        o.exact_total = 1;
        o.limit = 100;
        oasis_results *r = search(f, queries[k], &o);
        size_t exact = oasis_results_total(r);
        assert_int_equal(oasis_results_hit_count(r), exact);
        oasis_results_free(r);
        o.limit = 2;
        r = search(f, queries[k], &o);
        assert_int_equal(oasis_results_total(r), exact);
        assert_true(oasis_results_total_exact(r));
        oasis_results_free(r);
        o.exact_total = 0;
        r = search(f, queries[k], &o);
        /* An estimate never below what the page shows; a total said exact
         * is. */
        assert_true(oasis_results_total(r) >= oasis_results_hit_count(r));
        if (oasis_results_total_exact(r))
            assert_int_equal(oasis_results_total(r), exact);
        oasis_results_free(r);
        o.facets = 1;
        r = search(f, queries[k], &o);
        assert_true(oasis_results_total_exact(r));
        assert_int_equal(oasis_results_total(r), exact);
        oasis_results_free(r);
    }
}

static void test_add_in_memory(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/memory.db", f->dir);
    oasis_writer_options wo = OASIS_WRITER_OPTIONS_INIT;
    wo.warning = count_warning;
    wo.warning_userdata = f;
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, path, &wo), 0);
    const char *depts[] = {"Haute Saône", "Nulle-Part"};
    oasis_doc d = OASIS_DOC_INIT;
    d.title = "Bus dentaire itinérant";
    d.text = "Un cabinet dentaire mobile parcourt les villages.";
    d.departements = depts;
    d.n_departements = 2;
    d.source_file = "memory";
    d.source_line = 7;
    size_t before = f->warnings;
    assert_int_equal(oasis_writer_add(w, &d), 0);
    assert_int_equal(f->warnings, before + 1);
    assert_non_null(strstr(f->last_warning, "memory:7"));
    assert_non_null(strstr(f->last_warning, "Nulle-Part"));
    /* The same initiative again: one document. */
    assert_int_equal(oasis_writer_add(w, &d), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(oasis_writer_doc_count(w), 1);
    /* Same title and département, another text: a second id, not a
     * replacement. */
    d.text = "Un second cabinet dentaire mobile, pour les bourgs.";
    d.source_line = 9;
    assert_int_equal(oasis_writer_add(w, &d), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(oasis_writer_doc_count(w), 2);
    oasis_writer_free(w);

    oasis_searcher *s;
    oasis_results *r;
    assert_int_equal(oasis_searcher_open(&s, path), 0);
    assert_int_equal(oasis_search(s, "dentaires", NULL, &r), 0);
    assert_int_equal(oasis_results_total(r), 2);
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    assert_int_equal(h->n_departements, 1);
    assert_string_equal(h->departements[0]->code, "70");
    assert_string_equal(h->source_file, "memory");
    assert_true(h->source_line == 7 || oasis_results_hit_at(r, 1)->source_line == 7);
    assert_string_not_equal(oasis_results_hit_at(r, 0)->id, oasis_results_hit_at(r, 1)->id);
    oasis_results_free(r);
    oasis_searcher_free(s);
}

static int collect_id(void *userdata, const char *id)
{
    char **ids = userdata;
    size_t n = 0;
    while (ids[n])
        n++;
    if (n < 31)
        ids[n] = strdup(id);
    return 0;
}

static int stop_at_first(void *userdata, const char *id)
{
    (void)id;
    ++*(int *)userdata;
    return 1;
}

/* Every id, one initiative by its id, and one deleted by its id (which
 * comes back when its file is read in full again). */
static void test_by_id(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/byid.db", f->dir);
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, path, NULL), 0);
    assert_int_equal(oasis_writer_add_path(w, t_source_path("corpus"), NULL), 0);
    oasis_writer_free(w);

    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, path), 0);
    char *ids[32] = {NULL};
    assert_int_equal(oasis_searcher_ids(s, collect_id, ids), 0);
    size_t n = 0;
    while (ids[n])
        n++;
    assert_int_equal(n, 23);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(ids[i - 1], ids[i]) < 0);
    int calls = 0;
    assert_int_equal(oasis_searcher_ids(s, stop_at_first, &calls), 0);
    assert_int_equal(calls, 1);
    oasis_results *r;
    assert_int_equal(oasis_searcher_get(s, ids[3], &r), 0);
    assert_int_equal(oasis_results_hit_count(r), 1);
    assert_string_equal(oasis_results_hit_at(r, 0)->id, ids[3]);
    assert_true(strlen(oasis_results_hit_at(r, 0)->text) > 0);
    oasis_results_free(r);
    assert_int_equal(oasis_searcher_get(s, "no-such-initiative", &r), OASIS_ENOTFOUND);
    assert_null(r);
    oasis_searcher_free(s);

    assert_int_equal(oasis_writer_open(&w, path, NULL), 0);
    assert_int_equal(oasis_writer_delete(w, ids[3]), 0);
    assert_int_equal(oasis_writer_delete(w, ids[3]), OASIS_ENOTFOUND);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(oasis_writer_doc_count(w), 22);
    oasis_writer_free(w);
    assert_int_equal(oasis_searcher_open(&s, path), 0);
    assert_int_equal(oasis_searcher_get(s, ids[3], &r), OASIS_ENOTFOUND);
    oasis_searcher_free(s);

    oasis_writer_options o;
    oasis_writer_options_init(&o);
    o.full = 1;
    assert_int_equal(oasis_writer_open(&w, path, &o), 0);
    assert_int_equal(oasis_writer_add_path(w, t_source_path("corpus"), NULL), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(oasis_writer_doc_count(w), 23);
    oasis_writer_free(w);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
}

static void test_version_mismatch(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/old.db", f->dir);
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, path, NULL), 0);
    oasis_doc d = OASIS_DOC_INIT;
    d.title = "Maison de santé";
    assert_int_equal(oasis_writer_add(w, &d), 0);
    oasis_writer_free(w);
    /* Pretend an older analyzer wrote it. */
    xapc_wdb *raw;
    assert_int_equal(xapc_wdb_open(&raw, path), 0);
    assert_int_equal(xapc_wdb_set_metadata(raw, OA_META_ANALYZER, "fr-0", 4), 0);
    assert_int_equal(xapc_wdb_commit(raw), 0);
    xapc_wdb_free(raw);

    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, path), OASIS_EVERSION);
    assert_null(s);
    assert_non_null(strstr(oasis_error_last(), "fr-0"));
    assert_int_equal(oasis_writer_open(&w, path, NULL), OASIS_EVERSION);
    assert_null(w);
}

static void test_missing_index(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/nothing-here", f->dir);
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, path), OASIS_ENOTFOUND);
    assert_non_null(strstr(oasis_error_last(), "nothing-here"));
}

static void test_second_writer_locked(void **state)
{
    fixture *f = *state;
    oasis_writer *w1, *w2;
    assert_int_equal(oasis_writer_open(&w1, f->index, NULL), 0);
    assert_int_equal(oasis_writer_open(&w2, f->index, NULL), OASIS_ELOCKED);
    assert_null(w2);
    assert_int_equal(oasis_writer_doc_count(w1), 23);
    oasis_writer_free(w1);
}

static void count_category(void *userdata, const char *doc_id, const char *category,
                           const char *phrase, long rule_line)
{
    (void)doc_id;
    (void)category;
    (void)phrase;
    (void)rule_line;
    (*(size_t *)userdata)++;
}

/* A writer in memory reads and categorises as a real one and writes
 * nothing: not at a new path, not to the index of the fixture (even while
 * another writer holds it). A version 3 options struct still opens a
 * writer on disk. */
static void test_writer_in_memory(void **state)
{
    fixture *f = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/never-made.db", f->dir);
    size_t reasons = 0;
    oasis_writer_options o = OASIS_WRITER_OPTIONS_INIT;
    o.in_memory = 1;
    o.category = count_category;
    o.category_userdata = &reasons;
    oasis_writer *w, *holder;
    assert_int_equal(oasis_writer_open(&w, path, &o), 0);
    oasis_add_stats st = OASIS_ADD_STATS_INIT;
    assert_int_equal(oasis_writer_add_path(w, t_source_path("corpus"), &st), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(st.records, 23);
    assert_int_equal(st.indexed, 23);
    assert_true(reasons >= 23);
    assert_int_equal(oasis_writer_doc_count(w), 0);
    int compacted = 1;
    assert_int_equal(oasis_writer_compact(w, OASIS_COMPACT_ALWAYS, &compacted), OASIS_EINVAL);
    assert_int_equal(compacted, 0);
    oasis_writer_free(w);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);

    /* The fixture's index, held by a writer: every file is read again. */
    assert_int_equal(open_writer(f, &holder), 0);
    assert_int_equal(oasis_writer_open(&w, f->index, &o), 0);
    oasis_add_stats_init(&st);
    assert_int_equal(oasis_writer_add_path(w, t_source_path("corpus"), &st), 0);
    assert_int_equal(st.unchanged, 0);
    assert_int_equal(st.indexed, 23);
    oasis_writer_free(w);
    assert_int_equal(oasis_writer_doc_count(holder), 23);
    oasis_writer_free(holder);

}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_count_and_reindex),
        cmocka_unit_test(test_logement_internes),
        cmocka_unit_test(test_missing_word_does_not_empty),
        cmocka_unit_test(test_accents_and_forms),
        cmocka_unit_test(test_dept_filter),
        cmocka_unit_test(test_joint_initiative),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_estimated_total),
        cmocka_unit_test(test_add_in_memory),
        cmocka_unit_test(test_by_id),
        cmocka_unit_test(test_version_mismatch),
        cmocka_unit_test(test_missing_index),
        cmocka_unit_test(test_second_writer_locked),
        cmocka_unit_test(test_writer_in_memory),
    };
    return cmocka_run_group_tests_name("index", tests, setup, t_dir_teardown);
}
