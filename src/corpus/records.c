/* The records format: a "NN. Département" header line, a title line, then
 * body lines up to the next header. */
#include <stdlib.h>
#include <string.h>

#include "corpus/common.h"
#include "corpus/reader.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct record {
    int open;                      /* 0 before the first header */
    const oasis_departement *dept; /* NULL for an unknown département */
    const char *label;             /* the header's name, as written */
    size_t label_len;
    long line;
    const char *title;             /* into the buffer; NULL until seen */
    size_t title_len;
    oa_buf body;
    int bad;                       /* holds a bad line: dropped */
} record;

static int finish(oa_reader *r, record *rec)
{
    if (!rec->open)
        return 0;
    if (rec->bad) {
        r->skipped++; /* its bad line was reported when it was decoded */
        return 0;
    }
    if (!rec->title) {
        if (rec->dept)
            oa_corpus_warn(r, rec->line, "record for '%s' has no title", rec->dept->name);
        else
            oa_corpus_warn(r, rec->line, "record for '%.*s' has no title", (int)rec->label_len,
                           rec->label);
        r->skipped++;
        return 0;
    }
    char *title = oa_strndup(rec->title, rec->title_len);
    if (!title)
        return OASIS_ENOMEM;
    oa_codes codes;
    codes.n = 0;
    if (rec->dept)
        codes.v[codes.n++] = rec->dept->code;
    int rc = oa_corpus_emit(r, NULL, title, rec->body.data, &codes, NULL, 0, rec->line);
    free(title);
    return rc;
}

int oa_read_records(oa_reader *r, const char *buf, size_t len)
{
    oa_read_ctx none = {NULL, 0, NULL};
    return oa_read_records_ctx(r, buf, len, &none);
}

int oa_read_records_ctx(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx)
{
    int rc = oa_departements_init();
    if (!rc)
        rc = oa_corpus_check_utf8(buf, len);
    if (rc)
        return rc;
    oa_corpus_skip_bom(&buf, &len);

    record rec = {0, NULL, NULL, 0, 0, NULL, 0, OA_BUF_INIT, 0};
    int preamble_seen = 0;
    size_t pos = 0;
    long no = 0;
    const char *s;
    size_t n;
    while (!rc && oa_corpus_next_line(buf, len, &pos, &s, &n)) {
        no++;
        oa_corpus_progress(ctx, pos);
        oa_corpus_trim(&s, &n);
        if (n == 0)
            continue;
        int bad = oa_corpus_line_bad(ctx, no);
        const oasis_departement *by_code;
        const oasis_departement *d = oa_corpus_record_header(s, n, &by_code);
        size_t code_len, label_len;
        const char *label;
        if (!d && oa_corpus_unknown_header(s, n, &code_len, &label, &label_len)) {
            /* Neither its code nor its name is a département's: a record
             * all the same, indexed without one. */
            if ((rc = finish(r, &rec)))
                break;
            oa_corpus_warn(r, no, "unknown département %.*s ('%.*s'): indexed without a "
                                  "département", (int)code_len, s, (int)label_len, label);
            rec.open = 1;
            rec.dept = NULL;
            rec.label = label;
            rec.label_len = label_len;
            rec.line = no;
            rec.bad = bad;
            rec.title = NULL;
            oa_buf_reset(&rec.body);
            continue;
        }
        if (d) {
            rc = finish(r, &rec);
            if (rc)
                break;
            /* The name is trusted over the code: a misspelt name does not
             * resolve at all, while a mistyped code still looks valid. */
            size_t cl = (size_t)((const char *)memchr(s, '.', n) - s);
            if (!by_code)
                oa_corpus_warn(r, no, "unknown département code '%.*s' before '%s': using the name",
                               (int)cl, s, d->name);
            else if (by_code != d)
                oa_corpus_warn(r, no, "département code '%.*s' (%s) does not match '%s' (%s): using the name",
                               (int)cl, s, by_code->name, d->name, d->code);
            rec.open = 1;
            rec.dept = d;
            rec.label = d->name;
            rec.label_len = strlen(d->name);
            rec.line = no;
            rec.bad = bad;
            rec.title = NULL;
            oa_buf_reset(&rec.body);
            continue;
        }
        if (!rec.open) {
            if (!preamble_seen)
                oa_corpus_warn(r, no, "text before the first record is ignored");
            preamble_seen = 1;
            continue;
        }
        rec.bad |= bad;
        if (!rec.title) {
            rec.title = s;
            rec.title_len = n;
            continue;
        }
        if (rec.body.len)
            rc = oa_buf_putc(&rec.body, '\n');
        if (!rc)
            rc = oa_buf_append(&rec.body, s, n);
    }
    if (!rc)
        rc = finish(r, &rec);
    oa_buf_free(&rec.body);
    return rc;
}
