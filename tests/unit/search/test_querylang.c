/* The query language on the corpus: each query form ranks the initiatives
 * it should (tests/data/query_corpus.tsv), malformed queries are answered,
 * huge ones too, and --explain, places, synonyms and --like tell what they
 * did. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oasis.h"
#include "testutil.h"
#include "util/error.h"

static char *dir;
static oasis_searcher *s;

static int setup(void **state)
{
    (void)state;
    s = t_corpus_searcher(&dir, NULL, 0);
    return s ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    oasis_searcher_free(s);
    t_rmtree(dir);
    free(dir);
    return 0;
}

static oasis_results *search(const char *q, size_t limit, int explain)
{
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = limit;
    o.explain = explain;
    o.proximity = 1; /* the ranking, snippets and suggestions of oasis-query */
    o.snippet_bytes = 200;
    o.suggest = 1;
    oasis_results *r = NULL;
    if (oasis_search(s, q, &o, &r) != 0)
        fail_msg("'%s': %s", q, oasis_error_last());
    return r;
}

/* 1 when some hit of r has this id. */
static int has_hit(const oasis_results *r, const char *id)
{
    for (size_t i = 0; i < oasis_results_hit_count(r); i++)
        if (!strcmp(oasis_results_hit_at(r, i)->id, id))
            return 1;
    return 0;
}

/* Checks r against the expectations of one data line; returns a message
 * (static) or NULL. */
static const char *check(const oasis_results *r, char *top, const char *total, char *absent)
{
    static char why[512];
    size_t rank = 0;
    if (strcmp(top, "-")) {
        char *save = NULL;
        for (char *block = strtok_r(top, ",", &save); block; block = strtok_r(NULL, ",", &save)) {
            /* A block of ids: the next hits, in any order. */
            char *ids[8];
            size_t n = 0;
            char *s2 = NULL;
            for (char *id = strtok_r(block, "|", &s2); id && n < 8; id = strtok_r(NULL, "|", &s2))
                ids[n++] = id;
            for (size_t k = 0; k < n; k++) {
                const oasis_hit *h = oasis_results_hit_at(r, rank + k);
                int found = 0;
                for (size_t j = 0; j < n && h && !found; j++)
                    found = !strcmp(h->id, ids[j]);
                if (!found) {
                    snprintf(why, sizeof why, "rank %zu is %s, not one of %s%s", rank + k + 1,
                             h ? h->id : "nothing", ids[0], n > 1 ? "|…" : "");
                    return why;
                }
            }
            rank += n;
        }
    }
    size_t t = oasis_results_total(r);
    if (!strncmp(total, ">=", 2) ? t < strtoul(total + 2, NULL, 10)
                                 : strcmp(total, "-") && t != strtoul(total, NULL, 10)) {
        snprintf(why, sizeof why, "total %zu, expected %s", t, total);
        return why;
    }
    if (strcmp(absent, "-")) {
        char *save = NULL;
        for (char *id = strtok_r(absent, ",", &save); id; id = strtok_r(NULL, ",", &save))
            if (has_hit(r, id)) {
                snprintf(why, sizeof why, "%s should not be found", id);
                return why;
            }
    }
    return NULL;
}

static void test_corpus_cases(void **state)
{
    (void)state;
    char *data = t_read_file(t_source_path("tests/data/query_corpus.tsv"), NULL);
    int lineno = 0, cases = 0, failures = 0;
    char *cursor = data, *line;
    while ((line = t_next_row(&cursor, &lineno)) != NULL) {
        char *f[4];
        assert_int_equal(t_split_tabs(line, f, 4), 4);
        oasis_results *r = search(f[0], 50, 0);
        const char *why = check(r, f[1], f[2], f[3]);
        if (why) {
            printf("query_corpus.tsv:%d: '%s': %s\n", lineno, f[0], why);
            failures++;
        }
        assert_null(oasis_results_notice(r));
        oasis_results_free(r);
        cases++;
    }
    free(data);
    assert_true(cases >= 40);
    assert_int_equal(failures, 0);
}

/* The question ranks as its keywords do. */
static void test_question_is_keywords(void **state)
{
    (void)state;
    oasis_results *q = search("Quels départements proposent un logement aux étudiants en médecine ?", 10, 0);
    oasis_results *k = search("logement étudiants médecine", 10, 0);
    assert_int_equal(oasis_results_total(q), oasis_results_total(k));
    assert_int_equal(oasis_results_hit_count(q), oasis_results_hit_count(k));
    for (size_t i = 0; i < oasis_results_hit_count(q); i++)
        assert_string_equal(oasis_results_hit_at(q, i)->id, oasis_results_hit_at(k, i)->id);
    oasis_results_free(q);
    oasis_results_free(k);
}

