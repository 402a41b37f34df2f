#include "search/places.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/stopwords.h"
#include "index/schema.h"
#include "search/compile_ctx.h"
#include "taxonomy/communes.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"

/* Départements whose name is also an everyday word ("une somme", "un
 * lot", "cher"): they are places only when written with a capital. */
static int common_dept_name(const char *key)
{
    static const char *const names[] = {"allier", "aube",  "cher",  "creuse", "landes", "lot",
                                        "manche", "marne", "meuse", "nord",   "orne",   "somme",
                                        "var",    "vienne"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(key, names[i]))
            return 1;
    return 0;
}

/* A département code as people type it: two digits, 2A/2B, 97x. */
static int looks_like_code(const char *key)
{
    size_t len = strlen(key);
    if (len == 2 && key[0] == '2' && (key[1] == 'a' || key[1] == 'b'))
        return 1;
    if (len != 2 && len != 3)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (key[i] < '0' || key[i] > '9')
            return 0;
    return 1;
}

static int is_number(const char *key)
{
    if (!*key)
        return 0;
    for (; *key; key++)
        if ((*key < '0' || *key > '9') && *key != ' ')
            return 0;
    return 1;
}

/* Adds d to p's départements unless it is there already. n_depts never
 * passes OA_PLACE_MAX_DEPTS: -1 when d would be one more than that. */
static int add_dept(oa_place *p, const oasis_departement *d)
{
    for (size_t i = 0; i < p->n_depts; i++)
        if (p->dept[i] == d)
            return 0;
    if (p->n_depts == OA_PLACE_MAX_DEPTS)
        return -1;
    p->dept[p->n_depts++] = d;
    return 0;
}

/* 1 when some département name starts with key and a space (the names'
 * fold keys are compiled in: departements.h). */
static int dept_name_continues(const char *key)
{
    size_t kl = strlen(key), len;
    const char *k;
    for (size_t i = 0; (k = oa_departement_key(i, &len)) != NULL; i++)
        if (len > kl && k[kl] == ' ' && !memcmp(k, key, kl))
            return 1;
    return 0;
}

/* The département or communes named by key, into *p; 0 when none.
 * *longer is set when a longer name starts with key. */
static int lookup(const char *key, int capital, oa_place *p, int *longer)
{
    size_t kl = strlen(key);
    *longer = 0;
    if (is_number(key)) {
        const oasis_departement *d = looks_like_code(key) ? oa_departement_find(key, kl) : NULL;
        if (d)
            add_dept(p, d);
        return d != NULL;
    }
    oa_commune c[16];
    size_t n = oa_communes_find(key, kl, c, sizeof c / sizeof c[0], longer);
    *longer |= dept_name_continues(key);
    if (!strchr(key, ' ') && oa_stopword_is(key, kl))
        return 0;
    const oasis_departement *d = oa_departement_find(key, kl);
    if (d && (capital || !common_dept_name(key))) {
        add_dept(p, d);
        return 1;
    }
    if (n > sizeof c / sizeof c[0])
        return 0; /* a name too common to point anywhere */
    for (size_t i = 0; i < n; i++) {
        if (c[i].common && !capital)
            continue;
        if (add_dept(p, c[i].departement)) {
            /* Communes of this name in too many départements. */
            p->n_depts = 0;
            p->commune = NULL;
            return 0;
        }
        p->commune = c[i].name;
        p->commune_len = c[i].name_len;
    }
    return p->n_depts > 0;
}

size_t oa_places_find(const oa_place_word *words, size_t n, oa_place *out, size_t max)
{
    char **keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys)
        return 0;
    /* No place name is longer than this: longer words are not looked up. */
    for (size_t i = 0; i < n; i++)
        if (words[i].len > OA_PLACE_MAX_BYTES || oa_fold_key(words[i].text, words[i].len, &keys[i]))
            keys[i] = NULL;
    size_t found = 0;
    oa_buf key = OA_BUF_INIT;
    for (size_t p = 0; p < n && found < max;) {
        oa_place best;
        memset(&best, 0, sizeof best);
        size_t words_in = 0;
        int capital = 0;
        oa_buf_reset(&key);
        for (size_t q = p; q < n && keys[q] && *keys[q]; q++) {
            if (q > p && oa_buf_putc(&key, ' '))
                break;
            if (oa_buf_puts(&key, keys[q]))
                break;
            for (const char *s = keys[q]; *s; s++)
                words_in += *s == ' ';
            words_in++;
            if (words_in > OA_PLACE_MAX_WORDS)
                break;
            capital |= words[q].capital;
            oa_place cand;
            memset(&cand, 0, sizeof cand);
            int longer;
            if (lookup(key.data, capital, &cand, &longer)) {
                cand.first = p;
                cand.n = q - p + 1;
                best = cand;
            }
            if (!longer)
                break;
        }
        if (best.n) {
            out[found++] = best;
            p += best.n;
        } else {
            p++;
        }
    }
    oa_buf_free(&key);
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return found;
}

