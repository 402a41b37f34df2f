/*
 * oasis.h — the public API of liboasis, a French full-text search library
 * for the initiatives French départements run against medical deserts.
 *
 * Conventions
 *   - Functions that can fail return 0 on success or a negative OASIS_E* code;
 *     oasis_error_last() then holds a one-line, lower-case message.
 *   - Handles are opaque. `T **out` parameters receive a handle the caller
 *     owns and releases with the matching *_free(), which accepts NULL.
 *   - `const` pointers returned by the library are borrowed: each function
 *     says until when they stay valid.
 *   - All text is UTF-8. Options structs start with a version field and are
 *     initialised with their *_INIT macro; passing NULL means defaults.
 *   - Thread safety: handles are not shared between threads without a lock.
 *     Separate handles (even on the same index) may be used from separate
 *     threads at once. oasis_error_last() is per thread.
 */
#ifndef OASIS_H
#define OASIS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define OASIS_API
#elif defined(__GNUC__)
#define OASIS_API __attribute__((visibility("default")))
#else
#define OASIS_API
#endif

/* ---- Version ---------------------------------------------------------- */

#define OASIS_VERSION_MAJOR 0
#define OASIS_VERSION_MINOR 1
#define OASIS_VERSION_PATCH 0
#define OASIS_VERSION_STRING "0.1.0"

/* The library's version as "MAJOR.MINOR.PATCH" (static storage). */
OASIS_API const char *oasis_version(void);

/* ---- Errors ----------------------------------------------------------- */

enum {
    OASIS_OK = 0,
    OASIS_ENOMEM = -1,   /* out of memory */
    OASIS_EINVAL = -2,   /* invalid argument (bad option, unknown département) */
    OASIS_EIO = -3,      /* a file could not be read or written */
    OASIS_EFORMAT = -4,  /* input that cannot be read (invalid UTF-8, bad record) */
    OASIS_EINDEX = -5,   /* the search engine reported an error */
    OASIS_EVERSION = -6, /* index written by another analyzer or schema version */
    OASIS_ELOCKED = -7,  /* the index is being written by another process */
    OASIS_ENOTFOUND = -8 /* no such index, document or entry */
};

/* The calling thread's last error message: one lower-case line, "" when no
 * error was recorded. Never NULL. Valid until the next oasis call on this
 * thread. */
OASIS_API const char *oasis_error_last(void);

/* ---- Départements ------------------------------------------------------ */

/* One French département, from the table built into the library
 * (corpus/departements.tsv: 101 départements). All strings are static. */
typedef struct oasis_departement {
    const char *code;        /* INSEE code: "01".."95", "2A", "2B", "971".."976" */
    const char *name;        /* official name, e.g. "Loir-et-Cher" */
    const char *region_code; /* INSEE région code, e.g. "24" */
    const char *region_name; /* e.g. "Centre-Val de Loire" */
} oasis_departement;

/* Finds a département by code ("45", "2a", "1" for "01") or by name in any
 * case, with or without accents, hyphens or spaces ("loir et cher").
 * Returns a static entry, or NULL when nothing matches. */
OASIS_API const oasis_departement *oasis_departement_find(const char *code_or_name);

/* The number of départements in the table, and the i-th one in INSEE order
 * (NULL when i is out of range). */
OASIS_API size_t oasis_departement_count(void);
OASIS_API const oasis_departement *oasis_departement_at(size_t i);

/* ---- Régions ------------------------------------------------------------ */

/* A région, as the département table names it. Strings are static. */
typedef struct oasis_region {
    const char *code; /* INSEE code, e.g. "24" */
    const char *name; /* e.g. "Centre-Val de Loire" */
} oasis_region;

/* Finds a région by code ("24", "1" for "01") or by name in any case, with
 * or without accents, hyphens or spaces ("centre val de loire"). Returns a
 * static entry, or NULL when nothing matches. */
OASIS_API const oasis_region *oasis_region_find(const char *code_or_name);

/* The number of régions, and the i-th one by code (NULL when out of range). */
OASIS_API size_t oasis_region_count(void);
OASIS_API const oasis_region *oasis_region_at(size_t i);

/* ---- Action categories -------------------------------------------------- */

/* A kind of action, from the table built into the library
 * (corpus/categories.tsv). Strings are static. */
typedef struct oasis_category {
    const char *slug;        /* e.g. "logement" */
    const char *label;       /* French label */
    const char *description; /* one line */
} oasis_category;

