// xapc — the C wrapper over libxapian (see xapc.h). Every extern "C"
// function ends in a catch-all that turns the exception into an OASIS_E*
// code and a message: no exception may unwind into C frames.

#include "xapian/xapc.h"

#include <xapian.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "oasis.h"
#include "util/error.h"

struct xapc_doc {
    Xapian::Document doc;
};

// Every change is made inside a flushed transaction begun on the first write
// after a commit, so that xapc_wdb_free() can cancel it: close() and the
// destructor would otherwise commit whatever is pending. A database in
// memory (Xapian's inmemory backend, which has neither transactions nor a
// spelling table) is for a run that writes nothing: it takes each change
// at once and keeps the metadata only, so that its memory stays that of
// the records of the files read, not of their documents.
struct xapc_wdb {
    Xapian::WritableDatabase db;
    std::string path; // "" for a database in memory
    bool in_txn = false;
    bool memory = false;
    int failed = 0;          // the code of a write that failed (see broken())
    std::string failed_msg;  // and its message
};

struct xapc_db {
    Xapian::Database db;
    std::string path; // named in error messages
};

struct xapc_query {
    Xapian::Query q;
};

namespace {

struct hit {
    Xapian::docid docid;
    double weight;
    std::string data;
};

using facet_list = std::vector<std::pair<std::string, size_t>>;

} // namespace

// Everything the C side reads, copied out of the Xapian::MSet so that no lazy
// fetch touches the database after xapc_db_search() returns.
struct xapc_mset {
    size_t total = 0;
    bool exact = true; // total is exact, not an estimate
    std::vector<hit> hits;
    std::vector<facet_list> facets;
};

namespace {

// Retries of a search that met a revision overwritten by a writer.
constexpr int max_reopen_retries = 5;

std::string str(const char *s, size_t n)
{
    return n ? std::string(s, n) : std::string();
}

bool path_missing(const char *path)
{
    if (!path)
        return false;
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    return !ec && !exists;
}

// 1 when path is a directory holding glass table files, one of them not
// empty: a database, whatever Xapian finds wrong with it. (Empty tables
// alone are what a creation cut short leaves: nothing committed.)
bool holds_tables(const char *path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!path || !fs::is_directory(path, ec))
        return false;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path &p = it->path();
        std::error_code size_ec;
        if (p.extension() == ".glass" && fs::file_size(p, size_ec) > 0 && !size_ec)
            return true;
    }
    return false;
}

// 1 when path is a file: Xapian reads it as a stub database file, which
// names the databases to open (local paths, remote servers).
bool is_stub(const char *path)
{
    std::error_code ec;
    return path && std::filesystem::is_regular_file(path, ec);
}

// The message of an error of Xapian: "index PATH: " when the database is
// known, a lead saying what it means when Xapian's own words do not, then
// "xapian: Type: message (system error)".
int xapian_error(int code, const Xapian::Error &e, const char *path = nullptr,
                 const char *lead = nullptr)
{
    const char *sys = nullptr;
    try {
        sys = e.get_error_string();
    } catch (...) {
        sys = nullptr;
    }
    std::string head;
    if (path && *path)
        head = std::string("index ") + path + ": ";
    if (lead && *lead)
        head += std::string(lead) + ": ";
    std::string msg = e.get_msg();
    if (!e.get_context().empty()) // a remote database: which one
        msg += " (context: " + e.get_context() + ")";
    if (sys && *sys)
        return oa_error(code, "%sxapian: %s: %s (%s)", head.c_str(), e.get_type(), msg.c_str(),
                        sys);
    return oa_error(code, "%sxapian: %s: %s", head.c_str(), e.get_type(), msg.c_str());
}

// The system's errors that say a file could not be written or read, not
// that the database is damaged: a full disk above all.
constexpr int io_errnos[] = {ENOSPC, EDQUOT, EFBIG, EIO, EROFS, EACCES, EPERM};

// The system error under e, as strerror() words it (""): its own, or one
// that Xapian put in its message. When a commit fails, glass rolls back
// and rethrows a bare DatabaseError "Modifications failed (DatabaseError:
// Error writing block 4 (No space left on device)), and couldn't open at
// the old revision: ..." that carries no errno of its own.
std::string system_error(const Xapian::Error &e)
{
    const char *sys = nullptr;
    try {
        sys = e.get_error_string();
    } catch (...) {
    }
    if (sys && *sys)
        return sys;
    const std::string &msg = e.get_msg();
    for (int no : io_errnos) {
        const char *text = std::strerror(no);
        if (msg.find(text) != std::string::npos)
            return text;
    }
    return std::string();
}

