/* Decoding of corpus files: encodings, binary data and bad lines (see
 * encoding.h for the rules). */
#define _POSIX_C_SOURCE 200809L
#include "corpus/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

/* Bad lines beyond this many in one file are counted in one last warning. */
#define BAD_LINE_WARNINGS 50
/* How much of a file the binary and UTF-16 guesses look at. */
#define SNIFF_BYTES 65536

static const struct signature {
    const char *magic;
    size_t len;
    const char *what;
} signatures[] = {
    {"%PDF-", 5, "a PDF document"},
    {"PK\x03\x04", 4, "a ZIP archive or office document"},
    {"\x1f\x8b", 2, "gzip-compressed data"},
    {"\x28\xb5\x2f\xfd", 4, "zstd-compressed data"},
    {"\xfd" "7zXZ", 5, "xz-compressed data"},
    {"7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive"},
    {"Rar!\x1a\x07", 6, "a RAR archive"},
    {"\x7f" "ELF", 4, "an executable"},
    {"\x89PNG", 4, "a PNG image"},
    {"GIF8", 4, "a GIF image"},
    {"\xff\xd8\xff", 3, "a JPEG image"},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "an old Microsoft Office document"},
};

void oa_text_free(oa_text *t)
{
    free(t->owned);
    free(t->bad_lines);
    t->owned = NULL;
    t->bad_lines = NULL;
    t->data = NULL;
    t->len = t->n_bad = 0;
}

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The length of the valid UTF-8 sequence at s[0..n) (NUL excluded), or 0
 * with *why set and *skip the bytes one U+FFFD replaces. */
static size_t seq_len(const unsigned char *s, size_t n, const char **why, size_t *skip)
{
    unsigned c = s[0];
    *skip = 1;
    if (c < 0x80) {
        if (c)
            return 1;
        *why = "NUL byte";
        return 0;
    }
    if (c < 0xC0) {
        *why = "stray continuation byte";
        return 0;
    }
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0xC2) {
        need = 2;
        lo = 0xC0; /* nothing is in range: overlong */
    } else if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *why = "byte never used in UTF-8";
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        if (i >= n || !is_cont(s[i])) {
            *why = "truncated sequence";
            *skip = i;
            return 0;
        }
        if (i == 1 && (s[1] < lo || s[1] > hi)) {
            *why = c == 0xED ? "surrogate code point" : c == 0xF4 ? "code point beyond U+10FFFF"
                                                                  : "overlong encoding";
            size_t k = 1;
            while (k < need && k < n && is_cont(s[k]))
                k++;
            *skip = k;
            return 0;
        }
    }
    return need;
}

static const char *binary_reason(const unsigned char *s, size_t len);
static int looks_utf16(const unsigned char *s, size_t len);

/* Counts valid multi-byte sequences and invalid spots of buf (NUL aside). */
static void utf8_census(const unsigned char *s, size_t n, size_t *valid, size_t *invalid)
{
    *valid = *invalid = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        const char *why;
        size_t skip, l = seq_len(s + i, n - i, &why, &skip);
        if (l) {
            (*valid)++;
            i += l;
        } else {
            (*invalid)++;
            i += skip;
        }
    }
}

size_t oa_encoding_census(oa_census *c, const char *buf, size_t n, int eof)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            if (s[i] == '\n' && !c->first_found)
                c->line++;
            i++;
            continue;
        }
        const char *why;
        size_t skip, l = seq_len(s + i, n - i, &why, &skip);
        if (l) {
            c->valid++;
            i += l;
            continue;
        }
        if (!eof && i + skip == n && !strcmp(why, "truncated sequence"))
            break; /* completed by the next piece */
        if (!c->first_found) {
            c->first_found = 1;
            c->first_line = c->line;
        }
        c->invalid++;
        i += skip;
    }
    return i;
}

int oa_encoding_is_utf8(const oa_census *c)
{
    return !(c->invalid && (c->valid == 0 || c->invalid > c->valid));
}

const char *oa_encoding_binary(const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *)buf;
    const char *why = binary_reason(u, len);
    if (why)
        return why;
    return looks_utf16(u, len) ? "" : NULL;
}

/* buf[0..len) converted by iconv from the encoding from. On a byte it cannot
 * convert: OASIS_EFORMAT and *bad_at its offset. */
static int convert(const char *from, const char *buf, size_t len, char **out, size_t *outlen,
                   size_t *bad_at)
{
    *out = NULL;
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return oa_error(OASIS_EFORMAT, "cannot convert from %s: %s", from, strerror(errno));
    size_t cap = len + len / 2 + 16;
    char *dst = malloc(cap);
    if (!dst) {
        iconv_close(cd);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    char *ip = (char *)buf, *op = dst;
    size_t il = len, ol = cap - 1;
    int rc = 0;
    while (il > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(op - dst);
            if ((rc = oa_grow(&dst, &cap, cap + 1, 1)))
                break;
            op = dst + used;
            ol = cap - used - 1;
            continue;
        }
        *bad_at = (size_t)(ip - buf);
        rc = oa_error(OASIS_EFORMAT, "not valid %s at byte %zu", from, *bad_at);
        break;
    }
    iconv_close(cd);
    if (rc) {
        free(dst);
        return rc;
    }
    *op = '\0';
    *out = dst;
    *outlen = (size_t)(op - dst);
    return 0;
}

