/* Format detection from the content, and dispatch. */
#include <string.h>

#include "corpus/common.h"
#include "corpus/encoding.h"
#include "corpus/reader.h"
#include "taxonomy/departements.h"
#include "util/error.h"

/* Records headers that are followed by a title line; *unknown gets those
 * shaped as headers whose code and name name no département. */
static size_t count_record_headers(const char *buf, size_t len, size_t *unknown)
{
    size_t pos = 0, count = 0;
    int pending = 0; /* a header waits for its title: 1 known, 2 unknown */
    const char *s, *name;
    size_t n, code_len, name_len;
    *unknown = 0;
    while (oa_corpus_next_line(buf, len, &pos, &s, &n)) {
        oa_corpus_trim(&s, &n);
        if (n == 0)
            continue;
        int header = oa_corpus_record_header(s, n, NULL) != NULL ? 1
                     : oa_corpus_unknown_header(s, n, &code_len, &name, &name_len) ? 2
                                                                                    : 0;
        if (pending == 1 && !header)
            count++;
        else if (pending == 2 && !header)
            (*unknown)++;
        pending = header;
    }
    return count;
}

/* "[Label]" introductions whose label names at least one département. */
static size_t count_intros(const char *buf, size_t len)
{
    size_t pos = 0, count = 0;
    const char *s;
    size_t n;
    while (oa_corpus_next_line(buf, len, &pos, &s, &n)) {
        size_t from = 0, open, close;
        while (oa_corpus_find_intro(s, n, from, &open, &close)) {
            const oasis_departement *d[4];
            size_t nd;
            oa_departement_resolve_label(s + open + 1, close - open - 1, d, 4, &nd);
            count += nd > 0;
            from = close + 1;
        }
    }
    return count;
}

oa_format oa_detect_format(const char *buf, size_t len)
{
    if (!buf)
        return OA_FORMAT_UNKNOWN;
    oa_corpus_skip_bom(&buf, &len);
    size_t pos = 0;
    const char *s;
    size_t n;
    while (oa_corpus_next_line(buf, len, &pos, &s, &n)) {
        oa_corpus_trim(&s, &n);
        if (n == 0)
            continue;
        /* Only JSON starts with '{': the shape is enough, so that a first
         * line that is broken still leaves the others readable. */
        if (s[0] == '{' && s[n - 1] == '}')
            return OA_FORMAT_JSONL;
        break;
    }
    if (oa_departements_init())
        return OA_FORMAT_UNKNOWN;
    size_t unknown;
    size_t records = count_record_headers(buf, len, &unknown);
    size_t intros = count_intros(buf, len);
    /* Records whose départements are all unknown are records still: the
     * reader says which. */
    if (records == 0 && intros == 0)
        return unknown ? OA_FORMAT_RECORDS : OA_FORMAT_UNKNOWN;
    return records >= intros ? OA_FORMAT_RECORDS : OA_FORMAT_LISTING;
}

const char *oa_format_name(oa_format f)
{
    switch (f) {
    case OA_FORMAT_RECORDS:
        return "records";
    case OA_FORMAT_LISTING:
        return "listing";
    case OA_FORMAT_JSONL:
        return "jsonl";
    case OA_FORMAT_UNKNOWN:
    default:
        return "unknown";
    }
}

static int read_text(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx)
{
    switch (oa_detect_format(buf, len)) {
    case OA_FORMAT_RECORDS:
        return oa_read_records_ctx(r, buf, len, ctx);
    case OA_FORMAT_LISTING:
        return oa_read_listing_ctx(r, buf, len, ctx);
    case OA_FORMAT_JSONL:
        return oa_read_jsonl_ctx(r, buf, len, ctx);
    case OA_FORMAT_UNKNOWN:
    default:
        return oa_error(OASIS_EFORMAT, "unknown format: no records, listing items or json lines");
    }
}

/* 1 when s[0..n) holds nothing but white space. */
static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n\f\v", s[i]))
            return 0;
    return 1;
}

int oa_read_buffer(oa_reader *r, const char *buf, size_t len)
{
    int rc = oa_corpus_check_utf8(buf, len);
    if (rc)
        return rc;
    oa_read_ctx none = {NULL, 0, NULL};
    return read_text(r, buf, len, &none);
}

int oa_read_bytes(oa_reader *r, const char *buf, size_t len, oa_read_progress *progress)
{
    oa_text t = OA_TEXT_INIT;
    int rc = oa_corpus_decode(r, buf, len, &t);
    if (!rc && blank(t.data, t.len)) {
        oa_corpus_warn(r, 0, "empty file: no initiatives");
        oa_text_free(&t);
        return 0;
    }
    oa_read_ctx ctx = {t.bad_lines, t.n_bad, progress};
    if (progress) {
        progress->done = 0;
        progress->total = t.len;
    }
    if (!rc)
        rc = read_text(r, t.data, t.len, &ctx);
    oa_text_free(&t);
    return rc;
}
