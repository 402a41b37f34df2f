/* oasis_writer: initiatives → analysed terms, filter terms, values and
 * stored data in a Xapian database, committed in atomic batches. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/words.h"
#include "index/docdata.h"
#include "index/docid.h"
#include "index/writer.h"
#include "index/schema.h"
#include "index/sync.h"
#include "oasis.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "xapian/glassdir.h"
#include "xapian/xapc.h"

#define DEFAULT_BATCH 1000
#define DEFAULT_MEMORY_MIB 256
#define MIN_MEMORY_MIB 32
/* Changesets kept for replication by default (writer option changesets). */
#define DEFAULT_CHANGESETS 10
/* What the program holds besides the batch (tables, analyzer, Xapian's
 * caches, the blocks being read, the ids given out): the rest of the
 * memory setting is the batch's. */
#define ALLOWANCE_MIB 48
/* Bytes of memory a batch takes in Xapian (its postings, positions and
 * documents held until the commit, and what the commit needs to merge
 * them), per byte of the estimate that oasis_writer_add() counts.
 * Measured with oasis-index --batch-size 20000 on the 20,000-initiative
 * bench corpus: a single batch raised the peak resident memory by 198 MiB
 * for an estimate of 206 MiB; batches cut at an estimate of 80 MiB raised
 * it by 127 MiB (the later commits merge into postings already on disk,
 * and freed memory is not all reused): 3/2 of the estimate, rounded up. */
#define BATCH_BYTES_NUM 3
#define BATCH_BYTES_DEN 2
#define MAX_DEPTS 16
#define MAX_CATEGORIES 64

struct oasis_writer {
    xapc_wdb *db;
    oa_analyzer *analyzer;
    oa_classifier *classifier;
    oasis_warning_fn warn;
    void *warn_userdata;
    oasis_category_fn category;
    void *category_userdata;
    size_t batch_size;
    size_t in_batch; /* documents added since the last commit */
    size_t batch_bytes;  /* estimate of the memory the batch holds */
    size_t batch_budget; /* committed early when batch_bytes reaches it */
    int changed;     /* a commit of this writer wrote something */
    int created;     /* the index did not exist before this writer */
    int compacted;   /* replaced by a compact copy: no more changes */
    int in_transaction;
    size_t warnings;
    oa_tokens tokens;
    oa_words words;  /* of the document being added, for the spelling table */
    oa_buf scratch;
    oa_buf data;     /* the stored data of the document being added */
    oa_sync *sync;   /* source records (index/sync.h) */
    char *path;      /* of the index */
};

void oa_writer_warn(oasis_writer *w, const char *file, long line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->warnings++;
    if (w->warn)
        w->warn(w->warn_userdata, file ? file : "", line, msg);
}

static int check_versions(const char *analyzer, const char *schema, size_t docs)
{
    if (docs == 0 && !*analyzer && !*schema)
        return 0;
    if (strcmp(analyzer, OA_ANALYZER_VERSION) != 0 || strcmp(schema, OA_SCHEMA_VERSION) != 0)
        return oa_error(OASIS_EVERSION,
                        "index written by analyzer '%s' schema '%s'; this oasis uses analyzer "
                        "'%s' schema '%s': rebuild the index",
                        *analyzer ? analyzer : "none", *schema ? schema : "none",
                        OA_ANALYZER_VERSION, OA_SCHEMA_VERSION);
    return 0;
}

/* The versions of every database of the index checked, and written where
 * they are new (so that a run that changes nothing leaves the index
 * untouched); a sharded index also records its number of shards. */
