#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *t_env(const char *name)
{
    const char *v = getenv(name);
    if (!v) {
        fprintf(stderr, "%s is not set: run the tests through ctest\n", name);
        exit(2);
    }
    return v;
}

const char *t_source_dir(void)
{
    return t_env("OASIS_SOURCE_DIR");
}

const char *t_source_path(const char *rel)
{
    static char slots[8][4096];
    static int next;
    char *p = slots[next++ % 8];
    snprintf(p, sizeof slots[0], "%s/%s", t_source_dir(), rel);
    return p;
}

char *t_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/oasis-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        abort();
    }
    return strdup(tmpl);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void t_rmtree(const char *path)
{
    if (path)
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *t_real_path(const char *path)
{
    return realpath(path, NULL);
}

char *t_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        abort();
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (!buf)
        abort();
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static char *slurp_fd(int fd)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ssize_t got;
    while (buf && (got = read(fd, buf + n, cap - n - 1)) > 0) {
        n += (size_t)got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    if (!buf)
        abort();
    buf[n] = '\0';
    return buf;
}

int t_run(char *const argv[], char *const env[], char **out, char **err)
{
    char outpath[] = "/tmp/oasis-test-out-XXXXXX";
    char errpath[] = "/tmp/oasis-test-err-XXXXXX";
    int ofd = mkstemp(outpath), efd = mkstemp(errpath);
    if (ofd < 0 || efd < 0)
        abort();
    unlink(outpath);
    unlink(errpath);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(ofd, 1);
        dup2(efd, 2);
        for (size_t i = 0; env && env[i]; i++)
            putenv(env[i]);
        execv(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    lseek(ofd, 0, SEEK_SET);
    lseek(efd, 0, SEEK_SET);
    char *o = slurp_fd(ofd), *e = slurp_fd(efd);
    close(ofd);
    close(efd);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int t_index_corpus(const char *path)
{
    oasis_writer *w = NULL;
    int rc = oasis_writer_open(&w, path, NULL);
    if (!rc)
        rc = oasis_writer_add_path(w, t_source_path("corpus"), NULL);
    if (!rc)
        rc = oasis_writer_commit(w);
    oasis_writer_free(w);
    return rc;
}

oasis_searcher *t_corpus_searcher(char **dir, char *index, size_t cap)
{
    char path[4200];
    *dir = t_mkdtemp();
    snprintf(path, sizeof path, "%s/oasis.db", *dir);
    if (index)
        snprintf(index, cap, "%s", path);
    oasis_searcher *s = NULL;
    if (t_index_corpus(path) != 0 || oasis_searcher_open(&s, path) != 0) {
        fprintf(stderr, "indexing corpus/ into %s: %s\n", path, oasis_error_last());
        return NULL;
    }
    return s;
}

int t_corpus_setup(void **state)
{
    t_corpus_fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->s = t_corpus_searcher(&f->dir, f->index, sizeof f->index);
    *state = f;
    return f->s ? 0 : -1;
}

int t_corpus_teardown(void **state)
{
    t_corpus_fixture *f = *state;
    if (f) {
        oasis_searcher_free(f->s);
        f->s = NULL;
    }
    return t_dir_teardown(state);
}

int t_dir_teardown(void **state)
{
    char **dir = *state; /* the fixture's first member */
    if (dir) {
        t_rmtree(*dir);
        free(*dir);
        free(dir);
    }
    return 0;
}

static char *tmpdir;

int t_tmpdir_setup(void **state)
{
    (void)state;
    tmpdir = t_mkdtemp();
    return 0;
}

int t_tmpdir_teardown(void **state)
{
    (void)state;
    t_rmtree(tmpdir);
    free(tmpdir);
    tmpdir = NULL;
    return 0;
}

const char *t_tmpdir_path(const char *rel)
{
    static char buf[4][4096];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", tmpdir, rel);
    return p;
}

double t_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void t_sleep(double secs)
{
    struct timespec t = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

char *t_repeat(const char *unit, size_t times, const char *tail)
{
    size_t ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(ul * times + tl + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * ul, unit, ul);
    memcpy(s + ul * times, tail, tl + 1);
    return s;
}

int t_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *t_trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

char *t_next_row(char **cursor, int *lineno)
{
    while (*cursor && **cursor) {
        char *line = *cursor, *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        *cursor = nl ? nl + 1 : NULL;
        if (lineno)
            ++*lineno;
        if (*line && *line != '#')
            return line;
    }
    return NULL;
}

size_t t_split_tabs(char *row, char **fields, size_t max)
{
    size_t n = 0;
    if (max == 0)
        return 0;
    fields[n++] = row;
    for (char *p = row; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}
