/* The snippets of a page's hits. */
#ifndef OASIS_SEARCH_HIGHLIGHT_H
#define OASIS_SEARCH_HIGHLIGHT_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "oasis.h"
#include "search/compile.h"
#include "search/snippet.h"

/* Gives each hit of r a snippet of about bytes bytes of its text around
 * what c's units look for (places aside), and its highlights, reading the
 * texts through cache with the analyzer a. */
int oa_highlight(oa_snippet_cache *cache, oa_analyzer *a, const oa_compiled *c, size_t bytes,
                 oasis_results *r);

#endif
