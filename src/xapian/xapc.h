/* xapc — the C wrapper over libxapian. src/xapian/ is the only place that
 * knows Xapian exists, and holds the library's only C++, split by role
 * (guard.cc: errors and crashes; writer.cc, reader.cc, query.cc,
 * search.cc; rewrite.cc: pure query rewrites). glassdir.h, beside this
 * header, handles the glass directory around Xapian.
 *
 * Every function catches every exception: none crosses into C. Functions
 * returning int give 0 or a negative OASIS_E* code with a message recorded
 * through oa_error(). Functions returning a pointer give NULL on failure
 * (out of memory, recorded the same way). */
#ifndef OASIS_XAPIAN_XAPC_H
#define OASIS_XAPIAN_XAPC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xapc_wdb xapc_wdb;     /* a writable database */
typedef struct xapc_db xapc_db;       /* a read-only database */
typedef struct xapc_doc xapc_doc;     /* a document being built */
typedef struct xapc_query xapc_query; /* an immutable query tree node */
typedef struct xapc_mset xapc_mset;   /* one page of ranked matches */

/* ---- documents ---- */
xapc_doc *xapc_doc_new(void);
void xapc_doc_free(xapc_doc *d);
/* A term at a position (phrases), its wdf increased by wdf_inc. */
int xapc_doc_add_posting(xapc_doc *d, const char *term, size_t len, uint32_t pos, unsigned wdf_inc);
/* A term without position. */
int xapc_doc_add_term(xapc_doc *d, const char *term, size_t len, unsigned wdf_inc);
/* A boolean filter term: wdf 0, no position, no weight. */
int xapc_doc_add_boolean_term(xapc_doc *d, const char *term, size_t len);
int xapc_doc_set_value(xapc_doc *d, unsigned slot, const char *data, size_t len);
int xapc_doc_set_data(xapc_doc *d, const char *data, size_t len);

/* ---- errors ----
 * Xapian's error classes map to codes: DatabaseCorruptError, and a glass
 * table shorter than its blocks say (a bare DatabaseError without a system
 * error), OASIS_ECORRUPT; a failure of the system under Xapian (a full
 * disk, an I/O error; DatabaseCreateError) OASIS_EIO; NetworkError and
 * NetworkTimeoutError OASIS_ENETWORK; UnimplementedError and
 * FeatureUnavailableError OASIS_EUNSUPPORTED; InvalidArgumentError and
 * InvalidOperationError OASIS_EINVAL; DatabaseLockError OASIS_ELOCKED;
 * DatabaseVersionError OASIS_EVERSION; DatabaseNotFoundError and
 * DocNotFoundError OASIS_ENOTFOUND, except a database directory that holds
 * tables but no version file, which is damaged; anything else (say
 * DatabaseModifiedError after the retries) OASIS_EINDEX. Messages are
 * "index PATH: " when the call has a database, what the error means
 * when Xapian's words do not say it, then "xapian: Class: message". */

/* 1 when path is a file, which Xapian reads as a stub database file (lines
 * such as "auto /path/to/db" or "remote HOST:PORT" naming the databases to
 * open), or a directory holding such a file XAPIANDB and no glass database
 * (a sharded index); 0 for a glass directory or nothing. */
int xapc_is_stub(const char *path);

/* ---- writable database ---- */
/* Opens or creates (with its directory) the glass database at path, or the
 * one database the stub file path names (a local one created when
 * missing). Another writer holding the lock: OASIS_ELOCKED; a directory that
 * cannot be created: OASIS_EIO; an unusable database: the code of its
 * error (see above). */
int xapc_wdb_open(xapc_wdb **out, const char *path);
/* A new, empty database in memory (Xapian's inmemory backend), dropped by
 * xapc_wdb_free(), for a run that writes nothing: nothing on disk is
 * opened or created. It keeps the metadata set, and drops documents
 * (replace and delete do nothing: it holds none) and spellings, so that
 * its size is that of the metadata. It takes each change at once (begin
 * and commit do nothing more; cancel is OASIS_EUNSUPPORTED), and is not
 * compacted (OASIS_EINVAL). */
