/* oasis_searcher: ranked search over an index in two tiers (all words, then
 * some words), BM25 within each, with département, région and category
 * filters and exact, disjunctive facet counts; the query language
 * (compile.h), place boosts, spelling suggestions, --like, snippets and
 * explanations. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "index/docdata.h"
#include "index/schema.h"
#include "oasis.h"
#include "search/compile.h"
#include "search/facets.h"
#include "search/filters.h"
#include "search/query.h"
#include "search/results.h"
#include "search/snippet.h"
#include "search/tiers.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"
#include "xapian/xapc.h"

/* Terms of an initiative --like looks for. */
#define OA_LIKE_TERMS 24
/* Edits a spelling suggestion may make to a word, and the longest word
 * (bytes) it is asked for: the cost grows with the length. */
#define OA_SPELLING_EDITS 2
#define OA_SPELLING_MAX 48

struct oasis_searcher {
    xapc_db *db;
    oa_analyzer *analyzer;
    oa_snippet_cache *snippets; /* words of hit texts already read */
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
    if (!rc)
        rc = oa_snippet_cache_new(&s->snippets);
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
    oa_snippet_cache_free(s->snippets);
    free(s);
}

/* ---- options ---- */

/* opts as a struct of this version. A version 1 struct ends at `facets`,
 * a version 2 one at `places`: the fields they lack take the values with
 * which those versions searched (version 2's INIT: snippets of 200 bytes,
 * suggestions; and always exact totals and proximity). */
static int options_of(const oasis_search_options *opts, oasis_search_options *o)
{
    static const oasis_search_options defaults = OASIS_SEARCH_OPTIONS_INIT;
    static const oasis_search_options before_v3 = {
        OASIS_SEARCH_OPTIONS_VERSION, 0, 10, NULL, 0, NULL, 0, NULL, 0, 0, NULL, 200, 0,
        1, 1, 1, 1, 1};
    *o = defaults;
    if (!opts)
        return 0;
    if (opts->version == 1 || opts->version == 2) {
        *o = before_v3;
        memcpy(o, opts,
               opts->version == 1 ? offsetof(oasis_search_options, like)
                                  : offsetof(oasis_search_options, exact_total));
        o->version = OASIS_SEARCH_OPTIONS_VERSION;
        return 0;
    }
    if (opts->version != OASIS_SEARCH_OPTIONS_VERSION)
        return oa_error(OASIS_EINVAL, "search options version %u is not supported",
                        opts->version);
    *o = *opts;
    return 0;
}

/* ---- --like ---- */

typedef struct expansion {
    xapc_db *db;
    char *term[OA_LIKE_TERMS];
    double weight[OA_LIKE_TERMS];
    size_t n;
} expansion;

/* Keeps the words that can lead elsewhere: not numbers, and found in
 * another initiative too. */
static int keep_expansion(void *ud, const char *term, size_t len, double weight)
{
    expansion *x = ud;
    int digits = 1;
    for (size_t i = 0; i < len && digits; i++)
        digits = term[i] >= '0' && term[i] <= '9';
    if (digits || len < 3 || xapc_db_term_freq(x->db, term, len) < 2)
        return 0;
    if (!(x->term[x->n] = oa_strndup(term, len)))
        return -1;
    x->weight[x->n++] = weight;
    return x->n == OA_LIKE_TERMS;
}

/* A word of the document itself, for small collections where the
 * expansion set is short: the rarest words first. */
typedef struct own_words {
    xapc_db *db;
    char *term[OA_LIKE_TERMS];
    size_t freq[OA_LIKE_TERMS];
    size_t n;
} own_words;

static int keep_own_word(void *ud, const char *term, size_t len, double wdf)
{
    (void)wdf;
    own_words *o = ud;
    if (!len || (term[0] >= 'A' && term[0] <= 'Z'))
        return 0;
    int digits = 1;
    for (size_t i = 0; i < len && digits; i++)
        digits = term[i] >= '0' && term[i] <= '9';
    size_t freq = xapc_db_term_freq(o->db, term, len);
    if (digits || len < 3 || freq < 2)
        return 0;
    size_t at = o->n;
    if (o->n == OA_LIKE_TERMS) {
        at = 0;
        for (size_t i = 1; i < o->n; i++)
            if (o->freq[i] > o->freq[at])
                at = i;
        if (o->freq[at] <= freq)
            return 0;
        free(o->term[at]);
    } else {
        o->n++;
    }
    o->freq[at] = freq;
    return (o->term[at] = oa_strndup(term, len)) ? 0 : -1;
}

