/* Tests of the French analyzer: src/analysis/. */
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
#include "analysis/stopwords.h"
#include "analysis/utf8.h"
#include "oasis.h"
#include "testutil.h"

static int setup(void **state)
{
    oa_analyzer *a = NULL;
    if (oa_analyzer_new(&a) != 0)
        return -1;
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    oa_analyzer_free(*state);
    return 0;
}

/* Appends code point cp as UTF-8. */
static size_t put_utf8(char *dst, unsigned long cp)
{
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xE0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    dst[0] = (char)(0xF0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the \uXXXX and \\ escapes of a case's input, in place. */
static size_t unescape(char *s)
{
    size_t r = 0, w = 0;
    while (s[r]) {
        if (s[r] == '\\' && s[r + 1] == '\\') {
            s[w++] = '\\';
            r += 2;
        } else if (s[r] == '\\' && s[r + 1] == 'u') {
            char hex[5] = {0};
            memcpy(hex, s + r + 2, 4);
            unsigned long cp = strtoul(hex, NULL, 16);
            r += 6;
            w += put_utf8(s + w, cp);
        } else {
            s[w++] = s[r++];
        }
    }
    s[w] = '\0';
    return w;
}

/* The tokens as "term@pos term@pos ...", for messages and comparison. */
static void describe(const oa_tokens *t, size_t from, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = from; i < t->n && used < size; i++)
        used += t->v[i].alt ? (size_t)snprintf(buf + used, size - used, "|%s", t->v[i].term)
                            : (size_t)snprintf(buf + used, size - used, "%s%s@%u",
                                               i > from ? " " : "", t->v[i].term,
                                               (unsigned)t->v[i].pos);
    if (from == t->n)
        snprintf(buf, size, "-");
}

/* Checks one case; returns 0 when it holds, else prints why. */
static int check_case(oa_analyzer *a, const char *file, int line, char *input, char *expected)
{
    size_t len = unescape(input);
    oa_tokens t = OA_TOKENS_INIT;
    int rc = oa_analyze(a, input, len, 0, &t);
    int ok = rc == 0;
    size_t n = 0;
    char *save = NULL;
    if (ok && strcmp(expected, "-") != 0) {
        for (char *w = strtok_r(expected, " ", &save); w && ok; w = strtok_r(NULL, " ", &save)) {
            char *alt = strchr(w, '|');
            if (alt)
                *alt++ = '\0';
            char *at = strchr(w, '@');
            if (at)
                *at = '\0';
            if (n >= t.n || t.v[n].alt || strcmp(t.v[n].term, w) != 0 ||
                (at && t.v[n].pos != (uint32_t)strtoul(at + 1, NULL, 10)))
                ok = 0;
            n++;
            /* "term|alt": the accent-free stem follows, flagged alt. */
            int has_alt = n < t.n && t.v[n].alt;
            if (ok && (alt != NULL) != has_alt)
                ok = 0;
            if (ok && alt && (strcmp(t.v[n].term, alt) != 0 || t.v[n].pos != t.v[n - 1].pos))
                ok = 0;
            if (ok && alt)
                n++;
        }
    }
    if (ok && n != t.n)
        ok = 0;
    /* Positions are consecutive over kept words whatever the case says. */
    for (size_t i = 0, word = 0; ok && i < t.n; i++) {
        if (t.v[i].alt)
            continue;
        /* A compound shares its last kept word's position, or takes a new
         * one when it has none ("bien-être"). */
        if (t.v[i].compound && word > 0 && t.v[i].pos == word - 1)
            continue;
        if (t.v[i].pos != word++)
            ok = 0;
    }
    if (!ok) {
        char got[1024];
        describe(&t, 0, got, sizeof got);
        print_error("%s:%d: \"%s\": rc %d (%s), got: %s\n", file, line, input, rc,
                    oasis_error_last(), got);
    }
    oa_tokens_free(&t);
    return ok ? 0 : 1;
}

static void test_cases_file(void **state)
{
    const char *path = t_source_path("tests/data/analyzer_cases.tsv");
    size_t len;
    char *data = t_read_file(path, &len);
    int failures = 0, cases = 0, line = 0;
    char *cursor = data, *s;
    while ((s = t_next_row(&cursor, &line)) != NULL) {
        char *tab = strchr(s, '\t');
        if (!tab) {
            print_error("%s:%d: no tab\n", path, line);
            failures++;
            continue;
        }
        *tab = '\0';
        cases++;
        failures += check_case(*state, path, line, s, tab + 1);
    }
    free(data);
    assert_int_equal(failures, 0);
    assert_true(cases >= 60);
}

static oa_tokens analyze_ok(oa_analyzer *a, const char *text, uint32_t first)
{
    oa_tokens t = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(a, text, strlen(text), first, &t), 0);
    return t;
}

