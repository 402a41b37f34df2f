/* layout.c — the frame of the pages, hits, and the reply. */
#include "layout.h"

#include <string.h>

void layout_begin(html *h, const char *title, const char *suffix)
{
    html_raw(h, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<link rel=\"icon\" href=\"data:,\">\n<title>");
    html_text_cut(h, title, 100);
    if (suffix)
        html_text(h, suffix);
    html_raw(h, "</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n"
                "<script src=\"/assets/app.js\" defer></script>\n</head>\n<body>\n"
                "<a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>\n"
                "<header><p class=\"titre\"><a href=\"/\">oasis</a></p>"
                "<p>Les initiatives des départements contre les déserts médicaux</p></header>\n"
                "<div id=\"annonce\" class=\"visuellement-cache\" aria-live=\"polite\"></div>\n"
                "<main id=\"contenu\" tabindex=\"-1\">\n");
}

void layout_end(html *h)
{
    html_raw(h, "</main>\n<footer><p>Carte des départements" SRV_NBSP ": "
                "<a href=\"https://github.com/VictorCazanave/svg-maps\">svg-maps</a> de Victor "
                "Cazanave, d’après MapSVG, sous licence "
                "<a href=\"https://creativecommons.org/licenses/by/4.0/deed.fr\">CC BY 4.0</a> "
                "(formes simplifiées, départements d’outre-mer et petite couronne en "
                "encarts).</p></footer>\n"
                "</body>\n</html>\n");
}

void layout_initiative_url(html *url, const char *id)
{
    html_raw(url, "/initiatives/");
    html_url_component(url, id);
}

/* The snippet, its highlighted ranges in <mark>; ranges out of order or
 * out of the snippet are skipped. */
static void write_snippet(html *h, const oasis_hit *hit)
{
    size_t at = 0, len = strlen(hit->snippet);
    for (size_t i = 0; i < hit->n_highlights; i++) {
        const oasis_range *r = &hit->highlights[i];
        if (r->start < at || r->end <= r->start || r->end > len)
            continue;
        html_textn(h, hit->snippet + at, r->start - at);
        html_raw(h, "<mark>");
        html_textn(h, hit->snippet + r->start, r->end - r->start);
        html_raw(h, "</mark>");
        at = r->end;
    }
    html_textn(h, hit->snippet + at, len - at);
}

static void write_meta(html *h, const oasis_hit *hit)
{
    const char *sep = "";
    for (size_t i = 0; i < hit->n_departements; i++) {
        html_raw(h, sep);
        html_text(h, hit->departements[i]->name);
        html_raw(h, " (");
        html_text(h, hit->departements[i]->code);
        html_raw(h, ")");
        sep = ", ";
    }
    for (size_t i = 0; i < hit->n_categories; i++) {
        html_raw(h, i == 0 ? (*sep ? " · " : "") : ", ");
        html_text(h, hit->categories[i]->label);
    }
}

void layout_hits(html *h, const oasis_results *r, int heading)
{
    char open[5] = "<h2>", close[6] = "</h2>";
    if (heading >= 2 && heading <= 4)
        open[2] = close[3] = (char)('0' + heading);
    size_t n = oasis_results_hit_count(r);
    const oasis_hit *first = oasis_results_hit_at(r, 0);
    html_raw(h, "<ol class=\"resultats\" start=\"");
    html_num(h, first ? first->rank : 1);
    html_raw(h, "\">\n");
    for (size_t i = 0; i < n; i++) {
        const oasis_hit *hit = oasis_results_hit_at(r, i);
        html url = HTML_INIT;
        layout_initiative_url(&url, hit->id);
        html_raw(h, "<li>");
        html_raw(h, open);
        html_raw(h, "<a href=\"");
        html_textn(h, url.data ? url.data : "", url.len);
        html_raw(h, "\">");
        html_text(h, *hit->title ? hit->title : hit->id);
        html_raw(h, "</a>");
        html_raw(h, close);
        html_free(&url);
        if (hit->n_departements || hit->n_categories) {
            html_raw(h, "<p class=\"meta\">");
            write_meta(h, hit);
            html_raw(h, "</p>");
        }
        if (hit->snippet && *hit->snippet) {
            html_raw(h, "<p class=\"extrait\">");
            write_snippet(h, hit);
            html_raw(h, "</p>");
        } else if (*hit->text) {
            html_raw(h, "<p class=\"extrait\">");
            html_text_cut(h, hit->text, 240);
            html_raw(h, "</p>");
        }
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ol>\n");
}

int layout_reply(html *h, unsigned status, srv_reply *out)
{
    size_t len = 0;
    char *body = html_take(h, &len);
    if (!body) {
        static const char oom[] = "out of memory\n";
        srv_reply_copy(out, 500, "text/plain; charset=utf-8", oom, sizeof oom - 1);
        return -1;
    }
    return srv_reply_take(out, status, "text/html; charset=utf-8", body, len);
}

int layout_error(srv_reply *out, unsigned status, const char *heading, const char *detail)
{
    html h = HTML_INIT;
    layout_begin(&h, heading, " — oasis");
    html_raw(&h, "<h1 data-focus tabindex=\"-1\">");
    html_text(&h, heading);
    html_raw(&h, "</h1>\n<p>");
    html_text(&h, detail);
    html_raw(&h, "</p>\n<p><a href=\"/\">Retour à la recherche</a></p>\n");
    layout_end(&h);
    return layout_reply(&h, status, out);
}
