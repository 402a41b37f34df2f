/* The two programs run for real, on the corpus, in a temporary directory. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "clitest.h"

typedef struct fixture {
    char *dir;
    char index[4096];
    const char *index_bin, *query_bin;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = t_mkdtemp();
    snprintf(f->index, sizeof f->index, "%s/cli.db", f->dir);
    f->index_bin = t_env("OASIS_INDEX_BIN");
    f->query_bin = t_env("OASIS_QUERY_BIN");
    char *out, *err;
    char *argv[] = {(char *)f->index_bin, "--index", f->index, (char *)t_source_path("corpus"), NULL};
    int status = t_run(argv, NULL, &out, &err);
    if (status != 0)
        fail_msg("oasis-index exited %d: %s", status, err);
    assert_non_null(strstr(err, "23 indexed"));
    assert_non_null(strstr(err, "0 warnings"));
    free(out);
    free(err);
    *state = f;
    return 0;
}

/* oasis-query --index <fixture> ARGS..., NULL-terminated: the exit status. */
#define query(f, out, err, ...) ct_query((f)->query_bin, (f)->index, NULL, out, err, __VA_ARGS__)

static void test_text_output(void **state)
{
    fixture *f = *state;
    char *out, *err;
    assert_int_equal(query(f, &out, &err, "logement internes", NULL), 0);
    /* Rank, département code and name, title, then the start of the text. */
    const char *first = strstr(out, " 1. [");
    assert_ptr_equal(first, out);
    assert_true(strncmp(out, " 1. [45 Loiret] Plan Priorité Santé", 35) == 0 ||
                strncmp(out, " 1. [36 Indre] ", 15) == 0);
    assert_non_null(strstr(out, " 2. ["));
    assert_non_null(strstr(out, "corpus/"));
    assert_null(strstr(out, "\033[")); /* not a terminal: no colour */
    free(out);
    free(err);
}

static void test_json_output(void **state)
{
    fixture *f = *state;
    char *out, *err;
    assert_int_equal(query(f, &out, &err, "--json", "--limit", "5", "logement", "internes", NULL), 0);
    json_t *lines = ct_json_lines(out);
    size_t n = json_array_size(lines);
    assert_true(n >= 3);
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *h = json_array_get(lines, i);
        assert_string_equal(json_string_value(json_object_get(h, "type")), "hit");
        assert_int_equal(json_integer_value(json_object_get(h, "rank")), (json_int_t)i + 1);
        assert_true(json_is_string(json_object_get(h, "id")));
        assert_true(json_is_number(json_object_get(h, "score")));
        assert_true(json_is_string(json_object_get(h, "title")));
        assert_true(json_is_string(json_object_get(h, "text")));
        const char *source = json_string_value(json_object_get(h, "source"));
        assert_non_null(source);
        assert_non_null(strstr(source, ".txt:"));
        json_t *depts = json_object_get(h, "departements");
        assert_true(json_is_array(depts));
        json_t *d0 = json_array_get(depts, 0);
        assert_true(json_is_string(json_object_get(d0, "code")));
        assert_true(json_is_string(json_object_get(d0, "name")));
    }
    json_t *first = json_array_get(lines, 0);
    const char *code = json_string_value(json_object_get(json_array_get(json_object_get(first, "departements"), 0), "code"));
    assert_true(!strcmp(code, "45") || !strcmp(code, "36"));
    json_t *sum = json_array_get(lines, n - 1);
    assert_string_equal(json_string_value(json_object_get(sum, "type")), "summary");
    assert_string_equal(json_string_value(json_object_get(sum, "query")), "logement internes");
    assert_true(json_integer_value(json_object_get(sum, "total")) >= (json_int_t)(n - 1));
    json_decref(lines);
    free(out);
    free(err);
}

