/* Snippets: the window chosen, cut at word boundaries, and highlight
 * ranges that cover exactly the words matching the query's terms. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/analyzer.h"
#include "oasis.h"
#include "search/snippet.h"
#include "snippet_patterns.h"
#include "testutil.h"

#define ELLIPSIS "\xE2\x80\xA6"

static oa_analyzer *an;

static int setup(void **state)
{
    (void)state;
    return oa_analyzer_new(&an);
}

static int teardown(void **state)
{
    (void)state;
    oa_analyzer_free(an);
    return 0;
}

static int in_pattern(const char *term, const t_patterns *ps)
{
    for (size_t k = 0; k < ps->n; k++)
        for (size_t j = 0; j < ps->p[k].n; j++)
            if (!strcmp(term, ps->p[k].term[j]) || (ps->p[k].alt[j] && !strcmp(term, ps->p[k].alt[j])))
                return 1;
    return 0;
}

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The snippet's invariants against its text: highlights in order, on
 * character boundaries, each one's words all matching some pattern's
 * terms and nothing matching left out; each window a piece of the text
 * (line breaks as spaces) cut between words. */
static void check_snippet(const char *text, const oa_snippet *s, const t_patterns *ps, size_t max)
{
    assert_int_equal(strlen(s->text), s->len);
    size_t prev = 0;
    for (size_t i = 0; i < s->n_hl; i++) {
        const oasis_range *r = &s->hl[i];
        assert_true(r->start >= prev && r->start < r->end && r->end <= s->len);
        assert_true(((unsigned char)s->text[r->start] & 0xC0) != 0x80);
        assert_true(r->end == s->len || ((unsigned char)s->text[r->end] & 0xC0) != 0x80);
        oa_tokens t = OA_TOKENS_INIT;
        assert_int_equal(oa_analyze(an, s->text + r->start, r->end - r->start, 0, &t), 0);
        assert_true(t.n > 0);
        for (size_t k = 0; k < t.n; k++)
            if (!t.v[k].alt && !in_pattern(t.v[k].term, ps))
                fail_msg("highlight '%.*s' holds '%s', no term of the query",
                         (int)(r->end - r->start), s->text + r->start, t.v[k].term);
        oa_tokens_free(&t);
        prev = r->end;
    }
    /* Outside the highlights, no word of a one-word pattern. */
    oa_tokens all = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(an, s->text, s->len, 0, &all), 0);
    for (size_t k = 0; k < all.n; k++) {
        int lit = 0;
        for (size_t i = 0; i < s->n_hl && !lit; i++)
            lit = all.v[k].start >= s->hl[i].start && all.v[k].end <= s->hl[i].end;
        for (size_t p = 0; p < ps->n && !lit; p++)
            if (ps->p[p].n == 1 && (!strcmp(all.v[k].term, ps->p[p].term[0]) ||
                                    (ps->p[p].alt[0] && !strcmp(all.v[k].term, ps->p[p].alt[0]))))
                fail_msg("'%.*s' matches but is not highlighted", (int)(all.v[k].end - all.v[k].start),
                         s->text + all.v[k].start);
    }
    oa_tokens_free(&all);
    /* The windows: pieces of the text between the ellipses. */
    char *flat = strdup(text);
    for (char *p = flat; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
    char *snip = strdup(s->text);
    char *from = snip;
    if (!strncmp(from, ELLIPSIS, 3))
        from += 3;
    size_t tl = strlen(from);
    if (tl >= 3 && !strcmp(from + tl - 3, ELLIPSIS))
        from[tl - 3] = '\0';
    size_t windows = 0;
    for (char *w = from, *gap; w; w = gap ? gap + 5 : NULL) {
        gap = strstr(w, " " ELLIPSIS " ");
        if (gap)
            *gap = '\0';
        char *at = strstr(flat, w);
        if (!at)
            fail_msg("'%s' is not a piece of the text", w);
        size_t off = (size_t)(at - flat), wl = strlen(w);
        if (off > 0)
            assert_false(word_byte((unsigned char)flat[off - 1]) && word_byte((unsigned char)w[0]));
        if (off + wl < strlen(flat))
            assert_false(word_byte((unsigned char)flat[off + wl]) && wl && word_byte((unsigned char)w[wl - 1]));
        assert_true(wl <= max + max / 2);
        windows++;
    }
    assert_true(windows <= 2);
    free(snip);
    free(flat);
}