static long line_of(const char *buf, size_t off)
{
    long line = 1;
    for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + off - p))) != NULL; p++)
        line++;
    return line;
}

/* The reason to refuse buf as binary, or NULL. */
static const char *binary_reason(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++)
        if (len >= signatures[i].len && !memcmp(s, signatures[i].magic, signatures[i].len))
            return signatures[i].what;
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, ctrl = 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] < 0x20 && !strchr("\t\n\v\f\r", s[i])) || s[i] == 0x7f)
            ctrl++;
    return ctrl * 10 > n ? "binary data (control bytes)" : NULL;
}

/* 1 when s looks like UTF-16 without a byte order mark: ASCII text where
 * every other byte is NUL. */
static int looks_utf16(const unsigned char *s, size_t len)
{
    size_t pairs = (len < SNIFF_BYTES ? len : SNIFF_BYTES) / 2, nul[2] = {0, 0};
    if (pairs < 2)
        return 0;
    for (size_t i = 0; i < pairs * 2; i++)
        nul[i & 1] += s[i] == 0;
    return (nul[0] * 10 < pairs && nul[1] * 10 > pairs * 4) ||
           (nul[1] * 10 < pairs && nul[0] * 10 > pairs * 4);
}

static void warn_bad_line(oa_reader *r, size_t n_bad, long line, const char *why, size_t col,
                          const unsigned char *at, size_t n_at, size_t more)
{
    if (n_bad > BAD_LINE_WARNINGS)
        return;
    char extra[64] = "";
    if (more)
        snprintf(extra, sizeof extra, ", and %zu more on this line", more);
    if (at[0] == 0) {
        oa_corpus_warn(r, line, "NUL byte at column %zu%s; the record holding this line is "
                       "not indexed", col, extra);
        return;
    }
    char bytes[32] = "";
    size_t k = 0;
    for (size_t i = 0; i < n_at && i < 4; i++)
        k += (size_t)snprintf(bytes + k, sizeof bytes - k, "%s0x%02X", i ? " " : "", at[i]);
    oa_corpus_warn(r, line, "invalid UTF-8 at column %zu (%s: %s)%s; the record holding "
                   "this line is not indexed", col, why, bytes, extra);
}

int oa_encoding_check_line(oa_reader *r, const char *s, size_t n, long line, size_t *n_bad,
                           oa_buf *fixed, int *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t first_col = 0, first_len = 0, count = 0;
    const char *first_why = NULL;
    const unsigned char *first_at = NULL;
    int rc = 0;
    *bad = 0;
    oa_buf_reset(fixed);
    size_t copied = 0;
    for (size_t i = 0; i < n && !rc;) {
        if (u[i] >= 0x20 && u[i] < 0x80) {
            i++;
            continue;
        }
        const char *why;
        size_t skip, l = seq_len(u + i, n - i, &why, &skip);
        if (l) {
            i += l;
            continue;
        }
        if (!count++) {
            first_why = why;
            first_col = i + 1;
            first_at = u + i;
            first_len = skip;
        }
        if (!(rc = oa_buf_append(fixed, s + copied, i - copied)))
            rc = oa_buf_append(fixed, "\xef\xbf\xbd", 3); /* U+FFFD */
        i += skip;
        copied = i;
    }
    if (!rc && count)
        rc = oa_buf_append(fixed, s + copied, n - copied);
    if (rc)
        return rc;
    if (count) {
        *bad = 1;
        ++*n_bad;
        warn_bad_line(r, *n_bad, line, first_why, first_col, first_at, first_len, count - 1);
    } else if (n > OA_LINE_MAX) {
        *bad = 1;
        if (++*n_bad <= BAD_LINE_WARNINGS)
            oa_corpus_warn(r, line,
                           "line of %zu bytes, longer than the %d a line may hold; the record "
                           "holding it is not indexed", n, OA_LINE_MAX);
    }
    return 0;
}

void oa_encoding_bad_summary(oa_reader *r, size_t n_bad)
{
    if (n_bad > BAD_LINE_WARNINGS)
        oa_corpus_warn(r, 0, "%zu more bad lines not shown (the first %d are)",
                       n_bad - BAD_LINE_WARNINGS, BAD_LINE_WARNINGS);
}

static int add_bad_line(long **v, size_t *n, size_t *cap, long line)
{
    int rc = oa_grow(v, cap, *n + 1, sizeof **v);
    if (rc)
        return rc;
    (*v)[(*n)++] = line;
    return 0;
}

/* Finds the bad lines of UTF-8 text t->data[0..t->len), rewriting their
 * invalid bytes. */
