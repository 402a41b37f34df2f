/* oasis_searcher: an open index, and oasis_search(), which runs a search
 * step by step, each step in its file: the options (options.c) and their
 * filters (filters.c); the query compiled (compile.c) or made from an
 * initiative (like.c); a spelling suggestion (suggest.c); the two tiers of
 * the ranking (tiers.c) into fresh results (results.c, with facets.c);
 * the suggestion searched instead when the query found nothing; then
 * snippets (highlight.c) and explanations (explain.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analyzer.h"
#include "index/schema.h"
#include "oasis.h"
#include "search/compile.h"
#include "search/complete.h"
#include "search/explain.h"
#include "search/filters.h"
#include "search/highlight.h"
#include "search/like.h"
#include "search/options.h"
#include "search/reasons.h"
#include "search/results.h"
#include "search/snippet.h"
#include "search/suggest.h"
#include "search/synonyms.h"
#include "search/tiers.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "search/ranking.h"
#include "util/buf.h"
#include "util/error.h"
#include "xapian/xapc.h"

struct oasis_searcher {
    xapc_db *db;
    oa_analyzer *analyzer;
    oa_snippet_cache *snippets; /* words of hit texts already read */
    char *path;                 /* as opened, for messages and synonyms.tsv */
    oa_classifier *classifier;  /* category reasons, made on first use */
    oa_thesaurus *thesaurus;    /* oasis_searcher_load_synonyms(), or NULL */
};

/* The analyzer and schema versions of shard i of db (the index path). */
static int check_shard_versions(xapc_db *db, const char *path, size_t i)
{
    char *analyzer = NULL, *schema = NULL;
    size_t len;
    const char *name = xapc_db_shard_name(db, i);
    int own = xapc_db_shard_count(db) == 1 && !strcmp(name, path);
    int rc = xapc_db_shard_metadata(db, i, OA_META_ANALYZER, &analyzer, &len);
    if (!rc)
        rc = xapc_db_shard_metadata(db, i, OA_META_SCHEMA, &schema, &len);
    if (!rc && (strcmp(analyzer, OA_ANALYZER_VERSION) || strcmp(schema, OA_SCHEMA_VERSION)) &&
        (*analyzer || *schema || xapc_db_shard_doc_count(db, i) > 0))
        rc = oa_error(OASIS_EVERSION,
                      "%s%s%s was written by analyzer '%s' schema '%s'; this liboasis reads "
                      "analyzer '%s' schema '%s': rebuild the index (remove it, then index its "
                      "sources again)",
                      path, own ? "" : ": shard ", own ? "" : name,
                      *analyzer ? analyzer : "none", *schema ? schema : "none",
                      OA_ANALYZER_VERSION, OA_SCHEMA_VERSION);
    free(analyzer);
    free(schema);
    return rc;
}

/* Every shard, not only the first: Xapian gives the first one's metadata
 * for the combined database. */
static int check_index_versions(xapc_db *db, const char *path)
{
    int rc = 0;
    for (size_t i = 0; i < xapc_db_shard_count(db) && !rc; i++)
        rc = check_shard_versions(db, path, i);
    return rc;
}

void oasis_searcher_options_init(oasis_searcher_options *opts)
{
    static const oasis_searcher_options init = OASIS_SEARCHER_OPTIONS_INIT;
    *opts = init;
}

int oasis_searcher_open(oasis_searcher **out, const char *path)
{
    return oasis_searcher_open_with(out, path, NULL);
}

