/* One identity per source, one document per initiative, through every
 * sequence of oasis-index runs.
 *
 * A source file is the same source whatever path reaches it (relative,
 * absolute, ./dir, dir/, a/../dir, a symlink to it or to a folder above
 * it): a run by another path form reads nothing again and a --prune by the
 * first form removes nothing. An initiative held by several sources (a
 * copy of a file, the same explicit id in two files) is one document, with
 * a warning naming both places; deleting, changing or moving a source
 * removes only the initiatives that no remaining source holds, and a
 * prune killed halfway is completed by the next one.
 *
 * After each scenario the index is compared with a fresh --full build of
 * the same files (ct_dump_index(): ids, titles, texts, départements,
 * categories and the real path of each source file).
 *
 * Each test runs in its own temporary directory, which is also the current
 * directory meanwhile, so that the programs get relative paths as a user
 * would type them. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clitest.h"

/* The line of the test that called the check being made (the checks are
 * macros: each failure names the step it is at). */
static int check_line;

#define AT(call) (check_line = __LINE__, call)

/* fail_msg() naming the line of the test's step (check_line; FAIL_HERE:
 * the line where it is written). cmocka cuts a message at 1 KiB: a longer
 * one is printed whole first. */
#define FAIL(...) fail_step(__VA_ARGS__)
#define FAIL_HERE(...) AT(fail_step(__VA_ARGS__))

static void fail_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail_step(const char *fmt, ...)
{
    char msg[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (strlen(msg) > 800) {
        printf("at test_sources.c:%d: %s\n", check_line, msg);
        fail_msg("at test_sources.c:%d: %.700s [...] (the whole message is above)", check_line,
                 msg);
    }
    fail_msg("at test_sources.c:%d: %s", check_line, msg);
}

typedef struct fixture {
    char *tmp;          /* the temporary directory */
    char work[4200];    /* tmp/work: the current directory of the test */
    char db[4300];      /* tmp/work/oasis.db, the index under test */
    char cwd[4096];     /* the current directory before the test */
    const char *index_bin;
    int fresh_builds;   /* numbers the fresh builds */
    char *late;         /* the first missing warning, reported at the end */
    int late_line;      /* the line of its check */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->tmp = ct_setup(&f->index_bin, NULL);
    snprintf(f->work, sizeof f->work, "%s/work", f->tmp);
    snprintf(f->db, sizeof f->db, "%s/oasis.db", f->work);
    assert_non_null(getcwd(f->cwd, sizeof f->cwd));
    assert_int_equal(mkdir(f->work, 0755), 0);
    assert_int_equal(chdir(f->work), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (chdir(f->cwd) != 0)
        perror(f->cwd);
    t_rmtree(f->tmp);
    free(f->tmp);
    free(f->late);
    free(f);
    return 0;
}

/* Runs oasis-index on db with extra (may be NULL), then first and the
 * arguments of ap up to a NULL; fails the test unless it exits with 0.
 * Returns its stderr (caller frees). */
static char *run_index_va(fixture *f, const char *db, const char *extra, const char *first,
                          va_list ap)
{
    char *argv[32] = {(char *)f->index_bin, "--index", (char *)db};
    int n = 3;
    if (extra)
        argv[n++] = (char *)extra;
    for (const char *a = first; a && n < 31; a = va_arg(ap, const char *))
        argv[n++] = (char *)a;
    argv[n] = NULL;
    char *err;
    int status = t_run(argv, NULL, NULL, &err);
    if (status != 0) {
        char cmd[2048] = "";
        for (int i = 1; i < n; i++)
            snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " %s", argv[i]);
        FAIL("oasis-index%s exited with %d:\n%s", cmd, status, err);
    }
    return err;
}

/* Runs oasis-index with the NULL-terminated arguments after db (the
 * index), as run_index_va() does. */
static char *run_index(fixture *f, const char *db, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    char *err = run_index_va(f, db, NULL, arg, ap);
    va_end(ap);
    return err;
}

#define INDEX(f, ...) AT(run_index((f), (f)->db, __VA_ARGS__, (const char *)NULL))

/* The counts of the summary line of err: files read, unchanged, removed
 * (-1: nothing removed, whether the summary says 0 or nothing) and held;
 * -2 for any count not to check. Where the source an initiative was shown
 * from goes, the run may have to read another that holds it: files read
 * are checked only where nothing can need reading. */
static void expect_summary_at(const char *err, long read, long unchanged, long removed, long holds)
{
    const char *what[] = {"file", "unchanged", "removed", "holds"};
    long want[] = {read, unchanged, removed, holds};
    for (int i = 0; i < 4; i++) {
        long got = ct_summary_count(err, what[i]);
        if (i == 2 && want[i] == -1 && got == 0)
            continue;
        if (want[i] != -2 && got != want[i])
            FAIL("summary says %ld for '%s', expected %ld; oasis-index said:\n%s", got,
                 what[i], want[i], err);
    }
}

#define expect_summary(...) AT(expect_summary_at(__VA_ARGS__))

/* Writes the file path (relative to the current directory). */
static void put(const char *path, const char *text)
{
    ct_write(path, text, strlen(text));
}

/* The index under test holds what a fresh --full build of the paths given
 * (NULL-terminated) holds. */
static void expect_fresh_at(fixture *f, const char *path, ...)
{
    char fresh[4300];
    snprintf(fresh, sizeof fresh, "%s/fresh-%d.db", f->tmp, ++f->fresh_builds);
    va_list ap;
    va_start(ap, path);
    free(run_index_va(f, fresh, "--full", path, ap));
    va_end(ap);
    char *want = ct_dump_index(fresh, NULL), *got = ct_dump_index(f->db, NULL);
    assert_non_null(want);
    if (!got)
        FAIL("the index does not open: %s", oasis_error_last());
    char *diff = ct_dump_diff(got, want, "the index", "a fresh build");
    if (diff)
        FAIL("the index differs from a fresh --full build of the same files:\n%s", diff);
    free(want);
    free(got);
    t_rmtree(fresh);
}

#define EXPECT_FRESH(f, ...) AT(expect_fresh_at((f), __VA_ARGS__, (const char *)NULL))

/* Once the runs of a scenario are done, one more on the same paths reads
 * nothing, removes nothing and holds the same. */
static void expect_settled_at(fixture *f, long holds, const char *path, ...)
{
    va_list ap;
    va_start(ap, path);
    char *err = run_index_va(f, f->db, NULL, path, ap);
    va_end(ap);
    expect_summary_at(err, 0, -2, -1, holds);
    free(err);
}

#define EXPECT_SETTLED(f, holds, ...) \
    AT(expect_settled_at((f), (holds), __VA_ARGS__, (const char *)NULL))

/* "file:line" of the initiative id as the index shows it (caller frees),
 * or NULL when the index does not hold it. */
static char *source_of(const char *db, const char *id)
{
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, db), 0);
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = oasis_searcher_doc_count(s) + 1;
    oasis_results *r;
    assert_int_equal(oasis_search(s, "", &o, &r), 0);
    char *found = NULL;
    for (size_t i = 0; i < oasis_results_hit_count(r) && !found; i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        if (!strcmp(h->id, id)) {
            size_t cap = strlen(h->source_file) + 32;
            found = malloc(cap);
            snprintf(found, cap, "%s:%ld", h->source_file, h->source_line);
        }
    }
    oasis_results_free(r);
    oasis_searcher_free(s);
    return found;
}

