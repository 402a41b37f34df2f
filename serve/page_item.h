/* page_item.h — an initiative's page, GET /initiatives/ID: its full text,
 * source, départements, categories, and the initiatives most like it. */
#ifndef OASIS_SERVE_PAGE_ITEM_H
#define OASIS_SERVE_PAGE_ITEM_H

#include "oasis.h"
#include "request.h"

/* id is URL-decoded. A 404 page when there is none. 0, or -1 out of
 * memory. */
int page_item(oasis_searcher *s, const char *id, srv_reply *out);

#endif
