/*
 * oasis.h — the public API of liboasis, a French full-text search library
 * for the initiatives French départements run against medical deserts.
 *
 * Conventions
 *   - Functions that can fail return 0 on success or a negative OASIS_E* code;
 *     oasis_error_last() then holds a one-line, lower-case message. Later
 *     versions may add codes: treat any negative value as a failure. A
 *     successful call does not clear the message (it may even replace it):
 *     read it only after a call returned a negative code.
 *   - Handles are opaque. `T **out` parameters receive a handle the caller
 *     owns and releases with the matching *_free(), which accepts NULL; on
 *     failure *out is set to NULL.
 *   - NULL is accepted only where a comment says so (*_free(), options,
 *     stats, optional fields). A NULL handle, out parameter or required
 *     string is a programming error, not an error code.
 *   - `const` pointers returned by the library are borrowed: each function
 *     says until when they stay valid. What the caller passes in is read
 *     during the call only, unless a comment says otherwise.
 *   - All text is UTF-8 and NUL-terminated. Options structs start with a
 *     version field and are initialised with their *_INIT macro; passing
 *     NULL means defaults.
 *   - Thread safety: a handle (writer, searcher, results) is used by one
 *     thread at a time. Separate handles, even on the same index, may be
 *     used from separate threads at once. Results do not depend on their
 *     searcher and may be handed to another thread. The built-in tables
 *     (départements, régions, categories) are read-only and may be read
 *     from any thread. oasis_error_last() is per thread.
 */
#ifndef OASIS_H
#define OASIS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the functions liboasis exports. */
#if defined(_WIN32)
#define OASIS_API
#elif defined(__GNUC__)
#define OASIS_API __attribute__((visibility("default")))
#else
#define OASIS_API
#endif

/* ---- Version ---------------------------------------------------------- */

/* The version of this header, that is of the API a program is compiled
 * against. */
#define OASIS_VERSION_MAJOR 0
#define OASIS_VERSION_MINOR 1
#define OASIS_VERSION_PATCH 0
#define OASIS_VERSION_STRING "0.1.0"
/* The same as one number, for #if tests: 0.1.0 is 100. */
#define OASIS_VERSION_NUMBER \
    (OASIS_VERSION_MAJOR * 10000 + OASIS_VERSION_MINOR * 100 + OASIS_VERSION_PATCH)

/* The version of the liboasis the program runs with, "MAJOR.MINOR.PATCH"
 * (static storage, never NULL). It may be newer than the OASIS_VERSION_*
 * macros the program was compiled with; the same major version is
 * compatible (the SONAME is liboasis.so.MAJOR). */
OASIS_API const char *oasis_version(void);

/* ---- Errors ----------------------------------------------------------- */

/* What functions return. Later versions may add negative codes. Where a
 * function below says OASIS_EINDEX for an error of the search engine, the
 * codes that tell what the engine met may come instead: OASIS_ECORRUPT (a
 * damaged index), OASIS_EIO (the index cannot be read or written: a full
 * disk), OASIS_ENETWORK, OASIS_EUNSUPPORTED, OASIS_EVERSION, OASIS_ELOCKED,
 * OASIS_ENOTFOUND, OASIS_EINVAL (an argument the engine refused). */
enum {
    OASIS_OK = 0,        /* success */
    OASIS_ENOMEM = -1,   /* out of memory */
    OASIS_EINVAL = -2,   /* invalid argument (bad option, unknown département) */
    OASIS_EIO = -3,      /* a file or directory could not be read, written or created
                            (the index's too: a full disk, an I/O error) */
    OASIS_EFORMAT = -4,  /* input that cannot be read (invalid UTF-8, bad record) */
    OASIS_EINDEX = -5,   /* another error of the search engine (none of the others, nor
                            damage: say an index changed under a reader too often) */
    OASIS_EVERSION = -6, /* index written by another analyzer or schema version, or in a
                            database format this libxapian does not read */
    OASIS_ELOCKED = -7,  /* the index is held by another writer, in this process or another */
    OASIS_ENOTFOUND = -8, /* no such index, document or entry (also: a database a stub
                             file names does not exist) */
    OASIS_ECORRUPT = -9, /* the index is damaged: remove it and index again */
    OASIS_ENETWORK = -10, /* a remote database (named by a stub file) cannot be reached,
                             or did not answer in time */
    OASIS_EUNSUPPORTED = -11 /* what the index needs is not supported by this libxapian
                                (a backend or feature it was built without) */
};

/* The calling thread's last error message: one lower-case line, "" when no
 * error was recorded on this thread. Never NULL. The text stays valid until
 * the next oasis call on this thread. Meaningful only after a call returned
 * a negative code. */
OASIS_API const char *oasis_error_last(void);

/* ---- Départements ------------------------------------------------------ */

/* One French département, from the table built into the library
 * (corpus/departements.tsv: 101 départements). Entries and their strings
 * are static: valid as long as the library is loaded, never NULL. */
typedef struct oasis_departement {
    const char *code;        /* INSEE code: "01".."95", "2A", "2B", "971".."974", "976" */
    const char *name;        /* official name, e.g. "Loir-et-Cher" */
    const char *region_code; /* INSEE région code, e.g. "24" */
    const char *region_name; /* e.g. "Centre-Val de Loire" */
} oasis_departement;

/* Finds a département by code ("45", "2a", "1" for "01") or by name in any
 * case, with or without accents, hyphens or spaces ("loir et cher"); blanks
 * around the value are ignored. Returns a static entry, or NULL when
 * nothing matches (also for NULL and for invalid UTF-8). */
OASIS_API const oasis_departement *oasis_departement_find(const char *code_or_name);

/* The number of départements in the table (compiled in), and the i-th one
 * in INSEE order (NULL when i is out of range). */
OASIS_API size_t oasis_departement_count(void);
OASIS_API const oasis_departement *oasis_departement_at(size_t i);

/* ---- Régions ------------------------------------------------------------ */

