/* Completions of a text being typed (oasis_searcher_complete()). */
#ifndef OASIS_SEARCH_COMPLETE_H
#define OASIS_SEARCH_COMPLETE_H

#include <stddef.h>

#include "oasis.h"
#include "xapian/xapc.h"

/* oasis_searcher_complete() over db. */
int oa_complete(xapc_db *db, const char *text, size_t max, oasis_completions **out);

#endif
