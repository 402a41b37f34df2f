/* oasis-index on nasty input: the files of tests/data/bad/ with their
 * expected outcome in tests/data/badinput.tsv, each alone then all as one
 * directory, and inputs generated here (a 50 MB line, many bad lines, an
 * unreadable file). Every valid record indexed, every bad one named with
 * file, line and reason, a summary at the end, the documented exit status. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/analyzer.h"
#include "clitest.h"

#define MAX_CASES 64
#define MAX_ITEMS 8

typedef struct bad_case {
    char *file;
    long indexed, skipped, warnings, total;
    int exit, strict;
    size_t n_expect, n_find;
    long expect_line[MAX_ITEMS];
    char *expect[MAX_ITEMS]; /* "phrase, phrase" */
    char *find_query[MAX_ITEMS], *find_title[MAX_ITEMS];
} bad_case;

typedef struct fixture {
    char *dir;
    const char *index_bin;
    bad_case cases[MAX_CASES];
    size_t n;
    char *text; /* the data file, cut in place */
} fixture;

/* Splits s on sep (a string) in place; returns the pieces. */
static size_t split(char *s, const char *sep, char **out, size_t max)
{
    size_t n = 0, sl = strlen(sep);
    while (s && n < max) {
        char *next = strstr(s, sep);
        if (next) {
            *next = '\0';
            next += sl;
        }
        out[n++] = t_trim(s);
        s = next;
    }
    return n;
}

static void parse_cases(fixture *f)
{
    f->text = t_read_file(t_source_path("tests/data/badinput.tsv"), NULL);
    char *cursor = f->text, *line;
    while ((line = t_next_row(&cursor, NULL)) != NULL) {
        char *col[10];
        size_t nc = split(line, "\t", col, 10);
        if (nc != 9)
            fail_msg("badinput.tsv: %zu columns in the row of %s", nc, col[0]);
        assert_true(f->n < MAX_CASES);
        bad_case *c = &f->cases[f->n++];
        c->file = col[0];
        c->indexed = atol(col[1]);
        c->skipped = atol(col[2]);
        c->warnings = atol(col[3]);
        c->total = atol(col[4]);
        c->exit = atoi(col[5]);
        c->strict = atoi(col[6]);
        char *items[MAX_ITEMS];
        size_t ni = strcmp(col[7], "-") ? split(col[7], " | ", items, MAX_ITEMS) : 0;
        for (size_t i = 0; i < ni; i++) {
            char *colon = strchr(items[i], ':');
            assert_non_null(colon);
            *colon = '\0';
            c->expect_line[i] = atol(items[i]);
            c->expect[i] = t_trim(colon + 1);
        }
        c->n_expect = ni;
        ni = strcmp(col[8], "-") ? split(col[8], " | ", items, MAX_ITEMS) : 0;
        for (size_t i = 0; i < ni; i++) {
            char *arrow = strstr(items[i], " => ");
            assert_non_null(arrow);
            *arrow = '\0';
            c->find_query[i] = t_trim(items[i]);
            c->find_title[i] = t_trim(arrow + 4);
        }
        c->n_find = ni;
    }
    assert_true(f->n >= 20);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = t_mkdtemp();
    f->index_bin = t_env("OASIS_INDEX_BIN");
    parse_cases(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    t_rmtree(f->dir);
    free(f->dir);
    free(f->text);
    free(f);
    return 0;
}

static long count_warnings(const char *err)
{
    long n = 0;
    for (const char *p = err; (p = strstr(p, ": warning: ")) != NULL; p++)
        n++;
    return n;
}

/* 1 when err holds the warning "oasis-index: PATH[:LINE]: warning: ..."
 * with every comma-separated phrase of phrases. */
static int has_warning(const char *err, const char *path, long line, const char *phrases)
{
    char prefix[4300];
    if (line > 0)
        snprintf(prefix, sizeof prefix, "oasis-index: %s:%ld: warning: ", path, line);
    else
        snprintf(prefix, sizeof prefix, "oasis-index: %s: warning: ", path);
    for (const char *p = err; (p = strstr(p, prefix)) != NULL; p++) {
        if (p != err && p[-1] != '\n')
            continue;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *w = strndup(p, len), *list = strdup(phrases), *items[MAX_ITEMS];
        size_t n = split(list, ",", items, MAX_ITEMS), ok = 0;
        for (size_t i = 0; i < n; i++)
            ok += strstr(w, items[i]) != NULL;
        free(w);
        free(list);
        if (ok == n)
            return 1;
    }
    return 0;
}

/* What no decoded text may hold: invalid UTF-8, U+FFFD, NUL (the string
 * ends there), CR, C1 controls, "Ã" followed by a Latin-1 sign (UTF-8
 * read twice). */
static void check_clean(const char *what, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (!oa_utf8_valid(s, n, NULL))
        fail_msg("%s is not UTF-8: %s", what, s);
    if (strstr(s, "\xef\xbf\xbd") || strchr(s, '\r'))
        fail_msg("%s holds U+FFFD or CR: %s", what, s);
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)s[i + 1];
        if (a == 0xC2 && b >= 0x80 && b < 0xA0)
            fail_msg("%s holds a C1 control: %s", what, s);
        if (a == 0xC3 && b == 0x83)
            fail_msg("%s looks decoded twice: %s", what, s);
    }
}

