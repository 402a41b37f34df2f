#include "search/snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/map.h"
#include "util/vec.h"

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
    uint32_t n;      /* words */
    cword *w;        /* in the same allocation */
} entry;

struct oa_snippet_cache {
    oa_map chunks;   /* the chunks met */
    entry **v;       /* by index in chunks */
    size_t cap;
    size_t bytes;    /* allocated by the entries and the keys */
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
    for (size_t i = 0; i < c->chunks.n; i++)
        free(c->v[i]);
    oa_map_clear(&c->chunks);
    c->bytes = 0;
}

void oa_snippet_cache_free(oa_snippet_cache *c)
{
    if (!c)
        return;
    cache_clear(c);
    oa_map_free(&c->chunks);
    free(c->v);
    oa_tokens_free(&c->toks);
    free(c);
}

/* The entry of chunk[0..len) (valid UTF-8), analysed now if new. */
static int cache_get(oa_snippet_cache *c, oa_analyzer *a, const char *chunk, size_t len,
                     const entry **out)
{
    long found = oa_map_find(&c->chunks, chunk, len);
    if (found >= 0) {
        *out = c->v[found];
        return 0;
    }
    oa_tokens_clear(&c->toks);
    int rc = oa_analyze(a, chunk, len, 0, &c->toks);
    if (rc)
        return rc;
    size_t n = 0, terms = 0;
    for (size_t i = 0; i < c->toks.n; i++) {
        n += !c->toks.v[i].alt && !c->toks.v[i].compound;
        terms += c->toks.v[i].term_len + 1;
    }
    size_t size = sizeof(entry) + n * sizeof(cword) + terms, i;
    entry *e = malloc(size);
    if (!e)
        return oa_error(OASIS_ENOMEM, "out of memory");
    if ((rc = oa_grow(&c->v, &c->cap, c->chunks.n + 1, sizeof *c->v)) ||
        (rc = oa_map_add(&c->chunks, chunk, len, &i, NULL))) {
        free(e);
        return rc;
    }
    e->n = 0;
    e->w = (cword *)(e + 1);
    char *p = (char *)(e->w + n);
    for (size_t k = 0; k < c->toks.n; k++) {
        const oa_token *t = &c->toks.v[k];
        if (t->compound)
            continue; /* words, not the compounds they make */
        memcpy(p, t->term, t->term_len + 1);
        if (t->alt && e->n) {
            e->w[e->n - 1].alt = p;
        } else {
            /* Positions of a chunk are those of its words, from 0. */
            e->w[e->n++] = (cword){(uint32_t)t->start, (uint32_t)t->end, p, NULL};
        }
        p += t->term_len + 1;
    }
    c->v[i] = e;
    c->bytes += size + len + 1;
    *out = e;
    return 0;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* ---- which chunks can hold a match ----
 * A chunk can hold a word matching a term only when some word of it
 * starts with the term's first two letters: the analyzer folds case,
 * strips elisions and accents, and Snowball French changes letters only
 * in its regions, which never take in a word's first two letters. So the
 * chunks are screened on the two first letters of their words, read with
 * a cheap fold (ASCII case; the Latin-1 letters and œ to their base
 * letters): only those that pass are analysed. Anything the cheap fold
 * does not know (another script, a combining mark) lets the chunk pass.
 * tests/unit/search/test_snippet_prefilter.c checks this against the analyzer. */

/* Letters a-z and digits 0-9 as 0..35: a pair of them indexes the filter. */
#define N_SYM 36

typedef struct filter {
    int on;      /* 0: every chunk is analysed */
    int phrases; /* some pattern has more than one word */
    uint64_t pair[(N_SYM * N_SYM + 63) / 64];
} filter;

static int sym(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '0' && c <= '9')
        return 26 + (c - '0');
    return -1;
}

/* The filter of the patterns: off when a term is shorter than two bytes
 * or has a byte other than a-z 0-9 (the cheap fold could not meet it). */
