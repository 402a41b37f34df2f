/* Rendering of search results: text for people, JSON Lines for programs. */
#ifndef OASIS_QUERY_OUTPUT_H
#define OASIS_QUERY_OUTPUT_H

#include <stdio.h>

#include "oasis.h"

typedef struct out_style {
    int json;    /* JSON Lines instead of text */
    int color;   /* ANSI bold/colour in text output */
    int facets;  /* facet counts after the hits */
    int explain; /* what each hit matched; the places and synonyms used */
    long line;   /* > 0: the --batch line each JSON object is tagged with */
} out_style;

/* One hit. Returns 0, or -1 when it could not be written. */
int out_hit(FILE *f, const out_style *st, const oasis_hit *h);

/* Before the hits: in text, that the query found nothing and the hits are
 * those of the suggestion. */
int out_header(FILE *f, const out_style *st, const char *query, const oasis_results *r);

/* After the hits: the query, the number of matching initiatives, the
 * facets, the suggestion. */
int out_summary(FILE *f, const out_style *st, const char *query, const oasis_results *r);

/* A --batch line that failed: {"type":"error","line":N,"message":…}. */
int out_error(FILE *f, const out_style *st, const char *message);

#endif
