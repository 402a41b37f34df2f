/* Snippets through the chunk screen (oa_snippet_make_cached(), which
 * analyses only the chunks that can hold a match) against the full
 * analysis (oa_snippet_make()): byte-identical text and highlights on the
 * corpus's texts, for many pattern sets and sizes; and the screen's
 * ground, checked on real vocabulary: a term's first two letters are
 * those of its word, folded.
 *
 * OASIS_SNIPPET_EXTRA_TEXT=path adds one more file to the vocabulary
 * check (a large corpus, by hand; not part of the suite's run). */
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
#include "util/buf.h"

static oa_analyzer *an;
static oa_snippet_cache *cache;

static int setup(void **state)
{
    (void)state;
    if (oa_analyzer_new(&an))
        return -1;
    return oa_snippet_cache_new(&cache);
}

static int teardown(void **state)
{
    (void)state;
    oa_snippet_cache_free(cache);
    oa_analyzer_free(an);
    return 0;
}

static size_t compared, highlighted;

/* The snippet both ways: the same bytes, the same highlights. */
static void same(const char *text, size_t len, const oa_pattern *p, size_t n_pat, size_t max,
                 const char *spec)
{
    oa_snippet full, screened;
    assert_int_equal(oa_snippet_make(an, text, len, p, n_pat, max, &full), 0);
    assert_int_equal(oa_snippet_make_cached(cache, an, text, len, p, n_pat, max, &screened), 0);
    int ok = full.len == screened.len && !memcmp(full.text, screened.text, full.len) &&
             full.n_hl == screened.n_hl;
    for (size_t i = 0; ok && i < full.n_hl; i++)
        ok = full.hl[i].start == screened.hl[i].start && full.hl[i].end == screened.hl[i].end;
    if (!ok)
        fail_msg("patterns '%s', max %zu, text '%.*s':\n full     (%zu hl) '%s'\n screened (%zu hl) "
                 "'%s'",
                 spec, max, (int)(len < 300 ? len : 300), text, full.n_hl, full.text,
                 screened.n_hl, screened.text);
    compared++;
    highlighted += full.n_hl;
    oa_snippet_free(&full);
    oa_snippet_free(&screened);
}