int oasis_searcher_open_with(oasis_searcher **out, const char *path,
                             const oasis_searcher_options *opts)
{
    *out = NULL;
    if (!path || !*path)
        return oa_error(OASIS_EINVAL, "no index path given");
    if (opts && opts->version != OASIS_SEARCHER_OPTIONS_VERSION)
        return oa_error(OASIS_EINVAL, "searcher options of version %u; this liboasis reads %u",
                        opts->version, OASIS_SEARCHER_OPTIONS_VERSION);
    int rc = oa_departements_init();
    if (!rc)
        rc = oa_categories_init();
    if (rc)
        return rc;
    oasis_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return oa_error(OASIS_ENOMEM, "out of memory");
    s->path = oa_strdup(path);
    if (!s->path) {
        free(s);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    rc = xapc_db_open_timeout(&s->db, path, opts ? opts->timeout_ms : 0);
    /* A stub file's message says which database it names is missing. */
    if (rc == OASIS_ENOTFOUND && !xapc_is_stub(path))
        oa_error(rc, "no index at %s", path);
    if (!rc)
        xapc_db_set_rank_policy(s->db, &oa_rank_policy);
    if (!rc)
        rc = xapc_db_set_id_prefix(s->db, OA_PREFIX_ID);
    if (!rc)
        xapc_db_set_id_slot(s->db, OA_SLOT_ID);
    if (!rc)
        rc = check_index_versions(s->db, path);
    if (!rc)
        rc = oa_analyzer_new(&s->analyzer);
    if (!rc)
        rc = oa_snippet_cache_new(&s->snippets);
    if (rc) {
        oasis_searcher_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int oasis_searcher_reopen(oasis_searcher *s, int *changed)
{
    int c = 0;
    if (changed)
        *changed = 0;
    int rc = xapc_db_reopen(s->db, &c);
    if (!rc && c)
        rc = check_index_versions(s->db, s->path);
    if (!rc && changed)
        *changed = c;
    return rc;
}

int oasis_searcher_complete(oasis_searcher *s, const char *text, size_t max,
                            oasis_completions **out)
{
    return oa_complete(s->db, text, max, out);
}

int oasis_searcher_category_reasons(oasis_searcher *s, const oasis_hit *h, oasis_category_fn fn,
                                    void *userdata)
{
    return oa_category_reasons(&s->classifier, h, fn, userdata);
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
    oa_snippet_cache_free(s->snippets);
    oa_classifier_free(s->classifier);
    oa_thesaurus_free(s->thesaurus);
    free(s->path);
    free(s);
}

/* The synonyms.tsv of the directory that holds the index path, into b. */
static int synonyms_beside(const char *path, oa_buf *b)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--; /* "dir/oasis.db/" names dir/oasis.db */
    const char *slash = NULL;
    for (size_t i = 0; i < len; i++)
        if (path[i] == '/')
            slash = path + i;
    if (!slash)
        return oa_buf_printf(b, "%s", OA_SYNONYMS_FILE);
    return oa_buf_printf(b, "%.*s/%s", (int)(slash - path), path, OA_SYNONYMS_FILE);
}

/* A malformed line of a run-time thesaurus, when the caller wants no
 * warning: left out all the same (the built-in table, parsed without a
 * warning function, takes it as an error instead). */
static void ignore_warning(void *userdata, const char *file, long line, const char *message)
{
    (void)userdata, (void)file, (void)line, (void)message;
}

int oasis_searcher_load_synonyms(oasis_searcher *s, const char *path, oasis_warning_fn warn,
                                 void *userdata)
{
    if (!warn)
        warn = ignore_warning;
    oa_buf beside = OA_BUF_INIT;
    int rc = 0;
    if (!path) {
        if ((rc = synonyms_beside(s->path, &beside)) != 0)
            return rc;
        path = beside.data;
        if (access(path, F_OK) != 0) {
            oa_buf_free(&beside);
            return 0; /* none there: the built-in thesaurus */
        }
    }
    oa_thesaurus *t = NULL;
    rc = oa_thesaurus_load(path, warn, userdata, &t);
    if (!rc) {
        oa_thesaurus_free(s->thesaurus);
        s->thesaurus = t;
    }
    oa_buf_free(&beside);
    return rc;
}

/* Fresh results for the compiled query c: what the query was read as,
 * hits, totals and facets. *boost gets the place boost of its plan. */
static int search_compiled(oasis_searcher *s, const oa_compiled *c, const oasis_search_options *o,
                           xapc_query *const *filters, oasis_results **out, double *boost)
{
    *out = NULL;
    *boost = 0;
    oasis_results *r = oa_results_new();
    if (!r)
        return OASIS_ENOMEM;
    int rc = oa_describe_query(c, r);
    if (!rc)
        rc = oa_tiers_run(s->db, c, o, filters, r, boost);
    if (rc) {
        oasis_results_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* The query found nothing: the suggestion is searched, in fresh results.
 * When it finds something, those replace *r and its compiled query *c
 * (their places and synonyms are the suggestion's; the notice stays the
 * query's, whose columns it names) and say so; otherwise *r stays.
 * *useful is 0 when the suggestion finds nothing and names no place
 * either: it is no help. */
static int search_suggestion(oasis_searcher *s, const oa_compile_env *env, const char *suggestion,
                             const oasis_search_options *o, xapc_query *const *filters,
                             oa_compiled *c, oasis_results **r, double *boost, int *useful)
{
    oa_compiled c2;
    int rc = oa_compile(env, suggestion, &c2);
    *useful = 1;
    if (rc)
        return rc;
    oasis_results *r2 = NULL;
    double boost2 = 0;
    rc = search_compiled(s, &c2, o, filters, &r2, &boost2);
    if (!rc && r2->total == 0)
        *useful = c2.n_places > 0;
    if (rc || r2->total == 0) {
        oasis_results_free(r2);
        oa_compiled_free(&c2);
        return rc;
    }
    r2->corrected = 1;
    oa_notices kept = r2->notices;
    r2->notices = (*r)->notices;
    (*r)->notices = kept;
    oasis_results_free(*r);
    *r = r2;
    oa_compiled_free(c);
    *c = c2;
    *boost = boost2;
    return 0;
}

int oasis_search(oasis_searcher *s, const char *query, const oasis_search_options *opts,
                 oasis_results **out)
{
    *out = NULL;
    oasis_search_options o;
    int rc = oa_search_options_of(opts, &o);
    if (rc)
        return rc;
    if (!query)
        query = "";
    if (o.like && *query) {
        size_t i = 0;
        while (query[i] == ' ' || query[i] == '\t')
            i++;
        if (query[i])
            return oa_error(OASIS_EINVAL, "a search for initiatives like another takes no words");
    }
    xapc_query *filters[OA_N_FACETS];
    oa_compiled c;
    memset(&c, 0, sizeof c);
    char *suggestion = NULL;
    oasis_results *r = NULL;
    double boost = 0;
    if ((rc = oa_filters_of_options(&o, filters)))
        goto done;
    oa_compile_env env = {s->db, s->analyzer, o.synonyms, s->thesaurus, o.places, o.proximity};
    if (o.like)
        rc = oa_like_query(&env, o.like, &c);
    else
        rc = oa_compile(&env, query, &c);
    int no_spelling = 0;
    if (!rc && !o.like && o.suggest && c.n_unknown)
        rc = oa_suggest(s->db, s->analyzer, query, &c, &suggestion);
    /* Nothing suggested where there might have been: say why, if the
     * index cannot suggest at all. */
    if (!rc && !o.like && o.suggest && c.n_unknown && !suggestion)
        rc = oa_suggest_missing(s->db, &no_spelling);
    if (!rc)
        rc = search_compiled(s, &c, &o, filters, &r, &boost);
    if (!rc && no_spelling)
        rc = oa_notices_add(&r->notices, OASIS_NOTICE_NO_SPELLING_TABLE, NULL, 0, 0, 0);
    int useful = 1;
    if (!rc && r->total == 0 && suggestion)
        rc = search_suggestion(s, &env, suggestion, &o, filters, &c, &r, &boost, &useful);
    if (!useful) {
        free(suggestion);
        suggestion = NULL;
    }
    if (!rc) {
        r->suggestion = suggestion;
        suggestion = NULL;
    }
    if (!rc && o.snippet_bytes)
        rc = oa_highlight(s->snippets, s->analyzer, &c, o.snippet_bytes, r);
    if (!rc && o.explain)
        rc = oa_explain(s->db, &c, boost, r);
done:
    free(suggestion);
    oa_compiled_free(&c);
    oa_filters_free(filters);
    if (rc) {
        oasis_results_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* ---- One initiative by its id, and every id */

int oasis_searcher_get(oasis_searcher *s, const char *id, oasis_results **out)
{
    *out = NULL;
    if (!id || !*id)
        return oa_error(OASIS_EINVAL, "no id given");
    oa_buf term = OA_BUF_INIT;
    xapc_query *q = NULL;
    xapc_mset *m = NULL;
    oasis_results *r = NULL;
    int rc = oa_buf_printf(&term, "%s%s", OA_PREFIX_ID, id);
    if (!rc && !(q = xapc_query_term(term.data, term.len, 0, 0)))
        rc = OASIS_ENOMEM;
    if (!rc)
        rc = xapc_db_search(s->db, q, 0, 1, NULL, 0, &m);
    if (!rc && xapc_mset_size(m) == 0)
        rc = oa_error(OASIS_ENOTFOUND, "no initiative with id '%s'", id);
    if (!rc && !(r = oa_results_new()))
        rc = oa_error(OASIS_ENOMEM, "out of memory");
    if (!rc && !(rc = oa_results_add_hits(r, m, 1, 1))) {
        r->total = 1;
        r->total_exact = 1;
        *out = r;
        r = NULL;
    }
    oasis_results_free(r);
    xapc_mset_free(m);
    xapc_query_free(q);
    oa_buf_free(&term);
    return rc;
}

typedef struct id_walk {
    oasis_id_fn fn;
    void *userdata;
    oa_buf id;
    int rc;
} id_walk;

static int each_id(void *userdata, const char *term, size_t len, double value)
{
    (void)value;
    id_walk *w = userdata;
    size_t skip = strlen(OA_PREFIX_ID);
    oa_buf_reset(&w->id);
    if ((w->rc = oa_buf_append(&w->id, term + skip, len - skip)))
        return 1;
    return w->fn(w->userdata, w->id.data) != 0;
}

int oasis_searcher_ids(oasis_searcher *s, oasis_id_fn fn, void *userdata)
{
    if (!fn)
        return oa_error(OASIS_EINVAL, "no callback given");
    id_walk w = {fn, userdata, OA_BUF_INIT, 0};
    int rc = xapc_db_terms(s->db, OA_PREFIX_ID, strlen(OA_PREFIX_ID), 0, each_id, &w);
    oa_buf_free(&w.id);
    return rc ? rc : w.rc;
}