// strerror's words lower-cased for a lead: "no space left on device".
std::string lower_first(std::string s)
{
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z' && !(s.size() > 1 && s[1] >= 'A' && s[1] <= 'Z'))
        s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

bool has_errno(const Xapian::Error &e)
{
    return !system_error(e).empty();
}

std::string system_lead(const Xapian::Error &e)
{
    return lower_first(system_error(e));
}

// Called from a catch block: maps the exception in flight to a code and a
// message. Each class of Xapian's errors has its meaning: only damage is
// OASIS_ECORRUPT (DatabaseCorruptError, and a bare DatabaseError without a
// system error, which glass throws for a table shorter than its blocks
// say); a failed read or write of the system (a full disk) is OASIS_EIO; a
// remote database out of reach OASIS_ENETWORK; a backend or feature this
// libxapian lacks OASIS_EUNSUPPORTED. path, when given, is the database's,
// named in the message; when opening it, it also tells a missing database
// from a broken one.
int fail(const char *path = nullptr) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return xapian_error(OASIS_ELOCKED, e, path, "locked by another writer");
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_error(OASIS_EVERSION, e, path,
                            "in a database format this libxapian does not read");
    } catch (const Xapian::DatabaseOpeningError &e) {
        // DatabaseNotFoundError included: Xapian found no database where
        // it looked. To the caller: no such index, when the path is
        // missing or holds no tables; a database whose version file is
        // gone or unreadable, when it holds some; and for a stub file, a
        // database it names that is missing or cannot be opened.
        // (Xapian's error classes have no virtual functions: no
        // dynamic_cast, but each knows its name.)
        bool not_found = std::strcmp(e.get_type(), "DatabaseNotFoundError") == 0;
        if (path_missing(path))
            return xapian_error(OASIS_ENOTFOUND, e, path);
        if (is_stub(path)) {
            if (not_found)
                return xapian_error(OASIS_ENOTFOUND, e, path,
                                    "a database its stub file names does not exist");
            if (has_errno(e))
                return xapian_error(OASIS_EIO, e, path, system_lead(e).c_str());
            return xapian_error(OASIS_EINDEX, e, path,
                                "cannot be opened (neither a database directory nor a stub "
                                "file naming databases)");
        }
        if (holds_tables(path))
            return xapian_error(OASIS_ECORRUPT, e, path);
        if (has_errno(e) && !not_found)
            return xapian_error(OASIS_EIO, e, path, system_lead(e).c_str());
        return xapian_error(path || not_found ? OASIS_ENOTFOUND : OASIS_EINDEX, e, path);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_error(OASIS_ECORRUPT, e, path);
    } catch (const Xapian::DatabaseCreateError &e) {
        return xapian_error(OASIS_EIO, e, path, "cannot be created");
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_error(OASIS_EINDEX, e, path,
                            "changed by a writer while it was read, again and again: try again");
    } catch (const Xapian::DatabaseClosedError &e) {
        return xapian_error(OASIS_EINDEX, e, path);
    } catch (const Xapian::DatabaseError &e) {
        // Glass throws the base class for the system's failures (errno
        // set: a full disk, an I/O error, also when only its message
        // names it) and for a table that ends where its blocks say it
        // goes on (no errno): damage.
        if (has_errno(e))
            return xapian_error(OASIS_EIO, e, path, system_lead(e).c_str());
        return xapian_error(OASIS_ECORRUPT, e, path);
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_error(OASIS_ENOTFOUND, e, path);
    } catch (const Xapian::NetworkTimeoutError &e) {
        return xapian_error(OASIS_ENETWORK, e, path, "a remote database did not answer in time");
    } catch (const Xapian::NetworkError &e) {
        return xapian_error(OASIS_ENETWORK, e, path, "a remote database cannot be reached");
    } catch (const Xapian::UnimplementedError &e) {
        return xapian_error(OASIS_EUNSUPPORTED, e, path, "not supported by this libxapian");
    } catch (const Xapian::FeatureUnavailableError &e) {
        return xapian_error(OASIS_EUNSUPPORTED, e, path, "not supported by this libxapian");
    } catch (const Xapian::InvalidArgumentError &e) {
        return xapian_error(OASIS_EINVAL, e, path);
    } catch (const Xapian::InvalidOperationError &e) {
        return xapian_error(OASIS_EINVAL, e, path);
    } catch (const Xapian::Error &e) {
        // AssertionError, InternalError, SerialisationError, RangeError...:
        // an error of the engine that says nothing of the index itself.
        return xapian_error(OASIS_EINDEX, e, path);
    } catch (const std::bad_alloc &) {
        return oa_error(OASIS_ENOMEM, "out of memory");
    } catch (const std::exception &e) {
        return oa_error(OASIS_EINDEX, "xapian wrapper: %s", e.what());
    } catch (...) {
        return oa_error(OASIS_EINDEX, "xapian wrapper: unknown exception");
    }
}