/* Finds a category by its slug (exact, as in the table). Returns a static
 * entry, or NULL. */
OASIS_API const oasis_category *oasis_category_find(const char *slug);

/* The number of categories, and the i-th one in table order (NULL when out
 * of range). */
OASIS_API size_t oasis_category_count(void);
OASIS_API const oasis_category *oasis_category_at(size_t i);

/* ---- Diagnostics ------------------------------------------------------- */

/* Called for each problem in the input that does not stop indexing: a
 * département that cannot be resolved, a broken record. file and line locate
 * it (line 0: whole file). The strings are valid during the call only. */
typedef void (*oasis_warning_fn)(void *userdata, const char *file, long line,
                                 const char *message);

/* Called once for each category given to a document, to show why: the
 * rule phrase that matched and its line in corpus/category-rules.tsv, or
 * phrase NULL and rule_line 0 when the record named its categories itself.
 * Strings are valid during the call only. */
typedef void (*oasis_category_fn)(void *userdata, const char *doc_id, const char *category,
                                  const char *phrase, long rule_line);

/* ---- Writing an index --------------------------------------------------- */

typedef struct oasis_writer oasis_writer;

#define OASIS_WRITER_OPTIONS_VERSION 1
typedef struct oasis_writer_options {
    unsigned version;          /* OASIS_WRITER_OPTIONS_VERSION */
    oasis_warning_fn warning;  /* NULL: warnings are dropped */
    void *warning_userdata;
    size_t batch_size;         /* documents per committed batch; 0: 1000 */
    oasis_category_fn category; /* NULL: category reasons are not reported */
    void *category_userdata;
} oasis_writer_options;

#define OASIS_WRITER_OPTIONS_INIT {OASIS_WRITER_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL}

/* Opens the index at path for writing, creating it (and its directory) when
 * missing. Only one writer may hold an index at a time: a second gets
 * OASIS_ELOCKED. An existing index written by another analyzer or schema
 * version gives OASIS_EVERSION. opts may be NULL. */
OASIS_API int oasis_writer_open(oasis_writer **out, const char *path,
                                const oasis_writer_options *opts);

/* An initiative built in memory. Strings are UTF-8, NUL-terminated, and only
 * read during oasis_writer_add(). */
typedef struct oasis_doc {
    const char *id;                  /* stable unique id; NULL: derived from title */
    const char *title;               /* may be NULL */
    const char *text;                /* body text; may be NULL */
    const char *const *departements; /* codes or names; may be NULL */
    size_t n_departements;
    const char *const *categories;   /* category slugs; given, they replace the
                                        rules; unknown slugs are warnings */
    size_t n_categories;
    const char *source_file;         /* where it came from; may be NULL */
    long source_line;
} oasis_doc;

/* Analyses doc and adds it to the index, replacing any document with the
 * same id. Its categories are doc->categories when given, else those the
 * rules of corpus/category-rules.tsv find in its title and text. Unknown
 * départements and categories are reported through the warning callback
 * and the document is still added. Committed with the current batch. */
OASIS_API int oasis_writer_add(oasis_writer *w, const oasis_doc *doc);

/* Statistics of oasis_writer_add_path(). */
typedef struct oasis_add_stats {
    size_t files;    /* files read */
    size_t records;  /* initiatives found */
    size_t indexed;  /* initiatives added to the index */
    size_t skipped;  /* records or files that could not be used */
    size_t warnings; /* warnings reported */
} oasis_add_stats;

/* Reads a corpus file, or every regular file under a directory (sorted by
 * name, hidden files and README* skipped), detects each file's format
 * (records text, listing page, JSON Lines) from its content, and adds every
 * initiative found. Problems in one record are warnings; a file that cannot
 * be read at all is counted as skipped and reported as a warning. stats may
 * be NULL; otherwise the counts are added to it. */
OASIS_API int oasis_writer_add_path(oasis_writer *w, const char *path,
                                    oasis_add_stats *stats);

/* Commits everything added so far, atomically. */
OASIS_API int oasis_writer_commit(oasis_writer *w);

/* Number of documents in the index as committed plus pending ones. */
OASIS_API size_t oasis_writer_doc_count(const oasis_writer *w);

/* Commits pending work (errors are lost: call oasis_writer_commit() first to
 * see them) and closes the index. NULL is accepted. */
OASIS_API void oasis_writer_free(oasis_writer *w);