/* Tops the expansion up with the document's own words, weighted below. */
static int add_own_words(xapc_db *db, unsigned docid, expansion *x)
{
    own_words o;
    memset(&o, 0, sizeof o);
    o.db = db;
    int rc = xapc_db_doc_terms(db, docid, "", 0, keep_own_word, &o);
    double w = x->n ? x->weight[x->n - 1] / 2 : 1.0;
    for (size_t i = 0; i < o.n && !rc; i++) {
        int dup = 0;
        for (size_t k = 0; k < x->n && !dup; k++)
            dup = !strcmp(x->term[k], o.term[i]);
        if (dup || x->n == OA_LIKE_TERMS)
            continue;
        x->term[x->n] = o.term[i];
        o.term[i] = NULL;
        x->weight[x->n++] = w;
    }
    for (size_t i = 0; i < o.n; i++)
        free(o.term[i]);
    return rc;
}

typedef struct slugs {
    char *v[16];
    size_t n;
} slugs;

static int keep_category(void *ud, const char *term, size_t len, double wdf)
{
    (void)wdf;
    slugs *c = ud;
    size_t plen = strlen(OA_PREFIX_CATEGORY);
    if (c->n == 16)
        return 1;
    if (!(c->v[c->n] = oa_strndup(term + plen, len - plen)))
        return -1;
    c->n++;
    return 0;
}

/* How each term appears in the document: its first word, lower-cased. */
static int label_terms(oasis_searcher *s, const oa_docdata *d, char *const *term, size_t n,
                       char **label)
{
    oa_tokens toks = OA_TOKENS_INIT;
    const char *parts[2] = {d->title ? d->title : "", d->text ? d->text : ""};
    int rc = oa_analyze(s->analyzer, parts[0], strlen(parts[0]), 0, &toks);
    size_t n_title = toks.n;
    if (!rc)
        rc = oa_analyze(s->analyzer, parts[1], strlen(parts[1]), 0, &toks);
    oa_buf b = OA_BUF_INIT;
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t k = 0; k < toks.n && !label[i] && !rc; k++) {
            if (strcmp(toks.v[k].term, term[i]))
                continue;
            const char *src = k < n_title ? parts[0] : parts[1];
            rc = oa_analyzer_plain(s->analyzer, src + toks.v[k].start,
                                   toks.v[k].end - toks.v[k].start, &b);
            if (!rc && !(label[i] = oa_strndup(b.data, b.len)))
                rc = OASIS_ENOMEM;
        }
        if (!rc && !label[i] && !(label[i] = oa_strdup(term[i])))
            rc = OASIS_ENOMEM;
    }
    oa_buf_free(&b);
    oa_tokens_free(&toks);
    return rc;
}

/* The initiatives like the one with this id: the terms that best tell it
 * apart (Xapian's relevance-feedback expansion set over it) and their
 * synonyms, each weighted by its expansion weight, and its categories;
 * the initiative itself left out. */