static void test_dept_filter(void **state)
{
    fixture *f = *state;
    const char *forms[] = {"45", "Loiret", "loiret"};
    for (size_t k = 0; k < 3; k++) {
        char *out, *err;
        assert_int_equal(query(f, &out, &err, "--json", "--dept", forms[k], "logement internes", NULL), 0);
        json_t *lines = ct_json_lines(out);
        size_t n = json_array_size(lines);
        assert_true(n >= 2);
        for (size_t i = 0; i + 1 < n; i++) {
            json_t *d = json_array_get(json_object_get(json_array_get(lines, i), "departements"), 0);
            assert_string_equal(json_string_value(json_object_get(d, "code")), "45");
            assert_string_equal(json_string_value(json_object_get(d, "name")), "Loiret");
        }
        json_decref(lines);
        free(out);
        free(err);
    }
}

static json_t *last_line(json_t *lines)
{
    return json_array_get(lines, json_array_size(lines) - 1);
}

static void test_facets_and_filters(void **state)
{
    fixture *f = *state;
    char *out, *err;
    /* --facets alone: counts over the whole index, and the first hits. */
    assert_int_equal(query(f, &out, &err, "--json", "--facets", "--limit", "3", NULL), 0);
    json_t *lines = ct_json_lines(out);
    assert_int_equal(json_array_size(lines), 4);
    json_t *sum = last_line(lines);
    assert_int_equal(json_integer_value(json_object_get(sum, "total")), 23);
    json_t *facets = json_object_get(sum, "facets");
    json_t *depts = json_object_get(facets, "departement");
    assert_int_equal(json_array_size(depts), 22);
    json_t *first = json_array_get(depts, 0);
    assert_string_equal(json_string_value(json_object_get(first, "code")), "36");
    assert_string_equal(json_string_value(json_object_get(first, "name")), "Indre");
    assert_int_equal(json_integer_value(json_object_get(first, "count")), 2);
    assert_int_equal(json_array_size(json_object_get(facets, "region")), 10);
    json_t *cat = json_array_get(json_object_get(facets, "category"), 0);
    assert_true(json_is_string(json_object_get(cat, "slug")));
    assert_true(json_is_string(json_object_get(cat, "label")));
    json_decref(lines);
    free(out);
    free(err);

    /* Browsing by région and category; hits carry both. */
    assert_int_equal(query(f, &out, &err, "--json", "--region", "centre val de loire", "--category",
                           "logement", NULL),
                     0);
    lines = ct_json_lines(out);
    assert_true(json_array_size(lines) >= 3);
    for (size_t i = 0; i + 1 < json_array_size(lines); i++) {
        json_t *h = json_array_get(lines, i);
        json_t *reg = json_array_get(json_object_get(h, "regions"), 0);
        assert_string_equal(json_string_value(json_object_get(reg, "code")), "24");
        json_t *cats = json_object_get(h, "categories");
        int has = 0;
        for (size_t k = 0; k < json_array_size(cats); k++)
            has |= !strcmp(json_string_value(json_object_get(json_array_get(cats, k), "slug")),
                           "logement");
        assert_true(has);
    }
    json_decref(lines);
    free(out);
    free(err);

    /* Text output shows the facets after the hits; --no-facets hides them. */
    assert_int_equal(query(f, &out, &err, "logement", NULL), 0);
    assert_non_null(strstr(out, "départements: "));
    assert_non_null(strstr(out, "catégories: "));
    free(out);
    free(err);
    assert_int_equal(query(f, &out, &err, "--no-facets", "--json", "logement", NULL), 0);
    assert_null(strstr(out, "\"facets\""));
    free(out);
    free(err);

    assert_int_equal(query(f, &out, &err, "--category", "telepathie", "santé", NULL), 2);
    assert_non_null(strstr(err, "oasis-query: unknown category 'telepathie'"));
    assert_non_null(strstr(err, "valid: "));
    assert_non_null(strstr(err, "logement"));
    free(out);
    free(err);
    assert_int_equal(query(f, &out, &err, "--region", "Atlantide", "santé", NULL), 2);
    assert_non_null(strstr(err, "valid: the codes of the 18 régions"));
    free(out);
    free(err);
}

