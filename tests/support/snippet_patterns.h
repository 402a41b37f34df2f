/* Snippet patterns written as text, for the tests of search/snippet.c:
 * "word|phrase words|...", '|' between patterns, spaces between the words
 * of a phrase, each piece analysed as a query word is. Header-only. */
#ifndef OASIS_SNIPPET_PATTERNS_H
#define OASIS_SNIPPET_PATTERNS_H

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "search/snippet.h"

#define T_MAX_PATTERNS 24

/* The patterns and the tokens their terms point into. */
typedef struct t_patterns {
    oa_pattern p[T_MAX_PATTERNS];
    size_t n;
    oa_tokens toks[T_MAX_PATTERNS];
} t_patterns;

/* ps from spec, analysed with an; a piece with no term (stop words only)
 * gives no pattern, pieces past T_MAX_PATTERNS and words past
 * OA_PATTERN_WORDS are left out. Aborts when the analysis fails. */
static inline void t_make_patterns(oa_analyzer *an, const char *spec, t_patterns *ps)
{
    memset(ps, 0, sizeof *ps);
    char *copy = strdup(spec), *save = NULL;
    if (!copy)
        abort();
    for (char *one = strtok_r(copy, "|", &save); one && ps->n < T_MAX_PATTERNS;
         one = strtok_r(NULL, "|", &save)) {
        oa_tokens *t = &ps->toks[ps->n];
        if (oa_analyze(an, one, strlen(one), 0, t) != 0)
            abort();
        oa_pattern *p = &ps->p[ps->n];
        for (size_t i = 0; i < t->n; i++) {
            if (t->v[i].alt)
                p->alt[p->n - 1] = t->v[i].term;
            else if (p->n < OA_PATTERN_WORDS)
                p->term[p->n++] = t->v[i].term;
        }
        if (p->n)
            ps->n++;
        else
            oa_tokens_free(t);
    }
    free(copy);
}

static inline void t_free_patterns(t_patterns *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        oa_tokens_free(&ps->toks[i]);
}

#endif
