/* The ranking plan of a query and its run: tier 1, tier 2, the total.
 *
 * A query with no words lists its matches in browse order (OA_SLOT_ORDER:
 * département code, then title), unweighed.
 *
 * The tiers only rank: each stops once it has its part of the page. Tier 2
 * runs only when tier 1 did not fill the page, which means tier 1 saw all
 * its matches and counted them exactly; tier 2 is then the loose query
 * without those. The total is then known, or comes from the facet pass
 * (every match of the loose query under the filters: the union of the two
 * tiers, since strict never matches more than loose), or from a count of
 * that query that weighs nothing, or, when an estimate will do, from the
 * frequencies of its terms (xapc_db_estimate()).
 *
 * Counts pass OA_PREFIX_TITLE to xapc_db_count(): the writer posts every
 * title term twice, as t and as OA_PREFIX_TITLE t, so the second never
 * matches a document the first does not. */
#include "search/tiers.h"

#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "search/facets.h"
#include "search/filters.h"
#include "search/query.h"
#include "search/ranking.h"
#include "search/results.h"
#include "util/buf.h"
#include "util/error.h"

/* How the tiers of one query run, all filters applied. */
typedef struct plan {
    xapc_query *tier1, *loose; /* loose NULL: one tier */
    double boost;              /* the place boost, 0 when none */
    int listed;                /* no words: one tier in browse order */
} plan;

static void plan_free(plan *p)
{
    xapc_query_free(p->tier1);
    xapc_query_free(p->loose);
}

/* Tier 1: every word (or a place the query names); tier 2: the other
 * matches of the loose query. A place's initiatives get a fixed boost
 * (oa_place_boost()): they rise without the others being left out. */
static int make_plan(xapc_db *db, const oa_compiled *c, xapc_query *const *filters, plan *p)
{
    memset(p, 0, sizeof *p);
    if (!c->positive) {
        p->listed = 1;
        p->tier1 = oa_filtered(c->loose, filters, OA_N_FACETS);
        return p->tier1 ? 0 : OASIS_ENOMEM;
    }
    p->loose = oa_filtered(c->loose, filters, OA_N_FACETS);
    if (!p->loose)
        return OASIS_ENOMEM;
    if (!c->places) {
        p->tier1 = oa_filtered(c->strict, filters, OA_N_FACETS);
        return p->tier1 ? 0 : OASIS_ENOMEM;
    }
    double best = 0;
    int rc = xapc_db_max_weight(db, p->loose, &best);
    if (rc)
        return rc;
    p->boost = oa_place_boost(best);
    xapc_query *pass =
        oa_query_pair_owned(XAPC_OR, xapc_query_copy(c->strict), xapc_query_copy(c->places));
    xapc_query *boost = oa_query_pair_owned(XAPC_FILTER, xapc_query_fixed(p->boost),
                                            xapc_query_copy(c->places));
    xapc_query *first = oa_query_pair_owned(XAPC_FILTER, xapc_query_copy(p->loose), pass);
    p->tier1 = oa_query_pair_owned(XAPC_AND_MAYBE, first, boost);
    return p->tier1 ? 0 : OASIS_ENOMEM;
}

/* Runs q for the page window still open and adds its matches; *total gets
 * the matches of q, exact when *exact is 1 (always when q has fewer than
 * offset + limit matches: the ranking then saw them all). */
static int run_tier(xapc_db *db, const xapc_query *q, size_t offset, size_t limit,
                    size_t first_rank, int all_terms, oasis_results *r, size_t *total,
                    int *exact, int listed)
{
    xapc_mset *m;
    int rc = listed ? xapc_db_list(db, q, OA_SLOT_ORDER, offset, limit, &m)
                    : xapc_db_rank(db, q, offset, limit, &m);
    if (rc)
        return rc;
    *total = xapc_mset_total(m);
    *exact = xapc_mset_exact(m);
    rc = oa_results_add_hits(r, m, first_rank, all_terms);
    xapc_mset_free(m);
    return rc;
}

/* What decides a tier-1 match, to leave tier 1's documents out of tier 2:
 * the strict query, or a named place (both under the filters that loose
 * already has). The query itself, not the ids of its matches: the same
 * documents on any database, sharded or remote, and nothing to fetch. */
static xapc_query *tier1_matches(const oa_compiled *c)
{
    xapc_query *first = c->places ? oa_query_pair_owned(XAPC_OR, xapc_query_copy(c->strict),
                                                        xapc_query_copy(c->places))
                                  : xapc_query_copy(c->strict);
    xapc_query *same = first ? xapc_query_same_matches(first, OA_PREFIX_TITLE) : NULL;
    xapc_query_free(first);
    return same;
}

/* Tier 2 for what tier 1 left of the page: the loose query without tier
 * 1's *n1 matches (counted exactly first when the ranking only estimated
 * them: *e1 then becomes 1). *n2 and *e2 as run_tier()'s. When the loose
 * query matches just what tier 1 does (one word, say), tier 2 is empty
 * and not run. */
