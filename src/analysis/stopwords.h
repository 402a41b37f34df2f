/* French stop words: function words that carry no meaning for search.
 * Entries are case folded and accent stripped ("à" is "a", "été" is "ete"). */
#ifndef OASIS_ANALYSIS_STOPWORDS_H
#define OASIS_ANALYSIS_STOPWORDS_H

#include <stddef.h>

/* Bytes in the longest stop word: longer words skip the lookup. */
#define OA_STOPWORD_MAX_LEN 10

/* 1 when w[0..len) (folded, accent stripped) is a stop word. */
int oa_stopword_is(const char *w, size_t len);

/* The list itself, sorted by byte value (for tests and tools). */
size_t oa_stopword_count(void);
const char *oa_stopword_at(size_t i); /* NULL when i is out of range */

#endif
