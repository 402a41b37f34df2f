/* Helpers of the tests that run oasis-index and oasis-query for real and
 * look at the index they leave (badinput, incremental, crash, concurrency,
 * corrupt, extreme_queries). Header-only: each test includes what it uses. */
#ifndef OASIS_CLITEST_H
#define OASIS_CLITEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oasis.h"
#include "testutil.h"

/* The start of most of these tests: the paths of the two programs (from
 * ctest's environment; query_bin may be NULL) and a new temporary
 * directory, returned (t_rmtree() and free() it). */
static inline char *ct_setup(const char **index_bin, const char **query_bin)
{
    *index_bin = t_env("OASIS_INDEX_BIN");
    if (query_bin)
        *query_bin = t_env("OASIS_QUERY_BIN");
    return t_mkdtemp();
}

static inline int ct_run(const char *bin, char **out, char **err, ...);

/* oasis-index (index_bin) on corpus/ into db; aborts the test program with
 * its messages when it fails. */
static inline void ct_index_corpus(const char *index_bin, const char *db)
{
    char *err = NULL;
    int status = ct_run(index_bin, NULL, &err, "--index", db, t_source_path("corpus"), NULL);
    if (status != 0) {
        fprintf(stderr, "oasis-index on corpus/ into %s: exit %d\n%s", db, status, err);
        abort();
    }
    free(err);
}

/* Runs the program bin with the NULL-terminated arguments that follow;
 * stdout and stderr are returned when out/err are not NULL (caller
 * frees). Returns the exit status, -1 for a signal. */
static inline int ct_run(const char *bin, char **out, char **err, ...)
{
    char *argv[64] = {(char *)bin};
    int n = 1;
    va_list ap;
    va_start(ap, err);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < 63)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    return t_run(argv, NULL, out, err);
}

/* The summary line of oasis-index in err (the last line holding " holds "),
 * or NULL. */
static inline const char *ct_summary(const char *err)
{
    const char *found = NULL;
    for (const char *p = err; (p = strstr(p, " holds ")) != NULL; p++)
        found = p;
    if (!found)
        return NULL;
    while (found > err && found[-1] != '\n')
        found--;
    return found;
}

/* The number before " what" in the summary line ("12 indexed"), the number
 * after "holds " for what == "holds", or -1 when there is none. */
static inline long ct_summary_count(const char *err, const char *what)
{
    const char *line = ct_summary(err);
    if (!line)
        return -1;
    const char *eol = strchr(line, '\n');
    if (!eol)
        eol = line + strlen(line);
    if (!strcmp(what, "holds")) {
        const char *h = strstr(line, " holds ");
        return h && h < eol ? strtol(h + 7, NULL, 10) : -1;
    }
    size_t wl = strlen(what);
    for (const char *p = line; p < eol; p++) {
        if (*p < '0' || *p > '9' || (p > line && p[-1] != ' '))
            continue;
        char *end;
        long v = strtol(p, &end, 10);
        if (*end == ' ' && !strncmp(end + 1, what, wl))
            return v;
    }
    return -1;
}

/* Writes len bytes to path; aborts on failure. */
static inline void ct_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

static inline int ct_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of every initiative of the index at db, sorted (caller frees
 * each and the array); *n gets how many. Returns 0 or the error of the
 * library. */
static inline int ct_ids(const char *db, char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    oasis_searcher *s;
    int rc = oasis_searcher_open(&s, db);
    if (rc)
        return rc;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = oasis_searcher_doc_count(s) + 1;
    oasis_results *r;
    rc = oasis_search(s, "", &o, &r);
    if (!rc) {
        *n = oasis_results_count(r);
        *ids = calloc(*n + 1, sizeof **ids);
        for (size_t i = 0; i < *n; i++)
            (*ids)[i] = strdup(oasis_results_hit(r, i)->id);
        qsort(*ids, *n, sizeof **ids, ct_cmp_str);
        oasis_results_free(r);
    }
    oasis_searcher_free(s);
    return rc;
}

static inline void ct_free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Starts argv (argv[0] a path) with stdin, stdout and stderr on
 * /dev/null; returns its pid. */
static inline pid_t ct_spawn(char *const argv[])
{
    fflush(NULL); /* the child must not write our buffers again */
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Waits for pid: its exit status, or -1 when a signal ended it. */
static inline int ct_wait(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* n JSON Lines records of file number file, each text holding "santé",
 * "médecins", "logement" and "internes" (caller frees). */
static inline char *ct_records(int file, int n)
{
    size_t cap = (size_t)n * 200 + 1, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        abort();
    buf[0] = '\0';
    for (int d = 0; d < n; d++)
        len += (size_t)snprintf(buf + len, cap - len,
                                "{\"id\":\"f%d-%d\",\"title\":\"Centre de santé %d\",\"text\":"
                                "\"Des médecins salariés, logement des internes %d.\","
                                "\"departements\":[\"%d\"]}\n",
                                file, d, d, d * 7, 1 + d % 19);
    return buf;
}

/* Makes the directory dir holding files JSON Lines files part-N.jsonl of
 * docs records each (ct_records). */
static inline void ct_write_corpus(const char *dir, int files, int docs)
{
    if (mkdir(dir, 0755) != 0) {
        fprintf(stderr, "mkdir %s: %s\n", dir, strerror(errno));
        abort();
    }
    for (int i = 0; i < files; i++) {
        char path[4300];
        snprintf(path, sizeof path, "%s/part-%d.jsonl", dir, i);
        char *r = ct_records(i, docs);
        ct_write(path, r, strlen(r));
        free(r);
    }
}

/* The programs, a temporary directory, in it a generated corpus/ of files
 * JSON Lines files of docs records each (ct_write_corpus()) and the path of
 * an index oasis.db not made yet. */
typedef struct ct_corpus_fixture {
    char *dir;
    char corpus[4200], db[4200];
    const char *index_bin, *query_bin;
} ct_corpus_fixture;

static inline ct_corpus_fixture *ct_corpus_setup(int files, int docs)
{
    ct_corpus_fixture *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->dir = ct_setup(&f->index_bin, &f->query_bin);
    snprintf(f->corpus, sizeof f->corpus, "%s/corpus", f->dir);
    snprintf(f->db, sizeof f->db, "%s/oasis.db", f->dir);
    ct_write_corpus(f->corpus, files, docs);
    return f;
}

static inline void ct_corpus_teardown(ct_corpus_fixture *f)
{
    t_rmtree(f->dir);
    free(f->dir);
    free(f);
}

/* Documents in the index at db, or -1 when it cannot be opened. */
static inline long ct_doc_count(const char *db)
{
    oasis_searcher *s;
    if (oasis_searcher_open(&s, db) != 0)
        return -1;
    long n = (long)oasis_searcher_doc_count(s);
    oasis_searcher_free(s);
    return n;
}

#endif
