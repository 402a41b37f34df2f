#include "search/compile.h"

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
typedef struct cq {
    xapc_query *strict, *loose;
} cq;

/* One analysed word of a group's plain words. */
typedef struct qword {
    char *term, *alt;
    size_t start, end; /* bytes in the query */
    size_t item;       /* the group item it comes from */
    int hyphen;        /* joined to the previous word of its item by '-' */
    int place, dropped;
} qword;

typedef OA_VEC(qword) qwords;

typedef struct ctx {
    const oa_compile_env *env;
    const char *text;
    oa_qparse parse;
    oa_compiled *out;
    const oa_thesaurus *thesaurus;
    int question;
    size_t first_item;  /* byte offset of the query's first word */
    int rc;             /* the first error */
    oa_buf scratch;
} ctx;

/* ---- queries, each helper taking ownership of its query arguments ---- */

static int failed(ctx *c, xapc_query *q)
{
    if (!q && !c->rc)
        c->rc = OASIS_ENOMEM;
    return q == NULL;
}

static xapc_query *comb(ctx *c, xapc_op op, xapc_query **subs, size_t n)
{
    xapc_query *q = oa_query_combine_owned(op, subs, n);
    failed(c, q);
    return q;
}

static xapc_query *comb2(ctx *c, xapc_op op, xapc_query *a, xapc_query *b)
{
    xapc_query *q = oa_query_pair_owned(op, a, b);
    failed(c, q);
    return q;
}

static xapc_query *scaled(ctx *c, xapc_query *q, double f)
{
    xapc_query *s = oa_query_scale_owned(q, f);
    failed(c, s);
    return s;
}

/* A copy of q; NULL for NULL (not an error). */
static xapc_query *copy(ctx *c, const xapc_query *q)
{
    if (!q)
        return NULL;
    xapc_query *r = xapc_query_copy(q);
    failed(c, r);
    return r;
}

static xapc_query *term_q(ctx *c, const char *prefix, const char *term)
{
    oa_buf_reset(&c->scratch);
    xapc_query *q = NULL;
    if (!oa_buf_puts(&c->scratch, prefix) && !oa_buf_puts(&c->scratch, term))
        q = xapc_query_term(c->scratch.data, c->scratch.len, 1, 0);
    failed(c, q);
    return q;
}

/* A word's term; for a word with an accent-free alternative, that
 * alternative alone. The index holds it wherever the word is, however
 * written: with its accents, beside the term at the same position (the
 * analyzer adds it when the two spellings stem differently), and without
 * them, as the term itself. So it matches what SYNONYM(term, alternative)
 * would, opens one posting list instead of two, and weighs the two
 * spellings of the word alike. */
static xapc_query *spelling_q(ctx *c, const char *prefix, const char *term, const char *alt)
{
    return term_q(c, prefix, alt ? alt : term);
}

/* A phrase of the words' spellings (spelling_q()): a document has the
 * accent-free alternative of an accented word at the word's position,
 * whichever way it was written. */
