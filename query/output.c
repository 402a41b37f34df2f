#include "output.h"

#include <jansson.h>
#include <string.h>

#define EXCERPT_BYTES 200
#define TEXT_FACET_VALUES 8

static int put_json(FILE *f, json_t *o)
{
    if (!o)
        return -1;
    int rc = json_dumpf(o, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF ? 0 : -1;
    json_decref(o);
    return rc;
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
    for (size_t i = 0; i < cut; i++)
        fputc(text[i] == '\n' || text[i] == '\t' ? ' ' : text[i], f);
    if (cut < len)
        fputs("…", f);
}

static json_t *hit_json(const oasis_hit *h)
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
    return json_pack("{s:s,s:I,s:s,s:f,s:s,s:o,s:o,s:o,s:s,s:s}", "type", "hit", "rank",
                     (json_int_t)h->rank, "id", h->id, "score", h->score, "title", h->title,
                     "departements", depts, "regions", regions, "categories", cats, "text",
                     h->text, "source", source);
}

int out_hit(FILE *f, const out_style *st, const oasis_hit *h)
{
    if (st->json)
        return put_json(f, hit_json(h));
    fprintf(f, "%2zu. ", h->rank);
    if (h->n_departements) {
        fputc('[', f);
        for (size_t i = 0; i < h->n_departements; i++)
            fprintf(f, "%s%s %s", i ? ", " : "", h->departements[i]->code,
                    h->departements[i]->name);
        fputs("] ", f);
    }
    fprintf(f, "%s%s%s\n", st->color ? "\033[1m" : "", *h->title ? h->title : "(untitled)",
            st->color ? "\033[0m" : "");
    if (*h->text) {
        fputs("    ", f);
        put_excerpt(f, h->text, EXCERPT_BYTES);
        fputc('\n', f);
    }
    fprintf(f, "    %s%s:%ld", st->color ? "\033[2m" : "", h->source_file, h->source_line);
    for (size_t i = 0; i < h->n_categories; i++)
        fprintf(f, "%s%s", i ? ", " : " · ", h->categories[i]->slug);
    fprintf(f, "%s\n\n", st->color ? "\033[0m" : "");
    return ferror(f) ? -1 : 0;
}

static const char *const facet_key[] = {"departement", "region", "category"};

static json_t *facets_json(const oasis_results *r)
{
    json_t *o = json_object();
    for (int f = OASIS_FACET_DEPARTEMENT; o && f <= OASIS_FACET_CATEGORY; f++) {
        json_t *a = json_array();
        int is_cat = f == OASIS_FACET_CATEGORY;
        for (size_t i = 0; a && i < oasis_results_facet_size(r, (oasis_facet)f); i++) {
            const oasis_facet_value *v = oasis_results_facet(r, (oasis_facet)f, i);
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
        size_t n = oasis_results_facet_size(r, (oasis_facet)k);
        if (!n)
            continue;
        fprintf(f, "%s%s:%s", st->color ? "\033[2m" : "", title[k], st->color ? "\033[0m" : "");
        for (size_t i = 0; i < n && i < TEXT_FACET_VALUES; i++) {
            const oasis_facet_value *v = oasis_results_facet(r, (oasis_facet)k, i);
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

int out_summary(FILE *f, const out_style *st, const char *query, const oasis_results *r)
{
    size_t total = oasis_results_total(r), count = oasis_results_count(r);
    if (st->json) {
        json_t *o = json_pack("{s:s,s:s,s:I}", "type", "summary", "query", query, "total",
                              (json_int_t)total);
        if (o && st->facets)
            json_object_set_new(o, "facets", facets_json(r));
        return put_json(f, o);
    }
    if (count)
        fprintf(f, "%zu–%zu of %zu initiative%s\n", oasis_results_hit(r, 0)->rank,
                oasis_results_hit(r, count - 1)->rank, total, total == 1 ? "" : "s");
    else
        fprintf(f, "%zu initiative%s\n", total, total == 1 ? "" : "s");
    if (st->facets)
        put_facets_text(f, st, r);
    return ferror(f) ? -1 : 0;
}
