#include "analysis/words.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/error.h"
#include "util/map.h"
#include "util/vec.h"

static int push_word(oa_words *w, const char *s, size_t len)
{
    size_t at = w->text.len;
    int rc = oa_buf_append(&w->text, s, len);
    if (!rc)
        rc = oa_buf_putc(&w->text, '\0');
    if (!rc)
        rc = OA_VEC_PUSH(&w->off, at);
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
    out->off.n = 0;
    oa_map_clear(&out->seen);
    oa_buf plain = OA_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < toks->n && !rc; i++) {
        const oa_token *t = &toks->v[i];
        size_t idx;
        int added;
        if (t->alt || t->compound)
            continue;
        if ((rc = oa_map_add(&out->seen, t->term, t->term_len, &idx, &added)) || !added)
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
    if (i >= w->off.n)
        return NULL;
    const char *s = w->text.data + w->off.v[i];
    if (len)
        *len = strlen(s);
    return s;
}

void oa_words_free(oa_words *w)
{
    if (!w)
        return;
    oa_buf_free(&w->text);
    free(w->off.v);
    oa_map_free(&w->seen);
    memset(w, 0, sizeof *w);
}
