/* oasis-query and the query language: snippets and highlights as text and
 * JSON, --explain, --like, --batch, "did you mean", notices, colours. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "clitest.h"

static char *dir;
static char index_path[4096];
static const char *query_bin;

static int setup(void **state)
{
    (void)state;
    dir = t_mkdtemp();
    snprintf(index_path, sizeof index_path, "%s/cli.db", dir);
    query_bin = t_env("OASIS_QUERY_BIN");
    char *argv[] = {(char *)t_env("OASIS_INDEX_BIN"), "--index", index_path,
                    (char *)t_source_path("corpus"), NULL};
    return t_run(argv, NULL, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    t_rmtree(dir);
    free(dir);
    return 0;
}

/* oasis-query --index <index> ARGS..., NULL-terminated, with env (may be
 * NULL): the exit status. */
#define query_env(env, out, err, ...) ct_query(query_bin, index_path, env, out, err, __VA_ARGS__)
#define query(out, err, ...) query_env(NULL, out, err, __VA_ARGS__)

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* JSON hits carry a snippet and highlights: byte ranges of the snippet
 * that hold the words of the query. */
static void test_json_snippets(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(query(&out, &err, "--json", "--no-facets", "médecins", "logement", NULL), 0);
    json_t *lines = ct_json_lines(out);
    size_t n = json_array_size(lines), highlighted = 0;
    assert_true(n >= 3);
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *h = json_array_get(lines, i);
        const char *snippet = str(h, "snippet");
        assert_non_null(snippet);
        json_t *hl = json_object_get(h, "highlights");
        assert_true(json_is_array(hl));
        size_t len = strlen(snippet), prev = 0;
        for (size_t k = 0; k < json_array_size(hl); k++) {
            json_t *r = json_array_get(hl, k);
            size_t s = (size_t)json_integer_value(json_array_get(r, 0));
            size_t e = (size_t)json_integer_value(json_array_get(r, 1));
            assert_true(prev <= s && s < e && e <= len);
            /* médecin(s) or logement(s), any case or accent, or one of
             * their synonyms, elided or not (d’hébergement). */
            static const char *const words[] = {"médecin", "Médecin", "medecin", "logement",
                                                "Logement", "héberg", "appartement",
                                                "colocation", "praticien", "docteur"};
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(e - s), snippet + s);
            int known = 0;
            for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
                known |= strstr(word, words[w]) != NULL;
            if (!known)
                fail_msg("highlight '%s' in '%s'", word, snippet);
            prev = e;
            highlighted++;
        }
    }
    assert_true(highlighted >= 3);
    json_decref(lines);
    free(out);
    free(err);
}

/* Text: bold and colour on demand, markers otherwise, NO_COLOR obeyed. */
static void test_text_highlights(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(query(&out, &err, "--no-facets", "--limit", "1", "ordonnance", NULL), 0);
    assert_non_null(strstr(out, "**ordonnance**"));
    assert_null(strstr(out, "\033["));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--color", "always", "--limit", "1", "ordonnance", NULL), 0);
    assert_non_null(strstr(out, "\033[1;31mordonnance\033[0m"));
    assert_null(strstr(out, "**"));
    free(out);
    free(err);
    char *env[] = {"NO_COLOR=1", NULL};
    assert_int_equal(query_env(env, &out, &err, "--color", "auto", "--limit", "1", "ordonnance", NULL),
                     0);
    assert_null(strstr(out, "\033["));
    free(out);
    free(err);
}

static void test_explain(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(query(&out, &err, "--explain", "--no-facets", "--limit", "1",
                           "Que fait le Tarn pour attirer des médecins ?", NULL),
                     0);
    assert_true(strncmp(out, " 1. [81 Tarn]", 13) == 0);
    assert_non_null(strstr(out, "matched: "));
    assert_non_null(strstr(out, "Tarn (place) +"));
    assert_non_null(strstr(out, "attractivité (synonym of attirer) (title, text)"));
    assert_non_null(strstr(out, "places: Tarn → 81 Tarn"));
    assert_non_null(strstr(out, "synonyms: attirer → attractivité"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--explain", "--json", "--no-facets", "--limit", "1",
                           "logement Vesoul", NULL),
                     0);
    json_t *lines = ct_json_lines(out);
    json_t *hit = json_array_get(lines, 0), *sum = json_array_get(lines, 1);
    json_t *ex = json_object_get(hit, "explain");
    assert_true(json_array_size(ex) >= 2);
    int place = 0;
    for (size_t i = 0; i < json_array_size(ex); i++) {
        json_t *m = json_array_get(ex, i);
        assert_true(json_is_boolean(json_object_get(m, "title")));
        assert_true(json_is_boolean(json_object_get(m, "text")));
        assert_true(json_is_number(json_object_get(m, "weight")));
        place |= !strcmp(str(m, "kind"), "place") && !strcmp(str(m, "query"), "Vesoul");
    }
    assert_true(place);
    json_t *pl = json_array_get(json_object_get(sum, "places"), 0);
    assert_string_equal(str(pl, "code"), "70");
    assert_string_equal(str(pl, "name"), "Haute-Saône");
    assert_string_equal(str(pl, "commune"), "Vesoul");
    assert_true(json_is_array(json_object_get(sum, "synonyms")));
    json_decref(lines);
    free(out);
    free(err);
}

