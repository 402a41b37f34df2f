/* More like this: the initiatives most like one, by relevance feedback
 * over its words (oasis_search_options.like). */
#ifndef OASIS_SEARCH_LIKE_H
#define OASIS_SEARCH_LIKE_H

#include "search/compile.h"

/* Terms of an initiative --like looks for. */
#define OA_LIKE_TERMS 24

/* The query of the initiatives like the one with this id: the terms that
 * best tell it apart (Xapian's relevance-feedback expansion set over it)
 * and their synonyms, each weighted by its expansion weight, and its
 * categories; the initiative itself left out. No such initiative:
 * OASIS_ENOTFOUND. out is zeroed first; free it with oa_compiled_free(). */
int oa_like_query(const oa_compile_env *env, const char *id, oa_compiled *out);

/* The query of a --like search: the terms term[0..n) (index terms, shown
 * as label[i]) OR-ed, each scaled by weight[i] and joined by its
 * synonyms; each category slug in category[0..n_cat) a fixed boost of
 * OA_LIKE_CATEGORY_WEIGHT; the document indexed by the id term exclude
 * left out. One tier. Errors: OASIS_ENOMEM. */
int oa_compile_like(const oa_compile_env *env, char *const *term, char *const *label,
                    const double *weight, size_t n, char *const *category, size_t n_cat,
                    const char *exclude, oa_compiled *out);

#endif
