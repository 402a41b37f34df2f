/* The built-in thesaurus as tools/gen_tables.c compiles it in from
 * corpus/synonyms.tsv: every expression already analysed by the library's
 * analyzer, in table order, as oa_thesaurus_parse() would make it. Internal
 * to src/search/synonyms.c (and its tests). */
#ifndef OASIS_SEARCH_SYNONYMS_TABLE_H
#define OASIS_SEARCH_SYNONYMS_TABLE_H

#include <stddef.h>

#include "search/synonyms.h"

extern oa_syn_expr oa_synonyms_table[]; /* not to be modified */
extern const size_t oa_synonyms_table_size;

#endif
