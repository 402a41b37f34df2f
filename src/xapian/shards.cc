// Writers of several databases (see xapc.h): a sharded index directory,
// the temporary shards of a parallel build, the threads that write them,
// and the changesets kept for replication.
//
// A sharded index is a directory DIR holding shard0 … shardN-1, one glass
// database each, spelling, a glass database without documents that holds
// the spelling table, and XAPIANDB, a stub file in Xapian's format naming
// them all ("auto shard0" … "auto spelling"), which Xapian opens when it
// is given DIR. The spelling database is listed last so that the merged
// document ids of the shards keep their relative order.

#include <xapian.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "oasis.h"
#include "util/error.h"
extern "C" {
#include "xapian/glassdir.h"
}
#include "xapian/guard.hh"
#include "xapian/handles.hh"
#include "xapian/shards.hh"
#include "xapian/xapc.h"

namespace fs = std::filesystem;

namespace xapc {

// Changes waiting for a shard's thread, at most: the caller waits beyond,
// so that documents do not pile up in memory ahead of the writers.
constexpr size_t max_queued = 64;

workers::workers(size_t n) : lanes_(n)
{
    for (size_t k = 0; k < n; k++)
        lanes_[k].thread = std::thread([this, k] { run(k); });
}

workers::~workers()
{
    {
        std::lock_guard<std::mutex> lk(m_);
        stop_ = true;
    }
    for (auto &l : lanes_)
        l.work.notify_one();
    for (auto &l : lanes_)
        l.thread.join();
}

void workers::run(size_t k)
{
    lane &l = lanes_[k];
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
        l.work.wait(lk, [&] { return stop_ || !l.queue.empty(); });
        if (l.queue.empty())
            return; // stopping, nothing left
        bool was_full = l.queue.size() >= max_queued;
        std::function<void()> f = std::move(l.queue.front());
        l.queue.pop_front();
        l.busy = true;
        bool skip = static_cast<bool>(l.error);
        lk.unlock();
        if (was_full)
            space_.notify_all();
        if (!skip) {
            try {
                f();
            } catch (...) {
                lk.lock();
                l.error = std::current_exception();
                lk.unlock();
            }
        }
        f = nullptr;
        lk.lock();
        l.busy = false;
        if (l.queue.empty())
            idle_.notify_all();
    }
}

void workers::post(size_t k, std::function<void()> f)
{
    std::unique_lock<std::mutex> lk(m_);
    lane &l = lanes_[k];
    space_.wait(lk, [&] { return l.queue.size() < max_queued; });
    bool was_empty = l.queue.empty();
    l.queue.push_back(std::move(f));
    lk.unlock();
    if (was_empty)
        l.work.notify_one();
}

void workers::wait()
{
    std::unique_lock<std::mutex> lk(m_);
    idle_.wait(lk, [&] {
        for (auto &l : lanes_)
            if (l.busy || !l.queue.empty())
                return false;
        return true;
    });
    for (auto &l : lanes_) {
        if (l.error) {
            std::exception_ptr e = l.error;
            for (auto &o : lanes_)
                o.error = nullptr;
            lk.unlock();
            std::rethrow_exception(e);
        }
    }
}

size_t workers::size() const
{
    return lanes_.size();
}

changesets_env::changesets_env(int n)
{
    const char *old = std::getenv(name);
    had_ = old != nullptr;
    if (had_)
        old_ = old;
    set_ = n >= 0;
    if (set_)
        setenv(name, std::to_string(n).c_str(), 1);
}

changesets_env::~changesets_env()
{
    if (!set_)
        return;
    if (had_)
        setenv(name, old_.c_str(), 1);
    else
        unsetenv(name);
}

std::string shard_name(size_t k)
{
    return "shard" + std::to_string(k);
}

} // namespace xapc

using namespace xapc;