int xapc_wdb_open_memory(xapc_wdb **out);

/* How xapc_wdb_open_setup() opens an index (shards.cc). */
typedef struct xapc_wdb_setup {
    unsigned shards;  /* 0 or 1: one database, as xapc_wdb_open(); N: a sharded
                         index directory (path/shard0 … shardN-1, path/spelling
                         and the stub path/XAPIANDB naming them, written once
                         they exist) */
    unsigned threads; /* > 1 with several shards: one thread per shard
                         writes its documents, and the commits of the
                         shards run at once */
    int changesets;   /* changesets kept for replication (Xapian's
                         XAPIAN_MAX_CHANGESETS, set while the databases are
                         opened); < 0: the environment's setting */
    int temporary;    /* 1, with shards > 1: the shards are temporary, in
                         the directory path.jobs (removed by
                         xapc_wdb_free()), and path an empty glass database
                         held for its lock, which xapc_wdb_compact() fills
                         with the merge of the shards */
} xapc_wdb_setup;
/* Opens or creates the index at path as setup says. A sharded index: every
 * document in the shard of its id term's hash, the metadata set by
 * xapc_wdb_set_metadata() in shard 0 (xapc_wdb_set_metadata_parts():
 * in every database), every spelling in the spelling database. Errors as
 * xapc_wdb_open(). */
int xapc_wdb_open_setup(xapc_wdb **out, const char *path, const xapc_wdb_setup *setup);
/* The shards of the index at path (*n): 0 when there is none, 1 for a glass
 * database directory or a stub file, N for a sharded index directory (from
 * the "auto shardK" lines of its XAPIANDB). */
int xapc_shards_count(const char *path, unsigned *n);
/* The databases of w: its shards, then its spelling database when apart. */
size_t xapc_wdb_part_count(const xapc_wdb *w);
/* 1 when w writes temporary shards (xapc_wdb_setup.temporary). */
int xapc_wdb_temporary(const xapc_wdb *w);
/* Metadata of one of the databases of w (0 ≤ part < xapc_wdb_part_count()). */
int xapc_wdb_get_metadata_part(xapc_wdb *w, size_t part, const char *key, char **out,
                               size_t *len);
/* Sets key in every database of w. */
int xapc_wdb_set_metadata_parts(xapc_wdb *w, const char *key, const char *value, size_t len);
/* A change or commit that fails may have dropped every change not committed
 * yet (libxapian cancels them, or closes the database when it cannot roll
 * a commit back): from then on, every change and commit through w gives
 * that first error again, and only xapc_wdb_free() is left to do. (Not an
 * argument refused before anything changed: an empty metadata key.) */

/* Closes: pending changes not committed by xapc_wdb_commit() are dropped
 * (every change goes into a transaction, cancelled here, because Xapian's
 * close() and destructor would commit changes made outside one). */
void xapc_wdb_free(xapc_wdb *w);
/* Replaces the document indexed by the unique term id_term (adds it if none).
 * id_term is added to d as a boolean term, so that later calls find it.
 * With several shards, the document goes to the shard of id_term's hash;
 * with threads (xapc_wdb_setup.threads), it is written on that shard's
 * thread and d is left empty. */
int xapc_wdb_replace(xapc_wdb *w, const char *id_term, size_t len, xapc_doc *d);
/* Deletes the document indexed by id_term; nothing (and 0) when none. */
int xapc_wdb_delete(xapc_wdb *w, const char *id_term, size_t len);
/* Sets key in the database that holds the metadata (shard 0). */
int xapc_wdb_set_metadata(xapc_wdb *w, const char *key, const char *value, size_t len);
/* *out: caller frees; "" when the key is unset. Read from shard 0. */
int xapc_wdb_get_metadata(xapc_wdb *w, const char *key, char **out, size_t *len);
/* Adds a word to the spelling dictionary with frequency increment inc. */
int xapc_wdb_add_spelling(xapc_wdb *w, const char *word, size_t len, unsigned inc);
/* Changes always go into a flushed transaction, started by the first change
 * after open or commit. begin commits what is pending (as a flushed Xapian
 * transaction does) and starts a new one; cancel drops every change since the
 * last commit or begin. */
