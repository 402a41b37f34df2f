/* Rendering of search results: text for people, JSON Lines for programs. */
#ifndef OASIS_QUERY_OUTPUT_H
#define OASIS_QUERY_OUTPUT_H

#include <stdio.h>

#include "oasis.h"

typedef struct out_style {
    int json;  /* JSON Lines instead of text */
    int color;  /* ANSI bold/dim in text output */
    int facets; /* facet counts after the hits */
} out_style;

/* One hit. Returns 0, or -1 when it could not be written. */
int out_hit(FILE *f, const out_style *st, const oasis_hit *h);

/* After the hits: the query and the number of matching initiatives. */
int out_summary(FILE *f, const out_style *st, const char *query, const oasis_results *r);

#endif
