/* page_search.c — the search page: the form, the facets as checkboxes, the
 * hits, the pages and the map, all from one oasis_search(). */
#include "page_search.h"

#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "map.h"

/* The state the URL carries, with each filter value as its canonical code
 * or slug (static strings of the library's tables). */
typedef struct state {
    const char *q;
    const char *values[3][SRV_MAX_FILTERS]; /* by oasis_facet */
    size_t n[3];
    size_t offset, limit;
} state;

static const char *const g_param[3] = {"dept", "region", "category"};
static const char *const g_legend[3] = {"Départements", "Régions", "Catégories"};

static const char *canonical(oasis_facet f, const char *v)
{
    switch (f) {
    case OASIS_FACET_DEPARTEMENT: {
        const oasis_departement *d = oasis_departement_find(v);
        return d ? d->code : NULL;
    }
    case OASIS_FACET_REGION: {
        const oasis_region *r = oasis_region_find(v);
        return r ? r->code : NULL;
    }
    case OASIS_FACET_CATEGORY: {
        const oasis_category *c = oasis_category_find(v);
        return c ? c->slug : NULL;
    }
    }
    return NULL;
}

static void state_from(state *st, const srv_search *ss)
{
    memset(st, 0, sizeof *st);
    st->q = ss->query;
    st->offset = ss->opts.offset;
    st->limit = ss->opts.limit;
    const char *const *lists[3] = {ss->departements, ss->regions, ss->categories};
    const size_t counts[3] = {ss->opts.n_departements, ss->opts.n_regions, ss->opts.n_categories};
    for (int f = 0; f < 3; f++) {
        for (size_t i = 0; i < counts[f]; i++) {
            const char *c = canonical((oasis_facet)f, lists[f][i]);
            int dup = 0;
            for (size_t j = 0; c && j < st->n[f]; j++)
                dup |= !strcmp(st->values[f][j], c);
            if (c && !dup)
                st->values[f][st->n[f]++] = c;
        }
    }
}

static int chosen(const state *st, oasis_facet f, const char *value)
{
    for (size_t i = 0; i < st->n[f]; i++)
        if (!strcmp(st->values[f][i], value))
            return 1;
    return 0;
}

/* The page's URL for st, with value of facet toggle added or removed
 * (toggle -1: none) and the first hit at offset. */
static void state_url(html *url, const state *st, int toggle, const char *value, size_t offset)
{
    html_raw(url, "/");
    if (*st->q)
        html_url_param(url, "q", st->q);
    for (int f = 0; f < 3; f++) {
        int present = 0;
        for (size_t i = 0; i < st->n[f]; i++) {
            if (f == toggle && !strcmp(st->values[f][i], value)) {
                present = 1;
                continue;
            }
            html_url_param(url, g_param[f], st->values[f][i]);
        }
        if (f == toggle && !present)
            html_url_param(url, g_param[f], value);
    }
    if (st->limit != SRV_DEFAULT_LIMIT) {
        char n[24];
        snprintf(n, sizeof n, "%zu", st->limit);
        html_url_param(url, "limit", n);
    }
    if (offset > 0) {
        char n[24];
        snprintf(n, sizeof n, "%zu", offset);
        html_url_param(url, "offset", n);
    }
}

static void write_href(html *h, const html *url)
{
    html_raw(h, " href=\"");
    html_textn(h, url->data ? url->data : "", url->len);
    html_raw(h, "\"");
    if (url->failed)
        h->failed = 1;
}

