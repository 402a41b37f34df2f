/* Small Xapian query builders shared by the search module. */
#ifndef OASIS_SEARCH_QUERY_H
#define OASIS_SEARCH_QUERY_H

#include <stddef.h>

#include "xapian/xapc.h"

/* OR of prefix+value boolean terms, e.g. XD45 OR XD41; NULL on failure. */
xapc_query *oa_query_filter(const char *prefix, const char *const *values, size_t n);

#endif