int xapc_wdb_begin(xapc_wdb *w);
int xapc_wdb_commit(xapc_wdb *w);  /* commits the pending changes */
int xapc_wdb_cancel(xapc_wdb *w);
/* Documents in the database, pending changes included (0 on error). */
size_t xapc_wdb_doc_count(xapc_wdb *w);
/* Commits what is pending, then writes a compact copy of the database
 * (Xapian's compaction: blocks filled, space of old revisions dropped,
 * document ids kept) into the directory dest, which must not exist. The
 * copy's revision is above the database's (up to revision 100,000), so
 * that a reader of the database that finds the copy in its place re-reads
 * its tables. w itself is not changed. A stub file is not compacted:
 * OASIS_EINVAL. */
int xapc_wdb_compact(xapc_wdb *w, const char *dest);

/* ---- read-only database ---- */
/* How long a remote database may take to accept a connection or to answer
 * one request, unless the caller says otherwise: 10 s. */
#define XAPC_TIMEOUT_MS 10000u
/* Opens an index for reading: a glass database directory; a directory
 * holding a stub file XAPIANDB (a sharded index); or a stub file. A stub
 * file is in Xapian's format: "auto PATH" (or glass, chert) for a local
 * database, PATH relative to the stub's directory, which may itself be a
 * stub; "remote HOST:PORT" for a xapian-tcpsrv, "remote :PROGRAM ARGS"
 * for a xapian-progsrv; "#" comments. Each database named is opened on
 * its own, as a shard of the combined database searched (the shards
 * below). Missing (no such path, a directory Xapian finds no database in):
 * OASIS_ENOTFOUND; a database a stub names that does not exist:
 * OASIS_ENOTFOUND naming its path; a remote one that does not accept the
 * connection or answer within timeout_ms (0: XAPC_TIMEOUT_MS), the same
 * timeout applying to every later request: OASIS_ENETWORK naming
 * HOST:PORT; damaged: OASIS_ECORRUPT; a line that is none of these:
 * OASIS_EINDEX naming the file and line; others: the code of the error
 * (see above), naming the shard. */
int xapc_db_open_timeout(xapc_db **out, const char *path, unsigned timeout_ms);
/* xapc_db_open_timeout() with the default timeout. */
int xapc_db_open(xapc_db **out, const char *path);
/* The databases the index is made of, in the order of its stub (one for a
 * glass directory): its path, or HOST:PORT for a remote one (borrowed
 * until xapc_db_free()), whether it is remote, its metadata (*out: caller
 * frees; "" when unset), its documents (0 on error). Xapian gives the
 * first shard's metadata for the combined database: what every shard must
 * hold is checked on each. */
size_t xapc_db_shard_count(const xapc_db *db);
const char *xapc_db_shard_name(const xapc_db *db, size_t i);
int xapc_db_shard_remote(const xapc_db *db, size_t i);
int xapc_db_shard_metadata(xapc_db *db, size_t i, const char *key, char **out, size_t *len);
size_t xapc_db_shard_doc_count(xapc_db *db, size_t i);
void xapc_db_free(xapc_db *db);
/* Brings db to the latest commit of its database(s); *changed (may be
 * NULL) is 1 when what it reads may have changed, else 0. */
int xapc_db_reopen(xapc_db *db, int *changed);
int xapc_db_get_metadata(xapc_db *db, const char *key, char **out, size_t *len);
size_t xapc_db_doc_count(xapc_db *db);
/* Number of documents containing term (0 when absent or on error). */
size_t xapc_db_term_freq(xapc_db *db, const char *term, size_t len);

/* ---- queries ---- */
typedef enum xapc_op {
    XAPC_AND, XAPC_OR, XAPC_AND_NOT, XAPC_AND_MAYBE, XAPC_FILTER,
    XAPC_PHRASE, XAPC_NEAR, XAPC_SYNONYM, XAPC_ELITE_SET
} xapc_op;

xapc_query *xapc_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos);
xapc_query *xapc_query_match_all(void);
/* Combines subs[0..n) with op (window: for PHRASE/NEAR, 0 = n; for ELITE_SET
 * the number of subqueries kept, 0 = 10). The subs are copied: the caller
 * still frees them. n == 0 gives a query matching nothing. */
