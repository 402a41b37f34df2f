// The writable database and its documents (see xapc.h): changes inside
// transactions, metadata, spellings, and the call to Xapian's compaction.

#include <xapian.h>

#include <cassert>
#include <filesystem>
#include <memory>
#include <string>

#include "oasis.h"
#include "util/error.h"
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

// Opens the transaction that the next change goes into.
void ensure_txn(xapc_wdb *w)
{
    if (!w->in_txn && !w->memory) {
        w->db.begin_transaction(true);
        w->in_txn = true;
    }
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

} // extern "C"
