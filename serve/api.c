/* The JSON API routes: each reads its arguments, makes one library call
 * and writes the results with the shared JSON objects (jsonout.h). */
#define _POSIX_C_SOURCE 200809L
#include "api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define INITIATIVES "/api/initiatives/"
#define SIMILAR "/similar"

/* o as the reply's body (o is consumed). */
static void reply_json(srv_reply *out, unsigned status, json_t *o)
{
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!body)
        srv_reply_error(out, 500, "out of memory");
    else
        srv_reply_take(out, status, JSON_TYPE, body, strlen(body));
}

/* The text written in b as the reply's body (b is emptied). */
static void reply_text(srv_reply *out, jo_buf *b)
{
    size_t len;
    char *body = jo_buf_take(b, &len);
    if (!body)
        srv_reply_error(out, 500, "cannot write the answer");
    else
        srv_reply_take(out, 200, JSON_TYPE, body, len);
}

static void unavailable(srv_reply *out)
{
    char msg[512];
    snprintf(msg, sizeof msg, "index unavailable: %s", oasis_error_last());
    srv_reply_error(out, 503, msg);
}

/* A failed library call: its message, with the status its code means. */
static void failed(srv_reply *out, int rc)
{
    unsigned status;
    switch (rc) {
    case OASIS_EINVAL:
    case OASIS_EFORMAT:
        status = 400;
        break;
    case OASIS_ENOTFOUND:
        status = 404;
        break;
    case OASIS_ENOMEM:
        status = 500;
        break;
    default: /* the index: damaged, unreachable, unreadable */
        status = 503;
        break;
    }
    srv_reply_error(out, status, oasis_error_last());
}

static void healthz(oasis_searcher *s, srv_reply *out)
{
    if (!s)
        unavailable(out);
    else
        reply_json(out, 200, json_pack("{s:s,s:I}", "status", "ok", "initiatives",
                                       (json_int_t)oasis_searcher_doc_count(s)));
}

enum { HITS = 0, HITS_FACETS = 1, COUNTS_ONLY = 2 };

/* The search the arguments ask for, run: *r, or a reply already made.
 * what: HITS, HITS_FACETS or COUNTS_ONLY (facets, no hits). */
static int run_search(oasis_searcher *s, const srv_params *p, srv_search *q, int what,
                      const char *like, oasis_results **r, srv_reply *out)
{
    unsigned status = srv_search_parse(p, q);
    if (status) {
        srv_reply_error(out, status, q->message);
        return -1;
    }
    if (!s) {
        unavailable(out);
        return -1;
    }
    q->opts.facets = what != HITS;
    if (what == COUNTS_ONLY) {
        q->opts.limit = 0;
        q->opts.snippet_bytes = 0;
    }
    q->opts.like = like;
    int rc = oasis_search(s, q->query, &q->opts, r);
    if (rc) {
        failed(out, rc);
        return -1;
    }
    return 0;
}

static void search(oasis_searcher *s, const srv_params *p, srv_reply *out)
{
    srv_search q;
    oasis_results *r = NULL;
    if (run_search(s, p, &q, HITS_FACETS, NULL, &r, out))
        return;
    jo_buf b = JO_BUF_INIT;
    jo_results(&b, q.query, r, 1, 0);
    oasis_results_free(r);
    reply_text(out, &b);
}

static void facets(oasis_searcher *s, const srv_params *p, srv_reply *out)
{
    srv_search q;
    oasis_results *r = NULL;
    if (srv_param(p, "limit") || srv_param(p, "offset")) {
        srv_reply_error(out, 400, "facets take q, dept, region and category only");
        return;
    }
    if (run_search(s, p, &q, COUNTS_ONLY, NULL, &r, out))
        return;
    jo_buf b = JO_BUF_INIT;
    jo_raw(&b, "{");
    jo_summary_members(&b, q.query, r, 1, 0);
    jo_raw(&b, "}");
    oasis_results_free(r);
    reply_text(out, &b);
}

static void similar(oasis_searcher *s, const char *id, const srv_params *p, srv_reply *out)
{
    srv_search q;
    oasis_results *r = NULL;
    if (srv_param(p, "q") && *srv_param(p, "q")) {
        srv_reply_error(out, 400, "similar takes no q: the initiative is the query");
        return;
    }
    if (run_search(s, p, &q, HITS, id, &r, out))
        return;
    jo_buf b = JO_BUF_INIT;
    jo_results(&b, id, r, 0, 0);
    oasis_results_free(r);
    reply_text(out, &b);
}

#define MAX_REASONS 64

/* The reasons of a hit's categories, in its order (reasons_of's userdata). */
typedef struct reasons_of {
    jo_reason r[MAX_REASONS];
    char *rules[MAX_REASONS];
    size_t n;
    int failed; /* out of memory */
} reasons_of;

