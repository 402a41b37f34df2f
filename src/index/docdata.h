/* The document data stored with each initiative: what a hit displays (id,
 * title, text, département codes, categories, source file and line), as
 * length-prefixed fields that need no parser (docdata.c). */
#ifndef OASIS_INDEX_DOCDATA_H
#define OASIS_INDEX_DOCDATA_H

#include <stddef.h>

#include "oasis.h"
#include "util/buf.h"

typedef struct oa_docdata {
    char *id, *title, *text, *source_file;
    long source_line;
    char **departements; /* codes */
    size_t n_departements;
    char **categories;
    size_t n_categories;
} oa_docdata;

/* The data of doc, with its départements and categories as resolved
 * (codes, slugs), into out (replaced). OASIS_EFORMAT when a string is not
 * valid UTF-8, OASIS_ENOMEM. */
int oa_docdata_encode(const oasis_doc *doc, const char *id, const char *const *codes,
                      size_t n_codes, const char *const *categories, size_t n_categories,
                      oa_buf *out);

/* Reads data[0..len) written by oa_docdata_encode() into out (zeroed
 * first; every string set, every list allocated). Free with
 * oa_docdata_clear(). Anything else (cut short, a length past the end,
 * invalid UTF-8, a NUL in a string, bytes left over): OASIS_ECORRUPT. */
int oa_docdata_decode(const char *data, size_t len, oa_docdata *out);
void oa_docdata_clear(oa_docdata *d);

#endif
