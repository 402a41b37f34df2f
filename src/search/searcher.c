/* oasis_searcher: ranked search over an index, two tiers (all words, then
 * some words), BM25 within each, with département filters. */
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "index/docdata.h"
#include "index/schema.h"
#include "oasis.h"
#include "search/query.h"
#include "taxonomy/departements.h"
#include "util/error.h"
#include "xapian/xapc.h"

#define DEFAULT_LIMIT 10

struct oasis_searcher {
    xapc_db *db;
    oa_analyzer *analyzer;
};

typedef struct hit_store {
    oa_docdata data;
    const oasis_departement **depts;
} hit_store;

struct oasis_results {
    size_t total;
    size_t count;
    oasis_hit *hits;
    hit_store *store;
};

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

/* The département filter of opts as an OR of XD terms; *out stays NULL when
 * opts names none. An unknown département is OASIS_EINVAL. */
static int dept_filter(const oasis_search_options *o, xapc_query **out)
{
    *out = NULL;
    if (!o->n_departements)
        return 0;
    const char **codes = calloc(o->n_departements, sizeof *codes);
    if (!codes)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < o->n_departements && !rc; i++) {
        const oasis_departement *d = oasis_departement_find(o->departements[i]);
        if (!d)
            rc = oa_error(OASIS_EINVAL,
                          "unknown département '%s' (valid codes and names: corpus/departements.tsv)",
                          o->departements[i]);
        else
            codes[i] = d->code;
    }
    if (!rc && !(*out = oa_query_filter(OA_PREFIX_DEPT, codes, o->n_departements)))
        rc = OASIS_ENOMEM;
    free(codes);
    return rc;
}

/* q filtered by filter (when there is one); frees q. */
static xapc_query *apply_filter(xapc_query *q, const xapc_query *filter)
{
    if (!q || !filter)
        return q;
    xapc_query *subs[2] = {q, (xapc_query *)filter};
    xapc_query *f = xapc_query_combine(XAPC_FILTER, subs, 2, 0);
    xapc_query_free(q);
    return f;
}

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

/* Appends the matches of m to the page. */
static int take_hits(oasis_results *r, const xapc_mset *m, size_t first_rank, int all_terms)
{
    size_t n = xapc_mset_size(m);
    int rc = grow_results(r, n);
    for (size_t i = 0; i < n && !rc; i++) {
        size_t len;
        const char *json = xapc_mset_data(m, i, &len);
        hit_store *st = &r->store[r->count];
        memset(st, 0, sizeof *st);
        if ((rc = oa_docdata_decode(json, len, &st->data)))
            break;
        st->depts = calloc(st->data.n_departements ? st->data.n_departements : 1,
                           sizeof *st->depts);
        if (!st->depts) {
            oa_docdata_clear(&st->data);
            rc = oa_error(OASIS_ENOMEM, "out of memory");
            break;
        }
        size_t nd = 0;
        for (size_t j = 0; j < st->data.n_departements; j++) {
            const oasis_departement *d = oasis_departement_find(st->data.departements[j]);
            if (d)
                st->depts[nd++] = d;
        }
        oasis_hit *h = &r->hits[r->count];
        h->rank = first_rank + i;
        h->score = xapc_mset_weight(m, i);
        h->all_terms = all_terms;
        h->id = st->data.id;
        h->title = st->data.title;
        h->text = st->data.text;
        h->source_file = st->data.source_file;
        h->source_line = st->data.source_line;
        h->n_departements = nd;
        h->departements = st->depts;
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

int oasis_search(oasis_searcher *s, const char *query, const oasis_search_options *opts,
                 oasis_results **out)
{
    static const oasis_search_options defaults = OASIS_SEARCH_OPTIONS_INIT;
    *out = NULL;
    const oasis_search_options *o = opts ? opts : &defaults;
    if (o->version != OASIS_SEARCH_OPTIONS_VERSION)
        return oa_error(OASIS_EINVAL, "search options version %u is not supported", o->version);
    size_t limit = o->limit ? o->limit : DEFAULT_LIMIT;

    oa_query_terms terms;
    xapc_query *filter = NULL, *all = NULL, *some = NULL;
    oasis_results *r = calloc(1, sizeof *r);
    if (!r)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = oa_query_terms_parse(s->analyzer, query ? query : "", &terms);
    if (rc) {
        free(r);
        return rc;
    }
    if ((rc = dept_filter(o, &filter)))
        goto done;

    if (terms.n == 0) {
        /* No words: with a filter, browse what it keeps; else nothing. */
        if (filter && !(all = apply_filter(xapc_query_match_all(), filter)))
            rc = OASIS_ENOMEM;
    } else {
        if (!(all = apply_filter(oa_query_terms_combine(&terms, XAPC_AND), filter)))
            rc = OASIS_ENOMEM;
        if (!rc && terms.n > 1) {
            /* Second tier: some words but not all, after every full match. */
            xapc_query *any = apply_filter(oa_query_terms_combine(&terms, XAPC_OR), filter);
            xapc_query *subs[2] = {any, all};
            if (!any || !(some = xapc_query_combine(XAPC_AND_NOT, subs, 2, 0)))
                rc = OASIS_ENOMEM;
            xapc_query_free(any);
        }
    }
    size_t n_all = 0, n_some = 0;
    if (!rc && all)
        rc = run_tier(s, all, o->offset, limit, o->offset + 1, 1, r, &n_all);
    if (!rc && some) {
        size_t offset = o->offset > n_all ? o->offset - n_all : 0;
        rc = run_tier(s, some, offset, limit - r->count, o->offset + r->count + 1, 0, r,
                      &n_some);
    }
    r->total = n_all + n_some;
done:
    oa_query_terms_free(&terms);
    xapc_query_free(filter);
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

void oasis_results_free(oasis_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        oa_docdata_clear(&r->store[i].data);
        free(r->store[i].depts);
    }
    free(r->hits);
    free(r->store);
    free(r);
}
