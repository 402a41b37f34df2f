/* The parser of the query language: recursive descent over the lexer's
 * tokens (lexer.c) into a tree, or the query's plain words when it has a
 * syntax error; and the tree's description. */
#include "search/parser.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "search/lexer.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

/* ---- tree ---- */

typedef struct parser {
    qlexer *L;
    size_t i;        /* next token */
    oa_qparse *out;
    int nomem;
} parser;

static size_t new_node(parser *P, oa_qkind kind, size_t at)
{
    oa_qparse *o = P->out;
    if (oa_grow(&o->node, &o->cap, o->n_nodes + 1, sizeof *o->node)) {
        P->nomem = 1;
        return SIZE_MAX;
    }
    oa_qnode *n = &o->node[o->n_nodes];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->start = n->end = at;
    return o->n_nodes++;
}

static int add_kid(parser *P, size_t parent, size_t kid)
{
    oa_qnode *n = &P->out->node[parent];
    if (oa_grow(&n->kid, &n->cap_kids, n->n_kids + 1, sizeof *n->kid)) {
        P->nomem = 1;
        return -1;
    }
    n->kid[n->n_kids++] = kid;
    return 0;
}

static const qtok *peek(parser *P)
{
    return P->i < P->L->n ? &P->L->t[P->i] : NULL;
}

static int failed(parser *P)
{
    return P->nomem || P->L->failed;
}

static size_t parse_or(parser *P);

/* An item: a word, phrase or filter, or a bracketed query. */
static size_t parse_item(parser *P)
{
    const qtok *t = peek(P);
    P->i++;
    if (t->type == T_LPAREN) {
        char mod = t->mod;
        size_t sub = parse_or(P);
        if (failed(P))
            return SIZE_MAX;
        P->i++; /* the ')': brackets are balanced */
        P->out->node[sub].mod = mod;
        return sub;
    }
    size_t n = new_node(P, t->kind, t->start);
    if (n == SIZE_MAX)
        return n;
    oa_qnode *q = &P->out->node[n];
    q->mod = t->mod;
    q->field = t->field;
    q->wildcard = t->wildcard;
    q->start = t->start;
    q->end = t->end;
    q->column = t->at; /* a byte offset until finish() */
    return n;
}

static int ends_group(const qtok *t, int have_items)
{
    return !t || t->type == T_RPAREN || t->type == T_AND || t->type == T_OR ||
           (t->type == T_NOT && have_items);
}

/* Juxtaposed items; a NOT before the first one excludes it. */
static size_t parse_group(parser *P)
{
    const qtok *t = peek(P);
    size_t g = new_node(P, OA_Q_GROUP, t ? t->at : P->L->len);
    if (g == SIZE_MAX)
        return g;
    P->out->node[g].column = t ? t->at : P->L->len;
    while (!failed(P) && !ends_group(t = peek(P), P->out->node[g].n_kids > 0)) {
        char unary = 0;
        if (t->type == T_NOT) {
            size_t at = t->at;
            P->i++;
            t = peek(P);
            if (!t || t->type != T_ITEM) {
                if (!t || t->type != T_LPAREN) {
                    oa_qlex_error(P->L, at, "'NOT' with nothing after it");
                    return SIZE_MAX;
                }
            }
            unary = '-';
        }
        size_t item = parse_item(P);
        if (item == SIZE_MAX || failed(P))
            return SIZE_MAX;
        if (unary)
            P->out->node[item].mod = unary;
        if (add_kid(P, g, item))
            return SIZE_MAX;
    }
    if (!failed(P) && P->out->node[g].n_kids == 0 && t) {
        if (t->type == T_RPAREN)
            oa_qlex_error(P->L, t->at, "empty brackets");
        else
            oa_qlex_error(P->L, t->at, "'%s' with nothing before it",
                          oa_qlex_operator_name(t->type));
    }
    return failed(P) ? SIZE_MAX : g;
}

/* The operand after a binary operator at `at`: a group, which must not be
 * empty. */
static size_t operand(parser *P, ttype op, size_t at)
{
    const qtok *t = peek(P);
    if (!t || t->type == T_RPAREN || t->type == T_AND || t->type == T_OR ||
        (t->type == T_NOT && op != T_AND && op != T_OR)) {
        oa_qlex_error(P->L, at, "'%s' with nothing after it", oa_qlex_operator_name(op));
        return SIZE_MAX;
    }
    return parse_group(P);
}

/* Groups joined by AND and NOT, from the left. */
static size_t parse_and(parser *P)
{
    size_t left = parse_group(P);
    size_t and_node = SIZE_MAX;
    const qtok *t;
    while (!failed(P) && (t = peek(P)) && (t->type == T_AND || t->type == T_NOT)) {
        ttype op = t->type;
        size_t at = t->at;
        P->i++;
        size_t right = operand(P, op, at);
        if (right == SIZE_MAX || failed(P))
            return SIZE_MAX;
        if (op == T_AND) {
            if (and_node == SIZE_MAX) {
                if ((and_node = new_node(P, OA_Q_AND, at)) == SIZE_MAX ||
                    add_kid(P, and_node, left))
                    return SIZE_MAX;
                left = and_node;
            }
            if (add_kid(P, and_node, right))
                return SIZE_MAX;
        } else {
            size_t n = new_node(P, OA_Q_NOT, at);
            if (n == SIZE_MAX || add_kid(P, n, left) || add_kid(P, n, right))
                return SIZE_MAX;
            left = n;
            and_node = SIZE_MAX;
        }
    }
    return failed(P) ? SIZE_MAX : left;
}

