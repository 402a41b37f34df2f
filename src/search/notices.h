/* The notices of a search (oasis.h, oasis_notice): what the parser, the
 * compiler and the searcher add, one by one, each with its English line,
 * and the line of them all that oasis_results_notice() gives. */
#ifndef OASIS_SEARCH_NOTICES_H
#define OASIS_SEARCH_NOTICES_H

#include <stddef.h>

#include "oasis.h"

typedef struct oa_notices {
    oasis_notice *v; /* text and detail are the list's */
    size_t n, cap;
    char *line;      /* every text, joined by "; "; NULL when n is 0 */
} oa_notices;

/* Appends a notice of kind, its English line written from kind and the
 * fields it uses (detail: detail_len bytes, may be NULL). 0, or
 * OASIS_ENOMEM (error set) with ns unchanged. */
int oa_notices_add(oa_notices *ns, oasis_notice_kind kind, const char *detail,
                   size_t detail_len, size_t column, size_t count);

/* Appends a copy of each notice of from. 0, or OASIS_ENOMEM. */
int oa_notices_copy(oa_notices *ns, const oa_notices *from);

/* Frees the notices; ns is empty again. */
void oa_notices_free(oa_notices *ns);

#endif
