/* Re-indexing with oasis-index: an unchanged corpus is not read again and
 * leaves the index as it was; a changed file has its initiatives replaced
 * and the ones it lost deleted; --prune deletes the initiatives of a
 * removed file; --full reads everything again. */
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
#include <unistd.h>

#include <cmocka.h>
#include <fcntl.h>

#include "clitest.h"

typedef struct fixture {
    char *dir;
    char corpus[4200], db[4200];
    const char *index_bin;
} fixture;

static const char *A1 = "{\"id\":\"a1\",\"title\":\"Maison de santé à Pithiviers\","
                        "\"text\":\"Des médecins généralistes.\",\"departements\":[\"45\"]}\n";
static const char *A2 = "{\"id\":\"a2\",\"title\":\"Bourse aux internes\","
                        "\"text\":\"Une aide mensuelle.\",\"departements\":[\"36\"]}\n";
static const char *A2_NEW = "{\"id\":\"a2\",\"title\":\"Bourse aux internes\","
                            "\"text\":\"Une aide et la téléconsultation.\",\"departements\":[\"36\"]}\n";
static const char *A3 = "{\"id\":\"a3\",\"title\":\"Bus dentaire\","
                        "\"text\":\"Un cabinet ambulant.\",\"departements\":[\"18\"]}\n";
static const char *B = "41. Loir-et-Cher\nCentre de santé départemental\nDes salariés.\n\n"
                       "36. Indre\nLogement des stagiaires\nUne maison pour les internes.\n";
static const char *B_NEW = "41. Loir-et-Cher\nCentre de santé départemental\nDes salariés.\n\n"
                           "36. Indre\nHébergement des stagiaires\nUne maison pour les internes.\n";
static const char *C = "{\"id\":\"c1\",\"title\":\"Télécabine médicale\",\"departements\":[\"23\"]}\n"
                       "{\"id\":\"c2\",\"title\":\"Plan santé\",\"departements\":[\"23\"]}\n";

static void put(fixture *f, const char *name, const char *a, const char *b, const char *c)
{
    char path[4300], buf[4096];
    snprintf(path, sizeof path, "%s/%s", f->corpus, name);
    snprintf(buf, sizeof buf, "%s%s%s", a, b ? b : "", c ? c : "");
    ct_write(path, buf, strlen(buf));
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = t_mkdtemp();
    f->index_bin = t_env("OASIS_INDEX_BIN");
    snprintf(f->corpus, sizeof f->corpus, "%s/corpus", f->dir);
    snprintf(f->db, sizeof f->db, "%s/oasis.db", f->dir);
    assert_int_equal(mkdir(f->corpus, 0755), 0);
    put(f, "a.jsonl", A1, A2, A3);
    put(f, "b.txt", B, NULL, NULL);
    put(f, "c.jsonl", C, NULL, NULL);
    *state = f;
    return 0;
}

/* oasis-index --index db [extra] corpus; returns stderr (caller frees). */
static char *reindex(fixture *f, const char *extra, int want)
{
    char *err;
    int status = extra ? ct_run(f->index_bin, NULL, &err, "--index", f->db, extra, f->corpus, NULL)
                       : ct_run(f->index_bin, NULL, &err, "--index", f->db, f->corpus, NULL);
    if (status != want)
        fail_msg("oasis-index exited %d, expected %d:\n%s", status, want, err);
    return err;
}

/* The bytes of the index's version file: they change with each commit. */
static char *version_file(fixture *f)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/iamglass", f->db);
    size_t len;
    char *v = t_read_file(path, &len);
    char *hex = malloc(len * 2 + 1);
    for (size_t i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)v[i]);
    hex[len * 2] = '\0';
    free(v);
    return hex;
}

