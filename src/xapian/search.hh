// What search.cc lends to the rest of the wrapper. Internal to
// src/xapian/.
#ifndef OASIS_XAPIAN_SEARCH_HH
#define OASIS_XAPIAN_SEARCH_HH

#include <xapian.h>

#include <vector>

namespace xapc {

// The documents ids (any order), weighing nothing: a filter that lets a
// query be weighed on those documents only, or an AND_NOT leave them out.
Xapian::Query docids_query(std::vector<Xapian::docid> ids);

} // namespace xapc

#endif
