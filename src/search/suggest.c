/* Spelling suggestions: the words of the query no document contains,
 * each replaced by the closest word of the spelling dictionary (which the
 * writer fills with the plain words of the documents). */
#include "search/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "search/compile_ctx.h"
#include "search/places.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

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

/* ---- in a query: the words no document contains ---- */

void cq_check_known(cq_ctx *c, const cq_word *w)
{
    const char *s = c->text + w->start;
    size_t len = w->end - w->start;
    int digits = 1;
    for (size_t i = 0; i < len && digits; i++)
        digits = s[i] >= '0' && s[i] <= '9';
    if (digits || c->rc)
        return;
    if (xapc_db_term_freq(c->env->db, w->term, strlen(w->term)) ||
        (w->alt && xapc_db_term_freq(c->env->db, w->alt, strlen(w->alt))))
        return;
    /* A place is never corrected ("Corse" is not "cordes"). */
    if (oa_places_known(s, len))
        return;
    oa_compiled *o = c->out;
    for (size_t i = 0; i < o->n_unknown; i++)
        if (o->unknown[i].start == w->start)
            return;
    /* The elided article stays as typed: only the word is replaced. */
    size_t skip = 0;
    if ((c->rc = oa_analyzer_elision(c->env->analyzer, s, len, &skip)))
        return;
    if ((c->rc = oa_grow(&o->unknown, &o->cap_unknown, o->n_unknown + 1, sizeof *o->unknown)))
        return;
    oa_unknown_word *u = &o->unknown[o->n_unknown];
    u->start = w->start + skip;
    u->end = w->end;
    u->plain = NULL;
    oa_buf plain = OA_BUF_INIT;
    c->rc = oa_analyzer_plain(c->env->analyzer, s + skip, len - skip, &plain);
    if (!c->rc && !(u->plain = oa_buf_detach(&plain)))
        c->rc = OASIS_ENOMEM;
    oa_buf_free(&plain);
    if (!c->rc)
        o->n_unknown++;
}
