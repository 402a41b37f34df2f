/* oasis-index killed with SIGKILL at points spread over a run: after
 * each kill the index opens, xapian-check passes and it holds a whole
 * number of committed batches; running again completes it with the same
 * initiatives as a run never interrupted, none twice.
 *
 * The kills come from tests/enospc_shim.c (LD_PRELOAD): the write that
 * would take the bytes written into the index past a limit kills the
 * process, so that every run is cut at the same points whatever the
 * machine's speed. The limits are spread evenly over what an
 * uninterrupted run writes; OASIS_CRASH_KILLS (default 30; give more by
 * hand, e.g. 500) says how many. Every other round the resumed run is
 * killed too, at a limit half as far. */
#define _GNU_SOURCE /* F_OFD_SETLK */
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

#define FILES 3
#define DOCS_PER_FILE 200
#define BATCH 20
#define BATCH_ARG "20"

typedef struct fixture {
    char *dir;
    char corpus[4200];
    const char *index_bin;
    char dbs[4300];  /* the indexes: the directory the shim watches */
    char **ref_ids; /* of an uninterrupted run */
    size_t n_ref;
    unsigned long long run_bytes; /* what an uninterrupted run writes */
} fixture;

/* JSON Lines files: half the records with an id, half with one derived
 * from the title, some titles repeated (derived ids then get -2, -3). */
static void write_corpus(fixture *f)
{
    static const char *words[] = {"médecins", "internes", "logement", "maison de santé",
                                  "bourse", "télémédecine", "cabinet", "généralistes",
                                  "installation", "département", "stagiaires", "bus"};
    static const char *depts[] = {"45", "Loir-et-Cher", "36", "18", "Creuse", "2A", "974"};
    uint64_t seed = 7;
    for (int fi = 0; fi < FILES; fi++) {
        char path[4300];
        snprintf(path, sizeof path, "%s/part-%d.jsonl", f->corpus, fi);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        for (int d = 0; d < DOCS_PER_FILE; d++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            if (d % 2)
                fprintf(fp, "{\"id\":\"f%d-%d\",", fi, d);
            else
                fputc('{', fp);
            if (d % 10 == 4)
                fprintf(fp, "\"title\":\"Bus médical itinérant\",");
            else
                fprintf(fp, "\"title\":\"Initiative %d du fichier %d\",", d, fi);
            fputs("\"text\":\"", fp);
            for (int k = 0; k < 30; k++)
                fprintf(fp, "%s%s", k ? " " : "", words[(seed >> (k % 48)) % 12]);
            fprintf(fp, ".\",\"departements\":[\"%s\"]}\n", depts[(seed >> 20) % 7]);
        }
        fclose(fp);
    }
}

static char log_path[4300]; /* stderr of the last oasis-index */

/* Starts oasis-index on db; with a limit (not 0), under the shim that
 * kills it at the write that would pass limit bytes written under f->dbs;
 * with report, under the shim that writes there how many it wrote. */
static pid_t start_index(const fixture *f, const char *db, unsigned long long limit,
                         const char *report)
{
    fflush(NULL); /* the child must not write our buffers again */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "r", stdin);
        freopen("/dev/null", "w", stdout);
        if (!freopen(log_path, "w", stderr))
            _exit(126);
        if (limit || report)
            ct_preload_kill_shim(f->dbs, limit, report);
        execl(f->index_bin, f->index_bin, "--quiet", "--batch-size", BATCH_ARG, "--index", db,
              f->corpus, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits for pid; 0 when it exited with status 0, 1 when it was killed. */
static int reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ;
    if (WIFSIGNALED(status)) {
        assert_int_equal(WTERMSIG(status), SIGKILL);
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *err = t_read_file(log_path, NULL);
        fail_msg("oasis-index ended with status %d:\n%s", status, err);
    }
    return 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = t_mkdtemp();
    f->index_bin = t_env("OASIS_INDEX_BIN");
    snprintf(f->corpus, sizeof f->corpus, "%s/corpus", f->dir);
    snprintf(log_path, sizeof log_path, "%s/oasis-index.log", f->dir);
    snprintf(f->dbs, sizeof f->dbs, "%s/dbs", f->dir);
    assert_int_equal(mkdir(f->corpus, 0755), 0);
    assert_int_equal(mkdir(f->dbs, 0755), 0);
    write_corpus(f);
    /* An uninterrupted run, counting what it writes: the kills are spread
     * over it. */
    char db[4400], report[4300];
    snprintf(db, sizeof db, "%s/ref.db", f->dbs);
    snprintf(report, sizeof report, "%s/written", f->dir);
    assert_int_equal(reap(start_index(f, db, 0, report)), 0);
    char *written = t_read_file(report, NULL);
    f->run_bytes = strtoull(written, NULL, 10);
    free(written);
    assert_true(f->run_bytes > 0);
    assert_int_equal(ct_ids(db, &f->ref_ids, &f->n_ref), 0);
    assert_int_equal(f->n_ref, FILES * DOCS_PER_FILE);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    t_rmtree(f->dir);
    free(f->dir);
    ct_free_ids(f->ref_ids, f->n_ref);
    free(f);
    return 0;
}

