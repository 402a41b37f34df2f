/* The lexer of the query language (parser.h): the tokens of a query's
 * text (items, brackets, operators), or its plain words when it is read
 * as plain words. Used by the parser only. */
#ifndef OASIS_SEARCH_LEXER_H
#define OASIS_SEARCH_LEXER_H

#include <stddef.h>

#include "search/parser.h"

/* What a token is. */
typedef enum ttype { T_ITEM, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT } ttype;

/* One token: an item (a word, phrase or field), a bracket, an operator. */
typedef struct qtok {
    ttype type;
    oa_qkind kind;   /* T_ITEM: WORD, PHRASE or FILTER */
    char mod;        /* T_ITEM, T_LPAREN */
    oa_qfield field;
    int wildcard;
    size_t start, end;
    size_t at;       /* where the token starts, modifier included */
} qtok;

/* The text, its tokens, and the first syntax error. */
typedef struct qlexer {
    const char *s;
    size_t len;
    qtok *t;
    size_t n, cap;
    size_t items;
    int truncated;
    int failed;      /* a syntax error: the query is read as plain words */
    size_t err_at;
    char err[96];
    int nomem;
} qlexer;

/* Tokens of the whole text L->s[0..L->len), brackets checked: balanced
 * and at most OA_QUERY_MAX_DEPTH deep. Past OA_QUERY_MAX_ITEMS items the
 * rest is cut (L->truncated), together with dangling operators, and open
 * brackets are closed. The first syntax error stops it (L->failed). */
void oa_qlex(qlexer *L);

/* Every word of the text as an item token, syntax ignored: quotes and
 * brackets separate, operators and field names are dropped, modifiers and
 * '*' too; at most OA_QUERY_MAX_ITEMS. */
void oa_qlex_plain(qlexer *L);

void oa_qlex_free(qlexer *L);

/* Records a syntax error at byte at, unless one is recorded already. */
void oa_qlex_error(qlexer *L, size_t at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* "AND", "OR" or "NOT". */
const char *oa_qlex_operator_name(ttype t);

#endif
