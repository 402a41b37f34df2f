/* The search page: not served yet; every path goes to the API. */
#include "page.h"

int page_respond(oasis_searcher *s, const char *path, const srv_params *p, srv_reply *out)
{
    (void)s;
    (void)path;
    (void)p;
    (void)out;
    return 0;
}
