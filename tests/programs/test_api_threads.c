/* Thread safety as include/oasis.h states it: separate searcher handles on
 * one index, used from several threads at once, give the results a single
 * thread gets, and each thread keeps its own oasis_error_last(). The
 * expected results are computed by a single-threaded run, not written here. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <cmocka.h>

#include "oasis.h"
#include "testutil.h"
#include "util/buf.h"

#define N_THREADS 6
#define HANDLES_PER_THREAD 3
#define ROUNDS 8

/* Queries with filters and facets (NULL-terminated filter lists), some
 * explained; `like` searches for the initiatives like like_id. */
typedef struct query_case {
    const char *words;
    const char *dept[3], *region[3], *category[3];
    size_t offset, limit;
    int explain, like;
} query_case;

static const query_case cases[] = {
    {"logement internes", {NULL}, {NULL}, {NULL}, 0, 10, 1, 0},
    {"médecins", {NULL}, {NULL}, {NULL}, 0, 20, 0, 0},
    {"santé", {"45", "loir et cher", NULL}, {NULL}, {NULL}, 0, 10, 1, 0},
    {"", {NULL}, {NULL}, {"logement", NULL}, 0, 50, 0, 0},
    {"maison de santé", {NULL}, {"grand est", NULL}, {NULL}, 0, 10, 1, 0},
    {"étudiants bourse", {NULL}, {NULL}, {"etudiants", NULL}, 1, 5, 0, 0},
    {"", {NULL}, {NULL}, {NULL}, 0, 0, 0, 0},
    {"bus médical itinérant", {NULL}, {NULL}, {NULL}, 0, 10, 1, 0},
    {"centre", {"Indre", NULL}, {"24", NULL}, {NULL}, 0, 10, 0, 0},
    {"zzzqqq", {NULL}, {NULL}, {NULL}, 0, 10, 0, 0},
    {"medecin generalsite", {NULL}, {NULL}, {NULL}, 0, 10, 1, 0},
    {"", {NULL}, {NULL}, {NULL}, 0, 10, 0, 1},
};

/* The best hit of "bus médical", found before the threads start. */
static char like_id[256];
#define N_CASES (sizeof cases / sizeof cases[0])

static size_t list_len(const char *const *v)
{
    size_t n = 0;
    while (n < 3 && v[n])
        n++;
    return n;
}

/* The whole of a result, as text: totals, every hit field, every facet. */
static int describe(const oasis_results *r, oa_buf *b)
{
    int rc = oa_buf_printf(b, "total %zu count %zu\n", oasis_results_total(r),
                           oasis_results_hit_count(r));
    for (size_t i = 0; !rc && i < oasis_results_hit_count(r); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        rc = oa_buf_printf(b, "%zu %s %.17g %d %s %s:%ld [%s] |", h->rank, h->id, h->score,
                           h->all_terms, h->title, h->source_file, h->source_line,
                           h->snippet ? h->snippet : "-");
        for (size_t j = 0; !rc && j < h->n_highlights; j++)
            rc = oa_buf_printf(b, " %zu-%zu", h->highlights[j].start, h->highlights[j].end);
        for (size_t j = 0; !rc && j < h->n_matches; j++) {
            const oasis_match *m = &h->matches[j];
            rc = oa_buf_printf(b, " (%d %s %s %d%d %.17g)", (int)m->kind, m->query,
                               m->of ? m->of : "-", m->in_title, m->in_text, m->weight);
        }
        for (size_t j = 0; !rc && j < h->n_departements; j++)
            rc = oa_buf_printf(b, " %s", h->departements[j]->code);
        for (size_t j = 0; !rc && j < h->n_regions; j++)
            rc = oa_buf_printf(b, " r%s", h->regions[j]->code);
        for (size_t j = 0; !rc && j < h->n_categories; j++)
            rc = oa_buf_printf(b, " %s", h->categories[j]->slug);
        if (!rc)
            rc = oa_buf_putc(b, '\n');
    }
    const char *suggestion = oasis_results_suggestion(r);
    if (!rc)
        rc = oa_buf_printf(b, "suggestion %s\n", suggestion ? suggestion : "-");
    for (size_t i = 0; !rc && i < oasis_results_synonym_count(r); i++) {
        const oasis_synonym *syn = oasis_results_synonym_at(r, i);
        rc = oa_buf_printf(b, "synonym %s %s\n", syn->word, syn->synonym);
    }
    for (int f = OASIS_FACET_DEPARTEMENT; !rc && f <= OASIS_FACET_CATEGORY; f++) {
        size_t n = oasis_results_facet_count(r, (oasis_facet)f);
        for (size_t i = 0; !rc && i < n; i++) {
            const oasis_facet_value *v = oasis_results_facet_at(r, (oasis_facet)f, i);
            rc = oa_buf_printf(b, "facet %d %s %s %zu\n", f, v->value, v->label, v->count);
        }
    }
    return rc;
}

