/* Growing an array: the one growth rule of the project. */
#ifndef OASIS_UTIL_VEC_H
#define OASIS_UTIL_VEC_H

#include <stddef.h>

/* Makes *v (of *cap elements of elem bytes) hold at least need elements,
 * doubling from 16; new elements are uninitialised. 0, or OASIS_ENOMEM
 * (with oa_error set) and *v, *cap unchanged. */
int oa_grow(void *v, size_t *cap, size_t need, size_t elem);

/* A typed array: struct { T *v; size_t n, cap; }. */
#define OA_VEC(T)                                                                                  \
    struct {                                                                                       \
        T *v;                                                                                      \
        size_t n, cap;                                                                             \
    }

/* Appends x to the OA_VEC vec: 0, or OASIS_ENOMEM. */
#define OA_VEC_PUSH(vec, x)                                                                        \
    (oa_grow(&(vec)->v, &(vec)->cap, (vec)->n + 1, sizeof *(vec)->v)                               \
         ? OASIS_ENOMEM                                                                            \
         : ((vec)->v[(vec)->n++] = (x), 0))

#endif
