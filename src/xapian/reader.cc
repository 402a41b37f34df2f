// The read-only database and its lookups (see xapc.h): closing and
// reopening (open.cc opens it), metadata, frequencies, spelling suggestions, term lists,
// relevance feedback. Every read moves to the latest revision and tries
// again when a writer overwrote the one it read (with_reopen()).

#include <xapian.h>

#include <cassert>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "oasis.h"
#include "util/error.h"
#include "xapian/guard.hh"
#include "xapian/handles.hh"
#include "xapian/xapc.h"

using namespace xapc;

namespace {

using term_values = std::vector<std::pair<std::string, double>>;

// Runs collect(v) under with_reopen(), v emptied before each try, then
// hands the collected terms to the caller's callback, outside any retry.
template <class F> void collect_and_call(xapc_db *db, xapc_term_fn fn, void *userdata, F collect)
{
    term_values v;
    with_reopen(db->db, [&] {
        v.clear();
        collect(v);
    });
    for (const auto &t : v)
        if (fn(userdata, t.first.data(), t.first.size(), t.second))
            break;
}

// Keeps the unprefixed terms: Xapian's prefixes are upper-case.
class unprefixed_only : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &term) const override
    {
        return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
    }
};

} // namespace

extern "C" {

/* ---- read-only database ---- */

void xapc_db_free(xapc_db *db)
{
    if (!db)
        return;
    try {
        db->db.close();
    } catch (...) {
        fail_db(db);
    }
    delete db;
}

int xapc_db_reopen(xapc_db *db, int *changed)
{
    assert(db);
    if (changed)
        *changed = 0;
    try {
        bool c = db->db.reopen();
        // The shards' own handles (their metadata is read through them)
        // follow the combined one.
        for (auto &s : db->shards)
            s.db.reopen();
        if (changed)
            *changed = c ? 1 : 0;
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_get_metadata(xapc_db *db, const char *key, char **out, size_t *len)
{
    assert(db && key && out);
    *out = nullptr;
    try {
        std::string v;
        with_reopen(db->db, [&] { v = db->db.get_metadata(key); });
        return copy_out(v, out, len);
    } catch (...) {
        return fail_db(db);
    }
}

size_t xapc_db_doc_count(xapc_db *db)
{
    assert(db);
    try {
        return db->db.get_doccount();
    } catch (...) {
        fail_db(db);
        return 0;
    }
}

size_t xapc_db_term_freq(xapc_db *db, const char *term, size_t len)
{
    assert(db);
    try {
        size_t n = 0;
        with_reopen(db->db, [&] { n = db->db.get_termfreq(str(term, len)); });
        return n;
    } catch (...) {
        fail_db(db);
        return 0;
    }
}

/* ---- search helpers ---- */

int xapc_db_spelling(xapc_db *db, const char *word, size_t len, unsigned max_edit, char **out)
{
    assert(db && out);
    *out = nullptr;
    try {
        std::string s;
        with_reopen(db->db, [&] { s = db->db.get_spelling_suggestion(str(word, len), max_edit); });
        return copy_out(s, out, nullptr);
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_has_spelling(xapc_db *db, int *out)
{
    assert(db && out);
    *out = 0;
    try {
        bool any = false;
        with_reopen(db->db, [&] { any = db->db.spellings_begin() != db->db.spellings_end(); });
        *out = any ? 1 : 0;
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
    }
}

int xapc_db_terms(xapc_db *db, const char *prefix, size_t len, size_t max, xapc_term_fn fn,
                  void *userdata)
{
    assert(db && fn);
    try {
        std::string p = str(prefix, len);
        collect_and_call(db, fn, userdata, [&](term_values &v) {
            for (Xapian::TermIterator t = db->db.allterms_begin(p); t != db->db.allterms_end(p);
                 ++t) {
                if (max && v.size() == max)
                    break;
                v.emplace_back(*t, t.get_termfreq());
            }
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_spellings(xapc_db *db, const char *prefix, size_t len, size_t max, xapc_term_fn fn,
                      void *userdata)
{
    assert(db && fn);
    try {
        std::string p = str(prefix, len);
        collect_and_call(db, fn, userdata, [&](term_values &v) {
            Xapian::TermIterator it = db->db.spellings_begin();
            it.skip_to(p);
            for (; it != db->db.spellings_end(); ++it) {
                const std::string word = *it;
                if (word.compare(0, p.size(), p) != 0 || (max && v.size() == max))
                    break;
                v.emplace_back(word, it.get_termfreq());
            }
        });
        return 0;
    } catch (const Xapian::UnimplementedError &) {
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
    }
}

int xapc_db_doc_terms(xapc_db *db, unsigned docid, const char *prefix, size_t len,
                      xapc_term_fn fn, void *userdata)
{
    assert(db && fn);
    try {
        std::string p = str(prefix, len);
        collect_and_call(db, fn, userdata, [&](term_values &v) {
            Xapian::TermIterator it = db->db.termlist_begin(docid);
            it.skip_to(p);
            for (; it != db->db.termlist_end(docid); ++it) {
                const std::string term = *it;
                if (term.compare(0, p.size(), p) != 0)
                    break;
                v.emplace_back(term, it.get_wdf());
            }
        });
        return 0;
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_error(OASIS_ENOTFOUND, e, db->path.c_str());
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_find(xapc_db *db, const char *term, size_t len, unsigned *docid)
{
    assert(db && docid);
    *docid = 0;
    try {
        std::string t = str(term, len);
        with_reopen(db->db, [&] {
            Xapian::PostingIterator p = db->db.postlist_begin(t);
            *docid = p != db->db.postlist_end(t) ? *p : 0;
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_doc_wdf(xapc_db *db, unsigned docid, const char *term, size_t len, unsigned *wdf)
{
    assert(db && wdf);
    *wdf = 0;
    try {
        std::string t = str(term, len);
        with_reopen(db->db, [&] {
            Xapian::TermIterator it = db->db.termlist_begin(docid);
            it.skip_to(t);
            *wdf = it != db->db.termlist_end(docid) && *it == t ? it.get_wdf() : 0;
        });
        return 0;
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_error(OASIS_ENOTFOUND, e, db->path.c_str());
    } catch (...) {
        return fail_db(db);
    }
}

int xapc_db_expand(xapc_db *db, const unsigned *docids, size_t n, size_t max, xapc_term_fn fn,
                   void *userdata)
{
    assert(db && (docids || n == 0) && fn);
    try {
        Xapian::RSet rset;
        for (size_t i = 0; i < n; i++)
            rset.add_document(docids[i]);
        collect_and_call(db, fn, userdata, [&](term_values &v) {
            Xapian::Enquire enq(db->db);
            unprefixed_only decider;
            // Over several databases (shards), Xapian approximates the
            // terms' frequencies unless told otherwise: exact ones give
            // the expansion of one database holding them all.
            Xapian::ESet eset = enq.get_eset(clamp_count(max, Xapian::termcount(-1)), rset,
                                             Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
            for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it)
                v.emplace_back(*it, it.get_weight());
        });
        return 0;
    } catch (...) {
        return fail_db(db);
    }
}

} // extern "C"