/* A région, as the département table names it. Entries and their strings
 * are static, never NULL. */
typedef struct oasis_region {
    const char *code; /* INSEE code, e.g. "24" */
    const char *name; /* e.g. "Centre-Val de Loire" */
} oasis_region;

/* Finds a région by code ("24", "1" for "01") or by name in any case, with
 * or without accents, hyphens or spaces ("centre val de loire"); blanks
 * around the value are ignored. Returns a static entry, or NULL when
 * nothing matches (also for NULL and for invalid UTF-8). */
OASIS_API const oasis_region *oasis_region_find(const char *code_or_name);

/* The number of régions, and the i-th one by code (NULL when out of
 * range). Like the départements, they do not change while the program
 * runs. */
OASIS_API size_t oasis_region_count(void);
OASIS_API const oasis_region *oasis_region_at(size_t i);

/* ---- Action categories -------------------------------------------------- */

/* A kind of action, from the table built into the library
 * (corpus/categories.tsv). Entries and their strings are static, never
 * NULL. */
typedef struct oasis_category {
    const char *slug;        /* e.g. "logement" */
    const char *label;       /* French label */
    const char *description; /* one line */
} oasis_category;

/* Finds a category by its slug, ignoring ASCII case ("Logement" finds
 * "logement"). Returns a static entry, or NULL when none matches (also for
 * NULL). */
OASIS_API const oasis_category *oasis_category_find(const char *slug);

/* The number of categories, and the i-th one in table order (NULL when out
 * of range). The table does not change while the program runs; the count
 * is 0 only if it could not be loaded (out of memory at first use). */
OASIS_API size_t oasis_category_count(void);
OASIS_API const oasis_category *oasis_category_at(size_t i);

/* ---- Diagnostics ------------------------------------------------------- */

/* Called for each problem in the input that does not stop indexing: a
 * département or category that cannot be resolved, a duplicate id, a broken
 * or skipped record, a file that cannot be used, an unchanged file that had
 * warnings when it was read. file and line locate it (file "" when the
 * document has no source_file; line 0: the whole file); message is one
 * lower-case line, without them. userdata is the options'
 * warning_userdata. Called on the caller's thread, during the writer call
 * that met the problem; the strings are valid during the call only. */
typedef void (*oasis_warning_fn)(void *userdata, const char *file, long line,
                                 const char *message);

/* Called once for each category given to a document, to show why: the
 * rule phrase that matched and its line in corpus/category-rules.tsv, or
 * phrase NULL and rule_line 0 when the record named its categories itself.
 * userdata is the options' category_userdata; doc_id is the document's id
 * (given or derived), category its slug. Called during oasis_writer_add()
 * before the document is stored, so also for one whose addition then
 * fails. Strings are valid during the call only. */
typedef void (*oasis_category_fn)(void *userdata, const char *doc_id, const char *category,
                                  const char *phrase, long rule_line);

/* Where oasis_writer_add_path() stands, reported when it starts reading a
 * file, after each initiative it indexes, and once at the end. Counts cover
 * the current call only. */
typedef struct oasis_progress {
    const char *file;               /* file being read (at the end, the last
                                       one); valid during the call */
    size_t files_done;              /* files finished (read, skipped or
                                       unchanged) */
    size_t files_total;             /* corpus files under the path, unchanged
                                       ones included */
    unsigned long long bytes_done;  /* bytes of the files to read done so far,
                                       the current file's part estimated */
    unsigned long long bytes_total; /* total size of the files to read (the
                                       unchanged ones excluded) */
    size_t indexed;                 /* initiatives indexed so far */
} oasis_progress;

/* Called with the progress of oasis_writer_add_path(), on the caller's
 * thread; userdata is the options' progress_userdata. p is valid during
 * the call only. */
typedef void (*oasis_progress_fn)(void *userdata, const oasis_progress *p);

/* ---- Writing an index --------------------------------------------------- */

/* An index open for writing: oasis_writer_open(), oasis_writer_free(). */
typedef struct oasis_writer oasis_writer;

/* Options of oasis_writer_open(), copied during that call; the callbacks
 * and their userdata must stay valid until oasis_writer_free(). Set them
 * up with oasis_writer_options_init() (or OASIS_WRITER_OPTIONS_INIT): no
 * callbacks, batch_size 0 (1000), full 0, memory_mib 0 (256), in_memory 0,
 * shards 0, jobs 0 (1), changesets 0 (10);
 * then change the fields wanted. The version says the struct's layout: a
 * struct of another version than this library's is OASIS_EINVAL. */
#define OASIS_WRITER_OPTIONS_VERSION 5
typedef struct oasis_writer_options {
    unsigned version;          /* OASIS_WRITER_OPTIONS_VERSION */
    oasis_warning_fn warning;  /* NULL: warnings are dropped (still counted
                                  in oasis_add_stats.warnings) */
    void *warning_userdata;    /* passed to warning */
    size_t batch_size;         /* documents per committed batch; 0: 1000 */
    oasis_category_fn category; /* NULL: category reasons are not reported */
    void *category_userdata;    /* passed to category */
    oasis_progress_fn progress; /* NULL: no progress reports */
    void *progress_userdata;    /* passed to progress */
    int full;                   /* 1: oasis_writer_add_path() reads every file,
                                   even one unchanged since it was indexed */
    size_t memory_mib;          /* memory the writer aims to stay within, in
                                   MiB (0: 256; at least 32): a batch is
                                   committed early, before batch_size
                                   documents, when what it holds in memory is
                                   estimated to reach this less a fixed
                                   allowance for the rest of the program */
    /* Version 4. */
    int in_memory;              /* 1: a dry run, which writes nothing: the
                                   index at path is neither opened nor
                                   created nor locked. The writer works on a
                                   new index in memory, dropped by
                                   oasis_writer_free(), that keeps only the
                                   record of the files read: every file given
                                   is read (none was indexed before), each
                                   initiative analysed and categorised, with
                                   the warnings, category reasons and counts
                                   of a real run, then dropped
                                   (oasis_writer_doc_count() stays 0). What
                                   oasis-index --explain-categories does.
                                   oasis_writer_compact() is OASIS_EINVAL */
    /* Version 5. */
    unsigned shards;            /* 0: the index as it is (one database when
                                   new); N: the index has N shards, created
                                   so when new: a directory of N databases,
                                   each initiative in the one its id's hash
                                   names, that every program and searcher
                                   opens by the directory's path. An index
                                   of another number of shards is
                                   OASIS_EINVAL: build a new one */
    unsigned jobs;              /* writers working at once; 0 or 1: one. A
                                   new index of one database is written by
                                   N threads on N temporary shards, merged
                                   into it by oasis_writer_compact() or
                                   oasis_writer_free() (a run cut short
                                   leaves it empty); a sharded index gets a
                                   thread per shard; an existing index of
                                   one database is written by one. The
                                   contents are those one writer gives */
    int changesets;             /* changesets kept for replication
                                   (xapian-replicate), each commit's
                                   changes: 0: 10; negative: none. None are
                                   written while an index is created */
} oasis_writer_options;

