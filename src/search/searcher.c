/* oasis_searcher: ranked search over an index in two tiers (all words, then
 * some words), BM25 within each, with département, région and category
 * filters and exact, disjunctive facet counts. */
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "index/docdata.h"
#include "index/schema.h"
#include "oasis.h"
#include "search/query.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/error.h"
#include "xapian/xapc.h"

#define N_FACETS 3

struct oasis_searcher {
    xapc_db *db;
    oa_analyzer *analyzer;
};

/* What one hit's borrowed pointers point into. */
typedef struct hit_store {
    oa_docdata data;
    const oasis_departement **depts;
    const oasis_region **regions;
    const oasis_category **categories;
} hit_store;

typedef struct facet_values {
    oasis_facet_value *v;
    size_t n, cap;
} facet_values;

struct oasis_results {
    size_t total;
    size_t count;
    oasis_hit *hits;
    hit_store *store;
    facet_values facets[N_FACETS];
};

/* Per facet: its value slot and term prefix, in oasis_facet order. */
static const unsigned facet_slot[N_FACETS] = {OA_SLOT_DEPTS, OA_SLOT_REGIONS, OA_SLOT_CATEGORIES};

static int check_index_versions(xapc_db *db, const char *path)
{
    char *analyzer = NULL, *schema = NULL;
    size_t len;
    int rc = xapc_db_get_metadata(db, OA_META_ANALYZER, &analyzer, &len);
    if (!rc)
        rc = xapc_db_get_metadata(db, OA_META_SCHEMA, &schema, &len);
    if (!rc && (strcmp(analyzer, OA_ANALYZER_VERSION) || strcmp(schema, OA_SCHEMA_VERSION)) &&
        (*analyzer || *schema || xapc_db_doc_count(db) > 0))
        rc = oa_error(OASIS_EVERSION,
                      "%s was written by analyzer '%s' schema '%s'; this oasis reads analyzer "
                      "'%s' schema '%s': rebuild it with oasis-index",
                      path, *analyzer ? analyzer : "none", *schema ? schema : "none",
                      OA_ANALYZER_VERSION, OA_SCHEMA_VERSION);
    free(analyzer);
    free(schema);
    return rc;
}

