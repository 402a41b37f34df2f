#include "search/synonyms.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "oasis.h"
#include "search/compile_ctx.h"
#include "search/ranking.h"
#include "search/synonyms_table.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

struct oa_thesaurus {
    oa_syn_expr *v;
    size_t n, cap;
};

static void expr_clear(oa_syn_expr *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->term[i]);
        free(e->alt[i]);
    }
    free(e->term);
    free(e->alt);
    free(e->text);
}

void oa_thesaurus_free(oa_thesaurus *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        expr_clear(&t->v[i]);
    free(t->v);
    free(t);
}

/* Analyses text[0..len) into e (terms by position, alternatives beside). */
static int expr_init(oa_analyzer *a, const char *text, size_t len, size_t group, oa_syn_expr *e)
{
    memset(e, 0, sizeof *e);
    e->group = group;
    oa_tokens toks = OA_TOKENS_INIT;
    int rc = oa_analyze(a, text, len, 0, &toks);
    if (!rc && !(e->text = oa_strndup(text, len)))
        rc = OASIS_ENOMEM;
    if (!rc && toks.n && (!(e->term = calloc(toks.n, sizeof *e->term)) ||
                          !(e->alt = calloc(toks.n, sizeof *e->alt))))
        rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < toks.n && !rc; i++) {
        const oa_token *tk = &toks.v[i];
        if (tk->compound)
            continue; /* an expression is its words */
        if (tk->alt) {
            if (e->n && !e->alt[e->n - 1] && !(e->alt[e->n - 1] = oa_strdup(tk->term)))
                rc = OASIS_ENOMEM;
            continue;
        }
        if (!(e->term[e->n] = oa_strdup(tk->term)))
            rc = OASIS_ENOMEM;
        else
            e->n++;
    }
    oa_tokens_free(&toks);
    if (rc)
        expr_clear(e);
    return rc;
}

static int push_expr(oa_thesaurus *t, const oa_syn_expr *e)
{
    int rc = oa_grow(&t->v, &t->cap, t->n + 1, sizeof *t->v);
    if (rc)
        return rc;
    t->v[t->n++] = *e;
    return 0;
}

int oa_thesaurus_parse(const char *tsv, oa_thesaurus **out)
{
    *out = NULL;
    oa_thesaurus *t = calloc(1, sizeof *t);
    oa_analyzer *a = NULL;
    if (!t)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = oa_analyzer_new(&a);
    size_t group = 0;
    int lineno = 0;
    const char *p = tsv;
    while (!rc && *p) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        lineno++;
        const char *end = eol;
        if (end > p && end[-1] == '\r')
            end--;
        if (end > p && *p != '#') {
            size_t exprs = 0;
            for (const char *f = p; f <= end && !rc;) {
                const char *tab = memchr(f, '\t', (size_t)(end - f));
                const char *fe = tab ? tab : end;
                oa_syn_expr e;
                rc = expr_init(a, f, (size_t)(fe - f), group, &e);
                e.preferred = exprs == 0;
                if (rc == OASIS_EFORMAT) {
                    char why[256]; /* oa_error() writes where the message is */
                    snprintf(why, sizeof why, "%s", oa_error_message());
                    rc = oa_error(rc, "synonyms table line %d: %s", lineno, why);
                }
                if (!rc && e.n == 0) {
                    expr_clear(&e);
                    rc = oa_error(OASIS_EFORMAT, "synonyms table line %d: an expression has no word",
                                  lineno);
                }
                if (!rc && (rc = push_expr(t, &e)) != 0)
                    expr_clear(&e);
                exprs++;
                f = fe + 1;
            }
            if (!rc && exprs < 2)
                rc = oa_error(OASIS_EFORMAT, "synonyms table line %d: fewer than two expressions",
                              lineno);
            group++;
        }
        p = *eol ? eol + 1 : eol;
    }
    oa_analyzer_free(a);
    if (rc) {
        oa_thesaurus_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* The built-in table is compiled in already analysed (synonyms_table.h,
 * generated at build time by tools/gen_tables.c with this analyzer): it is
 * not parsed at run time. Never freed (oa_thesaurus_free is not for it). */
static oa_thesaurus g_builtin;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void load_builtin(void)
{
    g_builtin.v = oa_synonyms_table;
    g_builtin.n = g_builtin.cap = oa_synonyms_table_size;
}

int oa_thesaurus_builtin(const oa_thesaurus **out)
{
    pthread_once(&g_once, load_builtin);
    *out = &g_builtin;
    return 0;
}

size_t oa_thesaurus_size(const oa_thesaurus *t)
{
    return t->n;
}

const oa_syn_expr *oa_thesaurus_at(const oa_thesaurus *t, size_t i)
{
    return i < t->n ? &t->v[i] : NULL;
}

static int eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* One query word against one expression word: any spelling in common. */
static int word_matches(const char *term, const char *alt, const oa_syn_expr *e, size_t i)
{
    return eq(term, e->term[i]) || eq(term, e->alt[i]) || eq(alt, e->term[i]) ||
           eq(alt, e->alt[i]);
}

size_t oa_thesaurus_match(const oa_thesaurus *t, const char *const *term,
                          const char *const *alt, size_t n, size_t *expr)
{
    size_t best = 0;
    for (size_t k = 0; k < t->n; k++) {
        const oa_syn_expr *e = &t->v[k];
        if (e->n > n || e->n <= best)
            continue;
        size_t i = 0;
        while (i < e->n && word_matches(term[i], alt ? alt[i] : NULL, e, i))
            i++;
        if (i == e->n) {
            best = e->n;
            *expr = k;
        }
    }
    return best;
}

/* 1 when a and b have the same words. */
static int same_words(const oa_syn_expr *a, const oa_syn_expr *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->term[i], b->term[i]) != 0)
            return 0;
    return 1;
}

