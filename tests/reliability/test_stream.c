/* Corpus files read from disk in blocks (oa_stream): for every file of
 * tests/data/bad and tests/data, and for generated ones (long lines, lines
 * and UTF-8 sequences cut by block ends, CRLF, Latin-1, UTF-16), reading in
 * blocks of many sizes gives exactly what reading the whole file with
 * oa_read_bytes() gives: the same records at the same lines, the same
 * warnings at the same lines, the same counts; and the first pass sees
 * every byte once. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus/reader.h"
#include "oasis.h"
#include "testutil.h"
#include "util/buf.h"

/* Everything a reader reports, as text: one line per record or warning. */
typedef struct trace {
    oa_buf docs;
    char **warnings;
    size_t n_warn, cap_warn;
} trace;

static int on_doc(void *userdata, const oasis_doc *d)
{
    trace *t = userdata;
    oa_buf_printf(&t->docs, "%ld|%s|%s|%s|", d->source_line, d->id ? d->id : "-",
                  d->title ? d->title : "-", d->text ? d->text : "-");
    for (size_t i = 0; i < d->n_departements; i++)
        oa_buf_printf(&t->docs, "%s,", d->departements[i]);
    oa_buf_putc(&t->docs, '|');
    for (size_t i = 0; i < d->n_categories; i++)
        oa_buf_printf(&t->docs, "%s,", d->categories[i]);
    oa_buf_putc(&t->docs, '\n');
    return 0;
}

static void on_warning(void *userdata, const char *file, long line, const char *message)
{
    trace *t = userdata;
    (void)file;
    if (t->n_warn == t->cap_warn) {
        t->cap_warn = t->cap_warn ? t->cap_warn * 2 : 16;
        t->warnings = realloc(t->warnings, t->cap_warn * sizeof *t->warnings);
        assert_non_null(t->warnings);
    }
    size_t n = strlen(message) + 32;
    char *w = malloc(n);
    snprintf(w, n, "%ld: %s", line, message);
    t->warnings[t->n_warn++] = w;
}

static void trace_free(trace *t)
{
    oa_buf_free(&t->docs);
    for (size_t i = 0; i < t->n_warn; i++)
        free(t->warnings[i]);
    free(t->warnings);
}

typedef struct result {
    trace t;
    int rc;
    size_t skipped, warnings;
    char error[256];
} result;

static void read_whole(const char *path, result *res)
{
    memset(res, 0, sizeof *res);
    size_t len;
    char *buf = t_read_file(path, &len);
    assert_non_null(buf);
    oa_reader r = {path, on_doc, &res->t, on_warning, &res->t, 0, 0};
    res->rc = oa_read_bytes(&r, buf, len, NULL);
    if (res->rc)
        snprintf(res->error, sizeof res->error, "%s", oasis_error_last());
    res->skipped = r.skipped;
    res->warnings = r.warnings;
    free(buf);
}

static void count_bytes(void *userdata, const char *buf, size_t n)
{
    (void)buf;
    *(unsigned long long *)userdata += n;
}

static void read_blocks(const char *path, size_t block, result *res, size_t file_len)
{
    memset(res, 0, sizeof *res);
    oa_stream *st;
    unsigned long long seen = 0;
    assert_int_equal(oa_stream_open(&st, path, block, count_bytes, &seen), 0);
    assert_int_equal(seen, file_len);
    assert_int_equal(oa_stream_size(st), file_len);
    oa_reader r = {path, on_doc, &res->t, on_warning, &res->t, 0, 0};
    oa_read_progress progress = {0, 0};
    res->rc = oa_stream_read(&r, st, &progress);
    if (res->rc)
        snprintf(res->error, sizeof res->error, "%s", oasis_error_last());
    res->skipped = r.skipped;
    res->warnings = r.warnings;
    oa_stream_free(st);
}

/* The same outcome; warnings compared in any order (bad lines are reported
 * in line order among the records' warnings when reading in blocks). */
static void same(const char *path, size_t block, result *a, result *b)
{
    if (a->rc != b->rc || strcmp(a->error, b->error))
        fail_msg("%s, blocks of %zu: rc %d '%s', whole: rc %d '%s'", path, block, b->rc,
                 b->error, a->rc, a->error);
    const char *da = a->t.docs.data ? a->t.docs.data : "";
    const char *db = b->t.docs.data ? b->t.docs.data : "";
    if (strcmp(da, db))
        fail_msg("%s, blocks of %zu: records differ:\n--- whole\n%.2000s\n--- blocks\n%.2000s",
                 path, block, da, db);
    assert_int_equal(a->skipped, b->skipped);
    assert_int_equal(a->warnings, b->warnings);
    assert_int_equal(a->t.n_warn, b->t.n_warn);
    if (a->t.n_warn) {
        qsort(a->t.warnings, a->t.n_warn, sizeof(char *), t_cmp_str);
        qsort(b->t.warnings, b->t.n_warn, sizeof(char *), t_cmp_str);
    }
    for (size_t i = 0; i < a->t.n_warn; i++)
        if (strcmp(a->t.warnings[i], b->t.warnings[i]))
            fail_msg("%s, blocks of %zu: warning '%s' where whole gives '%s'", path, block,
                     b->t.warnings[i], a->t.warnings[i]);
}

