// Matching (see xapc.h): the enquires and their msets, the ranking passes,
// the facet spies, exact counts and estimates, weighing some documents.
// Only what Xapian's remote protocol carries is used (its own weights,
// match spies and posting sources, no match decider): a pass restricted to
// documents found earlier names them by their unique terms, never by
// docid, which is the combined database's and not a shard's.

#include <xapian.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "oasis.h"
#include "util/error.h"
#include "xapian/guard.hh"
#include "xapian/handles.hh"
#include "xapian/rewrite.hh"
#include "xapian/xapc.h"

using namespace xapc;

namespace {

// The unique term (the one starting with prefix) of each document of ids,
// read from its term list: how a later pass names documents an earlier
// one found. A document without one cannot be named: an error.
std::vector<std::string> unique_terms(Xapian::Database &db, const std::string &prefix,
                                      const Xapian::docid *ids, size_t n)
{
    std::vector<std::string> terms;
    terms.reserve(n);
    for (size_t i = 0; i < n; i++) {
        Xapian::TermIterator t = db.termlist_begin(ids[i]);
        t.skip_to(prefix);
        if (t == db.termlist_end(ids[i]) || (*t).compare(0, prefix.size(), prefix) != 0)
            throw Xapian::InvalidOperationError("document " + std::to_string(ids[i]) +
                                                " has no unique term starting with '" + prefix +
                                                "'");
        terms.push_back(*t);
    }
    return terms;
}

// q over the documents whose unique terms are terms only, weighed as q
// weighs them over every document (the filter weighs nothing).
Xapian::Query only_documents(const Xapian::Query &q, const std::vector<std::string> &terms)
{
    Xapian::Query docs(Xapian::Query::OP_OR, terms.begin(), terms.end());
    return Xapian::Query(Xapian::Query::OP_FILTER, q, docs);
}

// Weights equal to within rounding: the same sums added in another order
// may differ in their last bits.
bool same_weight(double x, double y)
{
    return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(y));
}

// A document a ranking has just given, read without checking first that
// it exists (which costs a look-up of its length).
Xapian::Document matched(Xapian::Database &db, Xapian::docid did)
{
    return db.get_document(did, Xapian::DOC_ASSUME_VALID);
}

// How a database orders equal weights: by the id of slot (XAPC_NO_SLOT:
// by docid, Xapian's order), whose unique terms are prefix + id. by_xapian:
// Xapian sorts by the id within each ranking (a remote database, where a
// second ranking or a document read is one more round trip each).
struct id_order {
    unsigned slot;
    const std::string &prefix;
    bool by_xapian;
};

// The id order of a handle: by Xapian when one of its databases is remote.
id_order id_order_of(const xapc_db &h)
{
    bool remote = false;
    for (const auto &shard : h.shards)
        remote |= shard.remote;
    return id_order{h.id_slot, h.id_prefix, remote};
}

// A ranked document: its docid, weight and unique term (empty until
// read: ids_of()).
struct ranked_doc {
    Xapian::docid docid;
    double weight;
    std::string term;
};

// The unique terms of ranked[from, to) not yet known, from the id slot of
// their documents.
void ids_of(Xapian::Database &db, unsigned id_slot, const std::string &id_prefix,
            std::vector<ranked_doc> &ranked, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (ranked[i].term.empty())
            ranked[i].term = id_prefix + matched(db, ranked[i].docid).get_value(id_slot);
}

// Puts each run of equal weights (same_weight()) of ranked in id order,
// reading the ids of the runs' documents only.
void order_runs(Xapian::Database &db, unsigned id_slot, const std::string &id_prefix,
                std::vector<ranked_doc> &ranked)
{
    for (size_t i = 0, j; i < ranked.size(); i = j) {
        j = i + 1;
        while (j < ranked.size() && same_weight(ranked[j].weight, ranked[j - 1].weight))
            j++;
        if (j - i < 2)
            continue;
        ids_of(db, id_slot, id_prefix, ranked, i, j);
        std::sort(ranked.begin() + i, ranked.begin() + j,
                  [](const ranked_doc &x, const ranked_doc &y) { return x.term < y.term; });
    }
}

