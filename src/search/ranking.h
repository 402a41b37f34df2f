/* The ranking policy, in one place: how much each part of a query weighs,
 * how the two tiers are made and run, how a named place is boosted, and
 * on how many documents the proximity bonus is weighed.
 *
 * Tiers (tiers.c). Tier 1 holds the initiatives that contain every word of
 * the query (the compiler's strict query) or lie in a place it names; tier
 * 2 the other matches of the loose query. Tier 1 always ranks first, each
 * tier by BM25. Each tier stops once it has its part of the page; tier 2
 * runs only when tier 1 did not fill it, as loose AND_NOT the ids of tier
 * 1's matches (which tier 1 then saw all of).
 *
 * Weights (the compiler, compile.c and the files it calls). A query's BM25
 * weight is the sum of those of its matching subqueries, so these factors
 * add up: a word weighs its term plus OA_TITLE_WEIGHT times its title
 * copy; a synonym OA_SYNONYM_WEIGHT (or OA_VARIANT_WEIGHT) times the same; words typed next to
 * each other add their phrase OA_PHRASE_BONUS times, where found together. */
#ifndef OASIS_SEARCH_RANKING_H
#define OASIS_SEARCH_RANKING_H

#include "xapian/xapc.h"

/* A word's title copy (OA_PREFIX_TITLE) adds this times its weight. */
#define OA_TITLE_WEIGHT 1.0
/* A thesaurus synonym weighs this times what the words typed weigh: the
 * preferred expression of a line (its first) OA_SYNONYM_WEIGHT, its other
 * expressions OA_VARIANT_WEIGHT. */
#define OA_SYNONYM_WEIGHT 0.5
#define OA_VARIANT_WEIGHT 0.3
/* A category the words name (concepts.c): its phrases found in the text
 * weigh this times their weight, within that category's initiatives. */
#define OA_CONCEPT_WEIGHT 0.3
/* Plain words typed next to each other also give their phrase, a bonus
 * weighted this much that matches nothing on its own. */
#define OA_PHRASE_BONUS 2.0
/* Fixed weight a shared category adds in a --like search. */
#define OA_LIKE_CATEGORY_WEIGHT 1.0

/* The proximity bonus (a phrase or NEAR OR-ed beside its words) is
 * weighed on the best OA_RESCORE_WINDOW documents of the ranking without
 * it only, which are reordered; a document further down is not lifted by
 * its bonus. The window does not depend on the page asked, so pages follow
 * on. Equal weights rank by id (OA_SLOT_ID) on every pass, so the window
 * holds the same documents on one index or its shards. The searcher hands
 * this policy to the wrapper when it opens an index
 * (xapc_db_set_rank_policy()); the wrapper only runs it. */
#define OA_RESCORE_WINDOW 20
static const xapc_rank_policy oa_rank_policy = {OA_RESCORE_WINDOW,
                                                XAPC_BONUS_PHRASE | XAPC_BONUS_NEAR};

/* The initiatives of a place the query names get a fixed boost: the best
 * weight any document gets for the query, so that they rise to the top
 * without the others being left out (1 when nothing weighs). */
static inline double oa_place_boost(double best_weight)
{
    return best_weight > 0 ? best_weight : 1.0;
}

#endif
