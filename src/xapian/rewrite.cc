// Pure rewrites of Xapian queries (see rewrite.hh).

#include "xapian/rewrite.hh"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "xapian/xapc.h"

namespace xapc {

namespace {

// The terms of the leaves one rewrite compares, each read once
// (Query::get_terms_begin() builds a list at every call; the thesaurus
// makes queries of a hundred leaves, compared pairwise). Each query read is
// kept, so that no other query takes its address while the cache lives.
class leaf_terms {
  public:
    const std::string &of(const Xapian::Query &q)
    {
        auto it = terms_.find(q.internal.get());
        if (it == terms_.end())
            it = terms_.emplace(q.internal.get(), std::make_pair(q, term_of(q))).first;
        return it->second.second;
    }

  private:
    std::unordered_map<const void *, std::pair<Xapian::Query, std::string>> terms_;
};

// 1 when every document x matches, y matches too, as far as the shapes of
// the two queries tell (0 says nothing). A term prefix+t is known to come
// with t (the caller's promise about the index) when prefix is not empty.
bool within(const Xapian::Query &x0, const Xapian::Query &y0, const std::string &prefix,
            leaf_terms &leaves);

// 1 when q or one of its subqueries is a positional operator of ops.
bool positional(const Xapian::Query &q, unsigned ops)
{
    auto t = q.get_type();
    if ((t == Xapian::Query::OP_PHRASE && (ops & XAPC_BONUS_PHRASE)) ||
        (t == Xapian::Query::OP_NEAR && (ops & XAPC_BONUS_NEAR)))
        return true;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        if (positional(q.get_subquery(i), ops))
            return true;
    return false;
}

} // namespace

// ---- positional queries weighed exactly ----

// See rewrite.hh.
Xapian::Query positions_checked(const Xapian::Query &p)
{
    auto t = p.get_type();
    if (t != Xapian::Query::OP_PHRASE && t != Xapian::Query::OP_NEAR)
        return p;
    Xapian::Query nothing_added(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(std::string()), 0);
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, p, nothing_added);
}

// ---- ranking: positions read for a few documents only ----

namespace {

// without_bonuses() of rewrite.hh, the leaves' terms read into leaves.
Xapian::Query without_bonuses(const Xapian::Query &q, unsigned ops,
                              std::vector<Xapian::Query> *weighed, bool &changed,
                              leaf_terms &leaves)
{
    auto t = q.get_type();
    size_t n = q.get_num_subqueries();
    // Only where weights add up. (A bonus is never scaled alone: the
    // compiler scales phrases within it, and the factor of a scaled query
    // cannot be read back.)
    if (n == 0 || !ops || (t != Xapian::Query::OP_OR && t != Xapian::Query::OP_AND &&
                   t != Xapian::Query::OP_AND_NOT && t != Xapian::Query::OP_FILTER &&
                   t != Xapian::Query::OP_AND_MAYBE))
        return q;
    std::vector<Xapian::Query> subs;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        Xapian::Query sub = q.get_subquery(i);
        bool weighs = weighed && (i == 0 || (t != Xapian::Query::OP_AND_NOT &&
                                            t != Xapian::Query::OP_FILTER));
        if (t == Xapian::Query::OP_OR && n > 1 && positional(sub, ops)) {
            bool covered = false;
            for (size_t j = 0; j < n && !covered; j++)
                covered = j != i && !positional(q.get_subquery(j), ops) &&
                          within(sub, q.get_subquery(j), std::string(), leaves);
            if (covered) {
                if (weighs)
                    weighed->push_back(sub);
                any = true;
                continue;
            }
        }
        bool sub_changed = false;
        subs.push_back(without_bonuses(sub, ops, weighs ? weighed : nullptr, sub_changed, leaves));
        any |= sub_changed;
    }
    if (!any)
        return q;
    changed = true;
    if (subs.size() == 1 && t == Xapian::Query::OP_OR)
        return subs[0];
    return Xapian::Query(t, subs.begin(), subs.end());
}

} // namespace

// See rewrite.hh.
Xapian::Query without_bonuses(const Xapian::Query &q, unsigned ops,
                              std::vector<Xapian::Query> *weighed, bool &changed)
{
    leaf_terms leaves;
    return without_bonuses(q, ops, weighed, changed, leaves);
}

// ---- counting: a query reduced to the documents it matches ----