/* The initiative id is held, its source shown as a path ending in suffix
 * ("/orig.jsonl:3"). */
static void expect_source_at(const char *db, const char *id, const char *suffix)
{
    char *src = source_of(db, id);
    if (!src)
        FAIL("initiative %s is missing", id);
    size_t n = strlen(src), m = strlen(suffix);
    if (n < m || strcmp(src + n - m, suffix))
        FAIL("initiative %s comes from %s, expected ...%s", id, src, suffix);
    free(src);
}

#define expect_source(...) AT(expect_source_at(__VA_ARGS__))

static void expect_missing_at(const char *db, const char *id)
{
    char *src = source_of(db, id);
    if (src)
        FAIL("initiative %s is still held (from %s)", id, src);
}

#define expect_missing(...) AT(expect_missing_at(__VA_ARGS__))

/* The ids of the index, joined by ' ' in sorted order, equal want. */
static void expect_ids_at(const char *db, const char *want)
{
    char **ids;
    size_t n;
    assert_int_equal(ct_ids(db, &ids, &n), 0);
    char buf[4096] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? " " : "", ids[i]);
    ct_free_ids(ids, n);
    if (strcmp(buf, want))
        FAIL("the index holds the ids '%s', expected '%s'", buf, want);
}

#define expect_ids(...) AT(expect_ids_at(__VA_ARGS__))

/* A warning of err names both places a and b. A missing one fails the
 * test at its end (finish()), so that lost or doubled initiatives, found
 * later in the same test, are what a failure reports first. */
static void expect_warning_at(fixture *f, const char *err, const char *a, const char *b)
{
    if (ct_warning_names(err, a, b) || f->late)
        return;
    size_t cap = strlen(a) + strlen(b) + strlen(err) + 160;
    f->late = malloc(cap);
    assert_non_null(f->late);
    snprintf(f->late, cap, "no warning names both %s and %s; oasis-index said:\n%s", a, b, err);
    f->late_line = check_line;
}

#define expect_warning(...) AT(expect_warning_at(__VA_ARGS__))

static void finish(fixture *f)
{
    if (f->late) {
        check_line = f->late_line;
        FAIL("%s", f->late);
    }
}

/* ---- The corpora. */

/* Five JSON Lines records with explicit ids, one a line. */
static const char *JSONL =
    "{\"id\":\"j1\",\"title\":\"Maison de santé de Pithiviers\",\"text\":\"Des médecins "
    "généralistes salariés.\",\"departements\":[\"45\"]}\n"
    "{\"id\":\"j2\",\"title\":\"Bourse aux internes\",\"text\":\"Une aide mensuelle aux "
    "étudiants en médecine.\",\"departements\":[\"36\"]}\n"
    "{\"id\":\"j3\",\"title\":\"Bus dentaire\",\"text\":\"Un cabinet ambulant.\","
    "\"departements\":[\"18\"],\"categories\":[\"itinerance\"]}\n"
    "{\"id\":\"j4\",\"title\":\"Logement des stagiaires\",\"text\":\"Une maison pour les "
    "internes.\",\"departements\":[\"70\"]}\n"
    "{\"id\":\"j5\",\"title\":\"Télécabine médicale\",\"text\":\"La téléconsultation en "
    "pharmacie.\",\"departements\":[\"23\",\"87\"]}\n";
