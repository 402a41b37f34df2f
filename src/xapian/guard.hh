// The firewall between libxapian and C (guard.cc): every extern "C" function
// of the wrapper ends in a catch-all that calls fail(), which turns the
// exception in flight into an OASIS_E* code and a message; no exception
// may unwind into C frames. Also here: the terminate handler and the scope
// of a write call it reports, and reopen-and-retry for readers.
#ifndef OASIS_XAPIAN_GUARD_HH
#define OASIS_XAPIAN_GUARD_HH

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

struct xapc_wdb;

namespace xapc {

// Retries of a read that met a revision overwritten by a writer
// (DatabaseModifiedError). A revision is overwritten only after two more
// commits, so each retry that fails again means a writer committed twice
// during it: a reader gives up only against a writer that commits almost
// without pause, not because a busy machine slowed it while a rebuild
// committed a few times.
constexpr int max_modified_retries = 30;
// Retries of a read that met any other DatabaseError: a revision being
// overwritten can look corrupt before it looks modified, but an index
// that is really damaged should fail soon.
constexpr int max_reopen_retries = 5;

// 1 when path does not exist (false for NULL).
bool path_missing(const char *path);

// 1 when path is a file, or a directory holding a file XAPIANDB and no
// glass database: Xapian reads it as a stub database file, which names
// the databases to open (local paths, remote servers).
bool is_stub(const char *path);

// Records the error e of Xapian under code: "index PATH: " when the
// database is known, a lead saying what it means when Xapian's own words
// do not, then "xapian: Type: message (system error)". Returns code.
int xapian_error(int code, const Xapian::Error &e, const char *path = nullptr,
                 const char *lead = nullptr);

// Called from a catch block: maps the exception in flight to a code and a
// message (see guard.cc for the classes). path, when given, is the
// database's, named in the message; when opening it, it also tells a
// missing database from a broken one.
int fail(const char *path = nullptr) noexcept;
// The same, for a database with remote shards: a network error that does
// not say which server it met names remotes ("HOST:PORT, HOST:PORT").
int fail(const char *path, const std::string &remotes) noexcept;

// Installs, once per process, the terminate handler that names the index
// a thread was writing when libxapian ends the program.
void install_terminate_handler();

// Marks the calling thread as inside a write call on w for its lifetime,
// for the terminate handler.
class write_scope {
  public:
    explicit write_scope(const xapc_wdb *w) noexcept;
    ~write_scope();
    write_scope(const write_scope &) = delete;
    write_scope &operator=(const write_scope &) = delete;

  private:
    const char *outer_;
};

// Runs f on db, moving to the latest revision and trying again when a
// writer has overwritten the one being read. Glass reports that as
// DatabaseModifiedError, but a reader that meets blocks the writer has
// just reused may first see them as corrupt or short (DatabaseCorruptError,
// "EOF reading block"): every database error is retried on the latest
// revision, and one that stays is real.
template <class F> void with_reopen(Xapian::Database &db, F f)
{
    for (int modified = 0, other = 0;;) {
        try {
            f();
            return;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (++modified > max_modified_retries)
                throw;
        } catch (const Xapian::DatabaseError &) {
            if (++other > max_reopen_retries)
                throw;
        }
        // From the second round on, a pause lets a writer finish what it
        // was replacing (a compacted copy being swapped in, say).
        int rounds = modified + other;
        if (rounds > 1)
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(rounds - 1, 10)));
        // Reopening can meet the writer too: the next round retries it.
        try {
            db.reopen();
        } catch (const Xapian::DatabaseError &) {
            if (++other > max_reopen_retries)
                throw;
        }
    }
}

} // namespace xapc

#endif