static int check_parts(oasis_writer *w, unsigned shards)
{
    char *analyzer = NULL, *schema = NULL, *count = NULL;
    size_t len, parts = xapc_wdb_part_count(w->db);
    int rc = 0, write = 0;
    char n[16];
    snprintf(n, sizeof n, "%u", shards);
    for (size_t i = 0; i < parts && !rc; i++) {
        if (!(rc = xapc_wdb_get_metadata_part(w->db, i, OA_META_ANALYZER, &analyzer, &len)) &&
            !(rc = xapc_wdb_get_metadata_part(w->db, i, OA_META_SCHEMA, &schema, &len)) &&
            !(rc = xapc_wdb_get_metadata_part(w->db, i, OA_META_SHARDS, &count, &len)) &&
            !(rc = check_versions(analyzer, schema, i ? 0 : xapc_wdb_doc_count(w->db))))
            write |= strcmp(analyzer, OA_ANALYZER_VERSION) || strcmp(schema, OA_SCHEMA_VERSION) ||
                     (shards > 1 && !xapc_wdb_temporary(w->db) && strcmp(count, n));
        free(analyzer);
        free(schema);
        free(count);
        analyzer = schema = count = NULL;
    }
    if (rc || !write)
        return rc;
    if ((rc = xapc_wdb_set_metadata_parts(w->db, OA_META_ANALYZER, OA_ANALYZER_VERSION,
                                          strlen(OA_ANALYZER_VERSION))) ||
        (rc = xapc_wdb_set_metadata_parts(w->db, OA_META_SCHEMA, OA_SCHEMA_VERSION,
                                          strlen(OA_SCHEMA_VERSION))))
        return rc;
    if (shards > 1 && !xapc_wdb_temporary(w->db) &&
        (rc = xapc_wdb_set_metadata_parts(w->db, OA_META_SHARDS, n, strlen(n))))
        return rc;
    return xapc_wdb_commit(w->db);
}

/* Opens the index at path with shards shards. A new index of one shard
 * with several jobs is written on temporary shards, one per job, merged
 * into it by oasis_writer_compact() (or oasis_writer_free()); a sharded
 * index gets a thread per shard. Changesets are kept for replication,
 * except while an index is created: the first copy is always whole. */
static int open_db(oasis_writer *w, const char *path, const oasis_writer_options *o,
                   unsigned shards)
{
    int rc;
    if ((rc = xapc_glassdir_clear_unfinished(path)) ||   /* creation cut short */
        (rc = xapc_glassdir_finish_compaction(path)))    /* compaction cut short */
        return rc;
    xapc_wdb_setup setup = {shards, 1, 0, 0};
    unsigned jobs = o->jobs > 1 ? o->jobs : 1;
    if (shards == 1 && w->created && jobs > 1 && !xapc_is_stub(path)) {
        setup.shards = setup.threads = jobs;
        setup.temporary = 1;
    } else if (shards > 1 && jobs > 1) {
        setup.threads = shards;
    }
    setup.changesets = w->created ? 0 : o->changesets < 0 ? 0
                                    : o->changesets ? o->changesets : DEFAULT_CHANGESETS;
    return xapc_wdb_open_setup(&w->db, path, &setup);
}

void oasis_writer_options_init(oasis_writer_options *opts)
{
    static const oasis_writer_options defaults = OASIS_WRITER_OPTIONS_INIT;
    *opts = defaults;
}

