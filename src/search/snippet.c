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

/* The words of the tokens: an alternative term joins the word before. */
static size_t words_of(const oa_tokens *toks, word *w)
{
    size_t n = 0;
    for (size_t i = 0; i < toks->n; i++) {
        const oa_token *t = &toks->v[i];
        if (t->alt && n) {
            w[n - 1].alt = t->term;
            continue;
        }
        w[n++] = (word){t->pos, t->start, t->end, t->term, NULL};
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
static size_t window_start(const char *text, const oa_tokens *toks, size_t at, size_t lead,
                           size_t floor)
{
    size_t best = at;
    for (size_t i = 0; i < toks->n; i++) {
        size_t s = toks->v[i].start;
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
static size_t window_end(const oa_tokens *toks, size_t len, size_t start, size_t max,
                         size_t min_end)
{
    if (len - start <= max)
        return len;
    size_t end = min_end;
    for (size_t i = 0; i < toks->n; i++) {
        if (toks->v[i].start < start)
            continue;
        if (toks->v[i].end - start > max)
            break;
        if (toks->v[i].end > end)
            end = toks->v[i].end;
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
    memset(out, 0, sizeof *out);
    oa_tokens toks = OA_TOKENS_INIT;
    int rc = oa_analyze(a, text, len, 0, &toks);
    match *m = NULL;
    word *words = NULL;
    unsigned char *seen = NULL;
    size_t n = 0, n_terms = n_pat;
    window w[2];
    size_t nw = 0;
    if (!rc && toks.n && n_pat) {
        m = malloc(toks.n * sizeof *m);
        words = malloc(toks.n * sizeof *words);
        seen = malloc(n_pat);
        if (!m || !words || !seen)
            rc = oa_error(OASIS_ENOMEM, "out of memory");
        else
            n = find_matches(words, words_of(&toks, words), pat, n_pat, m);
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
        size_t s = window_start(text, &toks, m[best].start, max / 5, 0);
        w[nw++] = (window){s, window_end(&toks, len, s, max, m[last - 1].end)};
        /* A matched term left out: a second window around it. */
        distinct(m, best, last, n_terms, seen);
        for (size_t i = 0; i < n; i++) {
            if (seen[m[i].term] || (m[i].start >= w[0].start && m[i].end <= w[0].end))
                continue;
            size_t half = max / 2;
            size_t floor = m[i].start > w[0].end ? w[0].end : 0;
            size_t s2 = window_start(text, &toks, m[i].start, half / 4, floor);
            size_t e2 = window_end(&toks, len, s2, half, m[i].end);
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
    oa_tokens_free(&toks);
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