/* Every initiative of db: clean text; then each find of c. */
static void check_index(const char *db, const bad_case *c)
{
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, db), 0);
    assert_int_equal(oasis_searcher_doc_count(s), (size_t)c->total);
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = 1000;
    oasis_results *r;
    assert_int_equal(oasis_search(s, "", &o, &r), 0);
    assert_int_equal(oasis_results_hit_count(r), (size_t)c->total);
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        check_clean("title", h->title);
        check_clean("text", h->text);
        check_clean("id", h->id);
    }
    oasis_results_free(r);
    for (size_t k = 0; k < c->n_find; k++) {
        assert_int_equal(oasis_search(s, c->find_query[k], &o, &r), 0);
        int found = 0;
        for (size_t i = 0; i < oasis_results_hit_count(r) && !found; i++) {
            const oasis_hit *h = oasis_results_hit_at(r, i);
            found = h->title && !strcmp(h->title, c->find_title[k]) &&
                    (strstr(h->title, c->find_query[k]) ||
                     (h->text && strstr(h->text, c->find_query[k])));
        }
        if (!found)
            fail_msg("%s: searching '%s' does not find '%s' holding it", c->file,
                     c->find_query[k], c->find_title[k]);
        oasis_results_free(r);
    }
    oasis_searcher_free(s);
}

static void run_case(fixture *f, const bad_case *c, int strict)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/%s%s.db", f->dir, c->file, strict ? "-strict" : "");
    char path[4200];
    snprintf(path, sizeof path, "%s", t_source_path("tests/data/bad"));
    strcat(path, "/");
    strcat(path, c->file);
    char *err;
    int status = strict ? ct_run(f->index_bin, NULL, &err, "--index", db, "--strict", path, NULL)
                        : ct_run(f->index_bin, NULL, &err, "--index", db, path, NULL);
    int want = strict ? c->strict : c->exit;
    if (status != want)
        fail_msg("%s%s: exit %d, expected %d\n%s", c->file, strict ? " --strict" : "", status,
                 want, err);
    if (ct_summary_count(err, "indexed") != c->indexed ||
        ct_summary_count(err, "skipped") != c->skipped ||
        ct_summary_count(err, "warning") != c->warnings ||
        ct_summary_count(err, "holds") != c->total)
        fail_msg("%s: summary differs from %ld indexed, %ld skipped, %ld warnings, %ld held:\n%s",
                 c->file, c->indexed, c->skipped, c->warnings, c->total, err);
    if (count_warnings(err) != c->warnings)
        fail_msg("%s: %ld warning lines, expected %ld:\n%s", c->file, count_warnings(err),
                 c->warnings, err);
    for (size_t i = 0; i < c->n_expect; i++)
        if (!has_warning(err, path, c->expect_line[i], c->expect[i]))
            fail_msg("%s: no warning at line %ld with '%s':\n%s", c->file, c->expect_line[i],
                     c->expect[i], err);
    if (strict && want)
        assert_non_null(strstr(err, "--strict"));
    if (!strict)
        check_index(db, c);
    free(err);
}