static void write_form(html *h, const state *st)
{
    html_raw(h, "<form id=\"recherche\" class=\"recherche\" method=\"get\" action=\"/\" "
                "role=\"search\">\n<h1><label for=\"q\">Rechercher une initiative</label></h1>\n"
                "<div class=\"champ\"><input id=\"q\" name=\"q\" type=\"search\" maxlength=\"");
    html_num(h, SRV_MAX_QUERY);
    html_raw(h, "\" value=\"");
    html_text(h, st->q);
    html_raw(h, "\" placeholder=\"logement des internes, maison de santé…\" "
                "aria-describedby=\"aide-q\"><button type=\"submit\">Rechercher</button></div>\n"
                "<p id=\"aide-q\" class=\"meta\">Mots, «" SRV_NBSP "expression exacte" SRV_NBSP "», -mot exclu" SRV_NBSP "; "
                "les filtres ci-dessous s’ajoutent.</p>\n");
    if (st->limit != SRV_DEFAULT_LIMIT) {
        html_raw(h, "<input type=\"hidden\" name=\"limit\" value=\"");
        html_num(h, st->limit);
        html_raw(h, "\">\n");
    }
    html_raw(h, "</form>\n");
}

static void write_checkbox(html *h, oasis_facet f, const char *value, const char *label,
                           size_t count, int checked)
{
    html_raw(h, "<li><label><input type=\"checkbox\" form=\"recherche\" name=\"");
    html_text(h, g_param[f]);
    html_raw(h, "\" value=\"");
    html_text(h, value);
    html_raw(h, checked ? "\" checked> " : "\"> ");
    html_text(h, label);
    if (f != OASIS_FACET_CATEGORY) {
        html_raw(h, " (");
        html_text(h, value);
        html_raw(h, ")");
    }
    html_raw(h, " <span class=\"n\">");
    html_num(h, count);
    html_raw(h, "<span class=\"visuellement-cache\"> initiative");
    html_raw(h, count == 1 ? "" : "s");
    html_raw(h, "</span></span></label></li>\n");
}

static const char *label_of(oasis_facet f, const char *value)
{
    switch (f) {
    case OASIS_FACET_DEPARTEMENT:
        return oasis_departement_find(value)->name;
    case OASIS_FACET_REGION:
        return oasis_region_find(value)->name;
    case OASIS_FACET_CATEGORY:
        return oasis_category_find(value)->label;
    }
    return value;
}

/* One facet: its values with a count, and the chosen ones without. */
static void write_facet(html *h, const state *st, const oasis_results *r, oasis_facet f)
{
    html_raw(h, "<fieldset><legend>");
    html_text(h, g_legend[f]);
    html_raw(h, "</legend><ul>\n");
    size_t n = r ? oasis_results_facet_count(r, f) : 0;
    for (size_t i = 0; i < n; i++) {
        const oasis_facet_value *v = oasis_results_facet_at(r, f, i);
        write_checkbox(h, f, v->value, v->label, v->count, chosen(st, f, v->value));
    }
    for (size_t i = 0; i < st->n[f]; i++) {
        int listed = 0;
        for (size_t j = 0; j < n && !listed; j++)
            listed = !strcmp(oasis_results_facet_at(r, f, j)->value, st->values[f][i]);
        if (!listed)
            write_checkbox(h, f, st->values[f][i], label_of(f, st->values[f][i]), 0, 1);
    }
    html_raw(h, "</ul></fieldset>\n");
}

/* A link to the same query without any filter, when there are some. */
static void write_clear(html *h, const state *st)
{
    if (st->n[0] + st->n[1] + st->n[2] == 0)
        return;
    state none = *st;
    none.n[0] = none.n[1] = none.n[2] = 0;
    html url = HTML_INIT;
    state_url(&url, &none, -1, NULL, 0);
    html_raw(h, "<p><a class=\"retirer\"");
    write_href(h, &url);
    html_raw(h, ">Retirer tous les filtres</a></p>\n");
    html_free(&url);
}

/* A notice of the library, said in French from its kind (its English
 * text is the JSON API's). Every kind has its sentence: -Wswitch says when
 * one is missing. */