int oasis_writer_open(oasis_writer **out, const char *path, const oasis_writer_options *opts)
{
    *out = NULL;
    if (!path || !*path)
        return oa_error(OASIS_EINVAL, "no index path given");
    oasis_writer_options o;
    oasis_writer_options_init(&o);
    if (opts && opts->version != OASIS_WRITER_OPTIONS_VERSION)
        return oa_error(OASIS_EINVAL, "writer options version %u is not this library's (%u)",
                        opts->version, OASIS_WRITER_OPTIONS_VERSION);
    if (opts)
        o = *opts;
    opts = &o;
    int rc = oa_departements_init();
    if (!rc)
        rc = oa_categories_init();
    if (rc)
        return rc;
    oasis_writer *w = calloc(1, sizeof *w);
    if (!w)
        return oa_error(OASIS_ENOMEM, "out of memory");
    if (opts) {
        w->warn = opts->warning;
        w->warn_userdata = opts->warning_userdata;
        w->batch_size = opts->batch_size;
        w->category = opts->category;
        w->category_userdata = opts->category_userdata;
    }
    if (!w->batch_size)
        w->batch_size = DEFAULT_BATCH;
    size_t mib = opts->memory_mib ? opts->memory_mib : DEFAULT_MEMORY_MIB;
    if (mib < MIN_MEMORY_MIB)
        mib = MIN_MEMORY_MIB;
    if (mib > ((size_t)-1 >> 21))
        mib = (size_t)-1 >> 21;
    mib = mib - ALLOWANCE_MIB > mib / 4 && mib > ALLOWANCE_MIB ? mib - ALLOWANCE_MIB : mib / 4;
    w->batch_budget = mib << 20;
    /* A stub file is never compacted into a directory in its place. In
     * memory, path is not touched: not even the compaction's directory
     * beside it (its path, then, is "": see xapc_wdb_open_memory()). */
    int memory = o.in_memory != 0;
    if (!(w->path = oa_strdup(memory ? "" : path))) {
        oasis_writer_free(w);
        return OASIS_ENOMEM;
    }
    unsigned have = 0, shards = 1;
    if (!memory && (rc = xapc_shards_count(path, &have)))
        goto fail;
    if (have && o.shards && have != o.shards) {
        rc = oa_error(OASIS_EINVAL,
                      "index %s has %u shard%s, not %u: the number of shards is set when an "
                      "index is created (build a new one to change it)",
                      path, have, have == 1 ? "" : "s", o.shards);
        goto fail;
    }
    shards = have ? have : o.shards ? o.shards : 1;
    w->created = !memory && !have;
    if (!memory && (rc = open_db(w, path, &o, shards)))
        goto fail;
    if (memory && (rc = xapc_wdb_open_memory(&w->db)))
        goto fail;
    if ((rc = oa_analyzer_new(&w->analyzer)) || (rc = oa_classifier_new(&w->classifier)) ||
        (rc = check_parts(w, shards)) || (rc = oa_sync_open(&w->sync, w->db, opts)))
        goto fail;
    *out = w;
    return 0;
fail:
    if (rc == OASIS_ELOCKED)
        oa_error(rc, "index %s is being written by another process", path);
    xapc_wdb_free(w->db);
    w->db = NULL;
    oasis_writer_free(w);
    return rc;
}

/* Title and text analysed into w->tokens: the title from position 0, the
 * text OA_TEXT_POS_GAP further on; *n_title gets the title's tokens. */
static int analyze_doc(oasis_writer *w, const oasis_doc *doc, size_t *n_title)
{
    oa_tokens_clear(&w->tokens);
    const char *title = doc->title ? doc->title : "", *text = doc->text ? doc->text : "";
    int rc = oa_analyze(w->analyzer, title, strlen(title), 0, &w->tokens);
    if (rc)
        return rc;
    *n_title = w->tokens.n;
    uint32_t next = w->tokens.n ? w->tokens.v[w->tokens.n - 1].pos + 1 : 0;
    return oa_analyze(w->analyzer, text, strlen(text), next + OA_TEXT_POS_GAP, &w->tokens);
}

static int add_postings(oasis_writer *w, xapc_doc *d, size_t n_title)
{
    int rc = 0;
    for (size_t i = 0; i < w->tokens.n && !rc; i++) {
        const oa_token *t = &w->tokens.v[i];
        int title = i < n_title;
        if (t->term_len == 0)
            continue; /* Xapian refuses empty terms (a lone combining mark) */
        rc = xapc_doc_add_posting(d, t->term, t->term_len, t->pos, title ? OA_TITLE_WDF : 1);
        if (!rc && title) {
            oa_buf_reset(&w->scratch);
            if (!(rc = oa_buf_puts(&w->scratch, OA_PREFIX_TITLE)) &&
                !(rc = oa_buf_append(&w->scratch, t->term, t->term_len)))
                rc = xapc_doc_add_posting(d, w->scratch.data, w->scratch.len, t->pos, 1);
        }
    }
    return rc;
}

