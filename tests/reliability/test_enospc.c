/* A disk that fills up while oasis-index writes: run under the shim of
 * tests/enospc_shim.c (LD_PRELOAD), which lets N bytes be written under
 * the index's directory and then fails every write there with ENOSPC. For
 * several N, spread over what an uninterrupted run writes:
 *   - oasis-index exits 2 with a line naming the index and "no space left
 *     on device", never calling it damaged (or exits 0 when only the
 *     compaction at the end ran out of room, with a warning);
 *   - the index opens afterwards, oasis-query included, and holds exactly
 *     the batches committed before: a whole number of them, the first
 *     records of the corpus in reading order, each as a fresh build
 *     stores it;
 *   - run again with room, oasis-index completes it: the same initiatives,
 *     ids and stored data as a fresh build of the same files.
 * Deterministic: the corpus, its files' times and the paths the index
 * records are the same in every run, so the writes are, and so are the
 * limits (fractions of what an uninterrupted run writes) and where they
 * fall. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "clitest.h"

#define FILES 4
#define DOCS 50   /* per file */
#define BATCH 20  /* --batch-size */
#define ROUNDS 23 /* limits tried: total * k / (ROUNDS + 1), k = 1..ROUNDS */

typedef struct fixture {
    ct_corpus_fixture *c;
    char space[4300], db[4400], ref[4300], count[4300], shim[4096], cwd[4096];
    char **ref_docs; /* stored data of the fresh build, one string per initiative */
    size_t n_ref;
    unsigned long long total; /* bytes an uninterrupted run writes */
} fixture;

/* Every initiative of the index at db as one string of what it stores (id,
 * title, text, source, départements, categories), sorted; NULL when the
 * index cannot be opened. */
static char **docs_of(const char *db, size_t *n)
{
    *n = 0;
    oasis_searcher *s;
    if (oasis_searcher_open(&s, db) != 0)
        return NULL;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = oasis_searcher_doc_count(s) + 1;
    oasis_results *r;
    assert_int_equal(oasis_search(s, "", &o, &r), 0);
    *n = oasis_results_hit_count(r);
    char **v = calloc(*n + 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < *n; i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        char depts[256] = "", cats[256] = "";
        for (size_t j = 0; j < h->n_departements; j++)
            snprintf(depts + strlen(depts), sizeof depts - strlen(depts), "%s,",
                     h->departements[j]->code);
        for (size_t j = 0; j < h->n_categories; j++)
            snprintf(cats + strlen(cats), sizeof cats - strlen(cats), "%s,",
                     h->categories[j]->slug);
        size_t cap = strlen(h->id) + strlen(h->title) + strlen(h->text) +
                     strlen(h->source_file) + sizeof depts + sizeof cats + 64;
        v[i] = malloc(cap);
        assert_non_null(v[i]);
        snprintf(v[i], cap, "%s\t%s\t%s\t%s:%ld\t%s\t%s", h->id, h->title, h->text,
                 h->source_file, h->source_line, depts, cats);
    }
    qsort(v, *n, sizeof *v, t_cmp_str);
    oasis_results_free(r);
    oasis_searcher_free(s);
    return v;
}

/* The place of an initiative f<FILE>-<RECORD> in reading order. */
static long reading_order(const char *doc)
{
    int file, record;
    if (sscanf(doc, "f%d-%d\t", &file, &record) != 2)
        fail_msg("unexpected initiative: %s", doc);
    return (long)file * DOCS + record;
}

/* oasis-index --batch-size BATCH --index db corpus, under the shim when
 * after is not NULL (its limit) or report is (where it writes its count). */