/* The apostrophes the analyzer reads (' ’ ‘ ʼ ′) are one: a query gives
 * the same hits, scores and total with each, and a misspelt word after an
 * elided article is corrected with the article kept as typed. */
static void test_apostrophes(void **state)
{
    (void)state;
    static const char *const apostrophes[] = {"'", "\xE2\x80\x99", "\xE2\x80\x98", "\xCA\xBC",
                                              "\xE2\x80\xB2"};
    static const char *const queries[] = {"l%sinstallation des médecins", "l%satractivité",
                                          "Qu%sest-ce que l%sattractivité ?"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        char text[128];
        snprintf(text, sizeof text, queries[q], "'", "'");
        oasis_results *ref = search(text, 10, 1);
        assert_true(oasis_results_total(ref) > 0);
        for (size_t k = 1; k < sizeof apostrophes / sizeof apostrophes[0]; k++) {
            snprintf(text, sizeof text, queries[q], apostrophes[k], apostrophes[k]);
            oasis_results *r = search(text, 10, 1);
            assert_int_equal(oasis_results_total(r), oasis_results_total(ref));
            assert_int_equal(oasis_results_hit_count(r), oasis_results_hit_count(ref));
            for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
                const oasis_hit *a = oasis_results_hit_at(r, i), *b = oasis_results_hit_at(ref, i);
                assert_string_equal(a->id, b->id);
                assert_true(a->score == b->score);
                assert_int_equal(a->n_matches, b->n_matches);
                assert_int_equal(a->n_highlights, b->n_highlights);
            }
            assert_int_equal(oasis_results_corrected(r), oasis_results_corrected(ref));
            const char *want = oasis_results_suggestion(ref);
            if (want) {
                /* l'attractivite: the article as typed, then the word. */
                char expect[128];
                snprintf(expect, sizeof expect, "l%s%s", apostrophes[k], want + 2);
                assert_non_null(oasis_results_suggestion(r));
                assert_string_equal(oasis_results_suggestion(r), expect);
            } else {
                assert_null(oasis_results_suggestion(r));
            }
            oasis_results_free(r);
        }
        oasis_results_free(ref);
    }
}

/* A place no initiative is in says so, is not corrected, and leaves the
 * other words' hits; a région outranks a commune of its name. */
static void test_place_notice(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Corse", "no initiative in Corse"},
        {"Bretagne", "no initiative in Bretagne"},
        {"Creuse", "no initiative in Creuse"},
        {"logement en Corse", "no initiative in Corse"},
        {"PACA", NULL},
        {"Pays de la Loire", NULL},
        /* a stop word elsewhere ("il aura"), a région with its capital */
        {"AURA", NULL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oasis_results *r = search(cases[i][0], 10, 0);
        const char *notice = oasis_results_notice(r);
        if (cases[i][1]) {
            assert_non_null(notice);
            assert_string_equal(notice, cases[i][1]);
        } else {
            assert_null(notice);
        }
        assert_null(oasis_results_suggestion(r));
        assert_int_equal(oasis_results_corrected(r), 0);
        assert_true(oasis_results_place_count(r) > 0);
        const oasis_place *p = oasis_results_place_at(r, 0);
        assert_non_null(p->departement);
        if (i == 1) {
            /* Bretagne the région (four départements), not Indre's commune. */
            assert_int_equal(oasis_results_place_count(r), 4);
            assert_non_null(p->region);
            assert_string_equal(p->region->code, "53");
            assert_null(p->commune);
            assert_int_equal(oasis_results_hit_count(r), 0);
        }
        if (i == 3)
            assert_true(oasis_results_hit_count(r) > 0);
        oasis_results_free(r);
    }
}

