/* Queries no person would type, through oasis-query and oasis_search():
 * 10,000 words, 1 MB of text, parentheses nested 100,000 deep, long runs
 * of operators. Each is answered or refused with one clear line, never a
 * crash or a blown stack; ctest's TIMEOUT (tests/reliability/CMakeLists.txt) bounds
 * the time. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clitest.h"

/* argv pieces stay under the kernel's limit for one argument (128 KiB). */
#define PIECE (64 * 1024)
#define MAX_PIECES 40

typedef ct_indexed_fixture fixture;

static int setup(void **state)
{
    *state = ct_indexed_setup("oasis.db");
    return 0;
}

static int teardown(void **state)
{
    ct_indexed_teardown(*state);
    return 0;
}

/* A query made of unit repeated until it holds n bytes (whole units). */
static char *repeat(const char *unit, size_t n)
{
    return t_repeat(unit, n / strlen(unit), "");
}

/* oasis-query --index db [--json] QUERY, the query cut into arguments at
 * spaces or every PIECE bytes (oasis-query joins its arguments with
 * spaces). */
static void run_cli(fixture *f, const char *what, const char *query)
{
    char *argv[MAX_PIECES + 8];
    int n = 0;
    argv[n++] = (char *)f->query_bin;
    argv[n++] = "--index";
    argv[n++] = f->db;
    argv[n++] = "--limit";
    argv[n++] = "3";
    char *pieces[MAX_PIECES];
    int np = 0;
    size_t len = strlen(query);
    for (size_t at = 0; at < len;) {
        assert_true(np < MAX_PIECES);
        size_t end = at + PIECE < len ? at + PIECE : len;
        /* Cut at a space where there is one, so that words stay whole. */
        for (size_t k = end; end < len && k > at; k--)
            if (query[k] == ' ') {
                end = k;
                break;
            }
        pieces[np] = strndup(query + at, end - at);
        argv[n++] = pieces[np++];
        at = end;
        while (at < len && query[at] == ' ')
            at++;
    }
    assert_true(n < MAX_PIECES + 6);
    argv[n] = NULL;
    char *out, *err;
    double t0 = t_now();
    int status = t_run(argv, NULL, &out, &err);
    double secs = t_now() - t0;
    if (status < 0 || status > 2)
        fail_msg("%s: oasis-query exited %d:\n%.2000s", what, status, err);
    if (status == 2 && (strncmp(err, "oasis-query: ", 13) || strstr(err, "Sanitizer") ||
                        strstr(err, "runtime error")))
        fail_msg("%s: oasis-query did not refuse cleanly:\n%.2000s", what, err);
    printf("%-40s oasis-query: exit %d in %.2f s (%zu bytes out, %zu bytes on stderr)\n", what,
           status, secs, strlen(out), strlen(err));
    free(out);
    free(err);
    for (int i = 0; i < np; i++)
        free(pieces[i]);
}

/* The same through the library, without argv's limits. */
static void run_lib(fixture *f, const char *what, const char *query)
{
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, f->db), 0);
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.facets = 1;
    oasis_results *r = NULL;
    double t0 = t_now();
    int rc = oasis_search(s, query, &o, &r);
    double secs = t_now() - t0;
    if (rc == 0) {
        assert_true(oasis_results_hit_count(r) <= o.limit);
        oasis_results_free(r);
    } else {
        assert_true(rc == OASIS_EINVAL || rc == OASIS_EFORMAT);
        assert_true(*oasis_error_last() && !strchr(oasis_error_last(), '\n'));
    }
    printf("%-40s oasis_search: %s in %.2f s\n", what, rc ? oasis_error_last() : "answered", secs);
    oasis_searcher_free(s);
}

static void test_ten_thousand_words(void **state)
{
    fixture *f = *state;
    static const char *words[] = {"santé", "logement", "internes", "médecins", "bus",
                                  "maison", "Loiret", "aide", "xylophone", "l'hôpital"};
    size_t cap = 10000 * 16, len = 0;
    char *q = malloc(cap);
    assert_non_null(q);
    for (int i = 0; i < 10000; i++)
        len += (size_t)snprintf(q + len, cap - len, "%s%s", i ? " " : "", words[(i * 7) % 10]);
    run_cli(f, "10,000 words", q);
    run_lib(f, "10,000 words", q);
    free(q);
}

static void test_one_megabyte(void **state)
{
    fixture *f = *state;
    char *q = repeat("médecins généralistes santé ", 1 << 20);
    run_cli(f, "1 MB of words", q);
    run_lib(f, "1 MB of words", q);
    free(q);
    /* One word of 1 MB. */
    q = repeat("a", 1 << 20);
    run_lib(f, "one word of 1 MB", q);
    free(q);
}

static void test_deep_nesting(void **state)
{
    fixture *f = *state;
    const size_t depth = 100000;
    char *q = malloc(2 * depth + 16);
    assert_non_null(q);
    memset(q, '(', depth);
    strcpy(q + depth, " santé ");
    memset(q + depth + 7, ')', depth);
    q[2 * depth + 7] = '\0';
    run_cli(f, "100,000 nested parentheses", q);
    run_lib(f, "100,000 nested parentheses", q);
    q[depth + 7] = '\0'; /* never closed */
    run_lib(f, "100,000 parentheses left open", q);
    free(q);

    char *ops = repeat("NOT ", 400000);
    run_cli(f, "100,000 NOT in a row", ops);
    free(ops);
    ops = repeat("-\"", 200000);
    run_lib(f, "100,000 -\" in a row", ops);
    free(ops);
    ops = repeat("(santé OR ", 1 << 20);
    run_lib(f, "100,000 unclosed (x OR", ops);
    free(ops);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ten_thousand_words),
        cmocka_unit_test(test_one_megabyte),
        cmocka_unit_test(test_deep_nesting),
    };
    return cmocka_run_group_tests_name("extreme_queries", tests, setup, teardown);
}
