// What the C handles of xapc.h hold, and the small conversions every part
// of the wrapper uses. Internal to src/xapian/.
#ifndef OASIS_XAPIAN_HANDLES_HH
#define OASIS_XAPIAN_HANDLES_HH

#include "xapian/xapc.h"

#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "oasis.h"
#include "util/error.h"
#include "xapian/guard.hh"

// A document being built, recorded rather than built, so that its
// Xapian::Document is made where it is written (a shard's thread, see
// shards.cc): postings, terms, values and data, applied in that order by
// build(), which gives what the same calls on a Xapian::Document give.
struct xapc_doc {
    struct posting {
        std::string term;
        Xapian::termpos pos;
        Xapian::termcount wdf;
        bool positional; // false: a term without position (add_term)
    };
    std::vector<posting> postings;
    std::vector<std::pair<Xapian::valueno, std::string>> values;
    std::string data;
    Xapian::Document build() const
    {
        Xapian::Document doc;
        for (const auto &p : postings) {
            if (p.positional)
                doc.add_posting(p.term, p.pos, p.wdf);
            else
                doc.add_term(p.term, p.wdf);
        }
        for (const auto &v : values)
            doc.add_value(v.first, v.second);
        doc.set_data(data);
        return doc;
    }
};

namespace xapc {
class workers; // shards.cc: one thread per shard of a parallel writer
}

// One database of a writer: a shard, or the spelling database of a
// sharded index.
struct xapc_part {
    Xapian::WritableDatabase db;
    std::string path;
};

// Every change is made inside a flushed transaction begun on the first write
// after a commit, so that xapc_wdb_free() can cancel it: close() and the
// destructor would otherwise commit whatever is pending. A database in
// memory (Xapian's inmemory backend, which has neither transactions nor a
// spelling table) is for a run that writes nothing: it takes each change
// at once and keeps the metadata only, so that its memory stays that of
// the records of the files read, not of their documents.
//
// A writer holds one database or several (shards.cc): parts[0, shards)
// take the documents, each by the hash of its id term, parts[0] also the
// metadata; parts[shards], when spelling_apart, every spelling. With a
// pool, each shard's documents, and the spellings, are written by a
// thread of their own.
struct xapc_wdb {
    std::vector<xapc_part> parts;
    size_t shards = 1;
    bool spelling_apart = false;
    std::string path; // "" for a database in memory
    // Temporary shards (xapc_wdb_open_parallel()): lock holds path, empty,
    // until xapc_wdb_compact() merges the parts into a copy of it.
    bool temporary = false;
    std::string temp_dir;
    Xapian::WritableDatabase lock;
    bool in_txn = false;
    bool memory = false;
    int failed = 0;          // the code of a write that failed (see broken())
    std::string failed_msg;  // and its message
    xapc::workers *pool = nullptr;
    // With a pool: spellings waiting to go to the spelling database's
    // thread (the last one), in batches.
    std::vector<std::pair<std::string, unsigned>> spell_batch;
};

struct xapc_db {
    // One database a stub names (or the index itself): opened alone, and
    // added to db. Its handle shares db's connection or files.
    struct shard {
        std::string name; // its path, or HOST:PORT, or the remote program
        Xapian::Database db;
        bool remote;
    };
    Xapian::Database db; // every shard, combined
    std::vector<shard> shards;
    std::string path; // named in error messages
    xapc_rank_policy rank = {0, 0}; // xapc_db_set_rank_policy(); none until set
    std::string id_prefix = "Q";    // xapc_db_set_id_prefix()
    unsigned id_slot = XAPC_NO_SLOT; // xapc_db_set_id_slot()
};

// fail() for a call on db: its path, and its remote databases named when
// a network error does not say which one it met.
inline int fail_db(const xapc_db *db) noexcept
{
    try {
        std::string remotes;
        for (const auto &s : db->shards)
            if (s.remote)
                remotes += (remotes.empty() ? "" : ", ") + s.name;
        return xapc::fail(db->path.c_str(), remotes);
    } catch (...) {
        return xapc::fail(db->path.c_str());
    }
}

struct xapc_query {
    Xapian::Query q;
};

namespace xapc {

struct hit {
    Xapian::docid docid;
    double weight;
    std::string data;
};

using facet_list = std::vector<std::pair<std::string, size_t>>;

inline std::string str(const char *s, size_t n)
{
    return n ? std::string(s, n) : std::string();
}

// A malloc'ed copy of s for the C side (*out; *len its length when len).
inline int copy_out(const std::string &s, char **out, size_t *len)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        return oa_error(OASIS_ENOMEM, "out of memory");
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *out = p;
    if (len)
        *len = s.size();
    return 0;
}

inline Xapian::doccount clamp_count(size_t n, Xapian::doccount max)
{
    return n < max ? static_cast<Xapian::doccount>(n) : max;
}

} // namespace xapc

// Everything the C side reads, copied out of the Xapian::MSet so that no lazy
// fetch touches the database after xapc_db_search() returns.
struct xapc_mset {
    size_t total = 0;
    bool exact = true; // total is exact, not an estimate
    std::vector<xapc::hit> hits;
    std::vector<xapc::facet_list> facets;
};

#endif
