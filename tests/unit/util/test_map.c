/* util/map and util/vec: the string set with dense indexes and the one
 * growth rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oasis.h"
#include "util/map.h"
#include "util/vec.h"

static void test_add_and_find(void **state)
{
    (void)state;
    oa_map m = OA_MAP_INIT;
    assert_int_equal(oa_map_find_str(&m, "absent"), -1);
    size_t i;
    int added;
    assert_int_equal(oa_map_add_str(&m, "logement", &i, &added), 0);
    assert_int_equal(i, 0);
    assert_int_equal(added, 1);
    assert_int_equal(oa_map_add_str(&m, "internes", &i, &added), 0);
    assert_int_equal(i, 1);
    assert_int_equal(added, 1);
    assert_int_equal(oa_map_add_str(&m, "logement", &i, &added), 0);
    assert_int_equal(i, 0);
    assert_int_equal(added, 0);
    assert_int_equal(m.n, 2);
    assert_int_equal(oa_map_find_str(&m, "internes"), 1);
    assert_string_equal(oa_map_key(&m, 1), "internes");
    assert_int_equal(oa_map_len(&m, 1), 8);
    /* A prefix is another key. */
    assert_int_equal(oa_map_find(&m, "logement", 4), -1);
    oa_map_free(&m);
    assert_int_equal(m.n, 0);
}

/* Keys may hold any byte, NUL included; the empty key is a key. */
static void test_binary_keys(void **state)
{
    (void)state;
    oa_map m = OA_MAP_INIT;
    size_t i, j, k;
    assert_int_equal(oa_map_add(&m, "a\0b", 3, &i, NULL), 0);
    assert_int_equal(oa_map_add(&m, "a\0c", 3, &j, NULL), 0);
    assert_int_equal(oa_map_add(&m, "", 0, &k, NULL), 0);
    assert_int_not_equal(i, j);
    assert_int_equal(oa_map_find(&m, "a\0b", 3), (long)i);
    assert_int_equal(oa_map_find(&m, "a", 1), -1);
    assert_int_equal(oa_map_find(&m, "", 0), (long)k);
    assert_memory_equal(oa_map_key(&m, j), "a\0c", 4);
    oa_map_free(&m);
}

/* Indexes stay as given while the table grows many times over. */
static void test_growth(void **state)
{
    (void)state;
    oa_map m = OA_MAP_INIT;
    char key[32];
    for (int n = 0; n < 20000; n++) {
        snprintf(key, sizeof key, "45-initiative-%d", n);
        size_t i;
        int added;
        assert_int_equal(oa_map_add_str(&m, key, &i, &added), 0);
        assert_int_equal(i, (size_t)n);
        assert_int_equal(added, 1);
    }
    assert_true(m.n_slots >= 2 * m.n);
    for (int n = 0; n < 20000; n += 7) {
        snprintf(key, sizeof key, "45-initiative-%d", n);
        assert_int_equal(oa_map_find_str(&m, key), n);
        assert_string_equal(oa_map_key(&m, (size_t)n), key);
    }
    assert_int_equal(oa_map_find_str(&m, "45-initiative-20000"), -1);
    oa_map_free(&m);
}

/* Cleared, the map is empty and fills again from index 0. */
static void test_clear(void **state)
{
    (void)state;
    oa_map m = OA_MAP_INIT;
    size_t i;
    for (int round = 0; round < 3; round++) {
        assert_int_equal(oa_map_add_str(&m, "santé", &i, NULL), 0);
        assert_int_equal(i, 0);
        assert_int_equal(oa_map_add_str(&m, "bus", &i, NULL), 0);
        assert_int_equal(i, 1);
        assert_int_equal(oa_map_find_str(&m, "bus"), 1);
        oa_map_clear(&m);
        assert_int_equal(m.n, 0);
        assert_int_equal(oa_map_find_str(&m, "bus"), -1);
    }
    oa_map_free(&m);
}

static void test_vec(void **state)
{
    (void)state;
    OA_VEC(int) v = {NULL, 0, 0};
    for (int i = 0; i < 1000; i++)
        assert_int_equal(OA_VEC_PUSH(&v, i * 3), 0);
    assert_int_equal(v.n, 1000);
    assert_true(v.cap >= 1000 && v.cap < 2048);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(v.v[i], i * 3);
    free(v.v);

    char *p = NULL;
    size_t cap = 0;
    assert_int_equal(oa_grow(&p, &cap, 5, 1), 0);
    assert_int_equal(cap, 16);
    assert_int_equal(oa_grow(&p, &cap, 16, 1), 0);
    assert_int_equal(cap, 16);
    assert_int_equal(oa_grow(&p, &cap, 17, 1), 0);
    assert_int_equal(cap, 32);
    /* Too large for the address space: refused, the array untouched. */
    assert_int_equal(oa_grow(&p, &cap, (size_t)-1 / 4, 8), OASIS_ENOMEM);
    assert_int_equal(cap, 32);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_find),
        cmocka_unit_test(test_binary_keys),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_vec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