int oasis_searcher_open(oasis_searcher **out, const char *path)
{
    *out = NULL;
    if (!path || !*path)
        return oa_error(OASIS_EINVAL, "no index path given");
    int rc = oa_departements_init();
    if (!rc)
        rc = oa_categories_init();
    if (rc)
        return rc;
    oasis_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return oa_error(OASIS_ENOMEM, "out of memory");
    rc = xapc_db_open(&s->db, path);
    if (rc == OASIS_ENOTFOUND)
        oa_error(rc, "no index at %s: build one with oasis-index", path);
    if (!rc)
        rc = check_index_versions(s->db, path);
    if (!rc)
        rc = oa_analyzer_new(&s->analyzer);
    if (rc) {
        oasis_searcher_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

size_t oasis_searcher_doc_count(const oasis_searcher *s)
{
    return xapc_db_doc_count(s->db);
}

void oasis_searcher_free(oasis_searcher *s)
{
    if (!s)
        return;
    xapc_db_free(s->db);
    oa_analyzer_free(s->analyzer);
    free(s);
}

/* ---- filters ---- */

/* The code (or slug) of a filter value, or NULL with the error set. */
static const char *filter_value(oasis_facet f, const char *v)
{
    if (f == OASIS_FACET_DEPARTEMENT) {
        const oasis_departement *d = oasis_departement_find(v);
        if (!d)
            oa_error(OASIS_EINVAL,
                     "unknown département '%s' (valid codes and names: corpus/departements.tsv)", v);
        return d ? d->code : NULL;
    }
    if (f == OASIS_FACET_REGION) {
        const oasis_region *r = oasis_region_find(v);
        if (!r)
            oa_error(OASIS_EINVAL,
                     "unknown région '%s' (valid codes and names: corpus/departements.tsv)", v);
        return r ? r->code : NULL;
    }
    const oasis_category *c = oa_category_find(v);
    if (!c)
        oa_error(OASIS_EINVAL, "unknown category '%s' (valid slugs: corpus/categories.tsv)", v);
    return c ? c->slug : NULL;
}

/* The filter of one facet: an OR of its prefixed terms; *out stays NULL
 * when the facet has none. */
static int facet_filter(oasis_facet f, const char *const *values, size_t n, xapc_query **out)
{
    static const char *const prefix[N_FACETS] = {OA_PREFIX_DEPT, OA_PREFIX_REGION,
                                                 OA_PREFIX_CATEGORY};
    *out = NULL;
    if (!n)
        return 0;
    const char **codes = calloc(n, sizeof *codes);
    if (!codes)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        if (!(codes[i] = filter_value(f, values[i])))
            rc = OASIS_EINVAL;
    if (!rc && !(*out = oa_query_filter(prefix[f], codes, n)))
        rc = OASIS_ENOMEM;
    free(codes);
    return rc;
}

/* q kept to what every filter in filters[0..N_FACETS) but skip allows
 * (skip = N_FACETS: all of them). A new query; q is not freed. */
static xapc_query *filtered(const xapc_query *q, xapc_query *const *filters, int skip)
{
    xapc_query *subs[1 + N_FACETS] = {(xapc_query *)q};
    size_t n = 1;
    for (int f = 0; f < N_FACETS; f++)
        if (filters[f] && f != skip)
            subs[n++] = filters[f];
    return xapc_query_combine(n > 1 ? XAPC_FILTER : XAPC_AND, subs, n, 0);
}

/* ---- hits ---- */

static int grow_results(oasis_results *r, size_t extra)
{
    oasis_hit *hits = realloc(r->hits, (r->count + extra) * sizeof *hits);
    if (!hits)
        return oa_error(OASIS_ENOMEM, "out of memory");
    r->hits = hits;
    hit_store *store = realloc(r->store, (r->count + extra) * sizeof *store);
    if (!store)
        return oa_error(OASIS_ENOMEM, "out of memory");
    r->store = store;
    return 0;
}

static void clear_store(hit_store *st)
{
    oa_docdata_clear(&st->data);
    free(st->depts);
    free(st->regions);
    free(st->categories);
}

/* Resolves the codes and slugs of a hit's stored data to static entries. */
static int resolve_hit(hit_store *st, oasis_hit *h)
{
    size_t nd = st->data.n_departements, nc = st->data.n_categories;
    st->depts = calloc(nd ? nd : 1, sizeof *st->depts);
    st->regions = calloc(nd ? nd : 1, sizeof *st->regions);
    st->categories = calloc(nc ? nc : 1, sizeof *st->categories);
    if (!st->depts || !st->regions || !st->categories)
        return oa_error(OASIS_ENOMEM, "out of memory");
    h->n_departements = h->n_regions = h->n_categories = 0;
    for (size_t j = 0; j < nd; j++) {
        const oasis_departement *d = oasis_departement_find(st->data.departements[j]);
        if (!d)
            continue;
        st->depts[h->n_departements++] = d;
        const oasis_region *reg = oasis_region_find(d->region_code);
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

/* Appends the matches of m to the page. */
static int take_hits(oasis_results *r, const xapc_mset *m, size_t first_rank, int all_terms)
{
    size_t n = xapc_mset_size(m);
    int rc = grow_results(r, n);
    for (size_t i = 0; i < n && !rc; i++) {
        size_t len;
        const char *json = xapc_mset_data(m, i, &len);
        hit_store *st = &r->store[r->count];
        oasis_hit *h = &r->hits[r->count];
        memset(st, 0, sizeof *st);
        if ((rc = oa_docdata_decode(json, len, &st->data)) || (rc = resolve_hit(st, h))) {
            clear_store(st);
            break;
        }
        h->rank = first_rank + i;
        h->score = xapc_mset_weight(m, i);
        h->all_terms = all_terms;
        h->id = st->data.id;
        h->title = st->data.title;
        h->text = st->data.text;
        h->source_file = st->data.source_file;
        h->source_line = st->data.source_line;
        r->count++;
    }
    return rc;
}

/* Runs q for the page window still open and adds its matches; *total gets
 * every match of q. */
static int run_tier(oasis_searcher *s, const xapc_query *q, size_t offset, size_t limit,
                    size_t first_rank, int all_terms, oasis_results *r, size_t *total)
{
    xapc_mset *m;
    int rc = xapc_db_search(s->db, q, offset, limit, NULL, 0, &m);
    if (rc)
        return rc;
    *total = xapc_mset_total(m);
    rc = take_hits(r, m, first_rank, all_terms);
    xapc_mset_free(m);
    return rc;
}

/* ---- facets ---- */

/* The static code (or slug) and name (or label) of a facet value; 0 when
 * the tables do not know it. */
static int facet_lookup(oasis_facet f, const char *key, const char **code, const char **name)
{
    if (f == OASIS_FACET_DEPARTEMENT) {
        const oasis_departement *d = oa_departement_find(key, strlen(key));
        if (d)
            *code = d->code, *name = d->name;
        return d != NULL;
    }
    if (f == OASIS_FACET_REGION) {
        const oasis_region *reg = oa_region_find(key, strlen(key));
        if (reg)
            *code = reg->code, *name = reg->name;
        return reg != NULL;
    }
    const oasis_category *c = oa_category_find(key);
    if (c)
        *code = c->slug, *name = c->label;
    return c != NULL;
}

/* Adds count to the value named by key[0..len) (a code or slug). Values
 * the tables do not know are left out. */
static int facet_add(facet_values *fv, oasis_facet f, const char *key, size_t len, size_t count)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, key, len);
    buf[len] = '\0';
    const char *value, *name;
    if (!facet_lookup(f, buf, &value, &name))
        return 0;
    for (size_t i = 0; i < fv->n; i++) {
        if (fv->v[i].value == value) {
            fv->v[i].count += count;
            return 0;
        }
    }
    if (fv->n == fv->cap) {
        size_t cap = fv->cap ? fv->cap * 2 : 16;
        oasis_facet_value *v = realloc(fv->v, cap * sizeof *v);
        if (!v)
            return oa_error(OASIS_ENOMEM, "out of memory");
        fv->v = v;
        fv->cap = cap;
    }
    fv->v[fv->n++] = (oasis_facet_value){value, name, count};
    return 0;
}

static int by_count_then_value(const void *a, const void *b)
{
    const oasis_facet_value *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* Counts facet f from spy index spy of m: each stored value is a ','-joined
 * list, so "54,88" counts once for 54 and once for 88. */
static int collect_facet(oasis_results *r, oasis_facet f, const xapc_mset *m, size_t spy)
{
    facet_values *fv = &r->facets[f];
    int rc = 0;
    for (size_t j = 0; j < xapc_mset_facet_size(m, spy) && !rc; j++) {
        size_t len, count;
        const char *joined = xapc_mset_facet(m, spy, j, &len, &count);
        size_t start = 0;
        for (size_t i = 0; i <= len && !rc; i++) {
            if (i == len || joined[i] == ',') {
                rc = facet_add(fv, f, joined + start, i - start, count);
                start = i + 1;
            }
        }
    }
    if (!rc)
        qsort(fv->v, fv->n, sizeof *fv->v, by_count_then_value);
    return rc;
}

/* Facet counts over every match of q. A facet without a filter is counted
 * under all filters, in one pass; a facet with one is counted in a pass of
 * its own without it (disjunctive counts). */
static int count_facets(oasis_searcher *s, const xapc_query *q, xapc_query *const *filters,
                        oasis_results *r)
{
    unsigned slots[N_FACETS];
    oasis_facet which[N_FACETS];
    size_t n = 0;
    for (int f = 0; f < N_FACETS; f++)
        if (!filters[f]) {
            slots[n] = facet_slot[f];
            which[n++] = (oasis_facet)f;
        }
    int rc = 0;
    for (int pass = -1; pass < N_FACETS && !rc; pass++) {
        if (pass >= 0 && !filters[pass])
            continue;
        if (pass < 0 && n == 0)
            continue;
        xapc_query *fq = filtered(q, filters, pass < 0 ? N_FACETS : pass);
        if (!fq)
            return OASIS_ENOMEM;
        unsigned one = pass < 0 ? 0 : facet_slot[pass];
        xapc_mset *m;
        rc = xapc_db_search(s->db, fq, 0, 0, pass < 0 ? slots : &one, pass < 0 ? n : 1, &m);
        xapc_query_free(fq);
        if (rc)
            return rc;
        if (pass < 0)
            for (size_t i = 0; i < n && !rc; i++)
                rc = collect_facet(r, which[i], m, i);
        else
            rc = collect_facet(r, (oasis_facet)pass, m, 0);
        xapc_mset_free(m);
    }
    return rc;
}

/* ---- search ---- */

int oasis_search(oasis_searcher *s, const char *query, const oasis_search_options *opts,
                 oasis_results **out)
{
    static const oasis_search_options defaults = OASIS_SEARCH_OPTIONS_INIT;
    *out = NULL;
    const oasis_search_options *o = opts ? opts : &defaults;
    if (o->version != OASIS_SEARCH_OPTIONS_VERSION)
        return oa_error(OASIS_EINVAL, "search options version %u is not supported", o->version);
    size_t limit = o->limit;

    oa_query_terms terms;
    xapc_query *filters[N_FACETS] = {NULL, NULL, NULL};
    xapc_query *any = NULL, *all = NULL, *some = NULL;
    oasis_results *r = calloc(1, sizeof *r);
    if (!r)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = oa_query_terms_parse(s->analyzer, query ? query : "", &terms);
    if (rc) {
        free(r);
        return rc;
    }
    if ((rc = facet_filter(OASIS_FACET_DEPARTEMENT, o->departements, o->n_departements,
                           &filters[OASIS_FACET_DEPARTEMENT])) ||
        (rc = facet_filter(OASIS_FACET_REGION, o->regions, o->n_regions,
                           &filters[OASIS_FACET_REGION])) ||
        (rc = facet_filter(OASIS_FACET_CATEGORY, o->categories, o->n_categories,
                           &filters[OASIS_FACET_CATEGORY])))
        goto done;

    /* any: every initiative that matches at all (no words: all of them). */
    any = terms.n ? oa_query_terms_combine(&terms, XAPC_OR) : xapc_query_match_all();
    xapc_query *every = terms.n ? oa_query_terms_combine(&terms, XAPC_AND) : NULL;
    if (!any || (terms.n && !every)) {
        xapc_query_free(every);
        rc = OASIS_ENOMEM;
        goto done;
    }
    /* First tier: all the words; second: some but not all. */
    all = filtered(terms.n ? every : any, filters, N_FACETS);
    if (all && terms.n > 1) {
        xapc_query *any_f = filtered(any, filters, N_FACETS);
        xapc_query *subs[2] = {any_f, all};
        some = any_f ? xapc_query_combine(XAPC_AND_NOT, subs, 2, 0) : NULL;
        xapc_query_free(any_f);
        if (!some)
            rc = OASIS_ENOMEM;
    }
    xapc_query_free(every);
    if (!all)
        rc = OASIS_ENOMEM;

    size_t n_all = 0, n_some = 0;
    if (!rc)
        rc = run_tier(s, all, o->offset, limit, o->offset + 1, 1, r, &n_all);
    if (!rc && some) {
        size_t offset = o->offset > n_all ? o->offset - n_all : 0;
        rc = run_tier(s, some, offset, limit - r->count, o->offset + r->count + 1, 0, r,
                      &n_some);
    }
    r->total = n_all + n_some;
    if (!rc && o->facets)
        rc = count_facets(s, any, filters, r);
done:
    oa_query_terms_free(&terms);
    for (int f = 0; f < N_FACETS; f++)
        xapc_query_free(filters[f]);
    xapc_query_free(any);
    xapc_query_free(all);
    xapc_query_free(some);
    if (rc) {
        oasis_results_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

size_t oasis_results_count(const oasis_results *r)
{
    return r->count;
}

size_t oasis_results_total(const oasis_results *r)
{
    return r->total;
}

const oasis_hit *oasis_results_hit(const oasis_results *r, size_t i)
{
    return i < r->count ? &r->hits[i] : NULL;
}

size_t oasis_results_facet_size(const oasis_results *r, oasis_facet facet)
{
    return (unsigned)facet < N_FACETS ? r->facets[facet].n : 0;
}

const oasis_facet_value *oasis_results_facet(const oasis_results *r, oasis_facet facet, size_t i)
{
    if ((unsigned)facet >= N_FACETS || i >= r->facets[facet].n)
        return NULL;
    return &r->facets[facet].v[i];
}

void oasis_results_free(oasis_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++)
        clear_store(&r->store[i]);
    for (int f = 0; f < N_FACETS; f++)
        free(r->facets[f].v);
    free(r->hits);
    free(r->store);
    free(r);
}
