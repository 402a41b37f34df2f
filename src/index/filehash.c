/* The file hash of filehash.h: two lanes over 8-byte words. */
#include "index/filehash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/error.h"

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

void oa_filehash_init(oa_filehash *h, unsigned long long len)
{
    h->a = 0x9e3779b97f4a7c15ull ^ len;
    h->b = 0x6a09e667f3bcc909ull + len;
    h->len = len;
    h->done = 0;
    h->n_tail = 0;
}

/* Two lanes over 8-byte words: fast, and enough to tell a changed file
 * (nobody is trying to fool it). */
static void hash_word(oa_filehash *h, const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    h->a = (h->a ^ w) * 0x100000001b3ull;
    h->a = (h->a << 29) | (h->a >> 35);
    h->b = (h->b + w) * 0xff51afd7ed558ccdull;
    h->b ^= h->b >> 31;
}

void oa_filehash_update(oa_filehash *h, const char *buf, size_t n)
{
    h->done += n;
    if (h->n_tail) {
        size_t k = 8 - h->n_tail < n ? 8 - h->n_tail : n;
        memcpy(h->tail + h->n_tail, buf, k);
        h->n_tail += k;
        buf += k;
        n -= k;
        if (h->n_tail < 8)
            return;
        hash_word(h, h->tail);
        h->n_tail = 0;
    }
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        hash_word(h, buf + i);
    memcpy(h->tail, buf + i, n - i);
    h->n_tail = n - i;
}

int oa_filehash_final(oa_filehash *h, uint64_t out[2])
{
    uint64_t tail = 0;
    memcpy(&tail, h->tail, h->n_tail);
    uint64_t a = mix(h->a ^ tail);
    out[0] = a;
    out[1] = mix(h->b + tail + a);
    return h->done == h->len;
}

int oa_filehash_path(const char *path, unsigned long long len, uint64_t out[2], int *ok)
{
    *ok = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0; /* reading it later will say why */
    char *buf = malloc(65536);
    if (!buf) {
        fclose(f);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    oa_filehash h;
    oa_filehash_init(&h, len);
    size_t n;
    while ((n = fread(buf, 1, 65536, f)) > 0)
        oa_filehash_update(&h, buf, n);
    int err = ferror(f);
    fclose(f);
    free(buf);
    *ok = oa_filehash_final(&h, out) && !err;
    return 0;
}