static void test_explain_categories(void **state)
{
    fixture *f = *state;
    char db[4096];
    snprintf(db, sizeof db, "%s/explain.db", f->dir);
    char *argv[] = {(char *)f->index_bin, "--index", db, "--explain-categories",
                    (char *)t_source_path("corpus/records-departements-initiatives.txt"), NULL};
    char *out, *err;
    assert_int_equal(t_run(argv, NULL, &out, &err), 0);
    /* Haute-Saône's maison des stagiaires is housing, found by a rule. */
    const char *line = strstr(out, "70-la-maison-des-stagiaires-du-bassin-vesulien\tlogement\trule \"");
    assert_non_null(line);
    assert_non_null(strstr(line, "(corpus/category-rules.tsv:"));
    free(out);
    free(err);
}

/* The bytes of every file of the index directory db, with their names,
 * concatenated (caller frees): equal before and after means untouched. */
static char *snapshot(const char *db)
{
    char *out, *err;
    char *argv[] = {"/bin/sh", "-c", "cd \"$0\" && for f in $(ls); do echo \"== $f\"; "
                    "od -An -tx1 \"$f\"; done", (char *)db, NULL};
    assert_int_equal(t_run(argv, NULL, &out, &err), 0);
    free(err);
    return out;
}

/* --explain-categories reads every record of the files it is given, each
 * time, and writes no index: not when there is none (none is created), not
 * when the files were indexed before (nothing changes, and the reasons are
 * printed all the same), not when another writer holds the index. */
static void test_explain_categories_read_only(void **state)
{
    fixture *f = *state;
    char db[4200], file[4200];
    snprintf(db, sizeof db, "%s/explain-ro.db", f->dir);
    snprintf(file, sizeof file, "%s/explain-ro.jsonl", f->dir);
    static const char records[] =
        "{\"id\":\"ro-1\",\"title\":\"Bourse\",\"text\":\"Aide.\",\"departements\":[\"45\"],"
        "\"categories\":[\"etudiants\"]}\n"
        "{\"id\":\"ro-2\",\"title\":\"Logement des internes\",\"text\":\"Un logement.\","
        "\"departements\":[\"70\"]}\n";
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs(records, fp);
    fclose(fp);
    char *argv[] = {(char *)f->index_bin, "--index", db, "--explain-categories", file, NULL};
    char *first, *out, *err;
    assert_int_equal(t_run(argv, NULL, &first, &err), 0);
    assert_non_null(strstr(first, "ro-1\tetudiants\tgiven by the record\n"));
    assert_non_null(strstr(first, "ro-2\tlogement\trule \""));
    assert_non_null(strstr(err, "2 analysed"));
    assert_non_null(strstr(err, "no index written"));
    free(err);
    struct stat st;
    assert_int_not_equal(stat(db, &st), 0); /* not created */

    /* Indexed, then explained again: the same lines, the index as it was. */
    char *index_argv[] = {(char *)f->index_bin, "--index", db, file, NULL};
    assert_int_equal(t_run(index_argv, NULL, &out, &err), 0);
    free(out);
    free(err);
    char *before = snapshot(db);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(t_run(argv, NULL, &out, &err), 0);
        assert_string_equal(out, first);
        assert_null(strstr(err, "unchanged since"));
        free(out);
        free(err);
    }
    char *after = snapshot(db);
    assert_string_equal(before, after);
    free(after);

    /* A writer holds the index: explaining does not need it. */
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, db, NULL), 0);
    assert_int_equal(t_run(argv, NULL, &out, &err), 0);
    assert_string_equal(out, first);
    free(out);
    free(err);
    oasis_writer_free(w);
    after = snapshot(db);
    assert_string_equal(before, after);
    free(after);
    free(before);
    free(first);
}

