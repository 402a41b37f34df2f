#include "search/compile.h"
#include "search/compile_ctx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "search/filters.h"
#include "search/parser.h"
#include "search/places.h"
#include "search/query.h"
#include "search/synonyms.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

/* A node's two tiers; both NULL: the node asks nothing (stop words only). */
typedef struct node_q {
    xapc_query *strict, *loose;
} node_q;

/* Notes the words no document contains, for spelling suggestions. */
static void cq_check_known(cq_ctx *c, const cq_word *w)
{
    const char *s = c->text + w->start;
    size_t len = w->end - w->start;
    int digits = 1;
    for (size_t i = 0; i < len && digits; i++)
        digits = s[i] >= '0' && s[i] <= '9';
    if (digits || c->rc)
        return;
    if (xapc_db_term_freq(c->env->db, w->term, strlen(w->term)) ||
        (w->alt && xapc_db_term_freq(c->env->db, w->alt, strlen(w->alt))))
        return;
    oa_compiled *o = c->out;
    for (size_t i = 0; i < o->n_unknown; i++)
        if (o->unknown[i].start == w->start)
            return;
    /* The elided article stays as typed: only the word is replaced. */
    size_t skip = 0;
    for (size_t i = 0; i < len && i < 8; i++) {
        if (s[i] == '\'')
            skip = i + 1;
        else if (i + 2 < len && !memcmp(s + i, "\xE2\x80\x99", 3))
            skip = i + 3;
    }
    if ((c->rc = oa_grow(&o->unknown, &o->cap_unknown, o->n_unknown + 1, sizeof *o->unknown)))
        return;
    oa_unknown_word *u = &o->unknown[o->n_unknown];
    u->start = w->start + skip;
    u->end = w->end;
    u->plain = NULL;
    oa_buf plain = OA_BUF_INIT;
    c->rc = oa_analyzer_plain(c->env->analyzer, s + skip, len - skip, &plain);
    if (!c->rc && !(u->plain = oa_buf_detach(&plain)))
        c->rc = OASIS_ENOMEM;
    oa_buf_free(&plain);
    if (!c->rc)
        o->n_unknown++;
}

/* ---- a group's elements ---- */

/* Words that only make a sentence a question: dropped from questions. */
static int filler(const char *plain)
{
    static const char *const words[] = {
        "action",   "actions",  "agir",      "agissent",  "agit",     "departement",
        "departements", "doit", "doivent",   "existe",    "existent", "exister",
        "fait",     "faire",    "fais",      "font",      "initiative", "initiatives",
        "mene",     "menent",   "mener",     "met",       "mettent",  "mettre",
        "peut",     "peuvent",  "pouvoir",   "propose",   "proposent", "proposer",
        "trouve",   "trouver"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(plain, words[i]))
            return 1;
    return 0;
}

/* A question: it ends with '?' or starts with an interrogative word. */
static int cq_is_question(cq_ctx *c)
{
    size_t len = strlen(c->text);
    while (len && strchr(" \t\r\n", c->text[len - 1]))
        len--;
    if (len && c->text[len - 1] == '?')
        return 1;
    static const char *const first[] = {"quel", "quels", "quelle", "quelles", "comment",
                                        "pourquoi", "combien", "qui", "que", "quoi", "ou",
                                        "lequel", "laquelle", "lesquels", "lesquelles"};
    size_t s = 0;
    while (s < len && strchr(" \t\r\n", c->text[s]))
        s++;
    size_t e = s;
    while (e < len && !strchr(" \t\r\n'", c->text[e]))
        e++;
    oa_buf plain = OA_BUF_INIT;
    int q = 0;
    if (e > s && !oa_analyzer_plain(c->env->analyzer, c->text + s, e - s, &plain))
        for (size_t i = 0; i < sizeof first / sizeof first[0] && !q; i++)
            q = !strcmp(plain.data, first[i]);
    oa_buf_free(&plain);
    return q;
}

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

/* Places among the group's plain word items: their words become optional
 * and their départements join the loose tier. */
