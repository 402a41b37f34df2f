/* Tests of the C wrapper over libxapian, on real glass databases in a
 * temporary directory. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oasis.h"
#include "testutil.h"
#include "util/error.h"
#include "xapian/xapc.h"

/* ---- helpers ---- */

static xapc_wdb *wopen(const char *path)
{
    xapc_wdb *w = NULL;
    int rc = xapc_wdb_open(&w, path);
    if (rc != 0)
        fail_msg("xapc_wdb_open(%s): %d %s", path, rc, oa_error_message());
    return w;
}

static xapc_db *ropen(const char *path)
{
    xapc_db *db = NULL;
    int rc = xapc_db_open(&db, path);
    if (rc != 0)
        fail_msg("xapc_db_open(%s): %d %s", path, rc, oa_error_message());
    return db;
}

/* Adds (or replaces) the document with unique term "Q<id>": the words of text
 * at positions 1, 2, ..., the extra boolean term filter (may be NULL), value
 * slot 0 set to value (may be NULL), and id as its data. */
static void put_doc(xapc_wdb *w, const char *id, const char *text, const char *filter,
                    const char *value)
{
    xapc_doc *d = xapc_doc_new();
    assert_non_null(d);
    char *copy = strdup(text);
    assert_non_null(copy);
    uint32_t pos = 1;
    for (char *save = NULL, *word = strtok_r(copy, " ", &save); word;
         word = strtok_r(NULL, " ", &save))
        assert_int_equal(xapc_doc_add_posting(d, word, strlen(word), pos++, 1), 0);
    free(copy);
    if (filter)
        assert_int_equal(xapc_doc_add_boolean_term(d, filter, strlen(filter)), 0);
    if (value)
        assert_int_equal(xapc_doc_set_value(d, 0, value, strlen(value)), 0);
    assert_int_equal(xapc_doc_set_data(d, id, strlen(id)), 0);
    char idterm[64];
    snprintf(idterm, sizeof idterm, "Q%s", id);
    assert_int_equal(xapc_wdb_replace(w, idterm, strlen(idterm), d), 0);
    xapc_doc_free(d);
}

static xapc_mset *search(xapc_db *db, const xapc_query *q, size_t offset, size_t limit)
{
    xapc_mset *m = NULL;
    int rc = xapc_db_search(db, q, offset, limit, NULL, 0, &m);
    if (rc != 0)
        fail_msg("xapc_db_search: %d %s", rc, oa_error_message());
    return m;
}

/* The data of every match of q, sorted and comma-joined (caller frees). */
static char *matches(xapc_db *db, const xapc_query *q)
{
    assert_non_null(q);
    xapc_mset *m = search(db, q, 0, 1000);
    size_t n = xapc_mset_size(m);
    assert_int_equal(n, xapc_mset_total(m));
    char **v = calloc(n + 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *s = xapc_mset_data(m, i, &len);
        v[i] = strndup(s, len);
    }
    qsort(v, n, sizeof *v, t_cmp_str);
    char *out = calloc(1, 4096);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, v[i]);
        free(v[i]);
    }
    free(v);
    xapc_mset_free(m);
    return out;
}

static void assert_matches(xapc_db *db, const xapc_query *q, const char *expected)
{
    char *got = matches(db, q);
    assert_string_equal(got, expected);
    free(got);
}

static xapc_query *term(const char *t)
{
    xapc_query *q = xapc_query_term(t, strlen(t), 1, 0);
    assert_non_null(q);
    return q;
}

static xapc_query *combine2(xapc_op op, const char *a, const char *b, unsigned window)
{
    xapc_query *subs[2] = {term(a), term(b)};
    xapc_query *q = xapc_query_combine(op, subs, 2, window);
    xapc_query_free(subs[0]);
    xapc_query_free(subs[1]);
    assert_non_null(q);
    return q;
}

/* The weight of the match whose data is id (-1 when absent). */
static double weight_of(xapc_db *db, const xapc_query *q, const char *id)
{
    xapc_mset *m = search(db, q, 0, 1000);
    double w = -1;
    for (size_t i = 0; i < xapc_mset_size(m); i++) {
        size_t len;
        const char *s = xapc_mset_data(m, i, &len);
        if (len == strlen(id) && memcmp(s, id, len) == 0)
            w = xapc_mset_weight(m, i);
    }
    xapc_mset_free(m);
    return w;
}

static size_t db_count(const char *path)
{
    xapc_db *db = ropen(path);
    size_t n = xapc_db_doc_count(db);
    xapc_db_free(db);
    return n;
}

/* ---- tests ---- */

static void test_version(void **state)
{
    (void)state;
    const char *v = xapc_version();
    assert_non_null(v);
    assert_int_equal(strncmp(v, "1.4.", 4), 0);
}

static void test_replace_delete(void **state)
{
    (void)state;
    /* The directory chain does not exist yet. */
    const char *path = t_tmpdir_path("a/b/db");
    xapc_wdb *w = wopen(path);
    put_doc(w, "d1", "maison sante", NULL, NULL);
    put_doc(w, "d2", "centre sante", NULL, NULL);
    put_doc(w, "d3", "medecin", NULL, NULL);
    assert_int_equal(xapc_wdb_doc_count(w), 3);
    /* Same id: the old document goes, its words with it. */
    put_doc(w, "d1", "cabinet", NULL, NULL);
    assert_int_equal(xapc_wdb_doc_count(w), 3);
    assert_int_equal(xapc_wdb_commit(w), 0);

    xapc_db *db = ropen(path);
    assert_int_equal(xapc_db_doc_count(db), 3);
    assert_int_equal(xapc_db_term_freq(db, "Qd1", 3), 1);
    assert_int_equal(xapc_db_term_freq(db, "maison", 6), 0);
    assert_int_equal(xapc_db_term_freq(db, "sante", 5), 1);
    xapc_query *q = term("cabinet");
    assert_matches(db, q, "d1");
    xapc_query_free(q);

    assert_int_equal(xapc_wdb_delete(w, "Qd2", 3), 0);
    assert_int_equal(xapc_wdb_delete(w, "Qnone", 5), 0);
    assert_int_equal(xapc_wdb_doc_count(w), 2);
    assert_int_equal(xapc_wdb_commit(w), 0);
    /* The reader keeps its revision until reopened. */
    assert_int_equal(xapc_db_doc_count(db), 3);
    assert_int_equal(xapc_db_reopen(db, NULL), 0);
    assert_int_equal(xapc_db_doc_count(db), 2);
    assert_int_equal(xapc_db_term_freq(db, "Qd2", 3), 0);
    assert_int_equal(xapc_db_term_freq(db, "sante", 5), 0);
    xapc_db_free(db);
    xapc_wdb_free(w);
}

