/* Bytes overwritten inside the glass tables of an index (seeded:
 * OASIS_GARBLE_SEED, OASIS_GARBLE_ROUNDS, default 40 rounds over the four
 * tables): oasis-query and oasis-index (OASIS_GARBLE_PROGRAMS: "index",
 * "query" or both by default) either work, the damage having missed what
 * they read (glass keeps no checksums), or exit 2 with a line of their
 * own; they never die of a signal. libxapian itself can fault on such
 * tables: the programs catch the fault and report it. */
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

typedef struct fixture {
    char *dir;
    char pristine[4200];
    const char *index_bin, *query_bin;
} fixture;

static uint64_t rng;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = t_mkdtemp();
    f->index_bin = ct_env("OASIS_INDEX_BIN");
    f->query_bin = ct_env("OASIS_QUERY_BIN");
    snprintf(f->pristine, sizeof f->pristine, "%s/pristine.db", f->dir);
    char *err;
    int status = ct_run(f->index_bin, NULL, &err, "--index", f->pristine,
                        t_source_path("corpus"), NULL);
    if (status != 0)
        fail_msg("oasis-index: %s", err);
    free(err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    t_rmtree(f->dir);
    free(f->dir);
    free(f);
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
    for (long r = 0; r < rounds; r++) {
        for (int t = 0; t < 4; t++) {
            char db[4300], file[4400], what[256];
            snprintf(db, sizeof db, "%s/garbled.db", f->dir);
            t_rmtree(db);
            assert_int_equal(ct_run("/bin/cp", NULL, NULL, "-r", f->pristine, db, NULL), 0);
            snprintf(file, sizeof file, "%s/%s.glass", db, tables[t]);
            garble(file);
            snprintf(what, sizeof what, "%s.glass garbled (round %ld)", tables[t], r);
            char *out, *err;
            if (run_query) {
                int q = ct_run(f->query_bin, &out, &err, "--index", db, "--json", "santé",
                               "logement", NULL);
                judge("oasis-query", q, err, what, &ok, &refused);
                free(out);
                free(err);
            }
            if (run_index) {
                int i = ct_run(f->index_bin, &out, &err, "--index", db,
                               t_source_path("tests/data/bad/crlf.jsonl"), NULL);
                judge("oasis-index", i, err, what, &ok, &refused);
                free(out);
                free(err);
            }
        }
    }
    printf("%ld runs on garbled indexes: %ld worked, %ld refused cleanly, none crashed\n",
           ok + refused, ok, refused);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbled_tables),
    };
    return cmocka_run_group_tests_name("garbled", tests, setup, teardown);
}
