/* Prefixes (médec*): the most frequent index terms starting with the
 * typed prefix, accent-free and unstemmed, and the stem of the prefix
 * itself when it is a whole word, as one SYNONYM. */
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "search/compile_ctx.h"
#include "search/ranking.h"
#include "util/buf.h"
#include "util/error.h"

/* Index terms a prefix's expansion reads at most. */
#define OA_PREFIX_WALK 20000

/* The terms a prefix stands for so far, and their frequencies. */
typedef struct expansion {
    char **term;
    size_t *freq;
    size_t n;
    size_t walked;
} expansion;

/* Keeps the OA_PREFIX_TERMS most frequent terms. */
static int keep_term(void *ud, const char *term, size_t len, double value)
{
    expansion *x = ud;
    size_t freq = (size_t)value;
    x->walked++;
    size_t at = x->n;
    if (x->n == OA_PREFIX_TERMS) {
        at = 0;
        for (size_t i = 1; i < x->n; i++)
            if (x->freq[i] < x->freq[at])
                at = i;
        if (x->freq[at] >= freq)
            return 0;
        free(x->term[at]);
    } else {
        x->n++;
    }
    x->term[at] = oa_strndup(term, len);
    x->freq[at] = freq;
    if (!x->term[at])
        return -1;
    return 0;
}

/* 1 for a byte of a word in a plain form: a-z, 0-9, or of a non-ASCII
 * character. */
static int word_byte(char ch)
{
    return (unsigned char)ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/* The terms the prefix item it stands for, into x, each with the term
 * prefix: the most frequent index terms starting with the last run of
 * word characters of its plain form, and the stems of its own words. */
static void expand(cq_ctx *c, const oa_qnode *it, const char *prefix, expansion *x)
{
    oa_buf plain = OA_BUF_INIT, p = OA_BUF_INIT;
    c->rc = oa_analyzer_plain(c->env->analyzer, c->text + it->start, it->end - it->start, &plain);
    /* The last run of word characters is the prefix. */
    size_t e = c->rc ? 0 : plain.len, s;
    while (e > 0 && !word_byte(plain.data[e - 1]))
        e--;
    s = e;
    while (s > 0 && word_byte(plain.data[s - 1]))
        s--;
    if (!c->rc && e > s && !(c->rc = oa_buf_puts(&p, prefix)) &&
        !(c->rc = oa_buf_append(&p, plain.data + s, e - s)))
        c->rc = xapc_db_terms(c->env->db, p.data, p.len, OA_PREFIX_WALK, keep_term, x);
    /* The stem of the whole word: "logements*" finds "log". */
    oa_tokens toks = OA_TOKENS_INIT;
    if (!c->rc && !oa_analyze(c->env->analyzer, c->text + it->start, it->end - it->start, 0, &toks))
        for (size_t i = 0; i < toks.n && !c->rc; i++) {
            oa_buf_reset(&p);
            if (!(c->rc = oa_buf_puts(&p, prefix)) && !(c->rc = oa_buf_puts(&p, toks.v[i].term))) {
                size_t f = xapc_db_term_freq(c->env->db, p.data, p.len);
                int dup = 0;
                for (size_t j = 0; j < x->n && !dup; j++)
                    dup = !strcmp(x->term[j], p.data);
                if (f && !dup)
                    keep_term(x, p.data, p.len, (double)f);
            }
        }
    oa_tokens_free(&toks);
    oa_buf_free(&p);
    oa_buf_free(&plain);
}

/* The query of the expansion x, whose terms carry a term prefix of plen
 * bytes: one SYNONYM of the terms, their title copies weighing
 * OA_TITLE_WEIGHT extra; with the title prefix, the title copies alone.
 * *title gets the SYNONYM of the title copies (NULL when x is empty).
 * Each term is one of u's words (u may be NULL). */
static xapc_query *expansion_query(cq_ctx *c, const expansion *x, size_t plen, oa_unit *u,
                                   xapc_query **title)
{
    *title = NULL;
    xapc_query **subs = calloc(x->n ? x->n : 1, sizeof *subs);
    xapc_query **tsubs = calloc(x->n ? x->n : 1, sizeof *tsubs);
    if (!subs || !tsubs)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < x->n && !c->rc; i++) {
        subs[i] = cq_term(c, "", x->term[i] + plen);
        tsubs[i] = cq_term(c, OA_PREFIX_TITLE, x->term[i] + plen);
        char *one = x->term[i] + plen;
        cq_add_words(c, u, &one, NULL, 1);
    }
    xapc_query *q = NULL;
    if (!c->rc) {
        *title = cq_combine(c, XAPC_SYNONYM, tsubs, x->n);
        if (x->n == 0) {
            q = xapc_query_combine(XAPC_OR, NULL, 0, 0);
            cq_failed(c, q);
        } else if (plen) {
            q = cq_copy(c, *title);
            cq_free_queries(subs, x->n);
            subs = NULL;
        } else {
            q = cq_pair(c, XAPC_OR, cq_combine(c, XAPC_SYNONYM, subs, x->n),
                        cq_scaled(c, cq_copy(c, *title), OA_TITLE_WEIGHT));
        }
        if (x->n == 0) {
            xapc_query_free(*title);
            *title = NULL;
        }
    } else if (subs && tsubs) {
        for (size_t i = 0; i < x->n; i++) {
            xapc_query_free(subs[i]);
            xapc_query_free(tsubs[i]);
        }
    }
    free(subs);
    free(tsubs);
    return q;
}

void cq_prefix(cq_ctx *c, const oa_qnode *it, xapc_query **out_q, xapc_query **out_excl)
{
    const char *prefix = it->field == OA_FIELD_TITLE ? OA_PREFIX_TITLE : "";
    expansion x = {calloc(OA_PREFIX_TERMS, sizeof(char *)), calloc(OA_PREFIX_TERMS, sizeof(size_t)),
                   0, 0};
    if (!x.term || !x.freq)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    if (!c->rc)
        expand(c, it, prefix, &x);
    oa_unit *u = out_q ? cq_new_unit(c, OA_UNIT_PREFIX, c->text + it->start, it->end - it->start)
                       : NULL;
    xapc_query *title = NULL;
    xapc_query *q = expansion_query(c, &x, strlen(prefix), u, &title);
    for (size_t i = 0; i < x.n; i++)
        free(x.term[i]);
    free(x.term);
    free(x.freq);
    if (u) {
        u->title_only = it->field == OA_FIELD_TITLE;
        u->q = cq_copy(c, q);
        u->title_q = cq_copy(c, title);
    }
    xapc_query_free(title);
    if (out_q)
        *out_q = q;
    else if (out_excl)
        *out_excl = q;
    else
        xapc_query_free(q);
}