static void assert_span(const char *text, const oa_token *tok, const char *word)
{
    assert_true(tok->start < tok->end);
    assert_int_equal(tok->end - tok->start, strlen(word));
    assert_memory_equal(text + tok->start, word, strlen(word));
}

static void test_offsets(void **state)
{
    const char *text = "Le Département renforce l’attractivité d'Alpes-de-Haute-Provence "
                       "AUJOURD’HUI : 2,1 M€.";
    oa_tokens t = analyze_ok(*state, text, 0);
    /* l’attractivité twice: its term, then its accent-free alternative. */
    /* d'Alpes-de-Haute-Provence: its words, then the compound. */
    const char *words[] = {"Département", "renforce", "l’attractivité", "l’attractivité",
                           "d'Alpes", "Haute", "Provence", "d'Alpes-de-Haute-Provence",
                           "AUJOURD’HUI", "2", "1", "M"};
    assert_int_equal(t.n, sizeof words / sizeof words[0]);
    for (size_t i = 0; i < t.n; i++)
        assert_span(text, &t.v[i], words[i]);
    assert_string_equal(t.v[2].term, "attract");
    assert_int_equal(t.v[2].term_len, strlen("attract"));
    assert_true(t.v[3].alt && t.v[3].pos == t.v[2].pos);
    assert_string_equal(t.v[3].term, "attractivit");
    assert_true(t.v[7].compound && !t.v[6].compound && t.v[7].pos == t.v[6].pos);
    assert_string_equal(t.v[7].term, "alpesdehauteprovent");
    oa_tokens_free(&t);
}

static void test_positions(void **state)
{
    oa_tokens t = OA_TOKENS_INIT;
    const char *s1 = "Loir-et-Cher";
    assert_int_equal(oa_analyze(*state, s1, strlen(s1), 10, &t), 0);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.v[0].term, "loir");
    assert_int_equal(t.v[0].pos, 10);
    assert_string_equal(t.v[1].term, "cher");
    assert_int_equal(t.v[1].pos, 11);
    /* The compound, at its last word's position. */
    assert_string_equal(t.v[2].term, "loiretch");
    assert_int_equal(t.v[2].pos, 11);
    assert_true(t.v[2].compound && !t.v[1].compound);
    /* out is appended to, not cleared */
    const char *s2 = "le médecin et la maison";
    assert_int_equal(oa_analyze(*state, s2, strlen(s2), 12, &t), 0);
    assert_int_equal(t.n, 5);
    assert_string_equal(t.v[0].term, "loir");
    assert_string_equal(t.v[3].term, "medecin");
    assert_int_equal(t.v[3].pos, 12);
    assert_string_equal(t.v[4].term, "maison");
    assert_int_equal(t.v[4].pos, 13);
    assert_false(t.v[4].compound);
    assert_span(s2, &t.v[4], "maison");
    /* cleared lists are refilled from slot 0; a slot that held a compound
     * token holds a word's */
    oa_tokens_clear(&t);
    assert_int_equal(t.n, 0);
    const char *s3 = "a b c santé";
    assert_int_equal(oa_analyze(*state, s3, strlen(s3), 0, &t), 0);
    assert_false(t.v[t.n - 1].compound);
    oa_tokens_clear(&t);
    assert_int_equal(oa_analyze(*state, s1, strlen(s1), 0, &t), 0);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.v[1].term, "cher");
    assert_int_equal(t.v[1].pos, 1);
    oa_tokens_free(&t);
    assert_null(t.v);
    oa_tokens_free(NULL);
    oa_tokens_clear(NULL);
}

