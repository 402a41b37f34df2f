// Opening an index for reading (see xapc.h): a glass directory, a directory
// holding a stub XAPIANDB, or a stub file, whose lines name local databases
// (auto, glass, chert: a path, relative to the stub's directory) and remote
// ones (remote HOST:PORT, remote :PROGRAM ARGS). Each database is opened
// here, one by one, and kept as a shard: so that a missing one is named,
// a remote one gets the caller's timeout, and the metadata of every shard
// can be read (Xapian gives the first shard's for the combined database).

#include <xapian.h>

#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "oasis.h"
#include "util/error.h"
#include "xapian/guard.hh"
#include "xapian/handles.hh"
#include "xapian/xapc.h"

using namespace xapc;
namespace fs = std::filesystem;

namespace {

// Stubs naming stubs: as deep as this, no deeper (a loop).
constexpr int max_stub_depth = 8;

// An error already recorded with oa_error(): its code.
struct open_failure {
    int code;
};

// The message oa_error() holds, without its "index PATH: " head.
std::string message_after(const std::string &path)
{
    std::string msg = oa_error_message();
    std::string head = "index " + path + ": ";
    if (msg.compare(0, head.size(), head) == 0)
        msg.erase(0, head.size());
    return msg;
}

// Records the error in flight, met opening the shard name of the index
// top, as "index TOP: shard NAME: what" (just fail(top) when the shard is
// the index itself).
[[noreturn]] void shard_failed(const std::string &top, const std::string &name)
{
    int code = fail(name.c_str());
    if (name != top)
        code = oa_error(code, "index %s: shard %s: %s", top.c_str(), name.c_str(),
                        message_after(name).c_str());
    throw open_failure{code};
}

// A local glass database. Opening while a writer commits can read a
// revision it is replacing: try again, as a search would. Opening while a
// compacted copy is swapped in can also find no database for an instant
// (seen in a loop of searches during compactions): an existing directory
// is tried again too, after a pause.
Xapian::Database open_local(const std::string &path)
{
    for (int retries = 0;; retries++) {
        try {
            return Xapian::Database(path);
        } catch (const Xapian::DatabaseCorruptError &) {
            if (retries == max_reopen_retries)
                throw;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (retries == max_reopen_retries)
                throw;
        } catch (const Xapian::DatabaseOpeningError &) {
            if (retries == max_reopen_retries || path_missing(path.c_str()))
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
}

class opener {
  public:
    opener(xapc_db &h, unsigned timeout_ms) : h_(h), timeout_(timeout_ms) {}

    // Opens path (the index itself, or a database a stub names) and adds
    // its databases as shards.
    void open(const std::string &path, int depth)
    {
        std::error_code ec;
        fs::path stub = fs::path(path) / "XAPIANDB";
        if (fs::is_regular_file(path, ec))
            read_stub(path, depth);
        else if (fs::is_directory(path, ec) && !fs::exists(fs::path(path) / "iamglass", ec) &&
                 fs::is_regular_file(stub, ec))
            read_stub(stub.string(), depth);
        else
            add_local(path);
    }

  private:
    void add(const std::string &name, const Xapian::Database &db, bool remote)
    {
        h_.shards.push_back(xapc_db::shard{name, db, remote});
        h_.db.add_database(db);
    }

    void add_local(const std::string &path)
    {
        try {
            add(path, open_local(path), false);
        } catch (...) {
            shard_failed(h_.path, path);
        }
    }

    void add_remote(const std::string &host, unsigned port)
    {
        std::string name = host + ":" + std::to_string(port);
        try {
            add(name, Xapian::Remote::open(host, port, timeout_, timeout_), true);
        } catch (const Xapian::NetworkError &e) {
            char lead[300];
            bool timeout = std::strcmp(e.get_type(), "NetworkTimeoutError") == 0;
            std::snprintf(lead, sizeof lead, "remote database %s: %s (waited %g s)",
                          timeout ? "did not answer in time" : "cannot be reached",
                          name.c_str(), timeout_ / 1000.0);
            throw open_failure{xapian_error(OASIS_ENETWORK, e, h_.path.c_str(), lead)};
        } catch (...) {
            shard_failed(h_.path, name);
        }
    }

    void add_program(const std::string &program, const std::string &args)
    {
        try {
            add(program, Xapian::Remote::open(program, args, timeout_), true);
        } catch (...) {
            shard_failed(h_.path, program);
        }
    }

    [[noreturn]] void bad_line(const std::string &file, unsigned line_no, const char *why)
    {
        throw open_failure{oa_error(OASIS_EINDEX,
                                    "index %s: cannot be opened (neither a database directory "
                                    "nor a stub file naming databases): %s:%u: %s",
                                    h_.path.c_str(), file.c_str(), line_no, why)};
    }

    // The lines of a stub file, in Xapian's format.
    void read_stub(const std::string &file, int depth)
    {
        if (depth > max_stub_depth)
            throw open_failure{oa_error(OASIS_EINDEX,
                                        "index %s: stub files name each other deeper than %d "
                                        "(a loop?), at %s",
                                        h_.path.c_str(), max_stub_depth, file.c_str())};
        std::ifstream in(file);
        if (!in)
            throw open_failure{oa_error(OASIS_EIO, "index %s: cannot read the stub file %s: %s",
                                        h_.path.c_str(), file.c_str(), std::strerror(errno))};
        fs::path dir = fs::path(file).parent_path();
        std::string line;
        unsigned line_no = 0, named = 0;
        while (std::getline(in, line)) {
            ++line_no;
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (line.empty() || line[0] == '#')
                continue;
            size_t space = line.find(' ');
            std::string type = line.substr(0, space);
            std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
            named++;
            if ((type == "auto" || type == "glass" || type == "chert") && !rest.empty()) {
                fs::path p(rest);
                std::string full = p.is_absolute() ? rest : (dir / p).string();
                if (path_missing(full.c_str()))
                    throw open_failure{oa_error(OASIS_ENOTFOUND,
                                                "index %s: a database its stub file names does "
                                                "not exist: %s (line %u of %s)",
                                                h_.path.c_str(), full.c_str(), line_no,
                                                file.c_str())};
                open(full, depth + 1);
            } else if (type == "remote" && !rest.empty() && rest[0] == ':') {
                size_t sp = rest.find(' ');
                add_program(rest.substr(1, sp == std::string::npos ? sp : sp - 1),
                            sp == std::string::npos ? "" : rest.substr(sp + 1));
            } else if (type == "remote" && !rest.empty()) {
                size_t colon = rest.rfind(':');
                char *end = nullptr;
                unsigned long port =
                    colon == std::string::npos ? 0 : std::strtoul(rest.c_str() + colon + 1, &end, 10);
                if (colon == std::string::npos || colon == 0 || !end || *end || port == 0 ||
                    port > 65535)
                    bad_line(file, line_no, "a remote database is named HOST:PORT");
                std::string host = rest.substr(0, colon);
                if (host.size() > 2 && host.front() == '[' && host.back() == ']')
                    host = host.substr(1, host.size() - 2);
                add_remote(host, static_cast<unsigned>(port));
            } else if (type == "flint" || type == "honey" || type == "inmemory") {
                // Backends this reader does not open (flint: Xapian 1.2's).
                throw Xapian::FeatureUnavailableError("a " + type + " database (" + file + ":" +
                                                      std::to_string(line_no) + ")");
            } else {
                bad_line(file, line_no,
                         "not a line of a stub file (auto PATH, glass PATH, remote HOST:PORT)");
            }
        }
        if (!named)
            throw open_failure{oa_error(OASIS_EINDEX, "index %s: the stub file %s names no database",
                                        h_.path.c_str(), file.c_str())};
    }

    xapc_db &h_;
    unsigned timeout_;
};

} // namespace

extern "C" {

int xapc_db_open_timeout(xapc_db **out, const char *path, unsigned timeout_ms)
{
    assert(out && path);
    *out = nullptr;
    try {
        auto db = std::make_unique<xapc_db>();
        db->path = path;
        if (path_missing(path))
            throw Xapian::DatabaseNotFoundError(std::string("no such file or directory: ") + path);
        opener(*db, timeout_ms ? timeout_ms : XAPC_TIMEOUT_MS).open(path, 0);
        *out = db.release();
        return 0;
    } catch (const open_failure &f) {
        return f.code;
    } catch (...) {
        return fail(path);
    }
}

int xapc_db_open(xapc_db **out, const char *path)
{
    return xapc_db_open_timeout(out, path, 0);
}

size_t xapc_db_shard_count(const xapc_db *db)
{
    assert(db);
    return db->shards.size();
}

const char *xapc_db_shard_name(const xapc_db *db, size_t i)
{
    assert(db && i < db->shards.size());
    return db->shards[i].name.c_str();
}

int xapc_db_shard_remote(const xapc_db *db, size_t i)
{
    assert(db && i < db->shards.size());
    return db->shards[i].remote;
}

int xapc_db_shard_metadata(xapc_db *db, size_t i, const char *key, char **out, size_t *len)
{
    assert(db && i < db->shards.size() && key && out);
    *out = nullptr;
    xapc_db::shard &s = db->shards[i];
    try {
        std::string v;
        with_reopen(s.db, [&] { v = s.db.get_metadata(key); });
        return copy_out(v, out, len);
    } catch (...) {
        return fail_db(db);
    }
}

size_t xapc_db_shard_doc_count(xapc_db *db, size_t i)
{
    assert(db && i < db->shards.size());
    try {
        return db->shards[i].db.get_doccount();
    } catch (...) {
        fail_db(db);
        return 0;
    }
}

} // extern "C"