#define OASIS_WRITER_OPTIONS_INIT \
    {OASIS_WRITER_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0}

/* Sets *opts to the defaults of this version (see above). */
OASIS_API void oasis_writer_options_init(oasis_writer_options *opts);

/* Opens the index at path for writing, creating it (and its directories)
 * when missing. Only one writer may hold an index at a time, until
 * oasis_writer_free(): a second gets OASIS_ELOCKED. An existing index
 * written by another analyzer or schema version gives OASIS_EVERSION.
 * opts may be NULL (defaults). path may also be a Xapian stub file naming
 * the one database to write (a local one is created when missing; such an
 * index is not compacted). Other errors: OASIS_EINVAL (path NULL or
 * empty, unsupported opts->version), OASIS_EIO (the directory cannot be
 * created), OASIS_ECORRUPT (a damaged index), OASIS_ENETWORK (a remote
 * database the stub names cannot be reached), OASIS_ENOMEM, OASIS_EINDEX
 * (any other error of the search engine). On success *out is the caller's, released with
 * oasis_writer_free(); on failure it is NULL. */
OASIS_API int oasis_writer_open(oasis_writer **out, const char *path,
                                const oasis_writer_options *opts);

/* An initiative built in memory. Strings are UTF-8, NUL-terminated, and only
 * read during oasis_writer_add(). Every field may be NULL or 0: an empty
 * document is still added (with a derived id). */
#define OASIS_DOC_VERSION 1
typedef struct oasis_doc {
    unsigned version;                /* OASIS_DOC_VERSION (oasis_doc_init(),
                                        OASIS_DOC_INIT): the struct may gain
                                        fields */
    const char *id;                  /* stable unique id; NULL or "": derived
                                        from the first département and the
                                        title (else the text), the same for
                                        the same initiative (title, text,
                                        départements, categories), with
                                        "-2", "-3"... appended when another
                                        initiative holds it */
    const char *title;               /* may be NULL */
    const char *text;                /* body text; may be NULL */
    const char *const *departements; /* n_departements codes or names, none
                                        NULL; unknown ones are warnings; the
                                        array may be NULL when n is 0 */
    size_t n_departements;
    const char *const *categories;   /* n_categories slugs, none NULL; given,
                                        they replace the rules; unknown slugs
                                        are warnings; may be NULL when n is 0 */
    size_t n_categories;
    const char *source_file;         /* where it came from, shown in warnings
                                        and hits; may be NULL */
    long source_line;                /* line in source_file; 0: unknown */
} oasis_doc;

#define OASIS_DOC_INIT {OASIS_DOC_VERSION, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0}

/* Sets *doc to OASIS_DOC_INIT: every field empty. */
OASIS_API void oasis_doc_init(oasis_doc *doc);

/* Analyses doc and adds it to the index, replacing any document with the
 * same id. Its categories are doc->categories when given, else those the
 * rules of corpus/category-rules.tsv find in its title and text. Unknown
 * départements and categories, and an id given twice to this writer, are
 * reported through the warning callback and the document is still added.
 * Committed with the current batch; the call that fills a batch commits it.
 * Returns 0; OASIS_EFORMAT when the title or text is not valid UTF-8 (the
 * document is not added; the message gives the byte offset, after
 * "file:line: " when source_file is set); OASIS_ENOMEM; OASIS_EINDEX when
 * the index refuses the document or committing the full batch fails. */
OASIS_API int oasis_writer_add(oasis_writer *w, const oasis_doc *doc);

/* Counts of oasis_writer_add_path() and oasis_writer_prune(), added to
 * what the struct holds: zero it before the first call. */
#define OASIS_ADD_STATS_VERSION 1
typedef struct oasis_add_stats {
    unsigned version; /* OASIS_ADD_STATS_VERSION (oasis_add_stats_init(),
                         OASIS_ADD_STATS_INIT): the struct may gain fields */
    size_t files;    /* files read (not the unchanged or unusable ones) */
    size_t records;  /* initiatives found in them */
    size_t indexed;  /* initiatives added to the index */
    size_t skipped;  /* records or files that could not be used (each one
                        also a warning) */
    size_t warnings; /* warnings reported, with or without a callback */
    size_t unchanged; /* files not read again: unchanged since indexed */
    size_t removed;  /* initiatives deleted: what a changed file lost (its
                        earlier count minus its new one, when more), or
                        those of a removed file (oasis_writer_prune()) */
    size_t removed_files; /* files whose initiatives oasis_writer_prune()
                             deleted */
    unsigned long long bytes; /* bytes of the files read */
} oasis_add_stats;

#define OASIS_ADD_STATS_INIT {OASIS_ADD_STATS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/* Sets *stats to OASIS_ADD_STATS_INIT: every count 0. Stats of another
 * version given to the writer are OASIS_EINVAL. */
OASIS_API void oasis_add_stats_init(oasis_add_stats *stats);

