/* assets.h — the files of serve/assets/, compiled into the program
 * (cmake/parts/page.cmake writes the table): the page's style sheet and
 * script, served at /assets/NAME. No path reaches the file system. */
#ifndef OASIS_SERVE_ASSETS_H
#define OASIS_SERVE_ASSETS_H

#include <stddef.h>

typedef struct serve_asset {
    const char *name;         /* "app.js" */
    const char *content_type; /* with its charset */
    const char *data;
    const size_t *len;
} serve_asset;

/* The asset named name (exactly), or NULL. */
const serve_asset *assets_find(const char *name);

#endif