static void test_each_file(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < f->n; i++) {
        run_case(f, &f->cases[i], 0);
        run_case(f, &f->cases[i], 1);
    }
    printf("%zu bad input files tried, alone and with --strict\n", f->n);
}

/* Every file of tests/data/bad/ is listed in the data file. */
static void test_every_file_listed(void **state)
{
    fixture *f = *state;
    char *out;
    assert_int_equal(ct_run("/bin/ls", &out, NULL, t_source_path("tests/data/bad"), NULL), 0);
    char *line = out;
    size_t files = 0;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        size_t i = 0;
        while (i < f->n && strcmp(f->cases[i].file, line))
            i++;
        if (i == f->n)
            fail_msg("tests/data/bad/%s is not in tests/data/badinput.tsv", line);
        files++;
        line = nl ? nl + 1 : NULL;
    }
    assert_int_equal(files, f->n);
    free(out);
}

/* All of them as one directory: each file's warnings still named, the
 * counts add up (ids repeat across files: more warnings, fewer held). */
static void test_directory(void **state)
{
    fixture *f = *state;
    char db[4200];
    snprintf(db, sizeof db, "%s/all.db", f->dir);
    const char *dir = t_source_path("tests/data/bad");
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, dir, NULL), 0);
    long indexed = 0, skipped = 0, warnings = 0;
    for (size_t i = 0; i < f->n; i++) {
        const bad_case *c = &f->cases[i];
        indexed += c->indexed;
        skipped += c->skipped;
        warnings += c->warnings;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, c->file);
        for (size_t k = 0; k < c->n_expect; k++)
            if (!has_warning(err, path, c->expect_line[k], c->expect[k]))
                fail_msg("%s: no warning at line %ld with '%s' in the directory run:\n%s",
                         c->file, c->expect_line[k], c->expect[k], err);
    }
    assert_int_equal(ct_summary_count(err, "indexed"), indexed);
    assert_int_equal(ct_summary_count(err, "skipped"), skipped);
    assert_int_equal(ct_summary_count(err, "file"), (long)f->n);
    assert_true(ct_summary_count(err, "warning") >= warnings);
    assert_int_equal(ct_summary_count(err, "warning"), count_warnings(err));
    free(err);
    /* Unchanged now: not read again, yet --strict still fails on what the
     * files were indexed with. */
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, "--strict", dir, NULL), 1);
    assert_int_equal(ct_summary_count(err, "unchanged"), (long)f->n);
    assert_non_null(strstr(err, "unchanged since it was indexed with"));
    free(err);
}

/* One line of 50 MB between two good records: the good ones indexed, the
 * long one named with its line. */