std::string term_of(const Xapian::Query &q)
{
    return *q.get_terms_begin();
}

namespace {

// See above.
bool within(const Xapian::Query &x0, const Xapian::Query &y0, const std::string &prefix,
            leaf_terms &leaves)
{
    Xapian::Query x = x0, y = y0;
    while (x.get_type() == Xapian::Query::OP_SCALE_WEIGHT)
        x = x.get_subquery(0);
    while (y.get_type() == Xapian::Query::OP_SCALE_WEIGHT)
        y = y.get_subquery(0);
    auto xt = x.get_type(), yt = y.get_type();
    if (xt == Xapian::Query::LEAF_TERM && yt == Xapian::Query::LEAF_TERM) {
        const std::string &a = leaves.of(x), &b = leaves.of(y);
        if (a == b)
            return true;
        return !prefix.empty() && a.size() > prefix.size() &&
               a.compare(0, prefix.size(), prefix) == 0 && a.compare(prefix.size(), std::string::npos, b) == 0;
    }
    if (yt == Xapian::Query::OP_OR || yt == Xapian::Query::OP_SYNONYM) {
        for (size_t i = 0; i < y.get_num_subqueries(); i++)
            if (within(x, y.get_subquery(i), prefix, leaves))
                return true;
    }
    if ((yt == Xapian::Query::OP_AND || yt == Xapian::Query::OP_FILTER) && y.get_num_subqueries()) {
        bool all = true;
        for (size_t i = 0; i < y.get_num_subqueries() && all; i++)
            all = within(x, y.get_subquery(i), prefix, leaves);
        if (all)
            return true;
    }
    switch (xt) {
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
        for (size_t i = 0; i < x.get_num_subqueries(); i++)
            if (!within(x.get_subquery(i), y, prefix, leaves))
                return false;
        return x.get_num_subqueries() > 0;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        for (size_t i = 0; i < x.get_num_subqueries(); i++)
            if (within(x.get_subquery(i), y, prefix, leaves))
                return true;
        return false;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
        return x.get_num_subqueries() > 0 && within(x.get_subquery(0), y, prefix, leaves);
    default:
        return false;
    }
}

// A query matching the same documents as q, cheaper to count: weights
// dropped, the optional side of AND_MAYBE dropped, and each OR without the
// subqueries another of its subqueries already covers (a phrase bonus
// within its words, prefix+t within t).
Xapian::Query same_matches(const Xapian::Query &q, const std::string &prefix,
                           leaf_terms &leaves)
{
    auto t = q.get_type();
    size_t n = q.get_num_subqueries();
    std::vector<Xapian::Query> subs;
    switch (t) {
    case Xapian::Query::OP_SCALE_WEIGHT:
        return same_matches(q.get_subquery(0), prefix, leaves);
    case Xapian::Query::OP_AND_MAYBE:
        // A phrase or NEAR keeps its guard (positions_checked()).
        return n ? positions_checked(same_matches(q.get_subquery(0), prefix, leaves)) : q;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM: {
        for (size_t i = 0; i < n; i++)
            subs.push_back(same_matches(q.get_subquery(i), prefix, leaves));
        // Every subquery seen so far is within one of kept: a new one is
        // dropped when within one of them, else replaces those within it.
        std::vector<Xapian::Query> kept;
        for (const Xapian::Query &sub : subs) {
            bool covered = false;
            for (size_t j = 0; j < kept.size() && !covered; j++)
                covered = within(sub, kept[j], prefix, leaves);
            if (covered)
                continue;
            kept.erase(std::remove_if(
                           kept.begin(), kept.end(),
                           [&](const Xapian::Query &k) { return within(k, sub, prefix, leaves); }),
                       kept.end());
            kept.push_back(sub);
        }
        if (kept.size() == 1)
            return kept[0];
        return Xapian::Query(Xapian::Query::OP_OR, kept.begin(), kept.end());
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
        for (size_t i = 0; i < n; i++)
            subs.push_back(same_matches(q.get_subquery(i), prefix, leaves));
        return Xapian::Query(t, subs.begin(), subs.end());
    default:
        return q;
    }
}

} // namespace

// See rewrite.hh.
Xapian::Query same_matches(const Xapian::Query &q, const std::string &prefix)
{
    leaf_terms leaves;
    return same_matches(q, prefix, leaves);
}

} // namespace xapc
