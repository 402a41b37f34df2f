/* The lexer of the query language: characters, quotes, fields and
 * operators into tokens. */
#include "search/lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

void oa_qlex_error(qlexer *L, size_t at, const char *fmt, ...)
{
    if (L->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->err, sizeof L->err, fmt, ap);
    va_end(ap);
    L->failed = 1;
    L->err_at = at;
}

static int push_tok(qlexer *L, const qtok *t)
{
    if (oa_grow(&L->t, &L->cap, L->n + 1, sizeof *L->t)) {
        L->nomem = 1;
        return -1;
    }
    L->t[L->n++] = *t;
    return 0;
}

/* Bytes of the white space at s[i] (ASCII blanks, no-break and thin
 * spaces, which French typography puts before ? and :), or 0. */
static size_t space_at(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xAF || (unsigned char)s[i + 2] == 0x89))
        return 3;
    return 0;
}

/* An opening quote at s[i]: its length, with its own closing quote in
 * *close ('"' closes every kind). 0 when there is none. */
static size_t quote_open(const char *s, size_t len, size_t i, const char **close)
{
    if (s[i] == '"') {
        *close = "\"";
        return 1;
    }
    if (i + 1 < len && !memcmp(s + i, "\xC2\xAB", 2)) { /* « » */
        *close = "\xC2\xBB";
        return 2;
    }
    if (i + 2 < len && !memcmp(s + i, "\xE2\x80\x9C", 3)) { /* “ ” */
        *close = "\xE2\x80\x9D";
        return 3;
    }
    return 0;
}

/* A word runs up to white space, a bracket or an opening quote. */
static size_t word_end(const char *s, size_t len, size_t i)
{
    const char *close;
    while (i < len && !space_at(s, len, i) && s[i] != '(' && s[i] != ')' &&
           !quote_open(s, len, i, &close))
        i++;
    return i;
}

/* A field name and its ':' at s[i]: the field, and the length of the name
 * with the colon; 0 when there is none. ASCII case is ignored. */
static size_t field_at(const char *s, size_t len, size_t i, oa_qfield *field)
{
    static const struct {
        const char *name;
        oa_qfield field;
    } names[] = {
        {"titre:", OA_FIELD_TITLE},
        {"title:", OA_FIELD_TITLE},
        {"dept:", OA_FIELD_DEPT},
        {"departement:", OA_FIELD_DEPT},
        {"d\xC3\xA9partement:", OA_FIELD_DEPT},
        {"region:", OA_FIELD_REGION},
        {"r\xC3\xA9gion:", OA_FIELD_REGION},
        {"cat:", OA_FIELD_CATEGORY},
        {"categorie:", OA_FIELD_CATEGORY},
        {"cat\xC3\xA9gorie:", OA_FIELD_CATEGORY},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t n = strlen(names[k].name), j = 0;
        if (i + n > len)
            continue;
        for (; j < n; j++) {
            char c = s[i + j];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != names[k].name[j])
                break;
        }
        if (j == n) {
            *field = names[k].field;
            return n;
        }
    }
    return 0;
}

static int is_filter_field(oa_qfield f)
{
    return f == OA_FIELD_DEPT || f == OA_FIELD_REGION || f == OA_FIELD_CATEGORY;
}

/* The closing quote of a phrase opened at start (the first byte inside):
 * its offset, or len when there is none. *clen gets its length. */
static size_t quote_close(const char *s, size_t len, size_t start, const char *close,
                          size_t *clen)
{
    size_t cl = strlen(close);
    for (size_t j = start; j < len; j++) {
        if (s[j] == '"') {
            *clen = 1;
            return j;
        }
        if (cl > 1 && j + cl <= len && !memcmp(s + j, close, cl)) {
            *clen = cl;
            return j;
        }
    }
    return len;
}

const char *oa_qlex_operator_name(ttype t)
{
    return t == T_AND ? "AND" : t == T_OR ? "OR" : t == T_NOT ? "NOT" : "";
}

/* The operator spelt by s[i..j), or T_ITEM when it is not one. */
static ttype operator_at(const char *s, size_t i, size_t j)
{
    static const struct {
        const char *w;
        ttype t;
    } ops[] = {{"AND", T_AND}, {"ET", T_AND}, {"OR", T_OR},
               {"OU", T_OR},   {"NOT", T_NOT}, {"SAUF", T_NOT}};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
        if (strlen(ops[k].w) == j - i && !memcmp(s + i, ops[k].w, j - i))
            return ops[k].t;
    return T_ITEM;
}

/* Reads one item, bracket or operator at s[i]; returns the index after it.
 * Syntax errors are recorded; the qlexer stops at the first one. */