static void test_exit_codes(void **state)
{
    fixture *f = *state;
    char *out, *err;
    assert_int_equal(query(f, &out, &err, "xylophonistes", NULL), 1);
    assert_non_null(strstr(err, "no initiative matches"));
    free(out);
    free(err);

    assert_int_equal(query(f, &out, &err, "--dept", "Atlantide", "santé", NULL), 2);
    assert_non_null(strstr(err, "oasis-query: unknown département 'Atlantide'"));
    assert_non_null(strstr(err, "valid: codes 01 to 95, 2A, 2B and 971 to 976"));
    free(out);
    free(err);

    assert_int_equal(query(f, &out, &err, "--limit", "abc", "santé", NULL), 2);
    free(out);
    free(err);
    assert_int_equal(query(f, &out, &err, "--no-such-option", NULL), 2);
    free(out);
    free(err);

    char missing[4096];
    snprintf(missing, sizeof missing, "%s/absent.db", f->dir);
    char *argv[] = {(char *)f->query_bin, "--index", missing, "santé", NULL};
    assert_int_equal(t_run(argv, NULL, &out, &err), 2);
    assert_non_null(strstr(err, "absent.db"));
    free(out);
    free(err);
}

/* No words and no filter list every initiative, by département code then
 * title, a page at a time; only stop words or punctuation find nothing,
 * with a notice. */
static void test_browse(void **state)
{
    fixture *f = *state;
    char *out, *err;
    assert_int_equal(query(f, &out, &err, "--json", "--no-facets", "--limit", "100", NULL), 0);
    json_t *lines = ct_json_lines(out);
    size_t n = json_array_size(lines);
    assert_int_equal(n, 24);
    assert_int_equal(json_integer_value(json_object_get(last_line(lines), "total")), 23);
    char prev[256] = "";
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *h = json_array_get(lines, i);
        json_t *d = json_array_get(json_object_get(h, "departements"), 0);
        char key[256];
        snprintf(key, sizeof key, "%s %s", json_string_value(json_object_get(d, "code")),
                 json_string_value(json_object_get(h, "id")));
        if (strcmp(prev, key) >= 0)
            fail_msg("'%s' listed after '%s'", key, prev);
        snprintf(prev, sizeof prev, "%s", key);
        assert_true(json_is_true(json_object_get(h, "all_words")));
    }
    json_decref(lines);
    free(out);
    free(err);
    /* A page further, in the same order. */
    assert_int_equal(query(f, &out, &err, "--limit", "1", "--offset", "22", NULL), 0);
    assert_non_null(strstr(out, "[93 Seine-Saint-Denis] Prévention bucco-dentaire"));
    assert_non_null(strstr(out, "23–23 of 23 initiatives"));
    free(out);
    free(err);
    static const char *const empty[] = {"le la les", "?!", "\"de la\""};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        assert_int_equal(query(f, &out, &err, "--json", empty[i], NULL), 1);
        lines = ct_json_lines(out);
        assert_int_equal(json_array_size(lines), 1);
        assert_int_equal(json_integer_value(json_object_get(last_line(lines), "total")), 0);
        assert_non_null(strstr(json_string_value(json_object_get(last_line(lines), "notice")),
                               "nothing to search"));
        assert_non_null(strstr(err, "oasis-query: nothing to search"));
        json_decref(lines);
        free(out);
        free(err);
        assert_int_equal(query(f, &out, &err, empty[i], NULL), 1);
        assert_non_null(strstr(err, "nothing to search"));
        free(out);
        free(err);
    }
}

/* Category values ignore case, accents and hyphens, as départements do;
 * a hit says whether it holds every word. */