static int run_index(fixture *f, const char *db, const char *after, const char *report,
                     char **err)
{
    char preload[4200], dir[4400], limit[64], count[4400], lsan[4200];
    snprintf(preload, sizeof preload, "LD_PRELOAD=%s", f->shim);
    snprintf(dir, sizeof dir, "OASIS_ENOSPC_DIR=%s", f->space);
    snprintf(limit, sizeof limit, "OASIS_ENOSPC_AFTER=%s", after ? after : "");
    snprintf(count, sizeof count, "OASIS_ENOSPC_REPORT=%s", report ? report : "");
    /* The sanitizer build: the shim comes before the ASan runtime
     * (allowed), and what libxapian leaks when a write fails is not ours
     * (tests/data/enospc-lsan.supp, for the runs that fill the disk).
     * Ignored by the normal build. */
    snprintf(lsan, sizeof lsan, "LSAN_OPTIONS=suppressions=%s",
             after ? t_source_path("tests/data/enospc-lsan.supp") : "");
    char *env[] = {preload, dir, limit, count, "ASAN_OPTIONS=verify_asan_link_order=0",
                   after ? lsan : NULL, NULL};
    char *argv[] = {(char *)f->c->index_bin, "--batch-size", "20", "--index", (char *)db,
                    "corpus", NULL};
    return t_run(argv, after || report ? env : NULL, NULL, err);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->c = ct_corpus_setup(FILES, DOCS);
    /* The index records each file's time: the same for every run, so
     * that every run writes the same bytes and meets the same limits. */
    for (int i = 0; i < FILES; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/part-%d.jsonl", f->c->corpus, i);
        const struct timespec t[2] = {{1704067200, 0}, {1704067200, 0}};
        assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
    }
    snprintf(f->shim, sizeof f->shim, "%s", t_env("OASIS_ENOSPC_SHIM"));
    /* Relative paths from the test's directory: what the index records of
     * them (the corpus path, its source terms) is the same in every run. */
    assert_non_null(getcwd(f->cwd, sizeof f->cwd));
    assert_int_equal(chdir(f->c->dir), 0);
    snprintf(f->space, sizeof f->space, "%s/space", f->c->dir);
    snprintf(f->db, sizeof f->db, "space/oasis.db");
    snprintf(f->ref, sizeof f->ref, "fresh.db");
    snprintf(f->count, sizeof f->count, "%s/written", f->c->dir);
    char *err;
    if (run_index(f, f->ref, NULL, NULL, &err) != 0)
        fail_msg("a fresh build failed:\n%s", err);
    free(err);
    f->ref_docs = docs_of(f->ref, &f->n_ref);
    assert_non_null(f->ref_docs);
    assert_int_equal(f->n_ref, FILES * DOCS);
    /* What an uninterrupted run writes under the directory, compaction
     * included. */
    assert_int_equal(mkdir(f->space, 0755), 0);
    if (run_index(f, f->db, NULL, f->count, &err) != 0)
        fail_msg("a run under the shim without a limit failed:\n%s", err);
    free(err);
    char *text = t_read_file(f->count, NULL);
    f->total = strtoull(text, NULL, 10);
    free(text);
    assert_true(f->total > 100000);
    size_t n;
    char **docs = docs_of(f->db, &n);
    assert_int_equal(n, f->n_ref);
    ct_free_ids(docs, n);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (chdir(f->cwd) != 0)
        perror(f->cwd);
    ct_free_ids(f->ref_docs, f->n_ref);
    ct_corpus_teardown(f->c);
    free(f);
    return 0;
}

/* The stored data of doc as a fresh build has it. */
static int in_reference(const fixture *f, const char *doc)
{
    return bsearch(&doc, f->ref_docs, f->n_ref, sizeof *f->ref_docs, t_cmp_str) != NULL;
}

