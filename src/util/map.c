/* The string set of map.h: open addressing with linear probing over
 * indexes into the key arrays; the hash of each key is kept, so growing
 * never hashes again and most probes compare no bytes. */
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/vec.h"

static size_t probe(const oa_map *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->n_slots - 1, j = (size_t)h & mask;
    for (;;) {
        size_t i = m->slots[j];
        if (!i)
            return j;
        i--;
        if (m->hashes[i] == h && m->lens[i] == len && !memcmp(m->keys.data + m->off[i], key, len))
            return j;
        j = (j + 1) & mask;
    }
}

long oa_map_find(const oa_map *m, const char *key, size_t len)
{
    if (!m->n_slots)
        return -1;
    size_t i = m->slots[probe(m, key, len, oa_fnv1a(OA_FNV_BASIS, key, len))];
    return i ? (long)(i - 1) : -1;
}

long oa_map_find_str(const oa_map *m, const char *key)
{
    return oa_map_find(m, key, strlen(key));
}

static int rehash(oa_map *m, size_t want)
{
    size_t n = 64;
    while (n < want * 2)
        n *= 2;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return oa_error(OASIS_ENOMEM, "out of memory");
    free(m->slots);
    m->slots = slots;
    m->n_slots = n;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = (size_t)m->hashes[i] & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = i + 1;
    }
    return 0;
}

int oa_map_add(oa_map *m, const char *key, size_t len, size_t *index, int *added)
{
    if (added)
        *added = 0;
    uint64_t h = oa_fnv1a(OA_FNV_BASIS, key, len);
    if (m->n_slots) {
        size_t i = m->slots[probe(m, key, len, h)];
        if (i) {
            *index = i - 1;
            return 0;
        }
    }
    if ((m->n + 1) * 2 > m->n_slots) {
        int rc = rehash(m, m->n + 1);
        if (rc)
            return rc;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap, c2 = m->cap, c3 = m->cap;
        if (oa_grow(&m->off, &cap, m->n + 1, sizeof *m->off) ||
            oa_grow(&m->lens, &c2, m->n + 1, sizeof *m->lens) ||
            oa_grow(&m->hashes, &c3, m->n + 1, sizeof *m->hashes))
            return OASIS_ENOMEM;
        /* Each array grew by the same rule from the same size. */
        m->cap = cap;
    }
    size_t at = m->keys.len;
    int rc = oa_buf_append(&m->keys, key, len);
    if (!rc && (rc = oa_buf_putc(&m->keys, '\0')))
        m->keys.len = at;
    if (rc)
        return rc;
    m->off[m->n] = at;
    m->lens[m->n] = len;
    m->hashes[m->n] = h;
    m->slots[probe(m, key, len, h)] = m->n + 1;
    *index = m->n++;
    if (added)
        *added = 1;
    return 0;
}

int oa_map_add_str(oa_map *m, const char *key, size_t *index, int *added)
{
    return oa_map_add(m, key, strlen(key), index, added);
}

void oa_map_clear(oa_map *m)
{
    if (m->n_slots)
        memset(m->slots, 0, m->n_slots * sizeof *m->slots);
    m->n = 0;
    oa_buf_reset(&m->keys);
}

void oa_map_free(oa_map *m)
{
    oa_buf_free(&m->keys);
    free(m->off);
    free(m->lens);
    free(m->hashes);
    free(m->slots);
    memset(m, 0, sizeof *m);
}