static size_t lex_one(qlexer *L, size_t i)
{
    const char *s = L->s;
    size_t len = L->len;
    qtok t;
    memset(&t, 0, sizeof t);
    t.at = i;
    if (s[i] == ')') {
        t.type = T_RPAREN;
        push_tok(L, &t);
        return i + 1;
    }
    /* A modifier sticks to what follows it. */
    if ((s[i] == '+' || s[i] == '-') && i + 1 < len && !space_at(s, len, i + 1) &&
        s[i + 1] != ')') {
        t.mod = s[i];
        i++;
    } else if ((s[i] == '+' || s[i] == '-') && (i + 1 == len || space_at(s, len, i + 1) ||
                                                s[i + 1] == ')')) {
        oa_qlex_error(L, i, "'%c' with nothing after it", s[i]);
        return len;
    }
    if (s[i] == '(') {
        t.type = T_LPAREN;
        t.at = i; /* the bracket itself, for a notice */
        push_tok(L, &t);
        return i + 1;
    }
    t.type = T_ITEM;
    t.kind = OA_Q_WORD;
    size_t flen = field_at(s, len, i, &t.field);
    if (flen) {
        i += flen;
        if (is_filter_field(t.field))
            t.kind = OA_Q_FILTER;
    }
    const char *close;
    size_t qlen = i < len ? quote_open(s, len, i, &close) : 0;
    if (qlen) {
        size_t clen = 1, j = quote_close(s, len, i + qlen, close, &clen);
        if (j == len) {
            oa_qlex_error(L, i, "unbalanced quote");
            return len;
        }
        if (t.kind == OA_Q_WORD)
            t.kind = OA_Q_PHRASE;
        t.start = i + qlen;
        t.end = j;
        i = j + clen;
    } else {
        size_t j = word_end(s, len, i);
        if (j == i) {
            oa_qlex_error(L, t.at, "nothing after '%.*s'", (int)flen, s + t.at + (t.mod != 0));
            return len;
        }
        if (!t.mod && !flen) {
            ttype op = operator_at(s, i, j);
            if (op != T_ITEM) {
                t.type = op;
                push_tok(L, &t);
                return j;
            }
        }
        t.start = i;
        t.end = j;
        if (t.kind == OA_Q_WORD && j - i > 1 && s[j - 1] == '*') {
            while (t.end > t.start && s[t.end - 1] == '*')
                t.end--;
            t.wildcard = t.end > t.start;
            if (!t.wildcard)
                t.end = j; /* stars only: a word of punctuation */
        }
        i = j;
    }
    push_tok(L, &t);
    L->items++;
    return i;
}

void oa_qlex(qlexer *L)
{
    size_t open_at[OA_QUERY_MAX_DEPTH];
    size_t depth = 0, i = 0;
    while (i < L->len && !L->failed && !L->nomem) {
        size_t sp = space_at(L->s, L->len, i);
        if (sp) {
            i += sp;
            continue;
        }
        if (L->items == OA_QUERY_MAX_ITEMS) {
            L->truncated = 1;
            break;
        }
        size_t n0 = L->n;
        i = lex_one(L, i);
        for (size_t k = n0; k < L->n && !L->failed; k++) {
            if (L->t[k].type == T_LPAREN) {
                if (depth == OA_QUERY_MAX_DEPTH)
                    oa_qlex_error(L, L->t[k].at, "brackets nested deeper than %d",
                                  OA_QUERY_MAX_DEPTH);
                else
                    open_at[depth++] = L->t[k].at;
            } else if (L->t[k].type == T_RPAREN) {
                if (depth == 0)
                    oa_qlex_error(L, L->t[k].at, "unbalanced bracket");
                else
                    depth--;
            }
        }
    }
    if (L->failed || L->nomem)
        return;
    if (L->truncated) {
        while (L->n && L->t[L->n - 1].type != T_ITEM && L->t[L->n - 1].type != T_RPAREN) {
            if (L->t[L->n - 1].type == T_LPAREN)
                depth--;
            L->n--;
        }
        qtok close;
        memset(&close, 0, sizeof close);
        close.type = T_RPAREN;
        close.at = L->len;
        while (depth > 0 && !push_tok(L, &close))
            depth--;
        return;
    }
    if (depth > 0)
        oa_qlex_error(L, open_at[depth - 1], "unbalanced bracket");
}

void oa_qlex_plain(qlexer *L)
{
    const char *s = L->s;
    size_t len = L->len, i = 0;
    while (i < len && !L->nomem) {
        const char *close;
        size_t sp = space_at(s, len, i), q = quote_open(s, len, i, &close);
        if (sp || q || s[i] == '(' || s[i] == ')') {
            i += sp ? sp : q ? q : 1;
            continue;
        }
        size_t j = word_end(s, len, i), at = i;
        while (i < j && (s[i] == '+' || s[i] == '-'))
            i++;
        oa_qfield f;
        i += field_at(s, j, i, &f);
        size_t e = j;
        while (e > i && s[e - 1] == '*')
            e--;
        if (e > i && operator_at(s, at, j) == T_ITEM) {
            if (L->items == OA_QUERY_MAX_ITEMS)
                break;
            qtok t;
            memset(&t, 0, sizeof t);
            t.type = T_ITEM;
            t.kind = OA_Q_WORD;
            t.start = i;
            t.end = e;
            t.at = at;
            if (push_tok(L, &t))
                break;
            L->items++;
        }
        i = j;
    }
}

void oa_qlex_free(qlexer *L)
{
    free(L->t);
    L->t = NULL;
    L->n = L->cap = 0;
}
