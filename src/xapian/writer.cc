// The writable database and its documents (see xapc.h): changes inside
// transactions, metadata, spellings, and the call to Xapian's compaction.

#include <xapian.h>

#include <cassert>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "oasis.h"
#include "util/error.h"
#include "util/hash.h"
#include "xapian/shards.hh"
#include "xapian/guard.hh"
#include "xapian/handles.hh"
#include "xapian/xapc.h"

using namespace xapc;

namespace {

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

// Every database of w, in order: the shards, then the spelling database.
template <class F> void each_part(xapc_wdb *w, F f)
{
    for (auto &p : w->parts)
        f(p.db);
}

// Waits until the shards' threads (if any) have written what was posted
// to them; throws the first error one of them met.
// Spellings gathered for the spelling database's thread, at most.
constexpr size_t spell_batch_max = 4096;

// Hands the spellings gathered to the spelling database's thread.
void flush_spellings(xapc_wdb *w)
{
    if (w->spell_batch.empty())
        return;
    auto batch = std::make_shared<std::vector<std::pair<std::string, unsigned>>>();
    batch->swap(w->spell_batch);
    size_t k = w->shards;
    w->pool->post(k, [w, k, batch] {
        write_scope scope(w);
        for (const auto &s : *batch)
            w->parts[k].db.add_spelling(s.first, s.second);
    });
}

// Whether w's commits, transactions and metadata are queued on the parts'
// threads, in order with the documents, without the caller waiting for
// them: on temporary shards, which a run cut short leaves nothing of, a
// commit is not a point the caller must know reached, only the bound of
// what Xapian holds in memory. A failure there is reported by the next
// call that waits (a read, the compaction, the end).
bool queued(const xapc_wdb *w)
{
    return w->pool && w->temporary && w->pool->size() == w->parts.size();
}

void settle(xapc_wdb *w)
{
    if (w->pool) {
        flush_spellings(w);
        w->pool->wait();
    }
}

// Opens the transaction that the next change goes into. The threads are
// idle then: in_txn is false only after open, begin, commit or cancel,
// which all wait for them.
//
// Temporary shards are the exception (see queued()): their transactions
// begin and commit on their threads, in turn with the documents.
void ensure_txn(xapc_wdb *w)
{
    if (!w->in_txn && !w->memory) {
        if (queued(w))
            for (size_t k = 0; k < w->parts.size(); k++)
                w->pool->post(k, [w, k] { w->parts[k].db.begin_transaction(true); });
        else
            each_part(w, [](Xapian::WritableDatabase &db) { db.begin_transaction(true); });
        w->in_txn = true;
    }
}

// The shard of a document: the hash of its id term, so that it is written,
// replaced and deleted in the same shard by every run.
size_t shard_of(const xapc_wdb *w, const std::string &id)
{
    return w->shards > 1 ? oa_fnv1a(OA_FNV_BASIS, id.data(), id.size()) % w->shards : 0;
}

// Runs f on shard k: on its thread when the writer has some.
void on_shard(xapc_wdb *w, size_t k, std::function<void(Xapian::WritableDatabase &)> f)
{
    if (w->pool)
        w->pool->post(k, [w, k, f = std::move(f)] {
            write_scope scope(w);
            f(w->parts[k].db);
        });
    else
        f(w->parts[k].db);
}

Xapian::WritableDatabase &spelling_db(xapc_wdb *w)
{
    return w->parts[w->spelling_apart ? w->shards : 0].db;
}

// Commits every part. The shards other than the first, and the spelling
// database, first (at once on the threads), then shard 0, which holds the
// metadata (the records of the sources): a run cut short between the two
// leaves records that predate documents written, never records of
// documents lost, and the next run reads those sources again.
void commit_parts(xapc_wdb *w, bool txn)
{
    auto commit = [txn](Xapian::WritableDatabase &db) {
        if (txn)
            db.commit_transaction();
        else
            db.commit();
    };
    // Temporary shards, which a run cut short leaves nothing of, all at
    // once; queued after their documents, without waiting.
    if (queued(w)) {
        flush_spellings(w);
        for (size_t k = 0; k < w->parts.size(); k++)
            w->pool->post(k, [w, k, commit] { commit(w->parts[k].db); });
        return;
    }
    for (size_t k = w->temporary ? 0 : 1; k < w->parts.size(); k++) {
        if (w->pool && k < w->pool->size())
            w->pool->post(k, [w, k, commit] { commit(w->parts[k].db); });
        else
            commit(w->parts[k].db);
    }
    settle(w);
    if (!w->temporary)
        commit(w->parts[0].db);
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
        if (!len)
            throw Xapian::InvalidArgumentError("Empty termnames aren't allowed.");
        d->postings.push_back({str(term, len), pos, wdf_inc, true});
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_add_term(xapc_doc *d, const char *term, size_t len, unsigned wdf_inc)
{
    assert(d);
    try {
        if (!len)
            throw Xapian::InvalidArgumentError("Empty termnames aren't allowed.");
        d->postings.push_back({str(term, len), 0, wdf_inc, false});
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_add_boolean_term(xapc_doc *d, const char *term, size_t len)
{
    assert(d);
    try {
        if (!len)
            throw Xapian::InvalidArgumentError("Empty termnames aren't allowed.");
        d->postings.push_back({str(term, len), 0, 0, false});
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_set_value(xapc_doc *d, unsigned slot, const char *data, size_t len)
{
    assert(d);
    try {
        d->values.emplace_back(slot, str(data, len));
        return 0;
    } catch (...) {
        return fail();
    }
}

int xapc_doc_set_data(xapc_doc *d, const char *data, size_t len)
{
    assert(d);
    try {
        d->data = str(data, len);
        return 0;
    } catch (...) {
        return fail();
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
        xapc_part p;
        p.path = path;
        p.db = Xapian::WritableDatabase(
            path, Xapian::DB_CREATE_OR_OPEN | (stub ? 0 : Xapian::DB_BACKEND_GLASS));
        w->parts.push_back(std::move(p));
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
        xapc_part p;
        p.db = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
        w->parts.push_back(std::move(p));
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
    try {
        settle(w);
    } catch (...) {
        fail(w->path.c_str());
    }
    delete w->pool;
    w->pool = nullptr;
    // Uncommitted changes are all inside the open transaction: cancelling it
    // leaves close() (which commits outside a transaction) nothing to write.
    for (auto &p : w->parts) {
        try {
            if (w->in_txn)
                p.db.cancel_transaction();
        } catch (...) {
            fail(w->path.c_str());
        }
        try {
            p.db.close();
        } catch (...) {
            fail(w->path.c_str());
        }
    }
    w->in_txn = false;
    try {
        w->lock.close();
    } catch (...) {
        fail(w->path.c_str());
    }
    if (w->temporary) {
        std::error_code ec;
        std::filesystem::remove_all(w->temp_dir, ec);
    }
    delete w;
}

int xapc_wdb_replace(xapc_wdb *w, const char *id_term, size_t len, xapc_doc *d)
{
    assert(w && d);
    write_scope scope(w);
    if (w->memory)
        return 0;
    if (w->failed)
        return refuse(w);
    try {
        std::string id = str(id_term, len);
        ensure_txn(w);
        if (w->pool) {
            // Built and written on the shard's thread.
            auto doc = std::make_shared<xapc_doc>(std::move(*d));
            *d = xapc_doc();
            on_shard(w, shard_of(w, id), [id, doc](Xapian::WritableDatabase &db) {
                Xapian::Document x = doc->build();
                // A later replace finds the document through this term only.
                x.add_boolean_term(id);
                db.replace_document(id, x);
            });
        } else {
            Xapian::Document x = d->build();
            x.add_boolean_term(id);
            w->parts[0].db.replace_document(id, x);
        }
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
        std::string id = str(id_term, len);
        ensure_txn(w);
        on_shard(w, shard_of(w, id),
                 [id](Xapian::WritableDatabase &db) { db.delete_document(id); });
        return 0;
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

static int set_metadata(xapc_wdb *w, size_t first, size_t end, const char *key, const char *value,
                        size_t len)
{
    assert(w && key);
    write_scope scope(w);
    if (w->failed)
        return refuse(w);
    try {
        if (queued(w)) {
            if (!*key) // refused before any change, as Xapian does
                throw Xapian::InvalidArgumentError("Empty metadata keys are invalid");
            ensure_txn(w);
            auto v = std::make_shared<std::string>(str(value, len));
            std::string k0 = key;
            for (size_t k = first; k < end; k++)
                w->pool->post(k, [w, k, k0, v] { w->parts[k].db.set_metadata(k0, *v); });
            return 0;
        }
        settle(w);
        ensure_txn(w);
        for (size_t k = first; k < end; k++)
            w->parts[k].db.set_metadata(key, str(value, len));
        return 0;
    } catch (const Xapian::InvalidArgumentError &) {
        return fail(w->path.c_str()); // refused before any change: an empty key
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
}

int xapc_wdb_set_metadata(xapc_wdb *w, const char *key, const char *value, size_t len)
{
    return set_metadata(w, 0, 1, key, value, len);
}

int xapc_wdb_set_metadata_parts(xapc_wdb *w, const char *key, const char *value, size_t len)
{
    return set_metadata(w, 0, w->parts.size(), key, value, len);
}

int xapc_wdb_get_metadata_part(xapc_wdb *w, size_t part, const char *key, char **out, size_t *len)
{
    assert(w && key && out && part < w->parts.size());
    *out = nullptr;
    try {
        settle(w);
        return copy_out(w->parts[part].db.get_metadata(key), out, len);
    } catch (...) {
        return fail(w->parts[part].path.empty() ? w->path.c_str() : w->parts[part].path.c_str());
    }
}

int xapc_wdb_get_metadata(xapc_wdb *w, const char *key, char **out, size_t *len)
{
    return xapc_wdb_get_metadata_part(w, 0, key, out, len);
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
        if (w->pool) { // apart whenever there are threads
            w->spell_batch.emplace_back(str(word, len), inc);
            if (w->spell_batch.size() >= spell_batch_max)
                flush_spellings(w);
        } else {
            spelling_db(w).add_spelling(str(word, len), inc);
        }
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
        if (!queued(w))
            settle(w);
        // A flushed transaction commits what came before it.
        if (w->in_txn) {
            w->in_txn = false;
            commit_parts(w, true);
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
        if (!queued(w))
            settle(w);
        // Whether it succeeds or not, the transaction is over.
        bool txn = w->in_txn;
        w->in_txn = false;
        commit_parts(w, txn);
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
        settle(w);
        if (w->in_txn) {
            w->in_txn = false;
            each_part(w, [](Xapian::WritableDatabase &db) { db.cancel_transaction(); });
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
        settle(w);
        size_t n = 0;
        for (size_t k = 0; k < w->shards; k++)
            n += w->parts[k].db.get_doccount();
        return n;
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
    if (w->shards > 1 && !w->temporary)
        return oa_error(OASIS_EINVAL, "index %s is sharded: it is not compacted as one database",
                        w->path.c_str());
    if (w->failed)
        return refuse(w);
    try {
        settle(w);
        bool txn = w->in_txn;
        w->in_txn = false;
        commit_parts(w, txn);
    } catch (...) {
        return broken(w, fail(w->path.c_str()));
    }
    try {
        // A reader of the committed revision: the writer's own handle
        // would also see what it has not committed. Temporary shards are
        // merged in their order, their documents numbered again.
        Xapian::Database src;
        for (auto &p : w->parts)
            src.add_database(Xapian::Database(p.path));
        Xapian::rev above = (w->temporary ? Xapian::Database(w->path) : src).get_revision() + 1;
        src.compact(dest, (w->temporary ? 0 : Xapian::DBCOMPACT_NO_RENUMBER) |
                              Xapian::Compactor::FULL);
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

} // extern "C"
