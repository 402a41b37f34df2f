/* Helpers of the tests that run oasis-index and oasis-query for real and
 * look at what they print and at the index they leave (the tests of the
 * programs and the reliability tests). Header-only: each test includes
 * what it uses. */
#ifndef OASIS_CLITEST_H
#define OASIS_CLITEST_H

#include <dirent.h>
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

#include <jansson.h>

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

/* Appends the NULL-terminated arguments of ap to argv from argv[n], up to
 * cap - 1 entries in all, and ends argv with NULL. */
static inline void ct_args(char **argv, int n, int cap, va_list ap)
{
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < cap - 1)
        argv[n++] = (char *)a;
    argv[n] = NULL;
}

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
    va_list ap;
    va_start(ap, err);
    ct_args(argv, 1, 64, ap);
    va_end(ap);
    return t_run(argv, NULL, out, err);
}

/* oasis-query (query_bin) --index index with the NULL-terminated arguments
 * that follow, env ("NAME=value" strings, NULL-terminated, may be NULL)
 * added to its environment; out and err as ct_run() gives them. Returns
 * the exit status, -1 for a signal. */
static inline int ct_query(const char *query_bin, const char *index, char *const env[], char **out,
                           char **err, ...)
{
    char *argv[64] = {(char *)query_bin, "--index", (char *)index};
    va_list ap;
    va_start(ap, err);
    ct_args(argv, 3, 64, ap);
    va_end(ap);
    return t_run(argv, env, out, err);
}

/* The JSON Lines output out as an array of its lines (caller decrefs);
 * aborts, showing the line, when one is not a JSON object or the last one
 * lacks its newline. */