static void make(const char *text, const char *spec, size_t max, oa_snippet *s, t_patterns *ps)
{
    t_make_patterns(an, spec, ps);
    assert_int_equal(oa_snippet_make(an, text, strlen(text), ps->p, ps->n, max, s), 0);
    check_snippet(text, s, ps, max);
}

static char *hl_text(const oa_snippet *s, size_t i)
{
    return strndup(s->text + s->hl[i].start, s->hl[i].end - s->hl[i].start);
}

/* Matching is by analysed term: inflections, case and accents. */
static void test_by_term(void **state)
{
    (void)state;
    oa_snippet s;
    t_patterns ps;
    make("Le Département met à disposition 16 logements pour les Médecins internes.",
         "logement|medecins", 200, &s, &ps);
    assert_int_equal(s.n_hl, 2);
    char *a = hl_text(&s, 0), *b = hl_text(&s, 1);
    assert_string_equal(a, "logements");
    assert_string_equal(b, "Médecins");
    /* The whole text fits: no ellipsis. */
    assert_null(strstr(s.text, ELLIPSIS));
    free(a);
    free(b);
    oa_snippet_free(&s);
    t_free_patterns(&ps);
}

/* A phrase is one highlight, and only where its words are adjacent. */
static void test_phrase(void **state)
{
    (void)state;
    oa_snippet s;
    t_patterns ps;
    make("La santé de la maison. Le Département affiche 28 maisons de santé en activité.",
         "maison de santé", 200, &s, &ps);
    assert_int_equal(s.n_hl, 1);
    char *a = hl_text(&s, 0);
    assert_string_equal(a, "maisons de santé");
    free(a);
    oa_snippet_free(&s);
    t_free_patterns(&ps);
}

/* A long text: the window around the matches, cut between words, the
 * sentence start kept when near. */
static void test_window(void **state)
{
    (void)state;
    char text[4096] = "";
    for (int i = 0; i < 30; i++)
        strcat(text, "Des phrases sans rapport avec la question posée ici. ");
    strcat(text, "Le bus ophtalmologique passera dans le Montargois. ");
    for (int i = 0; i < 30; i++)
        strcat(text, "Encore des phrases sans rapport avec rien du tout. ");
    oa_snippet s;
    t_patterns ps;
    make(text, "bus|ophtalmologie", 120, &s, &ps);
    assert_int_equal(s.n_hl, 2);
    assert_true(strncmp(s.text, ELLIPSIS "Le bus", strlen(ELLIPSIS "Le bus")) == 0);
    assert_true(s.len >= 3 && !strcmp(s.text + s.len - 3, ELLIPSIS));
    assert_true(s.len <= 120 + 6);
    oa_snippet_free(&s);
    t_free_patterns(&ps);
}

/* Matched words far apart: a second window after " … ". */
static void test_two_windows(void **state)
{
    (void)state;
    char text[8192] = "Le bus médical passe dans les villages. ";
    for (int i = 0; i < 40; i++)
        strcat(text, "Des phrases sans rapport avec la question posée. ");
    strcat(text, "Une téléconsultation est possible en pharmacie. ");
    for (int i = 0; i < 10; i++)
        strcat(text, "Encore des phrases. ");
    oa_snippet s;
    t_patterns ps;
    make(text, "bus|téléconsultation", 160, &s, &ps);
    assert_int_equal(s.n_hl, 2);
    assert_non_null(strstr(s.text, " " ELLIPSIS " "));
    assert_true(strncmp(s.text, "Le bus", 6) == 0);
    oa_snippet_free(&s);
    t_free_patterns(&ps);
}

static void test_no_match_and_empty(void **state)
{
    (void)state;
    oa_snippet s;
    t_patterns ps;
    make("Un texte assez long pour être coupé avant la fin, entre deux mots bien sûr.",
         "xylophone", 30, &s, &ps);
    assert_int_equal(s.n_hl, 0);
    assert_true(strncmp(s.text, "Un texte assez long", 19) == 0);
    assert_true(!strcmp(s.text + s.len - 3, ELLIPSIS));
    oa_snippet_free(&s);
    t_free_patterns(&ps);
    make("", "santé", 200, &s, &ps);
    assert_string_equal(s.text, "");
    assert_int_equal(s.n_hl, 0);
    oa_snippet_free(&s);
    t_free_patterns(&ps);
    /* A short text is shown whole; line breaks become spaces. */
    make("santé\nmédecins", "médecin", 200, &s, &ps);
    assert_string_equal(s.text, "santé médecins");
    assert_int_equal(s.n_hl, 1);
    assert_int_equal(s.hl[0].start, 7);
    oa_snippet_free(&s);
    t_free_patterns(&ps);
    /* Invalid UTF-8 is an error, not a snippet. */
    t_make_patterns(an, "santé", &ps);
    assert_int_equal(oa_snippet_make(an, "sant\xff", 5, ps.p, ps.n, 100, &s), OASIS_EFORMAT);
    t_free_patterns(&ps);
}