static const char *JSONL_IDS = "j1 j2 j3 j4 j5";

/* Four records (derived ids), two of them different initiatives with the
 * same title in the same département: 18-bus-medical and -2. */
static const char *RECORDS =
    "45. Loiret\nPlan santé\nDes bourses pour les internes en médecine.\n"
    "36. Indre\nMaison de santé\nUn centre de santé départemental.\n"
    "18. Cher\nBus médical\nUn cabinet médical itinérant dans les villages.\n"
    "18. Cher\nBus médical\nUne tournée de dépistage ophtalmologique.\n";
static const char *RECORDS_IDS =
    "18-bus-medical 18-bus-medical-2 36-maison-de-sante 45-plan-sante";
/* The line of each record of RECORDS, in the order of RECORDS_IDS. */
static const long RECORDS_LINES[] = {7, 10, 4, 1};

/* ---- 1. Path forms. */

/* corpus/ (the two texts of the project and a JSON Lines file) reached
 * by every path form: nothing is read again, a prune by the first form
 * removes nothing, the index is what a fresh build makes. */
static void test_path_forms(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir("corpus", 0755), 0);
    ct_copy_file(t_source_path("corpus/records-departements-initiatives.txt"),
                 "corpus/records-departements-initiatives.txt");
    ct_copy_file(t_source_path("corpus/listing-departements-initiatives.txt"),
                 "corpus/listing-departements-initiatives.txt");
    put("corpus/ids.jsonl", JSONL);
    assert_int_equal(mkdir("other", 0755), 0);
    assert_int_equal(symlink("corpus", "lnk"), 0);
    assert_int_equal(symlink("corpus/ids.jsonl", "one.jsonl"), 0);
    char links[4300], above[4400], abs_corpus[4400], via_above[4500];
    snprintf(links, sizeof links, "%s/links", f->tmp);
    snprintf(above, sizeof above, "%s/above", links);
    assert_int_equal(mkdir(links, 0755), 0);
    assert_int_equal(symlink(f->work, above), 0); /* a folder above corpus/ */
    snprintf(abs_corpus, sizeof abs_corpus, "%s/corpus/", f->work);
    snprintf(via_above, sizeof via_above, "%s/corpus", above);

    char *err = INDEX(f, "corpus");
    long total = ct_summary_count(err, "holds");
    expect_summary(err, 3, 0, -1, -2);
    assert_true(total > 5); /* the project's texts and ids.jsonl's 5 */
    free(err);
    /* Documents show the path as it was given. */
    char *src = source_of(f->db, "j3");
    assert_non_null(src);
    assert_string_equal(src, "corpus/ids.jsonl:3");
    free(src);
    EXPECT_FRESH(f, "corpus");

    const char *forms[] = {abs_corpus, "./corpus", "corpus/", "other/../corpus/", "lnk", "lnk/",
                           via_above};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        printf("corpus/ as %s\n", forms[i]);
        err = INDEX(f, forms[i]);
        expect_summary(err, 0, 3, -1, total); /* nothing read again */
        free(err);
        err = INDEX(f, "--prune", "corpus");
        expect_summary(err, 0, 3, -1, total); /* nothing removed */
        free(err);
        EXPECT_FRESH(f, forms[i]); /* the same as a fresh build by this form */
    }

    /* A symlink to one of the files. */
    err = INDEX(f, "one.jsonl");
    expect_summary(err, 0, 1, -1, total);
    free(err);
    err = INDEX(f, "--prune", "corpus");
    expect_summary(err, 0, 3, -1, total);
    free(err);
    /* A prune by another form than the first removes nothing either. */
    err = INDEX(f, "--prune", abs_corpus);
    expect_summary(err, 0, 3, -1, total);
    free(err);
    err = INDEX(f, "corpus");
    expect_summary(err, 0, 3, -1, total);
    free(err);
    EXPECT_FRESH(f, "corpus");
}

/* ---- 2. Copies added and deleted. */

/* The place of each initiative of a copied file: the same line in orig
 * and in the copy. */
typedef struct copy_case {
    const char *orig, *copy; /* corpus/orig.EXT, corpus/zcopy.EXT */
    size_t n;
    const char *const *id_list;
    const long *lines;
} copy_case;

static const char *const JSONL_ID_LIST[] = {"j1", "j2", "j3", "j4", "j5"};
static const long JSONL_LINES[] = {1, 2, 3, 4, 5};
static const char *const RECORDS_ID_LIST[] = {"18-bus-medical", "18-bus-medical-2",
                                              "36-maison-de-sante", "45-plan-sante"};

static const copy_case JSONL_CASE = {"corpus/orig.jsonl", "corpus/zcopy.jsonl", 5,
                                     JSONL_ID_LIST, JSONL_LINES};
static const copy_case RECORDS_CASE = {"corpus/orig.txt", "corpus/zcopy.txt", 4,
                                       RECORDS_ID_LIST, RECORDS_LINES};

