#include "analysis/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "analysis/analyzer.h"
#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"

#define OPT_FOLD (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)
#define OPT_STRIP (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK)

int oa_utf8_decode(const char *s, size_t len, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          len > 4 ? 4 : (utf8proc_ssize_t)len, &c);
    if (n <= 0 || c < 0)
        return -1;
    *cp = c;
    return (int)n;
}

/* The length of the well-formed UTF-8 sequence at s (at most n bytes),
 * 0 when there is none (RFC 3629: no overlong form, no surrogate, nothing
 * past U+10FFFF). */
static size_t sequence_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n < len)
        return 0;
    /* The second byte's range depends on the first. */
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

int oa_utf8_valid(const char *text, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        /* Eight ASCII bytes at a time: most text is ASCII. */
        uint64_t eight;
        if (len - i >= 8 && (memcpy(&eight, s + i, 8), !(eight & 0x8080808080808080u))) {
            i += 8;
            continue;
        }
        size_t n = sequence_length(s + i, len - i);
        if (!n) {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

int oa_utf8_is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

int oa_utf8_is_word_char(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

int oa_utf8_is_upper(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int oa_utf8_is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x2032;
}

static int invalid(const char *s, size_t len)
{
    size_t bad = 0;
    oa_utf8_valid(s, len, &bad);
    return oa_error(OASIS_EFORMAT, "invalid utf-8 at byte %zu", bad);
}

void oa_utf8_work_free(oa_utf8_work *w)
{
    if (!w)
        return;
    free(w->cp);
    w->cp = NULL;
    w->cap = 0;
}

static utf8proc_int32_t apostrophe_to_ascii(utf8proc_int32_t cp, void *data)
{
    (void)data;
    return oa_utf8_is_apostrophe(cp) ? '\'' : cp;
}

/* Decomposes (with the mappings in opts) into w->cp, composes back, and
 * appends the UTF-8 to out; ligatures are spelt out when asked. */
static int transform(oa_utf8_work *w, const char *s, size_t len, utf8proc_option_t opts,
                     utf8proc_custom_func custom, int expand_ligatures, oa_buf *out)
{
    if (len > (size_t)PTRDIFF_MAX / 8)
        return oa_error(OASIS_ENOMEM, "text too large");
    if (!w->cp) {
        /* A word rarely grows by more than a few code points on decomposition. */
        size_t cap = len + 16 < 64 ? 64 : len + 16;
        w->cp = malloc(cap * sizeof *w->cp);
        if (!w->cp)
            return oa_error(OASIS_ENOMEM, "out of memory");
        w->cap = cap;
    }
    utf8proc_ssize_t n;
    for (;;) {
        n = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, w->cp,
                                      (utf8proc_ssize_t)w->cap, opts, custom, NULL);
        if (n < 0) {
            if (n == UTF8PROC_ERROR_NOMEM)
                return oa_error(OASIS_ENOMEM, "out of memory");
            return invalid(s, len);
        }
        if ((size_t)n <= w->cap)
            break;
        int32_t *p = realloc(w->cp, (size_t)n * sizeof *p);
        if (!p)
            return oa_error(OASIS_ENOMEM, "out of memory");
        w->cp = p;
        w->cap = (size_t)n;
    }
    n = utf8proc_normalize_utf32(w->cp, n, opts);
    if (n < 0)
        return oa_error(OASIS_EFORMAT, "cannot normalize text");

    char chunk[256];
    size_t used = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (used > sizeof chunk - 4) {
            int rc = oa_buf_append(out, chunk, used);
            if (rc)
                return rc;
            used = 0;
        }
        int32_t c = w->cp[i];
        if (expand_ligatures && (c == 0x153 || c == 0x152 || c == 0xE6 || c == 0xC6)) {
            int upper = c == 0x152 || c == 0xC6;
            chunk[used++] = (char)((c == 0x153 || c == 0x152 ? 'o' : 'a') - (upper ? 32 : 0));
            chunk[used++] = (char)('e' - (upper ? 32 : 0));
        } else {
            used += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)chunk + used);
        }
    }
    return oa_buf_append(out, chunk, used);
}