static xapc_query *phrase_q(ctx *c, const char *prefix, char *const *term, char *const *alt,
                            size_t n)
{
    if (n == 1)
        return spelling_q(c, prefix, term[0], alt ? alt[0] : NULL);
    xapc_query **subs = calloc(n, sizeof *subs);
    if (!subs) {
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        subs[i] = spelling_q(c, prefix, term[i], alt ? alt[i] : NULL);
    xapc_query *q = comb(c, XAPC_PHRASE, subs, n);
    free(subs);
    return q;
}

/* The words (or phrase) anywhere, their title copies weighing extra; or in
 * the title only. *title gets the title-only query. */
static xapc_query *weighted_q(ctx *c, char *const *term, char *const *alt, size_t n,
                              int title_only, xapc_query **title)
{
    *title = phrase_q(c, OA_PREFIX_TITLE, term, alt, n);
    if (title_only)
        return copy(c, *title);
    return comb2(c, XAPC_OR, phrase_q(c, "", term, alt, n),
                 scaled(c, copy(c, *title), OA_TITLE_WEIGHT));
}

/* ---- the record of what the query looks for ---- */

static oa_unit *new_unit(ctx *c, oa_unit_kind kind, const char *label, size_t label_len)
{
    oa_compiled *o = c->out;
    if (c->rc || (c->rc = oa_grow(&o->units, &o->cap_units, o->n_units + 1, sizeof *o->units)))
        return NULL;
    oa_unit *u = &o->units[o->n_units];
    memset(u, 0, sizeof *u);
    u->kind = kind;
    if (!(u->label = oa_strndup(label, label_len))) {
        c->rc = OASIS_ENOMEM;
        return NULL;
    }
    o->n_units++;
    return u;
}

/* Adds term to u's terms once; the unit's copy, or NULL. */
static const char *add_term(ctx *c, oa_unit *u, const char *term)
{
    if (!u || !term || c->rc)
        return NULL;
    for (size_t i = 0; i < u->n_terms; i++)
        if (!strcmp(u->terms[i], term))
            return u->terms[i];
    if ((c->rc = oa_grow(&u->terms, &u->cap_terms, u->n_terms + 1, sizeof *u->terms)))
        return NULL;
    if (!(u->terms[u->n_terms] = oa_strdup(term))) {
        c->rc = OASIS_ENOMEM;
        return NULL;
    }
    return u->terms[u->n_terms++];
}

/* Adds the words term[0..n) / alt[0..n) to u: its terms, and one pattern
 * to highlight. */
static void add_words(ctx *c, oa_unit *u, char *const *term, char *const *alt, size_t n)
{
    if (!u || c->rc || (c->rc = oa_grow(&u->pat, &u->cap_pat, u->n_pat + 1, sizeof *u->pat)))
        return;
    oa_pattern *p = &u->pat[u->n_pat];
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < n && !c->rc; i++) {
        const char *t = add_term(c, u, term[i]), *a = add_term(c, u, alt ? alt[i] : NULL);
        if (p->n < OA_PATTERN_WORDS) {
            p->term[p->n] = t;
            p->alt[p->n++] = a;
        }
    }
    if (!c->rc)
        u->n_pat++;
}

/* Records a unit for the words w[0..n) (a word, or a phrase when n > 1). */
/* The terms and accent-free alternatives of w[0..n), as the two arrays the
 * query helpers take (strings borrowed from w; the caller frees both
 * arrays, also on failure). 0, or -1 with c->rc set. */
static int term_arrays(ctx *c, const qword *w, size_t n, char ***t, char ***a)
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

static void word_unit(ctx *c, const qword *w, size_t n, int title_only, const xapc_query *q,
                      const xapc_query *title)
{
    oa_unit *u = new_unit(c, n > 1 ? OA_UNIT_PHRASE : OA_UNIT_WORD, c->text + w[0].start,
                          w[n - 1].end - w[0].start);
    if (!u)
        return;
    u->title_only = title_only;
    u->q = copy(c, q);
    u->title_q = copy(c, title);
    char **t, **a;
    if (term_arrays(c, w, n, &t, &a) == 0)
        add_words(c, u, t, a, n);
    free(t);
    free(a);
}

/* Notes the words no document contains, for spelling suggestions. */
static void check_known(ctx *c, const qword *w)
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

/* Queries a list owns. */
typedef OA_VEC(xapc_query *) qlist;

typedef struct elems {
    qlist strict;    /* required for tier 1 */
    qlist loose;     /* any of them for a match */
    qlist req;       /* +items: required in both tiers */
    qlist excl;      /* -items */
    qlist filter[3]; /* dept:, region:, cat: values */
    qlist bonus;     /* the plain words as a phrase: weight, not a match */
} elems;

static void push(ctx *c, qlist *l, xapc_query *q)
{
    if (!q) {
        failed(c, q);
        return;
    }
    if (c->rc || (c->rc = OA_VEC_PUSH(l, q)))
        xapc_query_free(q);
}