// libxapian 1.4 can throw out of code that may not throw: on a damaged
// postlist table, a DatabaseCorruptError raised inside commit_transaction()
// reaches a noexcept frame of the library, and the C++ runtime calls
// std::terminate() without running any catch of ours. The process must end
// then; while a thread is inside a write call, a terminate handler first
// says which index was being written and what Xapian reported. Anywhere
// else the handler that was there before runs, unchanged.
thread_local const char *writing_index = nullptr;
std::terminate_handler previous_terminate = nullptr;
std::once_flag terminate_once;

[[noreturn]] void on_terminate()
{
    // A failed write of the system is still in errno: libxapian 1.4
    // writes value chunks from a destructor while it commits, so a full
    // disk met there ends here, without an exception to tell it.
    int sys = errno;
    if (writing_index && (sys == ENOSPC || sys == EDQUOT)) {
        std::fprintf(stderr,
                     "liboasis: index %s: %s: libxapian cannot recover from a write that "
                     "failed inside a commit, and stops the program; the batches committed "
                     "before are intact\n",
                     writing_index, lower_first(std::strerror(sys)).c_str());
        errno = sys; // for a handler of SIGABRT
        std::abort();
    }
    if (writing_index) {
        std::string what = "an unknown exception";
        try {
            if (std::exception_ptr e = std::current_exception())
                std::rethrow_exception(e);
        } catch (const Xapian::Error &e) {
            what = e.get_description();
        } catch (const std::exception &e) {
            what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr,
                     "liboasis: libxapian failed where it cannot recover, writing the index "
                     "%s: %s\n",
                     writing_index, what.c_str());
        std::abort();
    }
    if (previous_terminate)
        previous_terminate();
    std::abort();
}

void install_terminate_handler()
{
    std::call_once(terminate_once, [] { previous_terminate = std::set_terminate(on_terminate); });
}

// Marks the calling thread as inside a write call on w for its lifetime.
class write_scope {
  public:
    explicit write_scope(const xapc_wdb *w) noexcept : outer_(writing_index)
    {
        writing_index = w->path.c_str();
    }
    ~write_scope() { writing_index = outer_; }
    write_scope(const write_scope &) = delete;
    write_scope &operator=(const write_scope &) = delete;

  private:
    const char *outer_;
};

int copy_out(const std::string &s, char **out, size_t *len)
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

// After a write that failed, libxapian may have dropped every change not
// committed yet: replace_document() and delete_document() cancel them on
// any error, a failed commit rolls back to the last revision, and a commit
// that cannot roll back (a full disk) closes the database. Nothing more
// may then be written through w: a later commit would record, say, a file
// as indexed whose documents were dropped. broken() marks w so (from a
// catch block, after fail() recorded the error) and refuse() gives that
// error again to every later change or commit; an index opened again
// holds every batch committed before.
int broken(xapc_wdb *w, int code) noexcept
{
    w->failed = code;
    try {
        w->failed_msg = oa_error_message();
    } catch (...) {
        w->failed_msg = "out of memory";
    }
    return code;
}

int refuse(const xapc_wdb *w)
{
    return oa_error(w->failed, "%s", w->failed_msg.c_str());
}

// Opens the transaction that the next change goes into.
void ensure_txn(xapc_wdb *w)
{
    if (!w->in_txn && !w->memory) {
        w->db.begin_transaction(true);
        w->in_txn = true;
    }
}