/* Reads a corpus file, or the .txt, .jsonl and .ndjson files under a
 * directory and its subdirectories (sorted by name, hidden ones skipped),
 * and adds every initiative found. Each file's encoding is checked (UTF-8;
 * UTF-16 with a byte order mark and Windows-1252 are converted with a
 * warning; binary files are refused), then its format (records text,
 * listing page, JSON Lines) detected from the content. Problems in one
 * record are warnings naming the file and line, and the record is skipped
 * or indexed as the warning says; a file that cannot be used at all is
 * counted as skipped and reported as a warning.
 *
 * The index records each file it read, by its real path (the same file
 * whatever path reaches it), with its size, modification time, a hash of
 * its bytes and the initiatives it holds: a file unchanged since then, and
 * indexed by the same analyzer and tables, is not read again (unless
 * opts->full) and counts in stats->unchanged, with one warning when it had
 * some; a changed file is read again. An initiative belongs to the files
 * that hold it: the same one in two files is one document (a warning
 * names both places; of different versions of one id, the file whose real
 * path sorts last wins), and one that a file no longer holds is deleted
 * only when no other file holds it (else read again from that file when
 * needed: stats->files counts such reads too). The record is committed
 * with the file's last batch, so after a crash the file is read again.
 * stats may be NULL; otherwise the counts are added to it. Progress goes
 * to opts->progress.
 *
 * Returns 0 even when records or files were skipped; OASIS_EIO when path
 * does not exist (stat() fails); OASIS_EINVAL for directories nested more
 * than 32 deep; OASIS_ENOMEM, or OASIS_EINDEX from the index, which stop
 * the call (the batches it committed stay). */
OASIS_API int oasis_writer_add_path(oasis_writer *w, const char *path,
                                    oasis_add_stats *stats);

/* Flags of oasis_writer_compact(). */
#define OASIS_COMPACT_ALWAYS 1u /* compact an index this writer did not create,
                                   or one nothing was written to */

/* Commits, then rewrites the index compactly when this writer created it
 * and wrote something, or in any case with OASIS_COMPACT_ALWAYS in flags
 * (other bits are ignored): Xapian's compaction
 * fills the B-tree blocks that a run of batched commits leaves half empty
 * and drops the space of earlier revisions (an index about half its size;
 * it takes some seconds per 100,000 initiatives). The copy is built beside
 * the index (PATH.compacting: room for another index is needed for a
 * moment), then exchanged with the index directory in one step
 * (renameat2 RENAME_EXCHANGE) under the writer's lock, so that a searcher
 * opening the index meanwhile finds the whole old one or the whole copy;
 * a crash leaves the index whole (a swap cut short is finished by the
 * next oasis_writer_open()). A searcher that had the index open reads the
 * new tables at its next search (the copy gets a revision above every
 * earlier one, up to 100,000 commits). Caveat: on a file system that
 * cannot exchange directories, the tables are moved in one by one, and a
 * searcher opening the index in that moment may find tables and version
 * file that do not match and fail (a searcher retries such errors a few
 * times). Without OASIS_COMPACT_ALWAYS, only an index that did not exist
 * before this writer is compacted. Once it compacted (or failed trying), the writer takes no
 * more changes (they give OASIS_EINVAL): free it, and open the index again
 * to write more. *compacted (may be NULL) gets 1 when the index was
 * compacted. Returns 0, OASIS_EIO (a file cannot be moved
 * or removed), OASIS_ENOMEM or OASIS_EINDEX. */
OASIS_API int oasis_writer_compact(oasis_writer *w, unsigned flags, int *compacted);

/* Forgets every file the index recorded that no oasis_writer_add_path()
 * call of this writer met (files removed from the corpus, or outside the
 * paths given this time), and deletes the initiatives no remaining file
 * holds (those another file holds stay, read again from it when the file
 * forgotten won); files under a directory that could not be listed are
 * kept. Call it after the
 * last oasis_writer_add_path(). Adds to stats->removed and
 * stats->removed_files (stats may be NULL). Committed with the current
 * batch. Returns 0, OASIS_ENOMEM or OASIS_EINDEX (stats are then not
 * updated). */
OASIS_API int oasis_writer_prune(oasis_writer *w, oasis_add_stats *stats);

/* Deletes the initiative whose id is id, with the current batch.
 * OASIS_ENOTFOUND when the index holds none, OASIS_EINVAL for a NULL or
 * empty id. A corpus file that holds it brings it back when it is read
 * again (changed, or with opts->full). */
OASIS_API int oasis_writer_delete(oasis_writer *w, const char *id);

/* Commits the work pending since the last commit (added, deleted or
 * recorded) as one transaction: after a crash the index holds all of it or
 * none of it. Returns 0 (also when nothing is pending), OASIS_EIO when the
 * index cannot be written (a full disk: the message names the index and
 * the system's error), OASIS_EINDEX or another code of the search engine,
 * or OASIS_ENOMEM; what was committed before stays intact. Once a write
 * to the index failed (here, or in any call that changes it), the search
 * engine may have dropped everything not committed: every later change
 * and commit of this writer fails the same way. Free it; the index opened
 * again holds every batch committed before, and oasis_writer_add_path()
 * of the same files completes it. */
OASIS_API int oasis_writer_commit(oasis_writer *w);

/* Number of documents in the index, pending changes included. Cannot fail
 * (0 if the search engine reports an error). */
OASIS_API size_t oasis_writer_doc_count(const oasis_writer *w);

/* Commits pending work (if that fails, the work and the error are lost:
 * call oasis_writer_commit() first to see it), closes the index, which
 * frees it for another writer, and frees w. NULL is accepted. */
OASIS_API void oasis_writer_free(oasis_writer *w);

/* ---- Searching ---------------------------------------------------------- */

/* An index open for reading: oasis_searcher_open(), oasis_searcher_free(). */
typedef struct oasis_searcher oasis_searcher;

