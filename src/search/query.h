/* Small Xapian query builders shared by the search module.
 *
 * The *_owned builders take their query arguments: each argument is freed
 * (or becomes the result) whatever happens, so a caller can nest them
 * without keeping track of what was made. They return NULL when an
 * argument is NULL (a builder that failed before) or without memory. */
#ifndef OASIS_SEARCH_QUERY_H
#define OASIS_SEARCH_QUERY_H

#include <stddef.h>

#include "xapian/xapc.h"

/* subs[0..n) combined with op; with n == 1, subs[0] itself; with n == 0,
 * a query matching nothing. The array stays the caller's. */
xapc_query *oa_query_combine_owned(xapc_op op, xapc_query **subs, size_t n);

/* a op b. */
xapc_query *oa_query_pair_owned(xapc_op op, xapc_query *a, xapc_query *b);

/* q with every weight multiplied by factor (>= 0). */
xapc_query *oa_query_scale_owned(xapc_query *q, double factor);

/* OR of prefix+value boolean terms, e.g. XD45 OR XD41; NULL on failure. */
xapc_query *oa_query_filter(const char *prefix, const char *const *values, size_t n);

#endif