static void test_invalid_utf8(void **state)
{
    static const struct {
        const char *text;
        size_t len;
        size_t offset;
    } bad[] = {
        {"sant\xe9", 5, 4},               /* Latin-1 é */
        {"abc \xff def", 9, 4},           /* never valid */
        {"m\xc3\xa9" "decin \xc3", 10, 9}, /* truncated at the end */
        {"ab\xc0\xaf", 4, 2},             /* overlong / */
        {"\xed\xa0\x80 x", 5, 0},         /* surrogate */
        {"x\xf4\x90\x80\x80", 5, 1},      /* beyond U+10FFFF */
        {"ok \x80", 4, 3},                /* lone continuation byte */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oa_tokens t = analyze_ok(*state, "maison", 0);
        oa_token before = t.v[0];
        int rc = oa_analyze(*state, bad[i].text, bad[i].len, 1, &t);
        assert_int_equal(rc, OASIS_EFORMAT);
        char want[64];
        snprintf(want, sizeof want, "invalid utf-8 at byte %zu", bad[i].offset);
        assert_string_equal(oasis_error_last(), want);
        assert_int_equal(t.n, 1);
        assert_ptr_equal(t.v[0].term, before.term);
        assert_string_equal(t.v[0].term, "maison");
        assert_int_equal(t.v[0].pos, 0);

        size_t off = 99;
        assert_int_equal(oa_utf8_valid(bad[i].text, bad[i].len, &off), 0);
        assert_int_equal(off, bad[i].offset);
        char *key = NULL;
        assert_int_equal(oa_fold_key(bad[i].text, bad[i].len, &key), OASIS_EFORMAT);
        assert_null(key);
        oa_tokens_free(&t);
    }
}

/* Whether s[0..n) is well-formed UTF-8, from the definition: decode each
 * sequence, then reject overlong forms, surrogates and code points past
 * U+10FFFF. */
static int reference_valid(const unsigned char *s, size_t n)
{
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    for (size_t i = 0; i < n;) {
        size_t len = s[i] < 0x80 ? 1 : (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3
                                     : (s[i] & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || i + len > n)
            return 0;
        uint32_t cp = len == 1 ? s[i] : s[i] & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < least[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return 0;
        i += len;
    }
    return 1;
}

/* oa_utf8_valid() agrees with the definition on every first and second
 * byte, followed by bytes at the edges of the continuation range. */
static void test_utf8_valid_agrees(void **state)
{
    (void)state;
    static const unsigned char tail[] = {0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xFF};
    size_t nt = sizeof tail;
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++)
            for (size_t c = 0; c < nt; c++)
                for (size_t d = 0; d < nt; d++) {
                    unsigned char s[4] = {(unsigned char)a, (unsigned char)b, tail[c], tail[d]};
                    for (size_t n = 1; n <= 4; n++)
                        if (oa_utf8_valid((const char *)s, n, NULL) != reference_valid(s, n))
                            fail_msg("%02x %02x %02x %02x (%zu bytes): %d", a, b, tail[c],
                                     tail[d], n, oa_utf8_valid((const char *)s, n, NULL));
                }
}

static void test_empty(void **state)
{
    oa_tokens t = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(*state, "", 0, 0, &t), 0);
    assert_int_equal(t.n, 0);
    assert_int_equal(oa_analyze(*state, NULL, 0, 0, &t), 0);
    assert_int_equal(t.n, 0);
    const char *punct = " \t\n-- , ; « » … ’ ' ";
    assert_int_equal(oa_analyze(*state, punct, strlen(punct), 0, &t), 0);
    assert_int_equal(t.n, 0);
    oa_tokens_free(&t);
}

static void test_nul_and_long_words(void **state)
{
    /* A NUL byte is valid UTF-8 and splits like any other non-letter. */
    const char text[] = "santé\0médecin";
    oa_tokens t = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(*state, text, sizeof text - 1, 0, &t), 0);
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[1].term, "medecin");
    oa_tokens_clear(&t);

    /* An endless word gives one term short enough for the index. */
    size_t n = 3000;
    char *blob = malloc(n * 2);
    assert_non_null(blob);
    for (size_t i = 0; i < n; i++)
        memcpy(blob + 2 * i, "\xc3\xa9", 2); /* é */
    assert_int_equal(oa_analyze(*state, blob, n * 2, 0, &t), 0);
    assert_int_equal(t.n, 1);
    assert_true(t.v[0].term_len > 0 && t.v[0].term_len <= 245);
    assert_int_equal(strlen(t.v[0].term), t.v[0].term_len);
    assert_int_equal(oa_utf8_valid(t.v[0].term, t.v[0].term_len, NULL), 1);
    assert_int_equal(t.v[0].end, n * 2);
    free(blob);
    oa_tokens_free(&t);
}

