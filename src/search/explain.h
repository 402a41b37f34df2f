/* Explaining a search: what the query was read as, and what each hit of
 * the page matched. */
#ifndef OASIS_SEARCH_EXPLAIN_H
#define OASIS_SEARCH_EXPLAIN_H

#include "oasis.h"
#include "search/compile.h"
#include "xapian/xapc.h"

/* The query's notice, places and synonyms, kept by the results. */
int oa_describe_query(const oa_compiled *c, oasis_results *r);

/* What each hit of the page matched (oasis_hit.matches): every unit's
 * weight over the page's documents, and where its terms are; a place's
 * weight is boost, the fixed boost its initiatives got. */
int oa_explain(xapc_db *db, const oa_compiled *c, double boost, oasis_results *r);

#endif
