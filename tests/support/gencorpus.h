/* A generated corpus of initiatives, the same for the same arguments on
 * every machine: JSON Lines records drawn from a fixed French vocabulary of
 * the domain (housing for interns, health centres, grants...) with a
 * seeded generator, so that words have uneven frequencies, phrases recur,
 * and filters and facets have work. For the tests that compare one index
 * with another (sharded, remote) on many queries. */
#ifndef OASIS_GENCORPUS_H
#define OASIS_GENCORPUS_H

#include <stddef.h>

/* Writes documents first..first+n-1 of the corpus of seed to path (JSON
 * Lines, ids "g<seed>-<number>"); 0, or -1 with errno when the file cannot
 * be written. Document k is the same whatever first and n: a corpus cut
 * in parts (say one part per shard) holds the documents of the whole. */
int t_gen_corpus(const char *path, unsigned seed, size_t first, size_t n);

/* The words the generator draws from (NULL-terminated): queries of a test
 * can be made of them. */
extern const char *const t_gen_words[];

#endif
