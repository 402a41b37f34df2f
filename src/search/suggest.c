/* Spelling suggestions: the words of the query no document contains,
 * each replaced by the closest word of the spelling dictionary (which the
 * writer fills with the plain words of the documents). */
#include "search/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"

/* Edits a spelling suggestion may make to a word, and the longest word
 * (bytes) it is asked for: the cost grows with the length. */
#define OA_SPELLING_EDITS 2
#define OA_SPELLING_MAX 48

int oa_suggest(xapc_db *db, const char *query, const oa_compiled *c, char **out)
{
    *out = NULL;
    oa_buf b = OA_BUF_INIT;
    size_t at = 0;
    int changed = 0, rc = 0;
    for (size_t i = 0; i < c->n_unknown && !rc; i++) {
        const oa_unknown_word *u = &c->unknown[i];
        char *word = NULL;
        /* A word longer than any in the language has no spelling. */
        if (!*u->plain || u->start < at || strlen(u->plain) > OA_SPELLING_MAX)
            continue;
        /* Two edits make another word of a short one ("cafe", "cadre"). */
        size_t len = strlen(u->plain);
        if (len < 3)
            continue;
        rc = xapc_db_spelling(db, u->plain, len, len <= 4 ? 1 : OA_SPELLING_EDITS, &word);
        if (!rc && *word && strcmp(word, u->plain) != 0) {
            if (!(rc = oa_buf_append(&b, query + at, u->start - at)))
                rc = oa_buf_puts(&b, word);
            at = u->end;
            changed = 1;
        }
        free(word);
    }
    if (!rc && changed)
        rc = oa_buf_puts(&b, query + at);
    if (!rc && changed && !(*out = oa_buf_detach(&b)))
        rc = OASIS_ENOMEM;
    oa_buf_free(&b);
    return rc;
}
