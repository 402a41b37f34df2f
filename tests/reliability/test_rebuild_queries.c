/* Searches in a loop while the index is rebuilt under them (oasis-index
 * --full, three times, a commit every 50 initiatives): searcher handles
 * kept open in threads, and oasis-query processes, never fail and always
 * find something. A reader whose revision a commit overtook must reopen the
 * index and search again. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "clitest.h"

#define FILES 4
#define DOCS_PER_FILE 200
#define THREADS 2

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

typedef struct reader {
    const char *db;
    volatile int *stop;
    long searches, failures;
    char error[512];
} reader;

static void *read_loop(void *arg)
{
    reader *rd = arg;
    oasis_searcher *s;
    if (oasis_searcher_open(&s, rd->db) != 0) {
        snprintf(rd->error, sizeof rd->error, "open: %s", oasis_error_last());
        rd->failures++;
        return NULL;
    }
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.facets = 1;
    o.limit = 20;
    static const char *queries[] = {"santé médecins", "logement internes", "centre"};
    /* The same handle all along: the writer's commits overtake it, and a
     * search must move it to the newest revision. */
    while (!*rd->stop) {
        oasis_results *r;
        int rc = oasis_search(s, queries[rd->searches % 3], &o, &r);
        if (rc == 0 && oasis_results_total(r) == 0) {
            snprintf(rd->error, sizeof rd->error, "'%s' matched nothing",
                     queries[rd->searches % 3]);
            rd->failures++;
        } else if (rc != 0) {
            snprintf(rd->error, sizeof rd->error, "%s", oasis_error_last());
            rd->failures++;
        }
        if (rc == 0)
            oasis_results_free(r);
        rd->searches++;
    }
    oasis_searcher_free(s);
    return NULL;
}

static void test_queries_while_rebuilding(void **state)
{
    fixture *f = *state;
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", f->db, f->corpus, NULL), 0);
    free(err);

    /* Three full rebuilds, one commit every 50 initiatives. */
    fflush(NULL);
    pid_t rebuilder = fork();
    assert_true(rebuilder >= 0);
    if (rebuilder == 0) {
        for (int i = 0; i < 3; i++) {
            char *argv[] = {(char *)f->index_bin, "--quiet", "--full", "--batch-size", "50",
                            "--index", f->db, f->corpus, NULL};
            if (ct_wait(ct_spawn(argv)) != 0)
                _exit(1);
        }
        _exit(0);
    }

    volatile int stop = 0;
    reader readers[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&readers[i], 0, sizeof readers[i]);
        readers[i].db = f->db;
        readers[i].stop = &stop;
        assert_int_equal(pthread_create(&threads[i], NULL, read_loop, &readers[i]), 0);
    }
    long processes = 0, process_failures = 0;
    char last_err[1024] = "";
    int status;
    while (waitpid(rebuilder, &status, WNOHANG) == 0) {
        char *out;
        int rc = ct_run(f->query_bin, &out, &err, "--index", f->db, "--json", "médecins", NULL);
        processes++;
        if (rc != 0) {
            process_failures++;
            snprintf(last_err, sizeof last_err, "exit %d: %s", rc, err);
        }
        free(out);
        free(err);
    }
    stop = 1;
    long searches = 0, failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        searches += readers[i].searches;
        failures += readers[i].failures;
        if (readers[i].failures)
            fprintf(stderr, "searcher %d: %s\n", i, readers[i].error);
    }
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    printf("during 3 rebuilds: %ld searches in %d threads (%ld failed), %ld oasis-query runs "
           "(%ld failed)\n", searches, THREADS, failures, processes, process_failures);
    if (process_failures)
        fail_msg("oasis-query failed while the index was rebuilt: %s", last_err);
    assert_int_equal(failures, 0);
    assert_true(searches > 0 && processes > 0);
    assert_int_equal(ct_doc_count(f->db), FILES * DOCS_PER_FILE);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queries_while_rebuilding),
    };
    return cmocka_run_group_tests_name("rebuild_queries", tests, setup, teardown);
}
