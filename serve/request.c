/* GET arguments, replies, and the search a request asks for. */
#include "request.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

int srv_params_add(srv_params *p, const char *key, const char *value)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        srv_arg *a = realloc(p->args, cap * sizeof *a);
        if (!a)
            return -1;
        p->args = a;
        p->cap = cap;
    }
    char *k = dup(key), *v = dup(value ? value : "");
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    p->args[p->n].key = k;
    p->args[p->n].value = v;
    p->n++;
    return 0;
}

void srv_params_free(srv_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->args[i].key);
        free(p->args[i].value);
    }
    free(p->args);
    memset(p, 0, sizeof *p);
}

const char *srv_param_at(const srv_params *p, const char *key, size_t i)
{
    for (size_t k = 0; k < p->n; k++)
        if (!strcmp(p->args[k].key, key) && i-- == 0)
            return p->args[k].value;
    return NULL;
}

const char *srv_param(const srv_params *p, const char *key)
{
    return srv_param_at(p, key, 0);
}

size_t srv_param_count(const srv_params *p, const char *key)
{
    size_t n = 0;
    for (size_t k = 0; k < p->n; k++)
        n += !strcmp(p->args[k].key, key);
    return n;
}

int srv_reply_take(srv_reply *r, unsigned status, const char *type, char *body, size_t len)
{
    free(r->body);
    r->status = status;
    r->content_type = type;
    r->body = body;
    r->len = body ? len : 0;
    return body ? 0 : -1;
}

int srv_reply_copy(srv_reply *r, unsigned status, const char *type, const char *body,
                   size_t len)
{
    char *b = malloc(len + 1);
    if (b) {
        memcpy(b, body, len);
        b[len] = '\0';
    }
    return srv_reply_take(r, status, type, b, len);
}

int srv_reply_header(srv_reply *r, const char *name, const char *value)
{
    if (r->n_headers == SRV_MAX_HEADERS)
        return -1;
    char *n = dup(name), *v = dup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return -1;
    }
    r->headers[r->n_headers].name = n;
    r->headers[r->n_headers].value = v;
    r->n_headers++;
    return 0;
}

int srv_reply_error(srv_reply *r, unsigned status, const char *message)
{
    json_t *o = json_pack("{s:s}", "error", message);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return srv_reply_take(r, status, "application/json; charset=utf-8", body,
                          body ? strlen(body) : 0);
}

void srv_reply_free(srv_reply *r)
{
    free(r->body);
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    memset(r, 0, sizeof *r);
}

/* A count argument: 0 with *out set, else -1. Absent or empty: dflt. */
static int read_count(const char *s, size_t dflt, size_t *out)
{
    if (!s || !*s) {
        *out = dflt;
        return 0;
    }
    size_t v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9' || v > 1000000000)
            return -1;
        v = v * 10 + (size_t)(*c - '0');
    }
    *out = v;
    return 0;
}

/* Refuses the arguments: s->message from en, s->message_fr from fr, two
 * formats taking the same arguments. Returns status. */
static unsigned refuse(srv_search *s, unsigned status, const char *en, const char *fr, ...)
{
    va_list ap, ap2;
    va_start(ap, fr);
    va_copy(ap2, ap);
    vsnprintf(s->message, sizeof s->message, en, ap);
    vsnprintf(s->message_fr, sizeof s->message_fr, fr, ap2);
    va_end(ap2);
    va_end(ap);
    return status;
}

typedef enum { F_DEPT, F_REGION, F_CATEGORY } filter_kind;

static int known(filter_kind k, const char *v)
{
    switch (k) {
    case F_DEPT:
        return oasis_departement_find(v) != NULL;
    case F_REGION:
        return oasis_region_find(v) != NULL;
    case F_CATEGORY:
        return oasis_category_find(v) != NULL;
    }
    return 0;
}

/* The non-empty values of key into list (at most SRV_MAX_FILTERS, each
 * known): their number, or (size_t)-1 with the messages set. */
static size_t read_filter(const srv_params *p, const char *key, filter_kind k,
                          const char **list, srv_search *s)
{
    static const char *const what[] = {"département", "région", "category"};
    static const char *const quoi[] = {"Département inconnu", "Région inconnue",
                                       "Catégorie inconnue"};
    size_t n = 0;
    const char *v;
    for (size_t i = 0; (v = srv_param_at(p, key, i)) != NULL; i++) {
        if (!*v)
            continue;
        if (n == SRV_MAX_FILTERS) {
            refuse(s, 400, "too many values of %s (at most %d)",
                   "Trop de valeurs pour %s (%d au plus).", key, SRV_MAX_FILTERS);
            return (size_t)-1;
        }
        if (!known(k, v)) {
            /* At most 120 bytes of the value, not cutting a character. */
            int cut = 0;
            while (cut < 120 && v[cut])
                cut++;
            while (cut > 0 && v[cut] && ((unsigned char)v[cut] & 0xC0) == 0x80)
                cut--;
            snprintf(s->message, sizeof s->message, "unknown %s '%.*s'", what[k], cut, v);
            snprintf(s->message_fr, sizeof s->message_fr,
                     "%s" SRV_NBSP ": «" SRV_NBSP "%.*s" SRV_NBSP "».", quoi[k], cut, v);
            return (size_t)-1;
        }
        list[n++] = v;
    }
    return n;
}

unsigned srv_search_parse(const srv_params *p, srv_search *s)
{
    memset(s, 0, sizeof *s);
    oasis_search_options_init_reader(&s->opts);
    const char *q = srv_param(p, "q");
    s->query = q ? q : "";
    if (strlen(s->query) > SRV_MAX_QUERY)
        return refuse(s, 413, "query too long (at most %d bytes)",
                      "Requête trop longue (%d" SRV_NBSP "octets au plus).", SRV_MAX_QUERY);
    size_t limit, offset;
    if (read_count(srv_param(p, "limit"), SRV_DEFAULT_LIMIT, &limit) || limit > SRV_MAX_LIMIT)
        return refuse(s, 400, "limit must be a number from 0 to %d",
                      "Le nombre de résultats par page (limit) doit être un nombre de 0 à %d.",
                      SRV_MAX_LIMIT);
    if (read_count(srv_param(p, "offset"), 0, &offset) || offset > SRV_MAX_OFFSET)
        return refuse(s, 400, "offset must be a number from 0 to %d",
                      "Le rang du premier résultat (offset) doit être un nombre de 0 à %d.",
                      SRV_MAX_OFFSET);
    s->opts.limit = limit;
    s->opts.offset = offset;
    size_t nd = read_filter(p, "dept", F_DEPT, s->departements, s);
    size_t nr = nd == (size_t)-1 ? nd : read_filter(p, "region", F_REGION, s->regions, s);
    size_t nc = nr == (size_t)-1 ? nr : read_filter(p, "category", F_CATEGORY, s->categories, s);
    if (nc == (size_t)-1)
        return 400;
    s->opts.departements = s->departements;
    s->opts.n_departements = nd;
    s->opts.regions = s->regions;
    s->opts.n_regions = nr;
    s->opts.categories = s->categories;
    s->opts.n_categories = nc;
    return 0;
}