// Xapian's ranking sorted by relevance then the id of slot: upto
// documents and more, then more again while the last one weighs as much
// as the one at upto (a run of weight 0 needs none: every weight below is
// 0, which Xapian orders by id exactly). Match spies see the first
// ranking only.
Xapian::MSet sorted_ranking(Xapian::Enquire &enq, unsigned slot, Xapian::doccount upto,
                            Xapian::doccount more, Xapian::doccount check_at_least,
                            Xapian::doccount all)
{
    enq.set_sort_by_relevance_then_value(slot, false);
    Xapian::MSet ms;
    for (;; more = more * 4 + 16) {
        Xapian::doccount n = clamp_count(size_t(upto) + more, all);
        ms = enq.get_mset(0, n, std::max(check_at_least, n));
        enq.clear_matchspies(); // they have seen what the caller asked
        if (upto == 0 || ms.size() <= upto || ms.size() < n || n >= all)
            break;
        double edge = ms[upto - 1].get_weight();
        if (edge == 0 || !same_weight(ms[ms.size() - 1].get_weight(), edge))
            break;
    }
    enq.set_sort_by_relevance();
    return ms;
}

// The first upto documents of enq's ranking, from the first, equal
// weights ordered by the id of ids.slot (ascending) when it is set: one
// total order, the same on any database. Xapian compares weights exactly,
// and the same weight summed in another order (each shard builds its own
// tree of a query) may differ in its last bits, so equal means
// same_weight(), and each run of equal weights is put in id order.
//
// Locally, Xapian's own ranking (equal weights by docid) is enough when
// the document past upto weighs less than the one at upto: the first upto
// are then the same on any database, and only the ids of the runs among
// them are read. That ranking reads first_room documents past upto, so
// that a short run at upto (two copies of one text, say) ends among them;
// when it may go on further, a second ranking, sorted_ranking(), reads
// only the documents weighing about as much as it or more (a weight
// cutoff): room for tie_room documents past upto at first (a
// département's initiatives under a place boost all weigh the same), more
// while the run goes on. (A larger first_room costs every ranking some of
// Xapian's pruning: on the benchmark's queries, 8 left 4 second rankings of
// 73 where 2 leaves 34, and was slower overall.)
//
// With ids.by_xapian, the ranking is sorted_ranking() from the start, the
// ids coming back as sort keys.
//
// Each ranked document's term is its unique term when known, else empty.
// ms gets the ranking whose totals count (the first, locally: the
// second's are cut off); match spies see the first ranking only.
std::vector<ranked_doc> ranked_prefix(Xapian::Database &db, Xapian::Enquire &enq,
                                      Xapian::doccount upto, Xapian::doccount check_at_least,
                                      const id_order &ids, Xapian::MSet &ms)
{
    const Xapian::doccount first_room = 2, tie_room = 256;
    Xapian::doccount all = db.get_doccount();
    bool by_id = ids.slot != XAPC_NO_SLOT;
    Xapian::MSet run;
    bool sorted = false;
    Xapian::doccount keep = upto; // of ms, locally: upto, or to the end of its run
    if (by_id && ids.by_xapian) {
        ms = run = sorted_ranking(enq, ids.slot, upto, 1, check_at_least, all);
        sorted = true;
    } else {
        Xapian::doccount n = clamp_count(size_t(upto) + (by_id ? first_room : 0), all);
        ms = enq.get_mset(0, n, std::max(check_at_least, n));
        enq.clear_matchspies(); // they have seen what the caller asked
        if (by_id && upto > 0 && ms.size() > upto &&
            same_weight(ms[upto].get_weight(), ms[upto - 1].get_weight())) {
            double edge = ms[upto - 1].get_weight();
            keep = upto + 1;
            while (keep < ms.size() && same_weight(ms[keep].get_weight(), edge))
                keep++;
            if (keep == ms.size() && ms.size() == n && n < all) {
                // The run may go on past what was ranked.
                enq.set_cutoff(0, std::max(0.0, edge - 2e-9 * std::max(1.0, edge)));
                run = sorted_ranking(enq, ids.slot, upto, tie_room, 0, all);
                enq.set_cutoff(0);
                sorted = true;
            }
        }
    }
    std::vector<ranked_doc> ranked;
    if (sorted) {
        for (Xapian::MSetIterator it = run.begin(); it != run.end(); ++it)
            ranked.push_back(ranked_doc{*it, it.get_weight(), ids.prefix + it.get_sort_key()});
    } else {
        for (Xapian::MSetIterator it = ms.begin(); it != ms.end() && ranked.size() < keep; ++it)
            ranked.push_back(ranked_doc{*it, it.get_weight(), ""});
    }
    if (by_id)
        order_runs(db, ids.slot, ids.prefix, ranked);
    if (ranked.size() > upto)
        ranked.resize(upto);
    return ranked;
}