xapc_query *xapc_query_combine(xapc_op op, xapc_query *const *subs, size_t n, unsigned window);
/* A copy of q (queries are shared internally: this is cheap). */
xapc_query *xapc_query_copy(const xapc_query *q);
/* The query with every weight multiplied by factor (>= 0). */
xapc_query *xapc_query_scale(const xapc_query *q, double factor);
/* 1 when a and b are the same query (the same tree of the same terms,
 * weights and operators), else 0; 0 too when that cannot be told. */
int xapc_query_same(const xapc_query *a, const xapc_query *b);
/* Xapian's description of the query, for debugging; caller frees. */
char *xapc_query_describe(const xapc_query *q);
void xapc_query_free(xapc_query *q);

/* ---- query rewrites ----
 * What xapc_db_rank() and xapc_db_count() run in place of q, computed
 * without a database: to test them, or to look at them. NULL without
 * memory. */
/* q without its positional bonuses of the operators bonus_ops (XAPC_BONUS_*,
 * see the ranking policy below): the same documents. When bonuses is not
 * NULL, *bonuses gets the OR of those that add weight where they match
 * (not on the right of an AND_NOT or a FILTER), a query matching nothing
 * when there is none. */
xapc_query *xapc_query_without_bonuses(const xapc_query *q, unsigned bonus_ops,
                                       xapc_query **bonuses);
/* q reduced to what decides a match, as xapc_db_count() counts it (prefix
 * as there). */
xapc_query *xapc_query_same_matches(const xapc_query *q, const char *prefix);

/* ---- matching ---- */
/* Runs q with BM25 and returns matches [offset, offset+limit). Counts are
 * exact (check_at_least = doc count). Each slot in count_slots[0..n_slots)
 * gets Xapian's ValueCountMatchSpy: facet counts over every match, each
 * distinct value (empty ones left out) with the matches holding it, in
 * byte order of the values. When the database
 * changes under the reader (any database error, which a revision being
 * overwritten can look like), it is reopened and the search retried. */
int xapc_db_search(xapc_db *db, const xapc_query *q, size_t offset, size_t limit,
                   const unsigned *count_slots, size_t n_slots, xapc_mset **out);
/* Like xapc_db_search() without spies, for the ranking only: the match
 * stops once it has the page and no better document can come, so the
 * total may be an estimate (xapc_mset_exact() says). When fewer than
 * offset+limit documents match, every one was seen and it is exact.
 * Positional bonuses are weighed as db's ranking policy says (below). */
int xapc_db_rank(xapc_db *db, const xapc_query *q, size_t offset, size_t limit,
                 xapc_mset **out);

/* The matches of q in ascending order of the value in slot (ties by
 * docid), unweighed, from offset, at most limit; the total is exact.
 * Reopens and retries like xapc_db_search(). */
int xapc_db_list(xapc_db *db, const xapc_query *q, unsigned slot, size_t offset, size_t limit,
                 xapc_mset **out);

/* ---- ranking policy ----
 * A positional bonus of a query is a subquery of an OR that holds an
 * operator of bonus_ops and matches only where another subquery of that
 * OR, holding none, does: a phrase of words the OR asks for anyway. Left
 * out, it changes weights, never matches. Under a policy, xapc_db_rank()
 * ranks q without its bonuses, then weighs them on the best
 * rescore_window documents of that ranking only, adds them (a query's
 * BM25 weight is the sum of its matching subqueries') and reorders those
 * documents; below them, the order is that of the ranking without
 * bonuses. The window does not depend on the page asked, so that pages
 * follow on, nor on docids (each shard numbers its own) when an id slot
 * is set (xapc_db_set_id_slot()): the window is the first rescore_window
 * documents of the total order weight, then id, and equal weights in it
 * are ordered by unique term (xapc_db_set_id_prefix()). How many documents
 * and which operators are the caller's decision: the wrapper has no
 * numbers of its own. Without a policy (or with rescore_window or
 * bonus_ops 0), every subquery is weighed on every match. */