static int add_prefixed(oasis_writer *w, xapc_doc *d, const char *prefix, const char *value)
{
    oa_buf_reset(&w->scratch);
    int rc = oa_buf_puts(&w->scratch, prefix);
    if (!rc)
        rc = oa_buf_puts(&w->scratch, value);
    if (!rc)
        rc = xapc_doc_add_boolean_term(d, w->scratch.data, w->scratch.len);
    return rc;
}

/* A multi-valued field: one boolean term per value, and the values joined
 * by ',' in a slot (facet counts split them again). */
static int add_field(oasis_writer *w, xapc_doc *d, const char *prefix, unsigned slot,
                     const char *const *v, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = add_prefixed(w, d, prefix, v[i]);
    oa_buf_reset(&w->scratch);
    if (!rc)
        rc = oa_buf_append(&w->scratch, "", 0);
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = oa_buf_putc(&w->scratch, ',');
        if (!rc)
            rc = oa_buf_puts(&w->scratch, v[i]);
    }
    return rc ? rc : xapc_doc_set_value(d, slot, w->scratch.data, w->scratch.len);
}

/* The browse order (OA_SLOT_ORDER): the key a derived id is made of (first
 * département code, then the title's fold key), then the id, which makes
 * the order total. */
static int add_order(oasis_writer *w, xapc_doc *d, const oasis_doc *doc, const char *const *codes,
                     size_t n_codes, const char *id)
{
    int rc = oa_doc_id(doc, codes, n_codes, &w->scratch);
    if (!rc)
        rc = oa_buf_putc(&w->scratch, '\x01');
    if (!rc)
        rc = oa_buf_puts(&w->scratch, id);
    return rc ? rc : xapc_doc_set_value(d, OA_SLOT_ORDER, w->scratch.data, w->scratch.len);
}

/* Resolves the document's départements to static entries, once each. */
static size_t resolve_depts(oasis_writer *w, const oasis_doc *doc, const oasis_departement **out)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_departements; i++) {
        const char *name = doc->departements[i];
        const oasis_departement *found[MAX_DEPTS];
        size_t nf = 0;
        if (oa_departement_resolve_label(name, strlen(name), found, MAX_DEPTS, &nf) != 0)
            oa_writer_warn(w, doc->source_file, doc->source_line, "unknown département '%s'", name);
        for (size_t j = 0; j < nf; j++) {
            size_t k = 0;
            while (k < n && out[k] != found[j])
                k++;
            if (k == n && n < MAX_DEPTS)
                out[n++] = found[j];
        }
    }
    return n;
}

/* The document's categories: its own when it names some (unknown slugs are
 * warnings), else what the rules find in w->tokens. Each is reported to
 * the category callback with its reason. */
static int categorize(oasis_writer *w, const oasis_doc *doc, const char *id,
                      const char **out, size_t *n)
{
    *n = 0;
    if (doc->n_categories) {
        for (size_t i = 0; i < doc->n_categories; i++) {
            const oasis_category *c = oa_category_find(doc->categories[i]);
            if (!c) {
                oa_category_check(doc->categories[i]); /* says what is valid */
                oa_writer_warn(w, doc->source_file, doc->source_line, "%s", oa_error_message());
                continue;
            }
            size_t k = 0;
            while (k < *n && out[k] != c->slug)
                k++;
            if (k < *n || *n == MAX_CATEGORIES)
                continue;
            out[(*n)++] = c->slug;
            if (w->category)
                w->category(w->category_userdata, id, c->slug, NULL, 0);
        }
        return 0;
    }
    oa_category_match found[MAX_CATEGORIES];
    size_t nf = 0;
    int rc = oa_classify(w->classifier, &w->tokens, found, MAX_CATEGORIES, &nf);
    for (size_t i = 0; i < nf && !rc; i++) {
        out[(*n)++] = found[i].category->slug;
        if (w->category)
            w->category(w->category_userdata, id, found[i].category->slug, found[i].phrase,
                        found[i].rule_line);
    }
    return rc;
}

