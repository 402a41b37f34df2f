/* Running a compiled query: the two tiers of the ranking (ranking.h), the
 * page they give, the total and the facet counts. */
#ifndef OASIS_SEARCH_TIERS_H
#define OASIS_SEARCH_TIERS_H

#include "oasis.h"
#include "search/compile.h"
#include "xapian/xapc.h"

/* Runs c under the filters (filters[f]: facet f's, or NULL) for the page
 * o->offset, o->limit: hits, total and, with o->facets, facet counts into
 * r. *boost gets the fixed boost given to the places c names (0: none). */
int oa_tiers_run(xapc_db *db, const oa_compiled *c, const oasis_search_options *o,
                 xapc_query *const *filters, oasis_results *r, double *boost);

#endif