/* Opens the index at path for reading: a glass database directory, a
 * directory holding a stub XAPIANDB (a sharded index), or a Xapian stub
 * file naming databases, local or remote (see oasis_searcher_open_with(),
 * which this is with the default options). A missing index gives
 * OASIS_ENOTFOUND (also when a database the stub file names does not
 * exist); one written by another analyzer or schema version gives
 * OASIS_EVERSION. Other errors: OASIS_EINVAL (path NULL or empty),
 * OASIS_ECORRUPT (a damaged index), OASIS_ENETWORK (a remote database the
 * stub names cannot be reached), OASIS_EUNSUPPORTED (a backend this
 * libxapian lacks), OASIS_EIO (the index cannot be read), OASIS_ENOMEM,
 * OASIS_EINDEX (another error of the search engine). On success *out is the caller's, released with
 * oasis_searcher_free(); on failure it is NULL. The searcher reads the
 * index as committed; commits made after it opened may or may not be seen
 * (open a new searcher to see them). A writer may work on the index
 * meanwhile, in this process or another. */
OASIS_API int oasis_searcher_open(oasis_searcher **out, const char *path);

/* Brings s to the index's latest commit (what a searcher opened now
 * would read), cheaply when nothing changed: a long-running reader calls
 * it before each search to see the runs of oasis-index made meanwhile
 * (the index's versions are checked again when it changed). *changed (may
 * be NULL) is set to 1 when what s reads may have changed, else 0. Errors
 * are oasis_searcher_open()'s; s stays usable for the revision it read,
 * though a reader may prefer to open a new searcher (a damaged or
 * replaced index). */
OASIS_API int oasis_searcher_reopen(oasis_searcher *s, int *changed);

/* Options of oasis_searcher_open_with(), read during that call. Set them up
 * with oasis_searcher_options_init() (or OASIS_SEARCHER_OPTIONS_INIT):
 * timeout_ms 0 (10 s). The version says the struct's layout: a struct of
 * another version than this library's is OASIS_EINVAL. */
#define OASIS_SEARCHER_OPTIONS_VERSION 1
typedef struct oasis_searcher_options {
    unsigned version;    /* OASIS_SEARCHER_OPTIONS_VERSION */
    unsigned timeout_ms; /* how long a remote database (a "remote HOST:PORT"
                            line of a stub) may take to accept the
                            connection, and then to answer each request,
                            in milliseconds; past it, the call fails with
                            OASIS_ENETWORK naming HOST:PORT. 0: 10000 */
} oasis_searcher_options;

#define OASIS_SEARCHER_OPTIONS_INIT {OASIS_SEARCHER_OPTIONS_VERSION, 0}

/* Sets *opts to INIT's defaults. */
OASIS_API void oasis_searcher_options_init(oasis_searcher_options *opts);

/* oasis_searcher_open() with options (opts NULL: the defaults). path may
 * be a glass database directory, a directory holding a stub file XAPIANDB
 * (a sharded index), or a stub file naming databases, local ("auto PATH")
 * or remote ("remote HOST:PORT", served by xapian-tcpsrv). Every database
 * is checked for the analyzer and schema versions, not only the first. A
 * database a stub names that does not exist is OASIS_ENOTFOUND naming its
 * path; a remote one out of reach or silent past the timeout is
 * OASIS_ENETWORK naming HOST:PORT (also later, from oasis_search()). */
OASIS_API int oasis_searcher_open_with(oasis_searcher **out, const char *path,
                                       const oasis_searcher_options *opts);

/* Number of initiatives in the index as s sees it. Cannot fail (0 if the
 * search engine reports an error). */
OASIS_API size_t oasis_searcher_doc_count(const oasis_searcher *s);

/* Closes the index and frees s. Results obtained from s stay valid: they
 * own their data until oasis_results_free(). NULL is accepted. */
OASIS_API void oasis_searcher_free(oasis_searcher *s);

/* Adds the lines of a synonyms table to the built-in thesaurus for the
 * searches of s (oasis_search_options.synonyms), so that a missing
 * synonym is fixed without a rebuild. The format is corpus/synonyms.tsv's:
 * one group a line, tab-separated expressions, the preferred one first;
 * '#' starts a comment line. path NULL: the file synonyms.tsv in the
 * directory that holds the index, when there is one (0 and nothing read
 * when there is none). A malformed line is reported through warn (file and
 * line; warn may be NULL) and left out. Another call replaces what the
 * previous one added. Errors: the file cannot be read (OASIS_EIO), is not
 * text (OASIS_EFORMAT), OASIS_ENOMEM; s is then unchanged. */
OASIS_API int oasis_searcher_load_synonyms(oasis_searcher *s, const char *path,
                                           oasis_warning_fn warn, void *userdata);

/* Options of oasis_search(), read during that call only (the filter arrays
 * too). Filters: the values of one facet are OR-ed, the facets AND-ed; each
 * value must exist in the built-in tables, else OASIS_EINVAL. INIT: offset
 * 0, limit 10, no filters, facets 0, like NULL, snippet_bytes 0, explain
 * 0, suggest 0, synonyms and places 1, exact_total and proximity 0: the
 * French reading of the query (synonyms, places) and a ranked page with
 * an estimated total. Snippets, suggestions, exact totals and proximity
 * cost more and are asked for (oasis-query asks for all four:
 * oasis_search_options_init_reader()). The version says the struct's
 * layout: a struct of another version than this library's is
 * OASIS_EINVAL. */
