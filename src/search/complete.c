/* Completions of what a person is typing: the last word as a word of the
 * spelling dictionary (the plain words of the documents, which the writer
 * fills), and the last words as the start of a place's name or a
 * category's label, compared by fold key. */
#include "search/complete.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "taxonomy/categories.h"
#include "taxonomy/communes.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

#define COMPLETE_DEFAULT 10
#define COMPLETE_MAX 50
#define COMPLETE_WORDS_WALKED 5000 /* dictionary words read for one prefix */
#define COMPLETE_TAIL_WORDS 4      /* last words tried as a name's start */
#define COMPLETE_MIN_WORD 2        /* bytes of a last word before words are completed */

struct oasis_completions {
    OA_VEC(oasis_completion) items;
    size_t max;
};

size_t oasis_completions_count(const oasis_completions *c)
{
    return c ? c->items.n : 0;
}

const oasis_completion *oasis_completions_at(const oasis_completions *c, size_t i)
{
    return c && i < c->items.n ? &c->items.v[i] : NULL;
}

void oasis_completions_free(oasis_completions *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->items.n; i++) {
        free((char *)c->items.v[i].text);
        free((char *)c->items.v[i].label);
        free((char *)c->items.v[i].value);
    }
    free(c->items.v);
    free(c);
}

/* Adds a completion: typed[0..keep) followed by label, unless full or the
 * same text is there already. */
static int add(oasis_completions *c, oasis_completion_kind kind, const char *typed, size_t keep,
               const char *label, size_t label_len, const char *value, size_t count)
{
    if (c->items.n >= c->max)
        return 0;
    oa_buf b = OA_BUF_INIT;
    int rc = oa_buf_append(&b, typed, keep);
    if (!rc)
        rc = oa_buf_append(&b, label, label_len);
    if (rc) {
        oa_buf_free(&b);
        return rc;
    }
    char *text = oa_buf_detach(&b);
    for (size_t i = 0; text && i < c->items.n; i++)
        if (!strcmp(c->items.v[i].text, text)) {
            free(text);
            return 0;
        }
    oasis_completion x = {kind, text, oa_strndup(label, label_len), value ? oa_strdup(value) : NULL,
                          count};
    if (!x.text || !x.label || (value && !x.value) || OA_VEC_PUSH(&c->items, x)) {
        free(text);
        free((char *)x.label);
        free((char *)x.value);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* 1 when name folds to a key that starts with key. */
static int name_starts(const char *name, const char *key, size_t len, int *rc)
{
    char *k = NULL;
    *rc = oa_fold_key(name, strlen(name), &k);
    int r = !*rc && strlen(k) >= len && memcmp(k, key, len) == 0;
    free(k);
    return r;
}

/* Places and categories whose name starts with key (the fold key of
 * typed[keep..]). */
static int add_names(oasis_completions *c, const char *typed, size_t keep, const char *key,
                     size_t len)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < oasis_departement_count(); i++) {
        size_t kl;
        const char *k = oa_departement_key(i, &kl);
        const oasis_departement *d = oasis_departement_at(i);
        if (k && kl >= len && memcmp(k, key, len) == 0)
            rc = add(c, OASIS_COMPLETION_DEPARTEMENT, typed, keep, d->name, strlen(d->name),
                     d->code, 0);
    }
    for (size_t i = 0; !rc && i < oasis_region_count(); i++) {
        const oasis_region *r = oasis_region_at(i);
        if (name_starts(r->name, key, len, &rc) && !rc)
            rc = add(c, OASIS_COMPLETION_REGION, typed, keep, r->name, strlen(r->name), r->code,
                     0);
    }
    for (size_t i = 0; !rc && i < oa_category_count(); i++) {
        const oasis_category *g = oa_category_at(i);
        int hit = name_starts(g->label, key, len, &rc);
        if (!rc && !hit)
            hit = name_starts(g->slug, key, len, &rc);
        if (!rc && hit)
            rc = add(c, OASIS_COMPLETION_CATEGORY, typed, keep, g->label, strlen(g->label),
                     g->slug, 0);
    }
    return rc;
}

