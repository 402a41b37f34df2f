/* An index served by a real xapian-tcpsrv on 127.0.0.1 (tests/support/
 * tcpsrv.h), and one split into two local shards behind a stub, give the
 * results of the index itself: the queries of tests/data/shard_queries.txt
 * (phrases, prefixes, fields, filters, places, synonyms) with facets,
 * explanations, pages and --like, through the library and oasis-query.
 * And the faults: a server killed mid-run or silent, a shard missing, a
 * shard of another analyzer version, each an error that names it. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clitest.h"
#include "gencorpus.h"
#include "index/schema.h"
#include "oasis.h"
#include "tcpsrv.h"
#include "testutil.h"
#include "xapian/xapc.h"

#define DOCS 400
#define SEED 11u

typedef struct fixture {
    char *dir;
    const char *index_bin, *query_bin;
    char one[4200];     /* the whole corpus, one glass database */
    char half[2][4200]; /* its two halves, one database each */
    char shards[4200];  /* a directory whose XAPIANDB names the halves */
    char remote[4200];  /* a stub naming the server of one */
    t_tcpsrv srv;
    char **queries;
    size_t n_queries;
} fixture;

static void index_file(fixture *f, const char *db, const char *file)
{
    char *err = NULL;
    int st = ct_run(f->index_bin, NULL, &err, "--index", db, file, NULL);
    if (st != 0)
        fail_msg("oasis-index %s %s: exit %d\n%s", db, file, st, err);
    free(err);
}