/* Fast paths for ordinary French words, whose characters are ASCII, the
 * Latin-1 letters À..ÿ, œ and ’: they skip utf8proc. Text made only of
 * precomposed characters is already NFC, so folding is a case map and
 * stripping a table lookup. test_analysis checks both against utf8proc for
 * every character they handle. */

/* 1 when c1 (after C3) is a Latin-1 letter the fast paths know. */
static int latin1_letter(unsigned char c1, int lower_only)
{
    if (c1 < (lower_only ? 0xA0 : 0x80) || c1 > 0xBF)
        return 0;
    return c1 != 0x97 && c1 != 0x9F && c1 != 0xB7; /* ×, ß (folds to ss), ÷ */
}

/* Length of the fast-path character at s[i], 0 when there is none. */
static size_t latin_char(const char *s, size_t len, size_t i, int lower_only)
{
    unsigned char c0 = (unsigned char)s[i];
    if (c0 < 0x80)
        return 1;
    if (i + 1 >= len)
        return 0;
    unsigned char c1 = (unsigned char)s[i + 1];
    if (c0 == 0xC3)
        return latin1_letter(c1, lower_only) ? 2 : 0;
    if (c0 == 0xC5)
        return c1 == 0x93 || (!lower_only && c1 == 0x92) ? 2 : 0; /* œ Œ */
    if (c0 == 0xE2 && !lower_only && i + 2 < len && c1 == 0x80 && (unsigned char)s[i + 2] == 0x99)
        return 3; /* ’ */
    return 0;
}

static int latin_only(const char *s, size_t len, int lower_only)
{
    for (size_t i = 0; i < len;) {
        size_t n = latin_char(s, len, i, lower_only);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

static int fold_latin(const char *s, size_t len, oa_buf *out)
{
    size_t start = out->len;
    int rc = oa_buf_append(out, s, len); /* the result is never longer */
    if (rc)
        return rc;
    char *d = out->data + start;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            d[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
        } else if (c == 0xE2) {
            d[o++] = '\'';
            i += 3;
        } else {
            unsigned char c1 = (unsigned char)s[i + 1];
            d[o++] = (char)c;
            /* À..Þ fold to à..þ (+0x20), Œ (C5 92) to œ (C5 93) */
            d[o++] = (char)(c == 0xC3 && c1 < 0xA0 ? c1 + 0x20 : c == 0xC5 ? 0x93 : c1);
            i += 2;
        }
    }
    out->len = start + o;
    out->data[out->len] = '\0';
    return 0;
}

/* Base letters of à..ÿ; "" for those without a decomposition (ð ÷ ø þ stay),
 * "ae" for æ. */
static const char *const latin1_plain[32] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "",  "n", "o", "o", "o", "o", "o",  "",  "",  "u", "u", "u", "u", "y", "",  "y",
};

static int strip_latin(const char *s, size_t len, oa_buf *out)
{
    size_t start = out->len;
    int rc = oa_buf_append(out, s, len); /* never longer: 2 bytes give 1 or 2 */
    if (rc)
        return rc;
    char *d = out->data + start;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            d[o++] = (char)c;
            i++;
            continue;
        }
        unsigned char c1 = (unsigned char)s[i + 1];
        const char *p = c == 0xC5 ? "oe" : latin1_plain[c1 - 0xA0];
        if (*p) {
            while (*p)
                d[o++] = *p++;
        } else {
            d[o++] = (char)c;
            d[o++] = (char)c1;
        }
        i += 2;
    }
    out->len = start + o;
    out->data[out->len] = '\0';
    return 0;
}

int oa_utf8_fold_append(oa_utf8_work *w, const char *s, size_t len, oa_buf *out)
{
    if (latin_only(s, len, 0))
        return fold_latin(s, len, out);
    /* Default ignorables (soft hyphen, zero-width joiners) vanish inside words. */
    return transform(w, s, len, OPT_FOLD | UTF8PROC_IGNORE, apostrophe_to_ascii, 0, out);
}