/* ---- in a query: the places the compiler finds among plain words ---- */

/* The boolean term query of a département. */
static xapc_query *dept_q(cq_ctx *c, const oasis_departement *d)
{
    return cq_term(c, OA_PREFIX_DEPT, d->code);
}

static void add_place_filter(cq_ctx *c, xapc_query *q)
{
    oa_compiled *o = c->out;
    if (!q)
        return;
    if (!o->places) {
        o->places = q;
        return;
    }
    o->places = cq_pair(c, XAPC_OR, o->places, q);
}

/* The place p among the words pw[0..) of a group, whose plain words are
 * w[0..n_words) (items numbered as in plain_items): its words become
 * optional, weighing as typed, beside its départements' terms in the loose
 * tier; a unit and a record for --explain; its départements join
 * c->out->places. */
static void use_place(cq_ctx *c, const oa_place *p, const oa_place_word *pw,
                      const size_t *plain_items, cq_word *w, size_t n_words, cq_elems *e)
{
    const char *from = pw[p->first].text;
    const oa_place_word *last = &pw[p->first + p->n - 1];
    size_t len = (size_t)(last->text + last->len - from);
    /* The words: optional, their own weight. */
    size_t w0 = n_words, wn = 0;
    for (size_t i = 0; i < n_words; i++) {
        size_t item = w[i].item;
        if (item >= plain_items[p->first] && item <= plain_items[p->first + p->n - 1]) {
            w[i].place = 1;
            if (w0 == n_words)
                w0 = i;
            wn++;
        }
    }
    xapc_query *depts = NULL;
    for (size_t d = 0; d < p->n_depts && !c->rc; d++) {
        xapc_query *one = dept_q(c, p->dept[d]);
        depts = depts ? cq_pair(c, XAPC_OR, depts, one) : one;
    }
    xapc_query *loose = cq_copy(c, depts);
    if (wn) {
        char **terms, **alts;
        if (cq_term_arrays(c, &w[w0], wn, &terms, &alts) == 0) {
            xapc_query *title = NULL;
            xapc_query *q = cq_weighted(c, terms, alts, wn, 0, &title);
            cq_word_unit(c, &w[w0], wn, 0, q, title);
            xapc_query_free(title);
            loose = cq_pair(c, XAPC_OR, loose, q);
        }
        free(terms);
        free(alts);
    }
    cq_push(c, &e->loose, loose);
    oa_unit *u = cq_new_unit(c, OA_UNIT_PLACE, from, len);
    if (u)
        u->q = cq_copy(c, depts);
    add_place_filter(c, depts);
    /* What --explain shows. */
    for (size_t d = 0; d < p->n_depts && !c->rc; d++)
        cq_place_use(c, from, len, p->dept[d], p->commune, p->commune_len);
}

void cq_find_places(cq_ctx *c, const oa_qnode *g, const size_t *plain_items, size_t n_items,
                    cq_word *w, size_t n_words, cq_elems *e)
{
    if (!c->env->places || n_items == 0 || c->rc)
        return;
    oa_place_word *pw = calloc(n_items, sizeof *pw);
    oa_place *pl = calloc(n_items, sizeof *pl);
    if (!pw || !pl) {
        free(pw);
        free(pl);
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        return;
    }
    for (size_t i = 0; i < n_items; i++) {
        const oa_qnode *it = &c->parse.node[g->kid[plain_items[i]]];
        pw[i].text = c->text + it->start;
        pw[i].len = it->end - it->start;
        pw[i].capital = it->start != c->first_item && oa_word_capitalized(pw[i].text, pw[i].len);
    }
    size_t np = oa_places_find(pw, n_items, pl, n_items);
    for (size_t k = 0; k < np && !c->rc; k++)
        use_place(c, &pl[k], pw, plain_items, w, n_words, e);
    free(pw);
    free(pl);
}