/* The corpus's longest text, with many query terms: every invariant. */
static void test_corpus_text(void **state)
{
    (void)state;
    char *data = t_read_file(t_source_path("corpus/records-departements-initiatives.txt"), NULL);
    const char *specs[] = {"logement|internes", "bus|ophtalmologie|prévention",
                           "appel à projets|santé", "étudiants|bourses|installation",
                           "Loiret|enfant|consultation"};
    for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++) {
        for (size_t max = 60; max <= 300; max += 80) {
            oa_snippet s;
            t_patterns ps;
            make(data, specs[k], max, &s, &ps);
            assert_true(s.n_hl > 0);
            oa_snippet_free(&s);
            t_free_patterns(&ps);
        }
    }
    free(data);
}

/* Through a cache kept across texts (the searcher's), a snippet is the
 * one a fresh read gives: same text, same highlights. The texts are the
 * corpus's lines, so chunks ("la", "santé,") recur; a phrase across
 * a line break and runs of spaces still matches at consecutive positions. */
static void test_cache(void **state)
{
    (void)state;
    oa_snippet_cache *cache;
    assert_int_equal(oa_snippet_cache_new(&cache), 0);
    char *data = t_read_file(t_source_path("corpus/records-departements-initiatives.txt"), NULL);
    const char *specs[] = {"logement|internes", "santé|prévention", "appel à projets|santé",
                           "maison de santé|médecins", "étudiants|bourses|installation"};
    size_t compared = 0, highlighted = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++) {
            t_patterns ps;
            t_make_patterns(an, specs[k], &ps);
            for (char *p = data; p && *p;) {
                char *next = strchr(p, '\n');
                size_t len = next ? (size_t)(next - p) : strlen(p);
                oa_snippet a, b;
                assert_int_equal(oa_snippet_make(an, p, len, ps.p, ps.n, 60, &a), 0);
                assert_int_equal(
                    oa_snippet_make_cached(cache, an, p, len, ps.p, ps.n, 60, &b), 0);
                assert_string_equal(a.text, b.text);
                assert_int_equal(a.n_hl, b.n_hl);
                for (size_t i = 0; i < a.n_hl; i++) {
                    assert_int_equal(a.hl[i].start, b.hl[i].start);
                    assert_int_equal(a.hl[i].end, b.hl[i].end);
                }
                compared++;
                highlighted += a.n_hl;
                oa_snippet_free(&a);
                oa_snippet_free(&b);
                p = next ? next + 1 : NULL;
            }
            t_free_patterns(&ps);
        }
    }
    assert_true(compared > 20);
    assert_true(highlighted > 20);
    /* A phrase over a line break and spaces; invalid UTF-8 through the cache. */
    t_patterns ps;
    oa_snippet s;
    t_make_patterns(an, "maison de santé", &ps);
    const char *text = "Une maison\n   de  santé ouvre.";
    assert_int_equal(oa_snippet_make_cached(cache, an, text, strlen(text), ps.p, ps.n, 200, &s), 0);
    assert_int_equal(s.n_hl, 1);
    assert_int_equal(s.hl[0].start, 4);
    assert_int_equal(s.hl[0].end, strlen("Une maison    de  santé"));
    oa_snippet_free(&s);
    assert_int_equal(oa_snippet_make_cached(cache, an, "maison sant\xc3", 12, ps.p, ps.n, 100, &s),
                     OASIS_EFORMAT);
    t_free_patterns(&ps);
    free(data);
    oa_snippet_cache_free(cache);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_term),
        cmocka_unit_test(test_phrase),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_two_windows),
        cmocka_unit_test(test_no_match_and_empty),
        cmocka_unit_test(test_corpus_text),
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