static void free_queries(xapc_query **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xapc_query_free(v[i]);
    free(v);
}

static void free_list(qlist *l)
{
    free_queries(l->v, l->n);
    memset(l, 0, sizeof *l);
}

static void elems_free(elems *e)
{
    free_list(&e->strict);
    free_list(&e->loose);
    free_list(&e->req);
    free_list(&e->excl);
    for (int f = 0; f < 3; f++)
        free_list(&e->filter[f]);
    free_list(&e->bonus);
}

/* Takes the list's queries (the list is emptied). */
static xapc_query *take(ctx *c, xapc_op op, qlist *l)
{
    xapc_query *q = comb(c, op, l->v, l->n);
    free(l->v);
    memset(l, 0, sizeof *l);
    return q;
}

/* Analyses text[start, end) into words appended to *w. */
static void analyse_item(ctx *c, size_t start, size_t end, size_t item, qwords *w)
{
    oa_tokens toks = OA_TOKENS_INIT;
    if (c->rc || (c->rc = oa_analyze(c->env->analyzer, c->text + start, end - start, 0, &toks)))
        return;
    size_t first = w->n;
    for (size_t i = 0; i < toks.n && !c->rc; i++) {
        const oa_token *t = &toks.v[i];
        if (t->alt) {
            if (w->n > first && !w->v[w->n - 1].alt && !(w->v[w->n - 1].alt = oa_strdup(t->term)))
                c->rc = OASIS_ENOMEM;
            continue;
        }
        if ((c->rc = oa_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v)))
            break;
        qword *q = &w->v[w->n];
        memset(q, 0, sizeof *q);
        q->start = start + t->start;
        q->end = start + t->end;
        q->item = item;
        if (w->n > first) {
            /* Joined by a hyphen to the word before it. */
            const qword *prev = &w->v[w->n - 1];
            for (size_t b = prev->end; b < q->start && !q->hyphen; b++)
                q->hyphen = c->text[b] == '-';
        }
        if (!(q->term = oa_strdup(t->term)))
            c->rc = OASIS_ENOMEM;
        else
            w->n++;
    }
    oa_tokens_free(&toks);
}

static void free_words(qwords *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].term);
        free(w->v[i].alt);
    }
    free(w->v);
    memset(w, 0, sizeof *w);
}

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
static int is_question(ctx *c)
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
static xapc_query *dept_q(ctx *c, const oasis_departement *d)
{
    return term_q(c, OA_PREFIX_DEPT, d->code);
}

static void add_place_filter(ctx *c, xapc_query *q)
{
    oa_compiled *o = c->out;
    if (!q)
        return;
    if (!o->places) {
        o->places = q;
        return;
    }
    o->places = comb2(c, XAPC_OR, o->places, q);
}

/* Places among the group's plain word items: their words become optional
 * and their départements join the loose tier. */
static void find_places(ctx *c, const oa_qnode *g, const size_t *plain_items, size_t n_items,
                        qword *w, size_t n_words, elems *e)
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
            depts = depts ? comb2(c, XAPC_OR, depts, one) : one;
        }
        xapc_query *loose = copy(c, depts);
        if (wn) {
            char **terms, **alts;
            if (term_arrays(c, &w[w0], wn, &terms, &alts) == 0) {
                xapc_query *title = NULL;
                xapc_query *q = weighted_q(c, terms, alts, wn, 0, &title);
                word_unit(c, &w[w0], wn, 0, q, title);
                xapc_query_free(title);
                loose = comb2(c, XAPC_OR, loose, q);
            }
            free(terms);
            free(alts);
        }
        push(c, &e->loose, loose);
        oa_unit *u = new_unit(c, OA_UNIT_PLACE, from, len);
        if (u)
            u->q = copy(c, depts);
        add_place_filter(c, depts);
        /* What --explain shows. */
        oa_compiled *o = c->out;
        for (size_t d = 0; d < p->n_depts && !c->rc; d++) {
            if ((c->rc = oa_grow(&o->place, &o->cap_places, o->n_places + 1, sizeof *o->place)))
                break;
            oa_place_use *use = &o->place[o->n_places];
            memset(use, 0, sizeof *use);
            use->dept = p->dept[d];
            if (!(use->word = oa_strndup(from, len)) ||
                (p->commune && !(use->commune = oa_strndup(p->commune, p->commune_len)))) {
                free(use->word);
                c->rc = OASIS_ENOMEM;
                break;
            }
            o->n_places++;
        }
    }
    free(pw);
    free(pl);
}