static const size_t blocks[] = {16, 17, 31, 64, 100, 257, 4096, OA_STREAM_BLOCK};

static void check_file(const char *path)
{
    size_t len;
    free(t_read_file(path, &len));
    result whole;
    read_whole(path, &whole);
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++) {
        result part;
        read_blocks(path, blocks[i], &part, len);
        same(path, blocks[i], &whole, &part);
        trace_free(&part.t);
    }
    trace_free(&whole.t);
}

static void check_dir(const char *rel)
{
    const char *dir = t_source_path(rel);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' ||
            !((n > 4 && !strcmp(e->d_name + n - 4, ".txt")) ||
              (n > 6 && !strcmp(e->d_name + n - 6, ".jsonl"))))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        check_file(path);
        files++;
    }
    closedir(d);
    assert_true(files > 0);
}

static void test_bad_files(void **state)
{
    (void)state;
    check_dir("tests/data/bad");
}

static void test_data_files(void **state)
{
    (void)state;
    check_dir("tests/data");
}

static char *write_tmp(char *dir, const char *name, const char *bytes, size_t n)
{
    size_t cap = strlen(dir) + strlen(name) + 2;
    char *path = malloc(cap);
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

/* Generated files whose lines, CRLF pairs and multi-byte sequences fall
 * across block ends. */
static void test_generated(void **state)
{
    (void)state;
    char *dir = t_mkdtemp();
    oa_buf b = OA_BUF_INIT;
    /* UTF-8 with accents, CRLF, a BOM, blank lines, a broken line, a bad
     * byte, a line longer than every small block, no final newline. */
    oa_buf_puts(&b, "\xef\xbb\xbf\r\n\n");
    for (int i = 0; i < 40; i++) {
        oa_buf_printf(&b, "{\"id\":\"g%d\",\"title\":\"Médecins à %d\",\"text\":\"", i, i);
        for (int k = 0; k < i * 3; k++)
            oa_buf_puts(&b, "santé œuvre ");
        oa_buf_printf(&b, "\",\"departements\":[\"%s\"]}\r\n", i % 2 ? "Creuse" : "45");
        if (i == 7)
            oa_buf_puts(&b, "{\"id\":broken}\r\n");
        if (i == 11)
            oa_buf_puts(&b, "{\"id\":\"bad\",\"title\":\"caf\xe9\"}\n");
        if (i == 13)
            oa_buf_puts(&b, "   \t\n");
    }
    oa_buf_puts(&b, "{\"title\":\"Dernière\",\"text\":\"sans fin de ligne\"}");
    char *p = write_tmp(dir, "gen.jsonl", b.data, b.len);
    check_file(p);
    free(p);

    /* Latin-1: every accent a single byte. */
    oa_buf_reset(&b);
    for (int i = 0; i < 30; i++)
        oa_buf_printf(&b, "{\"title\":\"M\xe9" "decins %d\",\"text\":\"sant\xe9 \xe0 %d\"}\n", i, i);
    p = write_tmp(dir, "latin1.jsonl", b.data, b.len);
    check_file(p);
    free(p);

    /* UTF-16LE with its byte order mark. */
    oa_buf_reset(&b);
    oa_buf_append(&b, "\xff\xfe", 2);
    for (int i = 0; i < 30; i++) {
        char line[128];
        int n = snprintf(line, sizeof line, "{\"title\":\"Initiative %d\",\"text\":\"bus\"}\n", i);
        for (int k = 0; k < n; k++) {
            oa_buf_putc(&b, line[k]);
            oa_buf_putc(&b, '\0');
        }
    }
    p = write_tmp(dir, "utf16.jsonl", b.data, b.len);
    check_file(p);
    free(p);

    /* A line of 3 MiB between two good ones: longer than the largest block
     * and than a line may hold. */
    oa_buf_reset(&b);
    oa_buf_puts(&b, "{\"title\":\"Avant\",\"text\":\"a\"}\n{\"title\":\"Long\",\"text\":\"");
    for (int i = 0; i < 3 * 1024 * 1024 / 8; i++)
        oa_buf_puts(&b, "médecin ");
    oa_buf_puts(&b, "\"}\n{\"title\":\"Après\",\"text\":\"b\"}\n");
    p = write_tmp(dir, "long.jsonl", b.data, b.len);
    result whole, part;
    read_whole(p, &whole);
    read_blocks(p, 4096, &part, b.len);
    same(p, 4096, &whole, &part);
    assert_int_equal(part.skipped, 1);
    trace_free(&whole.t);
    trace_free(&part.t);
    free(p);

    oa_buf_free(&b);
    t_rmtree(dir);
    free(dir);
}

static void test_missing_file(void **state)
{
    (void)state;
    oa_stream *st;
    assert_int_equal(oa_stream_open(&st, "/nonexistent/x.jsonl", 4096, NULL, NULL), OASIS_EIO);
    assert_null(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_data_files),
        cmocka_unit_test(test_generated),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
