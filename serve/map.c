/* map.c — the map of France, drawn from the embedded serve/france-map.tsv. */
#include "map.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oasis.h>

/* cmake/parts/page.cmake embeds serve/france-map.tsv. */
extern const char oa_serve_france_map_tsv[];
extern const size_t oa_serve_france_map_tsv_len;

typedef struct map_row {
    const char *code; /* INSEE code ("-" for a frame) */
    size_t code_len;
    const char *data; /* the path, or the frame's "X Y W H LABEL" */
    size_t data_len;
} map_row;

/* The rows of the table by kind: shapes, their enlarged copies, frames. */
enum { ROW_SHAPE, ROW_ZOOM, ROW_FRAME, ROW_KINDS };
static const char *const g_kinds[ROW_KINDS] = {"shape", "zoom", "frame"};

static struct {
    const char *viewbox;
    size_t viewbox_len;
    map_row *rows[ROW_KINDS];
    size_t n[ROW_KINDS];
    int ok;
} g_map;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* Splits the line [p, end) at tabs into 3 fields; 0 when it has 3. */
static int fields(const char *p, const char *end, const char *f[3], size_t n[3])
{
    for (int i = 0; i < 3; i++) {
        const char *tab = i < 2 ? memchr(p, '\t', (size_t)(end - p)) : NULL;
        const char *stop = tab ? tab : end;
        if (i < 2 && !tab)
            return -1;
        f[i] = p;
        n[i] = (size_t)(stop - p);
        p = stop + (tab ? 1 : 0);
    }
    return 0;
}

static void load_once(void)
{
    const char *p = oa_serve_france_map_tsv, *end = p + oa_serve_france_map_tsv_len;
    size_t lines = 0;
    for (const char *q = p; q < end; q++)
        lines += *q == '\n';
    for (int k = 0; k < ROW_KINDS; k++)
        if (!(g_map.rows[k] = calloc(lines + 1, sizeof *g_map.rows[k])))
            return;
    int header = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *f[3];
        size_t n[3];
        if (p == stop || *p == '#') {
            /* blank or comment */
        } else if (!header) {
            header = 1; /* kind code data */
        } else if (fields(p, stop, f, n) != 0) {
            return;
        } else if (n[0] == 7 && !memcmp(f[0], "viewbox", 7)) {
            g_map.viewbox = f[2];
            g_map.viewbox_len = n[2];
        } else {
            int k = 0;
            while (k < ROW_KINDS && (strlen(g_kinds[k]) != n[0] || memcmp(f[0], g_kinds[k], n[0])))
                k++;
            if (k == ROW_KINDS)
                return;
            g_map.rows[k][g_map.n[k]++] = (map_row){f[1], n[1], f[2], n[2]};
        }
        p = stop + 1;
    }
    g_map.ok = g_map.viewbox && g_map.n[ROW_SHAPE] > 0;
}

int map_load(void)
{
    pthread_once(&g_once, load_once);
    return g_map.ok ? 0 : -1;
}

void map_bounds(size_t max, size_t bounds[MAP_CLASSES])
{
    for (size_t k = 0; k < MAP_CLASSES; k++) {
        size_t b = (max * (k + 1) + MAP_CLASSES - 1) / MAP_CLASSES;
        bounds[k] = b < 1 ? 1 : b;
    }
}

static int class_of(size_t count, const size_t bounds[MAP_CLASSES])
{
    if (count == 0)
        return 0;
    for (int k = 0; k < MAP_CLASSES; k++)
        if (count <= bounds[k])
            return k + 1;
    return MAP_CLASSES;
}

/* The index of the département code in the library's table, or -1. */
static long dept_index(const char *code, size_t len)
{
    for (size_t i = 0; i < oasis_departement_count(); i++) {
        const char *c = oasis_departement_at(i)->code;
        if (strlen(c) == len && !memcmp(c, code, len))
            return (long)i;
    }
    return -1;
}

static void write_count(html *h, size_t n)
{
    if (n == 0) {
        html_raw(h, "aucune initiative");
        return;
    }
    html_num(h, n);
    html_raw(h, n == 1 ? " initiative" : " initiatives");
}

/* A département: a link with its name and count. Its enlarged copy (zoom)
 * is the same link for the mouse only: out of the tab order and hidden
 * from assistive technologies, which have the first. */