static void filter_init(filter *f, const oa_pattern *pat, size_t n_pat, int on)
{
    memset(f, 0, sizeof *f);
    f->on = on;
    for (size_t k = 0; k < n_pat; k++) {
        f->phrases |= pat[k].n > 1;
        for (size_t j = 0; j < pat[k].n; j++) {
            for (int alt = 0; alt < 2; alt++) {
                const char *t = alt ? pat[k].alt[j] : pat[k].term[j];
                if (!t)
                    continue;
                int ok = t[0] && t[1];
                for (const char *c = t; ok && *c; c++)
                    ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9');
                if (!ok) {
                    f->on = 0;
                    continue;
                }
                unsigned p = (unsigned)(sym((unsigned char)t[0]) * N_SYM + sym((unsigned char)t[1]));
                f->pair[p / 64] |= (uint64_t)1 << (p % 64);
            }
        }
    }
}

/* What a character is to the screen. */
enum { CH_SEP, CH_JOIN, CH_LETTER, CH_UNKNOWN };

/* The base letters of U+00C0..U+00FF once folded and stripped of accents;
 * "" for × and ÷ (separators), "?" for letters that keep no ASCII form. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "?", "n", "o", "o", "o", "o", "o", "",  "?", "u", "u", "u", "u", "y", "?", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "?", "n", "o", "o", "o", "o", "o", "",  "?", "u", "u", "u", "u", "y", "?", "y",
};

static const char sym_letter[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* The character at s[0..n) (valid UTF-8, n > 0): its class and its length
 * in *len; for a letter, its folded letters in l[0..*nl) (one or two).
 * CH_JOIN: an apostrophe or a soft hyphen, inside a word when a letter
 * follows. CH_SEP only for characters the analyzer surely splits at. */
static int screen_char(const unsigned char *s, size_t n, size_t *len, char l[2], int *nl)
{
    unsigned char c = s[0];
    *len = 1;
    *nl = 1;
    if (c < 0x80) {
        int k = sym(c);
        if (k >= 0) {
            l[0] = sym_letter[k];
            return CH_LETTER;
        }
        return c == '\'' ? CH_JOIN : CH_SEP;
    }
    *len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (*len > n)
        return CH_UNKNOWN;
    unsigned char d = s[1];
    if (c == 0xC3) {
        const char *f = latin1[(d - 0x80) & 63];
        if (f[0] == '?')
            return CH_UNKNOWN;
        if (!f[0])
            return CH_SEP;
        l[0] = f[0];
        l[1] = f[1];
        *nl = f[1] ? 2 : 1;
        return CH_LETTER;
    }
    if (c == 0xC5 && (d == 0x92 || d == 0x93)) { /* Œ œ */
        l[0] = 'o';
        l[1] = 'e';
        *nl = 2;
        return CH_LETTER;
    }
    if (c == 0xC2) {
        if (d == 0xAD) /* soft hyphen */
            return CH_JOIN;
        /* no-break space « » ° § · */
        if (d == 0xA0 || d == 0xAB || d == 0xBB || d == 0xB0 || d == 0xA7 || d == 0xB7)
            return CH_SEP;
        return CH_UNKNOWN;
    }
    if (c == 0xCA && d == 0xBC) /* ʼ */
        return CH_JOIN;
    if (c == 0xE2 && d == 0x80) {
        unsigned char e = s[2];
        if (e == 0x98 || e == 0x99 || e == 0xB2) /* ‘ ’ ′ */
            return CH_JOIN;
        /* spaces, dashes, quotes, bullet, ellipsis, narrow no-break space */
        if (e <= 0x8A || (e >= 0x90 && e <= 0x95) || (e >= 0x9C && e <= 0x9F) || e == 0xA2 ||
            e == 0xA6 || e == 0xAF)
            return CH_SEP;
        return CH_UNKNOWN;
    }
    if (c == 0xE2 && d == 0x82 && s[2] == 0xAC) /* € */
        return CH_SEP;
    return CH_UNKNOWN;
}

static int pair_set(const filter *f, char a, char b)
{
    unsigned p = (unsigned)(sym((unsigned char)a) * N_SYM + sym((unsigned char)b));
    return (int)((f->pair[p / 64] >> (p % 64)) & 1);
}

/* 1 when the word whose first character, of len bytes and folded to
 * l[0..nl), starts s[0..n) may have a term the filter holds. A joining
 * character between two letters is read through, as the analyzer does
 * (p'tit → ptit; an elision's word starts after it and is screened too). */
