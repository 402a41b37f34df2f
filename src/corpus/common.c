#include "corpus/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/utf8.h"
#include "taxonomy/departements.h"
#include "util/error.h"

void oa_corpus_skip_bom(const char **buf, size_t *len)
{
    if (*len >= 3 && !memcmp(*buf, "\xef\xbb\xbf", 3)) {
        *buf += 3;
        *len -= 3;
    }
}

int oa_corpus_next_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return 0;
    const char *s = buf + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t l = nl ? (size_t)(nl - s) : len - *pos;
    *pos += l + (nl ? 1 : 0);
    if (l && s[l - 1] == '\r')
        l--;
    *line = s;
    *n = l;
    return 1;
}

static size_t space_at(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '\f' ||
                   s[0] == '\v'))
        return 1;
    if (n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
        return 2;
    return 0;
}

static size_t space_before(const char *s, size_t n)
{
    if (n >= 1 && space_at(s + n - 1, 1))
        return 1;
    if (n >= 2 && (unsigned char)s[n - 2] == 0xc2 && (unsigned char)s[n - 1] == 0xa0)
        return 2;
    return 0;
}

void oa_corpus_trim(const char **s, size_t *n)
{
    size_t k;
    while ((k = space_at(*s, *n)) > 0) {
        *s += k;
        *n -= k;
    }
    while ((k = space_before(*s, *n)) > 0)
        *n -= k;
}

int oa_corpus_check_utf8(const char *buf, size_t len)
{
    size_t bad;
    if (oa_utf8_valid(buf, len, &bad))
        return 0;
    long line = 1;
    for (size_t i = 0; i < bad; i++)
        line += buf[i] == '\n';
    return oa_error(OASIS_EFORMAT, "invalid utf-8 at line %ld, byte %zu", line, bad);
}

void oa_corpus_warn(oa_reader *r, long line, const char *fmt, ...)
{
    r->warnings++;
    if (!r->warn)
        return;
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    char *msg = malloc((size_t)need + 1);
    if (!msg) {
        r->warn(r->warn_userdata, r->file, line, "out of memory");
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)need + 1, fmt, ap);
    va_end(ap);
    r->warn(r->warn_userdata, r->file, line, msg);
    free(msg);
}

int oa_corpus_resolve(oa_reader *r, long line, const char *label, size_t len, oa_codes *codes)
{
    const oasis_departement *found[OA_CODES_MAX];
    size_t n;
    int rc = oa_departement_resolve_label(label, len, found, OA_CODES_MAX, &n);
    if (rc == OASIS_ENOTFOUND)
        oa_corpus_warn(r, line, "%s", oa_error_message());
    else if (rc)
        return rc;
    if (n == 0 && rc == 0)
        oa_corpus_warn(r, line, "unknown département '%.*s'", (int)len, label);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < codes->n && strcmp(codes->v[j], found[i]->code))
            j++;
        if (j == codes->n && codes->n < OA_CODES_MAX)
            codes->v[codes->n++] = found[i]->code;
    }
    return 0;
}

int oa_corpus_emit(oa_reader *r, const char *id, const char *title, const char *text,
                   const oa_codes *codes, const char *const *categories, size_t n_categories,
                   long line)
{
    oasis_doc doc;
    oasis_doc_init(&doc);
    doc.id = id && *id ? id : NULL;
    doc.title = title && *title ? title : NULL;
    doc.text = text ? text : "";
    if (codes && codes->n) {
        doc.departements = codes->v;
        doc.n_departements = codes->n;
    }
    doc.categories = n_categories ? categories : NULL;
    doc.n_categories = n_categories;
    doc.source_file = r->file;
    doc.source_line = line;
    return r->emit(r->userdata, &doc);
}

/* The length of the code of a header "CODE. name" (two or three digits,
 * or 2A/2B, then ". "), 0 when s does not start so. */
static size_t header_code(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 1 && s[0] == '2' && n > 1 && strchr("AaBb", s[1]))
        i = 2;
    else if (i < 2)
        return 0;
    if (i + 2 > n || s[i] != '.' || s[i + 1] != ' ')
        return 0;
    return i;
}