static int begin_batch(oasis_writer *w)
{
    if (w->in_transaction)
        return 0;
    if (w->compacted)
        return oa_error(OASIS_EINVAL, "the index was compacted: open it again to change it");
    int rc = xapc_wdb_begin(w->db);
    if (!rc)
        w->in_transaction = 1;
    return rc;
}

/* What decides whether two records are the same initiative: title, text,
 * départements and the categories they name (never 0: 0 is "unknown"). */
static uint64_t fingerprint(const oasis_doc *doc, const char *const *codes, size_t n_codes)
{
    const char *title = doc->title ? doc->title : "", *text = doc->text ? doc->text : "";
    uint64_t h = oa_fnv1a(OA_FNV_BASIS, title, strlen(title) + 1);
    h = oa_fnv1a(h, text, strlen(text) + 1);
    for (size_t i = 0; i < n_codes; i++)
        h = oa_fnv1a(h, codes[i], strlen(codes[i]) + 1);
    h = oa_fnv1a(h, "", 1);
    for (size_t i = 0; i < doc->n_categories; i++)
        h = oa_fnv1a(h, doc->categories[i], strlen(doc->categories[i]) + 1);
    return h ? h : 1;
}

/* The id of doc: its own (the same id elsewhere is a warning), or one
 * derived from it that no other initiative holds (index/sync.h).
 * *outranked: another source holds it and wins. */
static int doc_id(oasis_writer *w, const oasis_doc *doc, const char *const *codes, size_t n_codes,
                  uint64_t fp, oa_buf *id, int *outranked)
{
    int rc, derived = !doc->id || !*doc->id;
    if (derived && (rc = oa_doc_id(doc, codes, n_codes, &w->scratch)))
        return rc;
    oa_sync_dup dup;
    if ((rc = oa_sync_claim(w->sync, derived ? w->scratch.data : doc->id, derived, fp,
                            doc->source_line, id, &dup)))
        return rc;
    *outranked = dup.outranked;
    if (!dup.file)
        return 0;
    if (derived)
        oa_writer_warn(w, doc->source_file, doc->source_line,
                       "the same initiative as %s:%ld: indexed once", dup.file, dup.line);
    else if (dup.same)
        oa_writer_warn(w, doc->source_file, doc->source_line,
                       "duplicate id '%s' (also at %s:%ld), the same initiative: indexed once",
                       id->data, dup.file, dup.line);
    else if (dup.outranked)
        oa_writer_warn(w, doc->source_file, doc->source_line,
                       "duplicate id '%s' (also at %s:%ld): the file whose path sorts last "
                       "wins, this record is left out",
                       id->data, dup.file, dup.line);
    else
        oa_writer_warn(w, doc->source_file, doc->source_line,
                       "duplicate id '%s' (also at %s:%ld): this record replaces the earlier one",
                       id->data, dup.file, dup.line);
    return 0;
}

/* The spelling dictionary of suggestions: each distinct word of the
 * document once, unstemmed and accent-free (analysis/words.h). */
static int add_spelling(oasis_writer *w, const oasis_doc *doc, size_t n_title)
{
    int rc = oa_words_collect(w->analyzer, doc->title ? doc->title : "", doc->text ? doc->text : "",
                              &w->tokens, n_title, &w->words);
    for (size_t i = 0; i < oa_words_count(&w->words) && !rc; i++) {
        size_t len;
        const char *word = oa_words_at(&w->words, i, &len);
        rc = xapc_wdb_add_spelling(w->db, word, len, 1);
    }
    return rc;
}