static void test_like(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(query(&out, &err, "--json", "--no-facets", "--limit", "2", "--like",
                           "70-la-maison-des-stagiaires-du-bassin-vesulien", NULL),
                     0);
    json_t *lines = ct_json_lines(out);
    assert_int_equal(json_array_size(lines), 3);
    for (size_t i = 0; i < 2; i++) {
        const char *id = str(json_array_get(lines, i), "id");
        assert_true(!strcmp(id, "45-plan-priorite-sante") ||
                    !strcmp(id, "36-l-attractivite-du-territoire-passe-par-l-attractivite"));
    }
    json_decref(lines);
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--like", "nope", NULL), 2);
    assert_non_null(strstr(err, "oasis-query: no initiative with id 'nope'"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--like", "06-medicobus", "bus", NULL), 2);
    assert_non_null(strstr(err, "--like takes an id, not words"));
    free(out);
    free(err);
}

/* Misspelt: the suggestion; nothing found: the suggestion searched. */
static void test_suggestion(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(query(&out, &err, "--no-facets", "logement internnes", NULL), 0);
    assert_non_null(strstr(out, "Did you mean: logement internes?"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--no-facets", "desertificaton", NULL), 0);
    assert_true(strncmp(out, "Nothing matches 'desertificaton': showing the results for "
                             "'desertification'.", 76) == 0);
    assert_non_null(strstr(out, "désertification"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--json", "--no-facets", "desertificaton", NULL), 0);
    json_t *lines = ct_json_lines(out);
    json_t *sum = json_array_get(lines, json_array_size(lines) - 1);
    assert_string_equal(str(sum, "suggestion"), "desertification");
    assert_true(json_is_true(json_object_get(sum, "corrected")));
    assert_true(json_integer_value(json_object_get(sum, "total")) > 0);
    assert_non_null(strstr(err, "showing the results for 'desertification'"));
    json_decref(lines);
    free(out);
    free(err);
}

/* A malformed query: answered, with a notice naming the column; an
 * unknown facet value in the query: exit 2. */
static void test_notice_and_errors(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(query(&out, &err, "--no-facets", "\"sport sur ordonnance", NULL), 0);
    assert_non_null(strstr(err, "oasis-query: unbalanced quote at column 1: the query was read as "
                                "plain words\n"));
    assert_non_null(strstr(out, "Sport"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--json", "logement AND", NULL), 0);
    assert_non_null(strstr(out, "\"notice\":\"'AND' with nothing after it at column 10"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "santé dept:atlantide", NULL), 2);
    assert_non_null(strstr(err, "oasis-query: unknown département 'atlantide' in the query"));
    free(out);
    free(err);
}

/* --batch: each line a query, tagged with its line number; errors are
 * objects too and the other lines run; '-' reads standard input. */
static void test_batch(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/queries.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("logement internes\n\n\"maison de santé\"\ndept:atlantide\nfoo \"bar\nxylophonistes\n",
          f);
    fclose(f);
    char *out, *err;
    assert_int_equal(query(&out, &err, "--no-facets", "--limit", "1", "--batch", path, NULL), 2);
    json_t *lines = ct_json_lines(out);
    long seen[8] = {0};
    for (size_t i = 0; i < json_array_size(lines); i++) {
        json_t *o = json_array_get(lines, i);
        long line = (long)json_integer_value(json_object_get(o, "line"));
        assert_true(line >= 1 && line <= 6 && line != 2);
        const char *type = str(o, "type");
        if (!strcmp(type, "summary"))
            seen[line]++;
        if (!strcmp(type, "error")) {
            assert_int_equal(line, 4);
            assert_non_null(strstr(str(o, "message"), "atlantide"));
            seen[line]++;
        }
        if (line == 3 && !strcmp(type, "hit"))
            assert_string_equal(str(o, "id"), "53-ambition-sante-53");
        if (line == 5 && !strcmp(type, "summary"))
            assert_non_null(strstr(str(o, "notice"), "unbalanced quote"));
    }
    for (long l = 1; l <= 6; l++)
        assert_int_equal(seen[l], l == 2 ? 0 : 1);
    assert_non_null(strstr(err, "line 4: unknown département 'atlantide'"));
    assert_non_null(strstr(err, "line 5: unbalanced quote at column 5"));
    json_decref(lines);
    free(out);
    free(err);

    /* From standard input; every query matching: 0; none: 1. */
    char cmd[8400];
    snprintf(cmd, sizeof cmd,
             "printf 'Vesoul\\nlogement Loiret\\n' | '%s' --index '%s' --no-facets --batch -",
             query_bin, index_path);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    assert_int_equal(t_run(argv, NULL, &out, &err), 0);
    lines = ct_json_lines(out);
    assert_string_equal(str(json_array_get(lines, 0), "id"),
                        "70-la-maison-des-stagiaires-du-bassin-vesulien");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 0), "line")), 1);
    json_t *last = json_array_get(lines, json_array_size(lines) - 1);
    assert_string_equal(str(last, "type"), "summary");
    assert_int_equal(json_integer_value(json_object_get(last, "line")), 2);
    json_decref(lines);
    free(out);
    free(err);
    f = fopen(path, "w");
    fputs("xylophonistes\nzzzqqq\n", f);
    fclose(f);
    assert_int_equal(query(&out, &err, "--batch", path, NULL), 1);
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--batch", path, "santé", NULL), 2);
    assert_non_null(strstr(err, "--batch takes its queries from FILE"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--batch", "/nonexistent/q.txt", NULL), 2);
    assert_non_null(strstr(err, "cannot read /nonexistent/q.txt"));
    free(out);
    free(err);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* A synonyms table beside the index is read at run time, a bad line of it
 * a warning with file and line; --synonyms FILE reads another instead. */
static void test_synonyms_file(void **state)
{
    (void)state;
    char *out, *err;
    query(&out, &err, "--json", "yourte", NULL); /* a suggestion may find something */
    assert_null(strstr(out, "70-la-maison-des-stagiaires-du-bassin-vesulien"));
    free(out);
    free(err);
    char beside[4200], other[4200];
    snprintf(beside, sizeof beside, "%s/synonyms.tsv", dir);
    snprintf(other, sizeof other, "%s/other.tsv", dir);
    write_text(beside, "# local words\ncolocation\tyourte\norphelin\n");
    write_text(other, "chambre\tyourte\n");
    assert_int_equal(query(&out, &err, "--json", "--explain", "yourte", NULL), 0);
    assert_non_null(strstr(out, "\"id\":\"70-la-maison-des-stagiaires-du-bassin-vesulien\""));
    assert_non_null(strstr(out, "\"synonym\":\"colocation\""));
    assert_non_null(strstr(err, "synonyms.tsv:3: warning: fewer than two expressions"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--json", "--explain", "--synonyms", other, "yourte", NULL), 0);
    assert_non_null(strstr(out, "\"synonym\":\"chambre\""));
    assert_null(strstr(out, "\"synonym\":\"colocation\""));
    assert_null(strstr(err, "warning"));
    free(out);
    free(err);
    assert_int_equal(unlink(beside), 0);
    assert_int_equal(unlink(other), 0);
    assert_int_equal(query(&out, &err, "--synonyms", other, "yourte", NULL), 2);
    assert_non_null(strstr(err, "other.tsv"));
    free(out);
    free(err);
}

/* A category the words name is shown as such, in text and JSON. */
static void test_category_explain(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(query(&out, &err, "--explain", "--no-facets", "télémédecine", NULL), 0);
    assert_non_null(strstr(out, "Medicobus"));
    assert_non_null(strstr(out, "cat:telemedecine (category of télémédecine)"));
    free(out);
    free(err);
    assert_int_equal(query(&out, &err, "--explain", "--json", "télémédecine", NULL), 0);
    assert_non_null(strstr(out, "\"query\":\"cat:telemedecine\",\"kind\":\"category\""));
    assert_non_null(strstr(out, "\"of\":\"télémédecine\""));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_snippets),
        cmocka_unit_test(test_text_highlights),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_like),
        cmocka_unit_test(test_suggestion),
        cmocka_unit_test(test_notice_and_errors),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_synonyms_file),
        cmocka_unit_test(test_category_explain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
