/* page_search.h — the search page, GET / with the arguments of
 * srv_search_parse(): the form, facets, hits, pages and the map. */
#ifndef OASIS_SERVE_PAGE_SEARCH_H
#define OASIS_SERVE_PAGE_SEARCH_H

#include "oasis.h"
#include "request.h"

/* Renders the page into out (an error page, 400/413, for bad arguments,
 * with the form kept). 0, or -1 out of memory. */
int page_search(oasis_searcher *s, const srv_params *p, srv_reply *out);

#endif