static int scan_lines(oa_reader *r, oa_text *t)
{
    oa_buf copy = OA_BUF_INIT, fixed = OA_BUF_INIT;
    int copying = 0;
    long *bad_v = NULL;
    size_t n_bad = 0, n_list = 0, cap_bad = 0;
    const char *base = t->data, *end = base + t->len;
    long line = 0;
    int rc = 0;
    for (const char *s = base; s < end && !rc;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        int bad;
        rc = oa_encoding_check_line(r, s, n, ++line, &n_bad, &fixed, &bad);
        if (!rc && bad)
            rc = add_bad_line(&bad_v, &n_list, &cap_bad, line);
        if (!rc && fixed.len && !copying) {
            copying = 1;
            rc = oa_buf_append(&copy, base, (size_t)(s - base));
        }
        if (!rc && copying)
            rc = fixed.len ? oa_buf_append(&copy, fixed.data, fixed.len)
                           : oa_buf_append(&copy, s, n);
        if (!rc && nl && copying)
            rc = oa_buf_putc(&copy, '\n');
        s += n + (nl ? 1 : 0);
    }
    oa_buf_free(&fixed);
    if (!rc)
        oa_encoding_bad_summary(r, n_bad);
    if (rc) {
        oa_buf_free(&copy);
        free(bad_v);
        return rc;
    }
    if (copying) {
        free(t->owned);
        t->len = copy.len;
        t->owned = oa_buf_detach(&copy);
        t->data = t->owned;
    }
    t->bad_lines = bad_v;
    t->n_bad = n_bad;
    return 0;
}

/* A byte order mark of UTF-16 or UTF-32: the encoding, and its length. */
const char *oa_encoding_bom(const char *buf, size_t len, size_t *bom)
{
    const unsigned char *s = (const unsigned char *)buf;
    if (len >= 4 && !memcmp(s, "\xff\xfe\0\0", 4)) {
        *bom = 4;
        return "UTF-32LE";
    }
    if (len >= 4 && !memcmp(s, "\0\0\xfe\xff", 4)) {
        *bom = 4;
        return "UTF-32BE";
    }
    if (len >= 2 && !memcmp(s, "\xff\xfe", 2)) {
        *bom = 2;
        return "UTF-16LE";
    }
    if (len >= 2 && !memcmp(s, "\xfe\xff", 2)) {
        *bom = 2;
        return "UTF-16BE";
    }
    return NULL;
}

int oa_corpus_decode(oa_reader *r, const char *buf, size_t len, oa_text *out)
{
    *out = (oa_text)OA_TEXT_INIT;
    const unsigned char *u = (const unsigned char *)buf;
    size_t bom = 0, bad_at = 0, outlen = 0;
    const char *enc = oa_encoding_bom(buf, len, &bom);
    int rc;
    if (enc) {
        if ((rc = convert(enc, buf + bom, len - bom, &out->owned, &outlen, &bad_at)))
            return rc == OASIS_EFORMAT
                       ? oa_error(rc, "not valid %s (byte order mark) at byte %zu: refused", enc,
                                  bad_at + bom)
                       : rc;
        out->encoding = enc;
        oa_corpus_warn(r, 0, "encoded in %s (byte order mark): converted to UTF-8", enc);
    } else {
        if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
            buf += 3;
            len -= 3;
            u += 3;
        }
        const char *why = binary_reason(u, len);
        if (why)
            return oa_error(OASIS_EFORMAT, "%s, not text: refused", why);
        if (looks_utf16(u, len))
            return oa_error(OASIS_EFORMAT, "looks like UTF-16 without a byte order mark: "
                                           "refused (save it as UTF-8)");
        size_t valid, invalid;
        utf8_census(u, len, &valid, &invalid);
        if (invalid && (valid == 0 || invalid > valid)) {
            /* Not UTF-8 at all: the 8-bit encodings French text comes in. */
            size_t first = 0, l = 1;
            const char *why1;
            size_t skip;
            while (first < len &&
                   (l = u[first] < 0x80 ? 1 : seq_len(u + first, len - first, &why1, &skip)) > 0)
                first += l;
            enc = "WINDOWS-1252";
            rc = convert(enc, buf, len, &out->owned, &outlen, &bad_at);
            if (rc == OASIS_EFORMAT) {
                enc = "ISO-8859-1";
                rc = convert(enc, buf, len, &out->owned, &outlen, &bad_at);
            }
            if (rc)
                return rc;
            out->encoding = strcmp(enc, "WINDOWS-1252") ? "ISO-8859-1" : "Windows-1252";
            oa_corpus_warn(r, 0,
                           "not UTF-8 (first at line %ld): read as %s; save the file as UTF-8 "
                           "to silence this warning",
                           line_of(buf, first), out->encoding);
        }
    }
    if (out->owned) {
        out->data = out->owned;
        out->len = outlen;
    } else {
        out->data = buf;
        out->len = len;
    }
    return scan_lines(r, out);
}