/* Every token of a real text: positions follow each other, the byte range
 * is a word of the text, and that word alone gives the same term. */
static void check_text(oa_analyzer *a, const char *rel, size_t min_tokens)
{
    size_t len;
    char *text = t_read_file(t_source_path(rel), &len);
    oa_tokens t = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(a, text, len, 5, &t), 0);
    assert_true(t.n > min_tokens);
    oa_tokens one = OA_TOKENS_INIT;
    size_t words = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.v[i].compound) { /* a compound's words written together, at its last */
            assert_true(t.v[i].pos + 1 == 5 + words || t.v[i].pos == 5 + words);
            words += t.v[i].pos == 5 + words && !t.v[i].alt;
            continue;
        }
        if (t.v[i].alt) { /* the word's second stem, same place */
            assert_true(i > 0 && !t.v[i - 1].alt);
            assert_int_equal(t.v[i].pos, t.v[i - 1].pos);
            assert_int_equal(t.v[i].start, t.v[i - 1].start);
            assert_string_not_equal(t.v[i].term, t.v[i - 1].term);
            continue;
        }
        assert_int_equal(t.v[i].pos, 5 + words++);
        assert_true(t.v[i].term_len > 0);
        assert_int_equal(strlen(t.v[i].term), t.v[i].term_len);
        assert_true(t.v[i].start < t.v[i].end && t.v[i].end <= len);
        if (i > 0)
            assert_true(t.v[i].start >= t.v[i - 1].end);
        /* The word alone gives the same term (and the same alternative). */
        oa_tokens_clear(&one);
        assert_int_equal(oa_analyze(a, text + t.v[i].start, t.v[i].end - t.v[i].start, 0, &one),
                         0);
        assert_int_equal(one.n, i + 1 < t.n && t.v[i + 1].alt && !t.v[i + 1].compound ? 2 : 1);
        assert_string_equal(one.v[0].term, t.v[i].term);
        assert_int_equal(one.v[0].end - one.v[0].start, t.v[i].end - t.v[i].start);
        /* terms are folded and accent-free: only lower-case ASCII here */
        for (size_t k = 0; k < t.v[i].term_len; k++) {
            char c = t.v[i].term[k];
            assert_true((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        }
    }
    /* Analysing twice with the same analyzer gives the same terms. */
    oa_tokens again = OA_TOKENS_INIT;
    assert_int_equal(oa_analyze(a, text, len, 5, &again), 0);
    assert_int_equal(again.n, t.n);
    for (size_t i = 0; i < t.n; i++)
        assert_string_equal(again.v[i].term, t.v[i].term);
    oa_tokens_free(&again);
    oa_tokens_free(&one);
    oa_tokens_free(&t);
    free(text);
}

static void test_long_text(void **state)
{
    check_text(*state, "corpus/records-departements-initiatives.txt", 300);
    check_text(*state, "corpus/listing-departements-initiatives.txt", 600);
}

static void test_fold_key(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Loir-et-Cher", "loir et cher"},
        {"loir et cher", "loir et cher"},
        {"  Côtes-d’Armor  ", "cotes d armor"},
        {"CÔTES D'ARMOR", "cotes d armor"},
        {"Ille-et-Vilaine", "ille et vilaine"},
        {"ŒUVRE Æ", "oeuvre ae"},
        {"Corse-du-Sud", "corse du sud"},
        {"Re\xcc\x81union", "reunion"},
        {" -- ", ""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *key = NULL;
        assert_int_equal(oa_fold_key(cases[i][0], strlen(cases[i][0]), &key), 0);
        assert_string_equal(key, cases[i][1]);
        free(key);
    }
}

