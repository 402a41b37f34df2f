#include "search/snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"

#define ELLIPSIS "\xE2\x80\xA6"
#define GAP " " ELLIPSIS " "

/* A word or phrase of the text that matched: its bytes and which pattern. */
typedef struct match {
    size_t start, end;
    size_t term;
} match;

typedef struct window {
    size_t start, end;
} window;

/* A word of the text: its position, bytes, and its terms. */
typedef struct word {
    uint32_t pos;
    size_t start, end;
    const char *term, *alt;
} word;

/* ---- the words of a text, by chunk ----
 * A text is read as chunks: maximal runs of bytes other than ASCII white
 * space. White space is never part of a word nor joins two (analyzer.h),
 * and the analyzer reads each word by itself, so the words of a text are
 * those of its chunks in order, positions running on. Each distinct chunk
 * is analysed once and its words kept in the cache, by its bytes: most
 * chunks of a text ("la", "santé,", "(voir") were met before, and reading
 * them again costs a hash and a copy instead of folding and stemming. */

/* A word of a chunk: byte range within the chunk, terms (in the entry). */
typedef struct cword {
    uint32_t start, end;
    const char *term, *alt;
} cword;

typedef struct entry {
    uint64_t hash;
    size_t len;      /* chunk bytes */
    uint32_t n;      /* words */
    cword *w;        /* in the same allocation */
    const char *key; /* the chunk's bytes, in the same allocation */
} entry;

struct oa_snippet_cache {
    entry **slot; /* open addressing, cap a power of two */
    size_t cap, n;
    size_t bytes; /* allocated by the entries */
    oa_tokens toks;
};

/* Entries or bytes beyond which the cache starts again empty (checked
 * between texts, never while one is read). */
#define CACHE_MAX_ENTRIES (1u << 17)
#define CACHE_MAX_BYTES ((size_t)16 << 20)

int oa_snippet_cache_new(oa_snippet_cache **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : oa_error(OASIS_ENOMEM, "out of memory");
}

static void cache_clear(oa_snippet_cache *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->slot[i]);
    free(c->slot);
    c->slot = NULL;
    c->cap = c->n = c->bytes = 0;
}

void oa_snippet_cache_free(oa_snippet_cache *c)
{
    if (!c)
        return;
    cache_clear(c);
    oa_tokens_free(&c->toks);
    free(c);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static int cache_grow(oa_snippet_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 1024;
    entry **slot = calloc(cap, sizeof *slot);
    if (!slot)
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->cap; i++) {
        entry *e = c->slot[i];
        if (!e)
            continue;
        size_t j = (size_t)e->hash & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = e;
    }
    free(c->slot);
    c->slot = slot;
    c->cap = cap;
    return 0;
}

