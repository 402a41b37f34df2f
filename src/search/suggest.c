/* Spelling suggestions: the words of the query no document contains,
 * each replaced by what is close to it for its length: the closest word
 * of the spelling dictionary (which the writer fills with the plain words
 * of the documents) that enough initiatives hold, the name of a
 * département or région, a word of the thesaurus that finds something,
 * or, for an abbreviation, its prefix search.
 * Only what a remote database answers too is asked: the spelling
 * dictionary, term frequencies and the terms of a prefix. */
#include "search/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "search/compile_ctx.h"
#include "search/places.h"
#include "search/synonyms.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

/* The longest word (bytes) a suggestion is asked for: the cost grows
 * with the length. */
#define OA_SPELLING_MAX 48
/* A word shorter than this gets no suggestion: one edit makes another
 * word of almost any ("rsa", "pmi"). */
#define OA_SPELLING_MIN 4
/* From this length on, a suggestion may make two edits; below, one
 * ("prime" is not "prives", "camion" not "action"). */
#define OA_SPELLING_TWO_EDITS 7
/* A suggestion two edits away must start with the word's letter and, for
 * a word shorter than OA_SPELLING_LONG, be in this many initiatives at
 * least: the further, the surer it must be ("blanche" is not "lance"). */
#define OA_SPELLING_FAR_DOCS 2
#define OA_SPELLING_LONG 8
/* An abbreviation is completed (ophtalmo → ophtalmo*) from this length. */
#define OA_SPELLING_PREFIX_MIN 5

/* The edits a word of len bytes may get. */
static unsigned allowed_edits(size_t len)
{
    return len < OA_SPELLING_MIN ? 0 : len < OA_SPELLING_TWO_EDITS ? 1 : 2;
}

/* The edit distance of a and b (insertions, deletions, substitutions and
 * transpositions of adjacent bytes, as Xapian counts them), both at most
 * OA_SPELLING_MAX bytes. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[OA_SPELLING_MAX + 1][OA_SPELLING_MAX + 1];
    if (la > OA_SPELLING_MAX || lb > OA_SPELLING_MAX)
        return (size_t)-1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* How many initiatives hold the word (its first term, or its accent-free
 * alternative). */
static size_t word_docs(xapc_db *db, oa_analyzer *a, const char *word)
{
    oa_tokens t = OA_TOKENS_INIT;
    size_t n = 0;
    if (!oa_analyze(a, word, strlen(word), 0, &t))
        for (size_t i = 0; i < t.n && t.v[i].pos == 0; i++) {
            size_t f = xapc_db_term_freq(db, t.v[i].term, t.v[i].term_len);
            if (f > n)
                n = f;
        }
    oa_tokens_free(&t);
    return n;
}

/* A candidate: the word to write instead, and its distance. */
typedef struct candidate {
    char *word;
    size_t dist;
} candidate;

static void consider(candidate *best, char *word, size_t dist)
{
    if (!word)
        return;
    if (best->word && best->dist <= dist) {
        free(word);
        return;
    }
    free(best->word);
    best->word = word;
    best->dist = dist;
}

/* The spelling dictionary's closest word, when it is close for the word's
 * length and in enough initiatives. */
static int from_dictionary(xapc_db *db, oa_analyzer *a, const char *plain, candidate *best)
{
    size_t len = strlen(plain);
    unsigned edits = allowed_edits(len);
    char *word = NULL;
    int rc = xapc_db_spelling(db, plain, len, edits, &word);
    if (rc || !*word || !strcmp(word, plain)) {
        free(word);
        return rc;
    }
    size_t dist = edit_distance(plain, word);
    int sure = dist <= 1 ||
               (word[0] == plain[0] &&
                (len >= OA_SPELLING_LONG || word_docs(db, a, word) >= OA_SPELLING_FAR_DOCS));
    if (dist <= edits && sure && word_docs(db, a, word) > 0)
        consider(best, word, dist);
    else
        free(word);
    return 0;
}

/* The closest name of a département or région of one word ("Bretgne" →
 * "Bretagne"): a place is worth suggesting even with nothing in it (the
 * search then says so). */
static void from_places(const char *plain, candidate *best)
{
    unsigned edits = allowed_edits(strlen(plain));
    for (size_t i = 0; i < oasis_departement_count() + oasis_region_count(); i++) {
        size_t nd = oasis_departement_count();
        const char *name = i < nd ? oasis_departement_at(i)->name : oasis_region_at(i - nd)->name;
        char *key;
        if (oa_fold_key(name, strlen(name), &key))
            continue;
        size_t dist = strchr(key, ' ') ? (size_t)-1 : edit_distance(plain, key);
        if (dist >= 1 && dist <= edits && key[0] == plain[0])
            consider(best, oa_strdup(name), dist);
        free(key);
    }
}