static void test_utf8_helpers(void **state)
{
    (void)state;
    char *s = NULL;
    size_t n = 0;
    assert_int_equal(oa_utf8_fold("ŒUVRE É", strlen("ŒUVRE É"), &s, &n), 0);
    assert_string_equal(s, "œuvre é");
    assert_int_equal(n, strlen("œuvre é"));
    free(s);
    assert_int_equal(oa_utf8_strip_accents("œuvre éè\xc3\xa6", strlen("œuvre éè\xc3\xa6"), &s, &n),
                     0);
    assert_string_equal(s, "oeuvre eeae");
    free(s);
    /* decomposed input composes: e + U+0301 folds to é */
    assert_int_equal(oa_utf8_fold("E\xcc\x81", 3, &s, &n), 0);
    assert_string_equal(s, "\xc3\xa9");
    free(s);

    assert_true(oa_utf8_is_apostrophe('\''));
    assert_true(oa_utf8_is_apostrophe(0x2019));
    assert_false(oa_utf8_is_apostrophe('-'));
    assert_true(oa_utf8_is_word_char(0xE9));
    assert_true(oa_utf8_is_word_char(0x301));
    assert_false(oa_utf8_is_word_char('-'));
    assert_false(oa_utf8_is_word_char(0x20AC)); /* € */
    int32_t cp = 0;
    assert_int_equal(oa_utf8_decode("\xe2\x80\x99", 3, &cp), 3);
    assert_int_equal(cp, 0x2019);
    assert_int_equal(oa_utf8_decode("\xe2\x80", 2, &cp), -1);
}

/* Every apostrophe form marks the same elisions, as the analyzer strips
 * them; a word with an apostrophe that is no elision has none. */
static void test_elisions(void **state)
{
    oa_analyzer *a = *state;
    static const char *const apostrophes[] = {"'", "\xE2\x80\x99", "\xE2\x80\x98", "\xCA\xBC",
                                              "\xE2\x80\xB2"};
    static const char *const elided[] = {"l", "L", "d", "qu", "Qu", "jusqu", "lorsqu"};
    for (size_t i = 0; i < sizeof apostrophes / sizeof apostrophes[0]; i++) {
        size_t alen = strlen(apostrophes[i]);
        assert_int_equal(oa_apostrophe_len(apostrophes[i], alen), alen);
        for (size_t k = 0; k < sizeof elided / sizeof elided[0]; k++) {
            char word[64];
            snprintf(word, sizeof word, "%s%sinstallation", elided[k], apostrophes[i]);
            size_t bytes = 99;
            assert_int_equal(oa_analyzer_elision(a, word, strlen(word), &bytes), 0);
            assert_int_equal(bytes, strlen(elided[k]) + alen);
            /* The analyzer agrees: the term is the word's alone. */
            oa_tokens t = OA_TOKENS_INIT;
            assert_int_equal(oa_analyze(a, word, strlen(word), 0, &t), 0);
            assert_int_equal(t.n, 1);
            assert_string_equal(t.v[0].term, "install");
            oa_tokens_free(&t);
        }
        char word[64];
        snprintf(word, sizeof word, "aujourd%shui", apostrophes[i]);
        size_t bytes = 99;
        assert_int_equal(oa_analyzer_elision(a, word, strlen(word), &bytes), 0);
        assert_int_equal(bytes, 0);
    }
    size_t bytes = 99;
    assert_int_equal(oa_analyzer_elision(a, "installation", strlen("installation"), &bytes), 0);
    assert_int_equal(bytes, 0);
    assert_int_equal(oa_analyzer_elision(a, "", 0, &bytes), 0);
    assert_int_equal(bytes, 0);
    assert_int_equal(oa_apostrophe_len("-", 1), 0);
    assert_int_equal(oa_apostrophe_len("\xE2\x80\x9C", 3), 0); /* “ */
    assert_int_equal(oa_apostrophe_len("\xE2\x80", 2), 0);
    assert_int_equal(oa_apostrophe_len("", 0), 0);
}

