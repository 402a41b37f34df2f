/* Bytes overwritten inside the glass tables of an index (seeded:
 * OASIS_GARBLE_SEED, OASIS_GARBLE_ROUNDS, default 40 rounds over the four
 * tables): oasis-query and oasis-index (OASIS_GARBLE_PROGRAMS: "index",
 * "query" or both by default) either work, the damage having missed what
 * they read (glass keeps no checksums), or exit 2 with a line of their
 * own; they never die of a signal. libxapian itself can fault on such
 * tables: the programs catch the fault and report it. It can also loop
 * for ever on some (seen in commit_transaction()): a run still going after
 * HANG_SECS is killed and counted apart, as nothing of ours can stop it,
 * and after MAX_HANGS of them the rounds stop. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clitest.h"

/* The index of the corpus at db is the pristine one, copied before each
 * damage. */
typedef ct_indexed_fixture fixture;

#define HANG_SECS 10
#define MAX_HANGS 3 /* then the rounds stop: the time stays bounded */

static uint64_t rng;
static long hangs;

/* ct_run() with a time limit: -2 when it had to be killed. */
static int run_limited(const char *bin, char **err, const char *a1, const char *a2,
                       const char *a3, const char *a4, const char *a5, const char *a6)
{
    char log[] = "/tmp/oasis-garbled-err-XXXXXX";
    int fd = mkstemp(log);
    assert_true(fd >= 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(fd, 2);
        execl(bin, bin, a1, a2, a3, a4, a5, a6, (char *)NULL);
        _exit(127);
    }
    close(fd);
    int status = 0, done = 0;
    for (int waited = 0; !done && waited < HANG_SECS * 100; waited++) {
        done = waitpid(pid, &status, WNOHANG) == pid;
        if (!done) {
            struct timespec t = {0, 10 * 1000 * 1000};
            nanosleep(&t, NULL);
        }
    }
    if (!done) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    *err = t_read_file(log, NULL);
    unlink(log);
    if (!done)
        return -2;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int setup(void **state)
{
    *state = ct_indexed_setup("pristine.db");
    return 0;
}

static int teardown(void **state)
{
    ct_indexed_teardown(*state);
    return 0;
}

/* Overwrites a few runs of bytes of file at random places. */
static void garble(const char *file)
{
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    FILE *fp = fopen(file, "r+b");
    assert_non_null(fp);
    for (int k = 0; k < 8 && st.st_size > 0; k++) {
        long at = (long)(next_random() % (uint64_t)st.st_size);
        int n = (int)(1 + next_random() % 16);
        fseek(fp, at, SEEK_SET);
        for (int i = 0; i < n; i++)
            fputc((int)(next_random() & 0xff), fp);
    }
    fclose(fp);
}

/* status and stderr of one program on a garbled index: counted in
 * ok/refused, or the test fails. */
static void judge(const char *prog, int status, const char *err, const char *what, long *ok,
                  long *refused)
{
    if (status == -2) {
        printf("%s on %s: still running after %d s, killed (a loop inside libxapian)\n", prog,
               what, HANG_SECS);
        hangs++;
        return;
    }
    if (status == 0 || status == 1) {
        (*ok)++;
        return;
    }
    /* A line of the program's own (the C library may have said something
     * before it), and no report of a sanitizer. */
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", prog);
    const char *line = strstr(err, prefix);
    if (status != 2 || !line || (line != err && line[-1] != '\n') || strstr(err, "Sanitizer") ||
        strstr(err, "runtime error") || strstr(err, "terminate called"))
        fail_msg("%s on %s: exit %d:\n%s", prog, what, status, err);
    (*refused)++;
}

static void test_garbled_tables(void **state)
{
    fixture *f = *state;
    static const char *tables[] = {"postlist", "termlist", "docdata", "position"};
    const char *env = getenv("OASIS_GARBLE_ROUNDS");
    long rounds = env && atol(env) > 0 ? atol(env) : 40;
    const char *programs = getenv("OASIS_GARBLE_PROGRAMS");
    int run_query = !programs || strstr(programs, "query") != NULL;
    int run_index = !programs || strstr(programs, "index") != NULL;
    env = getenv("OASIS_GARBLE_SEED");
    rng = env && strtoull(env, NULL, 10) ? strtoull(env, NULL, 10) : 20261102u;
    printf("seed %llu, %ld rounds over %d tables:%s%s\n", (unsigned long long)rng, rounds, 4,
           run_query ? " oasis-query" : "", run_index ? " oasis-index" : "");
    long ok = 0, refused = 0;
    for (long r = 0; r < rounds && hangs < MAX_HANGS; r++) {
        for (int t = 0; t < 4; t++) {
            char db[4300], file[4400], what[256];
            snprintf(db, sizeof db, "%s/garbled.db", f->dir);
            t_rmtree(db);
            assert_int_equal(ct_run("/bin/cp", NULL, NULL, "-r", f->db, db, NULL), 0);
            snprintf(file, sizeof file, "%s/%s.glass", db, tables[t]);
            garble(file);
            snprintf(what, sizeof what, "%s.glass garbled (round %ld)", tables[t], r);
            char *err;
            if (run_query) {
                int q = run_limited(f->query_bin, &err, "--index", db, "--json", "santé",
                                    "logement", NULL);
                judge("oasis-query", q, err, what, &ok, &refused);
                free(err);
            }
            if (run_index) {
                int i = run_limited(f->index_bin, &err, "--index", db,
                                    t_source_path("tests/data/bad/crlf.jsonl"), NULL, NULL, NULL);
                judge("oasis-index", i, err, what, &ok, &refused);
                free(err);
            }
        }
    }
    printf("%ld runs on garbled indexes: %ld worked, %ld refused cleanly, %ld killed after "
           "looping in libxapian, none crashed\n", ok + refused + hangs, ok, refused, hangs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbled_tables),
    };
    return cmocka_run_group_tests_name("garbled", tests, setup, teardown);
}
