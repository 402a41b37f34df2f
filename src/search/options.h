/* Compatibility of the search options. */
#ifndef OASIS_SEARCH_OPTIONS_H
#define OASIS_SEARCH_OPTIONS_H

#include "oasis.h"

/* *o: opts (NULL: the defaults) as a struct of this version. A version 1
 * struct ends at `facets`, a version 2 one at `places`: the fields they
 * lack take the values with which those versions searched (version 2's
 * INIT: snippets of 200 bytes, suggestions; and always exact totals and
 * proximity). Another version: OASIS_EINVAL. */
int oa_search_options_of(const oasis_search_options *opts, oasis_search_options *o);

#endif
