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
 * (codes, slugs), into *out (caller frees; NULL on failure). OASIS_EFORMAT
 * when a string is not valid UTF-8, OASIS_ENOMEM. */
int oa_docdata_encode(const oasis_doc *doc, const char *id, const char *const *codes,
                      size_t n_codes, const char *const *categories, size_t n_categories,
                      char **out);

/* How deep values may nest: the values of the object are at depth 0, the
 * items of a list among them at 1, and so on. */
#define OA_DOCDATA_MAX_DEPTH 64

/* Parses data written by oa_docdata_encode() into out (zeroed first):
 * any JSON object, keys in any order, unknown ones ignored; a missing
 * string is "", a missing list empty, a missing line 0. Free with
 * oa_docdata_clear(). Malformed data, invalid UTF-8 or values nested
 * deeper than OA_DOCDATA_MAX_DEPTH: OASIS_EINDEX. */
int oa_docdata_decode(const char *json, size_t len, oa_docdata *out);
void oa_docdata_clear(oa_docdata *d);

#endif
