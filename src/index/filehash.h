/* A 128-bit hash of a file's bytes, for telling a changed source from an
 * unchanged one (nobody is trying to fool it), computed over pieces as
 * they are read: init with the total length (it goes first into the
 * hash), update with each piece in order, final. */
#ifndef OASIS_INDEX_FILEHASH_H
#define OASIS_INDEX_FILEHASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct oa_filehash {
    uint64_t a, b;
    unsigned long long len, done;
    char tail[8];
    size_t n_tail;
} oa_filehash;

void oa_filehash_init(oa_filehash *h, unsigned long long len);
void oa_filehash_update(oa_filehash *h, const char *buf, size_t n);
/* 1 when the pieces added up to the length given to init, 0 when they
 * did not (a file that changed while it was read: its hash then matches
 * no record). */
int oa_filehash_final(oa_filehash *h, uint64_t out[2]);

/* The hash of the file at path, read in blocks; *ok 0 when it could not
 * be read whole or its length was not len. 0, or OASIS_ENOMEM. */
int oa_filehash_path(const char *path, unsigned long long len, uint64_t out[2], int *ok);

#endif
