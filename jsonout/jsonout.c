/* The JSON text of search results (see jsonout.h). */
#include "jsonout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(jo_buf *b, size_t n)
{
    if (b->failed || b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = 1;
        return;
    }
    b->data = d;
    b->cap = cap;
}

static void put(jo_buf *b, const char *s, size_t n)
{
    grow(b, n);
    if (b->failed)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

char *jo_buf_take(jo_buf *b, size_t *len)
{
    char *d = NULL;
    if (!b->failed) {
        grow(b, 0);
        if (!b->failed) {
            d = b->data;
            d[b->len] = '\0';
            if (len)
                *len = b->len;
            b->data = NULL;
        }
    }
    jo_buf_free(b);
    return d;
}

void jo_buf_free(jo_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void jo_raw(jo_buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* The length of the UTF-8 sequence at s (at most n bytes), or 0 when it
 * is not a valid one (overlong forms, surrogates and code points past
 * U+10FFFF are not). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

void jo_string(jo_buf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = strlen(str), run = 0;
    grow(b, n + 2);
    put(b, "\"", 1);
    for (size_t i = 0; i < n && !b->failed;) {
        unsigned c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            size_t k = c < 0x80 ? 1 : utf8_seq(s + i, n - i);
            if (!k) {
                b->failed = 1;
                return;
            }
            i += k;
            run += k;
            continue;
        }
        put(b, str + i - run, run);
        run = 0;
        char esc[8];
        switch (c) {
        case '"': put(b, "\\\"", 2); break;
        case '\\': put(b, "\\\\", 2); break;
        case '\b': put(b, "\\b", 2); break;
        case '\f': put(b, "\\f", 2); break;
        case '\n': put(b, "\\n", 2); break;
        case '\r': put(b, "\\r", 2); break;
        case '\t': put(b, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            put(b, esc, 6);
        }
        i++;
    }
    put(b, str + n - run, run);
    put(b, "\"", 1);
}

void jo_int(jo_buf *b, long long v)
{
    char s[32];
    int n = snprintf(s, sizeof s, "%lld", v);
    put(b, s, (size_t)n);
}

void jo_real(jo_buf *b, double v)
{
    if (!isfinite(v)) {
        b->failed = 1; /* not a JSON number */
        return;
    }
    char s[64];
    int n = snprintf(s, sizeof s, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof s - 3) {
        b->failed = 1;
        return;
    }
    char *comma = strchr(s, ','); /* a locale's decimal comma */
    if (comma)
        *comma = '.';
    if (!strchr(s, '.') && !strchr(s, 'e')) {
        memcpy(s + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(s, 'e');
    if (e) { /* "1e+20" → "1e20", "1e-05" → "1e-5", as jansson writes them */
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(s + n - end) + 1);
            n -= (int)(end - start);
        }
    }
    put(b, s, (size_t)n);
}

/* ,"key": (or "key": first in its object). */
static void key(jo_buf *b, const char *k, int first)
{
    if (!first)
        put(b, ",", 1);
    put(b, "\"", 1);
    jo_raw(b, k);
    put(b, "\":", 2);
}

static void str_member(jo_buf *b, const char *k, const char *v, int first)
{
    key(b, k, first);
    jo_string(b, v);
}

/* {"code":…,"name":…} for places of both kinds; after a comma when it is
 * not the first (i) of a list. */
static void code_name(jo_buf *b, size_t i, const char *code, const char *name)
{
    put(b, i ? ",{" : "{", i ? 2 : 1);
    str_member(b, "code", code, 1);
    str_member(b, "name", name, 0);
    put(b, "}", 1);
}

static const char *const match_kind[] = {"word", "phrase", "prefix", "synonym", "place",
                                         "category"};

static void explain_members(jo_buf *b, const oasis_hit *h)
{
    key(b, "explain", 0);
    put(b, "[", 1);
    for (size_t i = 0; i < h->n_matches; i++) {
        const oasis_match *m = &h->matches[i];
        put(b, i ? ",{" : "{", i ? 2 : 1);
        str_member(b, "query", m->query, 1);
        str_member(b, "kind", match_kind[m->kind], 0);
        key(b, "title", 0);
        jo_raw(b, m->in_title ? "true" : "false");
        key(b, "text", 0);
        jo_raw(b, m->in_text ? "true" : "false");
        key(b, "weight", 0);
        jo_real(b, m->weight);
        if (m->of)
            str_member(b, "of", m->of, 0);
        put(b, "}", 1);
    }
    put(b, "]", 1);
}

static void categories(jo_buf *b, const oasis_hit *h, const jo_reason *reasons)
{
    key(b, "categories", 0);
    put(b, "[", 1);
    for (size_t i = 0; i < h->n_categories; i++) {
        put(b, i ? ",{" : "{", i ? 2 : 1);
        str_member(b, "slug", h->categories[i]->slug, 1);
        str_member(b, "label", h->categories[i]->label, 0);
        if (reasons) {
            key(b, "rule", 0);
            if (reasons[i].rule)
                jo_string(b, reasons[i].rule);
            else
                jo_raw(b, "null");
            key(b, "rule_line", 0);
            jo_int(b, reasons[i].rule_line);
        }
        put(b, "}", 1);
    }
    put(b, "]", 1);
}

void jo_hit_members(jo_buf *b, const oasis_hit *h, int explain, const jo_reason *reasons)
{
    key(b, "rank", 1);
    jo_int(b, (long long)h->rank);
    str_member(b, "id", h->id, 0);
    key(b, "score", 0);
    jo_real(b, h->score);
    str_member(b, "title", h->title, 0);
    key(b, "departements", 0);
    put(b, "[", 1);
    for (size_t i = 0; i < h->n_departements; i++) {
        code_name(b, i, h->departements[i]->code, h->departements[i]->name);
    }
    put(b, "]", 1);
    key(b, "regions", 0);
    put(b, "[", 1);
    for (size_t i = 0; i < h->n_regions; i++) {
        code_name(b, i, h->regions[i]->code, h->regions[i]->name);
    }
    put(b, "]", 1);
    categories(b, h, reasons);
    str_member(b, "text", h->text, 0);
    char source[4096];
    snprintf(source, sizeof source, "%s:%ld", h->source_file, h->source_line);
    str_member(b, "source", source, 0);
    key(b, "all_words", 0);
    jo_raw(b, h->all_words ? "true" : "false");
    if (h->snippet) {
        str_member(b, "snippet", h->snippet, 0);
        key(b, "highlights", 0);
        put(b, "[", 1);
        for (size_t i = 0; i < h->n_highlights; i++) {
            put(b, i ? ",[" : "[", i ? 2 : 1);
            jo_int(b, (long long)h->highlights[i].start);
            put(b, ",", 1);
            jo_int(b, (long long)h->highlights[i].end);
            put(b, "]", 1);
        }
        put(b, "]", 1);
    }
    if (explain)
        explain_members(b, h);
}

static const char *const facet_key[] = {"departement", "region", "category"};

static void facets_object(jo_buf *b, const oasis_results *r)
{
    put(b, "{", 1);
    for (int f = OASIS_FACET_DEPARTEMENT; f <= OASIS_FACET_CATEGORY; f++) {
        int is_cat = f == OASIS_FACET_CATEGORY;
        key(b, facet_key[f], f == OASIS_FACET_DEPARTEMENT);
        put(b, "[", 1);
        for (size_t i = 0; i < oasis_results_facet_count(r, (oasis_facet)f); i++) {
            const oasis_facet_value *v = oasis_results_facet_at(r, (oasis_facet)f, i);
            put(b, i ? ",{" : "{", i ? 2 : 1);
            str_member(b, is_cat ? "slug" : "code", v->value, 1);
            str_member(b, is_cat ? "label" : "name", v->label, 0);
            key(b, "count", 0);
            jo_int(b, (long long)v->count);
            put(b, "}", 1);
        }
        put(b, "]", 1);
    }
    put(b, "}", 1);
}

static void places_and_synonyms(jo_buf *b, const oasis_results *r)
{
    key(b, "places", 0);
    put(b, "[", 1);
    for (size_t i = 0; i < oasis_results_place_count(r); i++) {
        const oasis_place *p = oasis_results_place_at(r, i);
        put(b, i ? ",{" : "{", i ? 2 : 1);
        str_member(b, "word", p->word, 1);
        str_member(b, "code", p->departement->code, 0);
        str_member(b, "name", p->departement->name, 0);
        if (p->commune)
            str_member(b, "commune", p->commune, 0);
        if (p->region) {
            key(b, "region", 0);
            code_name(b, 0, p->region->code, p->region->name);
        }
        put(b, "}", 1);
    }
    put(b, "]", 1);
    key(b, "synonyms", 0);
    put(b, "[", 1);
    for (size_t i = 0; i < oasis_results_synonym_count(r); i++) {
        const oasis_synonym *y = oasis_results_synonym_at(r, i);
        put(b, i ? ",{" : "{", i ? 2 : 1);
        str_member(b, "word", y->word, 1);
        str_member(b, "synonym", y->synonym, 0);
        put(b, "}", 1);
    }
    put(b, "]", 1);
}

void jo_summary_members(jo_buf *b, const char *query, const oasis_results *r, int facets,
                        int explain)
{
    const char *suggestion = oasis_results_suggestion(r), *notice = oasis_results_notice(r);
    str_member(b, "query", query ? query : "", 1);
    key(b, "total", 0);
    jo_int(b, (long long)oasis_results_total(r));
    if (suggestion) {
        str_member(b, "suggestion", suggestion, 0);
        key(b, "corrected", 0);
        jo_raw(b, oasis_results_corrected(r) ? "true" : "false");
    }
    if (notice)
        str_member(b, "notice", notice, 0);
    if (explain)
        places_and_synonyms(b, r);
    if (facets) {
        key(b, "facets", 0);
        facets_object(b, r);
    }
}

void jo_results(jo_buf *b, const char *query, const oasis_results *r, int facets, int explain)
{
    put(b, "{", 1);
    jo_summary_members(b, query, r, facets, explain);
    key(b, "hits", 0);
    put(b, "[", 1);
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        put(b, i ? ",{" : "{", i ? 2 : 1);
        jo_hit_members(b, oasis_results_hit_at(r, i), explain, NULL);
        put(b, "}", 1);
    }
    put(b, "]}", 2);
}