void oasis_doc_init(oasis_doc *doc)
{
    static const oasis_doc empty = OASIS_DOC_INIT;
    *doc = empty;
}

void oasis_add_stats_init(oasis_add_stats *stats)
{
    static const oasis_add_stats zero = OASIS_ADD_STATS_INIT;
    *stats = zero;
}

int oasis_writer_add(oasis_writer *w, const oasis_doc *doc)
{
    if (!doc || doc->version != OASIS_DOC_VERSION)
        return oa_error(OASIS_EINVAL, "document version %u is not this library's (%u)",
                        doc ? doc->version : 0, OASIS_DOC_VERSION);
    const oasis_departement *depts[MAX_DEPTS];
    size_t n_depts = resolve_depts(w, doc, depts);
    const char *codes[MAX_DEPTS], *regions[MAX_DEPTS], *cats[MAX_CATEGORIES];
    size_t n_regions = 0, n_cats = 0, n_title = 0;
    for (size_t i = 0; i < n_depts; i++) {
        codes[i] = depts[i]->code;
        size_t k = 0;
        while (k < n_regions && strcmp(regions[k], depts[i]->region_code))
            k++;
        if (k == n_regions)
            regions[n_regions++] = depts[i]->region_code;
    }

    oa_buf id = OA_BUF_INIT;
    xapc_doc *d = NULL;
    int rc;
    /* Analysis first: a record it refuses must not take its id. */
    uint64_t fp = fingerprint(doc, codes, n_depts);
    int outranked = 0;
    if ((rc = analyze_doc(w, doc, &n_title)) ||
        (rc = doc_id(w, doc, codes, n_depts, fp, &id, &outranked)) ||
        (rc = categorize(w, doc, id.data, cats, &n_cats)))
        goto out;
    if (outranked) { /* held by a source that wins: its record stays */
        rc = oa_sync_note(w->sync, id.data, fp, doc->source_line);
        goto out;
    }
    if (!(d = xapc_doc_new())) {
        rc = OASIS_ENOMEM;
        goto out;
    }
    if ((rc = add_postings(w, d, n_title)) ||
        (rc = add_prefixed(w, d, OA_PREFIX_ID, id.data)) ||
        (rc = xapc_doc_set_value(d, OA_SLOT_ID, id.data, strlen(id.data))) ||
        (rc = add_field(w, d, OA_PREFIX_DEPT, OA_SLOT_DEPTS, codes, n_depts)) ||
        (rc = add_field(w, d, OA_PREFIX_REGION, OA_SLOT_REGIONS, regions, n_regions)) ||
        (rc = add_field(w, d, OA_PREFIX_CATEGORY, OA_SLOT_CATEGORIES, cats, n_cats)) ||
        (rc = add_order(w, d, doc, codes, n_depts, id.data)))
        goto out;
    if ((rc = oa_docdata_encode(doc, id.data, codes, n_depts, cats, n_cats, &w->data)))
        goto out;
    if ((rc = xapc_doc_set_data(d, w->data.data, w->data.len)) || (rc = begin_batch(w)))
        goto out;
    /* The id term is the document's key: re-indexing replaces. */
    oa_buf_reset(&w->scratch);
    if ((rc = oa_buf_puts(&w->scratch, OA_PREFIX_ID)) || (rc = oa_buf_puts(&w->scratch, id.data)) ||
        (rc = xapc_wdb_replace(w->db, w->scratch.data, w->scratch.len, d)) ||
        (rc = add_spelling(w, doc, n_title)) ||
        (rc = oa_sync_note(w->sync, id.data, fp, doc->source_line)))
        goto out;
    /* What the batch now holds in memory: the text, and each posting (a
     * term with its position) with its bookkeeping, times what Xapian
     * makes of it. */
    size_t est = w->data.len + w->tokens.n * 2 * 24;
    for (size_t i = 0; i < w->tokens.n; i++)
        est += w->tokens.v[i].term_len * (i < n_title ? 2 : 1);
    w->batch_bytes += est / BATCH_BYTES_DEN * BATCH_BYTES_NUM;
    if (++w->in_batch >= w->batch_size || w->batch_bytes >= w->batch_budget)
        rc = oasis_writer_commit(w);
out:
    if (rc == OASIS_EFORMAT && doc->source_file && *doc->source_file)
        oa_error(rc, "%s:%ld: %s", doc->source_file, doc->source_line, oa_error_message());
    xapc_doc_free(d);
    oa_buf_free(&id);
    return rc;
}