/* A warning names both places of each initiative. */
static void expect_copy_warnings_at(fixture *f, const copy_case *c, const char *err)
{
    const char *orig = strrchr(c->orig, '/') + 1, *copy = strrchr(c->copy, '/') + 1;
    for (size_t i = 0; i < c->n; i++) {
        char a[256], b[256];
        snprintf(a, sizeof a, "%s:%ld", orig, c->lines[i]);
        snprintf(b, sizeof b, "%s:%ld", copy, c->lines[i]);
        expect_warning_at(f, err, a, b);
    }
}

#define expect_copy_warnings(...) AT(expect_copy_warnings_at(__VA_ARGS__))

/* Each initiative shown from the original file, at its line. */
static void expect_from_orig_at(fixture *f, const copy_case *c)
{
    for (size_t i = 0; i < c->n; i++) {
        char suffix[256];
        snprintf(suffix, sizeof suffix, "%s:%ld", strrchr(c->orig, '/'), c->lines[i]);
        expect_source_at(f->db, c->id_list[i], suffix);
    }
}

#define expect_from_orig(...) AT(expect_from_orig_at(__VA_ARGS__))

/* copy_at_start: the copy is there from the first run; else it is added
 * after it. Then the copy is deleted and the folder pruned. */
static void copy_scenario(fixture *f, const copy_case *c, const char *text, const char *ids,
                          int copy_at_start)
{
    long n = (long)c->n;
    assert_int_equal(mkdir("corpus", 0755), 0);
    put(c->orig, text);
    char *err;
    if (copy_at_start) {
        put(c->copy, text);
        err = INDEX(f, "corpus");
        expect_summary(err, 2, 0, -1, n); /* one document per initiative */
        expect_ids(f->db, ids);
        expect_copy_warnings(f, c, err);
        free(err);
    } else {
        err = INDEX(f, "corpus");
        expect_summary(err, 1, 0, -1, n);
        expect_ids(f->db, ids);
        free(err);
        expect_from_orig(f, c);
        put(c->copy, text);
        err = INDEX(f, "corpus");
        expect_summary(err, -2, -2, -2, n); /* no new document */
        expect_ids(f->db, ids);
        expect_copy_warnings(f, c, err);
        free(err);
    }
    EXPECT_FRESH(f, "corpus");

    assert_int_equal(unlink(c->copy), 0);
    err = INDEX(f, "--prune", "corpus");
    expect_summary(err, -2, -2, -2, n); /* nothing lost */
    free(err);
    expect_ids(f->db, ids);
    expect_from_orig(f, c);
    /* ...and nothing comes back or goes later. */
    err = INDEX(f, "corpus");
    expect_summary(err, 0, 1, -1, n);
    free(err);
    EXPECT_FRESH(f, "corpus");
    finish(f);
}

/* JSON Lines with ids, a copy from the start, deleted (today's bug 2). */
static void test_jsonl_copy_deleted(void **state)
{
    copy_scenario(*state, &JSONL_CASE, JSONL, JSONL_IDS, 1);
}

/* JSON Lines with ids, a copy added, then deleted. */
static void test_jsonl_copy_added_deleted(void **state)
{
    copy_scenario(*state, &JSONL_CASE, JSONL, JSONL_IDS, 0);
}

/* Records (derived ids), a copy from the start (today's bug 3: every
 * initiative twice, the second with -2), then deleted. */
static void test_records_copy_deleted(void **state)
{
    copy_scenario(*state, &RECORDS_CASE, RECORDS, RECORDS_IDS, 1);
}

/* Records, a copy added, then deleted. */
static void test_records_copy_added_deleted(void **state)
{
    copy_scenario(*state, &RECORDS_CASE, RECORDS, RECORDS_IDS, 0);
}

/* --full goes through the same rule: with the copy, then without it. */
static void test_full_with_copy(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir("corpus", 0755), 0);
    put("corpus/orig.jsonl", JSONL);
    put("corpus/zcopy.jsonl", JSONL);
    put("corpus/orig.txt", RECORDS);
    put("corpus/zcopy.txt", RECORDS);
    char *err = INDEX(f, "corpus");
    free(err);
    err = INDEX(f, "--full", "corpus");
    expect_summary(err, 4, 0, -2, 9);
    free(err);
    EXPECT_FRESH(f, "corpus");
    assert_int_equal(unlink("corpus/zcopy.jsonl"), 0);
    assert_int_equal(unlink("corpus/zcopy.txt"), 0);
    /* The originals are read, then read again by the prune: until it, the
     * copies (whose paths sort last) still held what they showed. */
    err = INDEX(f, "--full", "--prune", "corpus");
    expect_summary(err, 4, 0, -2, 9);
    free(err);
    expect_from_orig(f, &JSONL_CASE);
    expect_from_orig(f, &RECORDS_CASE);
    EXPECT_SETTLED(f, 9, "corpus");
    EXPECT_FRESH(f, "corpus");
}

/* Different initiatives with the same title in one département keep
 * distinct ids, in one file (RECORDS) as across files. */