static void same_spec(const char *text, size_t len, const char *spec, size_t max)
{
    t_patterns ps;
    t_make_patterns(an, spec, &ps);
    if (ps.n)
        same(text, len, ps.p, ps.n, max, spec);
    t_free_patterns(&ps);
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static size_t exceptions;

/* Chunks already checked, by hash (a collision only skips one chunk). */
#define SEEN_SLOTS (1u << 20)
static uint64_t *seen;

static int seen_before(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    h |= 1;
    for (size_t j = (size_t)h & (SEEN_SLOTS - 1);; j = (j + 1) & (SEEN_SLOTS - 1)) {
        if (seen[j] == h)
            return 1;
        if (!seen[j]) {
            seen[j] = h;
            return 0;
        }
    }
}

/* Every word of text[0..len): its term's (and alternative's) first two
 * letters are its folded form's; and its chunk, screened for that term,
 * shows it highlighted as the full analysis does. */
static void check_vocabulary(const char *text, size_t len)
{
    oa_tokens t = OA_TOKENS_INIT;
    oa_buf plain = OA_BUF_INIT;
    for (size_t i = 0; i < len;) {
        if (is_space(text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && !is_space(text[i]))
            i++;
        const char *chunk = text + start;
        size_t clen = i - start;
        if (!oa_utf8_valid(chunk, clen, NULL) || seen_before(chunk, clen))
            continue;
        oa_tokens_clear(&t);
        assert_int_equal(oa_analyze(an, chunk, clen, 0, &t), 0);
        for (size_t k = 0; k < t.n; k++) {
            const oa_token *tk = &t.v[k];
            if (tk->compound)
                continue; /* snippets read words, not compounds */
            assert_int_equal(oa_analyzer_plain(an, chunk + tk->start, tk->end - tk->start, &plain),
                             0);
            if (tk->term_len >= 2 && plain.len >= 2 &&
                (tk->term[0] != plain.data[0] || tk->term[1] != plain.data[1])) {
                if (exceptions++ < 20)
                    print_message("term '%s' of '%.*s' (folded '%s')\n", tk->term,
                                  (int)(tk->end - tk->start), chunk + tk->start, plain.data);
            }
            oa_pattern p = {1, {tk->term}, {NULL}};
            if (!tk->alt && k + 1 < t.n && t.v[k + 1].alt && !t.v[k + 1].compound)
                p.alt[0] = t.v[k + 1].term;
            same(chunk, clen, &p, 1, 80, tk->term);
        }
    }
    oa_tokens_free(&t);
    oa_buf_free(&plain);
}

static const char *const text_files[] = {
    "corpus/records-departements-initiatives.txt",
    "corpus/listing-departements-initiatives.txt",
    "corpus/communes.tsv",
    "corpus/departements.tsv",
    "corpus/synonyms.tsv",
    "corpus/categories.tsv",
    "corpus/category-rules.tsv",
    "corpus/README.md",
    "tests/data/analyzer_cases.tsv",
    "tests/data/query_corpus.tsv",
    "tests/data/query_parse.tsv",
    "tests/data/query_places.tsv",
    "tests/data/query_suggest.tsv",
    "tests/data/category_labels.tsv",
    "tests/data/taxonomy_labels.tsv",
    "tests/data/corpus_sample.jsonl",
    "tests/data/corpus_listing_boilerplate.txt",
};
#define N_FILES (sizeof text_files / sizeof text_files[0])

static void test_vocabulary(void **state)
{
    (void)state;
    compared = highlighted = exceptions = 0;
    seen = calloc(SEEN_SLOTS, sizeof *seen);
    assert_non_null(seen);
    for (size_t f = 0; f < N_FILES; f++) {
        size_t len;
        char *data = t_read_file(t_source_path(text_files[f]), &len);
        check_vocabulary(data, len);
        free(data);
    }
    const char *extra = getenv("OASIS_SNIPPET_EXTRA_TEXT");
    if (extra && *extra) {
        size_t len;
        char *data = t_read_file(extra, &len);
        check_vocabulary(data, len);
        free(data);
    }
    free(seen);
    seen = NULL;
    print_message("%zu words checked, %zu exceptions\n", compared, exceptions);
    assert_int_equal(exceptions, 0);
    assert_true(compared > 5000);
    assert_true(highlighted >= compared);
}

/* Characters the screen reads (Latin-1 letters, œ, ß, apostrophes, soft
 * hyphen, separators) and some it does not (other scripts, combining
 * marks, ligatures), at a word's start, second place, and after an
 * elision, against terms, phrases and elided words. */
static void test_characters(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "\xC5\x92", "\xC5\x93", "\xC5\xB8", "\xC2\xAD", "\xC2\xA0", "\xC2\xAB", "\xC2\xBB",
        "\xC2\xB0", "\xC2\xA7", "\xC2\xB7", "\xC2\xB5", "\xC2\xAA", "\xC2\xB2", "\xCA\xBC",
        "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\xB2", "\xE2\x80\x93", "\xE2\x80\x94",
        "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\xA6", "\xE2\x80\xAF", "\xE2\x80\x89",
        "\xE2\x80\x8D", "\xE2\x80\x8B", "\xE2\x82\xAC", "\xCC\x81", "\xCE\xB1", "\xEF\xAC\x81",
        "\xE1\xBA\x9E", "\xC4\xB0", "\xC4\xB1", "'", "-", "(", ".", "0", "7", "A", "z",
    };
    char chars[128][8];
    size_t n = 0;
    for (unsigned c = 0x80; c <= 0xBF; c++)
        snprintf(chars[n++], 8, "\xC3%c", (char)c);
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        snprintf(chars[n++], 8, "%s", odd[i]);
    static const char *const forms[] = {
        "%stude",     "x%sole",    "%s%sment",    "l'%scole",     "d\xE2\x80\x99%sabord",
        "p%s'tit",    "qu%sil",    "%s",          "a%s",          "%sa",
        "ma%sson",    "Mai%s%son", "%s-%sgalit\xC3\xA9", "(%sphase)", "%s\xCC\x81tude",
    };
    size_t before = compared;
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            char word[64], text[256], spec[256];
            snprintf(word, sizeof word, forms[f], chars[i], chars[i], chars[i]);
            snprintf(text, sizeof text, "Une %s pour la maison de sant\xC3\xA9 et %s, %s.", word,
                     word, word);
            /* Every term of the word alone, the word as a phrase with its
             * neighbours, and a pattern never met. */
            snprintf(spec, sizeof spec, "%s|maison de sant\xC3\xA9", word);
            same_spec(text, strlen(text), spec, 200);
            same_spec(text, strlen(text), spec, 30);
            snprintf(spec, sizeof spec, "une %s|%s pour", word, word);
            same_spec(text, strlen(text), spec, 200);
            oa_tokens t = OA_TOKENS_INIT;
            assert_int_equal(oa_analyze(an, word, strlen(word), 0, &t), 0);
            for (size_t k = 0; k < t.n; k++) {
                oa_pattern p = {1, {t.v[k].term}, {NULL}};
                same(text, strlen(text), &p, 1, 200, t.v[k].term);
            }
            oa_tokens_free(&t);
        }
    }
    assert_true(compared - before > 5000);
}