static void test_huge_line(void **state)
{
    fixture *f = *state;
    char path[4200], db[4200];
    snprintf(path, sizeof path, "%s/huge.jsonl", f->dir);
    snprintf(db, sizeof db, "%s/huge.db", f->dir);
    const char *head = "{\"id\":\"avant\",\"title\":\"Centre de santé d’Orléans\","
                       "\"departements\":[\"45\"]}\n{\"id\":\"long\",\"title\":\"Long\",\"text\":\"";
    const char *tail = "\",\"departements\":[\"45\"]}\n{\"id\":\"apres\",\"title\":\"Bus médical\","
                       "\"departements\":[\"18\"]}\n";
    size_t big = (50u << 20) / 9 * 9, hl = strlen(head), tl = strlen(tail);
    char *buf = malloc(hl + big + tl);
    assert_non_null(buf);
    memcpy(buf, head, hl);
    for (size_t i = 0; i < big; i++)
        buf[hl + i] = "médecin "[i % 9]; /* 'é' is two bytes: 9 in all */
    memcpy(buf + hl + big, tail, tl);
    ct_write(path, buf, hl + big + tl);
    free(buf);
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, path, NULL), 0);
    if (!has_warning(err, path, 2, "line of, bytes, longer than, not indexed"))
        fail_msg("no warning for the long line:\n%s", err);
    assert_int_equal(ct_summary_count(err, "indexed"), 2);
    assert_int_equal(ct_summary_count(err, "skipped"), 1);
    assert_int_equal(ct_summary_count(err, "warning"), 1);
    free(err);
    unlink(path);
    bad_case c = {.file = "huge.jsonl", .total = 2, .n_find = 2,
                  .find_query = {"Orléans", "médical"},
                  .find_title = {"Centre de santé d’Orléans", "Bus médical"}};
    check_index(db, &c);
}

/* Past 50 bad lines, one warning counts the rest; every good line is
 * indexed. */
static void test_many_bad_lines(void **state)
{
    fixture *f = *state;
    char path[4200], db[4200];
    snprintf(path, sizeof path, "%s/many.jsonl", f->dir);
    snprintf(db, sizeof db, "%s/many.db", f->dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 80; i++)
        fprintf(fp, "{\"id\":\"g%d\",\"title\":\"Bon %d\"}\n"
                    "{\"id\":\"b%d\",\"title\":\"M\xe9\xc3\xa9" "decin\"}\n",
                i, i, i);
    fclose(fp);
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, path, NULL), 0);
    assert_int_equal(ct_summary_count(err, "indexed"), 80);
    assert_int_equal(ct_summary_count(err, "skipped"), 80);
    assert_int_equal(count_warnings(err), 51);
    assert_true(has_warning(err, path, 2, "invalid UTF-8"));
    assert_true(has_warning(err, path, 100, "invalid UTF-8"));
    assert_false(has_warning(err, path, 102, "invalid UTF-8"));
    assert_true(has_warning(err, path, 0, "30 more bad lines"));
    free(err);
    assert_int_equal(ct_doc_count(db), 80);
}

/* A file of a directory that cannot be read is a warning; a PATH that
 * does not exist is an error. */
static void test_unreadable(void **state)
{
    fixture *f = *state;
    char sub[4200], link[4300], good[4300], db[4200];
    snprintf(sub, sizeof sub, "%s/unreadable", f->dir);
    snprintf(link, sizeof link, "%s/gone.jsonl", sub);
    snprintf(good, sizeof good, "%s/good.jsonl", sub);
    snprintf(db, sizeof db, "%s/unreadable.db", f->dir);
    assert_int_equal(ct_run("/bin/mkdir", NULL, NULL, sub, NULL), 0);
    assert_int_equal(symlink("/nonexistent/oasis", link), 0);
    const char *rec = "{\"id\":\"g\",\"title\":\"Maison de santé\"}\n";
    ct_write(good, rec, strlen(rec));
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, sub, NULL), 0);
    assert_true(has_warning(err, link, 0, "skipped, No such file"));
    assert_int_equal(ct_summary_count(err, "indexed"), 1);
    assert_int_equal(ct_summary_count(err, "skipped"), 1);
    free(err);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, "--strict", sub, NULL), 1);
    free(err);
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/absent.jsonl", f->dir);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, missing, NULL), 2);
    assert_non_null(strstr(err, "oasis-index: "));
    assert_non_null(strstr(err, "absent.jsonl"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_file_listed),
        cmocka_unit_test(test_each_file),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_huge_line),
        cmocka_unit_test(test_many_bad_lines),
        cmocka_unit_test(test_unreadable),
    };
    return cmocka_run_group_tests_name("badinput", tests, setup, teardown);
}