static int add_communes(oasis_completions *c, const char *typed, size_t keep, const char *key,
                        size_t len)
{
    oa_commune found[COMPLETE_MAX];
    size_t n = oa_communes_prefix(key, len, found, COMPLETE_MAX);
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        rc = add(c, OASIS_COMPLETION_COMMUNE, typed, keep, found[i].name, found[i].name_len,
                 found[i].departement->code, 0);
    return rc;
}

typedef struct word_freq {
    char *word;
    double freq;
} word_freq;

typedef struct words {
    OA_VEC(word_freq) v;
} words;

static int collect_word(void *userdata, const char *term, size_t len, double value)
{
    words *w = userdata;
    word_freq x = {oa_strndup(term, len), value};
    if (!x.word || OA_VEC_PUSH(&w->v, x)) {
        free(x.word);
        return 1;
    }
    return 0;
}

static int by_freq(const void *a, const void *b)
{
    const word_freq *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq < y->freq ? 1 : -1;
    return strcmp(x->word, y->word);
}

/* The dictionary's words that start with the last word's key, most
 * frequent first; a word equal to the key itself is left out. */
static int add_words(xapc_db *db, oasis_completions *c, const char *typed, size_t keep,
                     const char *key, size_t len)
{
    words w = {0};
    int rc = xapc_db_spellings(db, key, len, COMPLETE_WORDS_WALKED, collect_word, &w);
    if (!rc) {
        qsort(w.v.v, w.v.n, sizeof *w.v.v, by_freq);
        for (size_t i = 0; !rc && i < w.v.n; i++)
            if (strlen(w.v.v[i].word) > len)
                rc = add(c, OASIS_COMPLETION_WORD, typed, keep, w.v.v[i].word,
                         strlen(w.v.v[i].word), NULL, (size_t)w.v.v[i].freq);
    }
    for (size_t i = 0; i < w.v.n; i++)
        free(w.v.v[i].word);
    free(w.v.v);
    return rc;
}

/* The byte offsets where the last COMPLETE_TAIL_WORDS words of text start,
 * first to last, in starts; their number. */
static size_t word_starts(const char *text, size_t *starts)
{
    size_t n = 0, len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        int blank = text[i] == ' ' || text[i] == '\t' || text[i] == '\n';
        int prev_blank = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' ||
                         text[i - 1] == '\n';
        if (blank || !prev_blank)
            continue;
        if (n == COMPLETE_TAIL_WORDS) {
            memmove(starts, starts + 1, (n - 1) * sizeof *starts);
            n--;
        }
        starts[n++] = i;
    }
    return n;
}

int oa_complete(xapc_db *db, const char *text, size_t max, oasis_completions **out)
{
    *out = NULL;
    oasis_completions *c = calloc(1, sizeof *c);
    if (!c)
        return oa_error(OASIS_ENOMEM, "out of memory");
    c->max = max == 0 ? COMPLETE_DEFAULT : max > COMPLETE_MAX ? COMPLETE_MAX : max;
    text = text ? text : "";
    size_t len = strlen(text), bad;
    if (!oa_utf8_valid(text, len, &bad)) {
        oasis_completions_free(c);
        return oa_error(OASIS_EFORMAT, "text to complete is not valid UTF-8 (byte %zu)", bad);
    }
    /* Nothing to complete after a blank: the last word is over. */
    size_t starts[COMPLETE_TAIL_WORDS];
    size_t n = len && text[len - 1] != ' ' ? word_starts(text, starts) : 0;
    char *keys[COMPLETE_TAIL_WORDS] = {0};
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        rc = oa_fold_key(text + starts[i], len - starts[i], &keys[i]);
    /* Longest tail first: "loir et ch" before "ch". */
    for (size_t i = 0; !rc && i < n; i++)
        if (*keys[i])
            rc = add_names(c, text, starts[i], keys[i], strlen(keys[i]));
    if (!rc && n && strlen(keys[n - 1]) >= COMPLETE_MIN_WORD && !strchr(keys[n - 1], ' '))
        rc = add_words(db, c, text, starts[n - 1], keys[n - 1], strlen(keys[n - 1]));
    for (size_t i = 0; !rc && i < n; i++)
        if (strlen(keys[i]) >= COMPLETE_MIN_WORD)
            rc = add_communes(c, text, starts[i], keys[i], strlen(keys[i]));
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    if (rc) {
        oasis_completions_free(c);
        return rc;
    }
    *out = c;
    return 0;
}
