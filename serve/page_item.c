/* page_item.c — an initiative's page. */
#include "page_item.h"

#include <stdio.h>
#include <string.h>

#include "layout.h"

#define SIMILAR 5 /* initiatives semblables shown */

/* The text, one paragraph per line (blank lines dropped). */
static void write_text(html *h, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        size_t start = 0;
        while (start < n && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r'))
            start++;
        if (start < n) {
            html_raw(h, "<p>");
            html_textn(h, text + start, n - start);
            html_raw(h, "</p>\n");
        }
        text += n + (nl ? 1 : 0);
    }
}

static void write_link(html *h, const char *param, const char *value, const char *label)
{
    html url = HTML_INIT;
    html_raw(&url, "/");
    html_url_param(&url, param, value);
    html_raw(h, "<a href=\"");
    html_textn(h, url.data ? url.data : "", url.len);
    html_raw(h, "\">");
    html_text(h, label);
    html_raw(h, "</a>");
    if (url.failed)
        h->failed = 1;
    html_free(&url);
}

/* Each category linked, with why the initiative has it. */
static void write_reason(void *userdata, const char *doc_id, const char *slug, const char *phrase,
                         long rule_line)
{
    (void)doc_id;
    (void)rule_line;
    html *list = userdata;
    const oasis_category *c = oasis_category_find(slug);
    html_raw(list, "<li>");
    write_link(list, "category", slug, c ? c->label : slug);
    if (phrase) {
        html_raw(list, " <span class=\"meta\">(règle «" SRV_NBSP);
        html_text(list, phrase);
        html_raw(list, SRV_NBSP "»)</span>");
    } else {
        html_raw(list, " <span class=\"meta\">(donnée par la source)</span>");
    }
    html_raw(list, "</li>");
}

static void write_categories(html *h, oasis_searcher *s, const oasis_hit *hit)
{
    html list = HTML_INIT;
    if (oasis_searcher_category_reasons(s, hit, write_reason, &list) == 0 && !list.failed) {
        html_raw(h, "<ul class=\"categories\">");
        html_rawn(h, list.data ? list.data : "", list.len);
        html_raw(h, "</ul>");
    } else { /* without the reasons */
        for (size_t i = 0; i < hit->n_categories; i++) {
            html_raw(h, i ? ", " : "");
            write_link(h, "category", hit->categories[i]->slug, hit->categories[i]->label);
        }
    }
    html_free(&list);
}

static void write_facts(html *h, oasis_searcher *s, const oasis_hit *hit)
{
    html_raw(h, "<dl>\n");
    if (hit->n_departements) {
        html_raw(h, hit->n_departements > 1 ? "<dt>Départements</dt><dd>"
                                            : "<dt>Département</dt><dd>");
        for (size_t i = 0; i < hit->n_departements; i++) {
            char label[128];
            snprintf(label, sizeof label, "%s (%s)", hit->departements[i]->name,
                     hit->departements[i]->code);
            html_raw(h, i ? ", " : "");
            write_link(h, "dept", hit->departements[i]->code, label);
        }
        html_raw(h, "</dd>\n");
    }
    if (hit->n_regions) {
        html_raw(h, hit->n_regions > 1 ? "<dt>Régions</dt><dd>" : "<dt>Région</dt><dd>");
        for (size_t i = 0; i < hit->n_regions; i++) {
            html_raw(h, i ? ", " : "");
            write_link(h, "region", hit->regions[i]->code, hit->regions[i]->name);
        }
        html_raw(h, "</dd>\n");
    }
    if (hit->n_categories) {
        html_raw(h, hit->n_categories > 1 ? "<dt>Catégories</dt><dd>" : "<dt>Catégorie</dt><dd>");
        write_categories(h, s, hit);
        html_raw(h, "</dd>\n");
    }
    if (*hit->source_file) {
        html_raw(h, "<dt>Source</dt><dd><code>");
        html_text(h, hit->source_file);
        if (hit->source_line > 0) {
            html_raw(h, ":");
            html_num(h, (size_t)hit->source_line);
        }
        html_raw(h, "</code></dd>\n");
    }
    html_raw(h, "<dt>Identifiant</dt><dd><code>");
    html_text(h, hit->id);
    html_raw(h, "</code></dd>\n</dl>\n");
}

static void write_similar(html *h, oasis_searcher *s, const char *id)
{
    oasis_search_options o;
    oasis_search_options_init(&o);
    o.like = id;
    o.limit = SIMILAR;
    oasis_results *r = NULL;
    html_raw(h, "<section class=\"semblables\" aria-labelledby=\"semblables\">"
                "<h2 id=\"semblables\">Initiatives semblables</h2>\n");
    if (oasis_search(s, "", &o, &r) != 0) {
        html_raw(h, "<p>Indisponibles" SRV_NBSP ": ");
        html_text(h, oasis_error_last());
        html_raw(h, "</p>\n");
    } else if (oasis_results_hit_count(r) == 0) {
        html_raw(h, "<p>Aucune.</p>\n");
    } else {
        layout_hits(h, r, 3);
    }
    html_raw(h, "</section>\n");
    oasis_results_free(r);
}

int page_item(oasis_searcher *s, const char *id, srv_reply *out)
{
    oasis_results *r = NULL;
    int rc = oasis_searcher_get(s, id, &r);
    if (rc == OASIS_ENOTFOUND || rc == OASIS_EINVAL)
        return layout_error(out, 404, "Initiative introuvable",
                            "Aucune initiative n’a cet identifiant.");
    if (rc != 0)
        return layout_error(out, 500, "Erreur de l’index", oasis_error_last());
    const oasis_hit *hit = oasis_results_hit_at(r, 0);
    const char *title = *hit->title ? hit->title : hit->id;

    html h = HTML_INIT;
    layout_begin(&h, title, " — oasis");
    html_raw(&h, "<article class=\"fiche\">\n<p><a href=\"/\">← Nouvelle recherche</a></p>\n"
                 "<h1 data-focus tabindex=\"-1\">");
    html_text(&h, title);
    html_raw(&h, "</h1>\n");
    write_facts(&h, s, hit);
    html_raw(&h, "<div class=\"texte\">\n");
    write_text(&h, hit->text);
    html_raw(&h, "</div>\n</article>\n");
    write_similar(&h, s, hit->id);
    layout_end(&h);
    oasis_results_free(r);
    return layout_reply(&h, 200, out);
}
