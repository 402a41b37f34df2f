/* The JSON API routes. */
#include "api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_TYPE "application/json; charset=utf-8"

/* o as the reply's body (o is consumed). */
static int reply_json(srv_reply *out, unsigned status, json_t *o)
{
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!body)
        return srv_reply_error(out, 500, "out of memory");
    return srv_reply_take(out, status, JSON_TYPE, body, strlen(body));
}

static int unavailable(srv_reply *out)
{
    char msg[512];
    snprintf(msg, sizeof msg, "index unavailable: %s", oasis_error_last());
    return srv_reply_error(out, 503, msg);
}

static void healthz(oasis_searcher *s, srv_reply *out)
{
    if (!s) {
        unavailable(out);
        return;
    }
    reply_json(out, 200, json_pack("{s:s,s:I}", "status", "ok", "initiatives",
                                   (json_int_t)oasis_searcher_doc_count(s)));
}

int api_respond(oasis_searcher *s, const char *path, const srv_params *p, srv_reply *out)
{
    (void)p;
    if (!strcmp(path, "/healthz")) {
        healthz(s, out);
        return 1;
    }
    return 0;
}