/* The ids the search for q finds, joined by ',' in rank order. */
static char *found(fixture *f, const char *q)
{
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, f->db), 0);
    oasis_results *r;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    assert_int_equal(oasis_search(s, q, &o, &r), 0);
    char buf[1024] = "";
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        if (i)
            strcat(buf, ",");
        strncat(buf, oasis_results_hit_at(r, i)->id, 200);
    }
    oasis_results_free(r);
    oasis_searcher_free(s);
    return strdup(buf);
}

static void assert_found(fixture *f, const char *q, const char *want)
{
    char *got = found(f, q);
    if (strcmp(got, want))
        fail_msg("searching '%s' found '%s', expected '%s'", q, got, want);
    free(got);
}

static void test_incremental(void **state)
{
    fixture *f = *state;
    double t0 = t_now();
    char *err = reindex(f, NULL, 0);
    double first = t_now() - t0;
    assert_int_equal(ct_summary_count(err, "file"), 3);
    assert_int_equal(ct_summary_count(err, "indexed"), 7);
    assert_int_equal(ct_summary_count(err, "holds"), 7);
    free(err);
    char **ids0;
    size_t n0;
    assert_int_equal(ct_ids(f->db, &ids0, &n0), 0);
    assert_int_equal(n0, 7);

    /* Unchanged: no file read, nothing written, the same initiatives. */
    char *v0 = version_file(f);
    t0 = t_now();
    err = reindex(f, NULL, 0);
    double again = t_now() - t0;
    assert_int_equal(ct_summary_count(err, "file"), 0);
    assert_int_equal(ct_summary_count(err, "unchanged"), 3);
    assert_int_equal(ct_summary_count(err, "indexed"), 0);
    assert_int_equal(ct_summary_count(err, "holds"), 7);
    free(err);
    char *v1 = version_file(f);
    assert_string_equal(v0, v1);
    free(v1);
    char **ids1;
    size_t n1;
    assert_int_equal(ct_ids(f->db, &ids1, &n1), 0);
    assert_int_equal(n1, n0);
    for (size_t i = 0; i < n0; i++)
        assert_string_equal(ids0[i], ids1[i]);
    ct_free_ids(ids1, n1);
    printf("first run %.3f s, unchanged re-run %.3f s (3 files skipped)\n", first, again);

    /* Touched, same bytes: read, found unchanged by its hash. */
    char path[4300];
    snprintf(path, sizeof path, "%s/a.jsonl", f->corpus);
    struct timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    times[1].tv_sec = time(NULL) + 5;
    times[1].tv_nsec = 0;
    times[0] = times[1];
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
    err = reindex(f, NULL, 0);
    assert_int_equal(ct_summary_count(err, "file"), 0);
    assert_int_equal(ct_summary_count(err, "unchanged"), 3);
    assert_int_equal(ct_summary_count(err, "holds"), 7);
    free(err);
    /* ...and recorded with its new time: the next run writes nothing. */
    v1 = version_file(f);
    err = reindex(f, NULL, 0);
    assert_int_equal(ct_summary_count(err, "unchanged"), 3);
    free(err);
    char *v2 = version_file(f);
    assert_string_equal(v1, v2);
    free(v1);
    free(v2);

    /* a2 changed, a3 gone from its file: a2 replaced, a3 deleted. */
    assert_found(f, "dentaire", "a3");
    put(f, "a.jsonl", A1, A2_NEW, NULL);
    err = reindex(f, NULL, 0);
    assert_int_equal(ct_summary_count(err, "file"), 1);
    assert_int_equal(ct_summary_count(err, "unchanged"), 2);
    assert_int_equal(ct_summary_count(err, "indexed"), 2);
    assert_int_equal(ct_summary_count(err, "removed"), 1);
    assert_int_equal(ct_summary_count(err, "holds"), 6);
    free(err);
    assert_found(f, "téléconsultation", "a2");
    assert_found(f, "mensuelle", "");
    assert_found(f, "dentaire", "");
    assert_found(f, "Pithiviers", "a1");

    /* A records file whose second title changed: its derived id changes,
     * the old initiative goes. */
    char *before = found(f, "logement stagiaires");
    assert_true(*before);
    put(f, "b.txt", B_NEW, NULL, NULL);
    err = reindex(f, NULL, 0);
    assert_int_equal(ct_summary_count(err, "file"), 1);
    assert_int_equal(ct_summary_count(err, "holds"), 6);
    free(err);
    char *after = found(f, "hébergement");
    assert_true(*after && strcmp(before, after));
    /* "logement" finds the new one through the thesaurus, never the old. */
    assert_found(f, "logement", after);
    free(before);
    free(after);

    /* c.jsonl removed: kept until --prune, then deleted. */
    assert_found(f, "Télécabine", "c1");
    snprintf(path, sizeof path, "%s/c.jsonl", f->corpus);
    assert_int_equal(unlink(path), 0);
    err = reindex(f, NULL, 0);
    assert_int_equal(ct_summary_count(err, "holds"), 6);
    free(err);
    assert_found(f, "Télécabine", "c1");
    err = reindex(f, "--prune", 0);
    assert_int_equal(ct_summary_count(err, "removed"), 2);
    assert_non_null(strstr(err, "(1 file pruned)"));
    assert_int_equal(ct_summary_count(err, "holds"), 4);
    free(err);
    assert_found(f, "Télécabine", "");
    err = reindex(f, "--prune", 0);
    assert_int_equal(ct_summary_count(err, "removed"), -1);
    assert_int_equal(ct_summary_count(err, "holds"), 4);
    free(err);

    /* --full reads every file again and changes nothing. */
    err = reindex(f, "--full", 0);
    assert_int_equal(ct_summary_count(err, "file"), 2);
    assert_int_equal(ct_summary_count(err, "unchanged"), 0);
    assert_int_equal(ct_summary_count(err, "indexed"), 4);
    assert_int_equal(ct_summary_count(err, "holds"), 4);
    free(err);
    free(v0);
    ct_free_ids(ids0, n0);
}