/* Drops the words that only make the query a question, unless nothing
 * else would be left. */
static void drop_fillers(ctx *c, qword *w, size_t n)
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
static xapc_query *synonyms_q(ctx *c, const qword *w, size_t k, size_t expr)
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
        xapc_query *q = scaled(c, weighted_q(c, s->term, s->alt, s->n, 0, &title),
                               OA_SYNONYM_WEIGHT);
        oa_unit *u = new_unit(c, OA_UNIT_SYNONYM, s->text, strlen(s->text));
        if (u) {
            u->q = copy(c, q);
            u->title_q = title;
            title = NULL;
            if (!(u->of = oa_strndup(typed, typed_len)))
                c->rc = OASIS_ENOMEM;
            add_words(c, u, s->term, s->alt, s->n);
        }
        xapc_query_free(title);
        all = all ? comb2(c, XAPC_OR, all, q) : q;
        oa_compiled *o = c->out;
        if (!c->rc && !(c->rc = oa_grow(&o->synonym, &o->cap_synonyms, o->n_synonyms + 1,
                                             sizeof *o->synonym))) {
            oa_synonym_use *use = &o->synonym[o->n_synonyms];
            use->word = oa_strndup(typed, typed_len);
            use->synonym = oa_strdup(s->text);
            if (!use->word || !use->synonym) {
                free(use->word);
                free(use->synonym);
                c->rc = OASIS_ENOMEM;
            } else {
                o->n_synonyms++;
            }
        }
    }
    return all;
}

/* Plain words found next to each other weigh more: each run of two to
 * OA_PATTERN_WORDS usable words from two items or more also gives its
 * phrase, weighted OA_PHRASE_BONUS, as a bonus that matches nothing on its
 * own. */
static void phrase_bonus(ctx *c, qword *w, size_t n, elems *e)
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
            xapc_query *q = scaled(c, weighted_q(c, t, a, run, 0, &title), OA_PHRASE_BONUS);
            word_unit(c, &w[i], run, 0, q, title);
            xapc_query_free(title);
            push(c, &e->bonus, q);
        }
        i += run ? run : 1;
    }
}

