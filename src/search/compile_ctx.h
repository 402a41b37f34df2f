/* What the files of the query compiler share (compile.h is their
 * interface to the rest of the search): the state of one compilation and
 * the helpers that build its queries and record its units.
 *
 * Every helper that takes a cq_ctx does nothing once c->rc is set, and
 * sets it on failure (the first error wins); the query builders take
 * ownership of their query arguments (query.h) and note a NULL result
 * in c->rc. */
#ifndef OASIS_SEARCH_COMPILE_CTX_H
#define OASIS_SEARCH_COMPILE_CTX_H

#include <stddef.h>

#include "search/compile.h"
#include "search/parser.h"
#include "search/synonyms.h"
#include "util/buf.h"
#include "util/vec.h"
#include "xapian/xapc.h"

/* One compilation. */
typedef struct cq_ctx {
    const oa_compile_env *env;
    const char *text; /* the query */
    oa_qparse parse;
    oa_compiled *out;
    const oa_thesaurus *thesaurus; /* read when a query first has words for it */
    int question;                  /* the query is a question (questions.c) */
    size_t first_item;             /* byte offset of the query's first word */
    int rc;                        /* the first error */
    oa_buf scratch;
} cq_ctx;

/* One analysed word of a group's plain words. */
typedef struct cq_word {
    char *term, *alt;
    size_t start, end; /* bytes in the query */
    size_t item;       /* the group item it comes from */
    int hyphen;        /* joined to the previous word of its item by '-' or '/' */
    char *joined, *joined_alt; /* the last word of a compound: the compound's
                                  parts written together (analyzer.h), or NULL */
    int place, dropped;
} cq_word;

typedef OA_VEC(cq_word) cq_words;

/* Queries a list owns. */
typedef OA_VEC(xapc_query *) cq_list;

/* The elements of a group of juxtaposed items, before they are combined
 * into its two tiers. */
typedef struct cq_elems {
    cq_list strict;    /* required for tier 1 */
    cq_list loose;     /* any of them for a match */
    cq_list req;       /* +items: required in both tiers */
    cq_list excl;      /* -items */
    cq_list filter[3]; /* dept:, region:, cat: values, by oasis_facet */
    cq_list bonus;     /* the plain words as a phrase: weight, not a match */
} cq_elems;

/* ---- query pieces (terms.c) ---- */

/* 1 when q is NULL, which sets c->rc to OASIS_ENOMEM (unless set). */
int cq_failed(cq_ctx *c, xapc_query *q);
xapc_query *cq_combine(cq_ctx *c, xapc_op op, xapc_query **subs, size_t n);
xapc_query *cq_pair(cq_ctx *c, xapc_op op, xapc_query *a, xapc_query *b);
xapc_query *cq_scaled(cq_ctx *c, xapc_query *q, double f);
/* A copy of q; NULL for NULL (not an error). */
xapc_query *cq_copy(cq_ctx *c, const xapc_query *q);
/* The term prefix+term, weighing as a word. */
xapc_query *cq_term(cq_ctx *c, const char *prefix, const char *term);
/* The phrase of the words term[0..n) / alt[0..n) (alt may be NULL), each
 * searched by its spelling (see terms.c), with the term prefix; one word
 * is that word's query. */
xapc_query *cq_phrase(cq_ctx *c, const char *prefix, char *const *term, char *const *alt, size_t n);
/* The words w[0..n) as cq_weighted() weighs them; a compound's phrase
 * ("pluri-professionnelles") also finds its parts written together
 * (pluriprofessionnel), OR-ed beside it. */
xapc_query *cq_weighted_words(cq_ctx *c, const cq_word *w, size_t n, int title_only,
                              xapc_query **title);
/* The words (or phrase) anywhere, their title copies weighing
 * OA_TITLE_WEIGHT extra; or in the title only. *title gets the title-only
 * query. */
xapc_query *cq_weighted(cq_ctx *c, char *const *term, char *const *alt, size_t n, int title_only,
                        xapc_query **title);

/* Appends q to l (freed on failure). */
void cq_push(cq_ctx *c, cq_list *l, xapc_query *q);
/* The list's queries combined with op; the list is emptied. */
xapc_query *cq_take(cq_ctx *c, xapc_op op, cq_list *l);
void cq_free_list(cq_list *l);
/* Frees v[0..n) and the array v. */
void cq_free_queries(xapc_query **v, size_t n);
void cq_elems_free(cq_elems *e);

