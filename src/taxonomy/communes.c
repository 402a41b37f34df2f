#include "taxonomy/communes.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "taxonomy/departements.h"
#include "util/error.h"

/* The rows: from the line after the header to the terminating NUL. */
static const char *rows_begin(void)
{
    const char *p = oa_communes_tsv;
    while (*p == '#' || strncmp(p, "name\t", 5) == 0) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            return p + strlen(p);
        p = nl + 1;
    }
    return p;
}

static const char *rows_end(void)
{
    return oa_communes_tsv + oa_communes_tsv_len;
}

static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl : end;
}

/* Splits the row at p into *out; 0 when it is malformed. */
static int read_row(const char *p, const char *eol, oa_commune *out)
{
    const char *t1 = memchr(p, '\t', (size_t)(eol - p));
    if (!t1 || t1 == p)
        return 0;
    const char *code = t1 + 1;
    const char *t2 = memchr(code, '\t', (size_t)(eol - code));
    if (!t2 || t2 == code)
        return 0;
    out->name = p;
    out->name_len = (size_t)(t1 - p);
    out->departement = oa_departement_find(code, (size_t)(t2 - code));
    out->common = t2 + 1 < eol && t2[1] == '1';
    return out->departement != NULL;
}

/* The fold key of name[0..len) into buf (cap bytes) without allocating
 * when the name is plain ASCII; *out is buf, or a key the caller frees. */
static int fold_name(const char *name, size_t len, char *buf, size_t cap, char **out)
{
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 0x80 || n + 2 >= cap)
            return oa_fold_key(name, len, out);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (space && n)
                buf[n++] = ' ';
            space = 0;
            buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else {
            space = 1;
        }
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

/* Compares the fold key of the row's name with key: <0, 0, >0. A row that
 * cannot be folded sorts first (it is skipped). */
static int compare_row(const char *p, const char *eol, const char *key, size_t len)
{
    const char *tab = memchr(p, '\t', (size_t)(eol - p));
    char buf[128], *k;
    if (!tab || fold_name(p, (size_t)(tab - p), buf, sizeof buf, &k))
        return -1;
    size_t kl = strlen(k);
    int c = memcmp(k, key, kl < len ? kl : len);
    if (!c)
        c = kl < len ? -1 : kl > len ? 1 : 0;
    if (k != buf)
        free(k);
    return c;
}

/* 1 when the row's name folds to key followed by a space and more. */
static int row_extends(const char *p, const char *eol, const char *key, size_t len)
{
    const char *tab = memchr(p, '\t', (size_t)(eol - p));
    char buf[128], *k;
    if (!tab || fold_name(p, (size_t)(tab - p), buf, sizeof buf, &k))
        return 0;
    int r = strlen(k) > len && k[len] == ' ' && memcmp(k, key, len) == 0;
    if (k != buf)
        free(k);
    return r;
}

/* 1 when the row's name folds to a key that starts with key[0..len). */
static int row_has_prefix(const char *p, const char *eol, const char *key, size_t len)
{
    const char *tab = memchr(p, '\t', (size_t)(eol - p));
    char buf[128], *k;
    if (!tab || fold_name(p, (size_t)(tab - p), buf, sizeof buf, &k))
        return 0;
    int r = strlen(k) >= len && memcmp(k, key, len) == 0;
    if (k != buf)
        free(k);
    return r;
}

/* The first row whose key is not below key[0..len) (a row start, or end). */
static const char *lower_bound(const char *key, size_t len)
{
    const char *end = rows_end();
    /* lo and hi are always row starts. */
    const char *lo = rows_begin(), *hi = end;
    while (lo < hi) {
        const char *mid = lo + (hi - lo) / 2;
        while (mid > lo && mid[-1] != '\n')
            mid--;
        const char *eol = line_end(mid, end);
        if (compare_row(mid, eol, key, len) < 0)
            lo = eol < end ? eol + 1 : end;
        else
            hi = mid;
    }
    return lo;
}

size_t oa_communes_prefix(const char *key, size_t len, oa_commune *out, size_t max)
{
    size_t n = 0;
    if (len == 0)
        return 0;
    const char *end = rows_end();
    for (const char *p = lower_bound(key, len); p < end && n < max;) {
        const char *eol = line_end(p, end);
        if (!row_has_prefix(p, eol, key, len))
            break;
        if (read_row(p, eol, &out[n]))
            n++;
        p = eol < end ? eol + 1 : end;
    }
    return n;
}

size_t oa_communes_find(const char *key, size_t len, oa_commune *out, size_t max, int *longer)
{
    if (longer)
        *longer = 0;
    if (len == 0)
        return 0;
    const char *end = rows_end();
    size_t n = 0;
    const char *p = lower_bound(key, len);
    while (p < end) {
        const char *eol = line_end(p, end);
        if (compare_row(p, eol, key, len) != 0) {
            if (longer)
                *longer = row_extends(p, eol, key, len);
            break;
        }
        oa_commune c;
        if (read_row(p, eol, &c)) {
            if (n < max)
                out[n] = c;
            n++;
        }
        p = eol < end ? eol + 1 : end;
    }
    return n;
}

size_t oa_communes_count(void)
{
    size_t n = 0;
    const char *end = rows_end();
    for (const char *p = rows_begin(); p < end; p = line_end(p, end) + 1)
        n++;
    return n;
}

int oa_communes_at(size_t i, oa_commune *out)
{
    const char *end = rows_end();
    const char *p = rows_begin();
    for (size_t k = 0; p < end && k < i; k++)
        p = line_end(p, end) + 1;
    if (p >= end)
        return oa_error(OASIS_ENOTFOUND, "no commune row %zu", i);
    if (!read_row(p, line_end(p, end), out))
        return oa_error(OASIS_EFORMAT, "communes table row %zu is malformed", i + 1);
    return 0;
}