/* The plain words of a group, places and fillers marked, as elements. */
static void plain_elements(ctx *c, qword *w, size_t n, elems *e)
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
            check_known(c, &w[i + j]);
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
                each[j] = weighted_q(c, &w[i + j].term, &w[i + j].alt, 1, 0, &title);
                word_unit(c, &w[i + j], 1, 0, each[j], title);
                xapc_query_free(title);
            }
            xapc_query *syn = synonyms_q(c, &w[i], k, expr);
            xapc_query **copies = calloc(k + 1, sizeof *copies);
            if (!copies) {
                free_queries(each, k);
                c->rc = oa_error(OASIS_ENOMEM, "out of memory");
                break;
            }
            for (size_t j = 0; j < k; j++)
                copies[j] = copy(c, each[j]);
            strict = comb(c, XAPC_AND, each, k);
            if (syn) {
                strict = comb2(c, XAPC_OR, strict, copy(c, syn));
                copies[k] = syn;
            }
            loose = comb(c, XAPC_OR, copies, syn ? k + 1 : k);
            free(each);
            free(copies);
        } else {
            char **t, **a;
            if (term_arrays(c, &w[i], len, &t, &a) != 0) {
                free(t);
                free(a);
                break;
            }
            xapc_query *title = NULL;
            strict = weighted_q(c, t, a, len, 0, &title);
            word_unit(c, &w[i], len, 0, strict, title);
            xapc_query_free(title);
            loose = copy(c, strict);
            free(t);
            free(a);
        }
        push(c, &e->strict, strict);
        push(c, &e->loose, loose);
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
static void prefix_element(ctx *c, const oa_qnode *it, xapc_query **out_q, xapc_query **out_excl)
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
    oa_unit *u = out_q ? new_unit(c, OA_UNIT_PREFIX, c->text + it->start, it->end - it->start)
                       : NULL;
    for (size_t i = 0; i < x.n && !c->rc; i++) {
        subs[i] = term_q(c, "", x.term[i] + plen);
        tsubs[i] = term_q(c, OA_PREFIX_TITLE, x.term[i] + plen);
        char *one = x.term[i] + plen;
        add_words(c, u, &one, NULL, 1);
    }
    xapc_query *q = NULL, *title = NULL;
    if (!c->rc) {
        title = comb(c, XAPC_SYNONYM, tsubs, x.n);
        if (x.n == 0) {
            q = xapc_query_combine(XAPC_OR, NULL, 0, 0);
            failed(c, q);
        } else if (plen) {
            q = copy(c, title);
            free_queries(subs, x.n);
            subs = NULL;
        } else {
            q = comb2(c, XAPC_OR, comb(c, XAPC_SYNONYM, subs, x.n),
                      scaled(c, copy(c, title), OA_TITLE_WEIGHT));
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
        u->q = copy(c, q);
        u->title_q = copy(c, title);
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

static void filter_item(ctx *c, const oa_qnode *it, elems *e)
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
    xapc_query *q = term_q(c, oa_facet_prefix(f), code);
    if (it->mod == '-')
        push(c, &e->excl, q);
    else
        push(c, &e->filter[f], q);
}

/* ---- nodes ---- */

static cq compile_node(ctx *c, size_t node);

/* A phrase, word or prefix item that is not one of the group's plain
 * words: its query, recording its units unless it is excluded. */
static xapc_query *item_query(ctx *c, const oa_qnode *it)
{
    int title_only = it->field == OA_FIELD_TITLE, excluded = it->mod == '-';
    if (it->kind == OA_Q_WORD && it->wildcard) {
        xapc_query *q = NULL;
        if (excluded)
            prefix_element(c, it, NULL, &q);
        else
            prefix_element(c, it, &q, NULL);
        return q;
    }
    qwords words = {NULL, 0, 0};
    analyse_item(c, it->start, it->end, 0, &words);
    qword *w = words.v;
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
            if (term_arrays(c, &w[i], len, &t, &a) != 0) {
                free(t);
                free(a);
                break;
            }
            for (size_t j = 0; j < len && !excluded; j++)
                check_known(c, &w[i + j]);
            xapc_query *title = NULL;
            xapc_query *p = excluded ? phrase_q(c, title_only ? OA_PREFIX_TITLE : "", t, a, len)
                                     : weighted_q(c, t, a, len, title_only, &title);
            if (!excluded) {
                word_unit(c, &w[i], len, title_only, p, title);
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
        q = c->rc ? NULL : comb(c, excluded ? XAPC_OR : XAPC_AND, parts, np);
        if (c->rc)
            free_queries(parts, np);
        else
            free(parts);
    }
    free_words(&words);
    return q;
}

static void free_cq(cq *q)
{
    xapc_query_free(q->strict);
    xapc_query_free(q->loose);
    q->strict = q->loose = NULL;
}

static cq compile_group(ctx *c, size_t node)
{
    cq out = {NULL, NULL};
    const oa_qnode g = c->parse.node[node];
    elems e;
    memset(&e, 0, sizeof e);
    /* The plain words: no modifier, no field, no wildcard. */
    size_t *plain_items = calloc(g.n_kids ? g.n_kids : 1, sizeof *plain_items);
    size_t n_plain = 0;
    qwords plain = {NULL, 0, 0};
    if (!plain_items)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t k = 0; k < g.n_kids && !c->rc; k++) {
        const oa_qnode *it = &c->parse.node[g.kid[k]];
        if (it->kind == OA_Q_WORD && !it->mod && it->field == OA_FIELD_ANY && !it->wildcard) {
            plain_items[n_plain] = k;
            analyse_item(c, it->start, it->end, n_plain, &plain);
            n_plain++;
        }
    }
    /* Items are numbered by their place among the plain ones; places
     * refer to them by group index. */
    qword *w = plain.v;
    size_t n_words = plain.n;
    for (size_t i = 0; i < n_words; i++)
        w[i].item = plain_items[w[i].item];
    find_places(c, &g, plain_items, n_plain, w, n_words, &e);
    if (c->question && node == c->parse.root)
        drop_fillers(c, w, n_words);
    plain_elements(c, w, n_words, &e);
    if (c->env->proximity)
        phrase_bonus(c, w, n_words, &e);
    free_words(&plain);
    /* The bonus phrase matches only where its words do: OR-ed with them it
     * adds weight, not matches. (Not AND_MAYBE: with Xapian 1.4.22 a phrase
     * under AND_MAYBE on the right of an AND_NOT was seen to let through,
     * on one run in two, a document the AND_NOT excludes.) */
    if (e.bonus.n && !c->rc) {
        xapc_query *bonus = take(c, XAPC_OR, &e.bonus);
        xapc_query *words = take(c, XAPC_AND, &e.strict);
        push(c, &e.strict, comb2(c, XAPC_OR, words, copy(c, bonus)));
        push(c, &e.loose, bonus);
    }
    free(plain_items);

    for (size_t k = 0; k < g.n_kids && !c->rc; k++) {
        size_t kid = g.kid[k];
        const oa_qnode *it = &c->parse.node[kid];
        if (it->kind == OA_Q_WORD && !it->mod && it->field == OA_FIELD_ANY && !it->wildcard)
            continue;
        if (it->kind == OA_Q_FILTER) {
            filter_item(c, it, &e);
            continue;
        }
        xapc_query *strict = NULL, *loose = NULL;
        if (it->kind == OA_Q_WORD || it->kind == OA_Q_PHRASE) {
            strict = item_query(c, it);
            loose = strict ? copy(c, strict) : NULL;
        } else {
            cq sub = compile_node(c, kid);
            strict = sub.strict;
            loose = sub.loose;
        }
        if (!strict) {
            xapc_query_free(loose);
            continue; /* stop words only */
        }
        if (it->mod == '-') {
            xapc_query_free(strict);
            push(c, &e.excl, loose);
        } else if (it->mod == '+') {
            xapc_query_free(loose);
            push(c, &e.req, strict);
        } else {
            push(c, &e.strict, strict);
            push(c, &e.loose, loose);
        }
    }
    if (c->rc) {
        elems_free(&e);
        return out;
    }

    int any_filter = e.filter[0].n || e.filter[1].n || e.filter[2].n;
    if (!e.strict.n && !e.loose.n && !e.req.n && !e.excl.n && !any_filter) {
        /* (a bonus needs words to go with) */
        elems_free(&e);
        return out; /* nothing asked */
    }
    /* Required items count in both tiers. */
    for (size_t i = 0; i < e.req.n && !c->rc; i++)
        push(c, &e.strict, copy(c, e.req.v[i]));
    if (e.strict.n) {
        out.strict = take(c, XAPC_AND, &e.strict);
    } else {
        /* Only optional words (places): tier 1 is any of them. */
        if (e.loose.n) {
            xapc_query **v = calloc(e.loose.n, sizeof *v);
            if (!v) {
                c->rc = oa_error(OASIS_ENOMEM, "out of memory");
            } else {
                for (size_t i = 0; i < e.loose.n; i++)
                    v[i] = copy(c, e.loose.v[i]);
                out.strict = comb(c, XAPC_OR, v, e.loose.n);
                free(v);
            }
        } else {
            out.strict = xapc_query_match_all();
            failed(c, out.strict);
        }
    }
    if (e.req.n) {
        /* The required items, the others adding weight: AND_MAYBE, spelt
         * req OR (req×0 AND others) for the reason given above. */
        xapc_query *req = take(c, XAPC_AND, &e.req);
        out.loose = req;
        if (e.loose.n) {
            xapc_query *others = comb2(c, XAPC_AND, scaled(c, copy(c, req), 0.0),
                                       take(c, XAPC_OR, &e.loose));
            out.loose = comb2(c, XAPC_OR, req, others);
        }
    } else if (e.loose.n) {
        out.loose = take(c, XAPC_OR, &e.loose);
    } else {
        out.loose = xapc_query_match_all();
        failed(c, out.loose);
    }
    if (e.excl.n && !c->rc) {
        xapc_query *ex = take(c, XAPC_OR, &e.excl);
        out.strict = comb2(c, XAPC_AND_NOT, out.strict, copy(c, ex));
        out.loose = comb2(c, XAPC_AND_NOT, out.loose, ex);
    }
    for (int f = 0; f < 3 && !c->rc; f++) {
        if (!e.filter[f].n)
            continue;
        xapc_query *fq = take(c, XAPC_OR, &e.filter[f]);
        out.strict = comb2(c, XAPC_FILTER, out.strict, copy(c, fq));
        out.loose = comb2(c, XAPC_FILTER, out.loose, fq);
    }
    elems_free(&e);
    if (c->rc)
        free_cq(&out);
    return out;
}