static void add_reason(void *userdata, const char *doc_id, const char *category,
                       const char *phrase, long rule_line)
{
    (void)doc_id;
    (void)category;
    reasons_of *ro = userdata;
    if (ro->n == MAX_REASONS)
        return;
    ro->rules[ro->n] = phrase ? strdup(phrase) : NULL;
    ro->failed |= phrase && !ro->rules[ro->n];
    ro->r[ro->n].rule = ro->rules[ro->n];
    ro->r[ro->n].rule_line = rule_line;
    ro->n++;
}

static void initiative(oasis_searcher *s, const char *id, srv_reply *out)
{
    if (!s) {
        unavailable(out);
        return;
    }
    oasis_results *r = NULL;
    int rc = oasis_searcher_get(s, id, &r);
    if (rc) {
        failed(out, rc);
        return;
    }
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    reasons_of ro = {{{0}}, {0}, 0, 0};
    rc = oasis_searcher_category_reasons(s, h, add_reason, &ro);
    if (!rc && ro.failed)
        rc = OASIS_ENOMEM;
    jo_buf b = JO_BUF_INIT;
    if (!rc) {
        jo_raw(&b, "{");
        /* Every category has its reason (the library reports each once). */
        jo_hit_members(&b, h, 0, ro.n == h->n_categories ? ro.r : NULL);
        jo_raw(&b, "}");
    }
    for (size_t i = 0; i < ro.n; i++)
        free(ro.rules[i]);
    oasis_results_free(r);
    if (rc) {
        jo_buf_free(&b);
        failed(out, rc);
        return;
    }
    reply_text(out, &b);
}

static const char *const completion_kind[] = {"word", "departement", "region", "category",
                                              "commune"};

static void suggest(oasis_searcher *s, const srv_params *p, srv_reply *out)
{
    const char *text = srv_param(p, "q");
    text = text ? text : "";
    size_t limit = SRV_DEFAULT_LIMIT;
    const char *l = srv_param(p, "limit");
    if (strlen(text) > SRV_MAX_QUERY) {
        srv_reply_error(out, 413, "query too long");
        return;
    }
    if (l && *l) {
        char *end;
        unsigned long v = strtoul(l, &end, 10);
        if (*end || l[0] == '-' || v < 1 || v > 50) {
            srv_reply_error(out, 400, "limit must be a number from 1 to 50");
            return;
        }
        limit = v;
    }
    if (!s) {
        unavailable(out);
        return;
    }
    oasis_completions *c = NULL;
    int rc = oasis_searcher_complete(s, text, limit, &c);
    if (rc) {
        failed(out, rc);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; a && i < oasis_completions_count(c); i++) {
        const oasis_completion *x = oasis_completions_at(c, i);
        json_t *o = json_pack("{s:s,s:s,s:s}", "kind", completion_kind[x->kind], "text", x->text,
                              "label", x->label);
        if (o && x->value)
            json_object_set_new(o, "value", json_string(x->value));
        if (o && x->kind == OASIS_COMPLETION_WORD)
            json_object_set_new(o, "count", json_integer((json_int_t)x->count));
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    oasis_completions_free(c);
    reply_json(out, 200, a ? json_pack("{s:s,s:o}", "query", text, "completions", a) : NULL);
}

static void initiatives(oasis_searcher *s, const char *rest, const srv_params *p,
                        srv_reply *out)
{
    size_t n = strlen(rest), k = strlen(SIMILAR);
    if (n > k && !strcmp(rest + n - k, SIMILAR)) {
        char id[1024];
        if (n - k >= sizeof id) {
            srv_reply_error(out, 404, "no such initiative");
            return;
        }
        memcpy(id, rest, n - k);
        id[n - k] = '\0';
        similar(s, id, p, out);
        return;
    }
    if (!*rest || strchr(rest, '/')) {
        srv_reply_error(out, 404, "no such initiative");
        return;
    }
    initiative(s, rest, out);
}

int api_respond(oasis_searcher *s, const char *path, const srv_params *p, srv_reply *out)
{
    if (!strcmp(path, "/healthz"))
        healthz(s, out);
    else if (!strcmp(path, "/api/search"))
        search(s, p, out);
    else if (!strcmp(path, "/api/facets"))
        facets(s, p, out);
    else if (!strcmp(path, "/api/suggest"))
        suggest(s, p, out);
    else if (!strncmp(path, INITIATIVES, strlen(INITIATIVES)))
        initiatives(s, path + strlen(INITIATIVES), p, out);
    else if (!strcmp(path, "/api") || !strncmp(path, "/api/", 5))
        srv_reply_error(out, 404, "no such API endpoint");
    else
        return 0;
    return 1;
}
