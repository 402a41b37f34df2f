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
    size_t groups; /* lines read */
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

/* One line's expressions line[0..end) into t as group t->groups. 0, or
 * OASIS_EFORMAT with why[] set (the line is then left out of t), or
 * another error. */
static int add_line(oa_thesaurus *t, oa_analyzer *a, const char *line, const char *end,
                    char *why, size_t why_cap)
{
    size_t first = t->n, exprs = 0;
    int rc = 0;
    for (const char *f = line; f <= end && !rc;) {
        const char *tab = memchr(f, '\t', (size_t)(end - f));
        const char *fe = tab ? tab : end;
        oa_syn_expr e;
        rc = expr_init(a, f, (size_t)(fe - f), t->groups, &e);
        e.preferred = exprs == 0;
        if (rc == OASIS_EFORMAT)
            snprintf(why, why_cap, "%s", oa_error_message());
        if (!rc && e.n == 0) {
            expr_clear(&e);
            snprintf(why, why_cap, "an expression has no word");
            rc = OASIS_EFORMAT;
        }
        if (!rc && (rc = push_expr(t, &e)) != 0)
            expr_clear(&e);
        exprs++;
        f = fe + 1;
    }
    if (!rc && exprs < 2) {
        snprintf(why, why_cap, "fewer than two expressions");
        rc = OASIS_EFORMAT;
    }
    if (rc)
        while (t->n > first)
            expr_clear(&t->v[--t->n]);
    else
        t->groups++;
    return rc;
}

/* Adds the lines of tsv to t. A malformed line: with warn, a warning
 * naming file and line, and the line is left out; without, OASIS_EFORMAT
 * naming the line. */
static int add_lines(oa_thesaurus *t, const char *tsv, const char *file, oasis_warning_fn warn,
                     void *userdata)
{
    oa_analyzer *a = NULL;
    int rc = oa_analyzer_new(&a);
    long lineno = 0;
    for (const char *p = tsv; !rc && *p;) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        lineno++;
        const char *end = eol;
        if (end > p && end[-1] == '\r')
            end--;
        if (end > p && *p != '#') {
            char why[256]; /* oa_error() writes where the message is */
            rc = add_line(t, a, p, end, why, sizeof why);
            if (rc == OASIS_EFORMAT && warn) {
                warn(userdata, file, lineno, why);
                rc = 0;
            } else if (rc == OASIS_EFORMAT) {
                rc = oa_error(rc, "synonyms table line %ld: %s", lineno, why);
            }
        }
        p = *eol ? eol + 1 : eol;
    }
    oa_analyzer_free(a);
    return rc;
}

int oa_thesaurus_parse(const char *tsv, oa_thesaurus **out)
{
    return oa_thesaurus_parse_text(tsv, NULL, NULL, NULL, out);
}

int oa_thesaurus_parse_text(const char *tsv, const char *file, oasis_warning_fn warn,
                            void *userdata, oa_thesaurus **out)
{
    *out = NULL;
    oa_thesaurus *t = calloc(1, sizeof *t);
    if (!t)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = add_lines(t, tsv, file, warn, userdata);
    if (rc) {
        oa_thesaurus_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int oa_thesaurus_load(const char *path, oasis_warning_fn warn, void *userdata, oa_thesaurus **out)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = oa_read_file(path, &text, &len);
    if (!rc && memchr(text, '\0', len))
        rc = oa_error(OASIS_EFORMAT, "%s: a NUL byte: not a synonyms table", path);
    oa_thesaurus *t = NULL;
    if (!rc)
        rc = oa_thesaurus_parse(oa_synonyms_tsv, &t);
    if (!rc)
        rc = add_lines(t, text, path, warn, userdata);
    free(text);
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
    g_builtin.groups = oa_synonyms_table_size ? oa_synonyms_table[oa_synonyms_table_size - 1].group + 1 : 0;
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

/* The groups that have the words of e as a member, ascending, into
 * out[0..max); returns how many there are (more than max: the rest is
 * left out). One pass over the expressions, which are in the order of
 * their groups. */
static size_t groups_of(const oa_thesaurus *t, const oa_syn_expr *e, size_t *out, size_t max)
{
    size_t n = 0, last = 0;
    for (size_t j = 0; j < t->n; j++) {
        const oa_syn_expr *s = &t->v[j];
        if ((n && s->group == last) || !same_words(s, e))
            continue;
        if (n < max)
            out[n] = s->group;
        last = s->group;
        n++;
    }
    return n;
}

/* 1 when g is one of groups[0..n). */
static int among(const size_t *groups, size_t n, size_t g)
{
    for (size_t i = 0; i < n; i++)
        if (groups[i] == g)
            return 1;
    return 0;
}

/* Appends expression k to out[0..*n) unless its words are there already. */
static void add_once(const oa_thesaurus *t, size_t k, size_t *out, size_t max, size_t *n)
{
    for (size_t j = 0; j < *n && j < max; j++)
        if (same_words(&t->v[out[j]], &t->v[k]))
            return;
    if (*n < max)
        out[*n] = k;
    (*n)++;
}

size_t oa_thesaurus_groups(const oa_thesaurus *t, size_t expr, size_t *out, size_t max)
{
    return groups_of(t, &t->v[expr], out, max);
}

size_t oa_thesaurus_synonyms(const oa_thesaurus *t, size_t expr, size_t *out, size_t max)
{
    const oa_syn_expr *e = &t->v[expr];
    size_t groups[64];
    size_t n_groups = groups_of(t, e, groups, sizeof groups / sizeof groups[0]);
    if (n_groups > sizeof groups / sizeof groups[0])
        n_groups = sizeof groups / sizeof groups[0];
    size_t n = 0;
    /* Preferred expressions first, so that a member preferred on one line
     * and a variant on another counts as preferred. */
    for (int pass = 1; pass >= 0; pass--)
        for (size_t k = 0; k < t->n; k++) {
            const oa_syn_expr *s = &t->v[k];
            if (s->preferred == pass && among(groups, n_groups, s->group) && !same_words(s, e))
                add_once(t, k, out, max, &n);
        }
    return n;
}

/* ---- in a query: the synonyms of a run of words ---- */

void cq_read_thesaurus(cq_ctx *c)
{
    if (!c->env->synonyms || c->thesaurus || c->rc)
        return;
    if (c->env->thesaurus)
        c->thesaurus = c->env->thesaurus;
    else
        c->rc = oa_thesaurus_builtin(&c->thesaurus);
}

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
        double weight = s->preferred ? OA_SYNONYM_WEIGHT : OA_VARIANT_WEIGHT;
        xapc_query *q = cq_scaled(c, cq_weighted(c, s->term, s->alt, s->n, 0, &title), weight);
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
