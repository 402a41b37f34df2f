/* Spelling suggestions ("Did you mean"). */
#ifndef OASIS_SEARCH_SUGGEST_H
#define OASIS_SEARCH_SUGGEST_H

#include "search/compile.h"
#include "xapian/xapc.h"

/* The query with each unknown word of c (oa_compiled.unknown) replaced by
 * what is close to it for its length (suggest.c); *out NULL (and 0) when
 * no word has a suggestion. Caller frees *out. */
int oa_suggest(xapc_db *db, oa_analyzer *a, const char *query, const oa_compiled *c, char **out);

/* *missing 1 when db, holding documents, has no spelling table to suggest
 * from (a stub of remote databases only): the search then says so in a
 * notice (OASIS_NOTICE_NO_SPELLING_TABLE); else 0. */
int oa_suggest_missing(xapc_db *db, int *missing);

#endif