static void test_category_values_and_all_words(void **state)
{
    fixture *f = *state;
    char *out, *err;
    static const char *const values[] = {"logement", "Logement", "LOGEMENT",
                                         "Logement des stagiaires"};
    json_int_t total = -1;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        assert_int_equal(query(f, &out, &err, "--json", "--category", values[i], NULL), 0);
        json_t *lines = ct_json_lines(out);
        /* Every spelling of the value keeps the initiatives the slug keeps
         * (45, 36 and 70 are housing; the rules say so). */
        json_int_t n = json_integer_value(json_object_get(last_line(lines), "total"));
        if (i == 0)
            total = n;
        assert_true(n >= 3);
        assert_int_equal(n, total);
        json_decref(lines);
        free(out);
        free(err);
    }
    assert_int_equal(query(f, &out, &err, "--json", "--category", "Télémédecine", NULL), 0);
    assert_non_null(strstr(out, "06-medicobus"));
    free(out);
    free(err);
    /* Loiret only lies in the place named; the Coddem holds the word. */
    assert_int_equal(query(f, &out, &err, "--json", "--no-facets", "Coddem Loiret", NULL), 0);
    json_t *lines = ct_json_lines(out);
    assert_int_equal(json_array_size(lines), 3);
    for (size_t i = 0; i < 2; i++) {
        json_t *h = json_array_get(lines, i);
        int coddem = !strcmp(json_string_value(json_object_get(h, "id")),
                             "47-la-coddem-commission-departementale-de-la-demographie");
        assert_int_equal(json_is_true(json_object_get(h, "all_words")), coddem);
    }
    json_decref(lines);
    free(out);
    free(err);
}

static void test_index_from_environment(void **state)
{
    fixture *f = *state;
    char env[4200];
    snprintf(env, sizeof env, "OASIS_INDEX=%s", f->index);
    char *envv[] = {env, NULL};
    char *argv[] = {(char *)f->query_bin, "--json", "Medicobus", NULL};
    char *out, *err;
    assert_int_equal(t_run(argv, envv, &out, &err), 0);
    assert_non_null(strstr(out, "\"code\":\"06\""));
    free(out);
    free(err);
}

static void test_help_and_version(void **state)
{
    fixture *f = *state;
    const char *bins[] = {f->index_bin, f->query_bin};
    for (size_t i = 0; i < 2; i++) {
        char *out, *err;
        char *help[] = {(char *)bins[i], "--help", NULL};
        assert_int_equal(t_run(help, NULL, &out, &err), 0);
        assert_non_null(strstr(out, "Usage: "));
        assert_non_null(strstr(out, "--index PATH"));
        assert_non_null(strstr(out, "Exit status"));
        free(out);
        free(err);
        char *version[] = {(char *)bins[i], "--version", NULL};
        assert_int_equal(t_run(version, NULL, &out, &err), 0);
        assert_non_null(strstr(out, "0.1.0"));
        free(out);
        free(err);
    }
    char *out, *err;
    char *noargs[] = {(char *)f->index_bin, NULL};
    assert_int_equal(t_run(noargs, NULL, &out, &err), 2);
    assert_non_null(strstr(err, "no corpus path"));
    free(out);
    free(err);
}

static void test_index_warns_and_continues(void **state)
{
    fixture *f = *state;
    char path[4096], db[4096];
    snprintf(path, sizeof path, "%s/extra.jsonl", f->dir);
    snprintf(db, sizeof db, "%s/extra.db", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"id\":\"a\",\"title\":\"Centre de santé\",\"text\":\"Des médecins salariés.\","
          "\"departements\":[\"Lozère\"]}\n"
          "{\"id\":\"b\",\"title\":\"Télémédecine\",\"text\":\"Cabines.\",\"departements\":[\"Nowhere\"]}\n",
          fp);
    fclose(fp);
    char *argv[] = {(char *)f->index_bin, "--index", db, path, NULL};
    char *out, *err;
    assert_int_equal(t_run(argv, NULL, &out, &err), 0);
    assert_non_null(strstr(err, "extra.jsonl:2: warning: unknown département 'Nowhere'"));
    assert_non_null(strstr(err, "2 indexed"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_output),
        cmocka_unit_test(test_json_output),
        cmocka_unit_test(test_dept_filter),
        cmocka_unit_test(test_facets_and_filters),
        cmocka_unit_test(test_explain_categories),
        cmocka_unit_test(test_explain_categories_read_only),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_browse),
        cmocka_unit_test(test_category_values_and_all_words),
        cmocka_unit_test(test_index_from_environment),
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_index_warns_and_continues),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, t_dir_teardown);
}
