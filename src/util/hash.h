/* FNV-1a, 64 bits: the one hash of the project's tables, derived ids and
 * metadata keys (what it gives is stored: never change it). */
#ifndef OASIS_UTIL_HASH_H
#define OASIS_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OA_FNV_BASIS 1469598103934665603ull

/* h carried on over s[0..n): start from OA_FNV_BASIS. */
static inline uint64_t oa_fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The hash of a NUL-terminated string. */
static inline uint64_t oa_fnv1a_str(const char *s)
{
    return oa_fnv1a(OA_FNV_BASIS, s, strlen(s));
}

#endif