/* oasis-index on db, killed at the write that passes limit bytes; 1 when
 * the kill interrupted it, 0 when it ended first. */
static int run_and_kill(fixture *f, const char *db, unsigned long long limit)
{
    return reap(start_index(f, db, limit, NULL));
}

/* The index left by a kill: xapian-check passes, it opens, and (fresh is
 * 1 when the killed run started from nothing) it holds whole batches. */
static void check_after_kill(fixture *f, const char *db, int fresh)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/iamglass", db);
    struct stat st;
    if (stat(path, &st) != 0)
        return; /* killed before the index was created */
    char *out;
    int status = ct_run("/usr/bin/xapian-check", &out, NULL, db, NULL);
    if (status != 0)
        fail_msg("xapian-check %s failed (%d):\n%s", db, status, out);
    free(out);
    long n = ct_doc_count(db);
    if (n < 0)
        fail_msg("the index does not open after a kill: %s", oasis_error_last());
    if (fresh && n % BATCH != 0 && (size_t)n != f->n_ref)
        fail_msg("%ld documents after a kill: not a whole number of batches of %d", n, BATCH);
    assert_true((size_t)n <= f->n_ref);
}

static void check_complete(fixture *f, const char *db)
{
    char **ids;
    size_t n;
    assert_int_equal(ct_ids(db, &ids, &n), 0);
    if (n != f->n_ref)
        fail_msg("%zu initiatives after resuming, %zu without a kill", n, f->n_ref);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(ids[i], ids[i - 1]))
            fail_msg("id %s twice", ids[i]);
        if (strcmp(ids[i], f->ref_ids[i]))
            fail_msg("id %s where the uninterrupted run has %s", ids[i], f->ref_ids[i]);
    }
    ct_free_ids(ids, n);
}

static void test_kills(void **state)
{
    fixture *f = *state;
    const char *env = getenv("OASIS_CRASH_KILLS");
    long kills = env && atol(env) > 0 ? atol(env) : 30;
    printf("%ld kills over the %llu bytes an uninterrupted run writes\n", kills, f->run_bytes);
    long interrupted = 0, too_late = 0;
    for (long k = 0; k < kills; k++) {
        char db[4400];
        snprintf(db, sizeof db, "%s/kill-%ld.db", f->dbs, k);
        unsigned long long limit = f->run_bytes * (unsigned long long)(k + 1) /
                                   (unsigned long long)(kills + 1);
        if (run_and_kill(f, db, limit)) {
            interrupted++;
            check_after_kill(f, db, 1);
        } else {
            too_late++;
        }
        if (k % 2 && ++k < kills) {
            /* The resumed run is killed too. */
            if (run_and_kill(f, db, limit / 2 + 1)) {
                interrupted++;
                check_after_kill(f, db, 0);
            } else {
                too_late++;
            }
        }
        assert_int_equal(reap(start_index(f, db, 0, NULL)), 0);
        check_complete(f, db);
        t_rmtree(db);
    }
    printf("%ld kills interrupted oasis-index and were survived; %ld came after it had "
           "finished\n", interrupted, too_late);
    assert_true(interrupted >= kills / 2);
}

/* What a kill during the creation of the index leaves (empty tables, a
 * version file not yet renamed into place, no iamglass) is cleared and
 * the index created; anything more is left alone; so is a directory whose
 * creator still holds the lock. */
static void test_unfinished_creation(void **state)
{
    fixture *f = *state;
    static const char *names[] = {"flintlock", "postlist.glass", "termlist.glass", "v.tmp"};
    char db[4300], file[4400];
    snprintf(db, sizeof db, "%s/unfinished.db", f->dir);
    assert_int_equal(mkdir(db, 0755), 0);
    for (int i = 0; i < 4; i++) {
        snprintf(file, sizeof file, "%s/%s", db, names[i]);
        ct_write(file, i == 3 ? "partial" : "", i == 3 ? 7 : 0);
    }
    /* Its creator is still at work: hands off. */
    snprintf(file, sizeof file, "%s/flintlock", db);
    int fd = open(file, O_RDWR);
    assert_true(fd >= 0);
    struct flock lk;
    memset(&lk, 0, sizeof lk);
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    lk.l_len = 1;
    assert_int_equal(fcntl(fd, F_OFD_SETLK, &lk), 0);
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 2);
    free(err);
    snprintf(file, sizeof file, "%s/postlist.glass", db);
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    close(fd);
    /* Abandoned: cleared, then created. */
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 0);
    free(err);
    assert_int_equal(ct_doc_count(db), (long)f->n_ref);

    /* A table holding data is never thrown away. */
    snprintf(db, sizeof db, "%s/unknown.db", f->dir);
    assert_int_equal(mkdir(db, 0755), 0);
    snprintf(file, sizeof file, "%s/postlist.glass", db);
    ct_write(file, "data", 4);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, f->corpus, NULL), 2);
    free(err);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_size, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unfinished_creation),
        cmocka_unit_test(test_kills),
    };
    return cmocka_run_group_tests_name("crash", tests, setup, teardown);
}
