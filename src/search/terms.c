/* The pieces a query is made of: terms, phrases and title copies; lists
 * of the queries a group is made of; and a query's words, analysed. */
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "search/compile_ctx.h"
#include "search/query.h"
#include "search/ranking.h"
#include "util/error.h"

/* ---- terms, phrases, title copies ---- */

int cq_failed(cq_ctx *c, xapc_query *q)
{
    if (!q && !c->rc)
        c->rc = OASIS_ENOMEM;
    return q == NULL;
}

xapc_query *cq_combine(cq_ctx *c, xapc_op op, xapc_query **subs, size_t n)
{
    xapc_query *q = oa_query_combine_owned(op, subs, n);
    cq_failed(c, q);
    return q;
}

xapc_query *cq_pair(cq_ctx *c, xapc_op op, xapc_query *a, xapc_query *b)
{
    xapc_query *q = oa_query_pair_owned(op, a, b);
    cq_failed(c, q);
    return q;
}

xapc_query *cq_scaled(cq_ctx *c, xapc_query *q, double f)
{
    xapc_query *s = oa_query_scale_owned(q, f);
    cq_failed(c, s);
    return s;
}

xapc_query *cq_copy(cq_ctx *c, const xapc_query *q)
{
    if (!q)
        return NULL;
    xapc_query *r = xapc_query_copy(q);
    cq_failed(c, r);
    return r;
}

xapc_query *cq_term(cq_ctx *c, const char *prefix, const char *term)
{
    oa_buf_reset(&c->scratch);
    xapc_query *q = NULL;
    if (!oa_buf_puts(&c->scratch, prefix) && !oa_buf_puts(&c->scratch, term))
        q = xapc_query_term(c->scratch.data, c->scratch.len, 1, 0);
    cq_failed(c, q);
    return q;
}

/* A word's term; for a word with an accent-free alternative, SYNONYM of
 * the two. A document holds the alternative wherever the word is, however
 * written (beside the term at the same position when written with its
 * accents, as the term itself without them); but another word of the same
 * accented stem holds the term alone ("infirmiers" has the stem of
 * "infirmières", not its accent-free alternative), so both are searched,
 * weighed as one word. In a phrase (in_phrase), whose words Xapian 1.4
 * wants as plain terms, the alternative alone. */
static xapc_query *spelling_q(cq_ctx *c, const char *prefix, const char *term, const char *alt,
                              int in_phrase)
{
    if (in_phrase && alt)
        return cq_term(c, prefix, alt);
    if (!alt || !strcmp(alt, term))
        return cq_term(c, prefix, term);
    return cq_pair(c, XAPC_SYNONYM, cq_term(c, prefix, term), cq_term(c, prefix, alt));
}

/* A phrase of the words' spellings (spelling_q()): a document has the
 * accent-free alternative of an accented word at the word's position,
 * whichever way it was written. */
