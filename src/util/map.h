/* A set of strings, each given a dense index in the order it was added:
 * the one hash table of the project. Values live in the caller's arrays,
 * indexed like the keys, so one table serves any value type. Keys are
 * copied into one block (they may hold any byte, NUL included); nothing is
 * removed but all at once (oa_map_clear, which keeps the memory). */
#ifndef OASIS_UTIL_MAP_H
#define OASIS_UTIL_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct oa_map {
    oa_buf keys;       /* every key, each followed by a NUL */
    size_t *off;       /* by index: where its key starts in keys */
    size_t *lens;
    uint64_t *hashes;
    size_t n, cap;     /* keys held, room in off/lens/hashes */
    size_t *slots;     /* index + 1 of the key in each slot, 0 when empty */
    size_t n_slots;    /* a power of two, at least twice n */
} oa_map;

#define OA_MAP_INIT {OA_BUF_INIT, NULL, NULL, NULL, 0, 0, NULL, 0}

/* The index of key[0..len), or -1 when it is not there. */
long oa_map_find(const oa_map *m, const char *key, size_t len);
long oa_map_find_str(const oa_map *m, const char *key);

/* Adds key[0..len) unless it is there; *index gets its index, *added 1
 * when it was new (added may be NULL). 0, or OASIS_ENOMEM with the map
 * unchanged. */
int oa_map_add(oa_map *m, const char *key, size_t len, size_t *index, int *added);
int oa_map_add_str(oa_map *m, const char *key, size_t *index, int *added);

/* The key of index i, NUL-terminated (valid until the next add), and its
 * length. */
static inline const char *oa_map_key(const oa_map *m, size_t i)
{
    return m->keys.data + m->off[i];
}
static inline size_t oa_map_len(const oa_map *m, size_t i)
{
    return m->lens[i];
}

/* Empties the map, keeping its memory for what comes next. */
void oa_map_clear(oa_map *m);
void oa_map_free(oa_map *m);

#endif
