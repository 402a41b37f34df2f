/* The three facets (oasis_facet): the value slot and term prefix of
 * each, and their counts over the matches of a query. */
#ifndef OASIS_SEARCH_FACETS_H
#define OASIS_SEARCH_FACETS_H

#include <stddef.h>

#include "oasis.h"
#include "xapian/xapc.h"

#define OA_N_FACETS 3

/* The value slot that joins a document's values of facet f. */
unsigned oa_facet_slot(oasis_facet f);
/* The prefix of the boolean terms of facet f's values. */
const char *oa_facet_prefix(oasis_facet f);

/* Facet counts over every match of q into r (filters[f]: the filter of
 * facet f, or NULL). A facet without a filter is counted under all
 * filters, in one pass; a facet with one is counted in a pass of its own
 * without it (disjunctive counts). *total gets the exact number of
 * matches of q under all filters when that pass ran, and is left alone
 * otherwise. */
int oa_facets_count(xapc_db *db, const xapc_query *q, xapc_query *const *filters,
                    oasis_results *r, size_t *total);

#endif