static void cq_find_places(cq_ctx *c, const oa_qnode *g, const size_t *plain_items, size_t n_items,
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
    for (size_t k = 0; k < np && !c->rc; k++) {
        const oa_place *p = &pl[k];
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
    free(pw);
    free(pl);
}

/* Drops the words that only make the query a question, unless nothing
 * else would be left. */
static void cq_drop_fillers(cq_ctx *c, cq_word *w, size_t n)
{
    size_t kept = 0, dropped = 0;
    oa_buf plain = OA_BUF_INIT;
    for (size_t i = 0; i < n && !c->rc; i++) {
        if (w[i].place) {
            kept++;
            continue;
        }
        c->rc = oa_analyzer_plain(c->env->analyzer, c->text + w[i].start, w[i].end - w[i].start,
                                  &plain);
        if (!c->rc && filler(plain.data)) {
            w[i].dropped = 1;
            dropped++;
        } else {
            kept++;
        }
    }
    oa_buf_free(&plain);
    if (!kept)
        for (size_t i = 0; i < n; i++)
            w[i].dropped = 0;
}

/* The synonyms of the words w[0..k) (a thesaurus expression): one
 * weighted query, and a unit and a record for each. */
static xapc_query *cq_synonyms(cq_ctx *c, const cq_word *w, size_t k, size_t expr)
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
        xapc_query *q = cq_scaled(c, cq_weighted(c, s->term, s->alt, s->n, 0, &title),
                               OA_SYNONYM_WEIGHT);
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

/* Plain words found next to each other weigh more: each run of two to
 * OA_PATTERN_WORDS usable words from two items or more also gives its
 * phrase, weighted OA_PHRASE_BONUS, as a bonus that matches nothing on its
 * own. */
static void cq_phrase_bonus(cq_ctx *c, cq_word *w, size_t n, cq_elems *e)
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

/* The plain words of a group, places and fillers marked, as elements. */
static void cq_plain_elements(cq_ctx *c, cq_word *w, size_t n, cq_elems *e)
{
    /* The thesaurus is read when a query first has words for it. */
    if (n && c->env->synonyms && !c->thesaurus && !c->rc)
        c->rc = oa_thesaurus_builtin(&c->thesaurus);
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
        if (k) {
            /* Each word, and the synonyms of them together. */
            xapc_query **each = calloc(k, sizeof *each);
            if (!each) {
                c->rc = oa_error(OASIS_ENOMEM, "out of memory");
                break;
            }
            for (size_t j = 0; j < k; j++) {
                xapc_query *title = NULL;
                each[j] = cq_weighted(c, &w[i + j].term, &w[i + j].alt, 1, 0, &title);
                cq_word_unit(c, &w[i + j], 1, 0, each[j], title);
                xapc_query_free(title);
            }
            xapc_query *syn = cq_synonyms(c, &w[i], k, expr);
            xapc_query **copies = calloc(k + 1, sizeof *copies);
            if (!copies) {
                cq_free_queries(each, k);
                c->rc = oa_error(OASIS_ENOMEM, "out of memory");
                break;
            }
            for (size_t j = 0; j < k; j++)
                copies[j] = cq_copy(c, each[j]);
            strict = cq_combine(c, XAPC_AND, each, k);
            if (syn) {
                strict = cq_pair(c, XAPC_OR, strict, cq_copy(c, syn));
                copies[k] = syn;
            }
            loose = cq_combine(c, XAPC_OR, copies, syn ? k + 1 : k);
            free(each);
            free(copies);
        } else {
            char **t, **a;
            if (cq_term_arrays(c, &w[i], len, &t, &a) != 0) {
                free(t);
                free(a);
                break;
            }
            xapc_query *title = NULL;
            strict = cq_weighted(c, t, a, len, 0, &title);
            cq_word_unit(c, &w[i], len, 0, strict, title);
            xapc_query_free(title);
            loose = cq_copy(c, strict);
            free(t);
            free(a);
        }
        cq_push(c, &e->strict, strict);
        cq_push(c, &e->loose, loose);
        i += len;
    }
    free(terms);
    free(alts);
}

/* ---- prefixes ---- */

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

/* Every term starting with the typed prefix (accent-free, unstemmed),
 * and the stem of the prefix itself when it is a whole word. */
static void cq_prefix(cq_ctx *c, const oa_qnode *it, xapc_query **out_q, xapc_query **out_excl)
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

/* ---- filters ---- */