/* Each query form gives its words' weights, whose sum is the score. */
static void test_explain(void **state)
{
    (void)state;
    static const char *const queries[] = {
        "logement internes", "\"maison de santé\" santé", "hebergement stagiaires", "médec*",
        "titre:santé", "Que fait le Tarn pour attirer des médecins ?", "logement Vesoul",
        "maisons de santé 53", "+bus ophtalmologie", "télémédecine", "logement Loiret"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        oasis_results *r = search(queries[q], 10, 1);
        assert_true(oasis_results_hit_count(r) > 0);
        for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
            const oasis_hit *h = oasis_results_hit_at(r, i);
            double sum = 0;
            assert_true(h->n_matches > 0);
            for (size_t j = 0; j < h->n_matches; j++) {
                const oasis_match *m = &h->matches[j];
                assert_non_null(m->query);
                assert_true(m->weight >= 0);
                assert_true((m->kind == OASIS_MATCH_SYNONYM || m->kind == OASIS_MATCH_CATEGORY) ==
                            (m->of != NULL));
                if (m->kind != OASIS_MATCH_PLACE && m->kind != OASIS_MATCH_CATEGORY)
                    assert_true(m->in_title || m->in_text);
                sum += m->weight;
            }
            if (fabs(sum - h->score) > 1e-6 * (1 + h->score))
                fail_msg("'%s', %s: weights add up to %g, score %g", queries[q], h->id, sum,
                         h->score);
        }
        oasis_results_free(r);
    }
    /* Where: the title only, for titre:; title and text. */
    oasis_results *r = search("titre:santé", 20, 1);
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        const oasis_match *m = &oasis_results_hit_at(r, i)->matches[0];
        assert_true(m->in_title && !m->in_text);
    }
    oasis_results_free(r);
    r = search("attractivité", 5, 1);
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    assert_string_equal(h->id, "36-l-attractivite-du-territoire-passe-par-l-attractivite");
    assert_true(h->matches[0].in_title && h->matches[0].in_text);
    assert_string_equal(h->matches[0].query, "attractivité");
    oasis_results_free(r);
    /* A synonym says what it stands for; a place adds its boost. */
    r = search("hebergement stagiaires", 10, 1);
    int synonym = 0;
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        h = oasis_results_hit_at(r, i);
        if (strcmp(h->id, "45-plan-priorite-sante"))
            continue;
        for (size_t j = 0; j < h->n_matches; j++)
            if (h->matches[j].kind == OASIS_MATCH_SYNONYM && !strcmp(h->matches[j].query, "logement")) {
                assert_string_equal(h->matches[j].of, "hebergement");
                assert_true(h->matches[j].in_text && h->matches[j].weight > 0);
                synonym = 1;
            }
    }
    assert_true(synonym);
    oasis_results_free(r);
    r = search("logement Vesoul", 10, 1);
    h = oasis_results_hit_at(r, 0);
    int place = 0;
    for (size_t j = 0; j < h->n_matches; j++)
        if (h->matches[j].kind == OASIS_MATCH_PLACE) {
            assert_string_equal(h->matches[j].query, "Vesoul");
            assert_true(h->matches[j].weight > 0);
            place = 1;
        }
    assert_true(place);
    oasis_results_free(r);
    /* Without explain, no matches. */
    r = search("logement", 10, 0);
    assert_int_equal(oasis_results_hit_at(r, 0)->n_matches, 0);
    assert_null(oasis_results_hit_at(r, 0)->matches);
    oasis_results_free(r);
}

