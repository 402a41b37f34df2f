#include "output.h"

#include <stdlib.h>
#include <string.h>

#include "jsonout.h"

#define EXCERPT_BYTES 200
#define TEXT_FACET_VALUES 8

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define MARK "\033[1;31m"
#define RESET "\033[0m"
/* Highlights without colour. */
#define MARK_OPEN "**"
#define MARK_CLOSE "**"

/* Ends the object begun in b ("{" and its members) with the --batch line
 * when there is one, and writes it on a line of its own. */
static int put_json(FILE *f, const out_style *st, jo_buf *b)
{
    if (st->line > 0) {
        jo_raw(b, ",\"line\":");
        jo_int(b, st->line);
    }
    jo_raw(b, "}");
    size_t len;
    char *text = jo_buf_take(b, &len);
    int rc = text && fwrite(text, 1, len, f) == len && fputc('\n', f) != EOF ? 0 : -1;
    free(text);
    return rc;
}

/* Bytes on one line: line breaks and tabs as spaces. */
static void put_flat(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ? ' ' : s[i], f);
}

/* The beginning of text, cut at a space before max bytes, on one line. */
static void put_excerpt(FILE *f, const char *text, size_t max)
{
    size_t len = strlen(text);
    size_t cut = len;
    if (len > max) {
        cut = max;
        while (cut > 0 && text[cut] != ' ' && text[cut] != '\n')
            cut--;
        if (cut == 0) /* one long word: back off to a UTF-8 boundary */
            for (cut = max; cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80; cut--)
                ;
    }
    put_flat(f, text, cut);
    if (cut < len)
        fputs("…", f);
}

/* The snippet with its highlighted words in colour, or between markers. */
static void put_snippet(FILE *f, const out_style *st, const oasis_hit *h)
{
    size_t at = 0, len = strlen(h->snippet);
    for (size_t i = 0; i < h->n_highlights; i++) {
        const oasis_range *r = &h->highlights[i];
        if (r->start < at || r->end > len)
            continue;
        put_flat(f, h->snippet + at, r->start - at);
        fputs(st->color ? MARK : MARK_OPEN, f);
        put_flat(f, h->snippet + r->start, r->end - r->start);
        fputs(st->color ? RESET : MARK_CLOSE, f);
        at = r->end;
    }
    put_flat(f, h->snippet + at, len - at);
}

/* "logement (title, text) 2.31": one match, for people. */
static void put_match(FILE *f, const oasis_match *m)
{
    if (m->kind == OASIS_MATCH_PLACE) {
        fprintf(f, "%s (place) +%.2f", m->query, m->weight);
        return;
    }
    fputs(m->query, f);
    if (m->kind == OASIS_MATCH_PREFIX)
        fputc('*', f);
    if (m->of)
        fprintf(f, " (%s of %s)", m->kind == OASIS_MATCH_CATEGORY ? "category" : "synonym", m->of);
    if (m->in_title || m->in_text)
        fprintf(f, " (%s%s%s)", m->in_title ? "title" : "", m->in_title && m->in_text ? ", " : "",
                m->in_text ? "text" : "");
    fprintf(f, " %.2f", m->weight);
}

