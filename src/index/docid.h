/* Derived document ids: stable, readable, made from the data itself. */
#ifndef OASIS_INDEX_DOCID_H
#define OASIS_INDEX_DOCID_H

#include <stddef.h>

#include "oasis.h"
#include "util/buf.h"

/* Writes into out (reset first) the id of a document that has none:
 * "<first département code or xx>-<fold key of the title, spaces as '-',
 * cut at a word boundary before 60 bytes>", e.g. "45-plan-priorite-sante".
 * Without a title the text is used; without either, a hash. codes are the
 * document's resolved département codes. */
int oa_doc_id(const oasis_doc *doc, const char *const *codes, size_t n_codes, oa_buf *out);

#endif