/* The places and synonyms a query used. */
static void test_places_and_synonyms(void **state)
{
    (void)state;
    static const struct {
        const char *query, *word, *code, *commune;
    } places[] = {
        {"Que fait le Tarn pour attirer des médecins ?", "Tarn", "81", NULL},
        {"logement Loiret", "Loiret", "45", NULL},
        {"maisons de santé 53", "53", "53", NULL},
        {"Vesoul", "Vesoul", "70", "Vesoul"},
        {"santé en Loir-et-Cher", "Loir-et-Cher", "41", NULL},
        {"internes à Bourg-en-Bresse", "Bourg-en-Bresse", "01", "Bourg-en-Bresse"},
    };
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        oasis_results *r = search(places[i].query, 5, 0);
        assert_int_equal(oasis_results_place_count(r), 1);
        const oasis_place *p = oasis_results_place_at(r, 0);
        assert_string_equal(p->word, places[i].word);
        assert_string_equal(p->departement->code, places[i].code);
        if (places[i].commune)
            assert_string_equal(p->commune, places[i].commune);
        else
            assert_null(p->commune);
        assert_null(oasis_results_place_at(r, 1));
        oasis_results_free(r);
    }
    /* Not places: common words in lower case, a year. */
    static const char *const none[] = {"bus -ophtalmologie", "une somme de 100 euros", "plan 2024",
                                       "le lot de médecins"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        oasis_results *r = search(none[i], 5, 0);
        assert_int_equal(oasis_results_place_count(r), 0);
        oasis_results_free(r);
    }
    /* Places can be turned off. */
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.places = 0;
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(s, "logement Loiret", &o, &r), 0);
    assert_int_equal(oasis_results_place_count(r), 0);
    /* Loiret, and the three others that say logement or a synonym. */
    assert_int_equal(oasis_results_total(r), 4);
    oasis_results_free(r);

    /* Each word's synonyms in query order, the preferred expression of its
     * line first, then the other members. */
    r = search("hebergement stagiaires", 5, 0);
    size_t ns = oasis_results_synonym_count(r), first_stagiaires = ns;
    assert_true(ns > 2);
    assert_string_equal(oasis_results_synonym_at(r, 0)->word, "hebergement");
    assert_string_equal(oasis_results_synonym_at(r, 0)->synonym, "logement");
    for (size_t i = 0; i < ns; i++) {
        const oasis_synonym *y = oasis_results_synonym_at(r, i);
        if (!strcmp(y->word, "stagiaires") && first_stagiaires == ns)
            first_stagiaires = i;
        assert_string_equal(y->word, i < first_stagiaires ? "hebergement" : "stagiaires");
        assert_true(strcmp(y->synonym, "hébergement") != 0);
    }
    assert_true(first_stagiaires > 1 && first_stagiaires < ns);
    assert_string_equal(oasis_results_synonym_at(r, first_stagiaires)->synonym, "interne");
    assert_null(oasis_results_synonym_at(r, ns));
    oasis_results_free(r);
    /* Two ways: a preferred expression finds its variants. */
    r = search("logement", 5, 0);
    int colocation = 0;
    for (size_t i = 0; i < oasis_results_synonym_count(r); i++)
        colocation |= !strcmp(oasis_results_synonym_at(r, i)->synonym, "colocation");
    assert_true(colocation);
    oasis_results_free(r);
    /* The word typed weighs more than its synonym: the two initiatives
     * that have "hébergé(ment)" rank before those that say "logement". */
    r = search("hebergement", 5, 0);
    assert_true(oasis_results_total(r) >= 4);
    for (size_t i = 0; i < 2; i++) {
        const char *id = oasis_results_hit_at(r, i)->id;
        assert_true(!strcmp(id, "70-la-maison-des-stagiaires-du-bassin-vesulien") ||
                    !strcmp(id, "13-le-plan-departemental-sport-sante-bien-etre"));
    }
    oasis_results_free(r);
    o.places = 1;
    o.synonyms = 0;
    assert_int_equal(oasis_search(s, "hebergement", &o, &r), 0);
    assert_int_equal(oasis_results_synonym_count(r), 0);
    assert_int_equal(oasis_results_total(r), 2);
    oasis_results_free(r);
}

/* Snippets highlight the matched words of each hit. */
static void test_snippets(void **state)
{
    (void)state;
    oasis_results *r = search("logement internes", 10, 0);
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    assert_non_null(h->snippet);
    assert_true(h->n_highlights >= 2);
    int logements = 0;
    for (size_t i = 0; i < h->n_highlights; i++) {
        const oasis_range *g = &h->highlights[i];
        assert_true(g->start < g->end && g->end <= strlen(h->snippet));
        /* "logements", or the phrase "logements pour les internes". */
        logements |= g->end - g->start >= 9 && !strncmp(h->snippet + g->start, "logements", 9);
    }
    assert_true(logements);
    oasis_results_free(r);
    /* An initiative without text: an empty snippet. */
    r = search("\"conforter l'offre médicale\"", 10, 0);
    assert_int_equal(oasis_results_hit_count(r), 1);
    assert_string_equal(oasis_results_hit_at(r, 0)->snippet, "");
    oasis_results_free(r);
    /* Off unless asked for. */
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    assert_int_equal(o.snippet_bytes, 0);
    assert_int_equal(oasis_search(s, "logement", &o, &r), 0);
    assert_null(oasis_results_hit_at(r, 0)->snippet);
    assert_int_equal(oasis_results_hit_at(r, 0)->n_highlights, 0);
    oasis_results_free(r);
}