static inline json_t *ct_json_lines(const char *out)
{
    json_t *lines = json_array();
    for (const char *p = out; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        json_error_t e;
        json_t *o = nl ? json_loadb(p, len, 0, &e) : NULL;
        if (!json_is_object(o)) {
            fprintf(stderr, "not a JSON object line: %.*s (%s)\n", (int)len, p,
                    nl ? e.text : "no newline");
            abort();
        }
        json_array_append_new(lines, o);
        p = nl + 1;
    }
    return lines;
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
        *n = oasis_results_hit_count(r);
        *ids = calloc(*n + 1, sizeof **ids);
        for (size_t i = 0; i < *n; i++)
            (*ids)[i] = strdup(oasis_results_hit_at(r, i)->id);
        qsort(*ids, *n, sizeof **ids, t_cmp_str);
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

/* The programs, a temporary directory and in it the real corpus/ indexed
 * by oasis-index at db (<dir>/name): the start of the tests that damage an
 * index or query it the hard way. */
typedef struct ct_indexed_fixture {
    char *dir;
    char db[4200];
    const char *index_bin, *query_bin;
} ct_indexed_fixture;

static inline ct_indexed_fixture *ct_indexed_setup(const char *name)
{
    ct_indexed_fixture *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->dir = ct_setup(&f->index_bin, &f->query_bin);
    snprintf(f->db, sizeof f->db, "%s/%s", f->dir, name);
    ct_index_corpus(f->index_bin, f->db);
    return f;
}

static inline void ct_indexed_teardown(ct_indexed_fixture *f)
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

/* A growing string for the helpers below. */
typedef struct ct_str {
    char *p;
    size_t len, cap;
} ct_str;

static inline void ct_str_add(ct_str *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (s->len + n + 1 > cap)
            cap *= 2;
        char *q = realloc(s->p, cap);
        if (!q)
            abort();
        s->p = q;
        s->cap = cap;
    }
    memcpy(s->p + s->len, p, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static inline void ct_str_puts(ct_str *s, const char *p)
{
    ct_str_add(s, p, strlen(p));
}

/* p with backslashes, tabs and newlines written as \\, \t and \n. */
static inline void ct_str_escaped(ct_str *s, const char *p)
{
    for (; *p; p++) {
        if (*p == '\\')
            ct_str_puts(s, "\\\\");
        else if (*p == '\t')
            ct_str_puts(s, "\\t");
        else if (*p == '\n')
            ct_str_puts(s, "\\n");
        else
            ct_str_add(s, p, 1);
    }
}

/* Every initiative of the index at db, one line each, sorted: id, title,
 * text, département codes, category slugs, and where it comes from: the
 * real path of its source file (a relative one is taken from the current
 * directory; "?" and the path as stored when it does not resolve) with
 * ":LINE". Fields are tab-separated, with tabs, newlines and backslashes
 * escaped. Two indexes that hold the same initiatives, whatever path form
 * reached their files, give the same text. Returns it (caller frees), or
 * NULL when the index cannot be opened or searched; *n (may be NULL) gets
 * how many initiatives. */
static inline char *ct_dump_index(const char *db, size_t *n)
{
    if (n)
        *n = 0;
    oasis_searcher *s;
    if (oasis_searcher_open(&s, db) != 0)
        return NULL;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = oasis_searcher_doc_count(s) + 1;
    oasis_results *r;
    if (oasis_search(s, "", &o, &r) != 0) {
        oasis_searcher_free(s);
        return NULL;
    }
    size_t count = oasis_results_hit_count(r);
    char **lines = calloc(count + 1, sizeof *lines);
    if (!lines)
        abort();
    for (size_t i = 0; i < count; i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        ct_str l = {NULL, 0, 0};
        ct_str_escaped(&l, h->id);
        ct_str_puts(&l, "\t");
        ct_str_escaped(&l, h->title);
        ct_str_puts(&l, "\t");
        ct_str_escaped(&l, h->text);
        ct_str_puts(&l, "\t");
        for (size_t k = 0; k < h->n_departements; k++) {
            if (k)
                ct_str_puts(&l, ",");
            ct_str_escaped(&l, h->departements[k]->code);
        }
        ct_str_puts(&l, "\t");
        for (size_t k = 0; k < h->n_categories; k++) {
            if (k)
                ct_str_puts(&l, ",");
            ct_str_escaped(&l, h->categories[k]->slug);
        }
        ct_str_puts(&l, "\t");
        char *real = *h->source_file ? t_real_path(h->source_file) : NULL;
        if (!real)
            ct_str_puts(&l, "?");
        ct_str_escaped(&l, real ? real : h->source_file);
        free(real);
        char num[32];
        snprintf(num, sizeof num, ":%ld", h->source_line);
        ct_str_puts(&l, num);
        lines[i] = l.p;
    }
    oasis_results_free(r);
    oasis_searcher_free(s);
    qsort(lines, count, sizeof *lines, t_cmp_str);
    ct_str out = {NULL, 0, 0};
    ct_str_add(&out, "", 0);
    for (size_t i = 0; i < count; i++) {
        ct_str_puts(&out, lines[i]);
        ct_str_puts(&out, "\n");
        free(lines[i]);
    }
    free(lines);
    if (n)
        *n = count;
    return out.p;
}

/* NULL when the dumps a and b (ct_dump_index()) are equal; else a message
 * (caller frees) giving how many lines each has and a few of those only in
 * a (named a_name) and only in b, each cut to 240 bytes. */
static inline char *ct_dump_diff(const char *a, const char *b, const char *a_name,
                                 const char *b_name)
{
    if (!strcmp(a, b))
        return NULL;
    size_t na = 0, nb = 0, only_a = 0, only_b = 0;
    ct_str shown_a = {NULL, 0, 0}, shown_b = {NULL, 0, 0};
    ct_str_add(&shown_a, "", 0);
    ct_str_add(&shown_b, "", 0);
    const char *p = a, *q = b;
    while (*p || *q) {
        const char *pe = *p ? strchr(p, '\n') : p, *qe = *q ? strchr(q, '\n') : q;
        size_t pl = (size_t)(pe - p), ql = (size_t)(qe - q);
        int c;
        if (!*p)
            c = 1;
        else if (!*q)
            c = -1;
        else {
            c = memcmp(p, q, pl < ql ? pl : ql);
            if (!c)
                c = pl < ql ? -1 : pl > ql;
        }
        if (c <= 0) {
            na++;
            if (c < 0 && only_a++ < 4) {
                ct_str_puts(&shown_a, "\n  ");
                ct_str_add(&shown_a, p, pl < 240 ? pl : 240);
            }
            p = pe + 1;
        }
        if (c >= 0) {
            nb++;
            if (c > 0 && only_b++ < 4) {
                ct_str_puts(&shown_b, "\n  ");
                ct_str_add(&shown_b, q, ql < 240 ? ql : 240);
            }
            q = qe + 1;
        }
    }
    ct_str msg = {NULL, 0, 0};
    char head[512];
    snprintf(head, sizeof head, "%s holds %zu initiatives, %s %zu; only in %s (%zu):", a_name, na,
             b_name, nb, a_name, only_a);
    ct_str_puts(&msg, head);
    ct_str_puts(&msg, shown_a.p);
    snprintf(head, sizeof head, "\nonly in %s (%zu):", b_name, only_b);
    ct_str_puts(&msg, head);
    ct_str_puts(&msg, shown_b.p);
    free(shown_a.p);
    free(shown_b.p);
    return msg.p;
}

/* 1 when line[0..len) holds place ("orig.jsonl:3") not followed by a
 * digit. */
static inline int ct_line_names(const char *line, size_t len, const char *place)
{
    size_t pl = strlen(place);
    for (size_t i = 0; i + pl <= len; i++)
        if (!memcmp(line + i, place, pl) && (i + pl == len || line[i + pl] < '0' ||
                                             line[i + pl] > '9'))
            return 1;
    return 0;
}

/* 1 when a line of err is a warning naming both places a and b (each as
 * "FILE:LINE", matched anywhere in the line: "orig.jsonl:3" matches
 * "corpus/orig.jsonl:3" but not "orig.jsonl:30"). */
static inline int ct_warning_names(const char *err, const char *a, const char *b)
{
    for (const char *p = err; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (ct_line_names(p, len, "warning") && ct_line_names(p, len, a) &&
            ct_line_names(p, len, b))
            return 1;
        p += len + (eol ? 1 : 0);
    }
    return 0;
}

/* Copies the file from to the file to; aborts on failure. */
static inline void ct_copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = t_read_file(from, &len);
    ct_write(to, data, len);
    free(data);
}

/* Copies the directory src, which holds only files (an index), to dst
 * (created); aborts on failure. */
static inline void ct_copy_dir(const char *src, const char *dst)
{
    if (mkdir(dst, 0755) != 0) {
        fprintf(stderr, "mkdir %s: %s\n", dst, strerror(errno));
        abort();
    }
    DIR *d = opendir(src);
    if (!d) {
        fprintf(stderr, "%s: %s\n", src, strerror(errno));
        abort();
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char from[4400], to[4400];
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
        ct_copy_file(from, to);
    }
    closedir(d);
}

/* Copies corpus/ to the directory corpus (created), adds to it the file
 * name holding data, and indexes it at db with index_bin: its exit status,
 * its stderr printed when it failed. */
static inline int ct_index_corpus_plus(const char *index_bin, const char *db, const char *corpus,
                                       const char *name, const char *data)
{
    ct_copy_dir(t_source_path("corpus"), corpus);
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", corpus, name);
    ct_write(path, data, strlen(data));
    char *err = NULL;
    int rc = ct_run(index_bin, NULL, &err, "--index", db, corpus, NULL);
    if (rc)
        fprintf(stderr, "%s", err);
    free(err);
    return rc;
}

/* In a child about to exec oasis-index: preloads the shim of
 * tests/reliability/enospc_shim.c ($OASIS_ENOSPC_SHIM), which kills the
 * process at the write that would take the bytes written under dir past
 * limit (0: no limit), and with report (may be NULL) writes there how many
 * bytes were written when it exits. */
static inline void ct_preload_kill_shim(const char *dir, unsigned long long limit,
                                        const char *report)
{
    char after[32];
    snprintf(after, sizeof after, "%llu", limit);
    setenv("LD_PRELOAD", t_env("OASIS_ENOSPC_SHIM"), 1);
    setenv("OASIS_ENOSPC_DIR", dir, 1);
    setenv("OASIS_ENOSPC_AFTER", limit ? after : "", 1);
    setenv("OASIS_ENOSPC_KILL", "1", 1);
    setenv("OASIS_ENOSPC_REPORT", report ? report : "", 1);
    /* The sanitizer build: the shim comes before the ASan runtime. */
    setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
}

#endif