/* One full disk at limit bytes; what happened goes to the counters. */
static void fill_up(fixture *f, unsigned long long limit, long *stopped_by_error,
                    long *stopped_by_abort, long *compaction_only, long *batches)
{
    char after[32], *err, what[64];
    snprintf(after, sizeof after, "%llu", limit);
    snprintf(what, sizeof what, "limit %llu bytes", limit);
    t_rmtree(f->space);
    assert_int_equal(mkdir(f->space, 0755), 0);
    int status = run_index(f, f->db, after, NULL, &err), full = status;
    if (status == 0) {
        /* Only the compaction at the end met the full disk. */
        if (!strstr(err, "warning: not compacted") || !strstr(err, "no space left on device"))
            fail_msg("%s: exit 0 without a failed compaction:\n%s", what, err);
        (*compaction_only)++;
    } else {
        if (status != 2)
            fail_msg("%s: exit %d, not 2:\n%s", what, status, err);
        if (!strstr(err, f->db) || !strstr(err, "no space left on device"))
            fail_msg("%s: the error does not name the index and the full disk:\n%s", what, err);
        if (strstr(err, "damaged") || strstr(err, "index again") || strstr(err, "crashed"))
            fail_msg("%s: a full disk called damage:\n%s", what, err);
        if (strstr(err, "stopped: no space left on device"))
            (*stopped_by_abort)++;
        else
            (*stopped_by_error)++;
    }
    free(err);

    /* What the index holds: whole batches, the first records read, each
     * as a fresh build stores it. (A creation cut short holds no index.) */
    size_t n;
    char **docs = docs_of(f->db, &n);
    if (docs) {
        if (n % BATCH != 0 && n != f->n_ref)
            fail_msg("%s: %zu initiatives: not a whole number of batches of %d", what, n, BATCH);
        for (size_t i = 0; i < n; i++) {
            if (reading_order(docs[i]) >= (long)n)
                fail_msg("%s: %s committed, though %zu initiatives read before it are not all "
                         "in",
                         what, docs[i], n);
            if (!in_reference(f, docs[i]))
                fail_msg("%s: stored otherwise than by a fresh build: %s", what, docs[i]);
        }
        *batches += (long)n / BATCH;
        ct_free_ids(docs, n);
        char *out;
        status = ct_run(f->c->query_bin, &out, &err, "--index", f->db, "santé", NULL);
        if (status != (n ? 0 : 1))
            fail_msg("%s: oasis-query exited %d on the index left:\n%s", what, status, err);
        free(out);
        free(err);
    }
    printf("%s: exit %d%s, %zu initiatives committed\n", what, full,
           full == 0 ? " (the compaction only)" : "", docs ? n : 0);

    /* With room again, the run completes: as a fresh build. */
    if ((status = run_index(f, f->db, NULL, NULL, &err)) != 0)
        fail_msg("%s: the run with room exited %d:\n%s", what, status, err);
    free(err);
    docs = docs_of(f->db, &n);
    assert_non_null(docs);
    if (n != f->n_ref)
        fail_msg("%s: %zu initiatives after the run with room, %zu in a fresh build", what, n,
                 f->n_ref);
    for (size_t i = 0; i < n; i++)
        if (strcmp(docs[i], f->ref_docs[i]))
            fail_msg("%s: after the run with room:\n  %s\nin a fresh build:\n  %s", what,
                     docs[i], f->ref_docs[i]);
    ct_free_ids(docs, n);
}

static void test_full_disk(void **state)
{
    fixture *f = *state;
    long by_error = 0, by_abort = 0, compaction = 0, batches = 0;
    /* Nothing at all written (the index cannot even be created), then
     * limits spread over the whole run. */
    fill_up(f, 0, &by_error, &by_abort, &compaction, &batches);
    for (int k = 1; k <= ROUNDS; k++)
        fill_up(f, f->total * (unsigned long long)k / (ROUNDS + 1), &by_error, &by_abort,
                &compaction, &batches);
    /* And two limits where, with libxapian 1.4.22, the disk fills up while
     * a commit writes value chunks from a destructor, where libxapian can
     * only call std::terminate() (found by a scan of total * k / 100):
     * liboasis and the program must say "no space left on device" there
     * too. Another libxapian may fail otherwise there: any outcome is
     * checked the same way. */
    static const unsigned extra[] = {33, 61};
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        fill_up(f, f->total * extra[i] / 100, &by_error, &by_abort, &compaction, &batches);
    long limits = ROUNDS + 1 + (long)(sizeof extra / sizeof *extra);
    printf("%ld limits over %llu bytes: %ld stopped by an error, %ld by libxapian giving up "
           "inside a commit, %ld in the compaction only; %ld batches of %d committed before "
           "the disk was full, none lost\n",
           limits, f->total, by_error, by_abort, compaction, batches, BATCH);
    assert_int_equal(by_error + by_abort + compaction, limits);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_disk),
    };
    return cmocka_run_group_tests_name("enospc", tests, setup, teardown);
}
