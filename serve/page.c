/* page.c — the page routes of oasis-serve: "/", "/initiatives/ID" and
 * "/assets/NAME". */
#include "page.h"

#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "layout.h"
#include "page_item.h"
#include "page_search.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The path segment s percent-decoded into a new string; NULL when it is
 * malformed, holds a NUL or a '/', or memory ran out. */
static char *decode_segment(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = hexval(s[i + 1]);
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
            if (lo < 0) {
                free(out);
                return NULL;
            }
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0' || c == '/') {
            free(out);
            return NULL;
        }
        *o++ = c;
    }
    *o = '\0';
    return out;
}

static int respond_asset(const char *name, srv_reply *out)
{
    const serve_asset *a = assets_find(name);
    if (!a) {
        srv_reply_error(out, 404, "no such asset");
        return 1;
    }
    if (srv_reply_copy(out, 200, a->content_type, a->data, *a->len) == 0)
        srv_reply_header(out, "Cache-Control", "public, max-age=3600");
    return 1;
}

int page_respond(oasis_searcher *s, const char *path, const srv_params *p, srv_reply *out)
{
    static const char item[] = "/initiatives/", asset[] = "/assets/";
    if (!strncmp(path, asset, sizeof asset - 1))
        return respond_asset(path + sizeof asset - 1, out);
    int is_item = !strncmp(path, item, sizeof item - 1) && path[sizeof item - 1] &&
                  !strchr(path + sizeof item - 1, '/');
    if (strcmp(path, "/") != 0 && !is_item)
        return 0;
    if (!s) {
        layout_error(out, 503, "Index indisponible",
                     "L’index ne peut pas être lu pour le moment ; réessayez dans un instant.");
        return 1;
    }
    if (!is_item) {
        page_search(s, p, out);
        return 1;
    }
    char *id = decode_segment(path + sizeof item - 1);
    if (!id)
        layout_error(out, 404, "Initiative introuvable", "Cet identifiant n’est pas valide.");
    else
        page_item(s, id, out);
    free(id);
    return 1;
}
