/* What the index knows of the source files it was built from, so that
 * re-indexing reads only what changed and can drop what was removed.
 *
 * Each source file read through oasis_writer_add_path() gets a record in the
 * index metadata, written in the same transaction as its last batch: its
 * path (as given), size, modification time, a hash of its bytes, a build
 * fingerprint (analyzer, schema, compiled-in tables), its warning and skip
 * counts, and the ids of its initiatives. A metadata list holds every
 * recorded path. Every document of a source carries the boolean term
 * oa_source_term(path), through which the documents of a changed or removed
 * source are deleted. */
#ifndef OASIS_INDEX_SYNC_H
#define OASIS_INDEX_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "oasis.h"
#include "util/buf.h"

struct xapc_wdb;

typedef struct oa_sync oa_sync;

/* One source's record. ids: the ids of its initiatives, each followed by
 * '\0' (owned by the record; see oa_source_rec_free()). */
typedef struct oa_source_rec {
    unsigned long long size;
    long long mtime_sec;
    long mtime_nsec;
    uint64_t hash[2];
    uint64_t build;
    size_t warnings;
    size_t skipped;
    oa_buf ids;
    size_t n_ids;
} oa_source_rec;

void oa_source_rec_free(oa_source_rec *rec);

/* The fingerprint of everything besides a file's bytes that decides what
 * its documents hold: analyzer and schema versions, the compiled-in tables
 * of départements, categories and rules. */
uint64_t oa_sync_build_fingerprint(void);

/* A hash of buf[0..len) (128 bits), for telling changed files. */
void oa_sync_hash(const char *buf, size_t len, uint64_t out[2]);

/* The same hash over bytes given in pieces: init with the total length
 * (it goes first into the hash), update with each piece in order, final.
 * final returns 1 when the pieces added up to that length (the hash is
 * then oa_sync_hash()'s), 0 when they did not (a file that changed while
 * it was read: the hash matches no record). */
typedef struct oa_sync_hasher {
    uint64_t a, b;
    unsigned long long len, done;
    char tail[8];
    size_t n_tail;
} oa_sync_hasher;

void oa_sync_hash_init(oa_sync_hasher *h, unsigned long long len);
void oa_sync_hash_update(oa_sync_hasher *h, const char *buf, size_t n);
int oa_sync_hash_final(oa_sync_hasher *h, uint64_t out[2]);

/* Loads the list of recorded sources of db. opts (may be NULL) gives the
 * progress callback and the full flag. */
int oa_sync_open(oa_sync **out, struct xapc_wdb *db, const oasis_writer_options *opts);
void oa_sync_free(oa_sync *s);

/* Writes the list of sources when it changed (inside the writer's current
 * transaction: called by oasis_writer_commit()). */
int oa_sync_flush(oa_sync *s);

/* The options the writer was opened with (defaults for NULL). */
const oasis_writer_options *oa_sync_options(const oa_sync *s);

/* Reads path's record into *rec (overwritten: free the ids of an earlier
 * record first): 1 when found, 0 when the path has none or an unreadable
 * one, < 0 on error. */
int oa_sync_lookup(oa_sync *s, const char *path, oa_source_rec *rec);

/* Writes path's record (the caller has begun a batch) and marks it seen. */
int oa_sync_put(oa_sync *s, const char *path, const oa_source_rec *rec);

/* Marks path as met by this writer: oa_sync_prune() keeps it. dir: path is a
 * directory that could not be listed; every source under it is kept. */
int oa_sync_seen(oa_sync *s, const char *path, int dir);

/* Deletes the documents and the record of every recorded source not seen
 * (the caller has begun a batch); *sources and *docs get how many. */
int oa_sync_prune(oa_sync *s, size_t *sources, size_t *docs);

/* A kill while Xapian created the index at path can leave its directory
 * with empty glass tables and no version file ("iamglass"): Xapian then
 * refuses to open or create it. Such a directory holds nothing committed;
 * its table files are removed (under the index's lock, so that a writer
 * creating it now is left alone) and the index can be created anew.
 * Anything else is left as it is. Returns 0, or OASIS_EIO when a file
 * cannot be removed. */
int oa_sync_clear_unfinished(const char *path);

/* 1 when path holds no index yet (no glass version file). */
int oa_sync_index_missing(const char *path);

/* Replaces the index at path, held by the writer db (its changes
 * committed), with a compact copy of it: built beside it (in
 * PATH.compacting), then moved in table by table, the version file last.
 * A crash during the copy leaves the index as it was; a crash during the
 * move is finished by oa_sync_finish_compaction() when a writer next opens
 * the index. A reader that had the index open reads the new tables when
 * it next reopens it (the copy's revision is above the old one's); one
 * that opens the index during the move may find tables and version file
 * that do not match (it fails, or must retry). */
int oa_sync_compact(struct xapc_wdb *db, const char *path);

/* Before a writer opens the index at path: finishes the move of a marked
 * compact copy left by a crash, or removes an unfinished one (unless a
 * writer holds the index). 0, or OASIS_EIO. */
int oa_sync_finish_compaction(const char *path);

#endif