static void cq_filter_item(cq_ctx *c, const oa_qnode *it, cq_elems *e)
{
    char value[256];
    size_t len = it->end - it->start;
    if (len >= sizeof value)
        len = sizeof value - 1;
    memcpy(value, c->text + it->start, len);
    value[len] = '\0';
    oasis_facet f = it->field == OA_FIELD_DEPT     ? OASIS_FACET_DEPARTEMENT
                    : it->field == OA_FIELD_REGION ? OASIS_FACET_REGION
                                                   : OASIS_FACET_CATEGORY;
    const char *code = oa_filter_code(f, value, it->column);
    if (!code) {
        c->rc = OASIS_EINVAL;
        return;
    }
    xapc_query *q = cq_term(c, oa_facet_prefix(f), code);
    if (it->mod == '-')
        cq_push(c, &e->excl, q);
    else
        cq_push(c, &e->filter[f], q);
}

/* ---- nodes ---- */

static node_q compile_node(cq_ctx *c, size_t node);

/* A phrase, word or prefix item that is not one of the group's plain
 * words: its query, recording its units unless it is excluded. */
static xapc_query *item_query(cq_ctx *c, const oa_qnode *it)
{
    int title_only = it->field == OA_FIELD_TITLE, excluded = it->mod == '-';
    if (it->kind == OA_Q_WORD && it->wildcard) {
        xapc_query *q = NULL;
        if (excluded)
            cq_prefix(c, it, NULL, &q);
        else
            cq_prefix(c, it, &q, NULL);
        return q;
    }
    cq_words words = {NULL, 0, 0};
    cq_analyse_item(c, it->start, it->end, 0, &words);
    cq_word *w = words.v;
    size_t n = words.n;
    xapc_query *q = NULL;
    if (!c->rc && n) {
        /* A word that analyses into several is a phrase when hyphenated,
         * separate words otherwise; a quoted text is one phrase. */
        xapc_query **parts = calloc(n, sizeof *parts);
        size_t np = 0;
        if (!parts)
            c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        for (size_t i = 0; i < n && !c->rc;) {
            size_t len = 1;
            if (it->kind == OA_Q_PHRASE)
                len = n;
            else
                while (i + len < n && w[i + len].hyphen)
                    len++;
            char **t, **a;
            if (cq_term_arrays(c, &w[i], len, &t, &a) != 0) {
                free(t);
                free(a);
                break;
            }
            for (size_t j = 0; j < len && !excluded; j++)
                cq_check_known(c, &w[i + j]);
            xapc_query *title = NULL;
            xapc_query *p = excluded ? cq_phrase(c, title_only ? OA_PREFIX_TITLE : "", t, a, len)
                                     : cq_weighted(c, t, a, len, title_only, &title);
            if (!excluded) {
                cq_word_unit(c, &w[i], len, title_only, p, title);
                if (c->out->n_units && it->kind == OA_Q_PHRASE)
                    c->out->units[c->out->n_units - 1].kind = OA_UNIT_PHRASE;
            }
            xapc_query_free(title);
            parts[np++] = p;
            free(t);
            free(a);
            i += len;
        }
        /* Excluded: any of its words; required: all of them. */
        q = c->rc ? NULL : cq_combine(c, excluded ? XAPC_OR : XAPC_AND, parts, np);
        if (c->rc)
            cq_free_queries(parts, np);
        else
            free(parts);
    }
    cq_free_words(&words);
    return q;
}

static void node_q_free(node_q *q)
{
    xapc_query_free(q->strict);
    xapc_query_free(q->loose);
    q->strict = q->loose = NULL;
}

