#include "search/query.h"

#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"

int oa_query_terms_parse(oa_analyzer *a, const char *text, oa_query_terms *out)
{
    out->v = out->alt = NULL;
    out->n = 0;
    oa_tokens toks = OA_TOKENS_INIT;
    int rc = oa_analyze(a, text, strlen(text), 0, &toks);
    if (rc)
        return rc;
    if (toks.n && (!(out->v = calloc(toks.n, sizeof *out->v)) ||
                   !(out->alt = calloc(toks.n, sizeof *out->alt))))
        rc = oa_error(OASIS_ENOMEM, "out of memory");
    int repeated = 0;
    for (size_t i = 0; i < toks.n && !rc; i++) {
        const oa_token *t = &toks.v[i];
        if (t->alt) {
            if (!repeated && !(out->alt[out->n - 1] = oa_strdup(t->term)))
                rc = OASIS_ENOMEM;
            continue;
        }
        size_t j = 0;
        while (j < out->n && strcmp(out->v[j], t->term) != 0)
            j++;
        repeated = j < out->n; /* a repeated word adds nothing */
        if (repeated)
            continue;
        if (!(out->v[out->n] = oa_strdup(t->term)))
            rc = OASIS_ENOMEM;
        else
            out->n++;
    }
    oa_tokens_free(&toks);
    if (rc)
        oa_query_terms_free(out);
    return rc;
}

void oa_query_terms_free(oa_query_terms *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i]);
        if (t->alt)
            free(t->alt[i]);
    }
    free(t->v);
    free(t->alt);
    t->v = t->alt = NULL;
    t->n = 0;
}

/* Combines n freshly made subqueries and frees them. */
static xapc_query *combine_owned(xapc_op op, xapc_query **subs, size_t n)
{
    xapc_query *q = NULL;
    size_t made = 0;
    while (made < n && subs[made])
        made++;
    if (made == n)
        q = xapc_query_combine(op, subs, n, 0);
    for (size_t i = 0; i < made; i++)
        xapc_query_free(subs[i]);
    return q;
}

xapc_query *oa_query_terms_combine(const oa_query_terms *t, xapc_op op)
{
    xapc_query **subs = calloc(t->n ? t->n : 1, sizeof *subs);
    if (!subs) {
        oa_error(OASIS_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < t->n; i++) {
        xapc_query *term = xapc_query_term(t->v[i], strlen(t->v[i]), 1, 0);
        if (term && t->alt[i]) {
            xapc_query *pair[2] = {term, xapc_query_term(t->alt[i], strlen(t->alt[i]), 1, 0)};
            subs[i] = pair[1] ? xapc_query_combine(XAPC_SYNONYM, pair, 2, 0) : NULL;
            xapc_query_free(pair[1]);
            xapc_query_free(term);
        } else {
            subs[i] = term;
        }
        if (!subs[i])
            break;
    }
    xapc_query *q = combine_owned(op, subs, t->n);
    free(subs);
    return q;
}

xapc_query *oa_query_filter(const char *prefix, const char *const *values, size_t n)
{
    xapc_query **subs = calloc(n ? n : 1, sizeof *subs);
    if (!subs) {
        oa_error(OASIS_ENOMEM, "out of memory");
        return NULL;
    }
    oa_buf term = OA_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        oa_buf_reset(&term);
        if (oa_buf_puts(&term, prefix) || oa_buf_puts(&term, values[i]) ||
            !(subs[i] = xapc_query_term(term.data, term.len, 0, 0)))
            break;
    }
    oa_buf_free(&term);
    xapc_query *q = combine_owned(XAPC_OR, subs, n);
    free(subs);
    return q;
}
