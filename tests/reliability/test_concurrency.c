/* Two programs on one index: a second oasis-index fails at once with a
 * clear message and exit 2 while the first finishes whole. (Searches while
 * the index is rebuilt: test_rebuild_queries.c.) */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clitest.h"

#define FILES 4
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

/* The first oasis-index reads its corpus from a named pipe: it takes the
 * index, then waits on the pipe until the test writes. Meanwhile a second
 * oasis-index must fail at once. */
static void test_second_writer(void **state)
{
    fixture *f = *state;
    char fifo[4300], db[4300];
    snprintf(fifo, sizeof fifo, "%s/feed.jsonl", f->dir);
    snprintf(db, sizeof db, "%s/locked.db", f->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    char *argv[] = {(char *)f->index_bin, "--quiet", "--index", db, fifo, NULL};
    pid_t first = ct_spawn(argv);
    /* A writer can open the pipe once the reader is waiting on it, and the
     * first program opens it only after taking the index. */
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 6000; tries++) {
        fd = open(fifo, O_WRONLY | O_NONBLOCK);
        if (fd < 0) {
            assert_int_equal(errno, ENXIO);
            struct timespec t = {0, 10 * 1000 * 1000};
            nanosleep(&t, NULL);
        }
    }
    assert_true(fd >= 0);
    assert_int_equal(fcntl(fd, F_SETFL, 0), 0);

    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 2);
    assert_non_null(strstr(err, "oasis-index: "));
    assert_non_null(strstr(err, "being written by another process"));
    assert_null(strstr(err, " holds ")); /* failed before doing anything */
    free(err);
    /* Readers are not kept out. */
    assert_int_equal(ct_run(f->query_bin, NULL, &err, "--index", db, "santé", NULL), 1);
    free(err);
    assert_int_equal(waitpid(first, NULL, WNOHANG), 0); /* still waiting on the pipe */

    char *r = ct_records(9, 150);
    size_t len = strlen(r);
    assert_int_equal(write(fd, r, len), (ssize_t)len);
    free(r);
    close(fd);
    assert_int_equal(ct_wait(first), 0);
    assert_int_equal(ct_doc_count(db), 150);
}

/* The library's writer holds the index: oasis-index is refused, the
 * writer goes on undisturbed. */
static void test_library_writer_holds(void **state)
{
    fixture *f = *state;
    char db[4300];
    snprintf(db, sizeof db, "%s/held.db", f->dir);
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, db, NULL), 0);
    oasis_writer *w2;
    assert_int_equal(oasis_writer_open(&w2, db, NULL), OASIS_ELOCKED);
    assert_non_null(strstr(oasis_error_last(), "being written by another process"));
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 2);
    assert_non_null(strstr(err, "being written by another process"));
    free(err);
    oasis_add_stats st = OASIS_ADD_STATS_INIT;
    assert_int_equal(oasis_writer_add_path(w, f->corpus, &st), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(st.indexed, FILES * DOCS_PER_FILE);
    oasis_writer_free(w);
    assert_int_equal(ct_doc_count(db), FILES * DOCS_PER_FILE);
    /* Released: the next writer gets it. */
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 0);
    free(err);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_writer),
        cmocka_unit_test(test_library_writer_holds),
    };
    return cmocka_run_group_tests_name("concurrency", tests, setup, teardown);
}