size_t oa_thesaurus_synonyms(const oa_thesaurus *t, size_t expr, size_t *out, size_t max)
{
    const oa_syn_expr *e = &t->v[expr];
    size_t n = 0;
    for (size_t k = 0; k < t->n; k++) {
        const oa_syn_expr *s = &t->v[k];
        if (!s->preferred || same_words(s, e))
            continue;
        /* Is e a variant on s's line? */
        int variant = 0;
        for (size_t j = 0; j < t->n && !variant; j++)
            variant = t->v[j].group == s->group && !t->v[j].preferred && same_words(&t->v[j], e);
        if (!variant)
            continue;
        int seen = 0;
        for (size_t j = 0; j < n && j < max && !seen; j++)
            seen = same_words(&t->v[out[j]], s);
        if (seen)
            continue;
        if (n < max)
            out[n] = k;
        n++;
    }
    return n;
}

/* ---- in a query: the synonyms of a run of words ---- */

xapc_query *cq_synonyms(cq_ctx *c, const cq_word *w, size_t k, size_t expr)
{
    size_t idx[32];
    size_t n = oa_thesaurus_synonyms(c->thesaurus, expr, idx, 32);
    if (n > 32)
        n = 32;
    xapc_query *all = NULL;
    const char *typed = c->text + w[0].start;
    size_t typed_len = w[k - 1].end - w[0].start;
    for (size_t i = 0; i < n && !c->rc; i++) {
        const oa_syn_expr *s = oa_thesaurus_at(c->thesaurus, idx[i]);
        xapc_query *title = NULL;
        xapc_query *q =
            cq_scaled(c, cq_weighted(c, s->term, s->alt, s->n, 0, &title), OA_SYNONYM_WEIGHT);
        oa_unit *u = cq_new_unit(c, OA_UNIT_SYNONYM, s->text, strlen(s->text));
        if (u) {
            u->q = cq_copy(c, q);
            u->title_q = title;
            title = NULL;
            if (!(u->of = oa_strndup(typed, typed_len)))
                c->rc = OASIS_ENOMEM;
            cq_add_words(c, u, s->term, s->alt, s->n);
        }
        xapc_query_free(title);
        all = all ? cq_pair(c, XAPC_OR, all, q) : q;
        cq_synonym_use(c, typed, typed_len, s->text);
    }
    return all;
}