/* The library's counts: unchanged files, removed initiatives and pruned
 * files, through oasis_writer_add_path() and oasis_writer_prune(). */
static void test_library_stats(void **state)
{
    fixture *f = *state;
    char db[4300];
    snprintf(db, sizeof db, "%s/lib.db", f->dir);
    put(f, "a.jsonl", A1, A2, A3);
    put(f, "c.jsonl", C, NULL, NULL);
    oasis_writer *w;
    oasis_add_stats st = OASIS_ADD_STATS_INIT;
    assert_int_equal(oasis_writer_open(&w, db, NULL), 0);
    assert_int_equal(oasis_writer_add_path(w, f->corpus, &st), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    oasis_writer_free(w);
    assert_int_equal(st.files, 3);
    assert_int_equal(st.unchanged, 0);

    char path[4300];
    snprintf(path, sizeof path, "%s/c.jsonl", f->corpus);
    assert_int_equal(unlink(path), 0);
    put(f, "a.jsonl", A1, NULL, NULL);
    oasis_add_stats_init(&st);
    assert_int_equal(oasis_writer_open(&w, db, NULL), 0);
    assert_int_equal(oasis_writer_add_path(w, f->corpus, &st), 0);
    assert_int_equal(oasis_writer_prune(w, &st), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    assert_int_equal(oasis_writer_doc_count(w), 3); /* a1 and b.txt's two */
    oasis_writer_free(w);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.indexed, 1);
    assert_int_equal(st.removed, 4); /* a2, a3, c1, c2 */
    assert_int_equal(st.removed_files, 1);

    /* Files met by no call are pruned: here b.txt, a.jsonl being given
     * alone (by the same path as the directory listing gave it). */
    oasis_add_stats_init(&st);
    snprintf(path, sizeof path, "%s/a.jsonl", f->corpus);
    assert_int_equal(oasis_writer_open(&w, db, NULL), 0);
    assert_int_equal(oasis_writer_add_path(w, path, &st), 0);
    assert_int_equal(oasis_writer_prune(w, &st), 0);
    assert_int_equal(oasis_writer_commit(w), 0);
    oasis_writer_free(w);
    assert_int_equal(st.files, 0);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.removed, 2);
    assert_int_equal(st.removed_files, 1);
    assert_int_equal(ct_doc_count(db), 1);
    put(f, "c.jsonl", C, NULL, NULL);
}