#define XAPC_BONUS_PHRASE 1u /* XAPC_PHRASE subqueries */
#define XAPC_BONUS_NEAR 2u   /* XAPC_NEAR subqueries */
typedef struct xapc_rank_policy {
    size_t rescore_window; /* documents whose bonuses are weighed */
    unsigned bonus_ops;    /* XAPC_BONUS_* OR-ed: what makes a bonus */
} xapc_rank_policy;
/* The policy of every later xapc_db_rank() on db (copied; NULL: none). */
void xapc_db_set_rank_policy(xapc_db *db, const xapc_rank_policy *policy);
/* No value slot (xapc_db_set_id_slot()). */
#define XAPC_NO_SLOT 0xffffffffu
/* The value slot where every document of db holds its unique term without
 * its prefix (xapc_db_set_id_prefix()); XAPC_NO_SLOT until set. Once set,
 * every ranking that gives hits (xapc_db_search() with a page,
 * xapc_db_rank()) orders equal weights by that value, ascending (Xapian's
 * relevance-then-value sort, which the remote backend runs; weights equal
 * to within 1e-9, which a shard may sum in another order, count as equal):
 * the order is total and the same on one database or its shards. Without
 * it, Xapian
 * orders equal weights by docid, which each shard numbers its own way. */
void xapc_db_set_id_slot(xapc_db *db, unsigned slot);
/* The prefix of the unique term every document of db has (the id term of
 * xapc_wdb_replace()); "Q" until set, Xapian's custom. A pass restricted
 * to documents an earlier pass found (the bonuses of a rescore window,
 * xapc_db_weigh()) names them by these terms, never by docid: a docid is
 * the combined database's, and each shard of a sharded or remote index
 * numbers its own documents. Copied; NULL or "" is refused (OASIS_EINVAL). */
int xapc_db_set_id_prefix(xapc_db *db, const char *prefix);
/* The exact number of documents q matches, without weighing them, and
 * without walking them when Xapian's bounds already agree. The count runs
 * on q reduced to what decides a match (weights, AND_MAYBE's optional
 * side and OR subqueries another covers, such as a phrase beside its
 * words, dropped). prefix (NULL or "": none) is a promise about the
 * index: every document with the term prefix+t also has t, so prefix+t
 * beside t in an OR is dropped too. Reopens and retries like
 * xapc_db_search(). */
int xapc_db_count(xapc_db *db, const xapc_query *q, const char *prefix, size_t *out);
/* An estimate of the documents q matches, from the frequencies of its
 * terms taken as independent (Xapian's own way), without walking or even
 * opening their posting lists; never below at_least (matches already
 * seen). q is reduced first as for xapc_db_count(), prefix likewise.
 * Reopens and retries like xapc_db_search(). */
int xapc_db_estimate(xapc_db *db, const xapc_query *q, const char *prefix, size_t at_least,
                     size_t *out);
void xapc_mset_free(xapc_mset *m);
size_t xapc_mset_size(const xapc_mset *m);     /* matches on this page */
size_t xapc_mset_total(const xapc_mset *m);    /* every match (see xapc_mset_exact) */
int xapc_mset_exact(const xapc_mset *m);       /* 1: the total is exact; 0: estimated */
unsigned xapc_mset_docid(const xapc_mset *m, size_t i);
double xapc_mset_weight(const xapc_mset *m, size_t i);
/* Stored data of the i-th match, borrowed until xapc_mset_free(). */
const char *xapc_mset_data(const xapc_mset *m, size_t i, size_t *len);
/* Facet counts of the spy on count_slots[spy]: n distinct values. */
size_t xapc_mset_facet_size(const xapc_mset *m, size_t spy);
/* The j-th value (borrowed until xapc_mset_free()) and its count. */
const char *xapc_mset_facet(const xapc_mset *m, size_t spy, size_t j, size_t *len,
                            size_t *count);

/* ---- search helpers: spelling, terms, documents, feedback ----
 * Like xapc_db_search(), each reopens the database and tries again when a
 * writer has overwritten the revision it reads. Callbacks are called once
 * per term, after the reading is done. */