static void test_same_title_different_text(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir("corpus", 0755), 0);
    put("corpus/a.txt", "18. Cher\nBus médical\nUn cabinet médical itinérant.\n");
    put("corpus/b.txt", "18. Cher\nBus médical\nUne tournée de dépistage ophtalmologique.\n");
    char *err = INDEX(f, "corpus");
    expect_summary(err, 2, 0, -1, 2);
    free(err);
    expect_ids(f->db, "18-bus-medical 18-bus-medical-2");
    expect_source(f->db, "18-bus-medical", "/a.txt:1");
    expect_source(f->db, "18-bus-medical-2", "/b.txt:1");
    EXPECT_FRESH(f, "corpus");
    /* b's text changes: still two initiatives. */
    put("corpus/b.txt", "18. Cher\nBus médical\nUne tournée de dépistage dentaire.\n");
    err = INDEX(f, "corpus");
    expect_summary(err, -2, -2, -2, 2);
    free(err);
    expect_ids(f->db, "18-bus-medical 18-bus-medical-2");
    EXPECT_FRESH(f, "corpus");
    /* The same file once more, copied: still two. */
    put("corpus/c.txt", RECORDS);
    err = INDEX(f, "corpus");
    free(err);
    EXPECT_FRESH(f, "corpus");
    assert_int_equal(unlink("corpus/b.txt"), 0);
    assert_int_equal(unlink("corpus/c.txt"), 0);
    err = INDEX(f, "--prune", "corpus");
    expect_summary(err, -2, -2, -2, 1);
    free(err);
    expect_ids(f->db, "18-bus-medical");
    expect_source(f->db, "18-bus-medical", "/a.txt:1");
    EXPECT_SETTLED(f, 1, "corpus");
    EXPECT_FRESH(f, "corpus");
}

/* ---- 3. A file moved to another folder. */

static void make_moving_tree(void)
{
    assert_int_equal(mkdir("in", 0755), 0);
    assert_int_equal(mkdir("in/a", 0755), 0);
    assert_int_equal(mkdir("in/b", 0755), 0);
    put("in/a/x.jsonl", JSONL);
    put("in/a/r.txt", RECORDS);
    put("in/b/y.jsonl", "{\"id\":\"y1\",\"title\":\"Centre de santé\",\"text\":\"Des salariés."
                        "\",\"departements\":[\"41\"]}\n");
}

static void expect_moved_at(fixture *f)
{
    for (size_t i = 0; i < JSONL_CASE.n; i++) {
        char suffix[64];
        snprintf(suffix, sizeof suffix, "in/b/x.jsonl:%ld", JSONL_LINES[i]);
        expect_source_at(f->db, JSONL_ID_LIST[i], suffix);
    }
    for (size_t i = 0; i < RECORDS_CASE.n; i++) {
        char suffix[64];
        snprintf(suffix, sizeof suffix, "in/b/r.txt:%ld", RECORDS_LINES[i]);
        expect_source_at(f->db, RECORDS_ID_LIST[i], suffix);
    }
    expect_ids_at(f->db, "18-bus-medical 18-bus-medical-2 36-maison-de-sante 45-plan-sante "
                      "j1 j2 j3 j4 j5 y1");
}

#define expect_moved(...) AT(expect_moved_at(__VA_ARGS__))

/* Both folders given. */
static void test_moved_between_folders(void **state)
{
    fixture *f = *state;
    make_moving_tree();
    char *err = INDEX(f, "in/a", "in/b");
    expect_summary(err, 3, 0, -1, 10);
    free(err);
    assert_int_equal(rename("in/a/x.jsonl", "in/b/x.jsonl"), 0);
    assert_int_equal(rename("in/a/r.txt", "in/b/r.txt"), 0);
    err = INDEX(f, "--prune", "in/a", "in/b");
    expect_summary(err, -2, -2, -2, 10);
    free(err);
    expect_moved(f);
    err = INDEX(f, "--prune", "in/a", "in/b");
    expect_summary(err, 0, 3, -1, 10);
    free(err);
    EXPECT_FRESH(f, "in/a", "in/b");
}

/* Their common parent given; a run without --prune first. */
static void test_moved_under_parent(void **state)
{
    fixture *f = *state;
    make_moving_tree();
    char *err = INDEX(f, "in");
    expect_summary(err, 3, 0, -1, 10);
    free(err);
    assert_int_equal(rename("in/a/x.jsonl", "in/b/x.jsonl"), 0);
    assert_int_equal(rename("in/a/r.txt", "in/b/r.txt"), 0);
    err = INDEX(f, "in");
    expect_summary(err, -2, -2, -2, 10); /* no initiative twice */
    free(err);
    err = INDEX(f, "--prune", "in");
    expect_summary(err, -2, -2, -2, 10);
    free(err);
    expect_moved(f);
    EXPECT_SETTLED(f, 10, "in");
    EXPECT_FRESH(f, "in");
}

/* ---- 4. A changed file drops an initiative another file holds too. */

static const char *X = "{\"id\":\"x\",\"title\":\"Maison de santé de Vierzon\",\"text\":\"Des "
                       "médecins salariés.\",\"departements\":[\"18\"]}\n";
static const char *Y = "{\"id\":\"y\",\"title\":\"Bourse aux internes\",\"text\":\"Une aide "
                       "mensuelle.\",\"departements\":[\"36\"]}\n";