#define OASIS_SEARCH_OPTIONS_VERSION 3
typedef struct oasis_search_options {
    unsigned version;                /* OASIS_SEARCH_OPTIONS_VERSION */
    size_t offset;                   /* first hit to return, from 0, counted
                                        through the whole ranking */
    size_t limit;                    /* hits to return at most (0: only counts
                                        and facets) */
    const char *const *departements; /* keep these n_departements (codes or
                                        names, none NULL); may be NULL when n
                                        is 0 */
    size_t n_departements;
    const char *const *regions;      /* keep these n_regions (codes or names,
                                        none NULL); may be NULL when n is 0 */
    size_t n_regions;
    const char *const *categories;   /* keep these n_categories (slugs, none
                                        NULL); may be NULL when n is 0 */
    size_t n_categories;
    int facets;                      /* 1: count the facets (see
                                        oasis_results_facet_at()); 0: do not */
    /* Version 2. */
    const char *like;     /* an initiative's id: find the initiatives most like it
                             (relevance feedback over its words) instead of a
                             query, which must then be empty or blank (else
                             OASIS_EINVAL); filters and synonyms apply, suggest
                             and places do not. NULL: search the query */
    size_t snippet_bytes; /* give each hit a snippet of about this many bytes
                             (oasis_hit.snippet); 0: none */
    int explain;          /* 1: tell for each hit what matched (oasis_hit.matches);
                             0: do not */
    int suggest;          /* 1: suggest a spelling for words no initiative contains
                             (oasis_results_suggestion), and search the suggestion
                             when the query itself finds nothing */
    int synonyms;         /* 1: a word or expression of the thesaurus
                             (corpus/synonyms.tsv, and
                             oasis_searcher_load_synonyms()) also looks for
                             the other expressions of its line, weighted
                             below it, its first above the others
                             (oasis_results_synonym_at()); and words that
                             name an action category (slug, label, rule
                             phrase) also find its initiatives, after
                             those holding the words (OASIS_MATCH_CATEGORY) */
    int places;           /* 1: boost the départements the query names, by name,
                             code or commune (oasis_results_place_at()) */
    /* Version 3. */
    int exact_total;      /* 1: oasis_results_total() counts every match, which
                             may take a pass over all of them; 0: it may be an
                             estimate once the page is known, as a search engine
                             gives it (oasis_results_total_exact tells). With
                             facets, the total is always exact. */
    int proximity;        /* 1: words typed next to each other weigh more where
                             they are found next to each other (in the title
                             or the text), among the best 20 hits of the
                             ranking without it; it costs reading their
                             positions. 0: each word weighs alone */
} oasis_search_options;

#define OASIS_SEARCH_OPTIONS_INIT \
    {OASIS_SEARCH_OPTIONS_VERSION, 0, 10, NULL, 0, NULL, 0, NULL, 0, 0, NULL, 0, 0, 0, 1, 1, 0, 0}

/* Sets *opts to INIT's defaults. */
OASIS_API void oasis_search_options_init(oasis_search_options *opts);

/* Sets *opts to what oasis-query searches with, for a person reading the
 * results: INIT's defaults, plus facets, exact totals, proximity, snippets
 * of 200 bytes and spelling suggestions. The same query then ranks and
 * reads the same as on the command line. */
OASIS_API void oasis_search_options_init_reader(oasis_search_options *opts);

/* A byte range [start, end) of a string. */
typedef struct oasis_range {
    size_t start; /* first byte */
    size_t end;   /* one past the last byte */
} oasis_range;

/* What a hit matched of the query (oasis_search_options.explain). */
typedef enum oasis_match_kind {
    OASIS_MATCH_WORD = 0,    /* a word typed */
    OASIS_MATCH_PHRASE = 1,  /* a quoted or hyphenated phrase */
    OASIS_MATCH_PREFIX = 2,  /* a word ending in '*' */
    OASIS_MATCH_SYNONYM = 3, /* a synonym of words typed, from the thesaurus */
    OASIS_MATCH_PLACE = 4,   /* a place named: the hit is in its département */
    OASIS_MATCH_CATEGORY = 5 /* a category the words name ("cat:SLUG"): the hit
                                has that category */
} oasis_match_kind;

/* One thing the query looked for that a hit matched. With opts->like, the
 * words are the initiative's own, and "cat:SLUG" stands for each of its
 * categories. Strings are borrowed from the results, valid until
 * oasis_results_free(). */
typedef struct oasis_match {
    oasis_match_kind kind; /* what the query looked for */
    const char *query; /* as typed ("logement", "maison de santé", "médec*",
                          "Vesoul"), or the synonym as the thesaurus writes it */
    const char *of;    /* OASIS_MATCH_SYNONYM, OASIS_MATCH_CATEGORY: the words
                          typed it stands for; else NULL */
    int in_title;      /* 1: found in the title (0 for a place) */
    int in_text;       /* 1: found in the text (0 for a place) */
    double weight;     /* its part of the hit's score (a place: the boost) */
} oasis_match;

/* One ranked hit. Every pointer is borrowed from the results and valid until
 * oasis_results_free(). */
typedef struct oasis_hit {
    size_t rank;          /* 1 for the best hit (offset + 1 for a page's first) */
    double score;         /* BM25 weight, with the place boost if any;
                             comparable within one search only */
    int all_terms;        /* 1 for the first group: the hit contains every word
                             of the query, or is in a place it names (every
                             hit when the query has no words, and with like) */
    const char *id;       /* never NULL or empty */
    const char *title;    /* "" when the document had none; never NULL */
    const char *text;     /* "" when none; never NULL */
    const char *source_file; /* "" when unknown; never NULL */
    long source_line;     /* 0 when unknown */
    size_t n_departements;
    const oasis_departement *const *departements; /* static entries */
    size_t n_regions;
    const oasis_region *const *regions;           /* of the départements, once each */
    size_t n_categories;
    const oasis_category *const *categories;      /* static entries */
    /* With oasis_search_options.snippet_bytes: the best short window(s) of
     * the text around the matched words, cut at word boundaries ("…" where
     * it is cut), and the byte ranges of those words in it. NULL and 0
     * otherwise; "" when the text is empty. */
    const char *snippet;
    size_t n_highlights;
    const oasis_range *highlights;
    /* With oasis_search_options.explain: what the hit matched of the
     * query, in query order (possibly none). NULL and 0 otherwise. */
    size_t n_matches;
    const oasis_match *matches;
    int all_words;        /* 1: the hit holds every word of the query (or a
                             synonym of it); unlike all_terms, 0 for a hit
                             of the first group that only lies in a place the
                             query names. 1 for every hit when the query has
                             no words, and with like */
} oasis_hit;

