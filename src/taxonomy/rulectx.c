#define _POSIX_C_SOURCE 200809L
#include "taxonomy/rulectx.h"

#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/error.h"
#include "util/vec.h"

/* One word or phrase of a clause: its terms, each at its position within
 * the phrase (a word may give two terms at one position). */
typedef struct item {
    char **term;
    uint32_t *rel;
    size_t n;
} item;

typedef OA_VEC(item) items;

struct oa_rule_context {
    items near, unless;
};

static void items_free(items *v)
{
    for (size_t i = 0; i < v->n; i++) {
        for (size_t k = 0; k < v->v[i].n; k++)
            free(v->v[i].term[k]);
        free(v->v[i].term);
        free(v->v[i].rel);
    }
    free(v->v);
}

void oa_rule_context_free(oa_rule_context *cx)
{
    if (!cx)
        return;
    items_free(&cx->near);
    items_free(&cx->unless);
    free(cx);
}

static const char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

/* Adds the word or phrase text to v. */
static int add_item(oa_analyzer *a, const char *text, items *v)
{
    oa_tokens t = OA_TOKENS_INIT;
    int rc = oa_analyze(a, text, strlen(text), 0, &t);
    size_t n = 0;
    for (size_t k = 0; !rc && k < t.n; k++)
        n += !t.v[k].compound;
    if (!rc && n == 0)
        rc = oa_error(OASIS_EFORMAT, "'%s' has no word left after analysis", text);
    if (!rc)
        rc = oa_grow(&v->v, &v->cap, v->n + 1, sizeof *v->v);
    item *it = rc ? NULL : &v->v[v->n];
    if (it && (!(it->term = calloc(n, sizeof *it->term)) || !(it->rel = calloc(n, sizeof *it->rel)))) {
        free(it->term);
        rc = oa_error(OASIS_ENOMEM, "out of memory");
    }
    if (it && !rc) {
        it->n = 0;
        v->n++;
        for (size_t k = 0; k < t.n && !rc; k++) {
            if (t.v[k].compound)
                continue;
            if (!(it->term[it->n] = oa_strndup(t.v[k].term, t.v[k].term_len)))
                rc = OASIS_ENOMEM;
            else
                it->rel[it->n++] = t.v[k].pos - t.v[0].pos;
        }
    }
    oa_tokens_free(&t);
    return rc;
}

/* One clause, "near: a, b" or "unless: c", into cx. */
static int parse_clause(oa_analyzer *a, char *clause, oa_rule_context *cx)
{
    char *colon = strchr(clause, ':');
    if (!colon)
        return oa_error(OASIS_EFORMAT, "context '%s': expected near: or unless:", trim(clause));
    *colon = '\0';
    const char *kind = trim(clause);
    items *v = !strcmp(kind, "near") ? &cx->near : !strcmp(kind, "unless") ? &cx->unless : NULL;
    if (!v)
        return oa_error(OASIS_EFORMAT, "context '%s': expected near: or unless:", kind);
    int rc = 0, any = 0;
    char *save = NULL;
    for (char *w = strtok_r(colon + 1, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
        const char *word = trim(w);
        if (*word) {
            rc = add_item(a, word, v);
            any = 1;
        }
    }
    if (!rc && !any)
        rc = oa_error(OASIS_EFORMAT, "context '%s:' lists no word", kind);
    return rc;
}

int oa_rule_context_parse(oa_analyzer *a, const char *spec, oa_rule_context **out)
{
    *out = NULL;
    char *copy = oa_strdup(spec);
    if (!copy)
        return oa_error(OASIS_ENOMEM, "out of memory");
    if (!*trim(copy)) {
        free(copy);
        return 0;
    }
    oa_rule_context *cx = calloc(1, sizeof *cx);
    int rc = cx ? 0 : oa_error(OASIS_ENOMEM, "out of memory");
    char *save = NULL;
    for (char *c = strtok_r(copy, ";", &save); c && !rc; c = strtok_r(NULL, ";", &save))
        if (*trim(c))
            rc = parse_clause(a, c, cx);
    free(copy);
    if (rc) {
        oa_rule_context_free(cx);
        return rc;
    }
    *out = cx;
    return 0;
}

/* 1 when some token at position p has term s. From index *j on (tokens in
 * position order), which moves to p's first token. */
static int term_at(const oa_token *v, size_t n, size_t *j, uint32_t p, const char *s)
{
    while (*j < n && v[*j].pos < p)
        ++*j;
    for (size_t k = *j; k < n && v[k].pos == p; k++)
        if (!strcmp(v[k].term, s))
            return 1;
    return 0;
}

/* 1 when it occurs starting at position p. */
static int item_at(const item *it, const oa_token *v, size_t n, size_t j, uint32_t p)
{
    for (size_t k = 0; k < it->n;) {
        uint32_t rel = it->rel[k];
        int found = 0;
        size_t jj = j;
        for (; k < it->n && it->rel[k] == rel; k++)
            found |= term_at(v, n, &jj, p + rel, it->term[k]);
        if (!found)
            return 0;
    }
    return 1;
}

/* 1 when one of the items starts within [lo, hi]. */
static int any_within(const items *its, const oa_token *v, size_t n, uint32_t lo, uint32_t hi)
{
    size_t j = 0;
    while (j < n && v[j].pos < lo)
        j++;
    for (; j < n && v[j].pos <= hi; j++) {
        if (j > 0 && v[j - 1].pos == v[j].pos)
            continue; /* each position once */
        for (size_t i = 0; i < its->n; i++)
            if (item_at(&its->v[i], v, n, j, v[j].pos))
                return 1;
    }
    return 0;
}

int oa_rule_context_holds(const oa_rule_context *cx, const oa_token *v, size_t n, uint32_t first,
                          uint32_t last)
{
    if (!cx)
        return 1;
    uint32_t lo = first > OA_RULE_NEAR ? first - OA_RULE_NEAR : 0;
    uint32_t hi = last + OA_RULE_NEAR < last ? UINT32_MAX : last + OA_RULE_NEAR;
    if (cx->near.n && !any_within(&cx->near, v, n, lo, hi))
        return 0;
    return !(cx->unless.n && any_within(&cx->unless, v, n, lo, hi));
}