/* The spelling dictionary's closest word to word[0..len) within max_edit
 * edits; *out (caller frees) is "" when there is none. */
int xapc_db_spelling(xapc_db *db, const char *word, size_t len, unsigned max_edit, char **out);
/* *out: 1 when db has a spelling table with a word in it, 0 when none (as
 * over Xapian's remote backend, which does not carry spelling tables: a
 * remote database gives no suggestion). */
int xapc_db_has_spelling(xapc_db *db, int *out);
/* Called for each term; a nonzero return stops the walk. term is borrowed
 * for the call only. */
typedef int (*xapc_term_fn)(void *userdata, const char *term, size_t len, double value);
/* Walks the terms starting with prefix[0..len) in byte order, fn getting
 * each one's document frequency as value; at most max terms (0: all). */
int xapc_db_terms(xapc_db *db, const char *prefix, size_t len, size_t max, xapc_term_fn fn,
                  void *userdata);
/* Walks the words of the spelling dictionary starting with
 * prefix[0..len), in byte order, fn getting each one's frequency as
 * value; at most max words (0: all). A backend without a dictionary
 * (remote) walks none. */
int xapc_db_spellings(xapc_db *db, const char *prefix, size_t len, size_t max, xapc_term_fn fn,
                      void *userdata);
/* Walks the terms of document docid that start with prefix[0..len), in
 * byte order, fn getting each one's wdf as value. A missing document:
 * OASIS_ENOTFOUND. */
int xapc_db_doc_terms(xapc_db *db, unsigned docid, const char *prefix, size_t len,
                      xapc_term_fn fn, void *userdata);
/* The whole contents of db as text (*out, caller frees; *len its length):
 * one line per stored data, value and term (wdf and positions) of each
 * document, keyed by its unique Q term, per metadata key of the first
 * database, per spelling word with its frequency; sorted, so that two
 * databases holding the same give the same text whatever their document
 * ids and shards. For tests and comparisons. */
int xapc_db_dump(xapc_db *db, char **out, size_t *len);
/* The document indexed by the unique term: *docid, or 0 when none. */
int xapc_db_find(xapc_db *db, const char *term, size_t len, unsigned *docid);
/* The wdf of term in document docid (0 when the term is absent). A missing
 * document: OASIS_ENOTFOUND. */
int xapc_db_doc_wdf(xapc_db *db, unsigned docid, const char *term, size_t len, unsigned *wdf);
/* Relevance feedback: the max terms that best describe the documents
 * docids[0..n) (Xapian's expansion set, best first), fn getting each
 * one's expansion weight as value. Terms starting with an upper-case ASCII
 * letter (prefixed: filters, ids, title copies) are left out. */
int xapc_db_expand(xapc_db *db, const unsigned *docids, size_t n, size_t max, xapc_term_fn fn,
                   void *userdata);
/* matched[i] gets 1 when document docids[i] matches q, else 0. q is run
 * unweighed over every one of its matches and no document is read: q
 * should be restricted to a few documents (by their unique terms, say). */
int xapc_db_matching(xapc_db *db, const xapc_query *q, const unsigned *docids, size_t n,
                     int *matched);
/* Runs q (BM25) over the documents docids[0..n) only: weights[i] gets the
 * weight of docids[i] and matched[i] 1 when it matches q (weight 0 and
 * matched 0 otherwise). The documents are named in the query by their
 * unique terms (xapc_db_set_id_prefix()): each must have one, else
 * OASIS_EINVAL. */
int xapc_db_weigh(xapc_db *db, const xapc_query *q, const unsigned *docids, size_t n,
                  double *weights, int *matched);
/* The best weight any document gets for q (0 when none matches); cheaper
 * than a search: no counting. */
int xapc_db_max_weight(xapc_db *db, const xapc_query *q, double *out);
/* A query matching every document with the same weight (>= 0): FILTER it
 * by a boolean term to give that term's documents a fixed boost. (Xapian's
 * FixedWeightPostingSource, which its remote protocol carries.) */
xapc_query *xapc_query_fixed(double weight);

/* "1.4.22": the Xapian library in use. */
const char *xapc_version(void);

#ifdef __cplusplus
}
#endif
#endif
