/* More like this (--like): the terms that best tell an initiative apart,
 * from Xapian's relevance-feedback expansion set over it (topped up with
 * its own rarest words in a small collection), shown as the document
 * writes them, and its categories; oa_compile_like() makes the query. */
#include "search/like.h"

#include <stdlib.h>
#include <string.h>

#include "index/docdata.h"
#include "index/schema.h"
#include "search/compile_ctx.h"
#include "search/ranking.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct expansion {
    xapc_db *db;
    char *term[OA_LIKE_TERMS];
    double weight[OA_LIKE_TERMS];
    size_t n;
} expansion;

/* Keeps the words that can lead elsewhere: not numbers, and found in
 * another initiative too. */
static int keep_expansion(void *ud, const char *term, size_t len, double weight)
{
    expansion *x = ud;
    int digits = 1;
    for (size_t i = 0; i < len && digits; i++)
        digits = term[i] >= '0' && term[i] <= '9';
    if (digits || len < 3 || xapc_db_term_freq(x->db, term, len) < 2)
        return 0;
    if (!(x->term[x->n] = oa_strndup(term, len)))
        return -1;
    x->weight[x->n++] = weight;
    return x->n == OA_LIKE_TERMS;
}

/* A word of the document itself, for small collections where the
 * expansion set is short: the rarest words first. */
typedef struct own_words {
    xapc_db *db;
    char *term[OA_LIKE_TERMS];
    size_t freq[OA_LIKE_TERMS];
    size_t n;
} own_words;

static int keep_own_word(void *ud, const char *term, size_t len, double wdf)
{
    (void)wdf;
    own_words *o = ud;
    if (!len || (term[0] >= 'A' && term[0] <= 'Z'))
        return 0;
    int digits = 1;
    for (size_t i = 0; i < len && digits; i++)
        digits = term[i] >= '0' && term[i] <= '9';
    size_t freq = xapc_db_term_freq(o->db, term, len);
    if (digits || len < 3 || freq < 2)
        return 0;
    size_t at = o->n;
    if (o->n == OA_LIKE_TERMS) {
        at = 0;
        for (size_t i = 1; i < o->n; i++)
            if (o->freq[i] > o->freq[at])
                at = i;
        if (o->freq[at] <= freq)
            return 0;
        free(o->term[at]);
    } else {
        o->n++;
    }
    o->freq[at] = freq;
    return (o->term[at] = oa_strndup(term, len)) ? 0 : -1;
}

/* Tops the expansion up with the document's own words, weighted below. */
static int add_own_words(xapc_db *db, unsigned docid, expansion *x)
{
    own_words o;
    memset(&o, 0, sizeof o);
    o.db = db;
    int rc = xapc_db_doc_terms(db, docid, "", 0, keep_own_word, &o);
    double w = x->n ? x->weight[x->n - 1] / 2 : 1.0;
    for (size_t i = 0; i < o.n && !rc; i++) {
        int dup = 0;
        for (size_t k = 0; k < x->n && !dup; k++)
            dup = !strcmp(x->term[k], o.term[i]);
        if (dup || x->n == OA_LIKE_TERMS)
            continue;
        x->term[x->n] = o.term[i];
        o.term[i] = NULL;
        x->weight[x->n++] = w;
    }
    for (size_t i = 0; i < o.n; i++)
        free(o.term[i]);
    return rc;
}

typedef struct slugs {
    char *v[16];
    size_t n;
} slugs;

static int keep_category(void *ud, const char *term, size_t len, double wdf)
{
    (void)wdf;
    slugs *c = ud;
    size_t plen = strlen(OA_PREFIX_CATEGORY);
    if (c->n == 16)
        return 1;
    if (!(c->v[c->n] = oa_strndup(term + plen, len - plen)))
        return -1;
    c->n++;
    return 0;
}

/* How each term appears in the document: its first word, lower-cased. */
static int label_terms(oa_analyzer *a, const oa_docdata *d, char *const *term, size_t n,
                       char **label)
{
    oa_tokens toks = OA_TOKENS_INIT;
    const char *parts[2] = {d->title ? d->title : "", d->text ? d->text : ""};
    int rc = oa_analyze(a, parts[0], strlen(parts[0]), 0, &toks);
    size_t n_title = toks.n;
    if (!rc)
        rc = oa_analyze(a, parts[1], strlen(parts[1]), 0, &toks);
    oa_buf b = OA_BUF_INIT;
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t k = 0; k < toks.n && !label[i] && !rc; k++) {
            if (strcmp(toks.v[k].term, term[i]))
                continue;
            const char *src = k < n_title ? parts[0] : parts[1];
            rc = oa_analyzer_plain(a, src + toks.v[k].start,
                                   toks.v[k].end - toks.v[k].start, &b);
            if (!rc && !(label[i] = oa_strndup(b.data, b.len)))
                rc = OASIS_ENOMEM;
        }
        if (!rc && !label[i] && !(label[i] = oa_strdup(term[i])))
            rc = OASIS_ENOMEM;
    }
    oa_buf_free(&b);
    oa_tokens_free(&toks);
    return rc;
}

