/*
 * layout.h — what the pages of oasis-serve share: the frame of a page
 * (head, header, footer with the credits), a list of hits, and handing the
 * HTML to the reply. Every text goes through html_text().
 */
#ifndef OASIS_SERVE_LAYOUT_H
#define OASIS_SERVE_LAYOUT_H

#include "html.h"
#include "oasis.h"
#include "request.h"

/* The page up to <main id="contenu"> included. Its <title> is the text
 * title, cut after about 100 bytes, then the text suffix (may be NULL). */
void layout_begin(html *h, const char *title, const char *suffix);
/* </main>, the footer, the end of the page. */
void layout_end(html *h);

/* A link to the initiative's page: "/initiatives/ID" (ID encoded). */
void layout_initiative_url(html *url, const char *id);

/* The hits of r as an ordered list numbered from their rank, each with its
 * title linked to its page (in a heading of level heading, 2 to 4), its
 * départements and categories, and its snippet with the matched words in
 * <mark> (without a snippet: the start of its text). */
void layout_hits(html *h, const oasis_results *r, int heading);

/* A whole error page: status, a heading and one line (texts). */
int layout_error(srv_reply *out, unsigned status, const char *heading, const char *detail);

/* Hands the page to the reply as text/html with status: 0, or -1 (out of
 * memory: the reply is then a plain 500). */
int layout_reply(html *h, unsigned status, srv_reply *out);

#endif
