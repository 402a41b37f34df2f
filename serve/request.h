/* What oasis-serve's routes share: the GET arguments of a request, the
 * reply being built, and the one reading of search arguments (q, dept,
 * region, category, limit, offset) into an oasis search, used by the JSON
 * API and by the page alike. No search logic: values are checked against
 * the library's tables, the search itself is liboasis's. */
#ifndef OASIS_SERVE_REQUEST_H
#define OASIS_SERVE_REQUEST_H

#include <stddef.h>

#include "oasis.h"

/* ---- GET arguments ---- */

/* One argument, URL-decoded (a key without '=' has the value ""). */
typedef struct srv_arg {
    char *key;
    char *value;
} srv_arg;

/* Every GET argument of a request, in the order of the URL, repeats kept. */
typedef struct srv_params {
    srv_arg *args;
    size_t n, cap;
} srv_params;

/* Appends a copy of key and value (value NULL: ""). 0, or -1 out of memory. */
int srv_params_add(srv_params *p, const char *key, const char *value);

/* Frees the arguments; p is empty again. */
void srv_params_free(srv_params *p);

/* The first value of key, or NULL when key is absent. Borrowed from p. */
const char *srv_param(const srv_params *p, const char *key);

/* How many times key appears. */
size_t srv_param_count(const srv_params *p, const char *key);

/* The i-th value of key (0-based, in URL order), NULL past the last. */
const char *srv_param_at(const srv_params *p, const char *key, size_t i);

/* ---- replies ---- */

#define SRV_MAX_HEADERS 8

typedef struct srv_header {
    char *name;
    char *value;
} srv_header;

/* A reply: status, content type (a static string), a malloc'd body and
 * extra headers (besides the security headers every reply gets). */
typedef struct srv_reply {
    unsigned status;
    const char *content_type;
    char *body;
    size_t len;
    srv_header headers[SRV_MAX_HEADERS];
    size_t n_headers;
} srv_reply;

/* Sets status, type and body: body is malloc'd and becomes the reply's
 * (freed with it, also when this fails). 0, or -1. */
int srv_reply_take(srv_reply *r, unsigned status, const char *type, char *body, size_t len);

/* The same with a copy of len bytes of body. */
int srv_reply_copy(srv_reply *r, unsigned status, const char *type, const char *body,
                   size_t len);

/* Adds a header (both strings copied). 0, or -1 (full, out of memory). */
int srv_reply_header(srv_reply *r, const char *name, const char *value);

/* An error as JSON: {"error": message}, with status. 0, or -1. */
int srv_reply_error(srv_reply *r, unsigned status, const char *message);

/* Frees the body and headers; r is empty again. */
void srv_reply_free(srv_reply *r);

/* ---- a search asked for by GET arguments ---- */

/* The no-break space French puts before : ; ! ? » and after «, in the
 * texts of the page. */
#define SRV_NBSP "\u00a0"

#define SRV_DEFAULT_LIMIT 10
#define SRV_MAX_LIMIT 100      /* hits on a page */
#define SRV_MAX_OFFSET 10000   /* first hit of a page */
#define SRV_MAX_FILTERS 32     /* values of one filter */
#define SRV_MAX_QUERY 1024     /* bytes of q */

/* The search a request asks for. Strings are borrowed from the params;
 * opts points into the struct itself (do not copy it). */
typedef struct srv_search {
    const char *query; /* q, "" when absent */
    oasis_search_options opts; /* the reader's options (oasis-query's),
                                  with the page and filters asked */
    const char *departements[SRV_MAX_FILTERS];
    const char *regions[SRV_MAX_FILTERS];
    const char *categories[SRV_MAX_FILTERS];
    char message[256];    /* why the arguments were refused, in English (the
                             JSON API's) */
    char message_fr[256]; /* the same in French (the page's) */
} srv_search;

/* Reads q, dept, region, category (each repeatable; empty values are
 * ignored), limit and offset into s. 0 when they make a search, else the
 * HTTP status to answer with (400, or 413 for a q over SRV_MAX_QUERY bytes)
 * and s->message and s->message_fr say why: a limit over SRV_MAX_LIMIT or
 * not a number, an offset over SRV_MAX_OFFSET, an unknown département,
 * région or category, too many values. */
unsigned srv_search_parse(const srv_params *p, srv_search *s);

#endif
