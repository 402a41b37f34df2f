/* The tables reader of corpus/ (util/tsv.c): lines cut at LF or CRLF,
 * fields at tabs, never more than asked for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/tsv.h"

static void test_lines(void **state)
{
    (void)state;
    char text[] = "a\tb\r\n\n#c\nlast\r";
    char *next = text, *line;
    const char *want[] = {"a\tb", "", "#c", "last"};
    size_t n = 0;
    while ((line = oa_tsv_next_line(&next)) != NULL) {
        assert_true(n < 4);
        assert_string_equal(line, want[n]);
        n++;
    }
    assert_int_equal(n, 4);
    char ends[] = "x\n";
    next = ends;
    assert_string_equal(oa_tsv_next_line(&next), "x");
    assert_null(oa_tsv_next_line(&next));
    char empty[] = "";
    next = empty;
    assert_null(oa_tsv_next_line(&next));
}

static void test_split(void **state)
{
    (void)state;
    char *f[3];
    char two[] = "slug\tlabel";
    assert_int_equal(oa_tsv_split(two, f, 3), 2);
    assert_string_equal(f[0], "slug");
    assert_string_equal(f[1], "label");
    char three[] = "a\t\tc";
    assert_int_equal(oa_tsv_split(three, f, 3), 3);
    assert_string_equal(f[1], "");
    assert_string_equal(f[2], "c");
    char none[] = "";
    assert_int_equal(oa_tsv_split(none, f, 3), 1);
    assert_string_equal(f[0], "");
}

/* More fields than max: max + 1, and nothing stored past fields[max - 1]
 * (each array below has exactly max slots, on the heap). */
static void test_split_more(void **state)
{
    (void)state;
    for (size_t max = 0; max <= 3; max++) {
        char line[] = "a\tb\tc\td\te";
        char **f = malloc((max ? max : 1) * sizeof *f);
        assert_non_null(f);
        f[0] = NULL;
        assert_int_equal(oa_tsv_split(line, f, max), max + 1);
        if (max == 0)
            assert_null(f[0]);
        for (size_t i = 0; i < max; i++)
            assert_int_equal(strlen(f[i]), 1);
        free(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_split_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