int out_hit(FILE *f, const out_style *st, const oasis_hit *h)
{
    if (st->json) {
        jo_buf b = JO_BUF_INIT;
        jo_raw(&b, "{\"type\":\"hit\",");
        jo_hit_members(&b, h, st->explain, NULL);
        return put_json(f, st, &b);
    }
    fprintf(f, "%2zu. ", h->rank);
    if (h->n_departements) {
        fputc('[', f);
        for (size_t i = 0; i < h->n_departements; i++)
            fprintf(f, "%s%s %s", i ? ", " : "", h->departements[i]->code,
                    h->departements[i]->name);
        fputs("] ", f);
    }
    fprintf(f, "%s%s%s\n", st->color ? BOLD : "", *h->title ? h->title : "(untitled)",
            st->color ? RESET : "");
    if (h->snippet && *h->snippet) {
        fputs("    ", f);
        put_snippet(f, st, h);
        fputc('\n', f);
    } else if (!h->snippet && *h->text) {
        fputs("    ", f);
        put_excerpt(f, h->text, EXCERPT_BYTES);
        fputc('\n', f);
    }
    fprintf(f, "    %s%s:%ld", st->color ? DIM : "", h->source_file, h->source_line);
    for (size_t i = 0; i < h->n_categories; i++)
        fprintf(f, "%s%s", i ? ", " : " · ", h->categories[i]->slug);
    fprintf(f, "%s\n", st->color ? RESET : "");
    if (st->explain) {
        fprintf(f, "    %smatched:%s ", st->color ? DIM : "", st->color ? RESET : "");
        for (size_t i = 0; i < h->n_matches; i++) {
            if (i)
                fputs(" · ", f);
            put_match(f, &h->matches[i]);
        }
        fprintf(f, "%s (score %.2f)\n", h->n_matches ? "" : "nothing", h->score);
    }
    fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

int out_header(FILE *f, const out_style *st, const char *query, const oasis_results *r)
{
    if (st->json || !oasis_results_corrected(r))
        return 0;
    fprintf(f, "Nothing matches '%s': showing the results for '%s'.\n\n", query,
            oasis_results_suggestion(r));
    return ferror(f) ? -1 : 0;
}

int out_error(FILE *f, const out_style *st, const char *message)
{
    jo_buf b = JO_BUF_INIT;
    jo_raw(&b, "{\"type\":\"error\",\"message\":");
    jo_string(&b, message);
    return put_json(f, st, &b);
}


static void put_facets_text(FILE *f, const out_style *st, const oasis_results *r)
{
    static const char *const title[] = {"départements", "régions", "catégories"};
    for (int k = OASIS_FACET_DEPARTEMENT; k <= OASIS_FACET_CATEGORY; k++) {
        size_t n = oasis_results_facet_count(r, (oasis_facet)k);
        if (!n)
            continue;
        fprintf(f, "%s%s:%s", st->color ? DIM : "", title[k], st->color ? RESET : "");
        for (size_t i = 0; i < n && i < TEXT_FACET_VALUES; i++) {
            const oasis_facet_value *v = oasis_results_facet_at(r, (oasis_facet)k, i);
            if (k == OASIS_FACET_CATEGORY)
                fprintf(f, "%s %s (%zu)", i ? " ·" : "", v->value, v->count);
            else
                fprintf(f, "%s %s %s (%zu)", i ? " ·" : "", v->value, v->label, v->count);
        }
        if (n > TEXT_FACET_VALUES)
            fprintf(f, " · +%zu more", n - TEXT_FACET_VALUES);
        fputc('\n', f);
    }
}



/* "places: Vesoul → 70 Haute-Saône (commune Vesoul) · PACA → région 93 …" and "synonyms:
 * logement → hébergement, appartement". */
static void put_query_text(FILE *f, const out_style *st, const oasis_results *r)
{
    size_t np = oasis_results_place_count(r), ns = oasis_results_synonym_count(r);
    if (np) {
        fprintf(f, "%splaces:%s", st->color ? DIM : "", st->color ? RESET : "");
        for (size_t i = 0, shown = 0; i < np; i++) {
            const oasis_place *p = oasis_results_place_at(r, i);
            const oasis_place *prev = i ? oasis_results_place_at(r, i - 1) : NULL;
            /* A région once, not each of its départements. */
            if (p->region && prev && prev->region == p->region && !strcmp(prev->word, p->word))
                continue;
            if (p->region)
                fprintf(f, "%s %s → région %s %s", shown++ ? " ·" : "", p->word, p->region->code,
                        p->region->name);
            else
                fprintf(f, "%s %s → %s %s", shown++ ? " ·" : "", p->word, p->departement->code,
                        p->departement->name);
            if (p->commune)
                fprintf(f, " (commune %s)", p->commune);
        }
        fputc('\n', f);
    }
    if (ns) {
        fprintf(f, "%ssynonyms:%s", st->color ? DIM : "", st->color ? RESET : "");
        const char *prev = NULL;
        for (size_t i = 0; i < ns; i++) {
            const oasis_synonym *y = oasis_results_synonym_at(r, i);
            if (prev && !strcmp(prev, y->word))
                fprintf(f, ", %s", y->synonym);
            else
                fprintf(f, "%s %s → %s", i ? " ·" : "", y->word, y->synonym);
            prev = y->word;
        }
        fputc('\n', f);
    }
}

int out_summary(FILE *f, const out_style *st, const char *query, const oasis_results *r)
{
    size_t total = oasis_results_total(r), count = oasis_results_hit_count(r);
    const char *suggestion = oasis_results_suggestion(r);
    if (st->json) {
        jo_buf b = JO_BUF_INIT;
        jo_raw(&b, "{\"type\":\"summary\",");
        jo_summary_members(&b, query, r, st->facets, st->explain);
        return put_json(f, st, &b);
    }
    if (count)
        fprintf(f, "%zu–%zu of %zu initiative%s\n", oasis_results_hit_at(r, 0)->rank,
                oasis_results_hit_at(r, count - 1)->rank, total, total == 1 ? "" : "s");
    else
        fprintf(f, "%zu initiative%s\n", total, total == 1 ? "" : "s");
    if (suggestion && !oasis_results_corrected(r))
        fprintf(f, "Did you mean: %s%s%s?\n", st->color ? BOLD : "", suggestion,
                st->color ? RESET : "");
    if (st->explain)
        put_query_text(f, st, r);
    if (st->facets)
        put_facets_text(f, st, r);
    return ferror(f) ? -1 : 0;
}