/* The entry of chunk[0..len) (valid UTF-8), analysed now if new. */
static int cache_get(oa_snippet_cache *c, oa_analyzer *a, const char *chunk, size_t len,
                     const entry **out)
{
    uint64_t h = hash_bytes(chunk, len);
    if ((c->n + 1) * 2 > c->cap) {
        int rc = cache_grow(c);
        if (rc)
            return rc;
    }
    size_t j = (size_t)h & (c->cap - 1);
    for (entry *e; (e = c->slot[j]) != NULL; j = (j + 1) & (c->cap - 1)) {
        if (e->hash == h && e->len == len && !memcmp(e->key, chunk, len)) {
            *out = e;
            return 0;
        }
    }
    oa_tokens_clear(&c->toks);
    int rc = oa_analyze(a, chunk, len, 0, &c->toks);
    if (rc)
        return rc;
    size_t n = 0, terms = 0;
    for (size_t i = 0; i < c->toks.n; i++) {
        n += !c->toks.v[i].alt;
        terms += c->toks.v[i].term_len + 1;
    }
    size_t size = sizeof(entry) + n * sizeof(cword) + len + terms;
    entry *e = malloc(size);
    if (!e)
        return oa_error(OASIS_ENOMEM, "out of memory");
    e->hash = h;
    e->len = len;
    e->n = 0;
    e->w = (cword *)(e + 1);
    char *p = (char *)(e->w + n);
    memcpy(p, chunk, len);
    e->key = p;
    p += len;
    for (size_t i = 0; i < c->toks.n; i++) {
        const oa_token *t = &c->toks.v[i];
        memcpy(p, t->term, t->term_len + 1);
        if (t->alt && e->n) {
            e->w[e->n - 1].alt = p;
        } else {
            /* Positions of a chunk are those of its words, from 0. */
            e->w[e->n++] = (cword){(uint32_t)t->start, (uint32_t)t->end, p, NULL};
        }
        p += t->term_len + 1;
    }
    c->slot[j] = e;
    c->n++;
    c->bytes += size;
    *out = e;
    return 0;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* The words of text[0..len) (valid UTF-8) into *out (caller frees), *nw
 * of them. */
static int read_words(oa_snippet_cache *c, oa_analyzer *a, const char *text, size_t len,
                      word **out, size_t *nw)
{
    size_t n = 0, cap = 0;
    word *w = NULL;
    uint32_t pos = 0;
    *out = NULL;
    *nw = 0;
    for (size_t i = 0; i < len;) {
        if (is_space(text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && !is_space(text[i]))
            i++;
        const entry *e = NULL;
        int rc = cache_get(c, a, text + start, i - start, &e);
        if (!rc && n + e->n > cap) {
            size_t ncap = cap ? cap * 2 : 256;
            while (ncap < n + e->n)
                ncap *= 2;
            word *v = realloc(w, ncap * sizeof *v);
            if (v) {
                w = v;
                cap = ncap;
            } else {
                rc = oa_error(OASIS_ENOMEM, "out of memory");
            }
        }
        if (rc) {
            free(w);
            return rc;
        }
        for (uint32_t k = 0; k < e->n; k++, pos++) {
            const cword *cw = &e->w[k];
            w[n++] = (word){pos, start + cw->start, start + cw->end, cw->term, cw->alt};
        }
    }
    *out = w;
    *nw = n;
    return 0;
}

static int eq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static int word_is(const word *w, const oa_pattern *p, size_t j)
{
    return eq(w->term, p->term[j]) || eq(w->term, p->alt[j]) || eq(w->alt, p->term[j]) ||
           eq(w->alt, p->alt[j]);
}

/* The matches of the patterns among the words, in text order, none
 * overlapping: at each word the longest pattern that matches from it. */
static size_t find_matches(const word *w, size_t nw, const oa_pattern *pat, size_t n_pat,
                           match *m)
{
    size_t n = 0;
    for (size_t i = 0; i < nw;) {
        size_t best = 0, which = 0;
        for (size_t k = 0; k < n_pat; k++) {
            const oa_pattern *p = &pat[k];
            if (p->n <= best || i + p->n > nw)
                continue;
            size_t j = 0;
            while (j < p->n && (j == 0 || w[i + j].pos == w[i].pos + j) && word_is(&w[i + j], p, j))
                j++;
            if (j == p->n) {
                best = p->n;
                which = k;
            }
        }
        if (best) {
            m[n++] = (match){w[i].start, w[i + best - 1].end, which};
            i += best;
        } else {
            i++;
        }
    }
    return n;
}

/* Distinct patterns among m[from..to), marked in seen. */
static size_t distinct(const match *m, size_t from, size_t to, size_t n_terms, unsigned char *seen)
{
    memset(seen, 0, n_terms);
    size_t d = 0;
    for (size_t i = from; i < to; i++) {
        d += !seen[m[i].term];
        seen[m[i].term] = 1;
    }
    return d;
}

/* The matches from first that fit in max bytes from m[first].start. */
static size_t fit(const match *m, size_t n, size_t first, size_t max)
{
    size_t last = first + 1;
    while (last < n && m[last].end - m[first].start <= max)
        last++;
    return last;
}

/* Where a window showing matches from m starts: up to lead bytes before it,
 * at a word's start, or at its sentence's start when that is nearer. */
static size_t window_start(const char *text, const word *w, size_t nw, size_t at, size_t lead,
                           size_t floor)
{
    size_t best = at;
    for (size_t i = 0; i < nw; i++) {
        size_t s = w[i].start;
        if (s >= at)
            break;
        if (s >= floor && at - s <= lead) {
            best = s;
            break;
        }
    }
    if (at <= lead && floor == 0)
        best = 0;
    /* A sentence starting between best and at: start there. */
    for (size_t i = at; i > best; i--) {
        char ch = text[i - 1];
        if (ch == '\n' || ((ch == '.' || ch == '!' || ch == '?') && i < at && text[i] == ' ')) {
            size_t s = i;
            while (s < at && (text[s] == ' ' || text[s] == '\n'))
                s++;
            return s;
        }
    }
    return best;
}

/* Where a window starting at start ends: at the end of the last word that
 * fits in max bytes (the end of the text when it fits). */
static size_t window_end(const word *w, size_t nw, size_t len, size_t start, size_t max,
                         size_t min_end)
{
    if (len - start <= max)
        return len;
    size_t end = min_end;
    for (size_t i = 0; i < nw; i++) {
        if (w[i].start < start)
            continue;
        if (w[i].end - start > max)
            break;
        if (w[i].end > end)
            end = w[i].end;
    }
    return end > start ? end : (start + max < len ? start + max : len);
}

/* The start of the text, cut at a space before max bytes. */
static window leading(const char *text, size_t len, size_t max)
{
    if (len <= max)
        return (window){0, len};
    size_t cut = max;
    while (cut > 0 && text[cut] != ' ' && text[cut] != '\n')
        cut--;
    if (cut == 0)
        for (cut = max; cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80; cut--)
            ;
    while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\n'))
        cut--;
    return (window){0, cut};
}

static int put_text(oa_buf *b, const char *s, size_t n)
{
    size_t at = b->len;
    int rc = oa_buf_append(b, s, n);
    for (size_t i = at; !rc && i < b->len; i++)
        if (b->data[i] == '\n' || b->data[i] == '\t' || b->data[i] == '\r')
            b->data[i] = ' ';
    return rc;
}

int oa_snippet_make(oa_analyzer *a, const char *text, size_t len, const oa_pattern *pat,
                    size_t n_pat, size_t max, oa_snippet *out)
{
    return oa_snippet_make_cached(NULL, a, text, len, pat, n_pat, max, out);
}

int oa_snippet_make_cached(oa_snippet_cache *cache, oa_analyzer *a, const char *text, size_t len,
                           const oa_pattern *pat, size_t n_pat, size_t max, oa_snippet *out)
{
    memset(out, 0, sizeof *out);
    size_t bad;
    if (!oa_utf8_valid(text, len, &bad))
        return oa_error(OASIS_EFORMAT, "invalid utf-8 at byte %zu", bad);
    oa_snippet_cache *own = NULL;
    int rc = 0;
    if (!cache)
        rc = oa_snippet_cache_new(&own);
    else if (cache->n > CACHE_MAX_ENTRIES || cache->bytes > CACHE_MAX_BYTES)
        cache_clear(cache);
    if (own)
        cache = own;
    match *m = NULL;
    word *words = NULL;
    unsigned char *seen = NULL;
    size_t n = 0, n_terms = n_pat, n_words = 0;
    window w[2];
    size_t nw = 0;
    if (!rc && len && n_pat)
        rc = read_words(cache, a, text, len, &words, &n_words);
    if (!rc && n_words) {
        m = malloc(n_words * sizeof *m);
        seen = malloc(n_pat);
        if (!m || !seen)
            rc = oa_error(OASIS_ENOMEM, "out of memory");
        else
            n = find_matches(words, n_words, pat, n_pat, m);
    }
    if (!rc && (n == 0 || len <= max)) {
        w[nw++] = leading(text, len, max);
    } else if (!rc) {
        /* The best window: most distinct terms, then most matches. */
        size_t best = 0, best_d = 0, best_c = 0;
        for (size_t i = 0; i < n; i++) {
            size_t last = fit(m, n, i, max - max / 5);
            size_t d = distinct(m, i, last, n_terms, seen);
            if (d > best_d || (d == best_d && last - i > best_c)) {
                best = i;
                best_d = d;
                best_c = last - i;
            }
        }
        size_t last = best + best_c;
        size_t s = window_start(text, words, n_words, m[best].start, max / 5, 0);
        w[nw++] = (window){s, window_end(words, n_words, len, s, max, m[last - 1].end)};
        /* A matched term left out: a second window around it. */
        distinct(m, best, last, n_terms, seen);
        for (size_t i = 0; i < n; i++) {
            if (seen[m[i].term] || (m[i].start >= w[0].start && m[i].end <= w[0].end))
                continue;
            size_t half = max / 2;
            size_t floor = m[i].start > w[0].end ? w[0].end : 0;
            size_t s2 = window_start(text, words, n_words, m[i].start, half / 4, floor);
            size_t e2 = window_end(words, n_words, len, s2, half, m[i].end);
            if (s2 < w[0].start && e2 > w[0].start)
                e2 = m[i].end <= w[0].start ? m[i].end : w[0].start;
            if (e2 > s2 && (e2 <= w[0].start || s2 >= w[0].end))
                w[nw++] = (window){s2, e2};
            break;
        }
        if (nw == 2 && w[1].start < w[0].start) {
            window t = w[0];
            w[0] = w[1];
            w[1] = t;
        }
    }
    oa_buf b = OA_BUF_INIT;
    size_t cap_hl = n ? n : 1;
    if (!rc && !(out->hl = malloc(cap_hl * sizeof *out->hl)))
        rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t k = 0; k < nw && !rc; k++) {
        if (k == 0 && w[k].start > 0)
            rc = oa_buf_puts(&b, ELLIPSIS);
        else if (k > 0)
            rc = oa_buf_puts(&b, w[k].start == w[k - 1].end ? "" : GAP);
        size_t base = b.len;
        if (!rc)
            rc = put_text(&b, text + w[k].start, w[k].end - w[k].start);
        for (size_t i = 0; i < n && !rc; i++)
            if (m[i].start >= w[k].start && m[i].end <= w[k].end)
                out->hl[out->n_hl++] =
                    (oasis_range){base + m[i].start - w[k].start, base + m[i].end - w[k].start};
    }
    if (!rc && nw && w[nw - 1].end < len)
        rc = oa_buf_puts(&b, ELLIPSIS);
    if (!rc && !b.data)
        rc = oa_buf_append(&b, "", 0);
    free(m);
    free(words);
    free(seen);
    oa_snippet_cache_free(own);
    if (rc) {
        oa_buf_free(&b);
        oa_snippet_free(out);
        return rc;
    }
    out->len = b.len;
    out->text = oa_buf_detach(&b);
    return 0;
}

void oa_snippet_free(oa_snippet *s)
{
    if (!s)
        return;
    free(s->text);
    free(s->hl);
    memset(s, 0, sizeof *s);
}