/* The Latin-1 fast paths of the *_append functions agree with utf8proc. */
static void test_utf8_fast_paths(void **state)
{
    (void)state;
    oa_utf8_work w = OA_UTF8_WORK_INIT;
    oa_buf b = OA_BUF_INIT;
    int checked = 0;
    for (unsigned long cp = 0x20; cp <= 0x17F; cp++) {
        char word[16] = "xY";
        size_t len = 2 + put_utf8(word + 2, cp);
        word[len++] = 'q';
        char *ref = NULL, *ref_plain = NULL;
        size_t ref_len = 0, ref_plain_len = 0;
        assert_int_equal(oa_utf8_fold(word, len, &ref, &ref_len), 0);
        oa_buf_reset(&b);
        assert_int_equal(oa_utf8_fold_append(&w, word, len, &b), 0);
        /* the analyzer's fold also maps ' and drops the soft hyphen */
        if (cp != '\'' && cp != 0xAD) {
            if (b.len != ref_len || memcmp(b.data, ref, ref_len) != 0)
                fail_msg("fold of U+%04lX: \"%s\", utf8proc: \"%s\"", cp, b.data, ref);
        }
        assert_int_equal(oa_utf8_strip_accents(ref, ref_len, &ref_plain, &ref_plain_len), 0);
        oa_buf_reset(&b);
        assert_int_equal(oa_utf8_strip_accents_append(&w, ref, ref_len, &b), 0);
        if (b.len != ref_plain_len || memcmp(b.data, ref_plain, ref_plain_len) != 0)
            fail_msg("strip of U+%04lX: \"%s\", utf8proc: \"%s\"", cp, b.data, ref_plain);
        free(ref);
        free(ref_plain);
        checked++;
    }
    assert_true(checked > 300);

    /* every apostrophe folds to ', on the fast path (’) and off it (′) */
    static const char *const apos[] = {"l’a", "l‘a", "lʼa", "l′a", "L'A"};
    for (size_t i = 0; i < sizeof apos / sizeof apos[0]; i++) {
        oa_buf_reset(&b);
        assert_int_equal(oa_utf8_fold_append(&w, apos[i], strlen(apos[i]), &b), 0);
        assert_string_equal(b.data, "l'a");
    }
    /* a soft hyphen vanishes; accents of decomposed text compose */
    oa_buf_reset(&b);
    assert_int_equal(oa_utf8_fold_append(&w, "Me\xcc\x81" "de\xc2\xad" "cin", 11, &b), 0);
    assert_string_equal(b.data, "m\xc3\xa9" "decin");
    oa_buf_free(&b);
    oa_utf8_work_free(&w);
}

static void test_stopwords(void **state)
{
    (void)state;
    size_t n = oa_stopword_count();
    assert_true(n > 100);
    assert_null(oa_stopword_at(n));
    for (size_t i = 0; i < n; i++) {
        const char *w = oa_stopword_at(i);
        size_t len = strlen(w);
        assert_true(len > 0 && len <= OA_STOPWORD_MAX_LEN);
        for (size_t k = 0; k < len; k++)
            assert_true(w[k] >= 'a' && w[k] <= 'z'); /* stored folded, without accents */
        if (i > 0 && strcmp(oa_stopword_at(i - 1), w) >= 0)
            fail_msg("stop words not sorted or duplicated at \"%s\"", w);
        assert_true(oa_stopword_is(w, len));
    }
    static const char *const stop[] = {"le", "la", "les", "de", "et", "a", "etre", "ont", "qui"};
    for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
        assert_true(oa_stopword_is(stop[i], strlen(stop[i])));
    static const char *const kept[] = {"sante", "medecin", "medecins", "plan", "maison",
                                       "logement", "soins", "hopital", "departement", "aide",
                                       "bien", "c", "m", "", "lesx", "l'"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (oa_stopword_is(kept[i], strlen(kept[i])))
            fail_msg("\"%s\" must not be a stop word", kept[i]);
    /* length-bounded: a prefix of a stop word is not one */
    assert_false(oa_stopword_is("lesquelles", 9));
    assert_true(oa_stopword_is("lesquellesXYZ", 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offsets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test(test_utf8_valid_agrees),
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_and_long_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_text, setup, teardown),
        cmocka_unit_test(test_fold_key),
        cmocka_unit_test(test_utf8_helpers),
        cmocka_unit_test_setup_teardown(test_elisions, setup, teardown),
        cmocka_unit_test(test_utf8_fast_paths),
        cmocka_unit_test(test_stopwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
