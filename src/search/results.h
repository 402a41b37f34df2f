/* The results of one search (oasis_results of oasis.h): the page of hits
 * and what their borrowed pointers point into, the totals, the facet
 * counts and what the query was read as. The search's files fill them;
 * the oasis_results_* accessors read them. */
#ifndef OASIS_SEARCH_RESULTS_H
#define OASIS_SEARCH_RESULTS_H

#include <stddef.h>

#include "index/docdata.h"
#include "oasis.h"
#include "search/facets.h"
#include "search/notices.h"
#include "search/snippet.h"
#include "util/vec.h"
#include "xapian/xapc.h"

/* What one hit's borrowed pointers point into. */
typedef struct oa_hit_store {
    oa_docdata data;
    const oasis_departement **depts;
    const oasis_region **regions;
    const oasis_category **categories;
    unsigned docid;
    oa_snippet snippet;
    oasis_match *matches;
} oa_hit_store;

typedef OA_VEC(oasis_facet_value) oa_facet_values;

/* What the results hold: hits[i] borrows from store[i]. */
struct oasis_results {
    size_t total;
    int total_exact;
    size_t count;
    oasis_hit *hits;
    oa_hit_store *store;
    size_t hits_cap, store_cap;
    oa_facet_values facets[OA_N_FACETS];
    oa_notices notices;
    char *suggestion;
    int corrected;
    oasis_place *places;
    size_t n_places;
    oasis_synonym *synonyms;
    size_t n_synonyms;
    OA_VEC(char *) strings; /* what places, synonyms and matches point into */
};

/* Empty results, or NULL without memory (error set). */
oasis_results *oa_results_new(void);

/* A copy of s kept by the results (for what places, synonyms and matches
 * point to); NULL for NULL, and without memory. */
const char *oa_results_keep(oasis_results *r, const char *s);

/* Appends the matches of m to the page, ranked from first_rank; all_terms
 * is their oasis_hit.all_terms. */
int oa_results_add_hits(oasis_results *r, const xapc_mset *m, size_t first_rank, int all_terms);

#endif
