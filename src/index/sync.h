/* What the index knows of the source files it was built from, so that
 * re-indexing reads only what changed, and nothing is lost or doubled.
 *
 * A source is known by its identity, the real path of its file (the same
 * whatever path reached it: relative, absolute, through a symlink), and
 * shown by the path last given for it. Its record, in the index metadata,
 * holds what the file was when last read (size, modification time, a hash
 * of its bytes, a build fingerprint), its warning and skip counts, and the
 * initiatives it holds (id, content fingerprint, line).
 *
 * The rule: an initiative belongs to the sources that hold it, and its
 * document is what the source whose real path sorts last holds (a fresh
 * build of a folder reads its files in that order: the later read wins).
 * When a source lets go of an initiative (changed, or pruned), the
 * document is deleted if no remaining source holds it, and read again from
 * the one that now wins if the one that let go of it won ("restore").
 * Re-reading a changed file, --full and --prune all go through this rule,
 * so that the index always holds what a fresh build of the same files
 * would.
 *
 * Ids: an explicit id names one document, whichever sources hold it (with
 * a warning naming both places). A derived id is the same for the same
 * initiative (same title, text, départements and given categories) in any
 * source, with a warning naming both places; a different initiative that
 * would derive an id another initiative holds gets "-2", "-3"…
 *
 * Crashes: every record goes with a batch. A record written while its
 * source is being read, or before the sources it asked to restore are
 * read, has no hash: the source is read again by the next run. */
#ifndef OASIS_INDEX_SYNC_H
#define OASIS_INDEX_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "oasis.h"
#include "util/buf.h"

struct xapc_wdb;

typedef struct oa_sync oa_sync;

/* What a source file is: from stat(), and the hash of its bytes ({0, 0}
 * when unknown: it matches nothing). */
typedef struct oa_file_state {
    unsigned long long size;
    long long mtime_sec;
    long mtime_nsec;
    uint64_t hash[2];
} oa_file_state;

/* Loads the sources recorded in db and the initiatives each holds. opts
 * (may be NULL) gives the progress callback and the full flag. */
int oa_sync_open(oa_sync **out, struct xapc_wdb *db, const oasis_writer_options *opts);
void oa_sync_free(oa_sync *s);

/* The options the writer was opened with (defaults for NULL). */
const oasis_writer_options *oa_sync_options(const oa_sync *s);

/* Writes what changed: the list of sources, and the record of a source
 * being read (inside the writer's current transaction: called by
 * oasis_writer_commit()). */
int oa_sync_flush(oa_sync *s);

/* ---- Sources */

/* The source of identity (added when unknown), shown as display from now
 * on, and marked as met by this writer (a prune keeps it). */
int oa_sync_source(oa_sync *s, const char *identity, const char *display, size_t *src);

/* Marks every source under the directory identity as met: it could not be
 * listed, and what the index holds from it must survive a prune. */
int oa_sync_seen_dir(oa_sync *s, const char *identity);

const char *oa_sync_identity(const oa_sync *s, size_t src);
const char *oa_sync_display(const oa_sync *s, size_t src);

/* 1 when src was read or kept by this writer already. */
int oa_sync_handled(const oa_sync *s, size_t src);

/* 1 with *st when src has a whole record made by this build, 0 when it
 * has none (never read, read by another build, or cut short). */
int oa_sync_recorded(const oa_sync *s, size_t src, oa_file_state *st);

/* src is unchanged (its bytes are as recorded; st may give a new time,
 * then recorded: the caller has begun a batch): it is kept as it is.
 * *warnings and *skipped get the counts of its last read. */
int oa_sync_keep(oa_sync *s, size_t src, const oa_file_state *st, size_t *warnings,
                 size_t *skipped);

/* ---- Reading a source */

/* src is about to be read: the documents written until oa_sync_read_end()
 * are its initiatives. */
int oa_sync_read_begin(oa_sync *s, size_t src);

/* A duplicate found by oa_sync_claim(): file is NULL when there is none. */
typedef struct oa_sync_dup {
    const char *file; /* where the other one is (valid until the next call) */
    long line;
    int same;         /* the same content */
    int outranked;    /* another source holds it and wins: write nothing */
} oa_sync_dup;

/* The id of an initiative of the source being read (or, outside a read, of
 * a document added on its own) whose content fingerprint is fp and which
 * stands at line: id itself when it was given (derived 0), else id or the
 * first of id-2, id-3… that no other initiative holds (derived 1). The id
 * goes to *out; *dup says which other place holds the same id. */
int oa_sync_claim(oa_sync *s, const char *id, int derived, uint64_t fp, long line, oa_buf *out,
                  oa_sync_dup *dup);

/* The document of id (fingerprint fp, at line) was written from the source
 * being read, if any. */
int oa_sync_note(oa_sync *s, const char *id, uint64_t fp, long line);

/* The read ends: st is what the file was (hash {0, 0} when it changed
 * while being read); warnings and skipped counted during the read. The
 * initiatives it no longer holds are let go of (the caller has begun a
 * batch); *removed gets the documents deleted. */
int oa_sync_read_end(oa_sync *s, const oa_file_state *st, size_t warnings, size_t skipped,
                     size_t *removed);

/* ---- Restoring and pruning */

/* 1 with a source to read again (to restore documents another source let
 * go of), 0 when there is none left. */
int oa_sync_next_restore(oa_sync *s, size_t *src);

/* After the restores: the records of the sources that asked for them are
 * made whole (the caller has begun a batch). */
int oa_sync_settle(oa_sync *s);

/* Every recorded source not met by this writer is gone: its initiatives
 * are let go of, and the restores this needs are queued (read them with
 * oa_sync_next_restore(), then call oa_sync_prune_end()). */
int oa_sync_prune_begin(oa_sync *s);

/* Deletes the documents no remaining source holds and the records of the
 * sources gone (the caller has begun a batch); *sources and *docs get how
 * many. */
int oa_sync_prune_end(oa_sync *s, size_t *sources, size_t *docs);

#endif