static cq compile_node(ctx *c, size_t node)
{
    const oa_qnode n = c->parse.node[node];
    cq out = {NULL, NULL};
    if (n.kind == OA_Q_GROUP)
        return compile_group(c, node);
    if (n.kind == OA_Q_NOT) {
        cq keep = compile_node(c, n.kid[0]);
        cq drop = compile_node(c, n.kid[1]);
        if (!drop.loose || c->rc) {
            free_cq(&drop);
            if (c->rc)
                free_cq(&keep);
            return keep;
        }
        if (!keep.strict) {
            keep.strict = xapc_query_match_all();
            keep.loose = xapc_query_match_all();
            failed(c, keep.strict);
            failed(c, keep.loose);
        }
        out.strict = comb2(c, XAPC_AND_NOT, keep.strict, copy(c, drop.loose));
        out.loose = comb2(c, XAPC_AND_NOT, keep.loose, copy(c, drop.loose));
        free_cq(&drop);
        return out;
    }
    /* AND, OR: strict with strict, loose with loose; empty kids left out. */
    xapc_query **s = calloc(n.n_kids, sizeof *s), **l = calloc(n.n_kids, sizeof *l);
    size_t k = 0;
    if (!s || !l)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n.n_kids && !c->rc; i++) {
        cq sub = compile_node(c, n.kid[i]);
        if (!sub.strict) {
            free_cq(&sub);
            continue;
        }
        s[k] = sub.strict;
        l[k++] = sub.loose;
    }
    xapc_op op = n.kind == OA_Q_AND ? XAPC_AND : XAPC_OR;
    if (!c->rc && k) {
        out.strict = comb(c, op, s, k);
        out.loose = comb(c, op, l, k);
    } else {
        for (size_t i = 0; i < k; i++) {
            xapc_query_free(s[i]);
            xapc_query_free(l[i]);
        }
    }
    free(s);
    free(l);
    if (c->rc)
        free_cq(&out);
    return out;
}

