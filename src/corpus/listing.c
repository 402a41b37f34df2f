/* The listing format: a web page saved as text. Items are introduced by
 * "[Département] Title. Teaser…", anywhere in a line and several per line;
 * many come back later as a heading line "[Département] Title" followed by
 * paragraphs. Text belongs to the item introduced last, up to the next
 * introduction. Before the first item the page has boilerplate (short lines
 * without sentence punctuation, dropped) and may have a lead article
 * without brackets. */
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "corpus/common.h"
#include "corpus/reader.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"

/* A boilerplate line has at most this many words. */
#define BOILERPLATE_WORDS 4

typedef struct item {
    long line;
    char *label_key; /* fold key of the label; NULL for the lead article */
    char *title;
    char *title_key;
    oa_buf text;
    oa_codes codes;
    int bad;         /* holds a bad line (corpus/encoding.h): dropped */
} item;

typedef struct span {
    const char *s;
    size_t n;
} span;

typedef struct listing {
    oa_reader *r;
    item *items;
    size_t n, cap;
    size_t cur;      /* the item text goes to, when n > 0 */
    span *lead;      /* paragraphs before the first item */
    size_t n_lead, lead_cap;
    long lead_line;
    int lead_bad;    /* a lead paragraph came from a bad line */
    int line_bad;    /* the line being read is a bad line */
} listing;

static void listing_free(listing *L)
{
    for (size_t i = 0; i < L->n; i++) {
        free(L->items[i].label_key);
        free(L->items[i].title);
        free(L->items[i].title_key);
        oa_buf_free(&L->items[i].text);
    }
    free(L->items);
    free(L->lead);
}

static int is_boilerplate(const char *s, size_t n)
{
    size_t words = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] && strchr(".?!:;", s[i]))
            return 0;
        if (i + 2 < n && !memcmp(s + i, "\xe2\x80\xa6", 3)) /* … */
            return 0;
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
            words++;
    }
    return words <= BOILERPLATE_WORDS;
}

/* Splits s[0..n) after its first sentence: a '.', '?' or '!' followed by
 * white space, or a final '.'. The title keeps '?' and '!' but not '.';
 * the rest is trimmed. */
static void split_sentence(const char *s, size_t n, span *first, span *rest)
{
    oa_corpus_trim(&s, &n);
    for (size_t i = 0; i + 1 < n; i++) {
        if ((s[i] == '.' || s[i] == '?' || s[i] == '!') && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
            first->s = s;
            first->n = s[i] == '.' ? i : i + 1;
            rest->s = s + i + 1;
            rest->n = n - i - 1;
            oa_corpus_trim(&first->s, &first->n);
            oa_corpus_trim(&rest->s, &rest->n);
            return;
        }
    }
    first->s = s;
    first->n = n && s[n - 1] == '.' ? n - 1 : n;
    oa_corpus_trim(&first->s, &first->n);
    rest->s = s + n;
    rest->n = 0;
}

static int append_paragraph(oa_buf *b, const char *s, size_t n)
{
    oa_corpus_trim(&s, &n);
    if (n == 0)
        return 0;
    if (b->len) {
        int rc = oa_buf_putc(b, '\n');
        if (rc)
            return rc;
    }
    return oa_buf_append(b, s, n);
}

static int push_item(listing *L, item **out)
{
    int rc = oa_grow(&L->items, &L->cap, L->n + 1, sizeof *L->items);
    if (rc)
        return rc;
    item *it = &L->items[L->n++];
    memset(it, 0, sizeof *it);
    *out = it;
    return 0;
}

static int set_title(item *it, const char *s, size_t n)
{
    it->title = oa_strndup(s, n);
    if (!it->title)
        return OASIS_ENOMEM;
    return oa_fold_key(s, n, &it->title_key);
}

/* P ends at a word boundary of Q and Q starts with it. */
static int is_prefix(span p, span q)
{
    return p.n > 0 && p.n < q.n && !memcmp(p.s, q.s, p.n) &&
           (q.s[p.n] == ' ' || q.s[p.n] == '\t');
}

/* The lead article: its title is a paragraph that repeats the start of
 * another (a heading shown next to its article), else the first sentence;
 * its départements are the ones its title, else its text, names. */
static int build_lead(listing *L)
{
    if (L->n_lead == 0)
        return 0;
    item *it = NULL;
    int rc = push_item(L, &it);
    if (rc)
        return rc;
    it->line = L->lead_line;
    it->bad = L->lead_bad;
    span *P = L->lead, title = {NULL, 0}, first = {NULL, 0};
    size_t skip = 0, body = 0; /* skip: the title's paragraph; body: the one it starts */
    for (size_t j = 1; j < L->n_lead && !title.s; j++) {
        if (is_prefix(P[j], P[0])) {
            title = P[j];
            skip = j;
            body = 0;
        } else if (j == 1 && is_prefix(P[0], P[1])) {
            title = P[0];
            skip = 0;
            body = 1;
        }
    }
    if (title.s) {
        first.s = P[body].s + title.n;
        first.n = P[body].n - title.n;
    } else {
        split_sentence(P[0].s, P[0].n, &title, &first);
        skip = body = 0;
    }
    rc = set_title(it, title.s, title.n);
    if (!rc)
        rc = append_paragraph(&it->text, first.s, first.n);
    for (size_t k = 0; k < L->n_lead && !rc; k++)
        if (k != skip && k != body)
            rc = append_paragraph(&it->text, P[k].s, P[k].n);
    if (rc)
        return rc;
    const oasis_departement *d[OA_CODES_MAX];
    size_t nd = oa_departement_scan(it->title, strlen(it->title), d, OA_CODES_MAX);
    if (nd == 0 && it->text.data)
        nd = oa_departement_scan(it->text.data, it->text.len, d, OA_CODES_MAX);
    if (nd == 0)
        oa_corpus_warn(L->r, it->line, "the lead article names no département");
    for (size_t i = 0; i < nd; i++)
        it->codes.v[it->codes.n++] = d[i]->code;
    L->cur = L->n - 1;
    return 0;
}