/* ---- Searching ---------------------------------------------------------- */

typedef struct oasis_searcher oasis_searcher;

/* Opens the index at path for reading. A missing index gives
 * OASIS_ENOTFOUND; one written by another analyzer or schema version gives
 * OASIS_EVERSION. */
OASIS_API int oasis_searcher_open(oasis_searcher **out, const char *path);

/* Number of initiatives in the index. */
OASIS_API size_t oasis_searcher_doc_count(const oasis_searcher *s);

OASIS_API void oasis_searcher_free(oasis_searcher *s);

/* Filters: the values of one facet are OR-ed, the facets AND-ed. */
#define OASIS_SEARCH_OPTIONS_VERSION 1
typedef struct oasis_search_options {
    unsigned version;                /* OASIS_SEARCH_OPTIONS_VERSION */
    size_t offset;                   /* first hit to return, from 0 */
    size_t limit;                    /* hits to return (0: only counts and facets) */
    const char *const *departements; /* keep these (codes or names); may be NULL */
    size_t n_departements;
    const char *const *regions;      /* keep these (codes or names); may be NULL */
    size_t n_regions;
    const char *const *categories;   /* keep these (slugs); may be NULL */
    size_t n_categories;
    int facets;                      /* 1: count the facets (see oasis_results_facet) */
} oasis_search_options;

#define OASIS_SEARCH_OPTIONS_INIT \
    {OASIS_SEARCH_OPTIONS_VERSION, 0, 10, NULL, 0, NULL, 0, NULL, 0, 0}

/* One ranked hit. Every pointer is borrowed from the results and valid until
 * oasis_results_free(). */
typedef struct oasis_hit {
    size_t rank;          /* 1 for the best hit */
    double score;         /* BM25 weight */
    int all_terms;        /* 1 when the hit contains every word of the query */
    const char *id;
    const char *title;
    const char *text;
    const char *source_file;
    long source_line;
    size_t n_departements;
    const oasis_departement *const *departements; /* static entries */
    size_t n_regions;
    const oasis_region *const *regions;           /* of the départements, once each */
    size_t n_categories;
    const oasis_category *const *categories;      /* static entries */
} oasis_hit;

typedef struct oasis_results oasis_results;

/* Searches for query, French text read with the same analyzer as the index.
 * Hits that contain every word of the query rank before hits that contain
 * only some; within each group, by BM25. Words absent from the index do not
 * empty the results. A query with no words lists what the filters keep
 * (everything when there are none), in index order. An unknown
 * département, région or category in opts is OASIS_EINVAL, with a message
 * naming it. opts may be NULL. */
OASIS_API int oasis_search(oasis_searcher *s, const char *query,
                           const oasis_search_options *opts,
                           oasis_results **out);

/* Hits on this page, and every matching initiative (exact, not estimated). */
OASIS_API size_t oasis_results_count(const oasis_results *r);
OASIS_API size_t oasis_results_total(const oasis_results *r);

/* The i-th hit of the page (0-based), NULL when out of range. */
OASIS_API const oasis_hit *oasis_results_hit(const oasis_results *r, size_t i);

/* Facets: with opts->facets, every matching initiative counted by
 * département, région and category. Counts are exact. An initiative with
 * two départements counts once for each. Counts are disjunctive: the
 * values of a facet that has a filter are counted as if that facet's filter
 * were absent (the other filters apply), so they show what each other
 * choice would give; facets without a filter count within all filters. */
typedef enum oasis_facet {
    OASIS_FACET_DEPARTEMENT = 0,
    OASIS_FACET_REGION = 1,
    OASIS_FACET_CATEGORY = 2
} oasis_facet;

typedef struct oasis_facet_value {
    const char *value; /* département or région code, category slug */
    const char *label; /* its name or label */
    size_t count;      /* matching initiatives */
} oasis_facet_value;

/* Number of values of facet (0 without opts->facets), and the i-th one,
 * most frequent first (ties by value); NULL when out of range. Borrowed
 * until oasis_results_free(). */
OASIS_API size_t oasis_results_facet_size(const oasis_results *r, oasis_facet facet);
OASIS_API const oasis_facet_value *oasis_results_facet(const oasis_results *r,
                                                       oasis_facet facet, size_t i);

OASIS_API void oasis_results_free(oasis_results *r);

#ifdef __cplusplus
}
#endif
#endif /* OASIS_H */
