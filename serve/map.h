/*
 * map.h — the map of France on the search page: inline SVG, one link per
 * département coloured by its number of matching initiatives, the overseas
 * départements and an enlarged Paris and petite couronne as insets, and a
 * legend. The shapes are serve/france-map.tsv
 * (scripts/gen-map), compiled into the program.
 */
#ifndef OASIS_SERVE_MAP_H
#define OASIS_SERVE_MAP_H

#include <stddef.h>

#include "html.h"

/* Writes into url (unescaped: the map escapes it) the link of the
 * département whose INSEE code is code. */
typedef void (*map_link_fn)(void *userdata, const char *code, html *url);

/* Reads the embedded table once (any thread); 0, or -1 when it is
 * malformed or memory ran out. map_render() calls it. */
int map_load(void);

/* The number of colour classes above "none" (b1..b4), and the classes'
 * bounds for a largest count max: bounds[k] is the highest count of class
 * k + 1 (classes that would be empty repeat the previous bound). */
#define MAP_CLASSES 4
void map_bounds(size_t max, size_t bounds[MAP_CLASSES]);

/* Writes the map. counts[i] and selected[i] are those of the département
 * oasis_departement_at(i). Returns 0, or -1 when the table could not be
 * read (nothing is written then). */
int map_render(html *h, const size_t *counts, const unsigned char *selected, map_link_fn link,
               void *userdata);

#endif
