/* Action categories of initiatives: the taxonomy built into the library from
 * corpus/categories.tsv (slug, label, description), and a classifier that
 * assigns them from the rules of corpus/category-rules.tsv (category,
 * phrase, and optionally the context a match needs: rulectx.h). Both are
 * data: a category or a rule is added by editing a table. */
#ifndef OASIS_TAXONOMY_CATEGORIES_H
#define OASIS_TAXONOMY_CATEGORIES_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "oasis.h" /* oasis_category */

/* The TSV texts compiled in (generated at build time from corpus/). */
extern const char oa_categories_tsv[];
extern const char oa_category_rules_tsv[];

/* Parses the built-in taxonomy once (thread-safe); 0, or OASIS_ENOMEM /
 * OASIS_EFORMAT ("categories.tsv:LINE: ..."): a malformed table is a build
 * defect. Every other function here calls it. */
int oa_categories_init(void);

/* The category whose slug is exactly slug, or NULL. (oasis_category_find,
 * _count and _at of the public API are these.) */
const oasis_category *oa_category_find(const char *slug);

/* The number of categories, and the i-th in table order (NULL out of range). */
size_t oa_category_count(void);
const oasis_category *oa_category_at(size_t i);

/* The taxonomy index of c (a pointer from this module), or -1. */
long oa_category_index(const oasis_category *c);

/* 0 when slug names a category; OASIS_ENOTFOUND with a message naming it
 * and the valid slugs otherwise. */
int oa_category_check(const char *slug);

/* The slugs of every category, joined by ", " (static, for messages). */
const char *oa_category_slugs(void);

/* Checks a taxonomy table given as text, as oa_categories_init() does with
 * the built-in one, without keeping it: 0 or OASIS_EFORMAT with the line. */
int oa_categories_validate(const char *tsv);

/* ---- Classifier ---------------------------------------------------------- */

typedef struct oa_classifier oa_classifier;

/* One category found in a document. category is static; phrase (the rule as
 * written in the table) is valid until the classifier is freed. */
typedef struct oa_category_match {
    const oasis_category *category;
    const char *phrase;
    long rule_line; /* line of the rule in category-rules.tsv */
} oa_category_match;

/* A classifier for the built-in rules, with its own analyzer: one per
 * thread. A rule naming an unknown category, a phrase with no term left
 * after analysis, or a malformed row gives OASIS_EFORMAT with
 * "category-rules.tsv:LINE: ...". */
int oa_classifier_new(oa_classifier **out);

/* The same for the rules given as text (tests, other tables). */
int oa_classifier_new_from(oa_classifier **out, const char *rules_tsv);

void oa_classifier_free(oa_classifier *c);

/* Number of rules loaded. */
size_t oa_classifier_rule_count(const oa_classifier *c);

/* Classifies one document from its analysed words: tokens in position order
 * as oa_analyze() gives them (title first, then text; several terms may
 * share a position). A rule matches when its terms occur at consecutive
 * positions. Stores in out (up to max) one entry per category matched, in
 * taxonomy order, each with the first rule of the table that matched it;
 * *n is the number stored. Returns 0 or OASIS_EINVAL. */
int oa_classify(oa_classifier *c, const oa_tokens *tokens, oa_category_match *out, size_t max,
                size_t *n);

/* Analyses title (from position 0) and text (after a gap of
 * OA_TEXT_POS_GAP positions, as the index writer does, so no phrase spans
 * both) with the classifier's analyzer, then classifies. Either may be NULL.
 * Invalid UTF-8: OASIS_EFORMAT. */
int oa_classify_doc(oa_classifier *c, const char *title, const char *text,
                    oa_category_match *out, size_t max, size_t *n);

#endif
