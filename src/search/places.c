#include "search/places.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/stopwords.h"
#include "index/schema.h"
#include "search/compile_ctx.h"
#include "taxonomy/communes.h"
#include "taxonomy/departements.h"
#include "taxonomy/placenames.h"
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

/* 1 when key is a name that is also an everyday word: a département's
 * (common_dept_name()) or another name the table marks common. */
static int common_name(const char *key, size_t kl)
{
    oa_place_alias a;
    return common_dept_name(key) || (oa_place_alias_find(key, kl, &a) && a.common);
}

/* The département, région or communes named by key, into *p; 0 when
 * none. *longer is set when a longer name starts with key. */
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
    *longer |= oa_place_name_continues(key, kl);
    /* A stop word is no place, unless written with a capital as another
     * name ("AURA", not "il aura"). */
    oa_place_alias alias;
    if (!strchr(key, ' ') && oa_stopword_is(key, kl) &&
        !(capital && oa_place_alias_find(key, kl, &alias)))
        return 0;
    /* A département or a région before a commune of the same name. */
    int everyday = !capital && common_name(key, kl);
    const oasis_departement *d = everyday ? NULL : oa_departement_find(key, kl);
    if (d) {
        add_dept(p, d);
        return 1;
    }
    const oasis_region *r = everyday ? NULL : oa_region_find(key, kl);
    if (r) {
        p->region = r;
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
            /* The first word's capital marks a name when the name is all
             * the words. */
            int cap = capital || (p == 0 && q + 1 == n && words[0].first_capital);
            oa_place cand;
            memset(&cand, 0, sizeof cand);
            int longer;
            if (lookup(key.data, cap, &cand, &longer)) {
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

int oa_places_known(const char *text, size_t len)
{
    char *key;
    if (len > OA_PLACE_MAX_BYTES || oa_fold_key(text, len, &key))
        return 0;
    size_t kl = strlen(key);
    int known = 0;
    if (kl && !is_number(key)) {
        oa_commune c[OA_PLACE_MAX_DEPTS];
        size_t n = oa_communes_find(key, kl, c, OA_PLACE_MAX_DEPTS, NULL);
        known = oa_departement_find(key, kl) || oa_region_find(key, kl);
        /* A commune whose name is an everyday word may be a typo's too. */
        for (size_t i = 0; i < n && i < OA_PLACE_MAX_DEPTS && !known; i++)
            known = !c[i].common;
    }
    free(key);
    return known;
}

/* ---- in a query: the places the compiler finds among plain words ---- */

/* The boolean terms of place p: its région's, or OR of its
 * départements'. *docs gets how many initiatives hold one of them (at
 * most their sum). */
static xapc_query *place_q(cq_ctx *c, const oa_place *p, size_t *docs)
{
    xapc_db *db = c->env->db;
    char term[16];
    *docs = 0;
    if (p->region) {
        snprintf(term, sizeof term, "%s%s", OA_PREFIX_REGION, p->region->code);
        *docs = xapc_db_term_freq(db, term, strlen(term));
        return cq_term(c, OA_PREFIX_REGION, p->region->code);
    }
    xapc_query *q = NULL;
    for (size_t d = 0; d < p->n_depts && !c->rc; d++) {
        snprintf(term, sizeof term, "%s%s", OA_PREFIX_DEPT, p->dept[d]->code);
        *docs += xapc_db_term_freq(db, term, strlen(term));
        xapc_query *one = cq_term(c, OA_PREFIX_DEPT, p->dept[d]->code);
        q = q ? cq_pair(c, XAPC_OR, q, one) : one;
    }
    return q;
}

/* Records the départements of place p for --explain: a région's each. */
static void record_place(cq_ctx *c, const oa_place *p, const char *from, size_t len)
{
    if (!p->region) {
        for (size_t d = 0; d < p->n_depts && !c->rc; d++)
            cq_place_use(c, from, len, p->dept[d], NULL, p->commune, p->commune_len);
        return;
    }
    for (size_t i = 0; i < oasis_departement_count() && !c->rc; i++) {
        const oasis_departement *d = oasis_departement_at(i);
        if (!strcmp(d->region_code, p->region->code))
            cq_place_use(c, from, len, d, p->region, NULL, 0);
    }
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
 * optional, weighing as typed, beside its région's or départements' terms
 * in the loose tier; a unit and a record for --explain; those terms join
 * c->out->places; a place no initiative is in gets a notice. */
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
    size_t docs = 0;
    xapc_query *depts = place_q(c, p, &docs);
    if (!docs && !c->rc)
        c->rc = oa_notices_add(&c->out->notices, OASIS_NOTICE_NO_INITIATIVE, from, len, 0, 0);
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
    record_place(c, p, from, len);
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
        int capital = oa_word_capitalized(pw[i].text, pw[i].len);
        pw[i].capital = it->start != c->first_item && capital;
        pw[i].first_capital = it->start == c->first_item && capital;
    }
    size_t np = oa_places_find(pw, n_items, pl, n_items);
    for (size_t k = 0; k < np && !c->rc; k++)
        use_place(c, &pl[k], pw, plain_items, w, n_words, e);
    free(pw);
    free(pl);
}
