/* oasis-gencorpus SEED FIRST COUNT FILE: writes documents FIRST..FIRST+COUNT-1
 * of the generated corpus of SEED (gencorpus.h) to FILE, for scripts that
 * compare one build or one index with another. */
#include <stdio.h>
#include <stdlib.h>

#include "gencorpus.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: oasis-gencorpus SEED FIRST COUNT FILE\n");
        return 2;
    }
    unsigned seed = (unsigned)strtoul(argv[1], NULL, 10);
    size_t first = (size_t)strtoull(argv[2], NULL, 10), n = (size_t)strtoull(argv[3], NULL, 10);
    if (t_gen_corpus(argv[4], seed, first, n) != 0) {
        perror(argv[4]);
        return 2;
    }
    return 0;
}
