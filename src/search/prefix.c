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

void cq_prefix(cq_ctx *c, const oa_qnode *it, xapc_query **out_q, xapc_query **out_excl)
{
    oa_buf plain = OA_BUF_INIT;
    if ((c->rc = oa_analyzer_plain(c->env->analyzer, c->text + it->start, it->end - it->start,
                                   &plain)))
        return;
    /* The last run of word characters is the prefix. */
    size_t e = plain.len, s;
    while (e > 0 && !((unsigned char)plain.data[e - 1] >= 0x80 ||
                      (plain.data[e - 1] >= 'a' && plain.data[e - 1] <= 'z') ||
                      (plain.data[e - 1] >= '0' && plain.data[e - 1] <= '9')))
        e--;
    s = e;
    while (s > 0 && ((unsigned char)plain.data[s - 1] >= 0x80 ||
                     (plain.data[s - 1] >= 'a' && plain.data[s - 1] <= 'z') ||
                     (plain.data[s - 1] >= '0' && plain.data[s - 1] <= '9')))
        s--;
    expansion x = {calloc(OA_PREFIX_TERMS, sizeof(char *)), calloc(OA_PREFIX_TERMS, sizeof(size_t)),
                   0, 0};
    if (!x.term || !x.freq)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    const char *prefix = it->field == OA_FIELD_TITLE ? OA_PREFIX_TITLE : "";
    oa_buf p = OA_BUF_INIT;
    if (!c->rc && e > s && !(c->rc = oa_buf_puts(&p, prefix)) &&
        !(c->rc = oa_buf_append(&p, plain.data + s, e - s)))
        c->rc = xapc_db_terms(c->env->db, p.data, p.len, 20000, keep_term, &x);
    /* The stem of the whole word: "logements*" finds "log". */
    oa_tokens toks = OA_TOKENS_INIT;
    if (!c->rc && !oa_analyze(c->env->analyzer, c->text + it->start, it->end - it->start, 0, &toks))
        for (size_t i = 0; i < toks.n && !c->rc; i++) {
            oa_buf_reset(&p);
            if (!(c->rc = oa_buf_puts(&p, prefix)) && !(c->rc = oa_buf_puts(&p, toks.v[i].term))) {
                size_t f = xapc_db_term_freq(c->env->db, p.data, p.len);
                int dup = 0;
                for (size_t j = 0; j < x.n && !dup; j++)
                    dup = !strcmp(x.term[j], p.data);
                if (f && !dup)
                    keep_term(&x, p.data, p.len, (double)f);
            }
        }
    oa_tokens_free(&toks);
    oa_buf_free(&p);
    oa_buf_free(&plain);
    /* One SYNONYM of the expansions, title copies weighing extra. */
    size_t plen = strlen(prefix);
    xapc_query **subs = calloc(x.n ? x.n : 1, sizeof *subs);
    xapc_query **tsubs = calloc(x.n ? x.n : 1, sizeof *tsubs);
    if (!subs || !tsubs)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    oa_unit *u = out_q ? cq_new_unit(c, OA_UNIT_PREFIX, c->text + it->start, it->end - it->start)
                       : NULL;
    for (size_t i = 0; i < x.n && !c->rc; i++) {
        subs[i] = cq_term(c, "", x.term[i] + plen);
        tsubs[i] = cq_term(c, OA_PREFIX_TITLE, x.term[i] + plen);
        char *one = x.term[i] + plen;
        cq_add_words(c, u, &one, NULL, 1);
    }
    xapc_query *q = NULL, *title = NULL;
    if (!c->rc) {
        title = cq_combine(c, XAPC_SYNONYM, tsubs, x.n);
        if (x.n == 0) {
            q = xapc_query_combine(XAPC_OR, NULL, 0, 0);
            cq_failed(c, q);
        } else if (plen) {
            q = cq_copy(c, title);
            cq_free_queries(subs, x.n);
            subs = NULL;
        } else {
            q = cq_pair(c, XAPC_OR, cq_combine(c, XAPC_SYNONYM, subs, x.n),
                      cq_scaled(c, cq_copy(c, title), OA_TITLE_WEIGHT));
        }
        if (x.n == 0) {
            xapc_query_free(title);
            title = NULL;
        }
    }
    free(subs);
    free(tsubs);
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
