/* The JSON objects of search results (see jsonout.h). */
#include "jsonout.h"

#include <stdio.h>

static const char *const match_kind[] = {"word", "phrase", "prefix", "synonym", "place"};

/* o[key] = v, v consumed; a NULL v or o makes the whole object fail. */
static json_t *set(json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v)) {
        json_decref(o);
        if (!o)
            json_decref(v);
        return NULL;
    }
    return o;
}

/* a with v appended (v consumed); NULL when either failed. */
static json_t *push(json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v)) {
        json_decref(a);
        if (!a)
            json_decref(v);
        return NULL;
    }
    return a;
}

static json_t *explain_json(const oasis_hit *h)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < h->n_matches; i++) {
        const oasis_match *m = &h->matches[i];
        json_t *o = json_pack("{s:s,s:s,s:b,s:b,s:f}", "query", m->query, "kind",
                              match_kind[m->kind], "title", m->in_title, "text", m->in_text,
                              "weight", m->weight);
        if (o && m->of)
            o = set(o, "of", json_string(m->of));
        a = push(a, o);
    }
    return a;
}

static json_t *departements_json(const oasis_departement *const *d, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        a = push(a, json_pack("{s:s,s:s}", "code", d[i]->code, "name", d[i]->name));
    return a;
}

static json_t *regions_json(const oasis_region *const *r, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        a = push(a, json_pack("{s:s,s:s}", "code", r[i]->code, "name", r[i]->name));
    return a;
}

static json_t *categories_json(const oasis_category *const *c, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        a = push(a, json_pack("{s:s,s:s}", "slug", c[i]->slug, "label", c[i]->label));
    return a;
}

static json_t *highlights_json(const oasis_hit *h)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < h->n_highlights; i++)
        a = push(a, json_pack("[I,I]", (json_int_t)h->highlights[i].start,
                              (json_int_t)h->highlights[i].end));
    return a;
}

/* The library's strings are valid UTF-8 (the writer refuses anything
 * else): the long ones are not checked again here. Were one not, the
 * dump would fail rather than write it. */
json_t *jo_hit(const oasis_hit *h, int explain)
{
    char source[4096];
    snprintf(source, sizeof source, "%s:%ld", h->source_file, h->source_line);
    json_t *o = json_pack("{s:I,s:s,s:f,s:o,s:o,s:o,s:o,s:o,s:s}", "rank", (json_int_t)h->rank,
                          "id", h->id, "score", h->score, "title", json_string_nocheck(h->title),
                          "departements", departements_json(h->departements, h->n_departements),
                          "regions", regions_json(h->regions, h->n_regions), "categories",
                          categories_json(h->categories, h->n_categories), "text",
                          json_string_nocheck(h->text), "source", source);
    if (o && h->snippet) {
        o = set(o, "snippet", json_string_nocheck(h->snippet));
        o = set(o, "highlights", highlights_json(h));
    }
    if (o && explain)
        o = set(o, "explain", explain_json(h));
    return o;
}

static const char *const facet_key[] = {"departement", "region", "category"};

json_t *jo_facets(const oasis_results *r)
{
    json_t *o = json_object();
    for (int f = OASIS_FACET_DEPARTEMENT; o && f <= OASIS_FACET_CATEGORY; f++) {
        json_t *a = json_array();
        int is_cat = f == OASIS_FACET_CATEGORY;
        for (size_t i = 0; a && i < oasis_results_facet_count(r, (oasis_facet)f); i++) {
            const oasis_facet_value *v = oasis_results_facet_at(r, (oasis_facet)f, i);
            a = push(a, json_pack("{s:s,s:s,s:I}", is_cat ? "slug" : "code", v->value,
                                  is_cat ? "label" : "name", v->label, "count",
                                  (json_int_t)v->count));
        }
        o = set(o, facet_key[f], a);
    }
    return o;
}

static json_t *places_json(const oasis_results *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < oasis_results_place_count(r); i++) {
        const oasis_place *p = oasis_results_place_at(r, i);
        json_t *o = json_pack("{s:s,s:s,s:s}", "word", p->word, "code", p->departement->code,
                              "name", p->departement->name);
        if (o && p->commune)
            o = set(o, "commune", json_string(p->commune));
        a = push(a, o);
    }
    return a;
}

static json_t *synonyms_json(const oasis_results *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < oasis_results_synonym_count(r); i++) {
        const oasis_synonym *y = oasis_results_synonym_at(r, i);
        a = push(a, json_pack("{s:s,s:s}", "word", y->word, "synonym", y->synonym));
    }
    return a;
}

json_t *jo_summary(const char *query, const oasis_results *r, int facets, int explain)
{
    const char *suggestion = oasis_results_suggestion(r), *notice = oasis_results_notice(r);
    json_t *o = json_pack("{s:s,s:I}", "query", query ? query : "", "total",
                          (json_int_t)oasis_results_total(r));
    if (o && suggestion) {
        o = set(o, "suggestion", json_string(suggestion));
        o = set(o, "corrected", json_boolean(oasis_results_corrected(r)));
    }
    if (o && notice)
        o = set(o, "notice", json_string(notice));
    if (o && explain) {
        o = set(o, "places", places_json(r));
        o = set(o, "synonyms", synonyms_json(r));
    }
    if (o && facets)
        o = set(o, "facets", jo_facets(r));
    return o;
}

json_t *jo_results(const char *query, const oasis_results *r, int facets, int explain)
{
    json_t *hits = json_array();
    size_t n = oasis_results_hit_count(r);
    for (size_t i = 0; hits && i < n; i++)
        hits = push(hits, jo_hit(oasis_results_hit_at(r, i), explain));
    json_t *o = jo_summary(query, r, facets, explain);
    if (!o) {
        json_decref(hits);
        return NULL;
    }
    return set(o, "hits", hits);
}