Xapian::doccount clamp_count(size_t n, Xapian::doccount max)
{
    return n < max ? static_cast<Xapian::doccount>(n) : max;
}

// One attempt of xapc_db_search(); DatabaseModifiedError escapes to the
// caller, which reopens and tries again.
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

// ---- ranking: positions read for a few documents only ----

bool within(const Xapian::Query &x0, const Xapian::Query &y0, const std::string &prefix);

bool positional(const Xapian::Query &q)
{
    auto t = q.get_type();
    if (t == Xapian::Query::OP_PHRASE || t == Xapian::Query::OP_NEAR)
        return true;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        if (positional(q.get_subquery(i)))
            return true;
    return false;
}

// q without its positional bonuses: each subquery of an OR that reads
// positions and matches only where another subquery of that OR does (a
// phrase of words the OR asks for anyway). The documents matched are the
// same. Each bonus that adds weight where it matches (not on the right of
// an AND_NOT or a FILTER) goes to *weighed: q weighs a document as the
// query without them plus those of them that match it.
Xapian::Query without_bonuses(const Xapian::Query &q, std::vector<Xapian::Query> *weighed,
                              bool &changed)
{
    auto t = q.get_type();
    size_t n = q.get_num_subqueries();
    // Only where weights add up. (A bonus is never scaled alone: the
    // compiler scales phrases within it, and the factor of a scaled query
    // cannot be read back.)
    if (n == 0 || (t != Xapian::Query::OP_OR && t != Xapian::Query::OP_AND &&
                   t != Xapian::Query::OP_AND_NOT && t != Xapian::Query::OP_FILTER &&
                   t != Xapian::Query::OP_AND_MAYBE))
        return q;
    std::vector<Xapian::Query> subs;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        Xapian::Query sub = q.get_subquery(i);
        bool weighs = weighed && (i == 0 || (t != Xapian::Query::OP_AND_NOT &&
                                            t != Xapian::Query::OP_FILTER));
        if (t == Xapian::Query::OP_OR && n > 1 && positional(sub)) {
            bool covered = false;
            for (size_t j = 0; j < n && !covered; j++)
                covered = j != i && !positional(q.get_subquery(j)) &&
                          within(sub, q.get_subquery(j), std::string());
            if (covered) {
                if (weighs)
                    weighed->push_back(sub);
                any = true;
                continue;
            }
        }
        bool sub_changed = false;
        subs.push_back(without_bonuses(sub, weighs ? weighed : nullptr, sub_changed));
        any |= sub_changed;
    }
    if (!any)
        return q;
    changed = true;
    if (subs.size() == 1 && t == Xapian::Query::OP_OR)
        return subs[0];
    return Xapian::Query(t, subs.begin(), subs.end());
}

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

// The documents of a ranking that get their positional bonuses weighed:
// the best of the ranking without them, whatever page is asked for, so
// that pages follow on. Beyond them, the order is that of the ranking
// without bonuses.
constexpr Xapian::doccount rescore_window = 20;

// Ranks a query with positional bonuses (see without_bonuses()) by cheap,
// the query without them: the first rescore_window documents get the
// weights of the bonuses they match added and are reordered, then the
// page is cut.
void rank_rescored(Xapian::Database &db, Xapian::Enquire &enq, const Xapian::Query &cheap,
                   const std::vector<Xapian::Query> &bonuses, Xapian::doccount first,
                   Xapian::doccount max, xapc_mset &m)
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