int oasis_writer_delete(oasis_writer *w, const char *id)
{
    if (!id || !*id)
        return oa_error(OASIS_EINVAL, "no id given");
    size_t before = xapc_wdb_doc_count(w->db);
    int rc = begin_batch(w);
    oa_buf_reset(&w->scratch);
    if (!rc && !(rc = oa_buf_puts(&w->scratch, OA_PREFIX_ID)) &&
        !(rc = oa_buf_puts(&w->scratch, id)))
        rc = xapc_wdb_delete(w->db, w->scratch.data, w->scratch.len);
    if (!rc && xapc_wdb_doc_count(w->db) == before)
        rc = oa_error(OASIS_ENOTFOUND, "no initiative with id '%s'", id);
    return rc;
}

int oasis_writer_commit(oasis_writer *w)
{
    if (!w->in_transaction && !w->in_batch)
        return 0;
    int rc = oa_sync_flush(w->sync);
    if (!rc)
        rc = xapc_wdb_commit(w->db);
    if (rc)
        return rc;
    w->changed = 1;
    w->in_transaction = 0;
    w->in_batch = 0;
    w->batch_bytes = 0;
    return 0;
}

int oasis_writer_compact(oasis_writer *w, unsigned flags, int *compacted)
{
    if (compacted)
        *compacted = 0;
    int rc = oasis_writer_commit(w);
    int temporary = xapc_wdb_temporary(w->db);
    if (rc || w->compacted ||
        !(temporary || (flags & OASIS_COMPACT_ALWAYS) || (w->created && w->changed)))
        return rc;
    /* A sharded index: each shard is a database of its own, not compacted
     * into one. */
    if (xapc_wdb_part_count(w->db) > 1 && !temporary && !(flags & OASIS_COMPACT_ALWAYS))
        return 0;
    if (!*w->path)
        return oa_error(OASIS_EINVAL, "an index in memory cannot be compacted");
    /* Whatever the outcome, the tables under the writer's database may
     * have been replaced: it must not write again. */
    w->compacted = 1;
    if ((rc = xapc_glassdir_compact(w->db, w->path)))
        return rc;
    w->changed = 0;
    if (compacted)
        *compacted = 1;
    return 0;
}

size_t oasis_writer_doc_count(const oasis_writer *w)
{
    return xapc_wdb_doc_count(w->db);
}

void oasis_writer_free(oasis_writer *w)
{
    if (!w)
        return;
    /* Temporary shards: their merge is the index. */
    if (w->db && xapc_wdb_temporary(w->db) && !w->compacted)
        oasis_writer_compact(w, 0, NULL);
    else if (w->db)
        oasis_writer_commit(w);
    xapc_wdb_free(w->db);
    oa_analyzer_free(w->analyzer);
    oa_classifier_free(w->classifier);
    oa_tokens_free(&w->tokens);
    oa_words_free(&w->words);
    oa_buf_free(&w->scratch);
    oa_buf_free(&w->data);
    oa_sync_free(w->sync);
    free(w->path);
    free(w);
}

size_t oa_writer_warnings(const oasis_writer *w)
{
    return w->warnings;
}

int oa_writer_begin(oasis_writer *w)
{
    return begin_batch(w);
}

oa_sync *oa_writer_sync(oasis_writer *w)
{
    return w->sync;
}