// Ranks a query with positional bonuses (see without_bonuses()) by cheap,
// the query without them: the first rescore_window documents of that
// order (the caller's policy, whatever page is asked for, so that pages
// follow on) get the weights of the bonuses they match added and are
// reordered, equal weights by their unique terms, then the page is cut.
// Beyond them, the order is that of the ranking without bonuses. With an
// id slot, that order is total, so the window holds the same documents on
// any database, and their ids are read from the slot; without, Xapian
// orders ties by docid and ids are read from term lists.
void rank_rescored(Xapian::Database &db, const id_order &ids, Xapian::Enquire &enq,
                   const Xapian::Query &cheap,
                   const std::vector<Xapian::Query> &bonuses, const xapc_rank_policy &policy,
                   Xapian::doccount first, Xapian::doccount max, xapc_mset &m)
{
    Xapian::doccount rescore_window = clamp_count(policy.rescore_window, Xapian::doccount(-1));
    Xapian::doccount want = std::max(rescore_window, first + max);
    enq.set_query(cheap);
    Xapian::MSet pre;
    std::vector<ranked_doc> ranked = ranked_prefix(db, enq, want, want, ids, pre);
    m.exact = pre.get_matches_lower_bound() == pre.get_matches_upper_bound();
    m.total = pre.get_matches_estimated();
    size_t window = std::min<size_t>(rescore_window, ranked.size());
    if (first < window && !bonuses.empty()) {
        std::vector<std::string> terms;
        if (ids.slot == XAPC_NO_SLOT) {
            std::vector<Xapian::docid> docids;
            for (size_t i = 0; i < window; i++)
                docids.push_back(ranked[i].docid);
            terms = unique_terms(db, ids.prefix, docids.data(), docids.size());
            for (size_t i = 0; i < window; i++)
                ranked[i].term = terms[i];
        } else {
            ids_of(db, ids.slot, ids.prefix, ranked, 0, window);
            for (size_t i = 0; i < window; i++)
                terms.push_back(ranked[i].term);
        }
        // A query's weight is the sum of its matching subqueries' weights
        // (BM25's parts are per term): q's weight of a document is cheap's
        // plus that of the bonuses it matches.
        Xapian::Query any(Xapian::Query::OP_OR, bonuses.begin(), bonuses.end());
        enq.set_query(only_documents(any, terms));
        // Every match: a unique term held twice (a copy in two shards)
        // brings a document outside the window, which is then ignored.
        Xapian::MSet extra = enq.get_mset(0, db.get_doccount());
        std::unordered_map<Xapian::docid, double> add;
        for (Xapian::MSetIterator it = extra.begin(); it != extra.end(); ++it)
            add[*it] = it.get_weight();
        for (size_t i = 0; i < window; i++) {
            auto f = add.find(ranked[i].docid);
            if (f != add.end())
                ranked[i].weight += f->second;
        }
        // Best first, equal weights by unique term: the same order over
        // any split of the documents.
        std::stable_sort(ranked.begin(), ranked.begin() + window,
                         [](const ranked_doc &x, const ranked_doc &y) {
                             if (!same_weight(x.weight, y.weight))
                                 return x.weight > y.weight;
                             return x.term < y.term;
                         });
    }
    for (size_t i = first; i < ranked.size() && i < size_t(first) + max; i++)
        m.hits.push_back(hit{ranked[i].docid, ranked[i].weight,
                             matched(db, ranked[i].docid).get_data()});
}

