/* The results object: its page of hits, each resolved from the stored
 * data of its document, and the accessors of oasis.h. */
#include "search/results.h"

#include <stdlib.h>
#include <string.h>

#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/error.h"
#include "util/vec.h"

oasis_results *oa_results_new(void)
{
    oasis_results *r = calloc(1, sizeof *r);
    if (!r)
        oa_error(OASIS_ENOMEM, "out of memory");
    return r;
}

const char *oa_results_keep(oasis_results *r, const char *s)
{
    char *copy = s ? oa_strdup(s) : NULL;
    if (copy && OA_VEC_PUSH(&r->strings, copy)) {
        free(copy);
        copy = NULL;
    }
    return copy;
}

/* Room for extra more hits. */
static int grow_results(oasis_results *r, size_t extra)
{
    int rc = oa_grow(&r->hits, &r->hits_cap, r->count + extra, sizeof *r->hits);
    if (!rc)
        rc = oa_grow(&r->store, &r->store_cap, r->count + extra, sizeof *r->store);
    return rc;
}

static void clear_store(oa_hit_store *st)
{
    oa_docdata_clear(&st->data);
    free(st->depts);
    free(st->regions);
    free(st->categories);
    oa_snippet_free(&st->snippet);
    free(st->matches);
}

/* Resolves the codes and slugs of a hit's stored data to static entries. */
static int resolve_hit(oa_hit_store *st, oasis_hit *h)
{
    size_t nd = st->data.n_departements, nc = st->data.n_categories;
    st->depts = calloc(nd ? nd : 1, sizeof *st->depts);
    st->regions = calloc(nd ? nd : 1, sizeof *st->regions);
    st->categories = calloc(nc ? nc : 1, sizeof *st->categories);
    if (!st->depts || !st->regions || !st->categories)
        return oa_error(OASIS_ENOMEM, "out of memory");
    h->n_departements = h->n_regions = h->n_categories = 0;
    for (size_t j = 0; j < nd; j++) {
        /* Stored codes are canonical: the exact lookup, no folding. */
        const char *code = st->data.departements[j];
        const oasis_departement *d = oa_departement_by_code(code, strlen(code));
        if (!d)
            continue;
        st->depts[h->n_departements++] = d;
        const oasis_region *reg = oa_region_by_code(d->region_code, strlen(d->region_code));
        size_t k = 0;
        while (k < h->n_regions && st->regions[k] != reg)
            k++;
        if (reg && k == h->n_regions)
            st->regions[h->n_regions++] = reg;
    }
    for (size_t j = 0; j < nc; j++) {
        const oasis_category *c = oa_category_find(st->data.categories[j]);
        if (c)
            st->categories[h->n_categories++] = c;
    }
    h->departements = st->depts;
    h->regions = st->regions;
    h->categories = st->categories;
    return 0;
}

int oa_results_add_hits(oasis_results *r, const xapc_mset *m, size_t first_rank, int all_terms)
{
    size_t n = xapc_mset_size(m);
    int rc = grow_results(r, n);
    for (size_t i = 0; i < n && !rc; i++) {
        size_t len;
        const char *json = xapc_mset_data(m, i, &len);
        oa_hit_store *st = &r->store[r->count];
        oasis_hit *h = &r->hits[r->count];
        memset(st, 0, sizeof *st);
        if ((rc = oa_docdata_decode(json, len, &st->data))) {
            clear_store(st);
            break;
        }
        st->docid = xapc_mset_docid(m, i);
        memset(h, 0, sizeof *h);
        if ((rc = resolve_hit(st, h))) {
            clear_store(st);
            break;
        }
        h->rank = first_rank + i;
        h->score = xapc_mset_weight(m, i);
        h->all_terms = all_terms;
        h->all_words = all_terms;
        h->id = st->data.id;
        h->title = st->data.title;
        h->text = st->data.text;
        h->source_file = st->data.source_file;
        h->source_line = st->data.source_line;
        r->count++;
    }
    return rc;
}

size_t oasis_results_hit_count(const oasis_results *r)
{
    return r->count;
}

size_t oasis_results_total(const oasis_results *r)
{
    return r->total;
}

int oasis_results_total_exact(const oasis_results *r)
{
    return r->total_exact;
}

const oasis_hit *oasis_results_hit_at(const oasis_results *r, size_t i)
{
    return i < r->count ? &r->hits[i] : NULL;
}

size_t oasis_results_facet_count(const oasis_results *r, oasis_facet facet)
{
    return (unsigned)facet < OA_N_FACETS ? r->facets[facet].n : 0;
}

const oasis_facet_value *oasis_results_facet_at(const oasis_results *r, oasis_facet facet, size_t i)
{
    if ((unsigned)facet >= OA_N_FACETS || i >= r->facets[facet].n)
        return NULL;
    return &r->facets[facet].v[i];
}

const char *oasis_results_notice(const oasis_results *r)
{
    return r->notices.line;
}

size_t oasis_results_notice_count(const oasis_results *r)
{
    return r->notices.n;
}

const oasis_notice *oasis_results_notice_at(const oasis_results *r, size_t i)
{
    return i < r->notices.n ? &r->notices.v[i] : NULL;
}

const char *oasis_results_suggestion(const oasis_results *r)
{
    return r->suggestion;
}

int oasis_results_corrected(const oasis_results *r)
{
    return r->corrected;
}

size_t oasis_results_place_count(const oasis_results *r)
{
    return r->n_places;
}

const oasis_place *oasis_results_place_at(const oasis_results *r, size_t i)
{
    return i < r->n_places ? &r->places[i] : NULL;
}

size_t oasis_results_synonym_count(const oasis_results *r)
{
    return r->n_synonyms;
}

const oasis_synonym *oasis_results_synonym_at(const oasis_results *r, size_t i)
{
    return i < r->n_synonyms ? &r->synonyms[i] : NULL;
}

void oasis_results_free(oasis_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++)
        clear_store(&r->store[i]);
    for (int f = 0; f < OA_N_FACETS; f++)
        free(r->facets[f].v);
    free(r->hits);
    free(r->store);
    oa_notices_free(&r->notices);
    free(r->places);
    free(r->synonyms);
    free(r->suggestion);
    for (size_t i = 0; i < r->strings.n; i++)
        free(r->strings.v[i]);
    free(r->strings.v);
    free(r);
}