static void test_like(void **state)
{
    (void)state;
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.like = "70-la-maison-des-stagiaires-du-bassin-vesulien";
    o.explain = 1;
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(s, "", &o, &r), 0);
    assert_true(oasis_results_hit_count(r) >= 2);
    /* Housing for interns elsewhere: Indre and Loiret. */
    const char *a = oasis_results_hit_at(r, 0)->id, *b = oasis_results_hit_at(r, 1)->id;
    assert_true((!strcmp(a, "36-l-attractivite-du-territoire-passe-par-l-attractivite") &&
                 !strcmp(b, "45-plan-priorite-sante")) ||
                (!strcmp(b, "36-l-attractivite-du-territoire-passe-par-l-attractivite") &&
                 !strcmp(a, "45-plan-priorite-sante")));
    assert_false(has_hit(r, o.like));
    assert_true(oasis_results_hit_at(r, 0)->n_matches > 0);
    oasis_results_free(r);
    /* Filters apply. */
    const char *dept[] = {"45"};
    o.departements = dept;
    o.n_departements = 1;
    assert_int_equal(oasis_search(s, NULL, &o, &r), 0);
    assert_int_equal(oasis_results_total(r), 1);
    assert_string_equal(oasis_results_hit_at(r, 0)->id, "45-plan-priorite-sante");
    oasis_results_free(r);
    /* An unknown id; words besides. */
    o.n_departements = 0;
    o.like = "99-nowhere";
    assert_int_equal(oasis_search(s, "", &o, &r), OASIS_ENOTFOUND);
    assert_non_null(strstr(oasis_error_last(), "99-nowhere"));
    assert_null(r);
    o.like = "06-medicobus";
    assert_int_equal(oasis_search(s, "bus", &o, &r), OASIS_EINVAL);
    assert_null(r);
}

/* Only an unknown facet value in the query is an error. */
static void test_unknown_values(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"santé dept:atlantide", "unknown département 'atlantide' in the query (column 7"},
        {"region:mars", "unknown région 'mars' in the query (column 1"},
        {"logement (cat:telepathie OR bus)", "unknown category 'telepathie'"},
        {"santé -dept:\"loir et seine\"", "unknown département 'loir et seine'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oasis_results *r = NULL;
        assert_int_equal(oasis_search(s, bad[i][0], NULL, &r), OASIS_EINVAL);
        assert_null(r);
        if (!strstr(oasis_error_last(), bad[i][1]))
            fail_msg("'%s': '%s' lacks '%s'", bad[i][0], oasis_error_last(), bad[i][1]);
    }
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(s, "sant\xe9", NULL, &r), OASIS_EFORMAT);
}

/* The notices one by one: the kind of each, what it is about, and the
 * line of oasis_results_notice() made of their texts in order. */
static void expect_notices(const char *q, const oasis_notice *want, size_t n)
{
    oasis_results *r = search(q, 10, 0);
    assert_int_equal(oasis_results_notice_count(r), n);
    assert_null(oasis_results_notice_at(r, n));
    char line[1024] = "";
    for (size_t i = 0; i < n; i++) {
        const oasis_notice *got = oasis_results_notice_at(r, i);
        assert_non_null(got);
        assert_int_equal(got->kind, want[i].kind);
        assert_string_equal(got->text, want[i].text);
        if (want[i].detail)
            assert_string_equal(got->detail, want[i].detail);
        else
            assert_null(got->detail);
        assert_int_equal(got->column, want[i].column);
        assert_int_equal(got->count, want[i].count);
        if (i)
            strcat(line, "; ");
        strcat(line, got->text);
    }
    if (n)
        assert_string_equal(oasis_results_notice(r), line);
    else
        assert_null(oasis_results_notice(r));
    oasis_results_free(r);
}

static void test_structured_notices(void **state)
{
    (void)state;
    expect_notices("logement", NULL, 0);
    const oasis_notice corse[] = {
        {OASIS_NOTICE_NO_INITIATIVE, "no initiative in Corse", "Corse", 0, 0}};
    expect_notices("logement en Corse", corse, 1);
    const oasis_notice stop[] = {
        {OASIS_NOTICE_NOTHING_TO_SEARCH,
         "nothing to search: only words too common to search (stop words) or punctuation", NULL,
         0, 0}};
    expect_notices("le la les", stop, 1);
    const oasis_notice plain[] = {
        {OASIS_NOTICE_PLAIN_WORDS,
         "'AND' with nothing after it at column 19: the query was read as plain words",
         "'AND' with nothing after it", 19, 0},
        {OASIS_NOTICE_NO_INITIATIVE, "no initiative in Haute-Corse", "Haute-Corse", 0, 0}};
    expect_notices("Haute-Corse santé AND", plain, 2);
    char many[1024] = "";
    for (int i = 0; i < 70; i++)
        strcat(many, "mot ");
    const oasis_notice cut[] = {
        {OASIS_NOTICE_WORDS_CUT, "the query has more than 64 words: only the first 64 were used",
         NULL, 0, 64}};
    expect_notices(many, cut, 1);
}