/* 1 when every term of expression e of t is in some initiative. */
static int expr_found(xapc_db *db, const oa_syn_expr *e)
{
    for (size_t i = 0; i < e->n; i++)
        if (!xapc_db_term_freq(db, e->term[i], strlen(e->term[i])) &&
            !(e->alt[i] && xapc_db_term_freq(db, e->alt[i], strlen(e->alt[i]))))
            return 0;
    return e->n > 0;
}

/* The closest one-word expression of the thesaurus ("telemedcine" →
 * "télémédecine"), when it or one of its synonyms is in some initiative:
 * the search of a thesaurus word finds its synonyms too. */
static void from_thesaurus(xapc_db *db, const char *plain, candidate *best)
{
    const oa_thesaurus *t = NULL;
    if (oa_thesaurus_builtin(&t) || !t)
        return;
    unsigned edits = allowed_edits(strlen(plain));
    for (size_t i = 0; i < oa_thesaurus_size(t); i++) {
        const oa_syn_expr *e = oa_thesaurus_at(t, i);
        char *key;
        if (e->n != 1 || oa_fold_key(e->text, strlen(e->text), &key))
            continue;
        size_t dist = strchr(key, ' ') ? (size_t)-1 : edit_distance(plain, key);
        int found = dist >= 1 && dist <= edits && key[0] == plain[0] && expr_found(db, e);
        size_t syn[32];
        size_t ns = found || dist < 1 || dist > edits || key[0] != plain[0]
                        ? 0
                        : oa_thesaurus_synonyms(t, i, syn, sizeof syn / sizeof syn[0]);
        for (size_t k = 0; k < ns && k < sizeof syn / sizeof syn[0] && !found; k++)
            found = expr_found(db, oa_thesaurus_at(t, syn[k]));
        if (found)
            consider(best, oa_strdup(e->text), dist);
        free(key);
    }
}

static int any_term(void *ud, const char *term, size_t len, double value)
{
    (void)term;
    (void)len;
    *(size_t *)ud += value > 0;
    return 1;
}

/* An abbreviation ("ophtalmo", "kinés"): the prefix search of the word
 * when some index term continues it. */
static int from_prefix(xapc_db *db, const char *plain, candidate *best)
{
    size_t len = strlen(plain), found = 0;
    if (len < OA_SPELLING_PREFIX_MIN || best->word)
        return 0;
    int rc = xapc_db_terms(db, plain, len, 1, any_term, &found);
    if (!rc && found) {
        char *word = malloc(len + 2);
        if (!word)
            return OASIS_ENOMEM;
        memcpy(word, plain, len);
        memcpy(word + len, "*", 2);
        consider(best, word, allowed_edits(len) + 1);
    }
    return rc;
}

int oa_suggest(xapc_db *db, oa_analyzer *a, const char *query, const oa_compiled *c, char **out)
{
    *out = NULL;
    oa_buf b = OA_BUF_INIT;
    size_t at = 0;
    int changed = 0, rc = 0;
    /* A word completed with '*' would be a prefix inside a phrase. */
    int phrase = strchr(query, '"') != NULL;
    for (size_t i = 0; i < c->n_unknown && !rc; i++) {
        const oa_unknown_word *u = &c->unknown[i];
        /* A word longer than any in the language has no spelling. */
        if (!*u->plain || u->start < at || strlen(u->plain) > OA_SPELLING_MAX ||
            !allowed_edits(strlen(u->plain)))
            continue;
        candidate best = {NULL, 0};
        rc = from_dictionary(db, a, u->plain, &best);
        if (!rc)
            from_places(u->plain, &best);
        if (!rc)
            from_thesaurus(db, u->plain, &best);
        if (!rc && !phrase)
            rc = from_prefix(db, u->plain, &best);
        if (!rc && best.word) {
            if (!(rc = oa_buf_append(&b, query + at, u->start - at)))
                rc = oa_buf_puts(&b, best.word);
            at = u->end;
            changed = 1;
        }
        free(best.word);
    }
    if (!rc && changed)
        rc = oa_buf_puts(&b, query + at);
    if (!rc && changed && !(*out = oa_buf_detach(&b)))
        rc = OASIS_ENOMEM;
    oa_buf_free(&b);
    return rc;
}

int oa_suggest_missing(xapc_db *db, int *missing)
{
    int has = 1, rc = xapc_db_has_spelling(db, &has);
    *missing = !rc && !has && xapc_db_doc_count(db) > 0;
    return rc;
}

/* ---- in a query: the words no document contains ---- */

void cq_check_known(cq_ctx *c, const cq_word *w)
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
    /* A place is never corrected ("Corse" is not "cordes"). */
    if (oa_places_known(s, len))
        return;
    oa_compiled *o = c->out;
    for (size_t i = 0; i < o->n_unknown; i++)
        if (o->unknown[i].start == w->start)
            return;
    /* The elided article stays as typed: only the word is replaced. */
    size_t skip = 0;
    if ((c->rc = oa_analyzer_elision(c->env->analyzer, s, len, &skip)))
        return;
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
