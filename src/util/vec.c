/* The growth rule of vec.h. */
#include "util/vec.h"

#include <stdlib.h>

#include "oasis.h"
#include "util/error.h"

int oa_grow(void *v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > ((size_t)-1 / 2) / elem)
            return oa_error(OASIS_ENOMEM, "out of memory");
        n *= 2;
    }
    void **p = v;
    void *grown = realloc(*p, n * elem);
    if (!grown)
        return oa_error(OASIS_ENOMEM, "out of memory");
    *p = grown;
    *cap = n;
    return 0;
}