static node_q compile_group(cq_ctx *c, size_t node)
{
    node_q out = {NULL, NULL};
    const oa_qnode g = c->parse.node[node];
    cq_elems e;
    memset(&e, 0, sizeof e);
    /* The plain words: no modifier, no field, no wildcard. */
    size_t *plain_items = calloc(g.n_kids ? g.n_kids : 1, sizeof *plain_items);
    size_t n_plain = 0;
    cq_words plain = {NULL, 0, 0};
    if (!plain_items)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t k = 0; k < g.n_kids && !c->rc; k++) {
        const oa_qnode *it = &c->parse.node[g.kid[k]];
        if (it->kind == OA_Q_WORD && !it->mod && it->field == OA_FIELD_ANY && !it->wildcard) {
            plain_items[n_plain] = k;
            cq_analyse_item(c, it->start, it->end, n_plain, &plain);
            n_plain++;
        }
    }
    /* Items are numbered by their place among the plain ones; places
     * refer to them by group index. */
    cq_word *w = plain.v;
    size_t n_words = plain.n;
    for (size_t i = 0; i < n_words; i++)
        w[i].item = plain_items[w[i].item];
    cq_find_places(c, &g, plain_items, n_plain, w, n_words, &e);
    if (c->question && node == c->parse.root)
        cq_drop_fillers(c, w, n_words);
    cq_plain_elements(c, w, n_words, &e);
    if (c->env->proximity)
        cq_phrase_bonus(c, w, n_words, &e);
    cq_free_words(&plain);
    /* The bonus phrase matches only where its words do: OR-ed with them it
     * adds weight, not matches. (Not AND_MAYBE: with Xapian 1.4.22 a phrase
     * under AND_MAYBE on the right of an AND_NOT was seen to let through,
     * on one run in two, a document the AND_NOT excludes.) */
    if (e.bonus.n && !c->rc) {
        xapc_query *bonus = cq_take(c, XAPC_OR, &e.bonus);
        xapc_query *words = cq_take(c, XAPC_AND, &e.strict);
        cq_push(c, &e.strict, cq_pair(c, XAPC_OR, words, cq_copy(c, bonus)));
        cq_push(c, &e.loose, bonus);
    }
    free(plain_items);

    for (size_t k = 0; k < g.n_kids && !c->rc; k++) {
        size_t kid = g.kid[k];
        const oa_qnode *it = &c->parse.node[kid];
        if (it->kind == OA_Q_WORD && !it->mod && it->field == OA_FIELD_ANY && !it->wildcard)
            continue;
        if (it->kind == OA_Q_FILTER) {
            cq_filter_item(c, it, &e);
            continue;
        }
        xapc_query *strict = NULL, *loose = NULL;
        if (it->kind == OA_Q_WORD || it->kind == OA_Q_PHRASE) {
            strict = item_query(c, it);
            loose = strict ? cq_copy(c, strict) : NULL;
        } else {
            node_q sub = compile_node(c, kid);
            strict = sub.strict;
            loose = sub.loose;
        }
        if (!strict) {
            xapc_query_free(loose);
            continue; /* stop words only */
        }
        if (it->mod == '-') {
            xapc_query_free(strict);
            cq_push(c, &e.excl, loose);
        } else if (it->mod == '+') {
            xapc_query_free(loose);
            cq_push(c, &e.req, strict);
        } else {
            cq_push(c, &e.strict, strict);
            cq_push(c, &e.loose, loose);
        }
    }
    if (c->rc) {
        cq_elems_free(&e);
        return out;
    }

    int any_filter = e.filter[0].n || e.filter[1].n || e.filter[2].n;
    if (!e.strict.n && !e.loose.n && !e.req.n && !e.excl.n && !any_filter) {
        /* (a bonus needs words to go with) */
        cq_elems_free(&e);
        return out; /* nothing asked */
    }
    /* Required items count in both tiers. */
    for (size_t i = 0; i < e.req.n && !c->rc; i++)
        cq_push(c, &e.strict, cq_copy(c, e.req.v[i]));
    if (e.strict.n) {
        out.strict = cq_take(c, XAPC_AND, &e.strict);
    } else {
        /* Only optional words (places): tier 1 is any of them. */
        if (e.loose.n) {
            xapc_query **v = calloc(e.loose.n, sizeof *v);
            if (!v) {
                c->rc = oa_error(OASIS_ENOMEM, "out of memory");
            } else {
                for (size_t i = 0; i < e.loose.n; i++)
                    v[i] = cq_copy(c, e.loose.v[i]);
                out.strict = cq_combine(c, XAPC_OR, v, e.loose.n);
                free(v);
            }
        } else {
            out.strict = xapc_query_match_all();
            cq_failed(c, out.strict);
        }
    }
    if (e.req.n) {
        /* The required items, the others adding weight: AND_MAYBE, spelt
         * req OR (req×0 AND others) for the reason given above. */
        xapc_query *req = cq_take(c, XAPC_AND, &e.req);
        out.loose = req;
        if (e.loose.n) {
            xapc_query *others = cq_pair(c, XAPC_AND, cq_scaled(c, cq_copy(c, req), 0.0),
                                       cq_take(c, XAPC_OR, &e.loose));
            out.loose = cq_pair(c, XAPC_OR, req, others);
        }
    } else if (e.loose.n) {
        out.loose = cq_take(c, XAPC_OR, &e.loose);
    } else {
        out.loose = xapc_query_match_all();
        cq_failed(c, out.loose);
    }
    if (e.excl.n && !c->rc) {
        xapc_query *ex = cq_take(c, XAPC_OR, &e.excl);
        out.strict = cq_pair(c, XAPC_AND_NOT, out.strict, cq_copy(c, ex));
        out.loose = cq_pair(c, XAPC_AND_NOT, out.loose, ex);
    }
    for (int f = 0; f < 3 && !c->rc; f++) {
        if (!e.filter[f].n)
            continue;
        xapc_query *fq = cq_take(c, XAPC_OR, &e.filter[f]);
        out.strict = cq_pair(c, XAPC_FILTER, out.strict, cq_copy(c, fq));
        out.loose = cq_pair(c, XAPC_FILTER, out.loose, fq);
    }
    cq_elems_free(&e);
    if (c->rc)
        node_q_free(&out);
    return out;
}

