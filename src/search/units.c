/* The record of what a query looks for: its units (what --explain weighs
 * and snippets highlight), the places and synonyms it used; and freeing a
 * compiled query. */
#include <stdlib.h>
#include <string.h>

#include "search/compile_ctx.h"
#include "util/error.h"
#include "util/vec.h"

oa_unit *cq_new_unit(cq_ctx *c, oa_unit_kind kind, const char *label, size_t label_len)
{
    oa_compiled *o = c->out;
    if (c->rc || (c->rc = oa_grow(&o->units, &o->cap_units, o->n_units + 1, sizeof *o->units)))
        return NULL;
    oa_unit *u = &o->units[o->n_units];
    memset(u, 0, sizeof *u);
    u->kind = kind;
    if (!(u->label = oa_strndup(label, label_len))) {
        c->rc = OASIS_ENOMEM;
        return NULL;
    }
    o->n_units++;
    return u;
}

/* Adds term to u's terms once; the unit's copy, or NULL. */
static const char *add_term(cq_ctx *c, oa_unit *u, const char *term)
{
    if (!u || !term || c->rc)
        return NULL;
    for (size_t i = 0; i < u->n_terms; i++)
        if (!strcmp(u->terms[i], term))
            return u->terms[i];
    if ((c->rc = oa_grow(&u->terms, &u->cap_terms, u->n_terms + 1, sizeof *u->terms)))
        return NULL;
    if (!(u->terms[u->n_terms] = oa_strdup(term))) {
        c->rc = OASIS_ENOMEM;
        return NULL;
    }
    return u->terms[u->n_terms++];
}

void cq_add_words(cq_ctx *c, oa_unit *u, char *const *term, char *const *alt, size_t n)
{
    if (!u || c->rc || (c->rc = oa_grow(&u->pat, &u->cap_pat, u->n_pat + 1, sizeof *u->pat)))
        return;
    oa_pattern *p = &u->pat[u->n_pat];
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < n && !c->rc; i++) {
        const char *t = add_term(c, u, term[i]), *a = add_term(c, u, alt ? alt[i] : NULL);
        if (p->n < OA_PATTERN_WORDS) {
            p->term[p->n] = t;
            p->alt[p->n++] = a;
        }
    }
    if (!c->rc)
        u->n_pat++;
}

void cq_word_unit(cq_ctx *c, const cq_word *w, size_t n, int title_only, const xapc_query *q,
                  const xapc_query *title)
{
    oa_unit *u = cq_new_unit(c, n > 1 ? OA_UNIT_PHRASE : OA_UNIT_WORD, c->text + w[0].start,
                             w[n - 1].end - w[0].start);
    if (!u)
        return;
    u->title_only = title_only;
    u->q = cq_copy(c, q);
    u->title_q = cq_copy(c, title);
    char **t, **a;
    if (cq_term_arrays(c, w, n, &t, &a) == 0)
        cq_add_words(c, u, t, a, n);
    free(t);
    free(a);
    /* A compound's phrase: its parts written together too. */
    if (n > 1 && w[n - 1].joined)
        cq_add_words(c, u, (char *const[]){w[n - 1].joined}, (char *const[]){w[n - 1].joined_alt},
                     1);
}

void cq_place_use(cq_ctx *c, const char *text, size_t len, const oasis_departement *d,
                  const oasis_region *region, const char *commune, size_t commune_len)
{
    oa_compiled *o = c->out;
    if (c->rc || (c->rc = oa_grow(&o->place, &o->cap_places, o->n_places + 1, sizeof *o->place)))
        return;
    oa_place_use *use = &o->place[o->n_places];
    memset(use, 0, sizeof *use);
    use->dept = d;
    use->region = region;
    if (!(use->word = oa_strndup(text, len)) ||
        (commune && !(use->commune = oa_strndup(commune, commune_len)))) {
        free(use->word);
        c->rc = OASIS_ENOMEM;
        return;
    }
    o->n_places++;
}

void cq_synonym_use(cq_ctx *c, const char *typed, size_t len, const char *synonym)
{
    oa_compiled *o = c->out;
    if (c->rc ||
        (c->rc = oa_grow(&o->synonym, &o->cap_synonyms, o->n_synonyms + 1, sizeof *o->synonym)))
        return;
    oa_synonym_use *use = &o->synonym[o->n_synonyms];
    use->word = oa_strndup(typed, len);
    use->synonym = oa_strdup(synonym);
    if (!use->word || !use->synonym) {
        free(use->word);
        free(use->synonym);
        c->rc = OASIS_ENOMEM;
        return;
    }
    o->n_synonyms++;
}

void oa_compiled_free(oa_compiled *c)
{
    if (!c)
        return;
    xapc_query_free(c->strict);
    xapc_query_free(c->loose);
    xapc_query_free(c->places);
    for (size_t i = 0; i < c->n_units; i++) {
        oa_unit *u = &c->units[i];
        free(u->label);
        free(u->of);
        xapc_query_free(u->q);
        xapc_query_free(u->title_q);
        for (size_t j = 0; j < u->n_terms; j++)
            free(u->terms[j]);
        free(u->terms);
        free(u->pat);
    }
    free(c->units);
    for (size_t i = 0; i < c->n_places; i++) {
        free(c->place[i].word);
        free(c->place[i].commune);
    }
    free(c->place);
    for (size_t i = 0; i < c->n_synonyms; i++) {
        free(c->synonym[i].word);
        free(c->synonym[i].synonym);
    }
    free(c->synonym);
    for (size_t i = 0; i < c->n_unknown; i++)
        free(c->unknown[i].plain);
    free(c->unknown);
    oa_notices_free(&c->notices);
    memset(c, 0, sizeof *c);
}
