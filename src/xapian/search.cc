// Matching (see xapc.h): the enquires and their msets, the ranking passes,
// the facet spy, exact counts and estimates, weighing some documents, and
// the posting source of a list of docids.

#include "xapian/search.hh"

#include <xapian.h>

#include <algorithm>
#include <cassert>
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

// Counts the values of some slots over the matches, as Xapian's
// ValueCountMatchSpy does for one (empty values left out), with one call
// per match for them all and hashed values instead of a sorted map.
class slot_counter : public Xapian::MatchSpy {
  public:
    slot_counter(const unsigned *slots, size_t n) : slots_(slots, slots + n), counts_(n) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        for (size_t i = 0; i < slots_.size(); i++) {
            std::string v = doc.get_value(slots_[i]);
            if (!v.empty())
                ++counts_[i][std::move(v)];
        }
    }
    const std::unordered_map<std::string, size_t> &counts(size_t i) const { return counts_[i]; }

  private:
    std::vector<unsigned> slots_;
    std::vector<std::unordered_map<std::string, size_t>> counts_;
};

// The documents of a list of ids (any order), weighing nothing: a filter
// that lets a query be weighed on those documents only, or an AND_NOT
// leave them out.
class docid_source : public Xapian::PostingSource {
  public:
    explicit docid_source(std::vector<Xapian::docid> ids) : ids_(std::move(ids))
    {
        std::sort(ids_.begin(), ids_.end());
        ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    }
    Xapian::doccount get_termfreq_min() const override { return ids_.size(); }
    Xapian::doccount get_termfreq_est() const override { return ids_.size(); }
    Xapian::doccount get_termfreq_max() const override { return ids_.size(); }
    void init(const Xapian::Database &) override
    {
        at_ = 0;
        started_ = false;
        set_maxweight(0);
    }
    void next(double) override
    {
        if (started_)
            ++at_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started_ = true;
        at_ = static_cast<size_t>(std::lower_bound(ids_.begin() + at_, ids_.end(), did) -
                                  ids_.begin());
    }
    bool at_end() const override { return at_ >= ids_.size(); }
    Xapian::docid get_docid() const override { return ids_[at_]; }
    docid_source *clone() const override { return new docid_source(ids_); }

  private:
    std::vector<Xapian::docid> ids_;
    size_t at_ = 0;
    bool started_ = false;
};

// Ranks a query with positional bonuses (see without_bonuses()) by cheap,
// the query without them: the first rescore_window documents (the
// caller's policy, whatever page is asked for, so that pages follow on)
// get the weights of the bonuses they match added and are reordered, then
// the page is cut. Beyond them, the order is that of the ranking without
// bonuses.
void rank_rescored(Xapian::Database &db, Xapian::Enquire &enq, const Xapian::Query &cheap,
                   const std::vector<Xapian::Query> &bonuses, Xapian::doccount rescore_window,
                   Xapian::doccount first, Xapian::doccount max, xapc_mset &m)
{
    Xapian::doccount want = std::max(rescore_window, first + max);
    enq.set_query(cheap);
    Xapian::MSet pre = enq.get_mset(0, want, want);
    m.exact = pre.get_matches_lower_bound() == pre.get_matches_upper_bound();
    m.total = pre.get_matches_estimated();
    std::vector<std::pair<Xapian::docid, double>> ranked;
    ranked.reserve(pre.size());
    for (Xapian::MSetIterator it = pre.begin(); it != pre.end(); ++it)
        ranked.emplace_back(*it, it.get_weight());
    size_t window = std::min<size_t>(rescore_window, ranked.size());
    if (first < window && !bonuses.empty()) {
        std::vector<Xapian::docid> ids;
        for (size_t i = 0; i < window; i++)
            ids.push_back(ranked[i].first);
        // A query's weight is the sum of its matching subqueries' weights
        // (BM25's parts are per term): q's weight of a document is cheap's
        // plus that of the bonuses it matches.
        Xapian::PostingSource *src = new docid_source(std::move(ids));
        Xapian::Query any(Xapian::Query::OP_OR, bonuses.begin(), bonuses.end());
        enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, any, Xapian::Query(src->release())));
        Xapian::MSet extra = enq.get_mset(0, window);
        std::unordered_map<Xapian::docid, double> add;
        for (Xapian::MSetIterator it = extra.begin(); it != extra.end(); ++it)
            add[*it] = it.get_weight();
        for (size_t i = 0; i < window; i++) {
            auto f = add.find(ranked[i].first);
            if (f != add.end())
                ranked[i].second += f->second;
        }
        // Best first, equal weights by docid as Xapian orders them.
        std::sort(ranked.begin(), ranked.begin() + window, [](const auto &x, const auto &y) {
            return x.second > y.second || (x.second == y.second && x.first < y.first);
        });
    }
    for (size_t i = first; i < ranked.size() && i < size_t(first) + max; i++)
        m.hits.push_back(hit{ranked[i].first, ranked[i].second,
                             db.get_document(ranked[i].first).get_data()});
}

