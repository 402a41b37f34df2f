/* The directory of a glass index, for what Xapian leaves to its user:
 * the remains of a creation cut short, and a compact copy swapped in.
 * Only src/xapian/ knows the files of glass (its version file, tables,
 * lock file) and takes Xapian's lock. */
#ifndef OASIS_XAPIAN_GLASSDIR_H
#define OASIS_XAPIAN_GLASSDIR_H

struct xapc_wdb;

/* A kill while Xapian created the index at path can leave its directory
 * with empty glass tables and no version file ("iamglass"): Xapian then
 * refuses to open or create it. Such a directory holds nothing committed;
 * its table files are removed (under the index's lock, so that a writer
 * creating it now is left alone) and the index can be created anew.
 * Anything else is left as it is. Returns 0, or OASIS_EIO when a file
 * cannot be removed. */
int xapc_glassdir_clear_unfinished(const char *path);

/* 1 when path holds no index yet (no glass version file). */
int xapc_glassdir_index_missing(const char *path);

/* Replaces the index at path, held by the writer db (its changes
 * committed), with a compact copy of it: built beside it (in
 * PATH.compacting), then moved in table by table, the version file last.
 * A crash during the copy leaves the index as it was; a crash during the
 * move is finished by xapc_glassdir_finish_compaction() when a writer next opens
 * the index. A reader that had the index open reads the new tables when
 * it next reopens it (the copy's revision is above the old one's); one
 * that opens the index during the move may find tables and version file
 * that do not match (it fails, or must retry). */
int xapc_glassdir_compact(struct xapc_wdb *db, const char *path);

/* Before a writer opens the index at path: finishes the move of a marked
 * compact copy left by a crash, or removes an unfinished one (unless a
 * writer holds the index). 0, or OASIS_EIO. */
int xapc_glassdir_finish_compaction(const char *path);

#endif