// One attempt of a search (a DatabaseError escapes to the caller, which
// reopens and tries again: with_reopen()). Without rank: look at every
// match (exact totals and spies); with it, a ranking under that policy
// that stops once the page is known, restricting its later pass by the
// unique terms of id_prefix.
void run_search(Xapian::Database &db, const Xapian::Query &q, size_t offset, size_t limit,
                const unsigned *slots, size_t n_slots, const id_order &ids, xapc_mset &m,
                const xapc_rank_policy *rank = nullptr)
{
    bool exact = !rank;
    m.hits.clear();
    m.facets.clear();
    // Xapian's own spy, one per slot: what a remote database can run.
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (size_t i = 0; i < n_slots; i++)
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slots[i]));
    Xapian::Enquire enq(db); // after the spies: destroyed before them
    // No page asked: the pass counts (totals, spies), and weighs nothing.
    if (limit == 0)
        enq.set_weighting_scheme(Xapian::BoolWeight());
    else
        enq.set_weighting_scheme(Xapian::BM25Weight());
    enq.set_query(q);
    for (auto &spy : spies)
        enq.add_matchspy(spy.get());
    // Checking every document makes the totals and the spies exact; a
    // ranking alone stops once it has the page and knows no better match.
    Xapian::doccount all = db.get_doccount();
    Xapian::doccount first = clamp_count(offset, all), max = clamp_count(limit, all);
    // A ranking reads positions for its best documents only, when its
    // policy says so.
    if (rank && rank->rescore_window && rank->bonus_ops) {
        bool changed = false;
        std::vector<Xapian::Query> bonuses;
        Xapian::Query cheap = without_bonuses(q, rank->bonus_ops, &bonuses, changed);
        if (changed) {
            rank_rescored(db, ids, enq, cheap, bonuses, *rank, first, max, m);
            return;
        }
    }
    Xapian::MSet ms;
    if (max > 0 && ids.slot != XAPC_NO_SLOT) {
        // Equal weights by id, the page cut from the first (ranked_prefix()).
        Xapian::doccount upto = clamp_count(size_t(first) + max, all);
        std::vector<ranked_doc> ranked = ranked_prefix(db, enq, upto, exact ? all : upto, ids, ms);
        for (size_t i = first; i < ranked.size() && i < upto; i++)
            m.hits.push_back(hit{ranked[i].docid, ranked[i].weight,
                                 matched(db, ranked[i].docid).get_data()});
    } else {
        ms = enq.get_mset(first, max, exact ? all : first + max);
        m.hits.reserve(ms.size());
        for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
            m.hits.push_back(hit{*it, it.get_weight(), matched(db, *it).get_data()});
    }
    assert(!exact || ms.get_matches_lower_bound() == ms.get_matches_upper_bound());
    m.exact = ms.get_matches_lower_bound() == ms.get_matches_upper_bound();
    m.total = ms.get_matches_estimated();
    m.facets.resize(n_slots);
    // Each spy gives its values in byte order, with the matches holding each.
    for (size_t i = 0; i < n_slots; i++)
        for (Xapian::TermIterator v = spies[i]->values_begin(); v != spies[i]->values_end(); ++v)
            m.facets[i].emplace_back(*v, v.get_termfreq());
}

// The share of all documents that q matches, estimated from the
// frequencies of its terms as if they were independent (as Xapian's own
// estimates do), without opening their posting lists; false for a query
// of another shape (wildcards, posting sources), which needs Xapian.
bool share_of(const Xapian::Database &db, const Xapian::Query &q, Xapian::doccount all,
              double &share)
{
    size_t n = q.get_num_subqueries();
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        share = double(db.get_termfreq(term_of(q))) / all;
        return true;
    case Xapian::Query::LEAF_MATCH_ALL:
        share = 1;
        return true;
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_AND_MAYBE:
        return n && share_of(db, q.get_subquery(0), all, share);
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM: {
        double none = 1;
        for (size_t i = 0; i < n; i++) {
            double sub;
            if (!share_of(db, q.get_subquery(i), all, sub))
                return false;
            none *= 1 - sub;
        }
        share = 1 - none;
        return n > 0;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
    case Xapian::Query::OP_AND_NOT:
        share = 1;
        for (size_t i = 0; i < n; i++) {
            double sub;
            if (!share_of(db, q.get_subquery(i), all, sub))
                return false;
            bool excluded = i > 0 && q.get_type() == Xapian::Query::OP_AND_NOT;
            share *= excluded ? 1 - sub : sub;
        }
        return n > 0;
    default:
        return false;
    }
}

} // namespace