static void test_metadata(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    const char bin[] = {'a', '\0', 'b'};
    assert_int_equal(xapc_wdb_set_metadata(w, "analyzer", "fr-3", 4), 0);
    assert_int_equal(xapc_wdb_set_metadata(w, "bin", bin, sizeof bin), 0);
    char *s;
    size_t len;
    /* Pending metadata is visible to the writer. */
    assert_int_equal(xapc_wdb_get_metadata(w, "analyzer", &s, &len), 0);
    assert_int_equal(len, 4);
    assert_string_equal(s, "fr-3");
    free(s);
    assert_int_equal(xapc_wdb_get_metadata(w, "unset", &s, &len), 0);
    assert_int_equal(len, 0);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);

    xapc_db *db = ropen(path);
    assert_int_equal(xapc_db_get_metadata(db, "analyzer", &s, &len), 0);
    assert_int_equal(len, 4);
    assert_string_equal(s, "fr-3");
    free(s);
    assert_int_equal(xapc_db_get_metadata(db, "bin", &s, &len), 0);
    assert_int_equal(len, sizeof bin);
    assert_memory_equal(s, bin, sizeof bin);
    assert_int_equal(s[len], '\0');
    free(s);
    assert_int_equal(xapc_db_get_metadata(db, "unset", &s, NULL), 0);
    assert_string_equal(s, "");
    free(s);
    xapc_db_free(db);
}

static void test_values_and_data(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    xapc_doc *d = xapc_doc_new();
    assert_non_null(d);
    const char data[] = "{\"id\":\"x\"}\0tail";
    assert_int_equal(xapc_doc_add_term(d, "word", 4, 2), 0);
    assert_int_equal(xapc_doc_set_data(d, data, sizeof data - 1), 0);
    assert_int_equal(xapc_doc_set_value(d, 3, "2019", 4), 0);
    assert_int_equal(xapc_doc_set_value(d, 7, "a\0b", 3), 0);
    assert_int_equal(xapc_wdb_replace(w, "Qx", 2, d), 0);
    xapc_doc_free(d);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);

    xapc_db *db = ropen(path);
    xapc_query *q = term("word");
    unsigned slots[] = {7, 3, 5};
    xapc_mset *m = NULL;
    assert_int_equal(xapc_db_search(db, q, 0, 10, slots, 3, &m), 0);
    assert_int_equal(xapc_mset_size(m), 1);
    assert_true(xapc_mset_docid(m, 0) > 0);
    assert_true(xapc_mset_weight(m, 0) > 0);
    size_t len, count;
    const char *s = xapc_mset_data(m, 0, &len);
    assert_int_equal(len, sizeof data - 1);
    assert_memory_equal(s, data, len);
    assert_int_equal(xapc_mset_facet_size(m, 0), 1);
    s = xapc_mset_facet(m, 0, 0, &len, &count);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 3);
    assert_int_equal(count, 1);
    assert_int_equal(xapc_mset_facet_size(m, 1), 1);
    s = xapc_mset_facet(m, 1, 0, &len, &count);
    assert_string_equal(s, "2019");
    assert_int_equal(count, 1);
    assert_int_equal(xapc_mset_facet_size(m, 2), 0); /* slot never set */
    xapc_mset_free(m);
    xapc_query_free(q);
    xapc_db_free(db);
}

static void test_transactions(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    put_doc(w, "keep", "un", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);

    /* A cancelled transaction leaves nothing. */
    assert_int_equal(xapc_wdb_begin(w), 0);
    put_doc(w, "gone1", "deux", NULL, NULL);
    assert_int_equal(xapc_wdb_set_metadata(w, "k", "v", 1), 0);
    assert_int_equal(xapc_wdb_delete(w, "Qkeep", 5), 0);
    assert_int_equal(xapc_wdb_doc_count(w), 1);
    assert_int_equal(xapc_wdb_cancel(w), 0);
    assert_int_equal(xapc_wdb_doc_count(w), 1);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_db *db = ropen(path);
    assert_int_equal(xapc_db_doc_count(db), 1);
    assert_int_equal(xapc_db_term_freq(db, "Qkeep", 5), 1);
    assert_int_equal(xapc_db_term_freq(db, "Qgone1", 6), 0);
    char *s;
    assert_int_equal(xapc_db_get_metadata(db, "k", &s, NULL), 0);
    assert_string_equal(s, "");
    free(s);
    xapc_db_free(db);

    /* A committed transaction is visible to a new reader. */
    assert_int_equal(xapc_wdb_begin(w), 0);
    put_doc(w, "t1", "trois", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    assert_int_equal(db_count(path), 2);

    /* begin commits what came before it; cancel drops what follows. */
    put_doc(w, "before", "quatre", NULL, NULL);
    assert_int_equal(xapc_wdb_begin(w), 0);
    put_doc(w, "after", "cinq", NULL, NULL);
    assert_int_equal(xapc_wdb_cancel(w), 0);
    assert_int_equal(db_count(path), 3);

    /* Closing drops what was not committed, in a transaction or not. */
    put_doc(w, "lost1", "six", NULL, NULL);
    assert_int_equal(xapc_wdb_begin(w), 0);
    put_doc(w, "lost2", "sept", NULL, NULL);
    xapc_wdb_free(w);
    assert_int_equal(db_count(path), 4); /* "lost1": begin committed it */
    w = wopen(path);
    put_doc(w, "lost3", "huit", NULL, NULL);
    assert_int_equal(xapc_wdb_set_metadata(w, "k", "v", 1), 0);
    xapc_wdb_free(w);
    db = ropen(path);
    assert_int_equal(xapc_db_doc_count(db), 4);
    assert_int_equal(xapc_db_term_freq(db, "Qlost2", 6), 0);
    assert_int_equal(xapc_db_term_freq(db, "Qlost3", 6), 0);
    assert_int_equal(xapc_db_get_metadata(db, "k", &s, NULL), 0);
    assert_string_equal(s, "");
    free(s);
    xapc_db_free(db);

    /* Commit and cancel with nothing pending are harmless. */
    w = wopen(path);
    assert_int_equal(xapc_wdb_commit(w), 0);
    assert_int_equal(xapc_wdb_cancel(w), 0);
    assert_int_equal(xapc_wdb_doc_count(w), 4);
    xapc_wdb_free(w);
}

static void test_lock(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w1 = wopen(path);
    xapc_wdb *w2 = NULL;
    oa_error_clear();
    assert_int_equal(xapc_wdb_open(&w2, path), OASIS_ELOCKED);
    assert_null(w2);
    assert_non_null(strstr(oa_error_message(), "locked by another writer: xapian: DatabaseLockError: "));
    assert_non_null(strstr(oa_error_message(), path));
    /* The first writer is unaffected. */
    put_doc(w1, "a", "un", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w1), 0);
    xapc_wdb_free(w1);
    /* Closing released the lock. */
    w2 = wopen(path);
    assert_int_equal(xapc_wdb_doc_count(w2), 1);
    xapc_wdb_free(w2);
}

static void test_missing(void **state)
{
    (void)state;
    xapc_db *db = (xapc_db *)&db; /* must be reset to NULL */
    oa_error_clear();
    assert_int_equal(xapc_db_open(&db, t_tmpdir_path("nothing/here")), OASIS_ENOTFOUND);
    assert_null(db);
    assert_non_null(strstr(oa_error_message(), "xapian: DatabaseNotFoundError: "));
    /* An existing directory without a database is no index either. */
    assert_int_equal(mkdir(t_tmpdir_path("empty"), 0700), 0);
    db = NULL;
    assert_int_equal(xapc_db_open(&db, t_tmpdir_path("empty")), OASIS_ENOTFOUND);
    assert_null(db);
}

