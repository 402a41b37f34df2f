#include "analysis/analyzer.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/stem.h"
#include "analysis/stopwords.h"
#include "analysis/utf8.h"
#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

/* Xapian refuses terms longer than 245 bytes: longer ones are cut (at a
 * character boundary) so that a stray blob cannot make indexing fail, and
 * the query side cuts the same way. */
#define TERM_MAX 200

struct oa_analyzer {
    oa_stemmer *stemmer;
    oa_utf8_work work;
    /* Per-word scratch, kept across calls so the common path does not allocate. */
    oa_buf fold;  /* folded word, elision and apostrophes removed */
    oa_buf plain; /* its accent-stripped form, for the stop-word lookup */
    oa_buf lig;   /* ligatures spelt out: the stemmer's input */
    oa_buf term;  /* accent-stripped stem */
    oa_buf join;  /* a compound's parts written together */
};

void oa_tokens_clear(oa_tokens *t)
{
    if (t)
        t->n = 0;
}

void oa_tokens_free(oa_tokens *t)
{
    if (!t)
        return;
    /* Slots past n may still own a term kept for reuse. */
    for (size_t i = 0; i < t->cap; i++)
        free(t->v[i].term);
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

int oa_analyzer_new(oa_analyzer **out)
{
    oa_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = oa_stemmer_new(&a->stemmer);
    if (rc) {
        free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void oa_analyzer_free(oa_analyzer *a)
{
    if (!a)
        return;
    oa_stemmer_free(a->stemmer);
    oa_utf8_work_free(&a->work);
    oa_buf_free(&a->fold);
    oa_buf_free(&a->plain);
    oa_buf_free(&a->lig);
    oa_buf_free(&a->term);
    oa_buf_free(&a->join);
    free(a);
}

static int push(oa_tokens *out, const char *term, size_t len, uint32_t pos, size_t start,
                size_t end)
{
    if (out->n == out->cap) {
        size_t old = out->cap;
        int rc = oa_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
        if (rc)
            return rc;
        memset(out->v + old, 0, (out->cap - old) * sizeof *out->v);
    }
    oa_token *t = &out->v[out->n];
    /* The slot may hold a term from before oa_tokens_clear(): reuse it. */
    char *p = realloc(t->term, len + 1);
    if (!p)
        return oa_error(OASIS_ENOMEM, "out of memory");
    memcpy(p, term, len);
    p[len] = '\0';
    t->term = p;
    t->term_len = len;
    t->pos = pos;
    t->start = start;
    t->end = end;
    out->n++;
    return 0;
}

/* Bytes of the elided article or pronoun at the start of a folded word
 * (apostrophe included), 0 when there is none. */
static size_t elision_len(const char *w, size_t len)
{
    static const char *const elided[] = {"l", "d", "j", "m", "n", "s", "t", "c", "qu",
                                         "jusqu", "lorsqu", "puisqu", "quoiqu"};
    const char *q = memchr(w, '\'', len < 8 ? len : 8);
    if (!q)
        return 0;
    size_t k = (size_t)(q - w);
    for (size_t i = 0; i < sizeof elided / sizeof elided[0]; i++)
        if (strlen(elided[i]) == k && memcmp(w, elided[i], k) == 0)
            return k + 1;
    return 0;
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Pushes term cut to TERM_MAX bytes at a character boundary. */
static int emit(oa_tokens *out, const char *term, size_t len, uint32_t pos, size_t start,
                size_t end, int alt)
{
    if (len > TERM_MAX) {
        len = TERM_MAX;
        while (len > 0 && ((unsigned char)term[len] & 0xC0) == 0x80)
            len--;
    }
    int rc = push(out, term, len, pos, start, end);
    if (!rc) {
        out->v[out->n - 1].alt = alt;
        out->v[out->n - 1].compound = 0;
    }
    return rc;
}

/* Turns the word text[ws..we) into at most one token (two when its accents
 * change its stem: see the end). ascii: the word has no
 * byte >= 0x80, so folding is lower-casing and there are no accents. */
static int word(oa_analyzer *a, const char *text, size_t ws, size_t we, int ascii, uint32_t *pos,
                oa_tokens *out)
{
    oa_buf *f = &a->fold;
    oa_buf_reset(f);
    int rc;
    if (ascii) {
        rc = oa_buf_append(f, text + ws, we - ws);
        for (size_t i = 0; !rc && i < f->len; i++)
            if (f->data[i] >= 'A' && f->data[i] <= 'Z')
                f->data[i] = (char)(f->data[i] - 'A' + 'a');
    } else {
        rc = oa_utf8_fold_append(&a->work, text + ws, we - ws, f);
    }
    if (rc)
        return rc;

    /* Elision off, then every apostrophe left (aujourd'hui → aujourdhui). */
    size_t n = 0;
    for (size_t i = elision_len(f->data, f->len); i < f->len; i++)
        if (f->data[i] != '\'')
            f->data[n++] = f->data[i];
    f->len = n;
    if (n == 0)
        return 0;
    f->data[n] = '\0';

    const char *term = f->data;
    size_t term_len = n;
    int stemmed_accented = 0;
    if (!all_digits(f->data, n)) {
        int plain_ascii = ascii || oa_utf8_is_ascii(f->data, n);
        if (plain_ascii) {
            if (oa_stopword_is(f->data, n))
                return 0;
        } else {
            oa_buf_reset(&a->plain);
            if ((rc = oa_utf8_strip_accents_append(&a->work, f->data, n, &a->plain)) != 0)
                return rc;
            if (oa_stopword_is(a->plain.data, a->plain.len))
                return 0;
        }

        const char *in = f->data;
        size_t in_len = n;
        if (!plain_ascii) {
            oa_buf_reset(&a->lig);
            if ((rc = oa_utf8_expand_ligatures_append(f->data, n, &a->lig)) != 0)
                return rc;
            in = a->lig.data;
            in_len = a->lig.len;
        }
        if ((rc = oa_stem(a->stemmer, in, in_len, &term, &term_len)) != 0)
            return rc;
        if (term_len == 0) {
            term = in;
            term_len = in_len;
        }
        /* Accents go last, and the term is copied out of the stemmer's
         * buffer, which the alternative stem below reuses. */
        oa_buf_reset(&a->term);
        if (oa_utf8_is_ascii(term, term_len))
            rc = oa_buf_append(&a->term, term, term_len);
        else
            rc = oa_utf8_strip_accents_append(&a->work, term, term_len, &a->term);
        if (rc)
            return rc;
        term = a->term.data;
        term_len = a->term.len;
        stemmed_accented = !plain_ascii;
    }

    /* A word of combining marks alone strips to nothing: no term, no
     * position (an empty term would match everything on the query side). */
    if (term_len == 0)
        return 0;
    if (*pos == UINT32_MAX)
        return oa_error(OASIS_EINVAL, "too many words in one text");
    if ((rc = emit(out, term, term_len, *pos, ws, we, 0)) != 0)
        return rc;
    /* Snowball reads some suffixes only with their accent (-ité): the word
     * typed without accents stems elsewhere ("attractivite" → attractivit,
     * "attractivité" → attract). The accent-free stem goes in as an
     * alternative at the same position, so both spellings meet. */
    if (stemmed_accented) {
        const char *alt;
        size_t alt_len;
        if ((rc = oa_stem(a->stemmer, a->plain.data, a->plain.len, &alt, &alt_len)) != 0)
            return rc;
        if (alt_len && (alt_len != a->term.len || memcmp(alt, a->term.data, alt_len) != 0))
            rc = emit(out, alt, alt_len, *pos, ws, we, 1);
    }
    if (!rc)
        ++*pos;
    return rc;
}

enum { C_OTHER, C_WORD, C_JOIN };

/* Reads the character at text[i] (known valid). C_JOIN: an apostrophe or a
 * soft hyphen, which stay inside a word when a word character follows. */
static int next_char(const char *text, size_t len, size_t i, int *nbytes)
{
    unsigned char c = (unsigned char)text[i];
    if (c < 0x80) {
        *nbytes = 1;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            return C_WORD;
        return c == '\'' ? C_JOIN : C_OTHER;
    }
    int32_t cp;
    int n = oa_utf8_decode(text + i, len - i, &cp);
    if (n < 0) {
        *nbytes = 1;
        return C_OTHER;
    }
    *nbytes = n;
    /* ʼ (U+02BC) is a letter for Unicode: test apostrophes first. */
    if (oa_utf8_is_apostrophe(cp) || cp == 0xAD)
        return C_JOIN;
    return oa_utf8_is_word_char(cp) ? C_WORD : C_OTHER;
}

/* 1 when text[i] is the '-' or '/' of a compound: a word character
 * follows it. */
static int compound_joint(const char *text, size_t len, size_t i);

/* The compound text[rs..re) of parts words: its parts written together,
 * as tokens flagged compound at the position of its last kept part (kept:
 * some part gave a token, *pos is past it) or at a new one. */
static int compound(oa_analyzer *a, const char *text, size_t rs, size_t re, int ascii, int kept,
                    uint32_t *pos, oa_tokens *out)
{
    oa_buf *j = &a->join;
    oa_buf_reset(j);
    int rc = 0;
    for (size_t i = rs; i < re && !rc; i++)
        if (!((text[i] == '-' || text[i] == '/') && compound_joint(text, re, i)))
            rc = oa_buf_putc(j, text[i]);
    if (rc || j->len == 0 || all_digits(j->data, j->len))
        return rc; /* "2018-2020" is two numbers */
    uint32_t p = kept ? *pos - 1 : *pos;
    size_t n0 = out->n;
    if ((rc = word(a, j->data, 0, j->len, ascii, &p, out)) != 0)
        return rc;
    for (size_t k = n0; k < out->n; k++) {
        out->v[k].start = rs;
        out->v[k].end = re;
        out->v[k].compound = 1;
    }
    if (!kept)
        *pos = p;
    return 0;
}

int oa_analyze(oa_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               oa_tokens *out)
{
    if (len == 0)
        return 0;
    size_t bad = 0;
    if (!oa_utf8_valid(text, len, &bad))
        return oa_error(OASIS_EFORMAT, "invalid utf-8 at byte %zu", bad);

    size_t n0 = out->n;
    uint32_t pos = first_pos;
    size_t i = 0;
    int rc = 0;
    /* The compound being read: its first byte, tokens before it, parts. */
    size_t rs = 0, rn0 = 0;
    unsigned parts = 0;
    int r_ascii = 1;
    while (i < len && !rc) {
        int nb;
        if (next_char(text, len, i, &nb) != C_WORD) {
            i += (size_t)nb;
            continue;
        }
        size_t ws = i;
        int ascii = nb == 1;
        i += (size_t)nb;
        while (i < len) {
            int k = next_char(text, len, i, &nb);
            if (k == C_JOIN) {
                int nb2;
                if (i + (size_t)nb >= len || next_char(text, len, i + (size_t)nb, &nb2) != C_WORD)
                    break;
            } else if (k != C_WORD) {
                break;
            }
            ascii &= nb == 1;
            i += (size_t)nb;
        }
        if (parts == 0) {
            rs = ws;
            rn0 = out->n;
            r_ascii = 1;
        }
        rc = word(a, text, ws, i, ascii, &pos, out);
        parts++;
        r_ascii &= ascii;
        if (i < len && compound_joint(text, len, i))
            continue;
        if (!rc && parts >= 2 && parts <= OA_COMPOUND_PARTS)
            rc = compound(a, text, rs, i, r_ascii, out->n > rn0, &pos, out);
        parts = 0;
    }
    if (rc)
        out->n = n0; /* tokens appended so far are dropped, their memory kept */
    return rc;
}

static int compound_joint(const char *text, size_t len, size_t i)
{
    int nb;
    return (text[i] == '-' || text[i] == '/') && i + 1 < len &&
           next_char(text, len, i + 1, &nb) == C_WORD;
}

int oa_analyzer_plain(oa_analyzer *a, const char *word, size_t len, oa_buf *out)
{
    oa_buf_reset(out);
    size_t bad;
    if (!oa_utf8_valid(word, len, &bad))
        return oa_error(OASIS_EFORMAT, "invalid utf-8 at byte %zu", bad);
    oa_buf *f = &a->fold;
    oa_buf_reset(f);
    int rc = oa_utf8_fold_append(&a->work, word, len, f);
    if (rc)
        return rc;
    size_t n = 0;
    for (size_t i = f->data ? elision_len(f->data, f->len) : 0; i < f->len; i++)
        if (f->data[i] != '\'')
            f->data[n++] = f->data[i];
    f->len = n;
    if (n == 0)
        return oa_buf_append(out, "", 0);
    if (oa_utf8_is_ascii(f->data, n))
        return oa_buf_append(out, f->data, n);
    return oa_utf8_strip_accents_append(&a->work, f->data, n, out);
}

size_t oa_apostrophe_len(const char *text, size_t len)
{
    if (!len)
        return 0;
    if ((unsigned char)text[0] < 0x80)
        return text[0] == '\'';
    int32_t cp;
    int n = oa_utf8_decode(text, len, &cp);
    return n > 0 && oa_utf8_is_apostrophe(cp) ? (size_t)n : 0;
}

/* How far into a word its elision's apostrophe may be, in bytes: past the
 * longest elided word (lorsqu', puisqu', quoiqu'), with room for letters
 * written in several bytes. */
#define ELISION_SCAN 16

int oa_analyzer_elision(oa_analyzer *a, const char *word, size_t len, size_t *bytes)
{
    *bytes = 0;
    size_t at = 0, apos = 0;
    while (at < len && at < ELISION_SCAN && !(apos = oa_apostrophe_len(word + at, len - at)))
        at++;
    if (!apos)
        return 0;
    /* The word up to its first apostrophe, read as the analyzer reads it,
     * must be one of the elisions it strips. */
    oa_buf *f = &a->fold;
    oa_buf_reset(f);
    int rc = oa_utf8_fold_append(&a->work, word, at + apos, f);
    if (!rc && f->len && elision_len(f->data, f->len) == f->len)
        *bytes = at + apos;
    return rc;
}

int oa_word_capitalized(const char *text, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = oa_utf8_decode(text + i, len - i, &cp);
        if (n < 0)
            return 0;
        if (oa_utf8_is_word_char(cp))
            return oa_utf8_is_upper(cp);
        i += (size_t)n;
    }
    return 0;
}