static size_t parse_or(parser *P)
{
    size_t left = parse_and(P);
    size_t or_node = SIZE_MAX;
    const qtok *t;
    while (!failed(P) && (t = peek(P)) && t->type == T_OR) {
        size_t at = t->at;
        P->i++;
        size_t right = SIZE_MAX;
        const qtok *u = peek(P);
        if (!u || u->type == T_RPAREN || u->type == T_AND || u->type == T_OR)
            oa_qlex_error(P->L, at, "'OR' with nothing after it");
        else
            right = parse_and(P);
        if (right == SIZE_MAX || failed(P))
            return SIZE_MAX;
        if (or_node == SIZE_MAX) {
            if ((or_node = new_node(P, OA_Q_OR, at)) == SIZE_MAX || add_kid(P, or_node, left))
                return SIZE_MAX;
        }
        if (add_kid(P, or_node, right))
            return SIZE_MAX;
    }
    return failed(P) ? SIZE_MAX : or_node != SIZE_MAX ? or_node : left;
}

/* ---- plain words ---- */

/* The query as plain words (oa_qlex_plain()): one group of them. */
static int plain_words(const char *s, size_t len, oa_qparse *out)
{
    qlexer L;
    memset(&L, 0, sizeof L);
    L.s = s;
    L.len = len;
    oa_qlex_plain(&L);
    parser P = {&L, 0, out, L.nomem};
    size_t g = P.nomem ? SIZE_MAX : new_node(&P, OA_Q_GROUP, 0);
    while (g != SIZE_MAX && P.i < L.n && !P.nomem) {
        size_t n = parse_item(&P);
        if (n == SIZE_MAX || add_kid(&P, g, n))
            break;
    }
    out->root = g;
    oa_qlex_free(&L);
    return P.nomem ? oa_error(OASIS_ENOMEM, "out of memory") : 0;
}

/* Byte offsets to 1-based character columns. */
static size_t column_of(const char *s, size_t at)
{
    size_t col = 1;
    for (size_t i = 0; i < at; i++)
        col += ((unsigned char)s[i] & 0xC0) != 0x80;
    return col;
}

static void clear_tree(oa_qparse *p)
{
    for (size_t i = 0; i < p->n_nodes; i++)
        free(p->node[i].kid);
    p->n_nodes = 0;
}

int oa_query_parse(const char *text, size_t len, oa_qparse *out)
{
    memset(out, 0, sizeof *out);
    qlexer L;
    memset(&L, 0, sizeof L);
    L.s = text;
    L.len = len;
    oa_qlex(&L);
    int rc = 0;
    if (L.nomem) {
        rc = oa_error(OASIS_ENOMEM, "out of memory");
    } else if (!L.failed) {
        parser P = {&L, 0, out, 0};
        size_t root = parse_or(&P);
        if (P.nomem)
            rc = oa_error(OASIS_ENOMEM, "out of memory");
        else if (!L.failed)
            out->root = root;
    }
    if (!rc && L.failed) {
        clear_tree(out);
        rc = oa_notices_add(&out->notices, OASIS_NOTICE_PLAIN_WORDS, L.err, strlen(L.err),
                            column_of(text, L.err_at), 0);
        out->plain = 1;
        if (!rc)
            rc = plain_words(text, len, out);
    } else if (!rc && L.truncated) {
        rc = oa_notices_add(&out->notices, OASIS_NOTICE_WORDS_CUT, NULL, 0, 0,
                            OA_QUERY_MAX_ITEMS);
    }
    oa_qlex_free(&L);
    for (size_t i = 0; !rc && i < out->n_nodes; i++)
        out->node[i].column = column_of(text, out->node[i].column);
    if (rc)
        oa_qparse_free(out);
    return rc;
}

void oa_qparse_free(oa_qparse *p)
{
    if (!p)
        return;
    clear_tree(p);
    free(p->node);
    oa_notices_free(&p->notices);
    memset(p, 0, sizeof *p);
}

/* ---- description ---- */

static int describe(const oa_qparse *p, const char *text, size_t i, oa_buf *b)
{
    const oa_qnode *n = &p->node[i];
    int rc = 0;
    if (n->mod)
        rc = oa_buf_putc(b, n->mod);
    static const char *const field[] = {"", "title:", "dept:", "region:", "cat:"};
    switch (n->kind) {
    case OA_Q_WORD:
        if (!rc)
            rc = oa_buf_printf(b, "%s%.*s%s", field[n->field], (int)(n->end - n->start),
                               text + n->start, n->wildcard ? "*" : "");
        return rc;
    case OA_Q_PHRASE:
    case OA_Q_FILTER:
        if (!rc)
            rc = oa_buf_printf(b, "%s\"%.*s\"", field[n->field], (int)(n->end - n->start),
                               text + n->start);
        return rc;
    default:
        break;
    }
    static const char *const names[] = {"", "", "", "group", "and", "or", "not"};
    if (!rc)
        rc = oa_buf_printf(b, "(%s", names[n->kind]);
    for (size_t k = 0; k < n->n_kids && !rc; k++) {
        rc = oa_buf_putc(b, ' ');
        if (!rc)
            rc = describe(p, text, n->kid[k], b);
    }
    return rc ? rc : oa_buf_putc(b, ')');
}

char *oa_qparse_describe(const oa_qparse *p, const char *text)
{
    oa_buf b = OA_BUF_INIT;
    if (describe(p, text, p->root, &b)) {
        oa_buf_free(&b);
        return NULL;
    }
    return oa_buf_detach(&b);
}
