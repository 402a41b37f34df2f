#include "analysis/words.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/error.h"
#include "util/hash.h"

/* 1 when term was already in the set, 0 when it was added. */
static int seen_add(oa_words *w, const char *term)
{
    size_t mask = w->seen_cap - 1, j = oa_fnv1a_str(term) & mask;
    while (w->seen[j]) {
        if (strcmp(w->seen[j], term) == 0)
            return 1;
        j = (j + 1) & mask;
    }
    w->seen[j] = term;
    return 0;
}

static int push_word(oa_words *w, const char *s, size_t len)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        size_t *off = realloc(w->off, cap * sizeof *off);
        if (!off)
            return oa_error(OASIS_ENOMEM, "out of memory");
        w->off = off;
        w->cap = cap;
    }
    w->off[w->n] = w->text.len;
    int rc = oa_buf_append(&w->text, s, len);
    if (!rc)
        rc = oa_buf_putc(&w->text, '\0');
    if (!rc)
        w->n++;
    return rc;
}

static size_t chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int oa_words_collect(oa_analyzer *a, const char *title, const char *text, const oa_tokens *toks,
                     size_t n_title, oa_words *out)
{
    oa_buf_reset(&out->text);
    out->n = 0;
    size_t need = 16;
    while (need < toks->n * 2)
        need *= 2;
    if (need > out->seen_cap) {
        const char **s = realloc(out->seen, need * sizeof *s);
        if (!s)
            return oa_error(OASIS_ENOMEM, "out of memory");
        out->seen = s;
        out->seen_cap = need;
    }
    memset(out->seen, 0, out->seen_cap * sizeof *out->seen);
    oa_buf plain = OA_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < toks->n && !rc; i++) {
        const oa_token *t = &toks->v[i];
        if (t->alt || seen_add(out, t->term))
            continue;
        const char *src = i < n_title ? title : text;
        rc = oa_analyzer_plain(a, src + t->start, t->end - t->start, &plain);
        if (!rc && plain.len && chars(plain.data, plain.len) >= 3 &&
            !all_digits(plain.data, plain.len))
            rc = push_word(out, plain.data, plain.len);
    }
    oa_buf_free(&plain);
    return rc;
}

const char *oa_words_at(const oa_words *w, size_t i, size_t *len)
{
    if (i >= w->n)
        return NULL;
    const char *s = w->text.data + w->off[i];
    if (len)
        *len = strlen(s);
    return s;
}

void oa_words_free(oa_words *w)
{
    if (!w)
        return;
    oa_buf_free(&w->text);
    free(w->off);
    free(w->seen);
    memset(w, 0, sizeof *w);
}
