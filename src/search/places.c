#include "search/places.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/stopwords.h"
#include "taxonomy/communes.h"
#include "taxonomy/departements.h"
#include "util/buf.h"

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