xapc_query *cq_phrase(cq_ctx *c, const char *prefix, char *const *term, char *const *alt, size_t n)
{
    if (n == 1)
        return spelling_q(c, prefix, term[0], alt ? alt[0] : NULL, 0);
    xapc_query **subs = calloc(n, sizeof *subs);
    if (!subs) {
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        subs[i] = spelling_q(c, prefix, term[i], alt ? alt[i] : NULL, 1);
    xapc_query *q = cq_combine(c, XAPC_PHRASE, subs, n);
    free(subs);
    return q;
}

xapc_query *cq_weighted(cq_ctx *c, char *const *term, char *const *alt, size_t n, int title_only,
                        xapc_query **title)
{
    *title = cq_phrase(c, OA_PREFIX_TITLE, term, alt, n);
    if (title_only)
        return cq_copy(c, *title);
    return cq_pair(c, XAPC_OR, cq_phrase(c, "", term, alt, n),
                   cq_scaled(c, cq_copy(c, *title), OA_TITLE_WEIGHT));
}

/* ---- lists of owned queries ---- */

void cq_push(cq_ctx *c, cq_list *l, xapc_query *q)
{
    if (!q) {
        cq_failed(c, q);
        return;
    }
    if (c->rc || (c->rc = OA_VEC_PUSH(l, q)))
        xapc_query_free(q);
}

xapc_query *cq_take(cq_ctx *c, xapc_op op, cq_list *l)
{
    xapc_query *q = cq_combine(c, op, l->v, l->n);
    free(l->v);
    memset(l, 0, sizeof *l);
    return q;
}

void cq_free_queries(xapc_query **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xapc_query_free(v[i]);
    free(v);
}

void cq_free_list(cq_list *l)
{
    cq_free_queries(l->v, l->n);
    memset(l, 0, sizeof *l);
}

void cq_elems_free(cq_elems *e)
{
    cq_free_list(&e->strict);
    cq_free_list(&e->loose);
    cq_free_list(&e->req);
    cq_free_list(&e->excl);
    for (int f = 0; f < 3; f++)
        cq_free_list(&e->filter[f]);
    cq_free_list(&e->bonus);
}

/* ---- words ---- */

void cq_analyse_item(cq_ctx *c, size_t start, size_t end, size_t item, cq_words *w)
{
    oa_tokens toks = OA_TOKENS_INIT;
    if (c->rc || (c->rc = oa_analyze(c->env->analyzer, c->text + start, end - start, 0, &toks)))
        return;
    size_t first = w->n;
    for (size_t i = 0; i < toks.n && !c->rc; i++) {
        const oa_token *t = &toks.v[i];
        if (t->compound) {
            /* The compound's joined term, and its alternative, go with its
             * last word. */
            cq_word *last = w->n > first ? &w->v[w->n - 1] : NULL;
            char **slot = !last ? NULL : !t->alt ? &last->joined : &last->joined_alt;
            if (slot && !*slot && !(*slot = oa_strdup(t->term)))
                c->rc = OASIS_ENOMEM;
            continue;
        }
        if (t->alt) {
            if (w->n > first && !w->v[w->n - 1].alt && !(w->v[w->n - 1].alt = oa_strdup(t->term)))
                c->rc = OASIS_ENOMEM;
            continue;
        }
        if ((c->rc = oa_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v)))
            break;
        cq_word *q = &w->v[w->n];
        memset(q, 0, sizeof *q);
        q->start = start + t->start;
        q->end = start + t->end;
        q->item = item;
        if (w->n > first) {
            /* Joined by a hyphen to the word before it. */
            const cq_word *prev = &w->v[w->n - 1];
            for (size_t b = prev->end; b < q->start && !q->hyphen; b++)
                q->hyphen = c->text[b] == '-' || c->text[b] == '/';
        }
        if (!(q->term = oa_strdup(t->term)))
            c->rc = OASIS_ENOMEM;
        else
            w->n++;
    }
    oa_tokens_free(&toks);
}

void cq_free_words(cq_words *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].term);
        free(w->v[i].alt);
        free(w->v[i].joined);
        free(w->v[i].joined_alt);
    }
    free(w->v);
    memset(w, 0, sizeof *w);
}

int cq_term_arrays(cq_ctx *c, const cq_word *w, size_t n, char ***t, char ***a)
{
    *t = calloc(n, sizeof **t);
    *a = calloc(n, sizeof **a);
    if (!*t || !*a) {
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        (*t)[i] = w[i].term;
        (*a)[i] = w[i].alt;
    }
    return 0;
}

xapc_query *cq_weighted_words(cq_ctx *c, const cq_word *w, size_t n, int title_only,
                              xapc_query **title)
{
    char **t, **a;
    *title = NULL;
    if (cq_term_arrays(c, w, n, &t, &a) != 0) {
        free(t);
        free(a);
        return NULL;
    }
    xapc_query *q = cq_weighted(c, t, a, n, title_only, title);
    free(t);
    free(a);
    const cq_word *last = &w[n - 1];
    if (n > 1 && last->joined && !c->rc) {
        char *jt[1] = {last->joined}, *ja[1] = {last->joined_alt};
        xapc_query *jtitle = NULL;
        q = cq_pair(c, XAPC_OR, q, cq_weighted(c, jt, ja, 1, title_only, &jtitle));
        *title = cq_pair(c, XAPC_OR, *title, jtitle);
    }
    return q;
}

/* ---- a group's plain words ---- */

