#include "search/query.h"

#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"

xapc_query *oa_query_combine_owned(xapc_op op, xapc_query **subs, size_t n)
{
    int all = 1;
    for (size_t i = 0; i < n; i++)
        all &= subs[i] != NULL;
    xapc_query *q = NULL;
    if (all)
        q = n == 1 ? subs[0] : xapc_query_combine(op, subs, n, 0);
    for (size_t i = 0; i < n; i++)
        if (subs[i] != q)
            xapc_query_free(subs[i]);
    return q;
}

xapc_query *oa_query_pair_owned(xapc_op op, xapc_query *a, xapc_query *b)
{
    xapc_query *subs[2] = {a, b};
    return oa_query_combine_owned(op, subs, 2);
}

xapc_query *oa_query_scale_owned(xapc_query *q, double factor)
{
    xapc_query *s = q ? xapc_query_scale(q, factor) : NULL;
    xapc_query_free(q);
    return s;
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
    xapc_query *q = oa_query_combine_owned(XAPC_OR, subs, n);
    free(subs);
    return q;
}