/* A small deterministic generator, so that a failure can be replayed. */
static uint32_t next_rand(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void write_garbage(const char *path, uint32_t *seed, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < len; i++)
        fputc((int)(next_rand(seed) & 0xff), f);
    fclose(f);
}

static void test_garbage(void **state)
{
    (void)state;
    static const char *const tables[] = {"iamglass", "postlist.glass", "termlist.glass",
                                         "docdata.glass", "position.glass", "record.glass"};
    static const size_t sizes[] = {0, 1, 100, 8192, 3 * 8192 + 17};
    uint32_t seed = 12345;
    char rel[64];
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        snprintf(rel, sizeof rel, "garbage%zu", k);
        const char *dir = t_tmpdir_path(rel);
        assert_int_equal(mkdir(dir, 0700), 0);
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
            char file[4200];
            snprintf(file, sizeof file, "%s/%s", dir, tables[i]);
            write_garbage(file, &seed, sizes[k]);
        }
        xapc_db *db = NULL;
        oa_error_clear();
        assert_int_equal(xapc_db_open(&db, dir), OASIS_ECORRUPT);
        assert_null(db);
        assert_non_null(strstr(oa_error_message(), ": xapian: "));
        xapc_wdb *w = NULL;
        assert_int_equal(xapc_wdb_open(&w, dir), OASIS_ECORRUPT);
        assert_null(w);
    }
}

/* A valid version file over garbage tables: opening may succeed, but reading
 * must fail cleanly. */
static void test_corrupt_tables(void **state)
{
    (void)state;
    const char *dir = t_tmpdir_path("db");
    xapc_wdb *w = wopen(dir);
    for (int i = 0; i < 50; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%d", i);
        put_doc(w, id, "maison sante rurale", "D45", "45");
    }
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    uint32_t seed = 777;
    char file[4200];
    snprintf(file, sizeof file, "%s/postlist.glass", dir);
    write_garbage(file, &seed, 8192 * 4);
    snprintf(file, sizeof file, "%s/docdata.glass", dir);
    write_garbage(file, &seed, 8192 * 4);

    xapc_db *db = NULL;
    int rc = xapc_db_open(&db, dir);
    if (rc == 0) {
        xapc_query *q = term("maison");
        xapc_mset *m = NULL;
        unsigned slot = 0;
        oa_error_clear();
        rc = xapc_db_search(db, q, 0, 10, &slot, 1, &m);
        assert_null(m);
        assert_true(strlen(oa_error_message()) > 0);
        xapc_query_free(q);
        xapc_db_free(db);
    }
    assert_int_equal(rc, OASIS_ECORRUPT);
}

