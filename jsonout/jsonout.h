/* The JSON objects of search results, written by one piece of code for
 * every program: oasis-query --json and oasis-serve's API give the same
 * objects for the same results. Each function returns a new jansson
 * object (the caller's reference), or NULL out of memory. */
#ifndef OASIS_JSONOUT_H
#define OASIS_JSONOUT_H

#include <jansson.h>

#include "oasis.h"

/* A hit: {"rank","id","score","title","departements":[{"code","name"}],
 * "regions":[{"code","name"}],"categories":[{"slug","label"}],"text",
 * "source":"FILE:LINE"}, with "snippet" and "highlights" ([[start,end]],
 * byte ranges in the snippet) when it has a snippet, and "explain" (what it
 * matched: [{"query","kind","title","text","weight","of"?}]) when explain
 * is set. */
json_t *jo_hit(const oasis_hit *h, int explain);

/* What the results say beside the hits: {"query","total"}, then
 * "suggestion" and "corrected" when there is a suggestion, "notice" when
 * the query was read as plain words, "places" and "synonyms" with explain,
 * "facets" ({"departement":[{"code","name","count"}],"region":[…],
 * "category":[{"slug","label","count"}]}) with facets. */
json_t *jo_summary(const char *query, const oasis_results *r, int facets, int explain);

/* The facets object alone (see jo_summary()). */
json_t *jo_facets(const oasis_results *r);

/* A whole page of results: jo_summary() with "hits": [jo_hit()…]. */
json_t *jo_results(const char *query, const oasis_results *r, int facets, int explain);

#endif
