/* The snippets of a page's hits: the patterns of the query's units,
 * looked for in each hit's text (snippet.c). */
#include "search/highlight.h"

#include <stdlib.h>
#include <string.h>

#include "search/results.h"
#include "util/error.h"

/* What to highlight: every unit's patterns but the places'. */
static int highlight_patterns(const oa_compiled *c, oa_pattern **out, size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < c->n_units; i++)
        cap += c->units[i].n_pat;
    *n = 0;
    *out = calloc(cap ? cap : 1, sizeof **out);
    if (!*out)
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_units; i++) {
        if (c->units[i].kind == OA_UNIT_PLACE)
            continue;
        for (size_t j = 0; j < c->units[i].n_pat; j++)
            (*out)[(*n)++] = c->units[i].pat[j];
    }
    return 0;
}

int oa_highlight(oa_snippet_cache *cache, oa_analyzer *a, const oa_compiled *c, size_t bytes,
                 oasis_results *r)
{
    oa_pattern *pat;
    size_t n_pat;
    int rc = highlight_patterns(c, &pat, &n_pat);
    for (size_t i = 0; i < r->count && !rc; i++) {
        oa_hit_store *st = &r->store[i];
        oasis_hit *h = &r->hits[i];
        rc = oa_snippet_make_cached(cache, a, h->text, strlen(h->text), pat,
                                    n_pat, bytes, &st->snippet);
        if (!rc) {
            h->snippet = st->snippet.text;
            h->highlights = st->snippet.hl;
            h->n_highlights = st->snippet.n_hl;
        }
    }
    free(pat);
    return rc;
}
