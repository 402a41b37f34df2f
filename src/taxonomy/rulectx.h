/* The context a category rule reads around its match (the third column of
 * corpus/category-rules.tsv), so that a phrase met in another sense does
 * not give the category: "il est hébergé sur le site" is not housing.
 *
 *   near: w1, w2, …      one of these words or phrases must be within
 *                        OA_RULE_NEAR positions of the match
 *   unless: w3, w4, …    none of them may be within OA_RULE_NEAR positions
 *
 * Both clauses may be given, separated by ';'. Each word or phrase is
 * analysed as the rules are (a phrase: its words at consecutive
 * positions). Stop words take no position, so the window counts the
 * words that carry meaning. */
#ifndef OASIS_TAXONOMY_RULECTX_H
#define OASIS_TAXONOMY_RULECTX_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/analyzer.h"

/* Positions before the match's first word and after its last that the
 * context reads. */
#define OA_RULE_NEAR 5

typedef struct oa_rule_context oa_rule_context;

/* Parses spec (the column, NUL-terminated; "" gives *out NULL: no
 * context) with analyzer a. A malformed clause, or a word or phrase with
 * no word left after analysis: OASIS_EFORMAT with a message naming it. */
int oa_rule_context_parse(oa_analyzer *a, const char *spec, oa_rule_context **out);

void oa_rule_context_free(oa_rule_context *cx);

/* 1 when the tokens v[0..n) (in position order) around a match from
 * position first to position last meet cx (always when cx is NULL). */
int oa_rule_context_holds(const oa_rule_context *cx, const oa_token *v, size_t n, uint32_t first,
                          uint32_t last);

#endif