static int word_may_match(const filter *f, const unsigned char *s, size_t n, size_t len,
                          const char l[2], int nl)
{
    if (nl == 2)
        return pair_set(f, l[0], l[1]);
    size_t i = len, len2;
    char l2[2];
    int nl2;
    if (i >= n)
        return 0; /* a word of one letter: no term of two */
    int k = screen_char(s + i, n - i, &len2, l2, &nl2);
    if (k == CH_JOIN) {
        i += len2;
        if (i >= n)
            return 0;
        k = screen_char(s + i, n - i, &len2, l2, &nl2);
        if (k == CH_JOIN || k == CH_SEP)
            return 0;
    }
    if (k == CH_UNKNOWN)
        return 1;
    if (k == CH_SEP)
        return 0;
    return pair_set(f, l[0], l2[0]);
}

/* Byte classes for the scan: white space, ASCII letter or digit, other
 * ASCII, and bytes of multibyte characters. */
enum { B_SPACE, B_ALNUM, B_OTHER, B_HIGH };

/* B_* of each byte (is_space() for B_SPACE). */
static const unsigned char byte_class[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2,
    2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
    2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

/* sym() of each ASCII letter or digit, 0 for other bytes. */
static const unsigned char byte_sym[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 0, 0, 0, 0, 0, 0,
    0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 0, 0, 0, 0, 0,
    0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The chunk starting at text[*at] (not white space): moves *at to its end
 * and returns 1 when it may hold a word matching a term of the filter.
 * Every character following a non-letter is screened as a word's start
 * (more starts than the analyzer sees, never fewer); a character the
 * screen does not know at a word's start lets the chunk pass. */
static int scan_chunk(const filter *f, const char *text, size_t len, size_t *at)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *at;
    int in_word = 0;
    while (i < len) {
        unsigned k = byte_class[s[i]];
        if (k == B_ALNUM) {
            if (!in_word) {
                int hit;
                unsigned char c2 = i + 1 < len ? s[i + 1] : ' ';
                if (byte_class[c2] == B_ALNUM) {
                    unsigned p = byte_sym[s[i]] * N_SYM + byte_sym[c2];
                    hit = (int)((f->pair[p / 64] >> (p % 64)) & 1);
                } else {
                    char l[2] = {sym_letter[byte_sym[s[i]]], 0};
                    hit = word_may_match(f, s + i, len - i, 1, l, 1);
                }
                if (hit)
                    goto pass;
                in_word = 1;
            }
            i++;
            while (i < len && byte_class[s[i]] == B_ALNUM)
                i++;
        } else if (k == B_SPACE) {
            break;
        } else if (k == B_OTHER) {
            in_word = 0;
            i++;
        } else {
            size_t n;
            char l[2];
            int nl;
            int ch = screen_char(s + i, len - i, &n, l, &nl);
            if (ch == CH_LETTER) {
                if (!in_word && word_may_match(f, s + i, len - i, n, l, nl))
                    goto pass;
                in_word = 1;
            } else if (ch == CH_UNKNOWN) {
                if (!in_word)
                    goto pass;
                in_word = 0; /* perhaps a separator: what follows may start a word */
            } else {
                in_word = 0;
            }
            i += n;
        }
    }
    *at = i;
    return 0;
pass:
    while (i < len && byte_class[s[i]] != B_SPACE)
        i++;
    *at = i;
    return 1;
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

/* 1 when w may be followed by the next word of a phrase: it matches a
 * word of some phrase pattern other than its last. */
static int phrase_open(const word *w, const oa_pattern *pat, size_t n_pat)
{
    for (size_t k = 0; k < n_pat; k++)
        for (size_t j = 0; j + 1 < pat[k].n; j++)
            if (word_is(w, &pat[k], j))
                return 1;
    return 0;
}

/* The words of text[0..len) (valid UTF-8) into *out (caller frees), *nw
 * of them: those of the chunks the filter lets pass (all with the filter
 * off). Words of chunks left out match no pattern, so the matches found
 * among these words are those that all the words would give, provided
 * phrases see the same adjacency: after a word that a phrase may go on
 * from, the next chunk is read whatever the filter says (a chunk of stop
 * words or punctuation alone, "de" or "—", takes no position; any other
 * breaks the phrase). A chunk left out comes only after a word no phrase
 * goes on from; it moves the position on by one all the same. */
static int read_words(oa_snippet_cache *c, oa_analyzer *a, const char *text, size_t len,
                      const filter *f, const oa_pattern *pat, size_t n_pat, word **out,
                      size_t *nw)
{
    size_t n = 0, cap = 0;
    word *w = NULL;
    uint32_t pos = 0;
    int open = 0;
    *out = NULL;
    *nw = 0;
    for (size_t i = 0; i < len;) {
        if (byte_class[(unsigned char)text[i]] == B_SPACE) {
            i++;
            continue;
        }
        size_t start = i;
        if (f->on && !(f->phrases && open)) {
            if (!scan_chunk(f, text, len, &i)) {
                pos++;
                continue;
            }
        } else {
            while (i < len && byte_class[(unsigned char)text[i]] != B_SPACE)
                i++;
        }
        const entry *e = NULL;
        int rc = cache_get(c, a, text + start, i - start, &e);
        /* Room for a text of a few hundred words from the start. */
        if (!rc)
            rc = oa_grow(&w, &cap, n + e->n < 256 ? 256 : n + e->n, sizeof *w);
        if (rc) {
            free(w);
            return rc;
        }
        for (uint32_t k = 0; k < e->n; k++, pos++) {
            const cword *cw = &e->w[k];
            w[n++] = (word){pos, start + cw->start, start + cw->end, cw->term, cw->alt};
        }
        if (e->n && f->phrases)
            open = phrase_open(&w[n - 1], pat, n_pat);
    }
    *out = w;
    *nw = n;
    return 0;
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

/* Windows are cut between chunks (at white space), never by the words
 * read: these are all the text's words or only some (read_words()), and
 * the snippet must not depend on which. */
static int chunk_starts(const char *text, size_t i)
{
    return !is_space(text[i]) && (i == 0 || is_space(text[i - 1]));
}

/* 1 when text[from..to) holds a letter or digit (any non-ASCII byte
 * counts): a window neither starts nor ends on a chunk of punctuation. */
static int has_word(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x80 || sym(c) >= 0)
            return 1;
    }
    return 0;
}

/* Where a window showing matches from m starts: up to lead bytes before it,
 * at a chunk's start, or at its sentence's start when that is nearer. */
static size_t window_start(const char *text, size_t at, size_t lead, size_t floor)
{
    size_t best = at;
    size_t from = at > lead ? at - lead : 0;
    if (from < floor)
        from = floor;
    for (size_t i = from; i < at; i++) {
        if (chunk_starts(text, i)) {
            size_t e = i;
            while (e < at && !is_space(text[e]))
                e++;
            if (e == at || has_word(text, i, e)) {
                best = i;
                break;
            }
            i = e;
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

/* Where a window starting at start ends: at the end of the last chunk (or
 * piece of chunk from start) that fits in max bytes, or at min_end when
 * further (the end of the text when it fits). */
static size_t window_end(const char *text, size_t len, size_t start, size_t max, size_t min_end)
{
    if (len - start <= max)
        return len;
    size_t end = min_end;
    for (size_t i = start + max; i > end; i--) {
        if (!is_space(text[i - 1]) && is_space(text[i])) {
            size_t s = i - 1;
            while (s > start && !is_space(text[s - 1]))
                s--;
            if (has_word(text, s, i)) {
                end = i;
                break;
            }
            i = s + 1;
        }
    }
    return end > start ? end : start + max;
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

/* The windows around the matches m[0..n) of n_terms patterns (seen:
 * room for n_terms flags) in text[0..len), at most two: the window of
 * about max bytes with the most distinct terms (then the most matches),
 * and when it leaves out a matched term, a second, shorter one around the
 * first such match. In text order; returns how many. */
static size_t match_windows(const char *text, size_t len, const match *m, size_t n,
                            size_t n_terms, size_t max, unsigned char *seen, window w[2])
{
    size_t nw = 0;
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
    size_t s = window_start(text, m[best].start, max / 5, 0);
    w[nw++] = (window){s, window_end(text, len, s, max, m[last - 1].end)};
    /* A matched term left out: a second window around it. */
    distinct(m, best, last, n_terms, seen);
    for (size_t i = 0; i < n; i++) {
        if (seen[m[i].term] || (m[i].start >= w[0].start && m[i].end <= w[0].end))
            continue;
        size_t half = max / 2;
        size_t floor = m[i].start > w[0].end ? w[0].end : 0;
        size_t s2 = window_start(text, m[i].start, half / 4, floor);
        size_t e2 = window_end(text, len, s2, half, m[i].end);
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
    return nw;
}

/* The snippet's text into b: the windows w[0..nw) of text[0..len), "…"
 * where they cut it and between them; out->hl gets the matches m[0..n)
 * they hold, as ranges of b. */
static int write_windows(const char *text, size_t len, const window *w, size_t nw,
                         const match *m, size_t n, oa_buf *b, oa_snippet *out)
{
    size_t cap_hl = n ? n : 1;
    if (!(out->hl = malloc(cap_hl * sizeof *out->hl)))
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t k = 0; k < nw && !rc; k++) {
        if (k == 0 && w[k].start > 0)
            rc = oa_buf_puts(b, ELLIPSIS);
        else if (k > 0)
            rc = oa_buf_puts(b, w[k].start == w[k - 1].end ? "" : GAP);
        size_t base = b->len;
        if (!rc)
            rc = put_text(b, text + w[k].start, w[k].end - w[k].start);
        for (size_t i = 0; i < n && !rc; i++)
            if (m[i].start >= w[k].start && m[i].end <= w[k].end)
                out->hl[out->n_hl++] =
                    (oasis_range){base + m[i].start - w[k].start, base + m[i].end - w[k].start};
    }
    if (!rc && nw && w[nw - 1].end < len)
        rc = oa_buf_puts(b, ELLIPSIS);
    if (!rc && !b->data)
        rc = oa_buf_append(b, "", 0);
    return rc;
}

static int make(oa_snippet_cache *cache, oa_analyzer *a, const char *text, size_t len,
                const oa_pattern *pat, size_t n_pat, size_t max, int screen, oa_snippet *out);

int oa_snippet_make(oa_analyzer *a, const char *text, size_t len, const oa_pattern *pat,
                    size_t n_pat, size_t max, oa_snippet *out)
{
    return make(NULL, a, text, len, pat, n_pat, max, 0, out);
}

int oa_snippet_make_cached(oa_snippet_cache *cache, oa_analyzer *a, const char *text, size_t len,
                           const oa_pattern *pat, size_t n_pat, size_t max, oa_snippet *out)
{
    return make(cache, a, text, len, pat, n_pat, max, 1, out);
}

static int make(oa_snippet_cache *cache, oa_analyzer *a, const char *text, size_t len,
                const oa_pattern *pat, size_t n_pat, size_t max, int screen, oa_snippet *out)
{
    memset(out, 0, sizeof *out);
    size_t bad;
    if (!oa_utf8_valid(text, len, &bad))
        return oa_error(OASIS_EFORMAT, "invalid utf-8 at byte %zu", bad);
    oa_snippet_cache *own = NULL;
    int rc = 0;
    if (!cache)
        rc = oa_snippet_cache_new(&own);
    else if (cache->chunks.n > CACHE_MAX_ENTRIES || cache->bytes > CACHE_MAX_BYTES)
        cache_clear(cache);
    if (own)
        cache = own;
    match *m = NULL;
    word *words = NULL;
    unsigned char *seen = NULL;
    size_t n = 0, n_words = 0;
    window w[2];
    size_t nw = 0;
    if (!rc && len && n_pat) {
        filter f;
        filter_init(&f, pat, n_pat, screen);
        rc = read_words(cache, a, text, len, &f, pat, n_pat, &words, &n_words);
    }
    if (!rc && n_words) {
        m = malloc(n_words * sizeof *m);
        seen = malloc(n_pat);
        if (!m || !seen)
            rc = oa_error(OASIS_ENOMEM, "out of memory");
        else
            n = find_matches(words, n_words, pat, n_pat, m);
    }
    if (!rc && (n == 0 || len <= max))
        w[nw++] = leading(text, len, max);
    else if (!rc)
        nw = match_windows(text, len, m, n, n_pat, max, seen, w);
    oa_buf b = OA_BUF_INIT;
    if (!rc)
        rc = write_windows(text, len, w, nw, m, n, &b, out);
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
