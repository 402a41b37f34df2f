/* The index compacted at the end of a run (oasis_writer_compact(),
 * oasis-index --compact / --no-compact), a compaction cut short by a crash
 * finished by the next writer, and batches committed early under the
 * memory setting (oasis_writer_options.memory_mib, oasis-index --memory). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "clitest.h"

#define FILES 3
#define DOCS_PER_FILE 200

typedef ct_corpus_fixture fixture;

static int setup(void **state)
{
    *state = ct_corpus_setup(FILES, DOCS_PER_FILE);
    return 0;
}

static int teardown(void **state)
{
    ct_corpus_teardown(*state);
    return 0;
}

/* Bytes of the files in dir. */
static long long dir_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    long long total = 0;
    char path[8192];
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            total += st.st_size;
    }
    closedir(d);
    return total;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void check_index(const char *db, long docs)
{
    char *out;
    int status = ct_run("/usr/bin/xapian-check", &out, NULL, db, NULL);
    if (status != 0)
        fail_msg("xapian-check %s failed (%d):\n%s", db, status, out);
    free(out);
    assert_int_equal(ct_doc_count(db), docs);
}

static void assert_same_ids(const char *a, const char *b)
{
    char **ia, **ib;
    size_t na, nb;
    assert_int_equal(ct_ids(a, &ia, &na), 0);
    assert_int_equal(ct_ids(b, &ib, &nb), 0);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_string_equal(ia[i], ib[i]);
    ct_free_ids(ia, na);
    ct_free_ids(ib, nb);
}

/* A created index is compacted: smaller than without, the same
 * initiatives, nothing left beside it; the summary says so. */
static void test_created_index_compacted(void **state)
{
    fixture *f = *state;
    char db[4300], plain[4300], side[4400], *err;
    snprintf(db, sizeof db, "%s/compact.db", f->dir);
    snprintf(plain, sizeof plain, "%s/plain.db", f->dir);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--batch-size", "10", "--index", db,
                            f->corpus, NULL), 0);
    assert_non_null(strstr(err, "compacted in"));
    free(err);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--batch-size", "10", "--no-compact",
                            "--index", plain, f->corpus, NULL), 0);
    assert_null(strstr(err, "compacted"));
    free(err);
    check_index(db, FILES * DOCS_PER_FILE);
    check_index(plain, FILES * DOCS_PER_FILE);
    assert_same_ids(db, plain);
    long long small = dir_bytes(db), big = dir_bytes(plain);
    if (small * 10 > big * 8)
        fail_msg("compacted index of %lld bytes, %lld without compaction", small, big);
    snprintf(side, sizeof side, "%s.compacting", db);
    assert_false(exists(side));
    /* Searches work on it. */
    char *out;
    assert_int_equal(ct_run(f->query_bin, &out, NULL, "--index", db, "médecins", NULL), 0);
    free(out);
}

/* An index that existed is compacted only with --compact, and only when
 * the run changed it. */
static void test_existing_index(void **state)
{
    fixture *f = *state;
    char db[4300], *err;
    snprintf(db, sizeof db, "%s/existing.db", f->dir);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--no-compact", "--batch-size", "10",
                            "--index", db, f->corpus, NULL), 0);
    free(err);
    long long before = dir_bytes(db);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--full", "--batch-size", "10", "--index",
                            db, f->corpus, NULL), 0);
    assert_null(strstr(err, "compacted"));
    free(err);
    assert_true(dir_bytes(db) >= before);
    /* Asked, it compacts even when nothing changed. */
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--compact", "--index", db, f->corpus,
                            NULL), 0);
    assert_non_null(strstr(err, "compacted in"));
    free(err);
    assert_true(dir_bytes(db) < before);
    before = dir_bytes(db);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--compact", "--full", "--index", db,
                            f->corpus, NULL), 0);
    assert_non_null(strstr(err, "compacted in"));
    free(err);
    assert_true(dir_bytes(db) <= before);
    check_index(db, FILES * DOCS_PER_FILE);
}

/* A crash in the middle of the move: the compact copy marked, one table
 * moved in, the others and the version file not. The next writer finishes
 * the move; an unmarked copy (a crash during compaction) is dropped. */
static void test_move_cut_short(void **state)
{
    fixture *f = *state;
    char db[4300], side[4400], path[8192], to[8192], *err;
    snprintf(db, sizeof db, "%s/cut.db", f->dir);
    snprintf(side, sizeof side, "%s.compacting", db);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--no-compact", "--batch-size", "10",
                            "--index", db, f->corpus, NULL), 0);
    free(err);
    assert_int_equal(ct_run("/usr/bin/xapian-compact", NULL, NULL, "--no-renumber", db, side,
                            NULL), 0);
    snprintf(path, sizeof path, "%s/oasis-compacted", side);
    DIR *d = opendir(side);
    assert_non_null(d);
    struct dirent *e;
    char list[1024] = "";
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            strcat(list, e->d_name);
            strcat(list, "\n");
        }
    closedir(d);
    ct_write(path, list, strlen(list));
    snprintf(path, sizeof path, "%s/postlist.glass", side);
    snprintf(to, sizeof to, "%s/postlist.glass", db);
    ct_copy_file(path, to);
    remove(path);
    assert_true(exists(side));

    /* The next writer: the move is finished first. */
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 0);
    free(err);
    assert_false(exists(side));
    check_index(db, FILES * DOCS_PER_FILE);

    /* An unmarked copy is dropped, the index untouched. */
    assert_int_equal(ct_run("/usr/bin/xapian-compact", NULL, NULL, db, side, NULL), 0);
    long long before = dir_bytes(db);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 0);
    free(err);
    assert_false(exists(side));
    assert_int_equal(dir_bytes(db), before);
    check_index(db, FILES * DOCS_PER_FILE);
}