static int run_tier2(xapc_db *db, const oa_compiled *c, const plan *p,
                     const oasis_search_options *o, oasis_results *r, size_t *n1, int *e1,
                     size_t *n2, int *e2)
{
    int rc = 0;
    if (!*e1 && !(rc = xapc_db_count(db, p->tier1, OA_PREFIX_TITLE, n1)))
        *e1 = 1;
    if (rc)
        return rc;
    xapc_query *first = tier1_matches(c);
    xapc_query *every = first ? xapc_query_same_matches(c->loose, OA_PREFIX_TITLE) : NULL;
    int known = every != NULL, empty = known && xapc_query_same(first, every);
    xapc_query_free(every);
    if (empty) {
        xapc_query_free(first);
        *n2 = 0;
        *e2 = 1;
        return 0;
    }
    xapc_query *tier2 = known ? oa_query_pair_owned(XAPC_AND_NOT, xapc_query_copy(p->loose), first)
                              : NULL;
    if (!known)
        xapc_query_free(first);
    if (!tier2)
        rc = OASIS_ENOMEM;
    size_t offset = o->offset > *n1 ? o->offset - *n1 : 0;
    if (!rc)
        rc = run_tier(db, tier2, offset, o->limit - r->count, o->offset + r->count + 1, 0, r,
                      n2, e2, 0);
    xapc_query_free(tier2);
    return rc;
}

/* The page: tier 1, then tier 2 when there is one and tier 1 did not
 * fill the page. *n gets the matches the tiers counted, *exact 1 when
 * they saw every one. */
static int rank_page(xapc_db *db, const oa_compiled *c, const plan *p,
                     const oasis_search_options *o, oasis_results *r, size_t *n, int *exact)
{
    size_t n1 = 0, n2 = 0;
    int e1 = 1, e2 = 1;
    int rc = run_tier(db, p->tier1, o->offset, o->limit, o->offset + 1, 1, r, &n1, &e1, p->listed);
    if (!rc && p->loose && r->count < o->limit)
        rc = run_tier2(db, c, p, o, r, &n1, &e1, &n2, &e2);
    else if (p->loose)
        e2 = 0;
    *n = n1 + n2;
    *exact = e1 && e2;
    return rc;
}

/* The facet counts, with o->facets, and the total into r, from the tiers'
 * own count n (exact when exact is 1). */
static int count_matches(xapc_db *db, const oa_compiled *c, const plan *p,
                         const oasis_search_options *o, xapc_query *const *filters,
                         oasis_results *r, size_t n, int exact)
{
    /* With one tier, the ranking's estimate is that of the whole query. */
    int estimated = !exact && !p->loose;
    size_t total = n;
    int rc = 0;
    if (o->facets) {
        size_t counted = (size_t)-1;
        rc = oa_facets_count(db, c->loose, filters, r, &counted);
        if (counted != (size_t)-1) {
            total = counted;
            exact = 1;
        }
    }
    if (!rc && !exact && (o->exact_total || !estimated)) {
        xapc_query *all = oa_filtered(c->loose, filters, OA_N_FACETS);
        if (!all)
            rc = OASIS_ENOMEM;
        else if (o->exact_total)
            rc = xapc_db_count(db, all, OA_PREFIX_TITLE, &total);
        else
            rc = xapc_db_estimate(db, all, OA_PREFIX_TITLE, n, &total);
        exact = o->exact_total;
        xapc_query_free(all);
    }
    r->total_exact = exact;
    r->total = rc ? 0 : total;
    return rc;
}

/* oasis_hit.all_words: the first group's hits hold every word, except,
 * when places rank that group too, those that only lie in a place: the
 * strict query, run over the page's ids, tells which hold the words. */
static int mark_all_words(xapc_db *db, const oa_compiled *c, const plan *p, oasis_results *r)
{
    if (!p->boost || !r->count)
        return 0;
    /* The hits to check are named by their id terms; the others get docid
     * 0, which no document has. */
    xapc_query **ids = calloc(r->count, sizeof *ids);
    unsigned *docids = calloc(r->count, sizeof *docids);
    int *matched = calloc(r->count, sizeof *matched);
    size_t n = 0;
    int rc = ids && docids && matched ? 0 : oa_error(OASIS_ENOMEM, "out of memory");
    oa_buf term = OA_BUF_INIT;
    for (size_t i = 0; i < r->count && !rc; i++) {
        if (!r->hits[i].all_terms)
            continue;
        oa_buf_reset(&term);
        if ((rc = oa_buf_printf(&term, "%s%s", OA_PREFIX_ID, r->hits[i].id)))
            break;
        if (!(ids[n] = xapc_query_term(term.data, term.len, 0, 0))) {
            rc = oa_error(OASIS_ENOMEM, "out of memory");
            break;
        }
        n++;
        docids[i] = r->store[i].docid;
    }
    oa_buf_free(&term);
    xapc_query *page = rc || !n ? NULL : xapc_query_combine(XAPC_OR, ids, n, 0);
    xapc_query *q = page ? oa_query_pair_owned(XAPC_FILTER, xapc_query_copy(c->strict), page)
                         : NULL;
    if (!rc && n && !q)
        rc = OASIS_ENOMEM;
    if (!rc && q)
        rc = xapc_db_matching(db, q, docids, r->count, matched);
    for (size_t i = 0; !rc && i < r->count; i++)
        if (r->hits[i].all_terms)
            r->hits[i].all_words = matched[i];
    xapc_query_free(q);
    for (size_t k = 0; ids && k < n; k++)
        xapc_query_free(ids[k]);
    free(ids);
    free(docids);
    free(matched);
    return rc;
}

int oa_tiers_run(xapc_db *db, const oa_compiled *c, const oasis_search_options *o,
                 xapc_query *const *filters, oasis_results *r, double *boost)
{
    plan p;
    size_t n = 0;
    int exact = 0;
    int rc = make_plan(db, c, filters, &p);
    if (!rc)
        rc = rank_page(db, c, &p, o, r, &n, &exact);
    if (!rc)
        rc = count_matches(db, c, &p, o, filters, r, n, exact);
    if (!rc)
        rc = mark_all_words(db, c, &p, r);
    *boost = p.boost;
    plan_free(&p);
    return rc;
}