namespace {

constexpr const char *stub_name = "XAPIANDB";
constexpr const char *spelling_name = "spelling";

std::string stub_text(size_t shards)
{
    std::string s;
    for (size_t k = 0; k < shards; k++)
        s += "auto " + shard_name(k) + "\n";
    s += std::string("auto ") + spelling_name + "\n";
    return s;
}

// The shards DIR/XAPIANDB names: the "auto shardK" lines, in order.
int read_stub(const std::string &dir, unsigned *n)
{
    std::ifstream in(dir + "/" + stub_name);
    if (!in)
        return oa_error(OASIS_EIO, "index %s: cannot read %s: %s", dir.c_str(), stub_name,
                        std::strerror(errno));
    std::string line;
    unsigned k = 0;
    while (std::getline(in, line))
        if (line == "auto " + shard_name(k))
            k++;
    if (k == 0)
        return oa_error(OASIS_EINDEX, "index %s: %s names no shard", dir.c_str(), stub_name);
    *n = k;
    return 0;
}

// Writes DIR/XAPIANDB in one step (a new file renamed over it), unless it
// already says the same.
void write_stub(const std::string &dir, size_t shards)
{
    std::string want = stub_text(shards), path = dir + "/" + stub_name;
    {
        std::ifstream in(path);
        std::stringstream have;
        if (in && (have << in.rdbuf()) && have.str() == want)
            return;
    }
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << want;
        out.flush();
        if (!out)
            throw std::system_error(errno, std::generic_category(), "cannot write " + tmp);
    }
    fs::rename(tmp, path);
}

Xapian::WritableDatabase open_glass(const std::string &path, int flags)
{
    return Xapian::WritableDatabase(path, flags | Xapian::DB_BACKEND_GLASS);
}

} // namespace

extern "C" {

int xapc_shards_count(const char *path, unsigned *n)
{
    *n = 0;
    try {
        std::error_code ec;
        // A directory with a stub is a sharded index (is_stub() says
        // stub of it too); a stub file names one database to write.
        if (fs::is_directory(path, ec) && fs::exists(std::string(path) + "/" + stub_name, ec))
            return read_stub(path, n);
        if (is_stub(path)) {
            *n = 1;
            return 0;
        }
        if (!xapc_glassdir_index_missing(path))
            *n = 1;
        return 0;
    } catch (...) {
        return fail(path);
    }
}

int xapc_wdb_open_setup(xapc_wdb **out, const char *path, const xapc_wdb_setup *setup)
{
    *out = nullptr;
    size_t shards = setup->shards > 1 ? setup->shards : 1;
    if (shards == 1 && !setup->temporary) {
        int rc;
        {
            changesets_env env(setup->changesets);
            rc = xapc_wdb_open(out, path);
        }
        // Temporary shards of a parallel build cut short: held by no one
        // now that this writer has the index's lock.
        std::error_code ec;
        if (!rc && !is_stub(path))
            fs::remove_all(std::string(path) + ".jobs", ec);
        return rc;
    }
    std::string at = path;
    try {
        install_terminate_handler();
        auto w = std::make_unique<xapc_wdb>();
        w->path = path;
        w->shards = shards;
        w->spelling_apart = true;
        std::string dir = path;
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            return oa_error(OASIS_EIO, "cannot create directory %s: %s", path,
                            ec.message().c_str());
        if (setup->temporary) {
            // path itself stays an empty glass database, held for the
            // lock, until the parts are merged into it.
            {
                changesets_env env(setup->changesets);
                w->lock = open_glass(dir, Xapian::DB_CREATE_OR_OPEN);
            }
            w->temporary = true;
            w->temp_dir = dir + ".jobs";
            fs::remove_all(w->temp_dir); // a run cut short
            fs::create_directories(w->temp_dir);
            dir = w->temp_dir;
        }
        {
            // Temporary parts are merged, never replicated.
            changesets_env env(setup->temporary ? 0 : setup->changesets);
            // Temporary parts are not synced to disk: a run cut short
            // leaves nothing of them anyway, and their merge is synced.
            // The shards of an existing index must all be there: one
            // created empty in place of a lost one would hide its loss.
            bool exists = !setup->temporary && fs::exists(dir + "/" + stub_name, ec);
            int flags = setup->temporary ? Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC
                        : exists         ? Xapian::DB_OPEN
                                         : Xapian::DB_CREATE_OR_OPEN;
            for (size_t k = 0; k <= shards; k++) {
                xapc_part p;
                p.path = dir + "/" + (k < shards ? shard_name(k) : std::string(spelling_name));
                at = p.path;
                p.db = open_glass(p.path, flags);
                w->parts.push_back(std::move(p));
            }
        }
        at = path;
        if (!setup->temporary)
            write_stub(dir, shards);
        if (setup->threads > 1)
            w->pool = new workers(shards + 1); // the last for the spellings
        *out = w.release();
        return 0;
    } catch (...) {
        return fail(at.c_str());
    }
}

size_t xapc_wdb_part_count(const xapc_wdb *w)
{
    return w->parts.size();
}

int xapc_wdb_temporary(const xapc_wdb *w)
{
    return w->temporary ? 1 : 0;
}

} // extern "C"