int oa_utf8_strip_accents_append(oa_utf8_work *w, const char *s, size_t len, oa_buf *out)
{
    if (latin_only(s, len, 1))
        return strip_latin(s, len, out);
    return transform(w, s, len, OPT_STRIP, NULL, 1, out);
}

int oa_utf8_expand_ligatures_append(const char *s, size_t len, oa_buf *out)
{
    /* œ is C5 93 and æ is C3 A6: no other character contains these pairs. */
    size_t from = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char c0 = (unsigned char)s[i], c1 = (unsigned char)s[i + 1];
        const char *rep = NULL;
        if (c0 == 0xC5 && c1 == 0x93)
            rep = "oe";
        else if (c0 == 0xC3 && c1 == 0xA6)
            rep = "ae";
        if (!rep)
            continue;
        int rc = oa_buf_append(out, s + from, i - from);
        if (!rc)
            rc = oa_buf_append(out, rep, 2);
        if (rc)
            return rc;
        from = i + 2;
        i++;
    }
    return oa_buf_append(out, s + from, len - from);
}

/* Runs one transform over a whole text into a new string. */
static int transform_new(const char *s, size_t len, utf8proc_option_t opts, int expand_ligatures,
                         char **out, size_t *outlen)
{
    if (!oa_utf8_valid(s, len, NULL))
        return invalid(s, len);
    oa_utf8_work w = OA_UTF8_WORK_INIT;
    oa_buf b = OA_BUF_INIT;
    int rc = transform(&w, s, len, opts, NULL, expand_ligatures, &b);
    oa_utf8_work_free(&w);
    if (rc) {
        oa_buf_free(&b);
        return rc;
    }
    if (outlen)
        *outlen = b.len;
    *out = oa_buf_detach(&b);
    return *out ? 0 : OASIS_ENOMEM;
}

int oa_utf8_fold(const char *s, size_t len, char **out, size_t *outlen)
{
    return transform_new(s, len, OPT_FOLD, 0, out, outlen);
}

int oa_utf8_strip_accents(const char *s, size_t len, char **out, size_t *outlen)
{
    return transform_new(s, len, OPT_STRIP, 1, out, outlen);
}

int oa_fold_key(const char *text, size_t len, char **out)
{
    if (!oa_utf8_valid(text, len, NULL))
        return invalid(text, len);
    oa_utf8_work w = OA_UTF8_WORK_INIT;
    oa_buf folded = OA_BUF_INIT, plain = OA_BUF_INIT, b = OA_BUF_INIT;
    int rc = transform(&w, text, len, OPT_FOLD, NULL, 0, &folded);
    if (!rc)
        rc = transform(&w, folded.data ? folded.data : "", folded.len, OPT_STRIP, NULL, 1, &plain);
    oa_utf8_work_free(&w);
    oa_buf_free(&folded);
    int pending_space = 0;
    for (size_t i = 0; i < plain.len && !rc;) {
        int32_t cp;
        int n = oa_utf8_decode(plain.data + i, plain.len - i, &cp);
        if (n < 0)
            n = 1, cp = 0;
        /* ʼ is a letter for Unicode but an apostrophe here: it separates. */
        if (oa_utf8_is_word_char(cp) && !oa_utf8_is_apostrophe(cp)) {
            if (pending_space && b.len)
                rc = oa_buf_putc(&b, ' ');
            pending_space = 0;
            if (!rc)
                rc = oa_buf_append(&b, plain.data + i, (size_t)n);
        } else {
            pending_space = 1;
        }
        i += (size_t)n;
    }
    oa_buf_free(&plain);
    if (rc) {
        oa_buf_free(&b);
        return rc;
    }
    *out = oa_buf_detach(&b);
    return *out ? 0 : OASIS_ENOMEM;
}