void cq_phrase_bonus(cq_ctx *c, cq_word *w, size_t n, cq_elems *e)
{
    for (size_t i = 0; i < n && !c->rc;) {
        size_t run = 0;
        while (i + run < n && !w[i + run].place && !w[i + run].dropped)
            run++;
        if (run >= 2 && run <= OA_PATTERN_WORDS && w[i].item != w[i + run - 1].item) {
            char *t[OA_PATTERN_WORDS], *a[OA_PATTERN_WORDS];
            for (size_t j = 0; j < run; j++) {
                t[j] = w[i + j].term;
                a[j] = w[i + j].alt;
            }
            xapc_query *title = NULL;
            xapc_query *q = cq_scaled(c, cq_weighted(c, t, a, run, 0, &title), OA_PHRASE_BONUS);
            cq_word_unit(c, &w[i], run, 0, q, title);
            xapc_query_free(title);
            cq_push(c, &e->bonus, q);
        }
        i += run ? run : 1;
    }
}

/* A run of k words that is the thesaurus expression expr: tier 1 needs
 * each word, or the synonyms of them together; a match, any of them. 0,
 * or -1 with c->rc set. */
static int expression_elements(cq_ctx *c, cq_word *w, size_t k, size_t expr, xapc_query **strict,
                               xapc_query **loose)
{
    xapc_query **each = calloc(k, sizeof *each);
    if (!each) {
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        return -1;
    }
    for (size_t j = 0; j < k; j++) {
        xapc_query *title = NULL;
        each[j] = cq_weighted(c, &w[j].term, &w[j].alt, 1, 0, &title);
        cq_word_unit(c, &w[j], 1, 0, each[j], title);
        xapc_query_free(title);
    }
    xapc_query *syn = cq_synonyms(c, w, k, expr);
    xapc_query **copies = calloc(k + 1, sizeof *copies);
    if (!copies) {
        cq_free_queries(each, k);
        xapc_query_free(syn);
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        return -1;
    }
    for (size_t j = 0; j < k; j++)
        copies[j] = cq_copy(c, each[j]);
    *strict = cq_combine(c, XAPC_AND, each, k);
    if (syn) {
        *strict = cq_pair(c, XAPC_OR, *strict, cq_copy(c, syn));
        copies[k] = syn;
    }
    *loose = cq_combine(c, XAPC_OR, copies, syn ? k + 1 : k);
    free(each);
    free(copies);
    return 0;
}

/* A word, or a hyphenated run of len words as one phrase: the same query
 * in both tiers. 0, or -1 with c->rc set. */
static int word_elements(cq_ctx *c, cq_word *w, size_t len, xapc_query **strict,
                         xapc_query **loose)
{
    xapc_query *title = NULL;
    *strict = cq_weighted_words(c, w, len, 0, &title);
    if (c->rc) {
        xapc_query_free(title);
        return -1;
    }
    cq_word_unit(c, w, len, 0, *strict, title);
    xapc_query_free(title);
    *loose = cq_copy(c, *strict);
    return 0;
}

void cq_plain_elements(cq_ctx *c, cq_word *w, size_t n, cq_elems *e)
{
    /* The thesaurus is read when a query first has words for it. */
    if (n)
        cq_read_thesaurus(c);
    const char **terms = calloc(n ? n : 1, sizeof *terms), **alts = calloc(n ? n : 1, sizeof *alts);
    if (!terms || !alts) {
        free(terms);
        free(alts);
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        return;
    }
    for (size_t i = 0; i < n && !c->rc;) {
        if (w[i].place || w[i].dropped) {
            i++;
            continue;
        }
        /* The run of usable words from i, for the thesaurus. */
        size_t run = 0;
        while (i + run < n && !w[i + run].place && !w[i + run].dropped) {
            terms[run] = w[i + run].term;
            alts[run] = w[i + run].alt;
            run++;
        }
        size_t expr = 0, k = 0;
        if (c->thesaurus)
            k = oa_thesaurus_match(c->thesaurus, terms, alts, run, &expr);
        size_t len = 1;
        if (k) {
            len = k;
        } else {
            while (i + len < n && w[i + len].hyphen && w[i + len].item == w[i].item &&
                   !w[i + len].place && !w[i + len].dropped)
                len++;
        }
        for (size_t j = 0; j < len; j++)
            cq_check_known(c, &w[i + j]);
        xapc_query *strict, *loose;
        if ((k ? expression_elements(c, &w[i], k, expr, &strict, &loose)
               : word_elements(c, &w[i], len, &strict, &loose)) != 0)
            break;
        cq_push(c, &e->strict, strict);
        cq_push(c, &e->loose, loose);
        i += len;
    }
    free(terms);
    free(alts);
    cq_concepts(c, w, n, e);
}
