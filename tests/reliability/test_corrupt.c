/* An index written by another analyzer or schema version, or damaged
 * (a glass table file cut, the version file removed, cut or overwritten):
 * oasis-query and oasis-index say so in one clear line and exit 2, never
 * crash; damage is named as such, with what to do. Errors that are not
 * damage are test_engine_errors.c. Garbled bytes inside the tables are
 * test_garbled.c. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "clitest.h"
#include "index/schema.h"
#include "xapian/xapc.h"

/* The index of the corpus at db is the pristine one, copied before each
 * damage. */
typedef ct_indexed_fixture fixture;

/* Damaged or foreign indexes tried. */
static long cases;

static int setup(void **state)
{
    *state = ct_indexed_setup("pristine.db");
    return 0;
}

static int teardown(void **state)
{
    printf("%ld damaged or foreign indexes tried on both programs\n", cases);
    ct_indexed_teardown(*state);
    return 0;
}

/* A fresh copy of the pristine index, named name; its path in out. */
static void copy_index(fixture *f, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", f->dir, name);
    t_rmtree(out);
    assert_int_equal(ct_run("/bin/cp", NULL, NULL, "-r", f->db, out, NULL), 0);
}

/* err is one line from prog, that is: a message, not a crash report. */
static void assert_clean_error(const char *prog, const char *err, const char *what)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", prog);
    if (strncmp(err, prefix, strlen(prefix)) || strstr(err, "terminate called") ||
        strstr(err, "Sanitizer") || strstr(err, "runtime error"))
        fail_msg("%s: %s did not fail cleanly:\n%s", what, prog, err);
}

/* Runs both programs on db. must_fail: both must exit 2; otherwise they
 * may also work (0 or 1), but never crash. Each 2 comes with a clean
 * message holding want (when not NULL). */
static void run_both(fixture *f, const char *db, int must_fail, const char *want,
                     const char *what)
{
    char *out, *err;
    int q = ct_run(f->query_bin, &out, &err, "--index", db, "--json", "santé", "logement", NULL);
    if (q < 0 || q > 2 || (must_fail && q != 2))
        fail_msg("%s: oasis-query exited %d:\n%s", what, q, err);
    if (q == 2) {
        assert_clean_error("oasis-query", err, what);
        if (want && !strstr(err, want))
            fail_msg("%s: oasis-query does not say '%s':\n%s", what, want, err);
    }
    free(out);
    free(err);
    int i = ct_run(f->index_bin, &out, &err, "--index", db,
                   t_source_path("tests/data/bad/crlf.jsonl"), NULL);
    if (i < 0 || i > 2 || (must_fail && i != 2))
        fail_msg("%s: oasis-index exited %d:\n%s", what, i, err);
    if (i == 2) {
        assert_clean_error("oasis-index", err, what);
        if (want && !strstr(err, want))
            fail_msg("%s: oasis-index does not say '%s':\n%s", what, want, err);
    }
    free(out);
    free(err);
    cases++;
}

static void set_meta(const char *db, const char *key, const char *value)
{
    xapc_wdb *w;
    assert_int_equal(xapc_wdb_open(&w, db), 0);
    assert_int_equal(xapc_wdb_set_metadata(w, key, value, strlen(value)), 0);
    assert_int_equal(xapc_wdb_commit(w), 0);
    xapc_wdb_free(w);
}

static void test_other_versions(void **state)
{
    fixture *f = *state;
    char db[4300];
    copy_index(f, "analyzer.db", db, sizeof db);
    set_meta(db, OA_META_ANALYZER, "fr-0");
    run_both(f, db, 1, "rebuild", "another analyzer");
    run_both(f, db, 1, "'fr-0'", "another analyzer");
    copy_index(f, "schema.db", db, sizeof db);
    set_meta(db, OA_META_SCHEMA, "1");
    run_both(f, db, 1, "rebuild", "another schema");
    /* Documents but no versions: written by something else. */
    copy_index(f, "none.db", db, sizeof db);
    set_meta(db, OA_META_ANALYZER, "");
    set_meta(db, OA_META_SCHEMA, "");
    run_both(f, db, 1, "none", "no versions");
}

static void cut(const char *path, long keep_from_end, double fraction)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    off_t size = fraction >= 0 ? (off_t)((double)st.st_size * fraction) : st.st_size - keep_from_end;
    assert_int_equal(truncate(path, size < 0 ? 0 : size), 0);
}

static void test_truncated_tables(void **state)
{
    fixture *f = *state;
    static const char *tables[] = {"postlist", "termlist", "docdata", "position"};
    for (size_t t = 0; t < 4; t++) {
        char db[4300], file[4400], what[128];
        /* Emptied, and cut in half: every table is read by both. */
        static const double fractions[] = {0.0, 0.5};
        for (int k = 0; k < 2; k++) {
            copy_index(f, "cut.db", db, sizeof db);
            snprintf(file, sizeof file, "%s/%s.glass", db, tables[t]);
            cut(file, 0, fractions[k]);
            snprintf(what, sizeof what, "%s.glass cut to %.0f%%", tables[t], fractions[k] * 100);
            run_both(f, db, 1, "is damaged: remove it and index again", what);
        }
        /* Cut by less than a block: may go unnoticed, never a crash. */
        copy_index(f, "cut.db", db, sizeof db);
        snprintf(file, sizeof file, "%s/%s.glass", db, tables[t]);
        cut(file, 100, -1);
        snprintf(what, sizeof what, "%s.glass cut by 100 bytes", tables[t]);
        run_both(f, db, 0, NULL, what);
    }
}

static void test_version_file(void **state)
{
    fixture *f = *state;
    char db[4300], file[4400];
    copy_index(f, "noversion.db", db, sizeof db);
    snprintf(file, sizeof file, "%s/iamglass", db);
    assert_int_equal(unlink(file), 0);
    run_both(f, db, 1, "is damaged: remove it and index again", "iamglass removed");

    copy_index(f, "cutversion.db", db, sizeof db);
    snprintf(file, sizeof file, "%s/iamglass", db);
    cut(file, 0, 0.1);
    run_both(f, db, 1, "is damaged: remove it and index again", "iamglass cut");

    copy_index(f, "garbledversion.db", db, sizeof db);
    snprintf(file, sizeof file, "%s/iamglass", db);
    FILE *fp = fopen(file, "r+b");
    assert_non_null(fp);
    fseek(fp, 20, SEEK_SET);
    fputs("\xff\xff\xff\xff garbled \xff\xff\xff\xff", fp);
    fclose(fp);
    run_both(f, db, 1, "is damaged: remove it and index again", "iamglass overwritten");
}

/* Not an index at all: a plain file, an empty directory (for the reader). */
static void test_not_an_index(void **state)
{
    fixture *f = *state;
    char path[4300];
    snprintf(path, sizeof path, "%s/plain-file", f->dir);
    ct_write(path, "hello\n", 6);
    run_both(f, path, 1, NULL, "a plain file");
    snprintf(path, sizeof path, "%s/empty-dir", f->dir);
    assert_int_equal(mkdir(path, 0755), 0);
    char *err;
    assert_int_equal(ct_run(f->query_bin, NULL, &err, "--index", path, "santé", NULL), 2);
    assert_clean_error("oasis-query", err, "an empty directory");
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_other_versions),
        cmocka_unit_test(test_truncated_tables),
        cmocka_unit_test(test_version_file),
        cmocka_unit_test(test_not_an_index),
    };
    return cmocka_run_group_tests_name("corrupt", tests, setup, teardown);
}
