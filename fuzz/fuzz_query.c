/* What a person types, through the public oasis_search(), on a small index
 * of corpus/ built once. The first byte picks options (facets, filters, a
 * page); the rest is the query. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oasis.h"

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static oasis_searcher *searcher;
static char index_dir[4096];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    oasis_searcher_free(searcher);
    searcher = NULL;
    if (index_dir[0])
        nftw(index_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *src = getenv("OASIS_SOURCE_DIR");
    if (!src)
        src = OASIS_SOURCE_DIR;
    const char *tmp = getenv("TMPDIR");
    snprintf(index_dir, sizeof index_dir, "%s/oasis-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(index_dir)) {
        perror("mkdtemp");
        exit(1);
    }
    atexit(cleanup);
    char corpus[4096], db[4200];
    snprintf(corpus, sizeof corpus, "%s/corpus", src);
    snprintf(db, sizeof db, "%s/db", index_dir);
    oasis_writer *w;
    if (oasis_writer_open(&w, db, NULL) || oasis_writer_add_path(w, corpus, NULL) ||
        oasis_writer_commit(w)) {
        fprintf(stderr, "fuzz_query: cannot index %s: %s\n", corpus, oasis_error_last());
        exit(1);
    }
    oasis_writer_free(w);
    if (oasis_searcher_open(&searcher, db)) {
        fprintf(stderr, "fuzz_query: %s\n", oasis_error_last());
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const char *const depts[] = {"45", "loir et cher"};
    static const char *const regions[] = {"24"};
    static const char *const cats[] = {"logement"};
    unsigned pick = data[0];
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.facets = pick & 1;
    o.offset = (pick >> 1) & 3;
    o.limit = (pick >> 3) & 7;
    if (pick & 0x40) {
        o.departements = depts;
        o.n_departements = 2;
    }
    if (pick & 0x80) {
        o.regions = regions;
        o.n_regions = 1;
        o.categories = cats;
        o.n_categories = 1;
    }
    char *q = malloc(size);
    if (!q)
        return 0;
    memcpy(q, data + 1, size - 1);
    q[size - 1] = '\0';
    oasis_results *r = NULL;
    int rc = oasis_search(searcher, q, &o, &r);
    if (rc == 0) {
        size_t n = oasis_results_hit_count(r);
        FUZZ_CHECK(n <= o.limit);
        FUZZ_CHECK(oasis_results_total(r) >= n);
        for (size_t i = 0; i < n; i++) {
            const oasis_hit *h = oasis_results_hit_at(r, i);
            FUZZ_CHECK(h && h->id && h->rank == o.offset + i + 1);
        }
        FUZZ_CHECK(oasis_results_hit_at(r, n) == NULL);
        for (int f = 0; f < 3; f++)
            for (size_t i = 0; i < oasis_results_facet_count(r, (oasis_facet)f); i++)
                FUZZ_CHECK(oasis_results_facet_at(r, (oasis_facet)f, i)->count > 0);
    } else {
        /* Refused: with a reason, and never for want of memory. */
        FUZZ_CHECK(rc != OASIS_ENOMEM && *oasis_error_last());
    }
    oasis_results_free(r);
    free(q);
    return 0;
}