int oa_compile(const oa_compile_env *env, const char *text, oa_compiled *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text), bad;
    if (!oa_utf8_valid(text, len, &bad))
        return oa_error(OASIS_EFORMAT, "invalid utf-8 at byte %zu", bad);
    ctx c;
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
    c.question = is_question(&c);
    cq q = {NULL, NULL};
    if (!c.rc)
        q = compile_node(&c, c.parse.root);
    if (!c.rc) {
        out->positive = q.strict != NULL && out->n_units > 0;
        if (!q.strict) {
            q.strict = xapc_query_match_all();
            q.loose = xapc_query_match_all();
            failed(&c, q.strict);
            failed(&c, q.loose);
        }
        out->strict = q.strict;
        out->loose = q.loose;
    } else {
        free_cq(&q);
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
    ctx c;
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
        xapc_query *q = scaled(&c, weighted_q(&c, &term[i], &alt, 1, 0, &title), weight[i]);
        oa_unit *u = new_unit(&c, OA_UNIT_WORD, label[i], strlen(label[i]));
        if (u) {
            u->q = copy(&c, q);
            u->title_q = copy(&c, title);
            add_words(&c, u, &term[i], NULL, 1);
        }
        xapc_query_free(title);
        size_t expr;
        const char *one[1] = {term[i]};
        if (c.thesaurus && oa_thesaurus_match(c.thesaurus, one, NULL, 1, &expr) == 1) {
            /* The synonyms' records name the word as shown. */
            qword w;
            memset(&w, 0, sizeof w);
            c.text = label[i];
            w.end = strlen(label[i]);
            xapc_query *syn = synonyms_q(&c, &w, 1, expr);
            c.text = "";
            if (syn)
                q = comb2(&c, XAPC_OR, q, scaled(&c, syn, weight[i]));
        }
        any = any ? comb2(&c, XAPC_OR, any, q) : q;
    }
    for (size_t i = 0; i < n_cat && !c.rc; i++) {
        xapc_query *q = comb2(&c, XAPC_FILTER, xapc_query_fixed(OA_LIKE_CATEGORY_WEIGHT),
                              term_q(&c, OA_PREFIX_CATEGORY, category[i]));
        oa_buf_reset(&c.scratch);
        oa_unit *u = NULL;
        if (!c.rc && !(c.rc = oa_buf_printf(&c.scratch, "cat:%s", category[i])))
            u = new_unit(&c, OA_UNIT_WORD, c.scratch.data, c.scratch.len);
        if (u) {
            u->title_only = 1;
            u->q = copy(&c, q);
        }
        any = any ? comb2(&c, XAPC_OR, any, q) : q;
    }
    if (!c.rc) {
        if (!any) {
            any = xapc_query_combine(XAPC_OR, NULL, 0, 0);
            failed(&c, any);
        }
        out->loose = comb2(&c, XAPC_AND_NOT, any, term_q(&c, "", exclude));
        out->strict = copy(&c, out->loose);
        out->positive = 1;
    } else {
        xapc_query_free(any);
    }
    oa_buf_free(&c.scratch);
    if (c.rc)
        oa_compiled_free(out);
    return c.rc;
}

void oa_compiled_free(oa_compiled *c)
{
    if (!c)
        return;
    xapc_query_free(c->strict);
    xapc_query_free(c->loose);
    xapc_query_free(c->places);
    for (size_t i = 0; i < c->n_units; i++) {
        oa_unit *u = &c->units[i];
        free(u->label);
        free(u->of);
        xapc_query_free(u->q);
        xapc_query_free(u->title_q);
        for (size_t j = 0; j < u->n_terms; j++)
            free(u->terms[j]);
        free(u->terms);
        free(u->pat);
    }
    free(c->units);
    for (size_t i = 0; i < c->n_places; i++) {
        free(c->place[i].word);
        free(c->place[i].commune);
    }
    free(c->place);
    for (size_t i = 0; i < c->n_synonyms; i++) {
        free(c->synonym[i].word);
        free(c->synonym[i].synonym);
    }
    free(c->synonym);
    for (size_t i = 0; i < c->n_unknown; i++)
        free(c->unknown[i].plain);
    free(c->unknown);
    free(c->notice);
    memset(c, 0, sizeof *c);
}
