/* Filters: the départements, régions and categories a search keeps, from
 * the search options (oasis_search_options) or from the dept:, region:
 * and cat: fields of the query. The values of one facet are OR-ed, the
 * facets AND-ed, as boolean terms that weigh nothing (FILTER). */
#ifndef OASIS_SEARCH_FILTERS_H
#define OASIS_SEARCH_FILTERS_H

#include <stddef.h>

#include "oasis.h"
#include "search/facets.h"
#include "xapian/xapc.h"

/* The code (or slug) of value v of facet f, a code or name (a slug for a
 * category); NULL when the tables do not know it, with OASIS_EINVAL set,
 * its message naming the query column when column is not 0. */
const char *oa_filter_code(oasis_facet f, const char *v, size_t column);

/* The filters of the options: filters[f] is the OR of facet f's terms,
 * NULL when the options have none. An unknown value: OASIS_EINVAL, and
 * no filter made. */
int oa_filters_of_options(const oasis_search_options *o, xapc_query *filters[OA_N_FACETS]);
void oa_filters_free(xapc_query *filters[OA_N_FACETS]);

/* q kept to what every filter in filters[0..OA_N_FACETS) but skip allows
 * (skip = OA_N_FACETS: all of them). A new query; q is not freed. */
xapc_query *oa_filtered(const xapc_query *q, xapc_query *const *filters, int skip);

#endif
