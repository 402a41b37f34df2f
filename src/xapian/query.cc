// Queries built from the C side (see xapc.h): terms, operators, scaling,
// fixed weights.

#include <xapian.h>

#include <cassert>
#include <memory>
#include <string>
#include <vector>

#include "oasis.h"
#include "util/error.h"
#include "xapian/guard.hh"
#include "xapian/handles.hh"
#include "xapian/rewrite.hh"
#include "xapian/xapc.h"

using namespace xapc;

extern "C" {

/* ---- queries ---- */

xapc_query *xapc_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos)
{
    try {
        return new xapc_query{Xapian::Query(str(term, len), wqf, pos)};
    } catch (...) {
        fail();
        return nullptr;
    }
}

xapc_query *xapc_query_match_all(void)
{
    try {
        /* A fresh query, not a copy of the global Query::MatchAll: its
         * reference count is not atomic, and threads would race on it. */
        return new xapc_query{Xapian::Query(std::string())};
    } catch (...) {
        fail();
        return nullptr;
    }
}

xapc_query *xapc_query_combine(xapc_op op, xapc_query *const *subs, size_t n, unsigned window)
{
    try {
        if (n == 0)
            return new xapc_query{Xapian::Query::MatchNothing};
        Xapian::Query::op xop;
        Xapian::termcount param = 0;
        switch (op) {
        case XAPC_AND: xop = Xapian::Query::OP_AND; break;
        case XAPC_OR: xop = Xapian::Query::OP_OR; break;
        case XAPC_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case XAPC_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        case XAPC_FILTER: xop = Xapian::Query::OP_FILTER; break;
        case XAPC_PHRASE:
        case XAPC_NEAR:
            xop = op == XAPC_PHRASE ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_NEAR;
            param = window ? window : static_cast<Xapian::termcount>(n);
            break;
        case XAPC_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
        case XAPC_ELITE_SET:
            xop = Xapian::Query::OP_ELITE_SET;
            param = window; // the set size; 0: Xapian's default
            break;
        default:
            oa_error(OASIS_EINVAL, "unknown query operator %d", static_cast<int>(op));
            return nullptr;
        }
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) {
            if (!subs[i]) {
                oa_error(OASIS_EINVAL, "null subquery %zu", i);
                return nullptr;
            }
            v.push_back(subs[i]->q);
        }
        // A phrase or NEAR is built weighed exactly (positions_checked()).
        return new xapc_query{positions_checked(Xapian::Query(xop, v.begin(), v.end(), param))};
    } catch (...) {
        fail();
        return nullptr;
    }
}

xapc_query *xapc_query_copy(const xapc_query *q)
{
    assert(q);
    try {
        return new xapc_query{q->q};
    } catch (...) {
        fail();
        return nullptr;
    }
}

xapc_query *xapc_query_scale(const xapc_query *q, double factor)
{
    assert(q);
    try {
        return new xapc_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)};
    } catch (...) {
        fail();
        return nullptr;
    }
}

char *xapc_query_describe(const xapc_query *q)
{
    assert(q);
    try {
        char *s = nullptr;
        copy_out(q->q.get_description(), &s, nullptr);
        return s;
    } catch (...) {
        fail();
        return nullptr;
    }
}

void xapc_query_free(xapc_query *q)
{
    delete q;
}

/* ---- query rewrites ---- */

xapc_query *xapc_query_without_bonuses(const xapc_query *q, unsigned bonus_ops,
                                       xapc_query **bonuses)
{
    assert(q);
    if (bonuses)
        *bonuses = nullptr;
    try {
        bool changed = false;
        std::vector<Xapian::Query> weighed;
        Xapian::Query cheap = without_bonuses(q->q, bonus_ops, &weighed, changed);
        auto out = std::make_unique<xapc_query>(xapc_query{cheap});
        if (bonuses)
            *bonuses = new xapc_query{Xapian::Query(Xapian::Query::OP_OR, weighed.begin(),
                                                    weighed.end())};
        return out.release();
    } catch (...) {
        fail();
        return nullptr;
    }
}

int xapc_query_same(const xapc_query *a, const xapc_query *b)
{
    assert(a && b);
    try {
        return a->q.serialise() == b->q.serialise();
    } catch (...) {
        return 0; // a part that cannot be serialised: not known to be the same
    }
}

xapc_query *xapc_query_same_matches(const xapc_query *q, const char *prefix)
{
    assert(q);
    try {
        return new xapc_query{same_matches(q->q, prefix ? prefix : "")};
    } catch (...) {
        fail();
        return nullptr;
    }
}

xapc_query *xapc_query_fixed(double weight)
{
    try {
        // Owned by the query once released to it.
        Xapian::PostingSource *src = new Xapian::FixedWeightPostingSource(weight);
        return new xapc_query{Xapian::Query(src->release())};
    } catch (...) {
        fail();
        return nullptr;
    }
}

} // extern "C"