static node_q compile_node(cq_ctx *c, size_t node)
{
    const oa_qnode n = c->parse.node[node];
    node_q out = {NULL, NULL};
    if (n.kind == OA_Q_GROUP)
        return compile_group(c, node);
    if (n.kind == OA_Q_NOT) {
        node_q keep = compile_node(c, n.kid[0]);
        node_q drop = compile_node(c, n.kid[1]);
        if (!drop.loose || c->rc) {
            node_q_free(&drop);
            if (c->rc)
                node_q_free(&keep);
            return keep;
        }
        if (!keep.strict) {
            keep.strict = xapc_query_match_all();
            keep.loose = xapc_query_match_all();
            cq_failed(c, keep.strict);
            cq_failed(c, keep.loose);
        }
        out.strict = cq_pair(c, XAPC_AND_NOT, keep.strict, cq_copy(c, drop.loose));
        out.loose = cq_pair(c, XAPC_AND_NOT, keep.loose, cq_copy(c, drop.loose));
        node_q_free(&drop);
        return out;
    }
    /* AND, OR: strict with strict, loose with loose; empty kids left out. */
    xapc_query **s = calloc(n.n_kids, sizeof *s), **l = calloc(n.n_kids, sizeof *l);
    size_t k = 0;
    if (!s || !l)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n.n_kids && !c->rc; i++) {
        node_q sub = compile_node(c, n.kid[i]);
        if (!sub.strict) {
            node_q_free(&sub);
            continue;
        }
        s[k] = sub.strict;
        l[k++] = sub.loose;
    }
    xapc_op op = n.kind == OA_Q_AND ? XAPC_AND : XAPC_OR;
    if (!c->rc && k) {
        out.strict = cq_combine(c, op, s, k);
        out.loose = cq_combine(c, op, l, k);
    } else {
        for (size_t i = 0; i < k; i++) {
            xapc_query_free(s[i]);
            xapc_query_free(l[i]);
        }
    }
    free(s);
    free(l);
    if (c->rc)
        node_q_free(&out);
    return out;
}

int oa_compile(const oa_compile_env *env, const char *text, oa_compiled *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text), bad;
    if (!oa_utf8_valid(text, len, &bad))
        return oa_error(OASIS_EFORMAT, "invalid utf-8 at byte %zu", bad);
    cq_ctx c;
    memset(&c, 0, sizeof c);
    c.env = env;
    c.text = text;
    c.out = out;
    if ((c.rc = oa_query_parse(text, len, &c.parse)))
        return c.rc;
    if (c.parse.notice && !(out->notice = oa_strdup(c.parse.notice)))
        c.rc = OASIS_ENOMEM;
    /* The first word's capital is the sentence's, not a name's. */
    c.first_item = SIZE_MAX;
    for (size_t i = 0; i < c.parse.n_nodes; i++)
        if (c.parse.node[i].kind <= OA_Q_FILTER && c.parse.node[i].start < c.first_item)
            c.first_item = c.parse.node[i].start;
    c.question = cq_is_question(&c);
    node_q q = {NULL, NULL};
    if (!c.rc)
        q = compile_node(&c, c.parse.root);
    if (!c.rc) {
        out->positive = q.strict != NULL && out->n_units > 0;
        if (!q.strict) {
            q.strict = xapc_query_match_all();
            q.loose = xapc_query_match_all();
            cq_failed(&c, q.strict);
            cq_failed(&c, q.loose);
        }
        out->strict = q.strict;
        out->loose = q.loose;
    } else {
        node_q_free(&q);
    }
    oa_qparse_free(&c.parse);
    oa_buf_free(&c.scratch);
    if (c.rc)
        oa_compiled_free(out);
    return c.rc;
}

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
    if (env->synonyms)
        c.rc = oa_thesaurus_builtin(&c.thesaurus);
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