/* d1..d4 with positions, for the query tests. */
static xapc_db *query_db(void)
{
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    put_doc(w, "d1", "maison sante rurale", "D45", NULL);
    put_doc(w, "d2", "sante maison", "D45", NULL);
    put_doc(w, "d3", "maison de la sante", "D54", NULL);
    put_doc(w, "d4", "rurale rurale", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    return ropen(path);
}

static void test_queries(void **state)
{
    (void)state;
    xapc_db *db = query_db();
    xapc_query *q;

    q = combine2(XAPC_AND, "maison", "sante", 0);
    assert_matches(db, q, "d1,d2,d3");
    xapc_query_free(q);
    q = combine2(XAPC_OR, "rurale", "de", 0);
    assert_matches(db, q, "d1,d3,d4");
    xapc_query_free(q);
    q = combine2(XAPC_AND_NOT, "maison", "rurale", 0);
    assert_matches(db, q, "d2,d3");
    xapc_query_free(q);
    q = combine2(XAPC_AND_MAYBE, "sante", "rurale", 0);
    assert_matches(db, q, "d1,d2,d3");
    xapc_query_free(q);
    q = combine2(XAPC_SYNONYM, "de", "rurale", 0);
    assert_matches(db, q, "d1,d3,d4");
    xapc_query_free(q);
    q = combine2(XAPC_ELITE_SET, "de", "rurale", 0);
    assert_matches(db, q, "d1,d3,d4");
    xapc_query_free(q);

    /* A filter restricts without adding weight. */
    q = combine2(XAPC_FILTER, "maison", "D45", 0);
    assert_matches(db, q, "d1,d2");
    xapc_query *plain = term("maison");
    assert_true(fabs(weight_of(db, q, "d2") - weight_of(db, plain, "d2")) < 1e-9);
    xapc_query_free(plain);
    xapc_query_free(q);

    /* A phrase: adjacent and in order only. */
    q = combine2(XAPC_PHRASE, "maison", "sante", 0);
    assert_matches(db, q, "d1");
    xapc_query_free(q);
    q = combine2(XAPC_PHRASE, "sante", "maison", 0);
    assert_matches(db, q, "d2");
    xapc_query_free(q);
    q = combine2(XAPC_PHRASE, "maison", "sante", 4);
    assert_matches(db, q, "d1,d3");
    xapc_query_free(q);
    /* NEAR ignores order. */
    q = combine2(XAPC_NEAR, "maison", "sante", 0);
    assert_matches(db, q, "d1,d2");
    xapc_query_free(q);
    q = combine2(XAPC_NEAR, "maison", "sante", 4);
    assert_matches(db, q, "d1,d2,d3");
    xapc_query_free(q);

    /* Nested: (maison AND sante) AND_NOT D54. */
    xapc_query *subs[2];
    subs[0] = combine2(XAPC_AND, "maison", "sante", 0);
    subs[1] = term("D54");
    q = xapc_query_combine(XAPC_AND_NOT, subs, 2, 0);
    xapc_query_free(subs[0]);
    xapc_query_free(subs[1]);
    assert_matches(db, q, "d1,d2");
    char *desc = xapc_query_describe(q);
    assert_non_null(desc);
    assert_non_null(strstr(desc, "maison"));
    assert_non_null(strstr(desc, "AND_NOT"));
    free(desc);
    xapc_query_free(q);

    /* n == 0 matches nothing; a single sub is that sub. */
    q = xapc_query_combine(XAPC_OR, NULL, 0, 0);
    assert_non_null(q);
    assert_matches(db, q, "");
    xapc_query_free(q);
    subs[0] = term("de");
    q = xapc_query_combine(XAPC_AND, subs, 1, 0);
    xapc_query_free(subs[0]);
    assert_matches(db, q, "d3");
    xapc_query_free(q);

    /* Absent term. */
    q = term("absent");
    assert_matches(db, q, "");
    xapc_query_free(q);

    q = xapc_query_match_all();
    assert_non_null(q);
    assert_matches(db, q, "d1,d2,d3,d4");
    assert_true(weight_of(db, q, "d4") == 0.0);
    xapc_query_free(q);
    xapc_db_free(db);
}

static void test_scale(void **state)
{
    (void)state;
    xapc_db *db = query_db();
    xapc_query *q = combine2(XAPC_OR, "maison", "rurale", 0);
    xapc_query *s2 = xapc_query_scale(q, 2.5);
    xapc_query *s0 = xapc_query_scale(q, 0.0);
    assert_non_null(s2);
    assert_non_null(s0);
    static const char *const ids[] = {"d1", "d2", "d3", "d4"};
    for (size_t i = 0; i < 4; i++) {
        double w = weight_of(db, q, ids[i]);
        assert_true(w > 0);
        assert_true(fabs(weight_of(db, s2, ids[i]) - 2.5 * w) < 1e-9);
        assert_true(weight_of(db, s0, ids[i]) == 0.0);
    }
    assert_matches(db, s0, "d1,d2,d3,d4");
    xapc_query_free(s2);
    xapc_query_free(s0);

    /* A negative factor is refused, with a message. */
    oa_error_clear();
    assert_null(xapc_query_scale(q, -1.0));
    assert_true(strncmp(oa_error_message(), "xapian: InvalidArgumentError: ", 30) == 0);
    xapc_query_free(q);
    xapc_db_free(db);
}

/* Facet counts are over every match, whatever the page. */
static void test_facets(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    put_doc(w, "a", "maison", NULL, "45");
    put_doc(w, "b", "maison", NULL, "45");
    put_doc(w, "c", "maison", NULL, "54,88");
    put_doc(w, "d", "maison", NULL, "54");
    put_doc(w, "e", "maison", NULL, NULL);
    put_doc(w, "f", "autre", NULL, "45");
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    xapc_db *db = ropen(path);
    xapc_query *q = term("maison");
    unsigned slots[] = {0, 0};
    static const char *const keys[] = {"45", "54", "54,88"};
    static const size_t counts[] = {2, 1, 1};
    for (size_t limit = 0; limit <= 5; limit += 1) {
        xapc_mset *m = NULL;
        assert_int_equal(xapc_db_search(db, q, 0, limit, slots, 2, &m), 0);
        assert_int_equal(xapc_mset_total(m), 5);
        assert_int_equal(xapc_mset_size(m), limit);
        for (size_t spy = 0; spy < 2; spy++) {
            assert_int_equal(xapc_mset_facet_size(m, spy), 3);
            for (size_t j = 0; j < 3; j++) {
                size_t len, count;
                const char *s = xapc_mset_facet(m, spy, j, &len, &count);
                assert_int_equal(len, strlen(keys[j]));
                assert_memory_equal(s, keys[j], len);
                assert_int_equal(count, counts[j]);
            }
        }
        xapc_mset_free(m);
    }
    xapc_query_free(q);
    /* Over every document: "f" adds one to "45". */
    q = xapc_query_match_all();
    xapc_mset *m = NULL;
    assert_int_equal(xapc_db_search(db, q, 0, 1, slots, 1, &m), 0);
    size_t count;
    assert_string_equal(xapc_mset_facet(m, 0, 0, NULL, &count), "45");
    assert_int_equal(count, 3);
    xapc_mset_free(m);
    xapc_query_free(q);
    xapc_db_free(db);
}

static void test_paging(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    enum { N = 25 };
    for (unsigned i = 0; i < N; i++) {
        xapc_doc *d = xapc_doc_new();
        assert_non_null(d);
        /* Different wdf and length: different weights. */
        assert_int_equal(xapc_doc_add_term(d, "x", 1, i + 1), 0);
        assert_int_equal(xapc_doc_add_term(d, "pad", 3, 3), 0);
        char id[16];
        int n = snprintf(id, sizeof id, "Q%u", i);
        assert_int_equal(xapc_doc_set_data(d, id, (size_t)n), 0);
        assert_int_equal(xapc_wdb_replace(w, id, (size_t)n, d), 0);
        xapc_doc_free(d);
    }
    put_doc(w, "other", "y", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);

    xapc_db *db = ropen(path);
    xapc_query *q = term("x");
    int seen[N + 2] = {0};
    double last = INFINITY;
    static const size_t sizes[] = {10, 10, 5};
    for (size_t page = 0; page < 3; page++) {
        xapc_mset *m = search(db, q, page * 10, 10);
        assert_int_equal(xapc_mset_total(m), N);
        assert_int_equal(xapc_mset_size(m), sizes[page]);
        for (size_t i = 0; i < xapc_mset_size(m); i++) {
            unsigned id = xapc_mset_docid(m, i);
            assert_true(id >= 1 && id <= N);
            seen[id]++;
            assert_true(xapc_mset_weight(m, i) <= last);
            last = xapc_mset_weight(m, i);
        }
        xapc_mset_free(m);
    }
    for (unsigned id = 1; id <= N; id++)
        assert_int_equal(seen[id], 1);

    xapc_mset *m = search(db, q, 30, 10);
    assert_int_equal(xapc_mset_size(m), 0);
    assert_int_equal(xapc_mset_total(m), N);
    xapc_mset_free(m);
    m = search(db, q, 0, SIZE_MAX);
    assert_int_equal(xapc_mset_size(m), N);
    xapc_mset_free(m);
    m = search(db, q, SIZE_MAX, SIZE_MAX);
    assert_int_equal(xapc_mset_size(m), 0);
    assert_int_equal(xapc_mset_total(m), N);
    xapc_mset_free(m);
    xapc_query_free(q);
    xapc_db_free(db);
}

/* xapc_query_combine() of three queries, which it frees. */
static xapc_query *combine3(xapc_op op, xapc_query *a, xapc_query *b, xapc_query *c)
{
    xapc_query *subs[3] = {a, b, c};
    xapc_query *q = xapc_query_combine(op, subs, c ? 3 : 2, 0);
    xapc_query_free(a);
    xapc_query_free(b);
    xapc_query_free(c);
    assert_non_null(q);
    return q;
}

/* q with its weights multiplied by f; q is freed. */
static xapc_query *scaled(xapc_query *q, double f)
{
    xapc_query *r = xapc_query_scale(q, f);
    xapc_query_free(q);
    assert_non_null(r);
    return r;
}

/* The exact count of q by xapc_db_count() (with prefix) and by a full
 * search agree, and are want. */
static void assert_count(xapc_db *db, xapc_query *q, const char *prefix, size_t want)
{
    size_t n = 0;
    assert_int_equal(xapc_db_count(db, q, prefix, &n), 0);
    xapc_mset *m = search(db, q, 0, 0);
    assert_int_equal(xapc_mset_total(m), want);
    xapc_mset_free(m);
    assert_int_equal(n, want);
    xapc_query_free(q);
}

/* xapc_db_rank() ranks as a full search does and its total is exact when
 * the page is not full; xapc_db_count() counts what the query matches,
 * whatever the weights, bonuses and covered subqueries. */
static void test_rank_and_count(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    /* x in 25 documents: "x y" in the even ones (Sx too in every fourth),
     * "x z" in the odd ones; w alone in 5 more. */
    for (unsigned i = 0; i < 30; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%02u", i);
        put_doc(w, id, i >= 25 ? "w" : i % 2 ? "x z" : i % 4 ? "x y y" : "x y Sx", NULL, NULL);
    }
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    xapc_db *db = ropen(path);

    xapc_query *q = combine2(XAPC_OR, "y", "z", 0);
    xapc_mset *full = search(db, q, 0, 100);
    for (size_t offset = 0; offset <= 30; offset += 7) {
        xapc_mset *m = NULL;
        assert_int_equal(xapc_db_rank(db, q, offset, 5, &m), 0);
        size_t want = offset >= 25 ? 0 : offset + 5 > 25 ? 25 - offset : 5;
        assert_int_equal(xapc_mset_size(m), want);
        for (size_t i = 0; i < xapc_mset_size(m); i++)
            assert_int_equal(xapc_mset_docid(m, i), xapc_mset_docid(full, offset + i));
        if (offset + 5 > 25) {
            assert_true(xapc_mset_exact(m));
            assert_int_equal(xapc_mset_total(m), 25);
        } else if (xapc_mset_exact(m)) {
            assert_int_equal(xapc_mset_total(m), 25);
        }
        xapc_mset_free(m);
    }
    xapc_mset_free(full);
    xapc_query_free(q);

    /* x, its title copy weighted, and a phrase bonus: 25. */
    assert_count(db,
                 combine3(XAPC_OR, term("x"), scaled(term("Sx"), 2.0),
                          scaled(combine2(XAPC_PHRASE, "x", "y", 2), 2.0)),
                 "S", 25);
    /* Without x beside it, Sx counts for itself: 7 + 5. */
    assert_count(db, combine2(XAPC_OR, "Sx", "w", 0), "S", 12);
    /* A phrase beside a word it does not contain: 13 + 5. */
    assert_count(db, combine3(XAPC_OR, term("w"), combine2(XAPC_PHRASE, "x", "y", 2), NULL), NULL,
                 18);
    assert_count(db, combine2(XAPC_AND_NOT, "x", "y", 0), "S", 12);
    assert_count(db, combine2(XAPC_AND_MAYBE, "w", "x", 0), "S", 5);
    assert_count(db, combine3(XAPC_FILTER, combine2(XAPC_OR, "y", "Sx", 0), term("x"), NULL), "S",
                 13);
    /* Two that cover each other (y, and y OR its phrase): 13 once. */
    assert_count(db,
                 combine3(XAPC_OR, term("y"),
                          combine3(XAPC_OR, term("y"), combine2(XAPC_PHRASE, "x", "y", 2), NULL),
                          NULL),
                 "", 13);
    assert_count(db, term("nothing"), NULL, 0);
    xapc_db_free(db);
}

/* got and want describe the same query; both are freed. */
static void assert_same_query(xapc_query *got, xapc_query *want)
{
    assert_non_null(got);
    assert_non_null(want);
    char *g = xapc_query_describe(got), *w = xapc_query_describe(want);
    assert_non_null(g);
    assert_non_null(w);
    if (strcmp(g, w))
        fail_msg("got %s, want %s", g, w);
    free(g);
    free(w);
    xapc_query_free(got);
    xapc_query_free(want);
}

/* xapc_query_without_bonuses(q, ops) is want, its bonuses want_bonuses
 * (NULL: none); q and the wants are freed. */
static void assert_without_bonuses(xapc_query *q, unsigned ops, xapc_query *want,
                                   xapc_query *want_bonuses)
{
    xapc_query *bonuses = NULL;
    xapc_query *got = xapc_query_without_bonuses(q, ops, &bonuses);
    assert_same_query(got, want);
    if (!want_bonuses)
        want_bonuses = xapc_query_combine(XAPC_OR, NULL, 0, 0); /* matches nothing */
    assert_same_query(bonuses, want_bonuses);
    xapc_query_free(q);
}

static void assert_same_matches(xapc_query *q, const char *prefix, xapc_query *want)
{
    assert_same_query(xapc_query_same_matches(q, prefix), want);
    xapc_query_free(q);
}

/* "x y" as a phrase weighted f. */
static xapc_query *bonus(double f)
{
    return scaled(combine2(XAPC_PHRASE, "x", "y", 2), f);
}

/* The rewrites on their own, without a database: which subqueries are
 * bonuses and where they weigh, and what decides a match. */
static void test_rewrites(void **state)
{
    (void)state;
    const unsigned both = XAPC_BONUS_PHRASE | XAPC_BONUS_NEAR;
    /* A phrase beside its words: a bonus, under the operators asked. */
    assert_without_bonuses(combine3(XAPC_OR, term("x"), term("y"), bonus(3)), XAPC_BONUS_PHRASE,
                           combine2(XAPC_OR, "x", "y", 0), bonus(3));
    assert_without_bonuses(combine3(XAPC_OR, term("x"), term("y"), bonus(3)), XAPC_BONUS_NEAR,
                           combine3(XAPC_OR, term("x"), term("y"), bonus(3)), NULL);
    assert_without_bonuses(combine3(XAPC_OR, term("x"), term("y"), bonus(3)), 0,
                           combine3(XAPC_OR, term("x"), term("y"), bonus(3)), NULL);
    /* One word left beside its bonus: the word alone. */
    assert_without_bonuses(combine3(XAPC_OR, term("x"), bonus(2), NULL), both, term("x"), bonus(2));
    /* Beside a word it does not hold, a phrase decides matches: kept. */
    assert_without_bonuses(combine3(XAPC_OR, term("w"), bonus(2), NULL), both,
                           combine3(XAPC_OR, term("w"), bonus(2), NULL), NULL);
    /* On the right of AND_NOT and FILTER: left out, weighing nothing. */
    assert_without_bonuses(
        combine3(XAPC_AND_NOT, combine3(XAPC_OR, term("x"), bonus(2), NULL),
                 combine3(XAPC_OR, term("y"), scaled(combine2(XAPC_PHRASE, "y", "z", 2), 2),
                          NULL),
                 NULL),
        both, combine2(XAPC_AND_NOT, "x", "y", 0), bonus(2));
    assert_without_bonuses(
        combine3(XAPC_FILTER, term("w"), combine3(XAPC_OR, term("x"), bonus(2), NULL), NULL),
        both, combine2(XAPC_FILTER, "w", "x", 0), NULL);
    /* Within AND: every side's bonus, a NEAR one too. */
    xapc_query *near = scaled(combine2(XAPC_NEAR, "y", "z", 3), 2);
    xapc_query *near_copy = xapc_query_copy(near);
    xapc_query *two[2] = {bonus(2), near_copy};
    xapc_query *both_bonuses = xapc_query_combine(XAPC_OR, two, 2, 0);
    xapc_query_free(two[0]);
    xapc_query_free(two[1]);
    assert_without_bonuses(combine3(XAPC_AND, combine3(XAPC_OR, term("x"), bonus(2), NULL),
                                    combine3(XAPC_OR, term("y"), near, NULL), NULL),
                           both, combine2(XAPC_AND, "x", "y", 0), both_bonuses);
    /* A scaled OR is left whole: its bonus's factor could not be told. */
    assert_without_bonuses(scaled(combine3(XAPC_OR, term("x"), bonus(2), NULL), 2), both,
                           scaled(combine3(XAPC_OR, term("x"), bonus(2), NULL), 2), NULL);

    /* What decides a match. */
    assert_same_matches(combine2(XAPC_OR, "x", "Sx", 0), "S", term("x"));
    assert_same_matches(combine2(XAPC_OR, "x", "Sx", 0), NULL, combine2(XAPC_OR, "x", "Sx", 0));
    assert_same_matches(combine2(XAPC_AND_MAYBE, "w", "x", 0), NULL, term("w"));
    assert_same_matches(scaled(combine3(XAPC_OR, term("x"), bonus(2), NULL), 2), NULL, term("x"));
    assert_same_matches(combine3(XAPC_OR, term("y"), combine3(XAPC_OR, term("y"), bonus(2), NULL),
                                 NULL),
                        "", term("y"));
    assert_same_matches(combine3(XAPC_AND_NOT, combine2(XAPC_OR, "x", "Sx", 0), term("y"), NULL),
                        "S", combine2(XAPC_AND_NOT, "x", "y", 0));
    assert_same_matches(combine3(XAPC_OR, term("w"), bonus(2), NULL), NULL,
                        combine3(XAPC_OR, term("w"), combine2(XAPC_PHRASE, "x", "y", 2), NULL));
}

/* The weight of docid in m (-1 when absent). */
static double mset_weight_of(const xapc_mset *m, unsigned docid)
{
    for (size_t i = 0; i < xapc_mset_size(m); i++)
        if (xapc_mset_docid(m, i) == docid)
            return xapc_mset_weight(m, i);
    return -1;
}

/* The documents of plain (a ranking without bonuses) that pol weighs the
 * bonuses on: its first pol->rescore_window. */
static size_t window_of(const xapc_mset *plain, const xapc_rank_policy *pol)
{
    size_t w = pol->rescore_window, n = xapc_mset_size(plain);
    return w < n ? w : n;
}

/* xapc_db_rank() under a ranking policy: the best window documents of the
 * ranking without the phrase bonus, reordered with it; below them, the
 * order of the ranking without it; pages that follow on. Without a
 * policy, or when the bonus's operator is not in it, the full ranking. */
static void test_rank_policy(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    /* The phrase "x y" in d00 (short) and d05..d11 (long); x and y apart,
     * twice each, in d01..d04. */
    for (unsigned i = 0; i < 12; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%02u", i);
        put_doc(w, id, i == 0 ? "x y x a" : i < 5 ? "y x x a y" : "x y a b c d", NULL, NULL);
    }
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    xapc_db *db = ropen(path);

    xapc_query *cheap = combine2(XAPC_OR, "x", "y", 0);
    xapc_query *q = combine3(XAPC_OR, term("x"), term("y"),
                             scaled(combine2(XAPC_PHRASE, "x", "y", 2), 3.0));
    xapc_mset *full = search(db, q, 0, 100), *plain = search(db, cheap, 0, 100);
    assert_int_equal(xapc_mset_size(full), 12);
    static const xapc_rank_policy policies[] = {
        {0, 0},           {100, XAPC_BONUS_PHRASE},
        {20, XAPC_BONUS_NEAR}, {3, XAPC_BONUS_PHRASE},
        {3, XAPC_BONUS_PHRASE | XAPC_BONUS_NEAR}, {0, XAPC_BONUS_PHRASE},
        {6, XAPC_BONUS_PHRASE}, {4, XAPC_BONUS_PHRASE}};
    for (size_t p = 0; p < sizeof policies / sizeof *policies; p++) {
        const xapc_rank_policy *pol = &policies[p];
        xapc_db_set_rank_policy(db, p == 0 ? NULL : pol);
        int deferred = pol->rescore_window && (pol->bonus_ops & XAPC_BONUS_PHRASE);
        size_t window = deferred ? window_of(plain, pol) : 100;
        xapc_mset *all = NULL;
        assert_int_equal(xapc_db_rank(db, q, 0, 100, &all), 0);
        assert_int_equal(xapc_mset_size(all), 12);
        for (size_t i = 0; i < 12; i++) {
            unsigned id = xapc_mset_docid(all, i);
            double wt = xapc_mset_weight(all, i);
            if (!deferred) {
                assert_int_equal(id, xapc_mset_docid(full, i));
            } else if (i < window) {
                /* One of the best of the ranking without the bonus, with
                 * the bonus weighed, best first. */
                double before = mset_weight_of(plain, id);
                int among = 0;
                for (size_t j = 0; j < window && j < 12; j++)
                    among |= xapc_mset_docid(plain, j) == id;
                assert_true(among);
                assert_true(fabs(wt - mset_weight_of(full, id)) < 1e-9);
                assert_true(wt >= before - 1e-9);
                if (i > 0)
                    assert_true(wt <= xapc_mset_weight(all, i - 1) + 1e-9);
            } else {
                assert_int_equal(id, xapc_mset_docid(plain, i));
                assert_true(fabs(wt - xapc_mset_weight(plain, i)) < 1e-9);
            }
        }
        /* The long phrase documents lead the full ranking; under a window
         * of 3 the ranking without the bonus keeps them below. */
        if (deferred && pol->rescore_window == 3)
            assert_int_not_equal(xapc_mset_docid(all, 3), xapc_mset_docid(full, 3));
        /* Pages follow on. */
        for (size_t offset = 0; offset < 12; offset += 2) {
            xapc_mset *m = NULL;
            assert_int_equal(xapc_db_rank(db, q, offset, 2, &m), 0);
            assert_int_equal(xapc_mset_size(m), 2);
            for (size_t i = 0; i < 2; i++)
                assert_int_equal(xapc_mset_docid(m, i), xapc_mset_docid(all, offset + i));
            xapc_mset_free(m);
        }
        xapc_mset_free(all);
    }
    xapc_mset_free(full);
    xapc_mset_free(plain);
    xapc_query_free(q);
    xapc_query_free(cheap);
    xapc_db_free(db);
}

/* With an id slot, equal weights rank by id, ascending, whatever the
 * docids; without, by docid. The rescore window is then the first
 * documents of that order. */
static void test_rank_ties_by_id(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    /* Added in descending id order: docids run opposite to ids. */
    for (unsigned i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%02u", 7 - i);
        put_doc(w, id, i == 0 ? "x y" : "y x", NULL, id);
    }
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    xapc_db *db = ropen(path);
    xapc_query *q = combine3(XAPC_OR, term("x"), term("y"),
                             scaled(combine2(XAPC_PHRASE, "x", "y", 2), 3.0));
    static const xapc_rank_policy pol = {3, XAPC_BONUS_PHRASE};
    for (int slot = 0; slot < 2; slot++) {
        xapc_db_set_id_slot(db, slot ? 0 : XAPC_NO_SLOT);
        for (int policy = 0; policy < 2; policy++) {
            xapc_db_set_rank_policy(db, policy ? &pol : NULL);
            xapc_mset *m = NULL;
            assert_int_equal(xapc_db_rank(db, q, 0, 8, &m), 0);
            assert_int_equal(xapc_mset_size(m), 8);
            /* d07 alone has the phrase: first with it weighed on every
             * match, or with a window that holds it (by docid, it comes
             * first); with ids and a window of 3 (d00..d02), last. */
            const char *top = slot && policy ? "d00" : "d07";
            size_t len = 0;
            const char *data = xapc_mset_data(m, 0, &len);
            assert_int_equal(len, 3);
            assert_memory_equal(data, top, 3);
            char prev[4] = "";
            for (size_t i = slot && !policy ? 1 : 0; i < 8; i++) {
                data = xapc_mset_data(m, i, &len);
                if (i == 7 && slot && policy) {
                    assert_memory_equal(data, "d07", 3);
                    continue;
                }
                if (slot)
                    assert_true(memcmp(prev, data, 3) < 0);
                else if (i > (policy ? 3u : 1u)) /* the window is by id */
                    assert_true(memcmp(prev, data, 3) > 0);
                memcpy(prev, data, 3);
            }
            xapc_mset_free(m);
        }
    }
    xapc_query_free(q);
    xapc_db_free(db);
}

static void test_reopen(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    put_doc(w, "first", "maison", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_db *db = ropen(path);
    assert_int_equal(xapc_db_doc_count(db), 1);

    put_doc(w, "second", "maison", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    assert_int_equal(xapc_db_doc_count(db), 1);
    int changed = -1;
    assert_int_equal(xapc_db_reopen(db, &changed), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(xapc_db_doc_count(db), 2);
    assert_int_equal(xapc_db_reopen(db, &changed), 0);
    assert_int_equal(changed, 0); /* nothing committed since */
    xapc_query *q = term("maison");
    assert_matches(db, q, "first,second");
    xapc_query_free(q);
    xapc_db_free(db);
    xapc_wdb_free(w);
}

/* Many commits under an open reader overwrite the revision it reads: the
 * search reopens and sees the latest one. */
static void test_search_after_overwrite(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    xapc_db *db = NULL;
    char id[32];
    for (int round = 0; round < 6; round++) {
        /* Large enough that reading it needs blocks not cached at open. */
        if (round == 1)
            db = ropen(path);
        for (int i = 0; i < 1000; i++) {
            snprintf(id, sizeof id, "d%d", i);
            char value[16];
            snprintf(value, sizeof value, "%d", round);
            put_doc(w, id, "maison sante rurale", NULL, value);
        }
        assert_int_equal(xapc_wdb_commit(w), 0);
    }
    xapc_query *q = term("maison");
    xapc_mset *m = NULL;
    unsigned slot = 0;
    assert_int_equal(xapc_db_search(db, q, 0, 10, &slot, 1, &m), 0);
    assert_int_equal(xapc_mset_total(m), 1000);
    assert_int_equal(xapc_mset_facet_size(m, 0), 1);
    assert_string_equal(xapc_mset_facet(m, 0, 0, NULL, NULL), "5");
    xapc_mset_free(m);
    xapc_query_free(q);
    xapc_db_free(db);
    xapc_wdb_free(w);
}

static void test_spelling(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    assert_int_equal(xapc_wdb_add_spelling(w, "médecin", strlen("médecin"), 1), 0);
    assert_int_equal(xapc_wdb_add_spelling(w, "médecin", strlen("médecin"), 3), 0);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
}

static int collect_term(void *ud, const char *term, size_t len, double value)
{
    char *out = ud;
    char buf[64];
    snprintf(buf, sizeof buf, "%s%.*s=%g", *out ? "," : "", (int)len, term, value);
    strcat(out, buf);
    return 0;
}

static int stop_after_first(void *ud, const char *term, size_t len, double value)
{
    (void)value;
    snprintf(ud, 64, "%.*s", (int)len, term);
    return 1;
}

static void test_spelling_suggestion(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    assert_int_equal(xapc_wdb_add_spelling(w, "desertification", 15, 1), 0);
    assert_int_equal(xapc_wdb_add_spelling(w, "medecins", 8, 4), 0);
    assert_int_equal(xapc_wdb_add_spelling(w, "medecine", 8, 1), 0);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    xapc_db *db = ropen(path);
    char *s = NULL;
    assert_int_equal(xapc_db_spelling(db, "desertificaton", 14, 2, &s), 0);
    assert_string_equal(s, "desertification");
    free(s);
    /* The more frequent of two words at the same distance. */
    assert_int_equal(xapc_db_spelling(db, "medecinz", 8, 2, &s), 0);
    assert_string_equal(s, "medecins");
    free(s);
    assert_int_equal(xapc_db_spelling(db, "zzzzzzzz", 8, 2, &s), 0);
    assert_string_equal(s, "");
    free(s);
    xapc_db_free(db);
}

static void test_terms_and_documents(void **state)
{
    (void)state;
    xapc_db *db = query_db();
    char out[512] = "";
    assert_int_equal(xapc_db_terms(db, "ma", 2, 0, collect_term, out), 0);
    assert_string_equal(out, "maison=3");
    out[0] = '\0';
    assert_int_equal(xapc_db_terms(db, "", 0, 0, collect_term, out), 0);
    assert_non_null(strstr(out, "D45=2"));
    assert_non_null(strstr(out, "rurale=2"));
    /* A limit, and a callback that stops the walk. */
    out[0] = '\0';
    assert_int_equal(xapc_db_terms(db, "", 0, 2, collect_term, out), 0);
    assert_string_equal(out, "D45=2,D54=1");
    assert_int_equal(xapc_db_terms(db, "r", 1, 0, stop_after_first, out), 0);
    assert_string_equal(out, "rurale");
    out[0] = '\0';
    assert_int_equal(xapc_db_terms(db, "zz", 2, 0, collect_term, out), 0);
    assert_string_equal(out, "");

    unsigned d1 = 0, d4 = 0, none = 7;
    assert_int_equal(xapc_db_find(db, "Qd1", 3, &d1), 0);
    assert_int_equal(xapc_db_find(db, "Qd4", 3, &d4), 0);
    assert_int_equal(xapc_db_find(db, "Qnone", 5, &none), 0);
    assert_true(d1 > 0 && d4 > 0 && d1 != d4);
    assert_int_equal(none, 0);
    unsigned wdf = 9;
    assert_int_equal(xapc_db_doc_wdf(db, d4, "rurale", 6, &wdf), 0);
    assert_int_equal(wdf, 2);
    assert_int_equal(xapc_db_doc_wdf(db, d4, "maison", 6, &wdf), 0);
    assert_int_equal(wdf, 0);
    assert_int_equal(xapc_db_doc_wdf(db, d1, "D45", 3, &wdf), 0);
    assert_int_equal(wdf, 0);
    assert_int_equal(xapc_db_doc_wdf(db, 999, "maison", 6, &wdf), OASIS_ENOTFOUND);
    /* A document's terms by prefix, with their wdf. */
    out[0] = '\0';
    assert_int_equal(xapc_db_doc_terms(db, d4, "r", 1, collect_term, out), 0);
    assert_string_equal(out, "rurale=2");
    out[0] = '\0';
    assert_int_equal(xapc_db_doc_terms(db, d1, "", 0, collect_term, out), 0);
    assert_string_equal(out, "D45=0,Qd1=0,maison=1,rurale=1,sante=1");
    out[0] = '\0';
    assert_int_equal(xapc_db_doc_terms(db, d1, "X", 1, collect_term, out), 0);
    assert_string_equal(out, "");
    assert_int_equal(xapc_db_doc_terms(db, 999, "", 0, collect_term, out), OASIS_ENOTFOUND);

    /* Weights over chosen documents are those of a full search. */
    xapc_query *q = combine2(XAPC_OR, "maison", "rurale", 0);
    unsigned ids[2] = {d4, d1};
    double wt[2];
    int hit[2];
    assert_int_equal(xapc_db_weigh(db, q, ids, 2, wt, hit), 0);
    assert_true(hit[0] && hit[1]);
    assert_true(fabs(wt[0] - weight_of(db, q, "d4")) < 1e-9);
    assert_true(fabs(wt[1] - weight_of(db, q, "d1")) < 1e-9);
    double best = 0;
    assert_int_equal(xapc_db_max_weight(db, q, &best), 0);
    assert_true(best >= wt[0] && best >= wt[1] && best > 0);
    xapc_query_free(q);
    q = term("de");
    assert_int_equal(xapc_db_weigh(db, q, ids, 2, wt, hit), 0);
    assert_true(!hit[0] && !hit[1] && wt[0] == 0 && wt[1] == 0);
    xapc_query_free(q);
    q = term("absent");
    assert_int_equal(xapc_db_max_weight(db, q, &best), 0);
    assert_true(best == 0);
    xapc_query_free(q);

    /* Which of chosen documents match: d1 holds "sante", d4 does not; a
     * docid twice, and none at all. */
    q = term("sante");
    unsigned three[3] = {d4, d1, d1};
    int matched[3] = {7, 7, 7};
    assert_int_equal(xapc_db_matching(db, q, three, 3, matched), 0);
    assert_int_equal(matched[0], 0);
    assert_int_equal(matched[1], 1);
    assert_int_equal(matched[2], 1);
    assert_int_equal(xapc_db_matching(db, q, NULL, 0, matched), 0);
    xapc_query_free(q);

    /* A fixed weight, filtered: a boost for one filter term's documents. */
    xapc_query *subs[2] = {xapc_query_fixed(2.5), term("D45")};
    assert_non_null(subs[0]);
    q = xapc_query_combine(XAPC_FILTER, subs, 2, 0);
    xapc_query_free(subs[0]);
    xapc_query_free(subs[1]);
    assert_matches(db, q, "d1,d2");
    assert_true(fabs(weight_of(db, q, "d2") - 2.5) < 1e-9);
    xapc_query_free(q);
    xapc_db_free(db);
}

static void test_expand(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);
    put_doc(w, "a", "bus sante ophtalmologie itinerant bus", "XD45", NULL);
    put_doc(w, "b", "bus itinerant medecin", "XD06", NULL);
    put_doc(w, "c", "logement internes stage", "XD36", NULL);
    put_doc(w, "d", "logement stagiaires", "XD70", NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
    xapc_db *db = ropen(path);
    unsigned a = 0;
    assert_int_equal(xapc_db_find(db, "Qa", 2, &a), 0);
    char out[512] = "";
    assert_int_equal(xapc_db_expand(db, &a, 1, 10, collect_term, out), 0);
    /* The document's own words, no prefixed term (Q, XD). */
    assert_non_null(strstr(out, "bus="));
    assert_non_null(strstr(out, "itinerant="));
    assert_null(strstr(out, "XD45"));
    assert_null(strstr(out, "Qa"));
    assert_null(strstr(out, "logement"));
    out[0] = '\0';
    assert_int_equal(xapc_db_expand(db, &a, 1, 0, collect_term, out), 0);
    assert_string_equal(out, "");
    xapc_db_free(db);
}

static void test_errors(void **state)
{
    (void)state;
    const char *path = t_tmpdir_path("db");
    xapc_wdb *w = wopen(path);

    /* An empty metadata key is refused by Xapian, before any change: the
     * writer goes on. */
    oa_error_clear();
    assert_int_equal(xapc_wdb_set_metadata(w, "", "v", 1), OASIS_EINVAL);
    assert_non_null(strstr(oa_error_message(), ": xapian: InvalidArgumentError: "));
    put_doc(w, "ok", "maison", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    assert_int_equal(xapc_wdb_doc_count(w), 1);

    /* An empty term is refused by the document. */
    xapc_doc *d = xapc_doc_new();
    oa_error_clear();
    assert_int_equal(xapc_doc_add_posting(d, "", 0, 1, 1), OASIS_EINVAL);
    assert_true(strlen(oa_error_message()) > 0);
    xapc_doc_free(d);

    /* An unknown operator. */
    xapc_query *sub = term("a");
    oa_error_clear();
    assert_null(xapc_query_combine((xapc_op)99, &sub, 1, 0));
    assert_true(strlen(oa_error_message()) > 0);
    xapc_query_free(sub);

    /* A term longer than glass accepts fails at replace time, and libxapian
     * then drops every change not committed ("pending" too): nothing more
     * goes through this writer, with the same error, lest a commit record
     * a state whose documents were lost. */
    put_doc(w, "pending", "rurale", NULL, NULL);
    char big[400];
    memset(big, 'a', sizeof big);
    d = xapc_doc_new();
    assert_non_null(d);
    assert_int_equal(xapc_doc_add_term(d, big, sizeof big, 1), 0);
    oa_error_clear();
    assert_int_equal(xapc_wdb_replace(w, "Qbig", 4, d), OASIS_EINVAL);
    assert_non_null(strstr(oa_error_message(), ": xapian: InvalidArgumentError: "));
    char first[512];
    snprintf(first, sizeof first, "%s", oa_error_message());
    oa_error_clear();
    assert_int_equal(xapc_wdb_replace(w, "Qlater", 6, d), OASIS_EINVAL);
    assert_string_equal(oa_error_message(), first);
    assert_int_equal(xapc_wdb_set_metadata(w, "k", "v", 1), OASIS_EINVAL);
    assert_int_equal(xapc_wdb_delete(w, "Qok", 3), OASIS_EINVAL);
    assert_int_equal(xapc_wdb_begin(w), OASIS_EINVAL);
    assert_int_equal(xapc_wdb_commit(w), OASIS_EINVAL);
    xapc_doc_free(d);
    xapc_wdb_free(w);

    /* Opened again: what was committed, nothing else. */
    w = wopen(path);
    assert_int_equal(xapc_wdb_doc_count(w), 1);
    put_doc(w, "again", "maison", NULL, NULL);
    assert_int_equal(xapc_wdb_commit(w), 0);
    assert_int_equal(xapc_wdb_doc_count(w), 2);
    xapc_wdb_free(w);

    /* NULL is accepted by every free. */
    xapc_wdb_free(NULL);
    xapc_db_free(NULL);
    xapc_doc_free(NULL);
    xapc_query_free(NULL);
    xapc_mset_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test_setup_teardown(test_replace_delete, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_metadata, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_values_and_data, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_transactions, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_lock, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_missing, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_garbage, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_tables, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_queries, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_rank_and_count, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_rank_policy, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_rank_ties_by_id, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test(test_rewrites),
        cmocka_unit_test_setup_teardown(test_scale, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_facets, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_paging, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_reopen, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_search_after_overwrite, t_tmpdir_setup,
                                        t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_spelling, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_spelling_suggestion, t_tmpdir_setup,
                                        t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_terms_and_documents, t_tmpdir_setup,
                                        t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_expand, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_errors, t_tmpdir_setup, t_tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