/* The outcome of one oasis_search(): hits of the page, totals, facets and
 * what the query was read as. Freed with oasis_results_free(). */
typedef struct oasis_results oasis_results;

/* Searches for query, French text read with the same analyzer as the index.
 * Hits that contain every word of the query rank before hits that contain
 * only some; within each group, by BM25. Words absent from the index do not
 * empty the results. A query with no words lists what the filters keep
 * (everything when there are none) by département code, then title (the
 * first code and title fold key the writer stores), unweighed. A query
 * whose words are all stop words or punctuation ("le la les", "?!") finds
 * nothing, and oasis_results_notice() says so. An unknown
 * département, région or category in opts is OASIS_EINVAL, with a message
 * naming it. opts may be NULL.
 *
 * The query language (README.md, "Query language"): "quoted phrases",
 * +required and -excluded items, AND, OR, NOT (also ET, OU, SAUF) in
 * capitals, brackets, the fields titre:, dept:, region: and cat:, and
 * prefixes (médec*). A malformed query is never an error: it is read as
 * plain words and oasis_results_notice() says why; an unknown dept:,
 * region: or cat: value is OASIS_EINVAL. Title words weigh more; the
 * synonyms of the built-in thesaurus count, below the words typed; a
 * département or commune named in the words boosts that département's
 * initiatives (they rank with those containing every word) without
 * excluding others.
 *
 * query is UTF-8; NULL, "" or blanks is a query with no words. A category
 * filter value is a slug or a label, case, accents and hyphens aside.
 * On success *out is the caller's, released with oasis_results_free() (the
 * results stay valid after oasis_searcher_free(s)); on failure *out is
 * NULL and the result is OASIS_EINVAL (unsupported opts->version, unknown
 * filter value, words with opts->like), OASIS_ENOTFOUND (no initiative
 * with the id opts->like), OASIS_EFORMAT (query not valid UTF-8; the
 * message gives the byte offset), OASIS_ENOMEM or OASIS_EINDEX (an error
 * of the search engine). */
OASIS_API int oasis_search(oasis_searcher *s, const char *query,
                           const oasis_search_options *opts,
                           oasis_results **out);

/* Hits on this page, and the number of matching initiatives: exact when
 * oasis_results_total_exact() is 1 (always with opts->exact_total or
 * opts->facets, and whenever the ranking saw every match), else Xapian's
 * estimate from what the ranking read. They cannot fail. */
OASIS_API size_t oasis_results_hit_count(const oasis_results *r);
OASIS_API size_t oasis_results_total(const oasis_results *r);
OASIS_API int oasis_results_total_exact(const oasis_results *r);

/* The i-th hit of the page (0-based), NULL when out of range. Borrowed
 * until oasis_results_free(r). */
OASIS_API const oasis_hit *oasis_results_hit_at(const oasis_results *r, size_t i);

/* Facets: with opts->facets, every matching initiative counted by
 * département, région and category. Counts are exact. An initiative with
 * two départements counts once for each. Counts are disjunctive: the
 * values of a facet that has a filter are counted as if that facet's filter
 * were absent (the other filters apply), so they show what each other
 * choice would give; facets without a filter count within all filters. */
typedef enum oasis_facet {
    OASIS_FACET_DEPARTEMENT = 0, /* values: département codes */
    OASIS_FACET_REGION = 1,      /* values: région codes */
    OASIS_FACET_CATEGORY = 2     /* values: category slugs */
} oasis_facet;

/* One value of a facet and its count. */
typedef struct oasis_facet_value {
    const char *value; /* département or région code, category slug; static,
                          valid as long as the library is loaded */
    const char *label; /* its name or label; static too */
    size_t count;      /* matching initiatives */
} oasis_facet_value;

/* Number of values of facet (0 without opts->facets, and for a facet that
 * does not exist), and the i-th one, most frequent first (ties by value);
 * NULL when out of range. Only values with a count above 0 are listed.
 * Borrowed until oasis_results_free(). */
OASIS_API size_t oasis_results_facet_count(const oasis_results *r, oasis_facet facet);
OASIS_API const oasis_facet_value *oasis_results_facet_at(const oasis_results *r,
                                                       oasis_facet facet, size_t i);

/* The one-line notice when the query was malformed and read as plain
 * words (naming the column), had too many words and was cut, or had only
 * stop words or punctuation ("nothing to search: …"); and "no initiative
 * in X" for a place X the query names that no initiative is in (notices
 * joined by "; "); NULL otherwise. Borrowed until oasis_results_free().
 * The same notices one by one, with what each is about, are
 * oasis_results_notice_at(). */
OASIS_API const char *oasis_results_notice(const oasis_results *r);

/* What a notice is about, for a program that says it in its own words. */
typedef enum oasis_notice_kind {
    OASIS_NOTICE_PLAIN_WORDS = 0,     /* the query was malformed and read as
                                         plain words: detail is the fault,
                                         column where it is */
    OASIS_NOTICE_WORDS_CUT = 1,       /* more than count words: only the
                                         first count were used */
    OASIS_NOTICE_NOTHING_TO_SEARCH = 2, /* only stop words or punctuation */
    OASIS_NOTICE_NO_INITIATIVE = 3,   /* no initiative in the place detail
                                         (as typed) */
    OASIS_NOTICE_NO_SPELLING_TABLE = 4 /* with suggest, no suggestion could be
                                          made: the index has no spelling
                                          table (remote databases) */
} oasis_notice_kind;

/* One notice. Fields a kind does not use are NULL or 0. */
typedef struct oasis_notice {
    oasis_notice_kind kind;
    const char *text;   /* its English line, as in oasis_results_notice() */
    const char *detail; /* PLAIN_WORDS: the fault ("unbalanced quote");
                           NO_INITIATIVE: the place as typed */
    size_t column;      /* PLAIN_WORDS: 1-based, in characters */
    size_t count;       /* WORDS_CUT: the words used */
} oasis_notice;