/* A crash right after the exchange of the two directories: the compact
 * copy is the index (its mark still inside), the old index beside it,
 * unmarked. The next writer removes both leftovers. */
static void test_exchange_cut_short(void **state)
{
    fixture *f = *state;
    char db[4300], side[4400], path[8192], *err;
    snprintf(db, sizeof db, "%s/exchanged.db", f->dir);
    snprintf(side, sizeof side, "%s.compacting", db);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--no-compact", "--batch-size", "10",
                            "--index", db, f->corpus, NULL), 0);
    free(err);
    assert_int_equal(ct_run("/bin/cp", NULL, NULL, "-r", db, side, NULL), 0);
    snprintf(path, sizeof path, "%s/oasis-compacted", db);
    ct_write(path, "iamglass\n", 9);

    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 0);
    free(err);
    assert_false(exists(side));
    assert_false(exists(path));
    check_index(db, FILES * DOCS_PER_FILE);
}

static void test_memory_option(void **state)
{
    fixture *f = *state;
    char db[4300], *err;
    snprintf(db, sizeof db, "%s/mem.db", f->dir);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--memory", "31", "--index", db,
                            f->corpus, NULL), 2);
    assert_non_null(strstr(err, "--memory"));
    free(err);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--memory", "lots", "--index", db,
                            f->corpus, NULL), 2);
    free(err);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "-m", "32", "--index", db, f->corpus,
                            NULL), 0);
    free(err);
    check_index(db, FILES * DOCS_PER_FILE);
}

/* With a small memory setting, a batch far below batch_size is committed
 * once its documents fill the budget: another process sees them before the
 * writer commits; the default setting holds the same documents back. */
static void test_memory_commits_early(void **state)
{
    fixture *f = *state;
    const size_t memories[] = {32, 0};
    for (int k = 0; k < 2; k++) {
        char db[4300];
        snprintf(db, sizeof db, "%s/early-%d.db", f->dir, k);
        oasis_writer_options o = OASIS_WRITER_OPTIONS_INIT;
        o.batch_size = 100000;
        o.memory_mib = memories[k];
        oasis_writer *w;
        assert_int_equal(oasis_writer_open(&w, db, &o), 0);
        /* 40 documents of about 200 KB of text each: some 8 MB of text. */
        const char *unit = "médecins généralistes maison de santé ";
        size_t ul = strlen(unit), len = 0;
        char *text = malloc(200000 + 1);
        while (len + ul <= 200000) {
            memcpy(text + len, unit, ul);
            len += ul;
        }
        text[len] = '\0';
        for (int i = 0; i < 40; i++) {
            char id[32];
            snprintf(id, sizeof id, "big-%d", i);
            oasis_doc doc = OASIS_DOC_INIT;
            doc.id = id;
            doc.title = "Grande initiative";
            doc.text = text;
            assert_int_equal(oasis_writer_add(w, &doc), 0);
        }
        free(text);
        long seen = ct_doc_count(db); /* a reader: committed batches only */
        if (k == 0 && seen <= 0)
            fail_msg("memory 32 MiB: %ld documents committed out of 40", seen);
        if (k == 1)
            assert_true(seen <= 0);
        int compacted;
        assert_int_equal(oasis_writer_compact(w, 0, &compacted), 0);
        assert_int_equal(compacted, 1);
        /* Its tables replaced, the writer takes no more changes. */
        oasis_doc more = OASIS_DOC_INIT;
        more.title = "Après la compaction";
        assert_int_equal(oasis_writer_add(w, &more), OASIS_EINVAL);
        oasis_writer_free(w);
        check_index(db, 40);
    }
}

/* A memory setting under the minimum still opens a writer (it takes the
 * minimum). */
static void test_options_small_memory(void **state)
{
    fixture *f = *state;
    char db[4300];
    snprintf(db, sizeof db, "%s/small.db", f->dir);
    oasis_writer_options o;
    oasis_writer_options_init(&o);
    o.memory_mib = 1;
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, db, &o), 0);
    oasis_writer_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_created_index_compacted),
        cmocka_unit_test(test_existing_index),
        cmocka_unit_test(test_move_cut_short),
        cmocka_unit_test(test_exchange_cut_short),
        cmocka_unit_test(test_memory_option),
        cmocka_unit_test(test_memory_commits_early),
        cmocka_unit_test(test_options_small_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