int oa_like_query(const oa_compile_env *env, const char *id, oa_compiled *c)
{
    memset(c, 0, sizeof *c);
    oa_buf idterm = OA_BUF_INIT;
    unsigned docid = 0;
    expansion x;
    memset(&x, 0, sizeof x);
    x.db = env->db;
    slugs cats;
    memset(&cats, 0, sizeof cats);
    char *label[OA_LIKE_TERMS] = {NULL};
    oa_docdata data;
    memset(&data, 0, sizeof data);
    xapc_mset *m = NULL;
    int rc = oa_buf_printf(&idterm, "%s%s", OA_PREFIX_ID, id);
    if (!rc)
        rc = xapc_db_find(env->db, idterm.data, idterm.len, &docid);
    if (!rc && !docid)
        rc = oa_error(OASIS_ENOTFOUND, "no initiative with id '%s'", id);
    if (!rc)
        rc = xapc_db_expand(env->db, &docid, 1, OA_LIKE_TERMS * 4, keep_expansion, &x);
    if (!rc && x.n < OA_LIKE_TERMS / 2)
        rc = add_own_words(env->db, docid, &x);
    if (!rc)
        rc = xapc_db_doc_terms(env->db, docid, OA_PREFIX_CATEGORY, strlen(OA_PREFIX_CATEGORY),
                               keep_category, &cats);
    /* The document itself, to show its words as written. */
    xapc_query *self = rc ? NULL : xapc_query_term(idterm.data, idterm.len, 0, 0);
    if (!rc && !self)
        rc = OASIS_ENOMEM;
    if (!rc)
        rc = xapc_db_search(env->db, self, 0, 1, NULL, 0, &m);
    xapc_query_free(self);
    if (!rc && xapc_mset_size(m) == 1) {
        size_t len;
        const char *json = xapc_mset_data(m, 0, &len);
        rc = oa_docdata_decode(json, len, &data);
    }
    if (!rc)
        rc = label_terms(env->analyzer, &data, x.term, x.n, label);
    double scale[OA_LIKE_TERMS];
    for (size_t i = 0; i < x.n; i++)
        scale[i] = x.weight[i] / x.weight[0];
    if (!rc)
        rc = oa_compile_like(env, x.term, label, scale, x.n, cats.v, cats.n, idterm.data, c);
    for (size_t i = 0; i < x.n; i++) {
        free(x.term[i]);
        free(label[i]);
    }
    for (size_t i = 0; i < cats.n; i++)
        free(cats.v[i]);
    oa_docdata_clear(&data);
    xapc_mset_free(m);
    oa_buf_free(&idterm);
    return rc;
}

/* ---- the query ---- */

int oa_compile_like(const oa_compile_env *env, char *const *term, char *const *label,
                    const double *weight, size_t n, char *const *category, size_t n_cat,
                    const char *exclude, oa_compiled *out)
{
    memset(out, 0, sizeof *out);
    cq_ctx c;
    memset(&c, 0, sizeof c);
    c.env = env;
    c.text = "";
    c.out = out;
    cq_read_thesaurus(&c);
    xapc_query *any = NULL;
    for (size_t i = 0; i < n && !c.rc; i++) {
        char *alt = NULL;
        xapc_query *title = NULL;
        xapc_query *q = cq_scaled(&c, cq_weighted(&c, &term[i], &alt, 1, 0, &title), weight[i]);
        oa_unit *u = cq_new_unit(&c, OA_UNIT_WORD, label[i], strlen(label[i]));
        if (u) {
            u->q = cq_copy(&c, q);
            u->title_q = cq_copy(&c, title);
            cq_add_words(&c, u, &term[i], NULL, 1);
        }
        xapc_query_free(title);
        size_t expr;
        const char *one[1] = {term[i]};
        if (c.thesaurus && oa_thesaurus_match(c.thesaurus, one, NULL, 1, &expr) == 1) {
            /* The synonyms' records name the word as shown. */
            cq_word w;
            memset(&w, 0, sizeof w);
            c.text = label[i];
            w.end = strlen(label[i]);
            xapc_query *syn = cq_synonyms(&c, &w, 1, expr);
            c.text = "";
            if (syn)
                q = cq_pair(&c, XAPC_OR, q, cq_scaled(&c, syn, weight[i]));
        }
        any = any ? cq_pair(&c, XAPC_OR, any, q) : q;
    }
    for (size_t i = 0; i < n_cat && !c.rc; i++) {
        xapc_query *q = cq_pair(&c, XAPC_FILTER, xapc_query_fixed(OA_LIKE_CATEGORY_WEIGHT),
                                cq_term(&c, OA_PREFIX_CATEGORY, category[i]));
        oa_buf_reset(&c.scratch);
        oa_unit *u = NULL;
        if (!c.rc && !(c.rc = oa_buf_printf(&c.scratch, "cat:%s", category[i])))
            u = cq_new_unit(&c, OA_UNIT_WORD, c.scratch.data, c.scratch.len);
        if (u) {
            u->title_only = 1;
            u->q = cq_copy(&c, q);
        }
        any = any ? cq_pair(&c, XAPC_OR, any, q) : q;
    }
    if (!c.rc) {
        if (!any) {
            any = xapc_query_combine(XAPC_OR, NULL, 0, 0);
            cq_failed(&c, any);
        }
        out->loose = cq_pair(&c, XAPC_AND_NOT, any, cq_term(&c, "", exclude));
        out->strict = cq_copy(&c, out->loose);
        out->positive = 1;
    } else {
        xapc_query_free(any);
    }
    oa_buf_free(&c.scratch);
    if (c.rc)
        oa_compiled_free(out);
    return c.rc;
}
