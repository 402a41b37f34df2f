/* The document data stored with each initiative: a JSON object holding
 * what a hit displays (id, title, text, département codes, categories,
 * source file and line). */
#ifndef OASIS_INDEX_DOCDATA_H
#define OASIS_INDEX_DOCDATA_H

#include <stddef.h>

#include "oasis.h"

typedef struct oa_docdata {
    char *id, *title, *text, *source_file;
    long source_line;
    char **departements; /* codes */
    size_t n_departements;
    char **categories;
    size_t n_categories;
} oa_docdata;

/* JSON text of doc, with its départements and categories as resolved
 * (codes, slugs); caller frees. NULL on failure, with the error recorded. */
char *oa_docdata_encode(const oasis_doc *doc, const char *id, const char *const *codes,
                        size_t n_codes, const char *const *categories, size_t n_categories);

/* Parses data written by oa_docdata_encode() into out (zeroed first).
 * Free with oa_docdata_clear(). Malformed data: OASIS_EINDEX. */
int oa_docdata_decode(const char *json, size_t len, oa_docdata *out);
void oa_docdata_clear(oa_docdata *d);

#endif