static const char *Z = "{\"id\":\"z\",\"title\":\"Bus dentaire\",\"text\":\"Un cabinet "
                       "ambulant.\",\"departements\":[\"23\"]}\n";

/* JSON Lines with ids: b.jsonl, read after a.jsonl, holds x too. */
static void test_changed_drops_shared_jsonl(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir("corpus", 0755), 0);
    char buf[1024];
    put("corpus/a.jsonl", X);
    snprintf(buf, sizeof buf, "%s%s", X, Y);
    put("corpus/b.jsonl", buf);
    char *err = INDEX(f, "corpus");
    expect_summary(err, 2, 0, -1, 2);
    expect_warning(f, err, "a.jsonl:1", "b.jsonl:1");
    free(err);
    EXPECT_FRESH(f, "corpus");
    /* b drops x and y: x stays (a holds it), y goes. */
    put("corpus/b.jsonl", Z);
    err = INDEX(f, "corpus");
    expect_summary(err, -2, -2, -2, 2);
    free(err);
    expect_source(f->db, "x", "/a.jsonl:1");
    expect_missing(f->db, "y");
    expect_source(f->db, "z", "/b.jsonl:1");
    EXPECT_FRESH(f, "corpus");
    /* a drops x too: now it goes. */
    put("corpus/a.jsonl", Y);
    err = INDEX(f, "corpus");
    expect_summary(err, -2, -2, -2, 2);
    free(err);
    expect_missing(f->db, "x");
    expect_source(f->db, "y", "/a.jsonl:1");
    EXPECT_SETTLED(f, 2, "corpus");
    EXPECT_FRESH(f, "corpus");
    finish(f);
}

/* Records (derived ids): b.txt holds a.txt's initiative and another. */
static void test_changed_drops_shared_records(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir("corpus", 0755), 0);
    const char *p = "45. Loiret\nPlan santé\nDes bourses pour les internes.\n";
    const char *q = "36. Indre\nMaison de santé\nUn centre de santé départemental.\n";
    const char *r = "23. Creuse\nBus dentaire\nUn cabinet ambulant.\n";
    char buf[1024];
    put("corpus/a.txt", p);
    snprintf(buf, sizeof buf, "%s%s", p, q);
    put("corpus/b.txt", buf);
    char *err = INDEX(f, "corpus");
    expect_summary(err, 2, 0, -1, 2);
    expect_warning(f, err, "a.txt:1", "b.txt:1");
    free(err);
    expect_ids(f->db, "36-maison-de-sante 45-plan-sante");
    EXPECT_FRESH(f, "corpus");
    put("corpus/b.txt", r);
    err = INDEX(f, "corpus");
    expect_summary(err, -2, -2, -2, 2);
    free(err);
    expect_ids(f->db, "23-bus-dentaire 45-plan-sante");
    expect_source(f->db, "45-plan-sante", "/a.txt:1");
    EXPECT_SETTLED(f, 2, "corpus");
    EXPECT_FRESH(f, "corpus");
    finish(f);
}

/* ---- 6. One explicit id in two files with different content. */

static const char *XA = "{\"id\":\"x\",\"title\":\"Bus médical\",\"text\":\"Première version, "
                        "dans le Cher.\",\"departements\":[\"18\"]}\n";
static const char *XA2 = "{\"id\":\"x\",\"title\":\"Bus médical\",\"text\":\"Première version "
                         "revue, dans le Cher.\",\"departements\":[\"18\"]}\n";
static const char *XB = "{\"id\":\"x\",\"title\":\"Bus médical itinérant\",\"text\":\"Seconde "
                        "version, dans l'Indre.\",\"departements\":[\"36\"],"
                        "\"categories\":[\"itinerance\"]}\n";
static const char *XB2 = "{\"id\":\"x\",\"title\":\"Bus médical itinérant\","
                         "\"text\":\"Troisième version.\",\"departements\":[\"36\"]}\n";
static const char *A1 =
    "{\"id\":\"a1\",\"title\":\"Plan santé\",\"departements\":[\"45\"]}\n";
static const char *B1 =
    "{\"id\":\"b1\",\"title\":\"Centre de santé\",\"departements\":[\"41\"]}\n";

/* The text of initiative x equals want. */
static void expect_x_text_at(fixture *f, const char *want)
{
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, f->db), 0);
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = oasis_searcher_doc_count(s) + 1;
    oasis_results *r;
    assert_int_equal(oasis_search(s, "", &o, &r), 0);
    const char *text = NULL;
    size_t count = 0;
    for (size_t i = 0; i < oasis_results_hit_count(r); i++)
        if (!strcmp(oasis_results_hit_at(r, i)->id, "x")) {
            text = oasis_results_hit_at(r, i)->text;
            count++;
        }
    if (!text)
        FAIL("initiative x is missing");
    if (strcmp(text, want))
        FAIL("initiative x holds '%s', expected '%s'", text, want);
    assert_int_equal(count, 1);
    oasis_results_free(r);
    oasis_searcher_free(s);
}

#define expect_x_text(...) AT(expect_x_text_at(__VA_ARGS__))

