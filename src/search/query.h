/* From the text a person types to Xapian queries: the words go through the
 * same analyzer as the index, each distinct term once, in order. */
#ifndef OASIS_SEARCH_QUERY_H
#define OASIS_SEARCH_QUERY_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "xapian/xapc.h"

/* The distinct words of a query: v[i] is a word's term, alt[i] its
 * accent-free alternative or NULL (see analyzer.h). */
typedef struct oa_query_terms {
    char **v;
    char **alt;
    size_t n;
} oa_query_terms;

/* Analyses text into its distinct words (stop words gone). An empty result
 * is not an error. Invalid UTF-8: OASIS_EFORMAT. */
int oa_query_terms_parse(oa_analyzer *a, const char *text, oa_query_terms *out);
void oa_query_terms_free(oa_query_terms *t);

/* op over one query per word (n > 0): its term, or the SYNONYM of its term
 * and alternative. NULL on failure. */
xapc_query *oa_query_terms_combine(const oa_query_terms *t, xapc_op op);

/* OR of prefix+value boolean terms, e.g. XD45 OR XD41; NULL on failure. */
xapc_query *oa_query_filter(const char *prefix, const char *const *values, size_t n);

#endif