/* Phrases across what the screen leaves out: stop words take no position,
 * punctuation takes none, any other word breaks the phrase. */
static void test_phrases(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "La maison de sant\xC3\xA9 ouvre. Une maison \xE2\x80\x94 sant\xC3\xA9 aussi, puis maison "
        "( de ) sant\xC3\xA9 et maison bleue sant\xC3\xA9 et maison de la sant\xC3\xA9.",
        "maison\n\n  de\t sant\xC3\xA9 maison x sant\xC3\xA9 maison 12 sant\xC3\xA9 maison \xCE\xB1 "
        "sant\xC3\xA9 maison... sant\xC3\xA9 maison de de de sant\xC3\xA9",
        "L'appel \xC3\xA0 projets, l'appel pour projets, appel \xC2\xAB\xC2\xA0\xC3\xA0\xC2\xA0\xC2"
        "\xBB projets; appel-\xC3\xA0-projets appel \xC3\xA0, projets.",
        "Maisons de Sant\xC3\xA9 Pluriprofessionnelles (MSP) et maisons de sant\xC3\xA9 "
        "pluri-professionnelles en Loir-et-Cher et Loir et Cher.",
    };
    static const char *const specs[] = {
        "maison de sant\xC3\xA9",
        "maison sant\xC3\xA9|sant\xC3\xA9",
        "appel \xC3\xA0 projets|projets",
        "maisons de sant\xC3\xA9 pluriprofessionnelles|loir-et-cher|MSP",
        "maison de sant\xC3\xA9|maison|sant\xC3\xA9 ouvre",
        "loir cher|cher",
        "de la sant\xC3\xA9|bleue",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
        for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++)
            for (size_t max = 20; max <= 260; max += 60)
                same_spec(texts[t], strlen(texts[t]), specs[s], max);
}

/* A deterministic sequence, the same on every run. */
static uint32_t rnd_state;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

/* word[0..len) with its first letter in upper case (ASCII or Latin-1). */
static void capitalised(const char *w, size_t len, oa_buf *out)
{
    oa_buf_reset(out);
    assert_int_equal(oa_buf_append(out, w, len), 0);
    unsigned char *s = (unsigned char *)out->data;
    if (len && s[0] >= 'a' && s[0] <= 'z')
        s[0] = (unsigned char)(s[0] - 32);
    else if (len > 1 && s[0] == 0xC3 && s[1] >= 0xA0 && s[1] <= 0xBE && s[1] != 0xB7)
        s[1] = (unsigned char)(s[1] - 32);
}

/* Pattern sets built from the words of text: single words, 2 and 3 word
 * phrases as written (stop words inside), capitalised, upper-cased,
 * accent-free, elided, hyphenated; several at once. */