/* A touched file (new time, same bytes) keeps its derived ids even when
 * a changed file read before it now derives the same one. */
static void test_touched_file_keeps_ids(void **state)
{
    fixture *f = *state;
    char dir[4100], a[4200], b[4200], db[4100];
    snprintf(dir, sizeof dir, "%s/derived", f->dir);
    snprintf(a, sizeof a, "%s/a.jsonl", dir);
    snprintf(b, sizeof b, "%s/b.jsonl", dir);
    snprintf(db, sizeof db, "%s/derived.db", f->dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    const char *bus = "{\"title\":\"Bus médical\",\"departements\":[\"45\"]}\n";
    const char *plan = "{\"title\":\"Plan santé\",\"text\":\"Premier plan.\","
                       "\"departements\":[\"45\"]}\n";
    const char *plan2 = "{\"title\":\"Plan santé\",\"text\":\"Second plan.\","
                        "\"departements\":[\"45\"]}\n";
    ct_write(a, bus, strlen(bus));
    ct_write(b, plan, strlen(plan));
    char *err;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, dir, NULL), 0);
    free(err);
    assert_int_equal(ct_doc_count(db), 2);
    /* a gains a record deriving b's id; b is only touched. */
    char both[512];
    snprintf(both, sizeof both, "%s%s", bus, plan2);
    ct_write(a, both, strlen(both));
    struct timespec times[2];
    times[0].tv_sec = times[1].tv_sec = time(NULL) + 60;
    times[0].tv_nsec = times[1].tv_nsec = 0;
    assert_int_equal(utimensat(AT_FDCWD, b, times, 0), 0);
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, dir, NULL), 0);
    assert_int_equal(ct_summary_count(err, "unchanged"), 1);
    free(err);
    assert_int_equal(ct_doc_count(db), 3);
    char old_db[4200];
    snprintf(old_db, sizeof old_db, "%s", f->db);
    snprintf(f->db, sizeof f->db, "%s", db);
    assert_found(f, "premier", "45-plan-sante");
    assert_found(f, "second", "45-plan-sante-2");
    snprintf(f->db, sizeof f->db, "%s", old_db);
}

/* Writer options: the init function gives INIT's values and opens a
 * writer; a struct of another version (older or newer) does not. */
static void test_options_versions(void **state)
{
    fixture *f = *state;
    char db[4300];
    snprintf(db, sizeof db, "%s/options.db", f->dir);
    oasis_writer_options o, init = OASIS_WRITER_OPTIONS_INIT;
    memset(&o, 0xff, sizeof o);
    oasis_writer_options_init(&o);
    assert_int_equal(o.version, init.version);
    assert_null(o.warning);
    assert_null(o.progress);
    assert_int_equal(o.batch_size + o.memory_mib + (size_t)o.full + (size_t)o.in_memory, 0);
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, db, &o), 0);
    oasis_add_stats st = OASIS_ADD_STATS_INIT;
    assert_int_equal(oasis_writer_add_path(w, f->corpus, &st), 0);
    oasis_writer_free(w);
    assert_true(st.indexed > 0);
    for (unsigned v = 1; v <= OASIS_WRITER_OPTIONS_VERSION + 1; v++) {
        if (v == OASIS_WRITER_OPTIONS_VERSION)
            continue;
        o.version = v;
        assert_int_equal(oasis_writer_open(&w, db, &o), OASIS_EINVAL);
        assert_null(w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_library_stats),
        cmocka_unit_test(test_touched_file_keeps_ids),
        cmocka_unit_test(test_options_versions),
    };
    return cmocka_run_group_tests_name("incremental", tests, setup, t_dir_teardown);
}
