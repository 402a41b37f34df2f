// Pure rewrites of Xapian queries (rewrite.cc): a query in, a query out,
// no database. What the ranking and the counts of search.cc run instead of
// the query they are given. Internal to src/xapian/.
#ifndef OASIS_XAPIAN_REWRITE_HH
#define OASIS_XAPIAN_REWRITE_HH

#include <xapian.h>

#include <string>
#include <vector>

namespace xapc {

// A positional query (PHRASE, NEAR) as the matcher must be given it to
// weigh it exactly wherever it sits: AND_MAYBE(p, 0 x every document),
// which matches and weighs as p does. Xapian 1.4's matcher otherwise
// weighs a phrase inside an OR under an AND (or a FILTER) by its lazy
// check of positions, and may add the phrase's weight at a document where
// its positions were rejected; which documents depends on the order of
// their docids, so it differs between one index and its shards. The
// AND_MAYBE drives p by next and skip_to only, which test every document.
// Any other query is returned as it is.
Xapian::Query positions_checked(const Xapian::Query &p);

// The term of a LEAF_TERM query.
std::string term_of(const Xapian::Query &q);

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
