#include "output.h"

#include <jansson.h>
#include <string.h>

#define EXCERPT_BYTES 200
#define TEXT_FACET_VALUES 8

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define MARK "\033[1;31m"
#define RESET "\033[0m"
/* Highlights without colour. */
#define MARK_OPEN "**"
#define MARK_CLOSE "**"

static int put_json(FILE *f, const out_style *st, json_t *o)
{
    if (!o)
        return -1;
    if (st->line > 0)
        json_object_set_new(o, "line", json_integer(st->line));
    int rc = json_dumpf(o, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF ? 0 : -1;
    json_decref(o);
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

static const char *const match_kind[] = {"word", "phrase", "prefix", "synonym", "place",
                                         "category"};

static json_t *explain_json(const oasis_hit *h)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < h->n_matches; i++) {
        const oasis_match *m = &h->matches[i];
        json_t *o = json_pack("{s:s,s:s,s:b,s:b,s:f}", "query", m->query, "kind",
                              match_kind[m->kind], "title", m->in_title, "text", m->in_text,
                              "weight", m->weight);
        if (o && m->of)
            json_object_set_new(o, "of", json_string(m->of));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *hit_json(const out_style *st, const oasis_hit *h)
{
    json_t *depts = json_array(), *regions = json_array(), *cats = json_array();
    for (size_t i = 0; depts && i < h->n_departements; i++)
        json_array_append_new(depts, json_pack("{s:s,s:s}", "code", h->departements[i]->code,
                                               "name", h->departements[i]->name));
    for (size_t i = 0; regions && i < h->n_regions; i++)
        json_array_append_new(regions, json_pack("{s:s,s:s}", "code", h->regions[i]->code,
                                                 "name", h->regions[i]->name));
    for (size_t i = 0; cats && i < h->n_categories; i++)
        json_array_append_new(cats, json_pack("{s:s,s:s}", "slug", h->categories[i]->slug,
                                              "label", h->categories[i]->label));
    char source[4096];
    snprintf(source, sizeof source, "%s:%ld", h->source_file, h->source_line);
    json_t *o = json_pack("{s:s,s:I,s:s,s:f,s:s,s:o,s:o,s:o,s:s,s:s}", "type", "hit", "rank",
                          (json_int_t)h->rank, "id", h->id, "score", h->score, "title", h->title,
                          "departements", depts, "regions", regions, "categories", cats, "text",
                          h->text, "source", source);
    if (o)
        json_object_set_new(o, "all_words", json_boolean(h->all_words));
    if (o && h->snippet) {
        json_t *hl = json_array();
        for (size_t i = 0; hl && i < h->n_highlights; i++)
            json_array_append_new(hl, json_pack("[I,I]", (json_int_t)h->highlights[i].start,
                                                (json_int_t)h->highlights[i].end));
        json_object_set_new(o, "snippet", json_string(h->snippet));
        json_object_set_new(o, "highlights", hl);
    }
    if (o && st->explain)
        json_object_set_new(o, "explain", explain_json(h));
    return o;
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
    if (st->json)
        return put_json(f, st, hit_json(st, h));
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
    return put_json(f, st, json_pack("{s:s,s:s}", "type", "error", "message", message));
}

static const char *const facet_key[] = {"departement", "region", "category"};

static json_t *facets_json(const oasis_results *r)
{
    json_t *o = json_object();
    for (int f = OASIS_FACET_DEPARTEMENT; o && f <= OASIS_FACET_CATEGORY; f++) {
        json_t *a = json_array();
        int is_cat = f == OASIS_FACET_CATEGORY;
        for (size_t i = 0; a && i < oasis_results_facet_count(r, (oasis_facet)f); i++) {
            const oasis_facet_value *v = oasis_results_facet_at(r, (oasis_facet)f, i);
            json_array_append_new(a, json_pack("{s:s,s:s,s:I}", is_cat ? "slug" : "code",
                                               v->value, is_cat ? "label" : "name", v->label,
                                               "count", (json_int_t)v->count));
        }
        json_object_set_new(o, facet_key[f], a);
    }
    return o;
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

static json_t *places_json(const oasis_results *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < oasis_results_place_count(r); i++) {
        const oasis_place *p = oasis_results_place_at(r, i);
        json_t *o = json_pack("{s:s,s:s,s:s}", "word", p->word, "code", p->departement->code,
                              "name", p->departement->name);
        if (o && p->commune)
            json_object_set_new(o, "commune", json_string(p->commune));
        if (o && p->region)
            json_object_set_new(o, "region", json_pack("{s:s,s:s}", "code", p->region->code,
                                                       "name", p->region->name));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *synonyms_json(const oasis_results *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < oasis_results_synonym_count(r); i++) {
        const oasis_synonym *y = oasis_results_synonym_at(r, i);
        json_array_append_new(a, json_pack("{s:s,s:s}", "word", y->word, "synonym", y->synonym));
    }
    return a;
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
    const char *suggestion = oasis_results_suggestion(r), *notice = oasis_results_notice(r);
    if (st->json) {
        json_t *o = json_pack("{s:s,s:s,s:I}", "type", "summary", "query", query, "total",
                              (json_int_t)total);
        if (o && suggestion) {
            json_object_set_new(o, "suggestion", json_string(suggestion));
            json_object_set_new(o, "corrected", json_boolean(oasis_results_corrected(r)));
        }
        if (o && notice)
            json_object_set_new(o, "notice", json_string(notice));
        if (o && st->explain) {
            json_object_set_new(o, "places", places_json(r));
            json_object_set_new(o, "synonyms", synonyms_json(r));
        }
        if (o && st->facets)
            json_object_set_new(o, "facets", facets_json(r));
        return put_json(f, st, o);
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
