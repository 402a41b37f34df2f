/* The notices of a search: the one place that words them in English. */
#include "search/notices.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

/* The English line of n. */
static int write_text(oa_buf *b, const oasis_notice *n)
{
    switch (n->kind) {
    case OASIS_NOTICE_PLAIN_WORDS:
        return oa_buf_printf(b, "%s at column %zu: the query was read as plain words",
                             n->detail ? n->detail : "malformed query", n->column);
    case OASIS_NOTICE_WORDS_CUT:
        return oa_buf_printf(b, "the query has more than %zu words: only the first %zu were used",
                             n->count, n->count);
    case OASIS_NOTICE_NOTHING_TO_SEARCH:
        return oa_buf_puts(b, "nothing to search: only words too common to search (stop words) "
                              "or punctuation");
    case OASIS_NOTICE_NO_INITIATIVE:
        return oa_buf_printf(b, "no initiative in %s", n->detail ? n->detail : "");
    case OASIS_NOTICE_NO_SPELLING_TABLE:
        return oa_buf_puts(b, "no spelling suggestion: the index has no spelling table "
                              "(Xapian's remote backend does not carry it; a stub file of "
                              "remote databases can name a local copy of the spelling "
                              "database)");
    }
    return oa_buf_puts(b, "notice");
}

static void free_one(oasis_notice *n)
{
    free((char *)n->text);
    free((char *)n->detail);
}

int oa_notices_add(oa_notices *ns, oasis_notice_kind kind, const char *detail,
                   size_t detail_len, size_t column, size_t count)
{
    oasis_notice n = {kind, NULL, NULL, column, count};
    oa_buf text = OA_BUF_INIT, line = OA_BUF_INIT;
    int rc = 0;
    if (detail && !(n.detail = oa_strndup(detail, detail_len)))
        rc = OASIS_ENOMEM;
    if (!rc && !(rc = write_text(&text, &n)))
        n.text = oa_buf_detach(&text);
    if (!rc && ns->line)
        rc = oa_buf_puts(&line, ns->line) || oa_buf_puts(&line, "; ");
    if (!rc)
        rc = oa_buf_puts(&line, n.text);
    if (!rc)
        rc = OA_VEC_PUSH(ns, n);
    if (rc) {
        free_one(&n);
        oa_buf_free(&text);
        oa_buf_free(&line);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    free(ns->line);
    ns->line = oa_buf_detach(&line);
    return 0;
}

int oa_notices_copy(oa_notices *ns, const oa_notices *from)
{
    int rc = 0;
    for (size_t i = 0; i < from->n && !rc; i++) {
        const oasis_notice *n = &from->v[i];
        rc = oa_notices_add(ns, n->kind, n->detail, n->detail ? strlen(n->detail) : 0,
                            n->column, n->count);
    }
    return rc;
}

void oa_notices_free(oa_notices *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free_one(&ns->v[i]);
    free(ns->v);
    free(ns->line);
    memset(ns, 0, sizeof *ns);
}
