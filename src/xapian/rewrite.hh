// Pure rewrites of Xapian queries (rewrite.cc): a query in, a query out,
// no database. What the ranking and the counts of search.cc run instead of
// the query they are given. Internal to src/xapian/.
#ifndef OASIS_XAPIAN_REWRITE_HH
#define OASIS_XAPIAN_REWRITE_HH

#include <xapian.h>

#include <string>
#include <vector>

namespace xapc {

// The term of a LEAF_TERM query.
std::string term_of(const Xapian::Query &q);

// 1 when every document x matches, y matches too, as far as the shapes of
// the two queries tell (0 says nothing). A term prefix+t is known to come
// with t (the caller's promise about the index) when prefix is not empty.
bool within(const Xapian::Query &x0, const Xapian::Query &y0, const std::string &prefix);

// q without its positional bonuses: each subquery of an OR that holds an
// operator of ops (XAPC_BONUS_* of xapc.h) and matches only where another
// subquery of that OR, holding none, does (a phrase of words the OR asks
// for anyway). The documents matched are the same. Each bonus that adds
// weight where it matches (not on the right of an AND_NOT or a FILTER)
// goes to *weighed: q weighs a document as the query without them plus
// those of them that match it. changed is set when anything was left out.
Xapian::Query without_bonuses(const Xapian::Query &q, unsigned ops,
                              std::vector<Xapian::Query> *weighed, bool &changed);

// A query matching the same documents as q, cheaper to count: weights
// dropped, the optional side of AND_MAYBE dropped, and each OR without the
// subqueries another of its subqueries already covers (a phrase bonus
// within its words, prefix+t within t).
Xapian::Query same_matches(const Xapian::Query &q, const std::string &prefix);

} // namespace xapc

#endif