// One attempt of a search (a DatabaseError escapes to the caller, which
// reopens and tries again: with_reopen()). Without rank: look at every
// match (exact totals and spies); with it, a ranking under that policy
// that stops once the page is known.
void run_search(Xapian::Database &db, const Xapian::Query &q, size_t offset, size_t limit,
                const unsigned *slots, size_t n_slots, xapc_mset &m,
                const xapc_rank_policy *rank = nullptr)
{
    bool exact = !rank;
    m.hits.clear();
    m.facets.clear();
    slot_counter spy(slots, n_slots);
    Xapian::Enquire enq(db); // after the spy: destroyed before it
    enq.set_weighting_scheme(Xapian::BM25Weight());
    enq.set_query(q);
    if (n_slots)
        enq.add_matchspy(&spy);
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
            Xapian::doccount window = clamp_count(rank->rescore_window, Xapian::doccount(-1));
            rank_rescored(db, enq, cheap, bonuses, window, first, max, m);
            return;
        }
    }
    Xapian::MSet ms = enq.get_mset(first, max, exact ? all : first + max);
    assert(!exact || ms.get_matches_lower_bound() == ms.get_matches_upper_bound());
    m.exact = ms.get_matches_lower_bound() == ms.get_matches_upper_bound();
    m.total = ms.get_matches_estimated();
    m.hits.reserve(ms.size());
    for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
        m.hits.push_back(hit{*it, it.get_weight(), it.get_document().get_data()});
    m.facets.resize(n_slots);
    for (size_t i = 0; i < n_slots; i++) {
        m.facets[i].assign(spy.counts(i).begin(), spy.counts(i).end());
        std::sort(m.facets[i].begin(), m.facets[i].end()); // by value, as Xapian's spy gives them
    }
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

// Accepts the documents of a sorted list of docids.
class docid_set : public Xapian::MatchDecider {
    const std::vector<Xapian::docid> &ids;

  public:
    explicit docid_set(const std::vector<Xapian::docid> &v) : ids(v) {}
    bool operator()(const Xapian::Document &doc) const override
    {
        return std::binary_search(ids.begin(), ids.end(), doc.get_docid());
    }
};

} // namespace

namespace xapc {

Xapian::Query docids_query(std::vector<Xapian::docid> ids)
{
    Xapian::PostingSource *src = new docid_source(std::move(ids));
    return Xapian::Query(src->release()); // owned by the query once released
}

} // namespace xapc

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
        with_reopen(db->db, [&] { run_search(db->db, q->q, offset, limit, count_slots, n_slots, *m); });
        *out = m.release();
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
    }
}

int xapc_db_rank(xapc_db *db, const xapc_query *q, size_t offset, size_t limit, xapc_mset **out)
{
    assert(db && q && out);
    *out = nullptr;
    try {
        auto m = std::make_unique<xapc_mset>();
        with_reopen(db->db,
                    [&] { run_search(db->db, q->q, offset, limit, nullptr, 0, *m, &db->rank); });
        *out = m.release();
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
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
                m->hits.push_back(hit{*it, 0, it.get_document().get_data()});
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
        return fail(db->path.c_str());
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
        return fail(db->path.c_str());
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
        std::sort(ids.begin(), ids.end());
        docid_set only(ids);
        with_reopen(db->db, [&] {
            Xapian::Enquire enq(db->db);
            enq.set_weighting_scheme(Xapian::BM25Weight());
            enq.set_query(q->q);
            Xapian::MSet ms =
                enq.get_mset(0, clamp_count(n, Xapian::doccount(-1)), nullptr, &only);
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
        return fail(db->path.c_str());
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
        return fail(db->path.c_str());
    }
}

} // extern "C"
