/* From a parsed query (parser.h) to the Xapian queries the searcher runs,
 * with what --explain, snippets and suggestions need to know about it.
 *
 * Two tiers, as for plain words: every node gives a strict query (tier 1:
 * all its words) and a loose one (every match). For a group of juxtaposed
 * items, strict is the AND of its items and loose their OR; +items are
 * required in both, -items excluded from both, filters (dept:, region:,
 * cat:) apply to both. AND, OR and NOT combine strict with strict and
 * loose with loose. strict never matches more than loose.
 *
 * Within a group's plain words:
 *   - places (places.h) are not required words: they join loose, with
 *     their département's filter term, and the searcher boosts that
 *     département and ranks its initiatives in tier 1;
 *   - a run of words that is an expression of the thesaurus also looks
 *     for its synonyms, weighted OA_SYNONYM_WEIGHT below the words typed;
 *   - a run of words that names an action category (concepts.c) also
 *     finds that category's initiatives, in the loose tier only;
 *   - in a question ("…?", "Quels…", "Comment…") the words that only make
 *     it a question ("fait", "proposent", "départements") are dropped;
 *   - a hyphenated word is a phrase ("Loir-et-Cher", "sage-femme");
 *   - with env->proximity, words typed next to each other also count as
 *     a phrase, which adds weight where they are found together
 *     ("maisons de santé") without being required (a bonus the ranking
 *     weighs on its best documents only: OA_RESCORE_WINDOW).
 * Every word also matches its title copy (prefix S), adding
 * OA_TITLE_WEIGHT of that term's weight: title words weigh more. The
 * weights are those of ranking.h.
 *
 * compile.c walks the tree; the files it calls for each concern are
 * listed in compile_ctx.h. */
#ifndef OASIS_SEARCH_COMPILE_H
#define OASIS_SEARCH_COMPILE_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "oasis.h"
#include "search/notices.h"
#include "search/ranking.h"
#include "search/snippet.h"
#include "xapian/xapc.h"

/* Terms a prefix (médec*) may stand for, the most frequent first. */
#define OA_PREFIX_TERMS 64

typedef enum oa_unit_kind {
    OA_UNIT_WORD,
    OA_UNIT_PHRASE,
    OA_UNIT_PREFIX,
    OA_UNIT_SYNONYM,
    OA_UNIT_PLACE,
    OA_UNIT_CATEGORY /* a category the words name (concepts.c) */
} oa_unit_kind;

/* One thing the query looks for, for --explain and highlighting. */
typedef struct oa_unit {
    oa_unit_kind kind;
    int title_only;       /* titre:, or not in the text (a category) */
    char *label;          /* as typed, or the synonym's expression */
    char *of;             /* SYNONYM, CATEGORY: the words typed it stands for */
    xapc_query *q;        /* its part of the search, weighted as there */
    xapc_query *title_q;  /* the same over title copies; NULL for places */
    char **terms;         /* the unprefixed terms it may match */
    size_t n_terms, cap_terms;
    oa_pattern *pat;      /* what to highlight (pointing into terms) */
    size_t n_pat, cap_pat;
} oa_unit;

/* A place the query names. */
typedef struct oa_place_use {
    char *word;                     /* as typed: "Vesoul", "53" */
    const oasis_departement *dept;
    const oasis_region *region;     /* the région named, or NULL */
    char *commune;                  /* the commune's name, or NULL */
} oa_place_use;

/* A synonym the query used. */
typedef struct oa_synonym_use {
    char *word;    /* as typed */
    char *synonym; /* as in the thesaurus */
} oa_synonym_use;

/* A word of the query no document contains. */
typedef struct oa_unknown_word {
    size_t start, end; /* its bytes in the query, elided article excluded */
    char *plain;       /* oa_analyzer_plain() form */
} oa_unknown_word;

typedef struct oa_compiled {
    xapc_query *strict;  /* tier 1 */
    xapc_query *loose;   /* every match */
    xapc_query *places;  /* OR of the named places' XD and XR terms, or NULL */
    int positive;        /* 0: the query looks for nothing (browse) */
    oa_unit *units;
    size_t n_units, cap_units;
    oa_place_use *place;
    size_t n_places, cap_places;
    oa_synonym_use *synonym;
    size_t n_synonyms, cap_synonyms;
    oa_unknown_word *unknown;
    size_t n_unknown, cap_unknown;
    oa_notices notices;  /* the parser's, then "no initiative in X" for each
                            place X none is in, or "nothing to search" */
} oa_compiled;

typedef struct oa_compile_env {
    xapc_db *db;
    oa_analyzer *analyzer;
    int synonyms; /* 1: apply the thesaurus */
    const struct oa_thesaurus *thesaurus; /* the one to apply; NULL: the built-in one */
    int places;   /* 1: understand places */
    int proximity; /* 1: words typed together weigh more found together */
} oa_compile_env;

/* Parses and compiles text (a NUL-terminated query). Errors: invalid UTF-8
 * (OASIS_EFORMAT), an unknown dept:, region: or cat: value
 * (OASIS_EINVAL, naming it and its column), OASIS_ENOMEM, or the
 * index's. out is zeroed first; free it with oa_compiled_free(). */
int oa_compile(const oa_compile_env *env, const char *text, oa_compiled *out);
void oa_compiled_free(oa_compiled *c);

#endif
