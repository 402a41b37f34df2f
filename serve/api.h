/* The JSON API of oasis-serve: /api/search, /api/initiatives/ID,
 * /api/initiatives/ID/similar, /api/facets, /api/suggest and /healthz. */
#ifndef OASIS_SERVE_API_H
#define OASIS_SERVE_API_H

#include "oasis.h"
#include "request.h"

/* Answers an API route: 1 when path is one and *out holds the reply (an
 * error included: {"error": "..."}), 0 when path is not an API route. s is
 * the calling thread's searcher, NULL when the index is unavailable (the
 * routes that need it answer 503). */
int api_respond(oasis_searcher *s, const char *path, const srv_params *p, srv_reply *out);

#endif