static void test_explicit_id_two_files(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir("corpus", 0755), 0);
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s", XA, A1);
    put("corpus/a.jsonl", buf);
    snprintf(buf, sizeof buf, "%s%s", B1, XB);
    put("corpus/b.jsonl", buf);
    /* One document: the later file's. */
    char *err = INDEX(f, "corpus");
    expect_summary(err, 2, 0, -1, 3);
    expect_warning(f, err, "a.jsonl:1", "b.jsonl:2");
    free(err);
    expect_source(f->db, "x", "/b.jsonl:2");
    expect_x_text(f, "Seconde version, dans l'Indre.");
    EXPECT_FRESH(f, "corpus");
    /* a's x changes: b's still wins, as in a fresh build. */
    snprintf(buf, sizeof buf, "%s%s", XA2, A1);
    put("corpus/a.jsonl", buf);
    err = INDEX(f, "corpus");
    expect_summary(err, -2, -2, -2, 3);
    free(err);
    expect_source(f->db, "x", "/b.jsonl:2");
    expect_x_text(f, "Seconde version, dans l'Indre.");
    EXPECT_FRESH(f, "corpus");
    /* b drops x: a's comes back. */
    put("corpus/b.jsonl", B1);
    err = INDEX(f, "corpus");
    expect_summary(err, -2, -2, -2, 3);
    free(err);
    expect_source(f->db, "x", "/a.jsonl:1");
    expect_x_text(f, "Première version revue, dans le Cher.");
    EXPECT_FRESH(f, "corpus");
    /* b holds x again, changed. */
    snprintf(buf, sizeof buf, "%s%s", B1, XB2);
    put("corpus/b.jsonl", buf);
    err = INDEX(f, "corpus");
    expect_summary(err, -2, -2, -2, 3);
    free(err);
    expect_x_text(f, "Troisième version.");
    EXPECT_FRESH(f, "corpus");
    /* b deleted and pruned: a's x again. */
    assert_int_equal(unlink("corpus/b.jsonl"), 0);
    err = INDEX(f, "--prune", "corpus");
    expect_summary(err, -2, -2, -2, 2);
    free(err);
    expect_source(f->db, "x", "/a.jsonl:1");
    expect_x_text(f, "Première version revue, dans le Cher.");
    EXPECT_SETTLED(f, 2, "corpus");
    EXPECT_FRESH(f, "corpus");
    finish(f);
}

/* ---- 5. A prune killed halfway. */

#define KILL_FILES 6    /* part-0 … part-5; part-3 … part-5 are deleted */
#define KILL_KEPT 3
#define KILL_DOCS 500   /* records a file */
#define KILL_BATCH "50" /* --batch-size of the runs killed */
#define KILL_STEPS 15   /* kills at 1/16 … 15/16 of what a prune writes */

/* Record d of file fi: an explicit id for odd d, else one derived from its
 * title; its text from a generator seeded by (fi, d). */
static void kill_record(FILE *fp, int fi, int d)
{
    static const char *words[] = {"médecins", "internes", "logement", "maison de santé",
                                  "bourse", "télémédecine", "cabinet", "généralistes",
                                  "installation", "département", "stagiaires", "bus"};
    static const char *depts[] = {"45", "Loir-et-Cher", "36", "18", "Creuse", "2A", "974"};
    uint64_t x = (uint64_t)(fi * 100003 + d) * 6364136223846793005ull + 1442695040888963407ull;
    fputc('{', fp);
    if (d % 2)
        fprintf(fp, "\"id\":\"f%d-%d\",", fi, d);
    fprintf(fp, "\"title\":\"Initiative %d du fichier %d\",\"text\":\"", d, fi);
    for (int k = 0; k < 30; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        fprintf(fp, "%s%s", k ? " " : "", words[x % 12]);
    }
    fprintf(fp, ".\",\"departements\":[\"%s\"]}\n", depts[(x >> 20) % 7]);
}

/* Files part-3 … part-5 hold, every third record, a copy of a record of
 * part-0 … part-2: the prune must keep those. */
static void write_kill_corpus(void)
{
    assert_int_equal(mkdir("corpus", 0755), 0);
    for (int fi = 0; fi < KILL_FILES; fi++) {
        char path[64];
        snprintf(path, sizeof path, "corpus/part-%d.jsonl", fi);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        for (int d = 0; d < KILL_DOCS; d++)
            kill_record(fp, fi >= KILL_KEPT && d % 3 == 0 ? fi - KILL_KEPT : fi, d);
        assert_int_equal(fclose(fp), 0);
    }
}

/* Starts oasis-index on db (with --prune when prune is 1), its stderr
 * into log. With a limit (not 0), under tests/enospc_shim.c, which kills
 * it at the write that would pass limit bytes written under the directory
 * of db; with report, under the shim that writes there how many bytes it
 * wrote. */
static pid_t start_index(fixture *f, const char *db, const char *log, int prune,
                         unsigned long long limit, const char *report)
{
    char dir[4400];
    snprintf(dir, sizeof dir, "%s", db);
    *strrchr(dir, '/') = '\0';
    fflush(NULL); /* the child must not write our buffers again */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "r", stdin) || !freopen("/dev/null", "w", stdout) ||
            !freopen(log, "w", stderr))
            _exit(126);
        if (limit || report)
            ct_preload_kill_shim(dir, limit, report);
        execl(f->index_bin, f->index_bin, "--batch-size", KILL_BATCH, "--index", db,
              prune ? "--prune" : "corpus", prune ? "corpus" : (char *)NULL, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits for pid: 1 when SIGKILL ended it, 0 when it exited with 0; fails
 * the test otherwise. */
static int reap(pid_t pid, const char *log)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        return 1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *err = t_read_file(log, NULL);
        FAIL_HERE("oasis-index ended with status %d:\n%s", status, err);
    }
    return 0;
}

