/* The stored document data (see docdata.h): a format byte, then each
 * field as its length (LEB128) and its bytes, in a fixed order: id,
 * title, text, source file, source line, the département codes (a count,
 * then each), the category slugs (the same). Nothing to parse: a decoder
 * that checks every length against what is left. */
#include "index/docdata.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "util/buf.h"
#include "util/error.h"

#define FORMAT 1

/* 1 when s (NULL: empty) is valid UTF-8; otherwise 0 with OASIS_EFORMAT
 * recorded, naming what. */
static int valid_utf8(const char *s, const char *what)
{
    size_t bad;
    if (!s || oa_utf8_valid(s, strlen(s), &bad))
        return 1;
    oa_error(OASIS_EFORMAT, "invalid utf-8 in the %s at byte %zu", what, bad);
    return 0;
}

static int put_number(oa_buf *b, unsigned long long v)
{
    char bytes[10];
    size_t n = 0;
    do {
        bytes[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return oa_buf_append(b, bytes, n);
}

static int put_string(oa_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    int rc = put_number(b, n);
    return rc ? rc : oa_buf_append(b, s ? s : "", n);
}

static int put_list(oa_buf *b, const char *const *v, size_t n)
{
    int rc = put_number(b, n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = put_string(b, v[i]);
    return rc;
}

int oa_docdata_encode(const oasis_doc *doc, const char *id, const char *const *codes,
                      size_t n_codes, const char *const *categories, size_t n_categories,
                      oa_buf *out)
{
    oa_buf_reset(out);
    if (!valid_utf8(id, "id") || !valid_utf8(doc->title, "title") ||
        !valid_utf8(doc->text, "text") || !valid_utf8(doc->source_file, "source file name"))
        return OASIS_EFORMAT;
    for (size_t i = 0; i < n_codes; i++)
        if (!valid_utf8(codes[i], "départements"))
            return OASIS_EFORMAT;
    for (size_t i = 0; i < n_categories; i++)
        if (!valid_utf8(categories[i], "categories"))
            return OASIS_EFORMAT;
    long line = doc->source_line > 0 ? doc->source_line : 0;
    int rc;
    if ((rc = oa_buf_putc(out, FORMAT)) || (rc = put_string(out, id)) ||
        (rc = put_string(out, doc->title)) || (rc = put_string(out, doc->text)) ||
        (rc = put_string(out, doc->source_file)) ||
        (rc = put_number(out, (unsigned long long)line)) ||
        (rc = put_list(out, codes, n_codes)) || (rc = put_list(out, categories, n_categories)))
        return rc;
    return 0;
}

/* ---- decoding */

typedef struct reader {
    const unsigned char *p, *end;
    int bad;
} reader;

static unsigned long long take_number(reader *r)
{
    unsigned long long v = 0;
    for (unsigned shift = 0; !r->bad; shift += 7) {
        if (r->p == r->end || shift > 63) {
            r->bad = 1;
            break;
        }
        unsigned char byte = *r->p++;
        v |= (unsigned long long)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
    return 0;
}

/* A string of the data: valid UTF-8 without NUL, copied. NULL with r->bad
 * set when it is not one, or with OASIS_ENOMEM recorded. */
static char *take_string(reader *r)
{
    unsigned long long n = take_number(r);
    size_t bad;
    if (r->bad || n > (unsigned long long)(r->end - r->p) || memchr(r->p, '\0', (size_t)n) ||
        !oa_utf8_valid((const char *)r->p, (size_t)n, &bad)) {
        r->bad = 1;
        return NULL;
    }
    char *s = oa_strndup((const char *)r->p, (size_t)n);
    r->p += n;
    return s;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int take_list(reader *r, char ***out, size_t *n)
{
    unsigned long long count = take_number(r);
    /* Each item takes at least its length byte. */
    if (r->bad || count > (unsigned long long)(r->end - r->p)) {
        r->bad = 1;
        return 0;
    }
    if (!(*out = calloc(count ? (size_t)count : 1, sizeof **out)))
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (*n = 0; *n < count; (*n)++)
        if (!((*out)[*n] = take_string(r)))
            return r->bad ? 0 : OASIS_ENOMEM;
    return 0;
}

int oa_docdata_decode(const char *data, size_t len, oa_docdata *out)
{
    memset(out, 0, sizeof *out);
    reader r = {(const unsigned char *)data, (const unsigned char *)data + len, 0};
    int rc = 0;
    if (!len || *r.p++ != FORMAT)
        r.bad = 1;
    char **fields[] = {&out->id, &out->title, &out->text, &out->source_file};
    for (size_t i = 0; i < sizeof fields / sizeof *fields && !r.bad; i++)
        if (!(*fields[i] = take_string(&r)) && !r.bad)
            rc = OASIS_ENOMEM;
    unsigned long long line = rc ? 0 : take_number(&r);
    if (!rc && !r.bad && line > (unsigned long long)LONG_MAX)
        r.bad = 1;
    out->source_line = (long)line;
    if (!rc && !r.bad)
        rc = take_list(&r, &out->departements, &out->n_departements);
    if (!rc && !r.bad)
        rc = take_list(&r, &out->categories, &out->n_categories);
    if (!rc && !r.bad && r.p != r.end)
        r.bad = 1;
    if (!rc && r.bad)
        rc = oa_error(OASIS_ECORRUPT, "stored document data is damaged (byte %zu of %zu)",
                      (size_t)(r.p - (const unsigned char *)data), len);
    if (rc)
        oa_docdata_clear(out);
    return rc;
}

void oa_docdata_clear(oa_docdata *d)
{
    free(d->id);
    free(d->title);
    free(d->text);
    free(d->source_file);
    free_list(d->departements, d->n_departements);
    free_list(d->categories, d->n_categories);
    memset(d, 0, sizeof *d);
}