/* The number of notices (0 when oasis_results_notice() is NULL), and the
 * i-th one in the order of oasis_results_notice() (NULL when i is out of
 * range). Borrowed until oasis_results_free(). */
OASIS_API size_t oasis_results_notice_count(const oasis_results *r);
OASIS_API const oasis_notice *oasis_results_notice_at(const oasis_results *r, size_t i);

/* With oasis_search_options.suggest: the query with the closest known
 * spelling (accents ignored) in place of each word no initiative
 * contains, or NULL when there is none (always NULL with like or without
 * suggest). Borrowed until oasis_results_free(). */
OASIS_API const char *oasis_results_suggestion(const oasis_results *r);

/* 1 when the query found nothing and the hits, totals, facets, places and
 * synonyms are those of oasis_results_suggestion() (the notice stays the
 * query's); 0 otherwise. */
OASIS_API int oasis_results_corrected(const oasis_results *r);

/* A place the query names and the département it boosted
 * (oasis_search_options.places); a région named gives one for each of its
 * départements, in table order. */
typedef struct oasis_place {
    const char *word;                       /* as typed: "Vesoul", "53" */
    const oasis_departement *departement;   /* static entry, never NULL */
    const char *commune;                    /* the commune's name, or NULL when
                                               the word names the département */
    const oasis_region *region;             /* the région the word names
                                               ("Bretagne", "PACA"), or NULL */
} oasis_place;

/* A synonym the query looked for (oasis_search_options.synonyms). */
typedef struct oasis_synonym {
    const char *word;    /* the words typed */
    const char *synonym; /* as corpus/synonyms.tsv writes it */
} oasis_synonym;

/* The places and synonyms the query used, in query order: their number,
 * and the i-th one (NULL when i is out of range). Every string is borrowed
 * until oasis_results_free(). */
OASIS_API size_t oasis_results_place_count(const oasis_results *r);
OASIS_API const oasis_place *oasis_results_place_at(const oasis_results *r, size_t i);
OASIS_API size_t oasis_results_synonym_count(const oasis_results *r);
OASIS_API const oasis_synonym *oasis_results_synonym_at(const oasis_results *r, size_t i);

/* The initiative whose id is id, as the one hit of *out (full text, no
 * snippet; rank 1, score 0), the caller's to free with
 * oasis_results_free(). OASIS_ENOTFOUND when there is none, OASIS_EINVAL
 * for a NULL or empty id. */
OASIS_API int oasis_searcher_get(oasis_searcher *s, const char *id, oasis_results **out);

/* Called with each id; a nonzero return stops the walk. id is borrowed
 * for the call only. */
typedef int (*oasis_id_fn)(void *userdata, const char *id);

/* Calls fn with the id of every initiative of the index, in byte order. */
OASIS_API int oasis_searcher_ids(oasis_searcher *s, oasis_id_fn fn, void *userdata);

/* Frees r with its hits, facet values and strings. NULL is accepted. */
OASIS_API void oasis_results_free(oasis_results *r);

/* ---- Completions: what a person is typing, completed ---- */

/* What a completion completes to. */
typedef enum oasis_completion_kind {
    OASIS_COMPLETION_WORD = 0,        /* a word of the index */
    OASIS_COMPLETION_DEPARTEMENT = 1, /* a département's name */
    OASIS_COMPLETION_REGION = 2,      /* a région's name */
    OASIS_COMPLETION_CATEGORY = 3,    /* an action category's label */
    OASIS_COMPLETION_COMMUNE = 4      /* a commune's name */
} oasis_completion_kind;

/* One completion. Strings are borrowed until oasis_completions_free(). */
typedef struct oasis_completion {
    oasis_completion_kind kind;
    const char *text;  /* the text typed with its end completed: "logement
                          internes" for "logement inter", "logement
                          Loiret" for "logement loir" */
    const char *label; /* what was completed: the word (as the spelling
                          dictionary holds it: lower case, no accents), the
                          name or the category's label */
    const char *value; /* the département's or région's code, the category's
                          slug, the commune's département code; NULL for a
                          word */
    size_t count;      /* a word: the initiatives that contain it; else 0 */
} oasis_completion;

/* The completions of one text: oasis_searcher_complete(). */
typedef struct oasis_completions oasis_completions;

/* Completes the end of text (UTF-8, as typed so far): its last word as a
 * word of the index (most frequent first), and its last words (one to
 * four) as the start of a département's or région's name, a category's
 * label or slug, or a commune's name (accents, case and hyphens ignored).
 * Places and categories come first, then words, then communes; at most
 * max in all (0: 10; more than 50: 50). A text with nothing to complete
 * gives none. On success *out is the caller's, released with
 * oasis_completions_free(); errors: OASIS_EFORMAT (text not valid UTF-8),
 * OASIS_ENOMEM, OASIS_EINDEX. */
OASIS_API int oasis_searcher_complete(oasis_searcher *s, const char *text, size_t max,
                                      oasis_completions **out);

/* The number of completions, and the i-th one (NULL out of range). */
OASIS_API size_t oasis_completions_count(const oasis_completions *c);
OASIS_API const oasis_completion *oasis_completions_at(const oasis_completions *c, size_t i);

/* Frees c. NULL is accepted. */
OASIS_API void oasis_completions_free(oasis_completions *c);

/* Why hit h (from a search of s or oasis_searcher_get()) has each of its
 * categories: fn is called once per category, in the hit's order, with the
 * rule of corpus/category-rules.tsv that gives it (the phrase matched and
 * its line), or with phrase NULL and rule_line 0 when no rule matches its
 * title and text (its record named the category). Errors: OASIS_EFORMAT
 * (invalid UTF-8 in the hit), OASIS_ENOMEM. */
OASIS_API int oasis_searcher_category_reasons(oasis_searcher *s, const oasis_hit *h,
                                              oasis_category_fn fn, void *userdata);

#ifdef __cplusplus
}
#endif
#endif /* OASIS_H */