// exact: look at every match (exact totals and spies); else stop once the
// page is known.
void run_search(Xapian::Database &db, const Xapian::Query &q, size_t offset, size_t limit,
                const unsigned *slots, size_t n_slots, xapc_mset &m, bool exact = true)
{
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
    // A ranking reads positions for its best documents only.
    if (!exact) {
        bool changed = false;
        std::vector<Xapian::Query> bonuses;
        Xapian::Query cheap = without_bonuses(q, &bonuses, changed);
        if (changed) {
            rank_rescored(db, enq, cheap, bonuses, first, max, m);
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

// Runs f on db, moving to the latest revision and trying again when a
// writer has overwritten the one being read. Glass reports that as
// DatabaseModifiedError, but a reader that meets blocks the writer has
// just reused may first see them as corrupt or short (DatabaseCorruptError,
// "EOF reading block"): every database error is retried on the latest
// revision, and one that stays is real.
template <class F> void with_reopen(Xapian::Database &db, F f)
{
    for (int retries = 0;; retries++) {
        try {
            f();
            return;
        } catch (const Xapian::DatabaseError &) {
            if (retries == max_reopen_retries)
                throw;
        }
        // From the second round on, a pause lets a writer finish what it
        // was replacing (a compacted copy being swapped in, say).
        if (retries > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(retries));
        // Reopening can meet the writer too: the next round retries it.
        try {
            db.reopen();
        } catch (const Xapian::DatabaseError &) {
            if (retries == max_reopen_retries)
                throw;
        }
    }
}

// ---- counting: a query reduced to the documents it matches ----

std::string term_of(const Xapian::Query &q)
{
    return *q.get_terms_begin();
}

// 1 when every document x matches, y matches too, as far as the shapes of
// the two queries tell (0 says nothing). A term prefix+t is known to come
// with t (the caller's promise about the index) when prefix is not empty.
bool within(const Xapian::Query &x0, const Xapian::Query &y0, const std::string &prefix)
{
    Xapian::Query x = x0, y = y0;
    while (x.get_type() == Xapian::Query::OP_SCALE_WEIGHT)
        x = x.get_subquery(0);
    while (y.get_type() == Xapian::Query::OP_SCALE_WEIGHT)
        y = y.get_subquery(0);
    auto xt = x.get_type(), yt = y.get_type();
    if (xt == Xapian::Query::LEAF_TERM && yt == Xapian::Query::LEAF_TERM) {
        std::string a = term_of(x), b = term_of(y);
        if (a == b)
            return true;
        return !prefix.empty() && a.size() > prefix.size() &&
               a.compare(0, prefix.size(), prefix) == 0 && a.compare(prefix.size(), std::string::npos, b) == 0;
    }
    if (yt == Xapian::Query::OP_OR || yt == Xapian::Query::OP_SYNONYM) {
        for (size_t i = 0; i < y.get_num_subqueries(); i++)
            if (within(x, y.get_subquery(i), prefix))
                return true;
    }
    if ((yt == Xapian::Query::OP_AND || yt == Xapian::Query::OP_FILTER) && y.get_num_subqueries()) {
        bool all = true;
        for (size_t i = 0; i < y.get_num_subqueries() && all; i++)
            all = within(x, y.get_subquery(i), prefix);
        if (all)
            return true;
    }
    switch (xt) {
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
        for (size_t i = 0; i < x.get_num_subqueries(); i++)
            if (!within(x.get_subquery(i), y, prefix))
                return false;
        return x.get_num_subqueries() > 0;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        for (size_t i = 0; i < x.get_num_subqueries(); i++)
            if (within(x.get_subquery(i), y, prefix))
                return true;
        return false;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
        return x.get_num_subqueries() > 0 && within(x.get_subquery(0), y, prefix);
    default:
        return false;
    }
}

// A query matching the same documents as q, cheaper to count: weights
// dropped, the optional side of AND_MAYBE dropped, and each OR without the
// subqueries another of its subqueries already covers (a phrase bonus
// within its words, prefix+t within t).
Xapian::Query same_matches(const Xapian::Query &q, const std::string &prefix)
{
    auto t = q.get_type();
    size_t n = q.get_num_subqueries();
    std::vector<Xapian::Query> subs;
    switch (t) {
    case Xapian::Query::OP_SCALE_WEIGHT:
        return same_matches(q.get_subquery(0), prefix);
    case Xapian::Query::OP_AND_MAYBE:
        return n ? same_matches(q.get_subquery(0), prefix) : q;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM: {
        for (size_t i = 0; i < n; i++)
            subs.push_back(same_matches(q.get_subquery(i), prefix));
        // Every subquery seen so far is within one of kept: a new one is
        // dropped when within one of them, else replaces those within it.
        std::vector<Xapian::Query> kept;
        for (const Xapian::Query &sub : subs) {
            bool covered = false;
            for (size_t j = 0; j < kept.size() && !covered; j++)
                covered = within(sub, kept[j], prefix);
            if (covered)
                continue;
            kept.erase(std::remove_if(kept.begin(), kept.end(),
                                      [&](const Xapian::Query &k) { return within(k, sub, prefix); }),
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
            subs.push_back(same_matches(q.get_subquery(i), prefix));
        return Xapian::Query(t, subs.begin(), subs.end());
    default:
        return q;
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

using term_values = std::vector<std::pair<std::string, double>>;

// Hands the collected terms to the caller's callback, outside any retry.
void call_each(const term_values &v, xapc_term_fn fn, void *userdata)
{
    for (const auto &t : v)
        if (fn(userdata, t.first.data(), t.first.size(), t.second))
            break;
}

} // namespace

extern "C" {

/* ---- documents ---- */

xapc_doc *xapc_doc_new(void)
{
    try {
        return new xapc_doc();
    } catch (...) {
        fail();
        return nullptr;
    }
}

void xapc_doc_free(xapc_doc *d)
{
    delete d;
}

int xapc_doc_add_posting(xapc_doc *d, const char *term, size_t len, uint32_t pos, unsigned wdf_inc)
{
    assert(d);
    try {
        d->doc.add_posting(str(term, len), pos, wdf_inc);
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_add_term(xapc_doc *d, const char *term, size_t len, unsigned wdf_inc)
{
    assert(d);
    try {
        d->doc.add_term(str(term, len), wdf_inc);
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_add_boolean_term(xapc_doc *d, const char *term, size_t len)
{
    assert(d);
    try {
        d->doc.add_boolean_term(str(term, len));
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_set_value(xapc_doc *d, unsigned slot, const char *data, size_t len)
{
    assert(d);
    try {
        d->doc.add_value(slot, str(data, len));
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_set_data(xapc_doc *d, const char *data, size_t len)
{
    assert(d);
    try {
        d->doc.set_data(str(data, len));
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_is_stub(const char *path)
{
    try {
        return is_stub(path) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

/* ---- writable database ---- */

int xapc_wdb_open(xapc_wdb **out, const char *path)
{
    assert(out && path);
    *out = nullptr;
    try {
        // A file is a stub naming the database to write (Xapian opens it,
        // creating a local database it names when missing); anything else
        // is a glass database directory, created when missing. Xapian
        // creates the last directory only.
        bool stub = is_stub(path);
        std::error_code ec;
        if (!stub)
            std::filesystem::create_directories(path, ec);
        if (ec)
            return oa_error(OASIS_EIO, "cannot create directory %s: %s", path,
                            ec.message().c_str());
        install_terminate_handler();
        auto w = std::make_unique<xapc_wdb>();
        w->path = path;
        w->db = Xapian::WritableDatabase(
            path, Xapian::DB_CREATE_OR_OPEN | (stub ? 0 : Xapian::DB_BACKEND_GLASS));
        *out = w.release();
        return 0;
    } catch (...) {
        return fail(path);
    }
}

int xapc_wdb_open_memory(xapc_wdb **out)
{
    assert(out);
    *out = nullptr;
    try {
        install_terminate_handler();
        auto w = std::make_unique<xapc_wdb>();
        w->memory = true;
        w->db = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
        *out = w.release();
        return 0;
    } catch (...) {
        return fail();
    }
}

void xapc_wdb_free(xapc_wdb *w)
{
    if (!w)
        return;
    write_scope scope(w);
    // Uncommitted changes are all inside the open transaction: cancelling it
    // leaves close() (which commits outside a transaction) nothing to write.
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.cancel_transaction();
        }
    } catch (...) {
        fail(w->path.c_str());
    }
    try {
        w->db.close();
    } catch (...) {
        fail(w->path.c_str());
    }
    delete w;
}

int xapc_wdb_replace(xapc_wdb *w, const char *id_term, size_t len, const xapc_doc *d)
{
    assert(w && d);
    write_scope scope(w);
    if (w->memory)
        return 0;
    if (w->failed)
        return refuse(w);
    try {
        std::string id = str(id_term, len);
        // A later replace finds the document through this term only.
        Xapian::Document doc = d->doc;
        doc.add_boolean_term(id);
        ensure_txn(w);
        w->db.replace_document(id, doc);
        return 0;
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

int xapc_wdb_delete(xapc_wdb *w, const char *id_term, size_t len)
{
    assert(w);
    write_scope scope(w);
    if (w->memory)
        return 0;
    if (w->failed)
        return refuse(w);
    try {
        ensure_txn(w);
        w->db.delete_document(str(id_term, len));
        return 0;
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

int xapc_wdb_set_metadata(xapc_wdb *w, const char *key, const char *value, size_t len)
{
    assert(w && key);
    write_scope scope(w);
    if (w->failed)
        return refuse(w);
    try {
        ensure_txn(w);
        w->db.set_metadata(key, str(value, len));
        return 0;
    } catch (const Xapian::InvalidArgumentError &) {
        return fail(w->path.c_str()); // refused before any change: an empty key
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

int xapc_wdb_get_metadata(xapc_wdb *w, const char *key, char **out, size_t *len)
{
    assert(w && key && out);
    *out = nullptr;
    try {
        return copy_out(w->db.get_metadata(key), out, len);
    } catch (...) {
        return fail(w->path.c_str());
    }
}

int xapc_wdb_add_spelling(xapc_wdb *w, const char *word, size_t len, unsigned inc)
{
    assert(w);
    write_scope scope(w);
    if (w->memory)
        return 0;
    if (w->failed)
        return refuse(w);
    try {
        ensure_txn(w);
        w->db.add_spelling(str(word, len), inc);
        return 0;
    } catch (const Xapian::InvalidArgumentError &) {
        return fail(w->path.c_str());
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

int xapc_wdb_begin(xapc_wdb *w)
{
    assert(w);
    write_scope scope(w);
    if (w->failed)
        return refuse(w);
    try {
        // A flushed transaction commits what came before it.
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        }
        ensure_txn(w);
        return 0;
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

int xapc_wdb_commit(xapc_wdb *w)
{
    assert(w);
    write_scope scope(w);
    if (w->failed)
        return refuse(w);
    try {
        if (w->in_txn) {
            // Whether it succeeds or not, the transaction is over.
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        return 0;
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

int xapc_wdb_cancel(xapc_wdb *w)
{
    assert(w);
    write_scope scope(w);
    if (w->memory)
        return oa_error(OASIS_EUNSUPPORTED,
                        "an index in memory takes each change at once: it cannot cancel them");
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.cancel_transaction();
        }
        return 0;
    } catch (...) {
        return fail(w->path.c_str());
    }
}

size_t xapc_wdb_doc_count(xapc_wdb *w)
{
    assert(w);
    try {
        return w->db.get_doccount();
    } catch (...) {
        fail(w->path.c_str());
        return 0;
    }
}

// Commits made to raise a compact copy's revision, at most.
constexpr Xapian::rev compact_revision_max = 100000;

int xapc_wdb_compact(xapc_wdb *w, const char *dest)
{
    assert(w && dest);
    write_scope scope(w);
    if (w->memory)
        return oa_error(OASIS_EINVAL, "an index in memory is not compacted");
    if (is_stub(w->path.c_str()))
        return oa_error(OASIS_EINVAL,
                        "index %s is a stub file: compact the database it names instead",
                        w->path.c_str());
    if (w->failed)
        return refuse(w);
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        }
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
    try {
        // A reader of the committed revision: the writer's own handle
        // would also see what it has not committed.
        Xapian::Database src(w->path);
        Xapian::rev above = src.get_revision() + 1;
        src.compact(dest, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULL);
        src.close();
        // The copy is at revision 1. A reader of the old tables re-reads
        // them only when the revision it finds changes: the copy's is
        // raised above every revision a reader may hold (cheap commits
        // that change a metadata key, then one that syncs and clears it).
        const char *key = "oasis.compacting";
        {
            Xapian::WritableDatabase out(dest, Xapian::DB_OPEN | Xapian::DB_NO_SYNC |
                                                   Xapian::DB_BACKEND_GLASS);
            for (Xapian::rev r = out.get_revision(); r + 1 < above && r < compact_revision_max;
                 r = out.get_revision()) {
                out.set_metadata(key, std::to_string(r));
                out.commit();
            }
            out.close();
        }
        Xapian::WritableDatabase out(dest, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
        out.set_metadata(key, std::string());
        out.commit();
        out.close();
        return 0;
    } catch (...) {
        return fail(w->path.c_str());
    }
}

/* ---- read-only database ---- */

int xapc_db_open(xapc_db **out, const char *path)
{
    assert(out && path);
    *out = nullptr;
    try {
        auto db = std::make_unique<xapc_db>();
        db->path = path;
        // Opening while a writer commits can read a revision it is
        // replacing: try again, as a search would. Opening while a
        // compacted copy is swapped in can also find no database for an
        // instant (seen in a loop of searches during compactions): an
        // existing directory is tried again too, after a pause.
        for (int retries = 0;; retries++) {
            try {
                db->db = Xapian::Database(path);
                break;
            } catch (const Xapian::DatabaseCorruptError &) {
                if (retries == max_reopen_retries)
                    throw;
            } catch (const Xapian::DatabaseModifiedError &) {
                if (retries == max_reopen_retries)
                    throw;
            } catch (const Xapian::DatabaseOpeningError &) {
                if (retries == max_reopen_retries || path_missing(path))
                    throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        }
        *out = db.release();
        return 0;
    } catch (...) {
        return fail(path);
    }
}

void xapc_db_free(xapc_db *db)
{
    if (!db)
        return;
    try {
        db->db.close();
    } catch (...) {
        fail(db->path.c_str());
    }
    delete db;
}

int xapc_db_reopen(xapc_db *db)
{
    assert(db);
    try {
        db->db.reopen();
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
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
        return fail(db->path.c_str());
    }
}

size_t xapc_db_doc_count(xapc_db *db)
{
    assert(db);
    try {
        return db->db.get_doccount();
    } catch (...) {
        fail(db->path.c_str());
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
        fail(db->path.c_str());
        return 0;
    }
}

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
        return new xapc_query{Xapian::Query(xop, v.begin(), v.end(), param)};
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
        with_reopen(db->db, [&] { run_search(db->db, q->q, offset, limit, nullptr, 0, *m, false); });
        *out = m.release();
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
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
        return fail(db->path.c_str());
    }
}

int xapc_db_terms(xapc_db *db, const char *prefix, size_t len, size_t max, xapc_term_fn fn,
                  void *userdata)
{
    assert(db && fn);
    try {
        std::string p = str(prefix, len);
        term_values v;
        with_reopen(db->db, [&] {
            v.clear();
            for (Xapian::TermIterator t = db->db.allterms_begin(p); t != db->db.allterms_end(p);
                 ++t) {
                if (max && v.size() == max)
                    break;
                v.emplace_back(*t, t.get_termfreq());
            }
        });
        call_each(v, fn, userdata);
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
        term_values v;
        with_reopen(db->db, [&] {
            v.clear();
            Xapian::TermIterator it = db->db.termlist_begin(docid);
            it.skip_to(p);
            for (; it != db->db.termlist_end(docid); ++it) {
                const std::string term = *it;
                if (term.compare(0, p.size(), p) != 0)
                    break;
                v.emplace_back(term, it.get_wdf());
            }
        });
        call_each(v, fn, userdata);
        return 0;
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_error(OASIS_ENOTFOUND, e, db->path.c_str());
    } catch (...) {
        return fail(db->path.c_str());
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
        return fail(db->path.c_str());
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
        return fail(db->path.c_str());
    }
}

namespace {

// Keeps the unprefixed terms: Xapian's prefixes are upper-case.
class unprefixed_only : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &term) const override
    {
        return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
    }
};

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

int xapc_db_expand(xapc_db *db, const unsigned *docids, size_t n, size_t max, xapc_term_fn fn,
                   void *userdata)
{
    assert(db && (docids || n == 0) && fn);
    try {
        Xapian::RSet rset;
        for (size_t i = 0; i < n; i++)
            rset.add_document(docids[i]);
        term_values v;
        with_reopen(db->db, [&] {
            v.clear();
            Xapian::Enquire enq(db->db);
            unprefixed_only decider;
            Xapian::ESet eset =
                enq.get_eset(clamp_count(max, Xapian::termcount(-1)), rset, 0, &decider);
            for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it)
                v.emplace_back(*it, it.get_weight());
        });
        call_each(v, fn, userdata);
        return 0;
    } catch (...) {
        return fail(db->path.c_str());
    }
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

xapc_query *xapc_query_docids(const unsigned *ids, size_t n)
{
    try {
        Xapian::PostingSource *src = new docid_source(std::vector<Xapian::docid>(ids, ids + n));
        return new xapc_query{Xapian::Query(src->release())};
    } catch (...) {
        fail();
        return nullptr;
    }
}

const char *xapc_version(void)
{
    return Xapian::version_string();
}

} // extern "C"