/* Runs one case; returns its description (caller frees) or NULL with the
 * error in oasis_error_last(). */
static char *run_case(oasis_searcher *s, const query_case *c)
{
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.offset = c->offset;
    o.limit = c->limit;
    o.facets = 1;
    o.snippet_bytes = 200; /* each searcher's snippet cache, in its thread */
    o.suggest = 1;
    o.explain = c->explain;
    o.like = c->like ? like_id : NULL;
    o.departements = c->dept;
    o.n_departements = list_len(c->dept);
    o.regions = c->region;
    o.n_regions = list_len(c->region);
    o.categories = c->category;
    o.n_categories = list_len(c->category);
    oasis_results *r = NULL;
    if (oasis_search(s, c->words, &o, &r) != 0)
        return NULL;
    oa_buf b = OA_BUF_INIT;
    int rc = describe(r, &b);
    oasis_results_free(r);
    if (rc) {
        oa_buf_free(&b);
        return NULL;
    }
    return oa_buf_detach(&b);
}

typedef struct shared {
    const char *index;
    char *expected[N_CASES];
    pthread_barrier_t start;
} shared;

typedef struct worker {
    shared *sh;
    int id;
    size_t searches, mismatches, errors;
    char first_problem[1024];
} worker;

static void note(worker *wk, const char *fmt, ...)
{
    if (wk->first_problem[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(wk->first_problem, sizeof wk->first_problem, fmt, ap);
    va_end(ap);
}

static void check_case(worker *wk, oasis_searcher *s, size_t ci)
{
    char *got = run_case(s, &cases[ci]);
    wk->searches++;
    if (!got) {
        wk->errors++;
        note(wk, "thread %d, '%s': %s", wk->id, cases[ci].words, oasis_error_last());
    } else if (strcmp(got, wk->sh->expected[ci]) != 0) {
        /* Show the first line that differs. */
        const char *g = got, *e = wk->sh->expected[ci];
        for (const char *gl = g, *el = e; *gl && *gl == *el; gl++, el++)
            if (*gl == '\n')
                g = gl + 1, e = el + 1;
        wk->mismatches++;
        note(wk, "thread %d, '%s': got\n  %.*s\nexpected\n  %.*s", wk->id, cases[ci].words,
             (int)strcspn(g, "\n"), g, (int)strcspn(e, "\n"), e);
    }
    free(got);
}

/* A failing search in this thread: its message must name this thread's
 * value, whatever the other threads do meanwhile. */
static void check_own_error(worker *wk, oasis_searcher *s, int round)
{
    char dept[64];
    snprintf(dept, sizeof dept, "nowhere-%d-%d", wk->id, round);
    const char *depts[] = {dept};
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.departements = depts;
    o.n_departements = 1;
    oasis_results *r = NULL;
    int rc = oasis_search(s, "santé", &o, &r);
    oasis_results_free(r);
    if (rc != OASIS_EINVAL || !strstr(oasis_error_last(), dept)) {
        wk->errors++;
        note(wk, "thread %d: unknown département gave %d '%s'", wk->id, rc, oasis_error_last());
    }
}

static void *work(void *arg)
{
    worker *wk = arg;
    oasis_searcher *handles[HANDLES_PER_THREAD] = {NULL};
    pthread_barrier_wait(&wk->sh->start);
    /* The handles are opened while the other threads open theirs. */
    for (int h = 0; h < HANDLES_PER_THREAD; h++) {
        if (oasis_searcher_open(&handles[h], wk->sh->index) != 0) {
            wk->errors++;
            note(wk, "thread %d: open: %s", wk->id, oasis_error_last());
            goto done;
        }
    }
    for (int round = 0; round < ROUNDS; round++) {
        /* Each thread walks the cases from its own start, over its handles
         * in turn, so different queries overlap. */
        for (size_t k = 0; k < N_CASES; k++) {
            size_t ci = (k + (size_t)wk->id * 3 + (size_t)round) % N_CASES;
            check_case(wk, handles[(k + (size_t)round) % HANDLES_PER_THREAD], ci);
        }
        check_own_error(wk, handles[round % HANDLES_PER_THREAD], round);
    }
    /* A handle opened and freed for one query, as a server might do. */
    for (size_t k = 0; k < N_CASES; k += 3) {
        oasis_searcher *once = NULL;
        if (oasis_searcher_open(&once, wk->sh->index) != 0) {
            wk->errors++;
            note(wk, "thread %d: open: %s", wk->id, oasis_error_last());
            break;
        }
        check_case(wk, once, (k + (size_t)wk->id) % N_CASES);
        oasis_searcher_free(once);
    }
done:
    for (int h = 0; h < HANDLES_PER_THREAD; h++)
        oasis_searcher_free(handles[h]);
    return NULL;
}

static void test_searchers_in_threads(void **state)
{
    (void)state;
    char *dir = t_mkdtemp();
    char index[4096];
    snprintf(index, sizeof index, "%s/threads.db", dir);
    assert_int_equal(t_index_corpus(index), 0);

    /* The reference: every case on one handle, in this thread. */
    shared sh = {.index = index};
    oasis_searcher *s = NULL;
    assert_int_equal(oasis_searcher_open(&s, index), 0);
    oasis_results *bus = NULL;
    assert_int_equal(oasis_search(s, "bus médical", NULL, &bus), 0);
    assert_non_null(oasis_results_hit_at(bus, 0));
    snprintf(like_id, sizeof like_id, "%s", oasis_results_hit_at(bus, 0)->id);
    oasis_results_free(bus);
    size_t hits = 0, facet_values = 0;
    for (size_t ci = 0; ci < N_CASES; ci++) {
        sh.expected[ci] = run_case(s, &cases[ci]);
        if (!sh.expected[ci])
            fail_msg("'%s': %s", cases[ci].words, oasis_error_last());
        for (const char *p = sh.expected[ci]; (p = strchr(p, '|')); p++)
            hits++;
        for (const char *p = sh.expected[ci]; (p = strstr(p, "facet ")); p++)
            facet_values++;
    }
    oasis_searcher_free(s);
    /* The comparison means something only if the cases find things. */
    assert_true(hits >= 20);
    assert_true(facet_values >= 20);

    assert_int_equal(pthread_barrier_init(&sh.start, NULL, N_THREADS), 0);
    worker workers[N_THREADS];
    pthread_t tids[N_THREADS];
    for (int t = 0; t < N_THREADS; t++) {
        workers[t] = (worker){.sh = &sh, .id = t};
        assert_int_equal(pthread_create(&tids[t], NULL, work, &workers[t]), 0);
    }
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_join(tids[t], NULL), 0);
    pthread_barrier_destroy(&sh.start);

    size_t per_thread = ROUNDS * N_CASES + (N_CASES + 2) / 3;
    for (int t = 0; t < N_THREADS; t++) {
        if (workers[t].first_problem[0])
            print_error("%s\n", workers[t].first_problem);
        assert_int_equal(workers[t].errors, 0);
        assert_int_equal(workers[t].mismatches, 0);
        assert_int_equal(workers[t].searches, per_thread);
    }
    for (size_t ci = 0; ci < N_CASES; ci++)
        free(sh.expected[ci]);
    t_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_searchers_in_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