static void test_prune_killed(void **state)
{
    fixture *f = *state;
    write_kill_corpus();
    char base[4300], run[4400], log[4300];
    /* The indexes killed sit alone in a directory: what the shim counts. */
    char dbs[4300];
    snprintf(dbs, sizeof dbs, "%s/dbs", f->tmp);
    assert_int_equal(mkdir(dbs, 0755), 0);
    snprintf(base, sizeof base, "%s/base.db", f->tmp);
    snprintf(run, sizeof run, "%s/run.db", dbs);
    snprintf(log, sizeof log, "%s/prune.log", f->tmp);
    char *err = run_index(f, base, "--batch-size", "500", "corpus", (const char *)NULL);
    free(err);
    for (int fi = KILL_KEPT; fi < KILL_FILES; fi++) {
        char path[64];
        snprintf(path, sizeof path, "corpus/part-%d.jsonl", fi);
        assert_int_equal(unlink(path), 0);
    }
    /* What a fresh build of the remaining files holds. */
    char ref_db[4300];
    snprintf(ref_db, sizeof ref_db, "%s/ref.db", f->tmp);
    err = run_index(f, ref_db, "--full", "corpus", (const char *)NULL);
    free(err);
    size_t n_ref;
    char *ref = ct_dump_index(ref_db, &n_ref);
    assert_non_null(ref);
    assert_int_equal(n_ref, KILL_KEPT * KILL_DOCS);

    /* Uninterrupted: what the prune writes is the scale of the kills. */
    char written[4300];
    snprintf(written, sizeof written, "%s/written", f->tmp);
    ct_copy_dir(base, run);
    assert_int_equal(reap(start_index(f, run, log, 1, 0, written), log), 0);
    char *got = ct_dump_index(run, NULL);
    assert_non_null(got);
    char *diff = ct_dump_diff(got, ref, "the pruned index", "a fresh build");
    if (diff)
        FAIL_HERE("an uninterrupted prune leaves another index than a fresh build:\n%s", diff);
    free(got);
    t_rmtree(run);
    char *count = t_read_file(written, NULL);
    unsigned long long bytes = strtoull(count, NULL, 10);
    free(count);
    printf("an uninterrupted prune writes %llu bytes\n", bytes);
    assert_true(bytes > 0);

    int interrupted = 0;
    for (int k = 1; k <= KILL_STEPS; k++) {
        ct_copy_dir(base, run);
        unsigned long long limit = bytes * (unsigned long long)k / (KILL_STEPS + 1);
        int killed = reap(start_index(f, run, log, 1, limit, NULL), log);
        if (killed) {
            interrupted++;
            if (ct_doc_count(run) < 0)
                FAIL_HERE("the index does not open after a kill at byte %llu: %s", limit,
                          oasis_error_last());
        }
        /* The next prune completes the work. */
        err = run_index(f, run, "--prune", "corpus", (const char *)NULL);
        free(err);
        got = ct_dump_index(run, NULL);
        assert_non_null(got);
        diff = ct_dump_diff(got, ref, "the index", "a fresh build");
        if (diff)
            FAIL_HERE("killed at byte %llu of %llu of a prune (%s), then pruned again:\n%s",
                      limit, bytes, killed ? "interrupted" : "it had finished", diff);
        free(got);
        t_rmtree(run);
    }
    printf("%d kills interrupted the prune\n", interrupted);
    /* Every limit lies before the end of the prune's writes. */
    assert_int_equal(interrupted, KILL_STEPS);
    free(ref);
}

/* A folder with no file oasis reads says so: a warning, and status 1
 * under --strict. */
static void test_folder_without_corpus_files(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir("papers", 0755), 0);
    put("papers/notes.pdf", "%PDF-1.4");
    char *err = INDEX(f, "papers");
    assert_non_null(strstr(err, "papers: warning: no file oasis reads here"));
    expect_summary(err, 0, 0, -1, 0);
    free(err);
    char *argv[] = {(char *)f->index_bin, "--strict", "--index", f->db, "papers", NULL};
    assert_int_equal(t_run(argv, NULL, NULL, &err), 1);
    assert_non_null(strstr(err, "no file oasis reads here"));
    free(err);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_path_forms),
        T(test_jsonl_copy_deleted),
        T(test_jsonl_copy_added_deleted),
        T(test_records_copy_deleted),
        T(test_records_copy_added_deleted),
        T(test_full_with_copy),
        T(test_same_title_different_text),
        T(test_moved_between_folders),
        T(test_moved_under_parent),
        T(test_changed_drops_shared_jsonl),
        T(test_changed_drops_shared_records),
        T(test_explicit_id_two_files),
        T(test_prune_killed),
        T(test_folder_without_corpus_files),
    };
#undef T
    return cmocka_run_group_tests_name("sources", tests, NULL, NULL);
}