/* A paragraph outside any introduction: boilerplate, lead article, or
 * more text for the current item. */
static int add_paragraph(listing *L, const char *s, size_t n, long line)
{
    oa_corpus_trim(&s, &n);
    if (n == 0)
        return 0;
    if (L->n > 0) {
        L->items[L->cur].bad |= L->line_bad;
        return append_paragraph(&L->items[L->cur].text, s, n);
    }
    if (L->n_lead == 0 && is_boilerplate(s, n))
        return 0;
    L->lead_bad |= L->line_bad;
    int rc = oa_grow(&L->lead, &L->lead_cap, L->n_lead + 1, sizeof *L->lead);
    if (rc)
        return rc;
    if (L->n_lead == 0)
        L->lead_line = line;
    L->lead[L->n_lead++] = (span){s, n};
    return 0;
}

/* "[label] title. teaser" from s[open..end). */
static int add_item(listing *L, long line, const char *s, size_t open, size_t close, size_t end)
{
    int rc = 0;
    if (L->n == 0)
        rc = build_lead(L);
    item *it = NULL;
    if (!rc)
        rc = push_item(L, &it);
    if (rc)
        return rc;
    it->line = line;
    it->bad = L->line_bad;
    L->cur = L->n - 1;
    const char *label = s + open + 1;
    size_t ll = close - open - 1;
    oa_corpus_trim(&label, &ll);
    span title, teaser;
    split_sentence(s + close + 1, end - close - 1, &title, &teaser);
    rc = oa_fold_key(label, ll, &it->label_key);
    if (!rc)
        rc = set_title(it, title.s, title.n);
    if (!rc)
        rc = append_paragraph(&it->text, teaser.s, teaser.n);
    if (!rc)
        rc = oa_corpus_resolve(L->r, line, label, ll, &it->codes);
    return rc;
}

/* A line that holds only "[label] title" naming an item already met is
 * that item's heading: its text follows. Returns 1 when it is one. */
static int heading(listing *L, const char *s, size_t n, size_t close, int *rc)
{
    span title, rest;
    split_sentence(s + close + 1, n - close - 1, &title, &rest);
    if (rest.n)
        return 0;
    char *label_key = NULL, *title_key = NULL;
    *rc = oa_fold_key(s + 1, close - 1, &label_key);
    if (!*rc)
        *rc = oa_fold_key(title.s, title.n, &title_key);
    int found = 0;
    for (size_t i = L->n; !*rc && i-- > 0 && !found;) {
        item *it = &L->items[i];
        if (it->label_key && !strcmp(it->label_key, label_key) &&
            !strcmp(it->title_key, title_key)) {
            L->cur = i;
            it->bad |= L->line_bad;
            found = 1;
        }
    }
    free(label_key);
    free(title_key);
    return found;
}

static int read_line(listing *L, const char *s, size_t n, long no)
{
    oa_corpus_trim(&s, &n);
    size_t open, close, next_open, next_close;
    if (!oa_corpus_find_intro(s, n, 0, &open, &close))
        return add_paragraph(L, s, n, no);
    int rc = 0;
    if (open == 0 && !oa_corpus_find_intro(s, n, close + 1, &next_open, &next_close) &&
        heading(L, s, n, close, &rc))
        return 0;
    if (rc)
        return rc;
    rc = add_paragraph(L, s, open, no);
    while (!rc) {
        int more = oa_corpus_find_intro(s, n, close + 1, &next_open, &next_close);
        rc = add_item(L, no, s, open, close, more ? next_open : n);
        if (!more)
            break;
        open = next_open;
        close = next_close;
    }
    return rc;
}

int oa_read_listing(oa_reader *r, const char *buf, size_t len)
{
    oa_read_ctx none = {NULL, 0, NULL};
    return oa_read_listing_ctx(r, buf, len, &none);
}

int oa_read_listing_ctx(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx)
{
    int rc = oa_departements_init();
    if (!rc)
        rc = oa_corpus_check_utf8(buf, len);
    if (rc)
        return rc;
    oa_corpus_skip_bom(&buf, &len);

    listing L;
    memset(&L, 0, sizeof L);
    L.r = r;
    size_t pos = 0;
    long no = 0;
    const char *s;
    size_t n;
    while (!rc && oa_corpus_next_line(buf, len, &pos, &s, &n)) {
        oa_corpus_progress(ctx, pos);
        L.line_bad = oa_corpus_line_bad(ctx, ++no);
        rc = read_line(&L, s, n, no);
    }
    if (!rc && L.n == 0)
        rc = build_lead(&L);
    for (size_t i = 0; i < L.n && !rc; i++) {
        item *it = &L.items[i];
        if (it->bad) {
            r->skipped++; /* its bad line was reported when it was decoded */
            continue;
        }
        rc = oa_corpus_emit(r, NULL, it->title, it->text.data, &it->codes, NULL, 0, it->line);
    }
    listing_free(&L);
    return rc;
}
