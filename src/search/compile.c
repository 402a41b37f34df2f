/* The query compiler's tree walk: each node of the parsed query gives its
 * two tiers (compile.h); a group of juxtaposed items is compiled from its
 * elements, the other concerns (words, places, synonyms, questions,
 * prefixes, filters, unknown words) each in its file (compile_ctx.h). */
#include "search/compile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "index/schema.h"
#include "search/compile_ctx.h"
#include "search/parser.h"
#include "util/buf.h"
#include "util/error.h"

/* A node's two tiers; both NULL: the node asks nothing (stop words only). */
typedef struct node_q {
    xapc_query *strict, *loose;
} node_q;

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
                                     : cq_weighted_words(c, &w[i], len, title_only, &title);
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

/* 1 for a plain word item of a group: no modifier, no field, no
 * wildcard. */
static int is_plain(const oa_qnode *it)
{
    return it->kind == OA_Q_WORD && !it->mod && it->field == OA_FIELD_ANY && !it->wildcard;
}

/* The plain words of group g (node), analysed together and read for
 * places, question words, thesaurus expressions and, with proximity,
 * words typed next to each other, into e. */
static void plain_words(cq_ctx *c, size_t node, const oa_qnode *g, cq_elems *e)
{
    size_t *plain_items = calloc(g->n_kids ? g->n_kids : 1, sizeof *plain_items);
    size_t n_plain = 0;
    cq_words plain = {NULL, 0, 0};
    if (!plain_items)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t k = 0; k < g->n_kids && !c->rc; k++) {
        const oa_qnode *it = &c->parse.node[g->kid[k]];
        if (is_plain(it)) {
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
    cq_find_places(c, g, plain_items, n_plain, w, n_words, e);
    if (c->question && node == c->parse.root)
        cq_drop_fillers(c, w, n_words);
    cq_plain_elements(c, w, n_words, e);
    if (c->env->proximity)
        cq_phrase_bonus(c, w, n_words, e);
    cq_free_words(&plain);
    free(plain_items);
}

/* The bonus phrase matches only where its words do: OR-ed with them it
 * adds weight, not matches. (Not AND_MAYBE: with Xapian 1.4.22 a phrase
 * under AND_MAYBE on the right of an AND_NOT was seen to let through,
 * on one run in two, a document the AND_NOT excludes.) */
static void add_bonus(cq_ctx *c, cq_elems *e)
{
    if (!e->bonus.n || c->rc)
        return;
    xapc_query *bonus = cq_take(c, XAPC_OR, &e->bonus);
    xapc_query *words = cq_take(c, XAPC_AND, &e->strict);
    cq_push(c, &e->strict, cq_pair(c, XAPC_OR, words, cq_copy(c, bonus)));
    cq_push(c, &e->loose, bonus);
}

/* The group's other items into e: filters, phrases, prefixes, words with
 * a modifier or a field, bracketed groups and operators. */
static void other_items(cq_ctx *c, const oa_qnode *g, cq_elems *e)
{
    for (size_t k = 0; k < g->n_kids && !c->rc; k++) {
        size_t kid = g->kid[k];
        const oa_qnode *it = &c->parse.node[kid];
        if (is_plain(it))
            continue;
        if (it->kind == OA_Q_FILTER) {
            cq_filter_item(c, it, e);
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
            cq_push(c, &e->excl, loose);
        } else if (it->mod == '+') {
            xapc_query_free(loose);
            cq_push(c, &e->req, strict);
        } else {
            cq_push(c, &e->strict, strict);
            cq_push(c, &e->loose, loose);
        }
    }
}

/* 1 when the group asks nothing (a bonus needs words to go with). */
static int asks_nothing(const cq_elems *e)
{
    int any_filter = e->filter[0].n || e->filter[1].n || e->filter[2].n;
    return !e->strict.n && !e->loose.n && !e->req.n && !e->excl.n && !any_filter;
}

/* Tier 1 of the group: the AND of its words and required items; with
 * only optional words (places), any of them. */
static xapc_query *group_strict(cq_ctx *c, cq_elems *e)
{
    /* Required items count in both tiers. */
    for (size_t i = 0; i < e->req.n && !c->rc; i++)
        cq_push(c, &e->strict, cq_copy(c, e->req.v[i]));
    if (e->strict.n)
        return cq_take(c, XAPC_AND, &e->strict);
    xapc_query *q = NULL;
    if (e->loose.n) {
        xapc_query **v = calloc(e->loose.n, sizeof *v);
        if (!v) {
            c->rc = oa_error(OASIS_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < e->loose.n; i++)
                v[i] = cq_copy(c, e->loose.v[i]);
            q = cq_combine(c, XAPC_OR, v, e->loose.n);
            free(v);
        }
    } else {
        q = xapc_query_match_all();
        cq_failed(c, q);
    }
    return q;
}

/* Every match of the group: the required items, the others adding
 * weight; without required items, any of its words. */
static xapc_query *group_loose(cq_ctx *c, cq_elems *e)
{
    if (e->req.n) {
        /* AND_MAYBE, spelt req OR (req×0 AND others) for the reason given
         * at add_bonus(). */
        xapc_query *req = cq_take(c, XAPC_AND, &e->req);
        if (!e->loose.n)
            return req;
        xapc_query *others = cq_pair(c, XAPC_AND, cq_scaled(c, cq_copy(c, req), 0.0),
                                     cq_take(c, XAPC_OR, &e->loose));
        return cq_pair(c, XAPC_OR, req, others);
    }
    if (e->loose.n)
        return cq_take(c, XAPC_OR, &e->loose);
    xapc_query *q = xapc_query_match_all();
    cq_failed(c, q);
    return q;
}

/* The group's -items left out of both tiers, its filters applied to
 * both. */
static void group_limits(cq_ctx *c, cq_elems *e, node_q *out)
{
    if (e->excl.n && !c->rc) {
        xapc_query *ex = cq_take(c, XAPC_OR, &e->excl);
        out->strict = cq_pair(c, XAPC_AND_NOT, out->strict, cq_copy(c, ex));
        out->loose = cq_pair(c, XAPC_AND_NOT, out->loose, ex);
    }
    for (int f = 0; f < 3 && !c->rc; f++) {
        if (!e->filter[f].n)
            continue;
        xapc_query *fq = cq_take(c, XAPC_OR, &e->filter[f]);
        out->strict = cq_pair(c, XAPC_FILTER, out->strict, cq_copy(c, fq));
        out->loose = cq_pair(c, XAPC_FILTER, out->loose, fq);
    }
}

/* A group of juxtaposed items: its elements, then its two tiers. */
static node_q compile_group(cq_ctx *c, size_t node)
{
    node_q out = {NULL, NULL};
    const oa_qnode g = c->parse.node[node];
    cq_elems e;
    memset(&e, 0, sizeof e);
    plain_words(c, node, &g, &e);
    add_bonus(c, &e);
    other_items(c, &g, &e);
    if (!c->rc && !asks_nothing(&e)) {
        out.strict = group_strict(c, &e);
        out.loose = group_loose(c, &e);
        group_limits(c, &e, &out);
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

/* 1 when the query has something to search: a filter, or a word or
 * phrase with a word left after analysis (not only stop words or
 * punctuation); also when the text is blank (a browse). */
static int has_something(cq_ctx *c)
{
    int blank = 1;
    for (const char *p = c->text; *p && blank; p++)
        blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
    if (blank)
        return 1;
    int found = 0;
    for (size_t i = 0; i < c->parse.n_nodes && !found && !c->rc; i++) {
        const oa_qnode *n = &c->parse.node[i];
        if (n->kind == OA_Q_FILTER) {
            found = 1;
        } else if (n->kind == OA_Q_WORD || n->kind == OA_Q_PHRASE) {
            oa_tokens toks = OA_TOKENS_INIT;
            c->rc = oa_analyze(c->env->analyzer, c->text + n->start, n->end - n->start, 0, &toks);
            found = toks.n > 0;
            oa_tokens_free(&toks);
        }
    }
    return found;
}

/* A query of only stop words or punctuation finds nothing, and says why
 * (rather than listing everything as a query with no words does). */
static void nothing_to_search(cq_ctx *c, node_q *q)
{
    if ((c->rc = oa_notices_add(&c->out->notices, OASIS_NOTICE_NOTHING_TO_SEARCH, NULL, 0, 0, 0)))
        return;
    node_q_free(q);
    q->strict = xapc_query_combine(XAPC_OR, NULL, 0, 0);
    q->loose = xapc_query_combine(XAPC_OR, NULL, 0, 0);
    cq_failed(c, q->strict);
    cq_failed(c, q->loose);
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
    c.rc = oa_notices_copy(&out->notices, &c.parse.notices);
    /* The first word's capital is the sentence's, not a name's. */
    c.first_item = SIZE_MAX;
    for (size_t i = 0; i < c.parse.n_nodes; i++)
        if (c.parse.node[i].kind <= OA_Q_FILTER && c.parse.node[i].start < c.first_item)
            c.first_item = c.parse.node[i].start;
    c.question = cq_is_question(&c);
    node_q q = {NULL, NULL};
    if (!c.rc)
        q = compile_node(&c, c.parse.root);
    /* A place named is something, even in words that are stop words
     * otherwise ("AURA"). */
    int nothing = !c.rc && !has_something(&c) && out->n_places == 0;
    if (nothing)
        nothing_to_search(&c, &q);
    if (!c.rc) {
        out->positive = nothing || (q.strict != NULL && out->n_units > 0);
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