/* Every malformed query of the parser's cases is answered, with a notice. */
static void test_malformed_answered(void **state)
{
    (void)state;
    char *data = t_read_file(t_source_path("tests/data/query_parse.tsv"), NULL);
    int malformed = 0;
    char *cursor = data, *line;
    while ((line = t_next_row(&cursor, NULL)) != NULL) {
        char *tab = strchr(line, '\t');
        char *col = tab ? strrchr(tab, '\t') : NULL;
        if (!tab || !col || !strcmp(col + 1, "-"))
            continue;
        *tab = '\0';
        oasis_results *r = NULL;
        if (oasis_search(s, line, NULL, &r) != 0)
            fail_msg("'%s': %s", line, oasis_error_last());
        assert_non_null(oasis_results_notice(r));
        char want[32];
        snprintf(want, sizeof want, "at column %s:", col + 1);
        if (!strstr(oasis_results_notice(r), want))
            fail_msg("'%s': notice '%s' lacks '%s'", line, oasis_results_notice(r), want);
        oasis_results_free(r);
        malformed++;
    }
    free(data);
    assert_true(malformed >= 25);
    /* Read as plain words: the malformed query finds what its words do. */
    oasis_results *a = search("\"sport sur ordonnance", 10, 0), *b = search("sport ordonnance", 10, 0);
    assert_int_equal(oasis_results_total(a), oasis_results_total(b));
    assert_string_equal(oasis_results_hit_at(a, 0)->id, oasis_results_hit_at(b, 0)->id);
    oasis_results_free(a);
    oasis_results_free(b);
}

/* Huge queries are answered: 100,000 brackets, a megabyte, 10,000 words. */
static void test_huge(void **state)
{
    (void)state;
    char *qs[] = {t_repeat("(", 100000, "santé"), t_repeat(")", 100000, "santé"),
                  t_repeat("NOT ", 100000, "santé"), t_repeat("médecin", 150000, ""),
                  t_repeat("logement santé ", 5000, ""), t_repeat("\"a", 30000, "")};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        oasis_results *r = NULL;
        if (oasis_search(s, qs[i], NULL, &r) != 0)
            fail_msg("huge query %zu: %s", i, oasis_error_last());
        oasis_results_free(r);
        free(qs[i]);
    }
}

/* Options: the init functions, and a struct of another version is
 * refused. */
static void test_options_versions(void **state)
{
    (void)state;
    oasis_search_options o, init = OASIS_SEARCH_OPTIONS_INIT;
    memset(&o, 0xff, sizeof o);
    oasis_search_options_init(&o);
    assert_int_equal(o.version, init.version);
    assert_int_equal(o.limit, init.limit);
    assert_int_equal(o.offset, init.offset);
    assert_null(o.departements);
    assert_null(o.like);
    assert_int_equal(o.synonyms, init.synonyms);
    assert_int_equal(o.places, init.places);
    assert_int_equal(o.snippet_bytes + o.suggest + o.exact_total + o.proximity + o.facets, 0);
    oasis_search_options_init_reader(&o);
    assert_true(o.facets && o.exact_total && o.proximity && o.suggest);
    assert_int_equal(o.snippet_bytes, 200);
    oasis_results *r = NULL;
    assert_int_equal(oasis_search(s, "santé", &o, &r), 0);
    assert_non_null(oasis_results_hit_at(r, 0)->snippet);
    assert_true(oasis_results_total_exact(r));
    oasis_results_free(r);
    for (unsigned v = 1; v <= OASIS_SEARCH_OPTIONS_VERSION + 1; v++) {
        if (v == OASIS_SEARCH_OPTIONS_VERSION)
            continue;
        o.version = v;
        assert_int_equal(oasis_search(s, "logement", &o, &r), OASIS_EINVAL);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_cases),
        cmocka_unit_test(test_question_is_keywords),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_place_notice),
        cmocka_unit_test(test_structured_notices),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_places_and_synonyms),
        cmocka_unit_test(test_snippets),
        cmocka_unit_test(test_like),
        cmocka_unit_test(test_unknown_values),
        cmocka_unit_test(test_malformed_answered),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_options_versions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
