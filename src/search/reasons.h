/* Why a hit has its categories (oasis_searcher_category_reasons()). */
#ifndef OASIS_SEARCH_REASONS_H
#define OASIS_SEARCH_REASONS_H

#include "oasis.h"
#include "taxonomy/categories.h"

/* oasis_searcher_category_reasons() with the classifier *c, made on first
 * use (the caller frees it with oa_classifier_free()). */
int oa_category_reasons(oa_classifier **c, const oasis_hit *h, oasis_category_fn fn,
                        void *userdata);

#endif
