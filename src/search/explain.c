/* What a search tells about itself: the query as read (its notice, the
 * places and synonyms it used) and, with explain, what each hit matched.
 * Each unit's query is run over the page's documents only
 * (xapc_db_weigh()), which gives its part of each hit's score. */
#include "search/explain.h"

#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "search/results.h"
#include "util/buf.h"
#include "util/error.h"

static const oasis_match_kind match_kind[] = {
    [OA_UNIT_WORD] = OASIS_MATCH_WORD,       [OA_UNIT_PHRASE] = OASIS_MATCH_PHRASE,
    [OA_UNIT_PREFIX] = OASIS_MATCH_PREFIX,   [OA_UNIT_SYNONYM] = OASIS_MATCH_SYNONYM,
    [OA_UNIT_PLACE] = OASIS_MATCH_PLACE,     [OA_UNIT_CATEGORY] = OASIS_MATCH_CATEGORY};

/* 1 when some term of u occurs in the text of document docid (a title
 * word is counted OA_TITLE_WDF times, once more in its S copy). */
static int in_text(xapc_db *db, const oa_unit *u, unsigned docid)
{
    oa_buf st = OA_BUF_INIT;
    int found = 0;
    for (size_t i = 0; i < u->n_terms && !found; i++) {
        unsigned wdf = 0, twdf = 0;
        oa_buf_reset(&st);
        if (oa_buf_puts(&st, OA_PREFIX_TITLE) || oa_buf_puts(&st, u->terms[i]))
            break;
        if (xapc_db_doc_wdf(db, docid, u->terms[i], strlen(u->terms[i]), &wdf) ||
            xapc_db_doc_wdf(db, docid, st.data, st.len, &twdf))
            break;
        found = wdf > twdf * OA_TITLE_WDF;
    }
    oa_buf_free(&st);
    return found;
}

int oa_explain(xapc_db *db, const oa_compiled *c, double boost, oasis_results *r)
{
    size_t n = r->count;
    if (!n)
        return 0;
    unsigned *ids = calloc(n, sizeof *ids);
    double *w = calloc(n, sizeof *w), *tw = calloc(n, sizeof *tw);
    int *hit = calloc(n, sizeof *hit), *thit = calloc(n, sizeof *thit);
    int rc = ids && w && tw && hit && thit ? 0 : oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++) {
        ids[i] = r->store[i].docid;
        if (!(r->store[i].matches = calloc(c->n_units ? c->n_units : 1, sizeof(oasis_match))))
            rc = oa_error(OASIS_ENOMEM, "out of memory");
        r->hits[i].matches = r->store[i].matches;
    }
    for (size_t k = 0; k < c->n_units && !rc; k++) {
        const oa_unit *u = &c->units[k];
        if (!u->q)
            continue;
        rc = xapc_db_weigh(db, u->q, ids, n, w, hit);
        for (size_t i = 0; i < n; i++)
            thit[i] = 0;
        if (!rc && u->title_q)
            rc = xapc_db_weigh(db, u->title_q, ids, n, tw, thit);
        const char *label = rc ? NULL : oa_results_keep(r, u->label);
        const char *of = rc || !u->of ? NULL : oa_results_keep(r, u->of);
        if (!rc && (!label || (u->of && !of)))
            rc = OASIS_ENOMEM;
        for (size_t i = 0; i < n && !rc; i++) {
            if (!hit[i])
                continue;
            oasis_hit *h = &r->hits[i];
            oasis_match *m = &r->store[i].matches[h->n_matches++];
            m->kind = match_kind[u->kind];
            m->query = label;
            m->of = of;
            m->in_title = thit[i];
            m->in_text = u->kind != OA_UNIT_PLACE && !u->title_only && in_text(db, u, ids[i]);
            /* A category named weighs where the loose query ranks: not in
             * the first group, ranked by the words, unless places rank it. */
            int unranked = u->kind == OA_UNIT_CATEGORY && h->all_terms && !c->places;
            m->weight = u->kind == OA_UNIT_PLACE ? boost : unranked ? 0 : w[i];
        }
    }
    free(ids);
    free(w);
    free(tw);
    free(hit);
    free(thit);
    return rc;
}

int oa_describe_query(const oa_compiled *c, oasis_results *r)
{
    if (oa_notices_copy(&r->notices, &c->notices))
        return OASIS_ENOMEM;
    if (c->n_places && !(r->places = calloc(c->n_places, sizeof *r->places)))
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_places; i++) {
        oasis_place *p = &r->places[r->n_places];
        p->departement = c->place[i].dept;
        p->region = c->place[i].region;
        if (!(p->word = oa_results_keep(r, c->place[i].word)) ||
            (c->place[i].commune && !(p->commune = oa_results_keep(r, c->place[i].commune))))
            return OASIS_ENOMEM;
        r->n_places++;
    }
    if (c->n_synonyms && !(r->synonyms = calloc(c->n_synonyms, sizeof *r->synonyms)))
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_synonyms; i++) {
        oasis_synonym *y = &r->synonyms[r->n_synonyms];
        if (!(y->word = oa_results_keep(r, c->synonym[i].word)) ||
            !(y->synonym = oa_results_keep(r, c->synonym[i].synonym)))
            return OASIS_ENOMEM;
        r->n_synonyms++;
    }
    return 0;
}