static void load_queries(fixture *f)
{
    size_t len;
    char *text = t_read_file(t_source_path("tests/data/shard_queries.txt"), &len);
    f->queries = calloc(len + 1, sizeof *f->queries);
    assert_non_null(f->queries);
    int lineno = 0;
    char *cursor = text, *row;
    while ((row = t_next_row(&cursor, &lineno)) != NULL)
        if (*t_trim(row))
            f->queries[f->n_queries++] = strdup(t_trim(row));
    free(text);
    assert_true(f->n_queries >= 50);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = ct_setup(&f->index_bin, &f->query_bin);
    char file[4300], part[2][4300];
    snprintf(file, sizeof file, "%s/all.jsonl", f->dir);
    assert_int_equal(t_gen_corpus(file, SEED, 0, DOCS), 0);
    snprintf(f->one, sizeof f->one, "%s/one.db", f->dir);
    index_file(f, f->one, file);
    for (int i = 0; i < 2; i++) {
        snprintf(part[i], sizeof part[i], "%s/part%d.jsonl", f->dir, i);
        assert_int_equal(t_gen_corpus(part[i], SEED, i * (DOCS / 2), DOCS / 2), 0);
        snprintf(f->half[i], sizeof f->half[i], "%s/half%d.db", f->dir, i);
        index_file(f, f->half[i], part[i]);
    }
    /* A sharded index: its stub names the halves relative to itself. */
    snprintf(f->shards, sizeof f->shards, "%s/sharded", f->dir);
    assert_int_equal(mkdir(f->shards, 0755), 0);
    snprintf(file, sizeof file, "%s/XAPIANDB", f->shards);
    const char *stub = "# two shards\nauto ../half0.db\nauto ../half1.db\n";
    ct_write(file, stub, strlen(stub));
    if (t_tcpsrv_start(&f->srv, f->one) != 0)
        fail_msg("xapian-tcpsrv does not start");
    snprintf(f->remote, sizeof f->remote, "%s/one.remote", f->dir);
    assert_int_equal(t_tcpsrv_stub(f->remote, &f->srv, 1), 0);
    load_queries(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    t_tcpsrv_stop(&f->srv);
    for (size_t i = 0; i < f->n_queries; i++)
        free(f->queries[i]);
    free(f->queries);
    t_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static oasis_searcher *open_index(const char *path)
{
    oasis_searcher *s = NULL;
    oasis_searcher_options so = OASIS_SEARCHER_OPTIONS_INIT;
    so.timeout_ms = 5000;
    int rc = oasis_searcher_open_with(&s, path, &so);
    if (rc)
        fail_msg("open %s: %d %s", path, rc, oasis_error_last());
    return s;
}

static oasis_results *search(oasis_searcher *s, const char *q, const oasis_search_options *o,
                             const char *what)
{
    oasis_results *r = NULL;
    int rc = oasis_search(s, q, o, &r);
    if (rc)
        fail_msg("%s: '%s': %d %s", what, q, rc, oasis_error_last());
    return r;
}

static void same_facets(const oasis_results *a, const oasis_results *b, const char *q)
{
    for (int f = 0; f < 3; f++) {
        size_t n = oasis_results_facet_count(a, (oasis_facet)f);
        if (n != oasis_results_facet_count(b, (oasis_facet)f))
            fail_msg("'%s': facet %d: %zu values, not %zu", q, f, n,
                     oasis_results_facet_count(b, (oasis_facet)f));
        for (size_t i = 0; i < n; i++) {
            const oasis_facet_value *x = oasis_results_facet_at(a, (oasis_facet)f, i),
                                    *y = oasis_results_facet_at(b, (oasis_facet)f, i);
            if (strcmp(x->value, y->value) || x->count != y->count)
                fail_msg("'%s': facet %d value %zu: %s=%zu, not %s=%zu", q, f, i, x->value,
                         x->count, y->value, y->count);
        }
    }
}

static void same_hit(const oasis_hit *x, const oasis_hit *y, const char *q, size_t i)
{
    if (strcmp(x->id, y->id) || fabs(x->score - y->score) > 1e-9)
        fail_msg("'%s': hit %zu: %s %.12g, not %s %.12g", q, i, x->id, x->score, y->id, y->score);
    if (x->n_matches != y->n_matches)
        fail_msg("'%s': hit %zu: %zu matches explained, not %zu", q, i, x->n_matches,
                 y->n_matches);
    for (size_t m = 0; m < x->n_matches; m++)
        if (strcmp(x->matches[m].query, y->matches[m].query) ||
            fabs(x->matches[m].weight - y->matches[m].weight) > 1e-9 ||
            x->matches[m].in_title != y->matches[m].in_title ||
            x->matches[m].in_text != y->matches[m].in_text)
            fail_msg("'%s': hit %zu: match %zu differs (%s %.12g / %s %.12g)", q, i, m,
                     x->matches[m].query, x->matches[m].weight, y->matches[m].query,
                     y->matches[m].weight);
}

/* Every hit the same, in the same order, with the same score and
 * explanation; the same total and facets. */
static void same_results(const oasis_results *a, const oasis_results *b, const char *q)
{
    size_t n = oasis_results_hit_count(a);
    if (n != oasis_results_hit_count(b))
        fail_msg("'%s': %zu hits, not %zu", q, oasis_results_hit_count(b), n);
    if (oasis_results_total(a) != oasis_results_total(b) ||
        oasis_results_total_exact(a) != oasis_results_total_exact(b))
        fail_msg("'%s': total %zu, not %zu", q, oasis_results_total(b), oasis_results_total(a));
    for (size_t i = 0; i < n; i++)
        same_hit(oasis_results_hit_at(a, i), oasis_results_hit_at(b, i), q, i);
    same_facets(a, b, q);
}

/* The option sets the queries run under: oasis-query's (without spelling
 * suggestions, which the remote protocol does not carry), explain with a
 * longer page, a page further down, filters, the library's defaults. */
static size_t option_sets(oasis_search_options *o, const char **depts)
{
    static const char *const codes[] = {"45", "70", "53"};
    for (int i = 0; i < 5; i++)
        oasis_search_options_init_reader(&o[i]);
    o[1].explain = 1;
    o[1].limit = 30;
    o[2].offset = 7;
    o[2].limit = 5;
    for (int i = 0; i < 3; i++)
        depts[i] = codes[i];
    o[3].departements = depts;
    o[3].n_departements = 3;
    o[3].limit = 20;
    oasis_search_options_init(&o[4]);
    for (int i = 0; i < 5; i++)
        o[i].suggest = 0;
    return 5;
}

/* The index itself and the same index through xapian-tcpsrv. */
static void test_remote_same_results(void **state)
{
    fixture *f = *state;
    oasis_searcher *local = open_index(f->one), *remote = open_index(f->remote);
    oasis_search_options o[5];
    const char *depts[3];
    size_t n_sets = option_sets(o, depts);
    size_t compared = 0;
    for (size_t k = 0; k < n_sets; k++)
        for (size_t i = 0; i < f->n_queries; i++) {
            oasis_results *a = search(local, f->queries[i], &o[k], "local"),
                          *b = search(remote, f->queries[i], &o[k], "remote");
            same_results(a, b, f->queries[i]);
            compared += oasis_results_hit_count(a);
            oasis_results_free(a);
            oasis_results_free(b);
        }
    assert_true(compared > 1000);
    /* --like: relevance feedback reads the document's terms remotely. */
    static const char *const like[] = {"g11-0", "g11-17", "g11-399"};
    for (size_t i = 0; i < 3; i++) {
        oasis_search_options lo;
        oasis_search_options_init_reader(&lo);
        lo.like = like[i];
        lo.explain = 1;
        oasis_results *a = search(local, "", &lo, "local like"),
                      *b = search(remote, "", &lo, "remote like");
        assert_true(oasis_results_hit_count(a) > 0);
        same_results(a, b, like[i]);
        oasis_results_free(a);
        oasis_results_free(b);
    }
    oasis_searcher_free(local);
    oasis_searcher_free(remote);
}

/* oasis-query --json: the same lines from the index and its server. */
static void test_remote_cli(void **state)
{
    fixture *f = *state;
    static const char *const queries[] = {"logement des internes", "\"maison de santé\"",
                                          "médec*", "santé NOT logement"};
    for (size_t i = 0; i < 4; i++) {
        char *a = NULL, *b = NULL, *err = NULL;
        int sa = ct_query(f->query_bin, f->one, NULL, &a, &err, "--json", "--explain",
                          "--limit", "15", queries[i], NULL);
        free(err);
        int sb = ct_query(f->query_bin, f->remote, NULL, &b, &err, "--json", "--explain",
                          "--limit", "15", "--timeout", "5", queries[i], NULL);
        if (sa != 0 || sb != 0 || strcmp(a, b))
            fail_msg("'%s': exit %d and %d, outputs %s:\n%s\n---\n%s\n%s", queries[i], sa, sb,
                     strcmp(a, b) ? "differ" : "equal", a, b, err);
        free(a);
        free(b);
        free(err);
    }
}

/* The hits of a query over the whole ranking, checked against the index
 * itself: the same ids in the same order (equal scores rank by id), the
 * same scores, total and facets. */
static void same_over_shards(oasis_searcher *one, oasis_searcher *sh, const char *q,
                             const oasis_search_options *o)
{
    oasis_results *a = search(one, q, o, "one"), *b = search(sh, q, o, "shards");
    size_t n = oasis_results_hit_count(a);
    if (n != oasis_results_hit_count(b) || oasis_results_total(a) != oasis_results_total(b))
        fail_msg("'%s': %zu hits of %zu over the shards, %zu of %zu in one index", q,
                 oasis_results_hit_count(b), oasis_results_total(b), n, oasis_results_total(a));
    for (size_t i = 0; i < n; i++)
        same_hit(oasis_results_hit_at(a, i), oasis_results_hit_at(b, i), q, i);
    same_facets(a, b, q);
    oasis_results_free(a);
    oasis_results_free(b);
}

/* The corpus in two local databases behind a stub: the results of one. */
static void test_two_shards(void **state)
{
    fixture *f = *state;
    oasis_searcher *one = open_index(f->one), *sh = open_index(f->shards);
    assert_int_equal(oasis_searcher_doc_count(sh), DOCS);
    oasis_search_options o;
    oasis_search_options_init_reader(&o);
    o.suggest = 0;
    o.limit = DOCS; /* every match */
    for (size_t i = 0; i < f->n_queries; i++)
        same_over_shards(one, sh, f->queries[i], &o);
    /* --like: the document's terms read from its own shard. */
    static const char *const like[] = {"g11-3", "g11-250"};
    for (size_t i = 0; i < 2; i++) {
        o.like = like[i];
        same_over_shards(one, sh, "", &o);
    }
    o.like = NULL;
    /* Pages of the ranking: totals right at every page, and the same
     * hits even where the page ends inside a run of equal scores. */
    o.limit = 30;
    for (size_t i = 0; i < f->n_queries; i++) {
        oasis_results *a = search(one, f->queries[i], &o, "one"),
                      *b = search(sh, f->queries[i], &o, "shards");
        if (oasis_results_total(a) != oasis_results_total(b) ||
            oasis_results_hit_count(a) != oasis_results_hit_count(b))
            fail_msg("'%s' --limit 30: total %zu (%zu hits) over the shards, %zu (%zu) in one",
                     f->queries[i], oasis_results_total(b), oasis_results_hit_count(b),
                     oasis_results_total(a), oasis_results_hit_count(a));
        for (size_t j = 0; j < oasis_results_hit_count(a); j++)
            same_hit(oasis_results_hit_at(a, j), oasis_results_hit_at(b, j), f->queries[i], j);
        oasis_results_free(a);
        oasis_results_free(b);
    }
    oasis_searcher_free(one);
    oasis_searcher_free(sh);
}

/* What oasis-query said: exit 2, the wanted words, no word of damage. */
static void check_error(int st, const char *err, const char *want, const char *what)
{
    if (st != 2 || !strstr(err, want) || strstr(err, "damaged") || strstr(err, "index again"))
        fail_msg("%s: exit %d, wanted 2 and '%s':\n%s", what, st, want, err);
}

/* A server killed during a run, then one that stops answering. */
static void test_server_faults(void **state)
{
    fixture *f = *state;
    t_tcpsrv srv;
    if (t_tcpsrv_start(&srv, f->one) != 0)
        fail_msg("xapian-tcpsrv does not start");
    char stub[4300], hostport[64], *err = NULL;
    snprintf(stub, sizeof stub, "%s/faults.remote", f->dir);
    snprintf(hostport, sizeof hostport, "127.0.0.1:%d", srv.port);
    assert_int_equal(t_tcpsrv_stub(stub, &srv, 1), 0);
    oasis_searcher *s = open_index(stub);
    oasis_search_options o;
    oasis_search_options_init_reader(&o);
    oasis_results *r = search(s, "logement internes", &o, "before the kill");
    oasis_results_free(r);
    t_tcpsrv_kill(&srv);
    assert_int_equal(oasis_search(s, "santé", &o, &r), OASIS_ENETWORK);
    if (!strstr(oasis_error_last(), hostport) || strstr(oasis_error_last(), "damaged"))
        fail_msg("server killed: the error does not name %s: %s", hostport, oasis_error_last());
    oasis_searcher_free(s);
    /* Down from the start. */
    int st = ct_query(f->query_bin, stub, NULL, NULL, &err, "--timeout", "2", "santé", NULL);
    check_error(st, err, hostport, "server down");
    free(err);
    /* Up but silent: the timeout ends the wait. */
    if (t_tcpsrv_start(&srv, f->one) != 0)
        fail_msg("xapian-tcpsrv does not start again");
    snprintf(hostport, sizeof hostport, "127.0.0.1:%d", srv.port);
    assert_int_equal(t_tcpsrv_stub(stub, &srv, 1), 0);
    kill(-srv.pid, SIGSTOP);
    st = ct_query(f->query_bin, stub, NULL, NULL, &err, "--timeout", "0.5", "santé", NULL);
    kill(-srv.pid, SIGCONT);
    t_tcpsrv_stop(&srv);
    check_error(st, err, hostport, "server silent");
    assert_non_null(strstr(err, "did not answer in time"));
    free(err);
    /* --timeout wants seconds. */
    st = ct_query(f->query_bin, stub, NULL, NULL, &err, "--timeout", "soon", "santé", NULL);
    assert_int_equal(st, 2);
    assert_non_null(strstr(err, "--timeout"));
    free(err);
}

/* A sharded index whose stub names a database that is not there, and one
 * shard written by another analyzer version: each named. */
static void test_shard_faults(void **state)
{
    fixture *f = *state;
    char dir[4300], file[4400], *err = NULL;
    snprintf(dir, sizeof dir, "%s/broken", f->dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(file, sizeof file, "%s/XAPIANDB", dir);
    const char *stub = "auto ../half0.db\nauto ../gone.db\n";
    ct_write(file, stub, strlen(stub));
    int st = ct_query(f->query_bin, dir, NULL, NULL, &err, "santé", NULL);
    check_error(st, err, "gone.db", "missing shard");
    assert_non_null(strstr(err, "does not exist"));
    free(err);
    oasis_searcher *s = NULL;
    assert_int_equal(oasis_searcher_open(&s, dir), OASIS_ENOTFOUND);

    /* The second shard of another analyzer: the first one's metadata
     * would hide it. */
    char other[4300];
    snprintf(other, sizeof other, "%s/other.db", f->dir);
    assert_int_equal(ct_run("/bin/cp", NULL, NULL, "-r", f->half[1], other, NULL), 0);
    xapc_wdb *w = NULL;
    assert_int_equal(xapc_wdb_open(&w, other), 0);
    assert_int_equal(xapc_wdb_set_metadata(w, OA_META_ANALYZER, "fr-0", 4), 0);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    stub = "auto ../half0.db\nauto ../other.db\n";
    ct_write(file, stub, strlen(stub));
    assert_int_equal(oasis_searcher_open(&s, dir), OASIS_EVERSION);
    assert_non_null(strstr(oasis_error_last(), "other.db"));
    /* Unknown lines are named by file and line. */
    stub = "auto ../half0.db\nlocal ../half1.db\n";
    ct_write(file, stub, strlen(stub));
    assert_int_equal(oasis_searcher_open(&s, dir), OASIS_EINDEX);
    assert_non_null(strstr(oasis_error_last(), "XAPIANDB:2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remote_same_results), cmocka_unit_test(test_remote_cli),
        cmocka_unit_test(test_two_shards),          cmocka_unit_test(test_server_faults),
        cmocka_unit_test(test_shard_faults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
