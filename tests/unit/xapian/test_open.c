/* Tests of opening an index for reading (src/xapian/open.cc): glass
 * directories, stub files and sharded directories, each database a shard
 * with its own metadata; the errors that name what is wrong; and the
 * passes that name documents by their unique terms. */
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

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* A glass database at rel holding documents "<id>" with unique term
 * "<idterm prefix><id>" and the word "mot", and metadata k=value. */
static void make_db(const char *rel, const char *prefix, const char *const *ids, size_t n,
                    const char *value)
{
    xapc_wdb *w = NULL;
    assert_int_equal(xapc_wdb_open(&w, t_tmpdir_path(rel)), 0);
    for (size_t i = 0; i < n; i++) {
        xapc_doc *d = xapc_doc_new();
        assert_non_null(d);
        assert_int_equal(xapc_doc_add_posting(d, "mot", 3, 1, 1 + (unsigned)i), 0);
        assert_int_equal(xapc_doc_set_data(d, ids[i], strlen(ids[i])), 0);
        char term[64];
        snprintf(term, sizeof term, "%s%s", prefix, ids[i]);
        assert_int_equal(xapc_wdb_replace(w, term, strlen(term), d), 0);
        xapc_doc_free(d);
    }
    assert_int_equal(xapc_wdb_set_metadata(w, "k", value, strlen(value)), 0);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
}

static char *shard_meta(xapc_db *db, size_t i)
{
    char *v = NULL;
    size_t len;
    assert_int_equal(xapc_db_shard_metadata(db, i, "k", &v, &len), 0);
    return v;
}

static void test_shards(void **state)
{
    (void)state;
    static const char *const a[] = {"a1", "a2"}, *const b[] = {"b1", "b2", "b3"};
    make_db("a.db", "Q", a, 2, "first");
    make_db("b.db", "Q", b, 3, "second");

    /* A glass directory is its own one shard. */
    xapc_db *db = NULL;
    assert_int_equal(xapc_db_open(&db, t_tmpdir_path("a.db")), 0);
    assert_int_equal(xapc_db_shard_count(db), 1);
    assert_string_equal(xapc_db_shard_name(db, 0), t_tmpdir_path("a.db"));
    assert_int_equal(xapc_db_shard_remote(db, 0), 0);
    xapc_db_free(db);

    /* A sharded directory: XAPIANDB names the databases relative to
     * itself, comments and a nested stub included. */
    assert_int_equal(mkdir(t_tmpdir_path("idx"), 0755), 0);
    write_file(t_tmpdir_path("idx/XAPIANDB"), "# the shards\nauto ../a.db\n\nauto inner.stub\n");
    write_file(t_tmpdir_path("idx/inner.stub"), "glass ../b.db\n");
    assert_int_equal(xapc_is_stub(t_tmpdir_path("idx")), 1);
    assert_int_equal(xapc_is_stub(t_tmpdir_path("a.db")), 0);
    assert_int_equal(xapc_db_open(&db, t_tmpdir_path("idx")), 0);
    assert_int_equal(xapc_db_doc_count(db), 5);
    assert_int_equal(xapc_db_shard_count(db), 2);
    assert_non_null(strstr(xapc_db_shard_name(db, 1), "b.db"));
    assert_int_equal(xapc_db_shard_doc_count(db, 0), 2);
    assert_int_equal(xapc_db_shard_doc_count(db, 1), 3);
    char *v0 = shard_meta(db, 0), *v1 = shard_meta(db, 1);
    assert_string_equal(v0, "first");
    assert_string_equal(v1, "second");
    free(v0);
    free(v1);

    /* Explaining by docid over shards: the docids are the combined
     * database's, each document named by its unique term. */
    unsigned ids[5];
    for (size_t i = 0; i < 5; i++) {
        const char *id = i < 2 ? a[i] : b[i - 2];
        char term[16];
        snprintf(term, sizeof term, "Q%s", id);
        assert_int_equal(xapc_db_find(db, term, strlen(term), &ids[i]), 0);
        assert_true(ids[i] > 0);
    }
    xapc_query *q = xapc_query_term("mot", 3, 1, 0);
    double w[5];
    int hit[5];
    assert_int_equal(xapc_db_weigh(db, q, ids, 5, w, hit), 0);
    xapc_mset *m = NULL;
    assert_int_equal(xapc_db_search(db, q, 0, 10, NULL, 0, &m), 0);
    assert_int_equal(xapc_mset_size(m), 5);
    for (size_t j = 0; j < 5; j++)
        for (size_t i = 0; i < 5; i++)
            if (xapc_mset_docid(m, j) == ids[i])
                assert_true(hit[i] && fabs(w[i] - xapc_mset_weight(m, j)) < 1e-9);
    xapc_mset_free(m);
    /* Documents without a unique term of the prefix cannot be named. */
    assert_int_equal(xapc_db_set_id_prefix(db, "Z"), 0);
    assert_int_equal(xapc_db_weigh(db, q, ids, 5, w, hit), OASIS_EINVAL);
    assert_int_equal(xapc_db_set_id_prefix(db, ""), OASIS_EINVAL);
    xapc_query_free(q);
    xapc_db_free(db);
}

static void expect_error(const char *path, int code, const char *want)
{
    xapc_db *db = NULL;
    assert_int_equal(xapc_db_open(&db, path), code);
    assert_null(db);
    if (!strstr(oa_error_message(), want))
        fail_msg("opening %s: '%s' not in: %s", path, want, oa_error_message());
}

static void test_stub_errors(void **state)
{
    (void)state;
    static const char *const a[] = {"a1"};
    make_db("a.db", "Q", a, 1, "first");
    write_file(t_tmpdir_path("missing.stub"), "auto a.db\nauto gone.db\n");
    expect_error(t_tmpdir_path("missing.stub"), OASIS_ENOTFOUND, "gone.db");
    write_file(t_tmpdir_path("bad.stub"), "auto a.db\nlocal a.db\n");
    expect_error(t_tmpdir_path("bad.stub"), OASIS_EINDEX, "bad.stub:2");
    write_file(t_tmpdir_path("port.stub"), "remote 127.0.0.1:notaport\n");
    expect_error(t_tmpdir_path("port.stub"), OASIS_EINDEX, "HOST:PORT");
    write_file(t_tmpdir_path("empty.stub"), "# nothing\n");
    expect_error(t_tmpdir_path("empty.stub"), OASIS_EINDEX, "names no database");
    write_file(t_tmpdir_path("loop.stub"), "auto loop.stub\n");
    expect_error(t_tmpdir_path("loop.stub"), OASIS_EINDEX, "deeper than");
    expect_error(t_tmpdir_path("nothing"), OASIS_ENOTFOUND, "nothing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shards, t_tmpdir_setup, t_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_stub_errors, t_tmpdir_setup, t_tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