static void write_shape(html *h, const map_row *r, const oasis_departement *d, size_t count,
                        int chosen, const size_t bounds[MAP_CLASSES], int zoom, map_link_fn link,
                        void *userdata)
{
    html url = HTML_INIT;
    link(userdata, d->code, &url);
    html label = HTML_INIT;
    html_raw(&label, d->name);
    html_raw(&label, " (");
    html_raw(&label, d->code);
    html_raw(&label, ") : ");
    write_count(&label, count);
    if (chosen)
        html_raw(&label, ", filtre actif");

    html_raw(h, zoom ? "<a class=\"zoom b" : "<a class=\"dep b");
    html_num(h, (size_t)class_of(count, bounds));
    html_raw(h, chosen ? " choisi\" href=\"" : "\" href=\"");
    html_textn(h, url.data ? url.data : "", url.len);
    if (zoom) {
        html_raw(h, "\" tabindex=\"-1\" aria-hidden=\"true\"><title>");
    } else {
        html_raw(h, "\" data-dept=\"");
        html_text(h, d->code);
        html_raw(h, "\" aria-label=\"");
        html_textn(h, label.data ? label.data : "", label.len);
        html_raw(h, "\"><title>");
    }
    html_textn(h, label.data ? label.data : "", label.len);
    html_raw(h, "</title><path d=\"");
    html_textn(h, r->data, r->data_len);
    html_raw(h, "\"/></a>\n");
    if (url.failed || label.failed)
        h->failed = 1;
    html_free(&url);
    html_free(&label);
}

/* The frames of the insets, each with its label centred on its last line. */
static void write_frames(html *h)
{
    for (size_t i = 0; i < g_map.n[ROW_FRAME]; i++) {
        const map_row *r = &g_map.rows[ROW_FRAME][i];
        char frame[160], text[200];
        if (r->data_len >= sizeof frame)
            continue;
        memcpy(frame, r->data, r->data_len);
        frame[r->data_len] = '\0';
        char *e;
        double x = strtod(frame, &e), y = strtod(e, &e), w = strtod(e, &e), hh = strtod(e, &e);
        while (*e == ' ')
            e++;
        snprintf(text, sizeof text,
                 "<rect class=\"cadre\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>"
                 "<text class=\"nom\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                 x, y, w, hh, x + w / 2, y + hh - 6);
        html_raw(h, text);
        html_text(h, e);
        html_raw(h, "</text>\n");
    }
}

static void write_legend(html *h, const size_t bounds[MAP_CLASSES])
{
    html_raw(h, "<ul class=\"legende\" aria-label=\"Légende de la carte\">"
                "<li><span class=\"pastille b0\" aria-hidden=\"true\"></span>aucune</li>");
    size_t low = 1;
    for (int k = 0; k < MAP_CLASSES; k++) {
        if (k > 0 && bounds[k] == bounds[k - 1])
            continue;
        html_raw(h, "<li><span class=\"pastille b");
        html_num(h, (size_t)k + 1);
        html_raw(h, "\" aria-hidden=\"true\"></span>");
        html_num(h, low);
        if (bounds[k] > low) {
            html_raw(h, bounds[k] == low + 1 ? " ou " : " à ");
            html_num(h, bounds[k]);
        }
        html_raw(h, "</li>");
        low = bounds[k] + 1;
    }
    html_raw(
        h,
        "<li><span class=\"pastille choisi\" aria-hidden=\"true\"></span>filtre actif</li></ul>\n");
}

int map_render(html *h, const size_t *counts, const unsigned char *selected, map_link_fn link,
               void *userdata)
{
    if (map_load() != 0)
        return -1;
    size_t max = 0;
    for (size_t i = 0; i < oasis_departement_count(); i++)
        if (counts[i] > max)
            max = counts[i];
    size_t bounds[MAP_CLASSES];
    map_bounds(max, bounds);

    html_raw(h, "<svg class=\"carte\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"");
    html_textn(h, g_map.viewbox, g_map.viewbox_len);
    html_raw(h, "\" role=\"group\" aria-labelledby=\"carte-titre\">\n");
    write_frames(h);
    /* The shapes, then their enlarged copies; in each, the chosen
     * départements last, so that their outline is on top. */
    for (int kind = ROW_SHAPE; kind <= ROW_ZOOM; kind++) {
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < g_map.n[kind]; i++) {
                const map_row *r = &g_map.rows[kind][i];
                long di = dept_index(r->code, r->code_len);
                if (di < 0 || (selected[di] != 0) != (pass == 1))
                    continue;
                write_shape(h, r, oasis_departement_at((size_t)di), counts[di], selected[di],
                            bounds, kind == ROW_ZOOM, link, userdata);
            }
        }
    }
    html_raw(h, "</svg>\n");
    write_legend(h, bounds);
    return 0;
}