static int like_query(oasis_searcher *s, const oa_compile_env *env, const char *id,
                      oa_compiled *c)
{
    memset(c, 0, sizeof *c);
    oa_buf idterm = OA_BUF_INIT;
    unsigned docid = 0;
    expansion x;
    memset(&x, 0, sizeof x);
    x.db = s->db;
    slugs cats;
    memset(&cats, 0, sizeof cats);
    char *label[OA_LIKE_TERMS] = {NULL};
    oa_docdata data;
    memset(&data, 0, sizeof data);
    xapc_mset *m = NULL;
    int rc = oa_buf_printf(&idterm, "%s%s", OA_PREFIX_ID, id);
    if (!rc)
        rc = xapc_db_find(s->db, idterm.data, idterm.len, &docid);
    if (!rc && !docid)
        rc = oa_error(OASIS_ENOTFOUND, "no initiative with id '%s'", id);
    if (!rc)
        rc = xapc_db_expand(s->db, &docid, 1, OA_LIKE_TERMS * 4, keep_expansion, &x);
    if (!rc && x.n < OA_LIKE_TERMS / 2)
        rc = add_own_words(s->db, docid, &x);
    if (!rc)
        rc = xapc_db_doc_terms(s->db, docid, OA_PREFIX_CATEGORY, strlen(OA_PREFIX_CATEGORY),
                               keep_category, &cats);
    /* The document itself, to show its words as written. */
    xapc_query *self = rc ? NULL : xapc_query_term(idterm.data, idterm.len, 0, 0);
    if (!rc && !self)
        rc = OASIS_ENOMEM;
    if (!rc)
        rc = xapc_db_search(s->db, self, 0, 1, NULL, 0, &m);
    xapc_query_free(self);
    if (!rc && xapc_mset_size(m) == 1) {
        size_t len;
        const char *json = xapc_mset_data(m, 0, &len);
        rc = oa_docdata_decode(json, len, &data);
    }
    if (!rc)
        rc = label_terms(s, &data, x.term, x.n, label);
    double scale[OA_LIKE_TERMS];
    for (size_t i = 0; i < x.n; i++)
        scale[i] = x.weight[i] / x.weight[0];
    if (!rc)
        rc = oa_compile_like(env, x.term, label, scale, x.n, cats.v, cats.n, idterm.data, c);
    for (size_t i = 0; i < x.n; i++) {
        free(x.term[i]);
        free(label[i]);
    }
    for (size_t i = 0; i < cats.n; i++)
        free(cats.v[i]);
    oa_docdata_clear(&data);
    xapc_mset_free(m);
    oa_buf_free(&idterm);
    return rc;
}

/* ---- suggestions ---- */

/* The query with each unknown word replaced by the spelling dictionary's
 * closest word; NULL (and 0) when no word has one. */
static int suggest(oasis_searcher *s, const char *query, const oa_compiled *c, char **out)
{
    *out = NULL;
    oa_buf b = OA_BUF_INIT;
    size_t at = 0;
    int changed = 0, rc = 0;
    for (size_t i = 0; i < c->n_unknown && !rc; i++) {
        const oa_unknown_word *u = &c->unknown[i];
        char *word = NULL;
        /* A word longer than any in the language has no spelling. */
        if (!*u->plain || u->start < at || strlen(u->plain) > OA_SPELLING_MAX)
            continue;
        /* Two edits make another word of a short one ("cafe", "cadre"). */
        size_t len = strlen(u->plain);
        if (len < 3)
            continue;
        rc = xapc_db_spelling(s->db, u->plain, len, len <= 4 ? 1 : OA_SPELLING_EDITS, &word);
        if (!rc && *word && strcmp(word, u->plain) != 0) {
            if (!(rc = oa_buf_append(&b, query + at, u->start - at)))
                rc = oa_buf_puts(&b, word);
            at = u->end;
            changed = 1;
        }
        free(word);
    }
    if (!rc && changed)
        rc = oa_buf_puts(&b, query + at);
    if (!rc && changed && !(*out = oa_buf_detach(&b)))
        rc = OASIS_ENOMEM;
    oa_buf_free(&b);
    return rc;
}

/* What to highlight: every unit's patterns but the places'. */
static int highlight_patterns(const oa_compiled *c, oa_pattern **out, size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < c->n_units; i++)
        cap += c->units[i].n_pat;
    *n = 0;
    *out = calloc(cap ? cap : 1, sizeof **out);
    if (!*out)
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_units; i++) {
        if (c->units[i].kind == OA_UNIT_PLACE)
            continue;
        for (size_t j = 0; j < c->units[i].n_pat; j++)
            (*out)[(*n)++] = c->units[i].pat[j];
    }
    return 0;
}

static int make_snippets(oasis_searcher *s, const oa_compiled *c, size_t bytes, oasis_results *r)
{
    oa_pattern *pat;
    size_t n_pat;
    int rc = highlight_patterns(c, &pat, &n_pat);
    for (size_t i = 0; i < r->count && !rc; i++) {
        oa_hit_store *st = &r->store[i];
        oasis_hit *h = &r->hits[i];
        rc = oa_snippet_make_cached(s->snippets, s->analyzer, h->text, strlen(h->text), pat,
                                    n_pat, bytes, &st->snippet);
        if (!rc) {
            h->snippet = st->snippet.text;
            h->highlights = st->snippet.hl;
            h->n_highlights = st->snippet.n_hl;
        }
    }
    free(pat);
    return rc;
}

