/*
 * html.h — the page's HTML, written into a growable buffer.
 *
 * Every text that is not markup written here goes through one function,
 * html_text() (html_textn()), which escapes & < > " and ' so that the text
 * is safe both between tags and inside a quoted attribute value. URLs are
 * built percent-encoded in a buffer of their own (html_url_*), then written
 * with html_text() like any other attribute value.
 *
 * A failed allocation marks the buffer failed and later calls do nothing:
 * the writer checks html_failed() once at the end.
 */
#ifndef OASIS_SERVE_HTML_H
#define OASIS_SERVE_HTML_H

#include <stddef.h>

typedef struct html {
    char *data; /* NUL-terminated once something was written */
    size_t len;
    size_t cap;
    int failed; /* 1 after an allocation failed */
} html;

#define HTML_INIT {NULL, 0, 0, 0}

/* Markup, written as it is: the program's string literals only (or plain
 * text gathered into a scratch buffer that is then written, as a whole,
 * with html_text()). */
void html_raw(html *h, const char *markup);
void html_rawn(html *h, const char *markup, size_t n);
/* A number, in decimal. */
void html_num(html *h, size_t n);
/* Text (from the index, the request or the tables), escaped. */
void html_text(html *h, const char *text);
void html_textn(html *h, const char *text, size_t n);
/* Text escaped, cut after about max bytes at a space (UTF-8 kept whole),
 * with "…" when cut. */
void html_text_cut(html *h, const char *text, size_t max);

/* A URL component (a path segment or a query value) percent-encoded: only
 * ASCII letters, digits and - . _ ~ are left as they are. */
void html_url_component(html *h, const char *s);
/* "&" or "?" before the next query parameter of url, then NAME=VALUE,
 * VALUE percent-encoded. */
void html_url_param(html *h, const char *name, const char *value);

int html_failed(const html *h);
/* Hands the bytes to the caller (free() them) and resets h; NULL when an
 * allocation failed (h is freed then). *len gets the length. */
char *html_take(html *h, size_t *len);
void html_free(html *h);

#endif