extern "C" {

/* ---- matching ---- */

int xapc_db_search(xapc_db *db, const xapc_query *q, size_t offset, size_t limit,
                   const unsigned *count_slots, size_t n_slots, xapc_mset **out)
{
    assert(db && q && out && (count_slots || n_slots == 0));
    *out = nullptr;
    try {
        auto m = std::make_unique<xapc_mset>();
        // The writer may overwrite our revision: move to the latest one.
        with_reopen(db->db, [&] {
            run_search(db->db, q->q, offset, limit, count_slots, n_slots, id_order_of(*db), *m);
        });
        *out = m.release();
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_rank(xapc_db *db, const xapc_query *q, size_t offset, size_t limit, xapc_mset **out)
{
    assert(db && q && out);
    *out = nullptr;
    try {
        auto m = std::make_unique<xapc_mset>();
        with_reopen(db->db, [&] {
            run_search(db->db, q->q, offset, limit, nullptr, 0, id_order_of(*db), *m, &db->rank);
        });
        *out = m.release();
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_list(xapc_db *db, const xapc_query *q, unsigned slot, size_t offset, size_t limit,
                 xapc_mset **out)
{
    assert(db && q && out);
    *out = nullptr;
    try {
        auto m = std::make_unique<xapc_mset>();
        with_reopen(db->db, [&] {
            Xapian::Enquire enq(db->db);
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_sort_by_value(slot, false);
            enq.set_query(q->q);
            Xapian::doccount all = db->db.get_doccount();
            Xapian::MSet ms = enq.get_mset(clamp_count(offset, all), clamp_count(limit, all), all);
            m->exact = true;
            m->total = ms.get_matches_estimated();
            m->hits.clear();
            for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
                m->hits.push_back(hit{*it, 0, matched(db->db, *it).get_data()});
        });
        *out = m.release();
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
    }
}

void xapc_db_set_rank_policy(xapc_db *db, const xapc_rank_policy *policy)
{
    assert(db);
    db->rank = policy ? *policy : xapc_rank_policy{0, 0};
}

void xapc_db_set_id_slot(xapc_db *db, unsigned slot)
{
    assert(db);
    db->id_slot = slot;
}

int xapc_db_set_id_prefix(xapc_db *db, const char *prefix)
{
    assert(db);
    if (!prefix || !*prefix)
        return oa_error(OASIS_EINVAL, "no unique term prefix given");
    try {
        db->id_prefix = prefix;
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_count(xapc_db *db, const xapc_query *q, const char *prefix, size_t *out)
{
    assert(db && q && out);
    *out = 0;
    try {
        Xapian::Query counted = same_matches(q->q, prefix ? prefix : "");
        with_reopen(db->db, [&] {
            // Boolean weights: nothing to rank, only matches to count.
            Xapian::Enquire enq(db->db);
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_query(counted);
            // The bounds are often already equal (one term, no filter).
            Xapian::MSet ms = enq.get_mset(0, 0);
            if (ms.get_matches_lower_bound() != ms.get_matches_upper_bound())
                ms = enq.get_mset(0, 0, db->db.get_doccount());
            assert(ms.get_matches_lower_bound() == ms.get_matches_upper_bound());
            *out = ms.get_matches_estimated();
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_estimate(xapc_db *db, const xapc_query *q, const char *prefix, size_t at_least,
                     size_t *out)
{
    assert(db && q && out);
    *out = 0;
    try {
        with_reopen(db->db, [&] {
            Xapian::Query reduced = same_matches(q->q, prefix ? prefix : "");
            double share = 0;
            Xapian::doccount all = db->db.get_doccount();
            if (all && share_of(db->db, reduced, all, share)) {
                *out = static_cast<size_t>(share * all + 0.5);
            } else {
                Xapian::Enquire enq(db->db);
                enq.set_weighting_scheme(Xapian::BoolWeight());
                enq.set_query(reduced);
                *out = enq.get_mset(0, 0).get_matches_estimated();
            }
            *out = std::max(*out, at_least);
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_mset_exact(const xapc_mset *m)
{
    assert(m);
    return m->exact;
}

void xapc_mset_free(xapc_mset *m)
{
    delete m;
}

size_t xapc_mset_size(const xapc_mset *m)
{
    assert(m);
    return m->hits.size();
}

size_t xapc_mset_total(const xapc_mset *m)
{
    assert(m);
    return m->total;
}

unsigned xapc_mset_docid(const xapc_mset *m, size_t i)
{
    assert(m && i < m->hits.size());
    return m->hits[i].docid;
}

double xapc_mset_weight(const xapc_mset *m, size_t i)
{
    assert(m && i < m->hits.size());
    return m->hits[i].weight;
}

const char *xapc_mset_data(const xapc_mset *m, size_t i, size_t *len)
{
    assert(m && i < m->hits.size());
    const std::string &s = m->hits[i].data;
    if (len)
        *len = s.size();
    return s.c_str();
}

size_t xapc_mset_facet_size(const xapc_mset *m, size_t spy)
{
    assert(m && spy < m->facets.size());
    return m->facets[spy].size();
}

const char *xapc_mset_facet(const xapc_mset *m, size_t spy, size_t j, size_t *len,
                            size_t *count)
{
    assert(m && spy < m->facets.size() && j < m->facets[spy].size());
    const auto &f = m->facets[spy][j];
    if (len)
        *len = f.first.size();
    if (count)
        *count = f.second;
    return f.first.c_str();
}

int xapc_db_weigh(xapc_db *db, const xapc_query *q, const unsigned *docids, size_t n,
                  double *weights, int *matched)
{
    assert(db && q && (docids || n == 0) && weights && matched);
    try {
        for (size_t i = 0; i < n; i++) {
            weights[i] = 0;
            matched[i] = 0;
        }
        if (n == 0)
            return 0;
        std::vector<Xapian::docid> ids(docids, docids + n);
        with_reopen(db->db, [&] {
            Xapian::Enquire enq(db->db);
            enq.set_weighting_scheme(Xapian::BM25Weight());
            enq.set_query(only_documents(q->q, unique_terms(db->db, db->id_prefix, ids.data(), n)));
            Xapian::MSet ms = enq.get_mset(0, db->db.get_doccount());
            for (size_t i = 0; i < n; i++) {
                weights[i] = 0;
                matched[i] = 0;
            }
            for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
                for (size_t i = 0; i < n; i++) {
                    if (docids[i] == *it) {
                        weights[i] = it.get_weight();
                        matched[i] = 1;
                    }
                }
            }
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_matching(xapc_db *db, const xapc_query *q, const unsigned *docids, size_t n,
                     int *matched)
{
    assert(db && q && (docids || n == 0) && matched);
    try {
        std::fill(matched, matched + n, 0);
        if (n == 0)
            return 0;
        with_reopen(db->db, [&] {
            std::fill(matched, matched + n, 0);
            Xapian::Enquire enq(db->db);
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_query(q->q);
            Xapian::MSet ms = enq.get_mset(0, db->db.get_doccount());
            for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
                for (size_t i = 0; i < n; i++)
                    matched[i] |= docids[i] == *it;
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_max_weight(xapc_db *db, const xapc_query *q, double *out)
{
    assert(db && q && out);
    *out = 0;
    try {
        with_reopen(db->db, [&] {
            Xapian::Enquire enq(db->db);
            enq.set_weighting_scheme(Xapian::BM25Weight());
            enq.set_query(q->q);
            Xapian::MSet ms = enq.get_mset(0, 1);
            *out = ms.empty() ? 0 : ms.begin().get_weight();
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

} // extern "C"
