/* The query language: from the text a person types to a syntax tree.
 *
 *   words               juxtaposed items form a group: all of them first,
 *                       then some (see compile.h)
 *   "a phrase"          the words adjacent and in order (also “…” and «…»)
 *   +item  -item        required, excluded (item: word, phrase, field, (…))
 *   a AND b, a OR b     also ET, OU; in capitals only
 *   a NOT b, NOT b      also SAUF; a leading NOT excludes
 *   ( … )               grouping
 *   titre:x             x in the title (a word, a prefix or a phrase)
 *   dept:x region:x cat:x   filters, as the command-line ones
 *   médec*              every word starting with médec
 *
 * Juxtaposition binds tighter than AND and NOT, which bind tighter than
 * OR: "maison de santé OR MSP" is (maison de santé) OR MSP.
 *
 * Parsing never fails on malformed input: an unbalanced quote or bracket,
 * a dangling operator, an empty group or brackets nested deeper than
 * OA_QUERY_MAX_DEPTH make the whole query read as plain words, with a
 * one-line notice naming the column. Past OA_QUERY_MAX_ITEMS items the
 * rest is dropped, with a notice. The parser has no recursion deeper than
 * the bracket limit, and works in time linear in the text. */
#ifndef OASIS_SEARCH_PARSER_H
#define OASIS_SEARCH_PARSER_H

#include <stddef.h>

#include "search/notices.h"

#define OA_QUERY_MAX_DEPTH 32
#define OA_QUERY_MAX_ITEMS 64

typedef enum oa_qkind {
    OA_Q_WORD,   /* text[start, end): one word as typed (may hold several) */
    OA_Q_PHRASE, /* text[start, end): the inside of the quotes */
    OA_Q_FILTER, /* text[start, end): the value of dept:, region:, cat: */
    OA_Q_GROUP,  /* juxtaposed items */
    OA_Q_AND,
    OA_Q_OR,
    OA_Q_NOT     /* kid[0] without kid[1] */
} oa_qkind;

typedef enum oa_qfield {
    OA_FIELD_ANY = 0,
    OA_FIELD_TITLE,
    OA_FIELD_DEPT,
    OA_FIELD_REGION,
    OA_FIELD_CATEGORY
} oa_qfield;

typedef struct oa_qnode {
    oa_qkind kind;
    char mod;        /* 0, '+' (required) or '-' (excluded) */
    oa_qfield field; /* WORD, PHRASE: ANY or TITLE; FILTER: DEPT, REGION, CATEGORY */
    int wildcard;    /* WORD: a trailing '*' (not in [start, end)) */
    size_t start, end;
    size_t column;   /* 1-based, in characters, where the item starts */
    size_t *kid;     /* GROUP, AND, OR, NOT: node indexes */
    size_t n_kids, cap_kids;
} oa_qnode;

typedef struct oa_qparse {
    oa_qnode *node;
    size_t n_nodes, cap;
    size_t root;   /* a GROUP, AND, OR or NOT node */
    oa_notices notices; /* at most one: plain words or words cut */
    int plain;     /* 1: the query was read as plain words */
} oa_qparse;

/* Parses text[0..len) (valid UTF-8) into out. Fails only for lack of
 * memory. Free with oa_qparse_free(). */
int oa_query_parse(const char *text, size_t len, oa_qparse *out);
void oa_qparse_free(oa_qparse *p);

/* The query in a compact bracketed form, for tests and debugging:
 * (group a +b -"c d" title:e f* dept:45), (or …), (and …), (not …).
 * Caller frees; NULL without memory. */
char *oa_qparse_describe(const oa_qparse *p, const char *text);

#endif
