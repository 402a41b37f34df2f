/* The query language's parser: the tree of every query form, malformed
 * queries read as plain words with the column of the problem, and bounded
 * work on huge or deeply nested input. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oasis.h"
#include "search/parser.h"
#include "testutil.h"

/* The column of the plain-words notice, or 0 when there is no notice; its
 * line names the same column ("at column N"). */
static size_t notice_column(const oa_qparse *p)
{
    if (!p->notices.n)
        return 0;
    assert_int_equal(p->notices.n, 1);
    const oasis_notice *n = &p->notices.v[0];
    assert_int_equal(n->kind, OASIS_NOTICE_PLAIN_WORDS);
    assert_string_equal(n->text, p->notices.line);
    const char *at = strstr(n->text, "at column ");
    assert_non_null(at);
    assert_int_equal((size_t)strtoul(at + 10, NULL, 10), n->column);
    return n->column;
}

static void test_cases(void **state)
{
    (void)state;
    char *data = t_read_file(t_source_path("tests/data/query_parse.tsv"), NULL);
    int lineno = 0, cases = 0, malformed = 0, failures = 0;
    char *cursor = data, *line;
    while ((line = t_next_row(&cursor, &lineno)) != NULL) {
        char *tree = strchr(line, '\t');
        assert_non_null(tree);
        *tree++ = '\0';
        char *col = strchr(tree, '\t');
        assert_non_null(col);
        *col++ = '\0';
        oa_qparse p;
        assert_int_equal(oa_query_parse(line, strlen(line), &p), 0);
        char *got = oa_qparse_describe(&p, line);
        assert_non_null(got);
        size_t want_col = strcmp(col, "-") ? (size_t)strtoul(col, NULL, 10) : 0;
        if (strcmp(got, tree) || notice_column(&p) != want_col || p.plain != (want_col > 0)) {
            printf("query_parse.tsv:%d: '%s': got %s (notice: %s), expected %s (column %s)\n",
                   lineno, line, got, p.notices.line ? p.notices.line : "none", tree, col);
            failures++;
        }
        if (want_col) {
            malformed++;
            assert_non_null(strstr(p.notices.line, "read as plain words"));
            assert_null(strchr(p.notices.line, '\n'));
        }
        free(got);
        oa_qparse_free(&p);
        cases++;
    }
    free(data);
    assert_true(cases >= 60);
    assert_true(malformed >= 25);
    assert_int_equal(failures, 0);
}

/* Columns count characters, not bytes. */
static void test_columns_in_characters(void **state)
{
    (void)state;
    const char *q = "équipe médicale (santé";
    oa_qparse p;
    assert_int_equal(oa_query_parse(q, strlen(q), &p), 0);
    assert_int_equal(notice_column(&p), 17);
    assert_int_equal(p.node[p.node[p.root].kid[0]].column, 1);
    assert_int_equal(p.node[p.node[p.root].kid[1]].column, 8);
    oa_qparse_free(&p);
}

/* Brackets up to the limit nest; one more is read as plain words. */
static void test_depth_limit(void **state)
{
    (void)state;
    char q[4 * OA_QUERY_MAX_DEPTH + 16];
    for (int depth = OA_QUERY_MAX_DEPTH; depth <= OA_QUERY_MAX_DEPTH + 1; depth++) {
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            q[n++] = '(';
        q[n++] = 'a';
        for (int i = 0; i < depth; i++)
            q[n++] = ')';
        q[n] = '\0';
        oa_qparse p;
        assert_int_equal(oa_query_parse(q, n, &p), 0);
        assert_int_equal(p.plain, depth > OA_QUERY_MAX_DEPTH);
        if (p.plain)
            assert_non_null(strstr(p.notices.v[0].detail, "nested deeper than"));
        oa_qparse_free(&p);
    }
}

/* Past OA_QUERY_MAX_ITEMS items the rest is dropped, with a notice, and
 * brackets left open are closed. */
static void test_too_many_words(void **state)
{
    (void)state;
    char q[2048] = "(a OR b) (";
    for (int i = 0; i < OA_QUERY_MAX_ITEMS + 10; i++)
        strcat(q, "mot ");
    strcat(q, ")");
    oa_qparse p;
    assert_int_equal(oa_query_parse(q, strlen(q), &p), 0);
    assert_false(p.plain);
    assert_int_equal(p.notices.n, 1);
    assert_int_equal(p.notices.v[0].kind, OASIS_NOTICE_WORDS_CUT);
    assert_int_equal(p.notices.v[0].count, OA_QUERY_MAX_ITEMS);
    assert_null(p.notices.v[0].detail);
    assert_string_equal(p.notices.line,
                        "the query has more than 64 words: only the first 64 were used");
    size_t items = 0;
    for (size_t i = 0; i < p.n_nodes; i++)
        items += p.node[i].kind <= OA_Q_FILTER;
    assert_int_equal(items, OA_QUERY_MAX_ITEMS);
    oa_qparse_free(&p);
}

/* Huge input is answered in linear time without deep recursion: 100,000
 * nested brackets, 100,000 NOTs, a megabyte of text, 10,000 words. */
static void test_huge_queries(void **state)
{
    (void)state;
    char *qs[5];
    qs[0] = t_repeat("(", 100000, "santé");
    qs[1] = t_repeat("NOT ", 100000, "santé");
    qs[2] = t_repeat("a", 1 << 20, "");
    qs[3] = t_repeat("santé ", 10000, "");
    qs[4] = t_repeat("(a OR \"b ", 50000, "");
    for (size_t i = 0; i < 5; i++) {
        oa_qparse p;
        assert_int_equal(oa_query_parse(qs[i], strlen(qs[i]), &p), 0);
        /* One long word is a query like another; the rest is malformed or cut. */
        if (i == 2)
            assert_null(p.notices.line);
        else
            assert_non_null(p.notices.line);
        size_t items = 0;
        for (size_t k = 0; k < p.n_nodes; k++)
            items += p.node[k].kind <= OA_Q_FILTER;
        assert_true(items <= OA_QUERY_MAX_ITEMS);
        char *d = oa_qparse_describe(&p, qs[i]);
        assert_non_null(d);
        free(d);
        oa_qparse_free(&p);
        free(qs[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_columns_in_characters),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_too_many_words),
        cmocka_unit_test(test_huge_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
