/* page.c — the page routes of oasis-serve: "/", "/initiatives/ID" and
 * "/assets/NAME". */
#include "page.h"

#include <string.h>

#include "assets.h"
#include "layout.h"
#include "page_item.h"
#include "page_search.h"

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
                     "L’index ne peut pas être lu pour le moment" SRV_NBSP "; réessayez dans un instant.");
        return 1;
    }
    if (!is_item) {
        page_search(s, p, out);
        return 1;
    }
    /* libmicrohttpd hands the path already percent-decoded. */
    page_item(s, path + sizeof item - 1, out);
    return 1;
}
