// The firewall between libxapian and C (see guard.hh): the mapping of
// Xapian's error classes to OASIS_E* codes, the terminate handler, the
// scope of a write call.

#include "xapian/guard.hh"

#include <xapian.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <new>
#include <string>

#include "oasis.h"
#include "util/error.h"
#include "xapian/handles.hh"

namespace xapc {

namespace {

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

// The remote databases of the failing call (fail(path, remotes)), for
// network errors that do not name theirs.
thread_local const std::string *call_remotes = nullptr;

// what, then the remote database e is about, as "HOST:PORT" (Xapian's
// context of a TCP connection is "remote:tcp(HOST:PORT)"); without one,
// those of the call.
std::string remote_lead(const char *what, const Xapian::Error &e)
{
    std::string lead = what;
    const std::string &ctx = e.get_context();
    const std::string tcp = "remote:tcp(";
    if (ctx.compare(0, tcp.size(), tcp) == 0 && ctx.back() == ')')
        lead += ": " + ctx.substr(tcp.size(), ctx.size() - tcp.size() - 1);
    else if (call_remotes && !call_remotes->empty())
        lead += ": " + *call_remotes;
    return lead;
}

} // namespace

bool path_missing(const char *path)
{
    if (!path)
        return false;
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    return !ec && !exists;
}

bool is_stub(const char *path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!path)
        return false;
    if (fs::is_regular_file(path, ec))
        return true;
    return fs::is_directory(path, ec) && !fs::exists(fs::path(path) / "iamglass", ec) &&
           fs::is_regular_file(fs::path(path) / "XAPIANDB", ec);
}

// The message of an error of Xapian: "index PATH: " when the database is
// known, a lead saying what it means when Xapian's own words do not, then
// "xapian: Type: message (system error)".
int xapian_error(int code, const Xapian::Error &e, const char *path, const char *lead)
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

// Called from a catch block: maps the exception in flight to a code and a
// message. Each class of Xapian's errors has its meaning: only damage is
// OASIS_ECORRUPT (DatabaseCorruptError, and a bare DatabaseError without a
// system error, which glass throws for a table shorter than its blocks
// say); a failed read or write of the system (a full disk) is OASIS_EIO; a
// remote database out of reach OASIS_ENETWORK; a backend or feature this
// libxapian lacks OASIS_EUNSUPPORTED. path, when given, is the database's,
// named in the message; when opening it, it also tells a missing database
// from a broken one.
int fail(const char *path) noexcept
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
        return xapian_error(OASIS_ENETWORK, e, path,
                            remote_lead("a remote database did not answer in time", e).c_str());
    } catch (const Xapian::NetworkError &e) {
        return xapian_error(OASIS_ENETWORK, e, path,
                            remote_lead("a remote database cannot be reached", e).c_str());
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

int fail(const char *path, const std::string &remotes) noexcept
{
    call_remotes = &remotes;
    int code = fail(path);
    call_remotes = nullptr;
    return code;
}

namespace {

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

} // namespace

void install_terminate_handler()
{
    std::call_once(terminate_once, [] { previous_terminate = std::set_terminate(on_terminate); });
}

write_scope::write_scope(const xapc_wdb *w) noexcept : outer_(writing_index)
{
    writing_index = w->path.c_str();
}

write_scope::~write_scope()
{
    writing_index = outer_;
}

} // namespace xapc

extern "C" {

int xapc_is_stub(const char *path)
{
    try {
        return xapc::is_stub(path) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

const char *xapc_version(void)
{
    return Xapian::version_string();
}

} // extern "C"
