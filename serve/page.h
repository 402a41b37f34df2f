/* The search page of oasis-serve: HTML rendered on the server, and the
 * assets it uses, compiled into the program. */
#ifndef OASIS_SERVE_PAGE_H
#define OASIS_SERVE_PAGE_H

#include "oasis.h"
#include "request.h"

/* Answers a page route: "/" (the search page, with the arguments of
 * srv_search_parse()), "/initiatives/ID" and "/assets/NAME". Returns 1 when
 * path is one of them and *out holds the reply (an error page included),
 * 0 when path is not a page route (out untouched). s is the calling
 * thread's searcher, NULL when the index is unavailable (answer 503). */
int page_respond(oasis_searcher *s, const char *path, const srv_params *p, srv_reply *out);

#endif