static void write_notice(html *h, const oasis_notice *n)
{
    char text[SRV_MAX_QUERY + 256] = ""; /* a place's words are of the query */
    switch (n->kind) {
    case OASIS_NOTICE_PLAIN_WORDS:
        snprintf(text, sizeof text,
                 "Requête mal formée à la colonne %zu" SRV_NBSP ": elle a été lue comme une "
                 "suite de simples mots.",
                 n->column);
        break;
    case OASIS_NOTICE_WORDS_CUT:
        snprintf(text, sizeof text,
                 "La requête a plus de %zu" SRV_NBSP "mots" SRV_NBSP ": seuls les %zu premiers "
                 "ont été pris en compte.",
                 n->count, n->count);
        break;
    case OASIS_NOTICE_NOTHING_TO_SEARCH:
        snprintf(text, sizeof text,
                 "Rien à chercher" SRV_NBSP ": la requête n’a que des mots trop courants pour "
                 "être cherchés (mots vides) ou de la ponctuation.");
        break;
    case OASIS_NOTICE_NO_INITIATIVE:
        snprintf(text, sizeof text, "Aucune initiative pour «" SRV_NBSP "%s" SRV_NBSP "».",
                 n->detail ? n->detail : "");
        break;
    case OASIS_NOTICE_NO_SPELLING_TABLE:
        snprintf(text, sizeof text,
                 "Pas de suggestion d’orthographe" SRV_NBSP ": l’index n’a pas de table "
                 "d’orthographe (bases distantes).");
        break;
    }
    if (!*text)
        return;
    html_raw(h, "<p class=\"avis\">");
    html_text(h, text);
    html_raw(h, "</p>\n");
}

static void write_summary(html *h, const state *st, const oasis_results *r)
{
    size_t total = oasis_results_total(r);
    html_raw(h, "<h2 id=\"resume\" class=\"resume\" tabindex=\"-1\" data-focus>");
    if (total == 0)
        html_raw(h, "Aucune initiative");
    else {
        html_num(h, total);
        html_raw(h, total == 1 ? " initiative" : " initiatives");
    }
    if (*st->q) {
        html_raw(h, " pour «" SRV_NBSP);
        html_text(h, st->q);
        html_raw(h, SRV_NBSP "»");
    }
    html_raw(h, "</h2>\n");
    for (size_t i = 0; i < oasis_results_notice_count(r); i++)
        write_notice(h, oasis_results_notice_at(r, i));
    const char *suggestion = oasis_results_suggestion(r);
    if (suggestion) {
        state alt = *st;
        alt.q = suggestion;
        html url = HTML_INIT;
        state_url(&url, &alt, -1, NULL, 0);
        html_raw(h, oasis_results_corrected(r)
                        ? "<p class=\"avis\">Résultats pour la graphie la plus proche" SRV_NBSP ": <a"
                        : "<p class=\"avis\">Vouliez-vous dire <a");
        write_href(h, &url);
        html_raw(h, ">");
        html_text(h, suggestion);
        html_raw(h, oasis_results_corrected(r) ? "</a></p>\n" : "</a>" SRV_NBSP "?</p>\n");
        html_free(&url);
    }
}

static void write_pages(html *h, const state *st, size_t total)
{
    if (st->limit == 0 || total <= st->limit)
        return;
    size_t page = st->offset / st->limit + 1, pages = (total + st->limit - 1) / st->limit;
    html_raw(h, "<nav class=\"pages\" aria-label=\"Pages de résultats\">");
    if (st->offset > 0) {
        html url = HTML_INIT;
        state_url(&url, st, -1, NULL, st->offset > st->limit ? st->offset - st->limit : 0);
        html_raw(h, "<a rel=\"prev\"");
        write_href(h, &url);
        html_raw(h, ">← Précédentes</a>");
        html_free(&url);
    }
    html_raw(h, "<span>Page ");
    html_num(h, page);
    html_raw(h, " sur ");
    html_num(h, pages);
    html_raw(h, "</span>");
    if (st->offset + st->limit < total && st->offset + st->limit <= SRV_MAX_OFFSET) {
        html url = HTML_INIT;
        state_url(&url, st, -1, NULL, st->offset + st->limit);
        html_raw(h, "<a rel=\"next\"");
        write_href(h, &url);
        html_raw(h, ">Suivantes →</a>");
        html_free(&url);
    }
    html_raw(h, "</nav>\n");
}