static const oasis_match_kind match_kind[] = {
    [OA_UNIT_WORD] = OASIS_MATCH_WORD,       [OA_UNIT_PHRASE] = OASIS_MATCH_PHRASE,
    [OA_UNIT_PREFIX] = OASIS_MATCH_PREFIX,   [OA_UNIT_SYNONYM] = OASIS_MATCH_SYNONYM,
    [OA_UNIT_PLACE] = OASIS_MATCH_PLACE};

/* 1 when some term of u occurs in the text of document docid (a title
 * word is counted OA_TITLE_WDF times, once more in its S copy). */
static int in_text(oasis_searcher *s, const oa_unit *u, unsigned docid)
{
    oa_buf st = OA_BUF_INIT;
    int found = 0;
    for (size_t i = 0; i < u->n_terms && !found; i++) {
        unsigned wdf = 0, twdf = 0;
        oa_buf_reset(&st);
        if (oa_buf_puts(&st, OA_PREFIX_TITLE) || oa_buf_puts(&st, u->terms[i]))
            break;
        if (xapc_db_doc_wdf(s->db, docid, u->terms[i], strlen(u->terms[i]), &wdf) ||
            xapc_db_doc_wdf(s->db, docid, st.data, st.len, &twdf))
            break;
        found = wdf > twdf * OA_TITLE_WDF;
    }
    oa_buf_free(&st);
    return found;
}

/* What each hit of the page matched: every unit's weight over the page's
 * documents, and where its terms are. */
static int explain(oasis_searcher *s, const oa_compiled *c, double boost, oasis_results *r)
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
        rc = xapc_db_weigh(s->db, u->q, ids, n, w, hit);
        for (size_t i = 0; i < n; i++)
            thit[i] = 0;
        if (!rc && u->title_q)
            rc = xapc_db_weigh(s->db, u->title_q, ids, n, tw, thit);
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
            m->in_text = u->kind != OA_UNIT_PLACE && !u->title_only && in_text(s, u, ids[i]);
            m->weight = u->kind == OA_UNIT_PLACE ? boost : w[i];
        }
    }
    free(ids);
    free(w);
    free(tw);
    free(hit);
    free(thit);
    return rc;
}

/* The query's notice, places and synonyms, kept by the results. */
static int describe_query(const oa_compiled *c, oasis_results *r)
{
    if (c->notice && !(r->notice = oa_strdup(c->notice)))
        return OASIS_ENOMEM;
    if (c->n_places && !(r->places = calloc(c->n_places, sizeof *r->places)))
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_places; i++) {
        oasis_place *p = &r->places[r->n_places];
        p->departement = c->place[i].dept;
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
    int rc = describe_query(c, r);
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
 * query's, whose columns it names) and say so; otherwise *r stays. */
static int search_suggestion(oasis_searcher *s, const oa_compile_env *env, const char *suggestion,
                             const oasis_search_options *o, xapc_query *const *filters,
                             oa_compiled *c, oasis_results **r, double *boost)
{
    oa_compiled c2;
    int rc = oa_compile(env, suggestion, &c2);
    if (rc)
        return rc;
    oasis_results *r2 = NULL;
    double boost2 = 0;
    rc = search_compiled(s, &c2, o, filters, &r2, &boost2);
    if (rc || r2->total == 0) {
        oasis_results_free(r2);
        oa_compiled_free(&c2);
        return rc;
    }
    r2->corrected = 1;
    free(r2->notice);
    r2->notice = (*r)->notice;
    (*r)->notice = NULL;
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
    int rc = options_of(opts, &o);
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
    oa_compile_env env = {s->db, s->analyzer, o.synonyms, o.places, o.proximity};
    if (o.like)
        rc = like_query(s, &env, o.like, &c);
    else
        rc = oa_compile(&env, query, &c);
    if (!rc && !o.like && o.suggest && c.n_unknown)
        rc = suggest(s, query, &c, &suggestion);
    if (!rc)
        rc = search_compiled(s, &c, &o, filters, &r, &boost);
    if (!rc && r->total == 0 && suggestion)
        rc = search_suggestion(s, &env, suggestion, &o, filters, &c, &r, &boost);
    if (!rc) {
        r->suggestion = suggestion;
        suggestion = NULL;
    }
    if (!rc && o.snippet_bytes)
        rc = make_snippets(s, &c, o.snippet_bytes, r);
    if (!rc && o.explain)
        rc = explain(s, &c, boost, r);
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