const oasis_departement *oa_corpus_record_header(const char *s, size_t n,
                                                 const oasis_departement **by_code)
{
    if (by_code)
        *by_code = NULL;
    size_t i = header_code(s, n);
    if (!i)
        return NULL;
    const char *name = s + i + 2;
    size_t nl = n - i - 2;
    oa_corpus_trim(&name, &nl);
    if (nl == 0 || (name[0] >= '0' && name[0] <= '9'))
        return NULL;
    const oasis_departement *d = oa_departement_find(name, nl);
    if (d && by_code)
        *by_code = oa_departement_find(s, i);
    return d;
}

int oa_corpus_unknown_header(const char *s, size_t n, size_t *code_len, const char **name,
                             size_t *name_len)
{
    if (oa_corpus_record_header(s, n, NULL))
        return 0;
    size_t i = header_code(s, n);
    if (!i || oa_departement_find(s, i))
        return 0;
    const char *nm = s + i + 2;
    size_t nl = n - i - 2;
    oa_corpus_trim(&nm, &nl);
    if (nl == 0 || nl > 48)
        return 0;
    int32_t cp;
    if (oa_utf8_decode(nm, nl, &cp) < 0 || !oa_utf8_is_word_char(cp) || (cp >= '0' && cp <= '9'))
        return 0;
    size_t words = 1;
    for (size_t k = 0; k < nl; k++) {
        if ((nm[k] >= '0' && nm[k] <= '9') || (nm[k] && strchr(".,;:!?()[]{}\"", nm[k])))
            return 0;
        if (nm[k] == ' ' && k + 1 < nl && nm[k + 1] != ' ')
            words++;
    }
    if (words > 4)
        return 0;
    *code_len = i;
    *name = nm;
    *name_len = nl;
    return 1;
}

/* 1 when the code point at s is a lower-case letter (a letter that case
 * folding leaves unchanged). */
static int lower_letter_at(const char *s, size_t n)
{
    int32_t cp;
    int l = oa_utf8_decode(s, n, &cp);
    if (l < 0 || !oa_utf8_is_word_char(cp) || (cp >= '0' && cp <= '9'))
        return 0;
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    char *folded;
    size_t fl;
    if (oa_utf8_fold(s, (size_t)l, &folded, &fl))
        return 0;
    int same = fl == (size_t)l && !memcmp(folded, s, fl);
    free(folded);
    return same;
}

static int has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int32_t cp;
        int l = oa_utf8_decode(s + i, n - i, &cp);
        if (l < 0)
            return 0;
        if (oa_utf8_is_word_char(cp) && !(cp >= '0' && cp <= '9'))
            return 1;
        i += (size_t)l;
    }
    return 0;
}

int oa_corpus_find_intro(const char *s, size_t n, size_t from, size_t *open, size_t *close)
{
    for (size_t i = from; i < n; i++) {
        if (s[i] != '[' || (i > 0 && !space_before(s, i)))
            continue;
        size_t j = i + 1;
        while (j < n && j - i <= OA_LABEL_MAX + 1 && s[j] != ']' && s[j] != '[' && s[j] != '\n')
            j++;
        if (j >= n || s[j] != ']' || j - i - 1 > OA_LABEL_MAX)
            continue;
        if (j + 1 < n && !space_at(s + j + 1, n - j - 1))
            continue;
        const char *label = s + i + 1;
        size_t ll = j - i - 1;
        oa_corpus_trim(&label, &ll);
        if (ll == 0 || !has_letter(label, ll) || lower_letter_at(label, ll))
            continue;
        *open = i;
        *close = j;
        return 1;
    }
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int oa_corpus_line_bad(const oa_read_ctx *ctx, long line)
{
    return ctx->n_bad && bsearch(&line, ctx->bad_lines, ctx->n_bad, sizeof line, cmp_long);
}

void oa_corpus_progress(const oa_read_ctx *ctx, size_t pos)
{
    if (ctx->progress)
        ctx->progress->done = pos;
}