/* Analyses text[start, end) into words appended to *w, from item. */
void cq_analyse_item(cq_ctx *c, size_t start, size_t end, size_t item, cq_words *w);
void cq_free_words(cq_words *w);
/* The terms and accent-free alternatives of w[0..n), as the two arrays the
 * query pieces take (strings borrowed from w; the caller frees both
 * arrays, also on failure). 0, or -1 with c->rc set. */
int cq_term_arrays(cq_ctx *c, const cq_word *w, size_t n, char ***t, char ***a);

/* ---- the record of what the query looks for (units.c) ---- */

/* A new unit of c->out labelled label[0..label_len); NULL on failure. */
oa_unit *cq_new_unit(cq_ctx *c, oa_unit_kind kind, const char *label, size_t label_len);
/* Adds the words term[0..n) / alt[0..n) (alt may be NULL) to u: its terms,
 * and one pattern to highlight. Nothing when u is NULL. */
void cq_add_words(cq_ctx *c, oa_unit *u, char *const *term, char *const *alt, size_t n);
/* Records a unit for the words w[0..n) (a word, or a phrase when n > 1),
 * weighed by q (and title over title copies). */
void cq_word_unit(cq_ctx *c, const cq_word *w, size_t n, int title_only, const xapc_query *q,
                  const xapc_query *title);
/* Records that text[0..len) of the query names département d (commune[0..
 * commune_len) when it is a commune's name, else NULL; region when it is
 * a région's name, one record for each of its départements). */
void cq_place_use(cq_ctx *c, const char *text, size_t len, const oasis_departement *d,
                  const oasis_region *region, const char *commune, size_t commune_len);
/* Records that the words typed[0..len) also looked for synonym. */
void cq_synonym_use(cq_ctx *c, const char *typed, size_t len, const char *synonym);

/* ---- a group's plain words (terms.c) ---- */

/* The plain words w[0..n) of a group (no modifier, field or wildcard),
 * places and fillers marked, as elements: each word, or each hyphenated
 * run as a phrase, required for tier 1; a run that is a thesaurus
 * expression, its words and their synonyms. */
void cq_plain_elements(cq_ctx *c, cq_word *w, size_t n, cq_elems *e);
/* Plain words found next to each other weigh more: each run of two to
 * OA_PATTERN_WORDS usable words from two items or more also gives its
 * phrase, weighted OA_PHRASE_BONUS, as a bonus that matches nothing on its
 * own. */
void cq_phrase_bonus(cq_ctx *c, cq_word *w, size_t n, cq_elems *e);

/* ---- what the compiler asks of the other concerns ---- */

/* questions.c: 1 when the query is a question: it ends with '?' or starts
 * with an interrogative word. */
int cq_is_question(cq_ctx *c);
/* questions.c: drops the words w[0..n) that only make the query a
 * question, unless nothing else would be left. */
void cq_drop_fillers(cq_ctx *c, cq_word *w, size_t n);

/* places.c: the places among the group g's plain word items (the kids
 * g->kid[plain_items[0..n_items)]), whose words are w[0..n_words): their
 * words become optional, and their départements join the loose tier and
 * c->out->places. */
void cq_find_places(cq_ctx *c, const oa_qnode *g, const size_t *plain_items, size_t n_items,
                    cq_word *w, size_t n_words, cq_elems *e);

/* concepts.c: the runs of the plain words w[0..n) (places and fillers
 * aside) that name an action category (slug, label, rule phrase): each
 * category once, its initiatives joining e's loose tier, with a unit. */
void cq_concepts(cq_ctx *c, const cq_word *w, size_t n, cq_elems *e);

/* synonyms.c: sets c->thesaurus, once, when the environment applies one
 * (its own, else the built-in one). */
void cq_read_thesaurus(cq_ctx *c);
/* synonyms.c: the synonyms of the words w[0..k) (thesaurus expression
 * expr): one weighted query, and a unit and a record for each; NULL when
 * there are none. */
xapc_query *cq_synonyms(cq_ctx *c, const cq_word *w, size_t k, size_t expr);

/* prefix.c: the query of the prefix item it (médec*), into *out_q with its
 * unit recorded, or into *out_excl (excluded: no unit). */
void cq_prefix(cq_ctx *c, const oa_qnode *it, xapc_query **out_q, xapc_query **out_excl);

/* filters.c: the dept:, region: or cat: item it, into e's filters (its
 * exclusions when it is -item). An unknown value: OASIS_EINVAL. */
void cq_filter_item(cq_ctx *c, const oa_qnode *it, cq_elems *e);

/* suggest.c: notes the word w when no document contains it, for spelling
 * suggestions (c->out->unknown). */
void cq_check_known(cq_ctx *c, const cq_word *w);

#endif