static void differential(const char *text, size_t len, size_t sets)
{
    oa_tokens t = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(an, text, len, 0, &t), 0);
    size_t nw = 0;
    for (size_t k = 0; k < t.n; k++)
        nw += !t.v[k].alt && !t.v[k].compound;
    if (!nw) {
        oa_tokens_free(&t);
        return;
    }
    size_t *wi = malloc(nw * sizeof *wi);
    for (size_t k = 0, j = 0; k < t.n; k++)
        if (!t.v[k].alt && !t.v[k].compound)
            wi[j++] = k;
    oa_buf spec = OA_BUF_INIT, piece = OA_BUF_INIT, tmp = OA_BUF_INIT;
    for (size_t s = 0; s < sets; s++) {
        oa_buf_reset(&spec);
        size_t n_pieces = 1 + rnd() % 4;
        for (size_t q = 0; q < n_pieces; q++) {
            size_t at = rnd() % nw;
            const oa_token *a = &t.v[wi[at]];
            oa_buf_reset(&piece);
            switch (rnd() % 8) {
            case 0: /* a phrase of 2 or 3 words, as written */
            case 1: {
                size_t last = at + 1 + rnd() % 2;
                if (last >= nw)
                    last = nw - 1;
                const oa_token *b = &t.v[wi[last]];
                assert_int_equal(oa_buf_append(&piece, text + a->start, b->end - a->start), 0);
                break;
            }
            case 2: /* capitalised */
                capitalised(text + a->start, a->end - a->start, &piece);
                break;
            case 3: /* accent-free */
                assert_int_equal(oa_analyzer_plain(an, text + a->start, a->end - a->start, &piece),
                                 0);
                break;
            case 4: /* elided */
                assert_int_equal(oa_analyzer_plain(an, text + a->start, a->end - a->start, &tmp),
                                 0);
                assert_int_equal(oa_buf_puts(&piece, rnd() % 2 ? "l'" : "d\xE2\x80\x99"), 0);
                assert_int_equal(oa_buf_append(&piece, tmp.data, tmp.len), 0);
                break;
            case 5: { /* hyphenated with the next word */
                size_t next = at + 1 < nw ? at + 1 : at;
                const oa_token *b = &t.v[wi[next]];
                assert_int_equal(oa_buf_append(&piece, text + a->start, a->end - a->start), 0);
                assert_int_equal(oa_buf_puts(&piece, "-"), 0);
                assert_int_equal(oa_buf_append(&piece, text + b->start, b->end - b->start), 0);
                break;
            }
            default: /* the word as written */
                assert_int_equal(oa_buf_append(&piece, text + a->start, a->end - a->start), 0);
            }
            /* '|' separates patterns; line breaks and tabs are spaces. */
            for (size_t i = 0; i < piece.len; i++)
                if (piece.data[i] == '|' || is_space(piece.data[i]))
                    piece.data[i] = ' ';
            if (q)
                assert_int_equal(oa_buf_puts(&spec, "|"), 0);
            assert_int_equal(oa_buf_append(&spec, piece.data, piece.len), 0);
        }
        static const size_t maxes[] = {24, 60, 120, 200, 400};
        for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++)
            same_spec(text, len, spec.data, maxes[m]);
    }
    oa_buf_free(&spec);
    oa_buf_free(&piece);
    oa_buf_free(&tmp);
    free(wi);
    oa_tokens_free(&t);
}

static void test_differential(void **state)
{
    (void)state;
    compared = highlighted = 0;
    rnd_state = 20250601;
    for (size_t f = 0; f < N_FILES; f++) {
        size_t len;
        char *data = t_read_file(t_source_path(text_files[f]), &len);
        if (!oa_utf8_valid(data, len, NULL)) {
            free(data);
            continue;
        }
        /* The whole file as one text, then its lines (the long ones). */
        differential(data, len, f < 2 ? 60 : 10);
        size_t line = 0;
        for (char *p = data; p && *p; line++) {
            char *nl = strchr(p, '\n');
            size_t ll = nl ? (size_t)(nl - p) : strlen(p);
            if (ll > 40 && (f < 2 || line % 97 == 0))
                differential(p, ll, f < 2 ? 8 : 4);
            p = nl ? nl + 1 : NULL;
        }
        free(data);
    }
    print_message("%zu snippets compared, %zu highlights\n", compared, highlighted);
    assert_true(compared > 3000);
    assert_true(highlighted > compared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocabulary),
        cmocka_unit_test(test_characters),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_differential),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