static void map_link(void *userdata, const char *code, html *url)
{
    state_url(url, userdata, OASIS_FACET_DEPARTEMENT, code, 0);
}

static void write_map(html *h, state *st, const oasis_results *r)
{
    size_t n = oasis_departement_count();
    size_t counts[128] = {0};
    unsigned char selected[128] = {0};
    if (n > 128)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *code = oasis_departement_at(i)->code;
        selected[i] = (unsigned char)chosen(st, OASIS_FACET_DEPARTEMENT, code);
        size_t nv = r ? oasis_results_facet_count(r, OASIS_FACET_DEPARTEMENT) : 0;
        for (size_t j = 0; j < nv; j++) {
            const oasis_facet_value *v = oasis_results_facet_at(r, OASIS_FACET_DEPARTEMENT, j);
            if (!strcmp(v->value, code))
                counts[i] = v->count;
        }
    }
    html_raw(h, "<section class=\"carte-bloc\" aria-labelledby=\"carte-titre\">"
                "<h2 id=\"carte-titre\">Carte des initiatives par département</h2>\n"
                "<p class=\"meta\">Choisir un département sur la carte l’ajoute aux filtres "
                "(ou l’en retire).</p>\n");
    map_render(h, counts, selected, map_link, st);
    html_raw(h, "</section>\n");
}

/* Why oasis_search() failed, in French (its own message is English). The
 * page's arguments are checked before, so the query is what is wrong. */
static const char *search_failure(int rc)
{
    switch (rc) {
    case OASIS_EINVAL:
        return "La requête nomme un département, une région ou une catégorie inconnus "
               "(après dept:, region: ou cat:).";
    case OASIS_EFORMAT:
        return "La requête n’est pas un texte UTF-8 valide.";
    default:
        return "L’index n’a pas pu répondre à cette recherche" SRV_NBSP "; réessayez plus "
               "tard.";
    }
}

int page_search(oasis_searcher *s, const srv_params *p, srv_reply *out)
{
    srv_search ss;
    unsigned status = srv_search_parse(p, &ss);
    state st;
    state_from(&st, &ss);
    oasis_results *r = NULL;
    const char *problem = status ? ss.message_fr : NULL;
    if (!status) {
        int rc = oasis_search(s, ss.query, &ss.opts, &r);
        if (rc != 0) {
            status = rc == OASIS_EINVAL || rc == OASIS_EFORMAT ? 400 : 500;
            problem = search_failure(rc);
        }
    }

    html h = HTML_INIT;
    if (*st.q)
        layout_begin(&h, st.q, " — recherche — oasis");
    else
        layout_begin(&h, "Initiatives contre les déserts médicaux — oasis", NULL);
    write_form(&h, &st);
    html_raw(&h, "<div class=\"grille\">\n<aside class=\"filtres\" aria-label=\"Filtres\">\n");
    write_clear(&h, &st);
    for (int f = 0; f < 3; f++)
        write_facet(&h, &st, r, (oasis_facet)f);
    html_raw(&h, "<button type=\"submit\" form=\"recherche\" class=\"appliquer\">"
                 "Appliquer les filtres</button>\n</aside>\n"
                 "<section id=\"resultats\" aria-labelledby=\"resume\">\n");
    if (problem) {
        html_raw(&h, "<h2 id=\"resume\" class=\"resume\" tabindex=\"-1\" data-focus>"
                     "Recherche impossible</h2>\n<p class=\"avis\">");
        html_text(&h, problem);
        html_raw(&h, "</p>\n");
    } else {
        write_summary(&h, &st, r);
        layout_hits(&h, r, 3);
        write_pages(&h, &st, oasis_results_total(r));
    }
    html_raw(&h, "</section>\n");
    write_map(&h, &st, r);
    html_raw(&h, "</div>\n");
    layout_end(&h);
    oasis_results_free(r);
    return layout_reply(&h, status ? status : 200, out);
}
