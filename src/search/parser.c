#include "search/parser.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"

/* ---- lexer ---- */

typedef enum ttype { T_ITEM, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT } ttype;

typedef struct tok {
    ttype type;
    oa_qkind kind;   /* T_ITEM: WORD, PHRASE or FILTER */
    char mod;        /* T_ITEM, T_LPAREN */
    oa_qfield field;
    int wildcard;
    size_t start, end;
    size_t at;       /* where the token starts, modifier included */
} tok;

typedef struct lexer {
    const char *s;
    size_t len;
    tok *t;
    size_t n, cap;
    size_t items;
    int truncated;
    int failed;      /* a syntax error: the query is read as plain words */
    size_t err_at;
    char err[96];
    int nomem;
} lexer;

static void syntax_error(lexer *L, size_t at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void syntax_error(lexer *L, size_t at, const char *fmt, ...)
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

static int push_tok(lexer *L, const tok *t)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 32;
        tok *v = realloc(L->t, cap * sizeof *v);
        if (!v) {
            L->nomem = 1;
            return -1;
        }
        L->t = v;
        L->cap = cap;
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

static const char *operator_name(ttype t)
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
 * Syntax errors are recorded; the lexer stops at the first one. */
static size_t lex_one(lexer *L, size_t i)
{
    const char *s = L->s;
    size_t len = L->len;
    tok t;
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
        syntax_error(L, i, "'%c' with nothing after it", s[i]);
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
            syntax_error(L, i, "unbalanced quote");
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
            syntax_error(L, t.at, "nothing after '%.*s'", (int)flen, s + t.at + (t.mod != 0));
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

/* Tokens of the whole text, brackets checked: balanced and at most
 * OA_QUERY_MAX_DEPTH deep. Past OA_QUERY_MAX_ITEMS items the rest is cut,
 * together with dangling operators, and open brackets are closed. */
static void lex(lexer *L)
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
                    syntax_error(L, L->t[k].at, "brackets nested deeper than %d",
                                 OA_QUERY_MAX_DEPTH);
                else
                    open_at[depth++] = L->t[k].at;
            } else if (L->t[k].type == T_RPAREN) {
                if (depth == 0)
                    syntax_error(L, L->t[k].at, "unbalanced bracket");
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
        tok close;
        memset(&close, 0, sizeof close);
        close.type = T_RPAREN;
        close.at = L->len;
        while (depth > 0 && !push_tok(L, &close))
            depth--;
        return;
    }
    if (depth > 0)
        syntax_error(L, open_at[depth - 1], "unbalanced bracket");
}

/* ---- tree ---- */

typedef struct parser {
    lexer *L;
    size_t i;        /* next token */
    oa_qparse *out;
    int nomem;
} parser;

static size_t new_node(parser *P, oa_qkind kind, size_t at)
{
    oa_qparse *o = P->out;
    if (o->n_nodes == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        oa_qnode *v = realloc(o->node, cap * sizeof *v);
        if (!v) {
            P->nomem = 1;
            return SIZE_MAX;
        }
        o->node = v;
        o->cap = cap;
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
    size_t *v = realloc(n->kid, (n->n_kids + 1) * sizeof *v);
    if (!v) {
        P->nomem = 1;
        return -1;
    }
    v[n->n_kids++] = kid;
    n->kid = v;
    return 0;
}

static const tok *peek(parser *P)
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
    const tok *t = peek(P);
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

static int ends_group(const tok *t, int have_items)
{
    return !t || t->type == T_RPAREN || t->type == T_AND || t->type == T_OR ||
           (t->type == T_NOT && have_items);
}

/* Juxtaposed items; a NOT before the first one excludes it. */
static size_t parse_group(parser *P)
{
    const tok *t = peek(P);
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
                    syntax_error(P->L, at, "'NOT' with nothing after it");
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
            syntax_error(P->L, t->at, "empty brackets");
        else
            syntax_error(P->L, t->at, "'%s' with nothing before it", operator_name(t->type));
    }
    return failed(P) ? SIZE_MAX : g;
}

/* The operand after a binary operator at `at`: a group, which must not be
 * empty. */
static size_t operand(parser *P, ttype op, size_t at)
{
    const tok *t = peek(P);
    if (!t || t->type == T_RPAREN || t->type == T_AND || t->type == T_OR ||
        (t->type == T_NOT && op != T_AND && op != T_OR)) {
        syntax_error(P->L, at, "'%s' with nothing after it", operator_name(op));
        return SIZE_MAX;
    }
    return parse_group(P);
}

/* Groups joined by AND and NOT, from the left. */
static size_t parse_and(parser *P)
{
    size_t left = parse_group(P);
    size_t and_node = SIZE_MAX;
    const tok *t;
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
    const tok *t;
    while (!failed(P) && (t = peek(P)) && t->type == T_OR) {
        size_t at = t->at;
        P->i++;
        size_t right = SIZE_MAX;
        const tok *u = peek(P);
        if (!u || u->type == T_RPAREN || u->type == T_AND || u->type == T_OR)
            syntax_error(P->L, at, "'OR' with nothing after it");
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

/* Every word of the text, syntax ignored: quotes and brackets separate,
 * operators and field names are dropped, modifiers and '*' too. */
static int plain_words(const char *s, size_t len, oa_qparse *out)
{
    parser P = {NULL, 0, out, 0};
    size_t g = new_node(&P, OA_Q_GROUP, 0);
    size_t i = 0, items = 0;
    while (g != SIZE_MAX && i < len && !P.nomem) {
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
            if (items == OA_QUERY_MAX_ITEMS)
                break;
            size_t n = new_node(&P, OA_Q_WORD, i);
            if (n == SIZE_MAX || add_kid(&P, g, n))
                break;
            out->node[n].start = i;
            out->node[n].end = e;
            out->node[n].column = at;
            items++;
        }
        i = j;
    }
    out->root = g;
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
    lexer L;
    memset(&L, 0, sizeof L);
    L.s = text;
    L.len = len;
    lex(&L);
    int rc = 0;
    char notice[160] = "";
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
        snprintf(notice, sizeof notice, "%s at column %zu: the query was read as plain words",
                 L.err, column_of(text, L.err_at));
        out->plain = 1;
        rc = plain_words(text, len, out);
    } else if (!rc && L.truncated) {
        snprintf(notice, sizeof notice,
                 "the query has more than %d words: only the first %d were used",
                 OA_QUERY_MAX_ITEMS, OA_QUERY_MAX_ITEMS);
    }
    free(L.t);
    for (size_t i = 0; !rc && i < out->n_nodes; i++)
        out->node[i].column = column_of(text, out->node[i].column);
    if (!rc && *notice && !(out->notice = oa_strdup(notice)))
        rc = OASIS_ENOMEM;
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
    free(p->notice);
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
