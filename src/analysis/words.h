/* The distinct words of an analysed document, in their plain form (see
 * oa_analyzer_plain): what the writer adds to the index's spelling
 * dictionary, so that suggestions are real words, unstemmed and
 * accent-free. One word per distinct term keeps indexing cheap. */
#ifndef OASIS_ANALYSIS_WORDS_H
#define OASIS_ANALYSIS_WORDS_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/vec.h"

typedef struct oa_words {
    oa_buf text;          /* the words, each NUL-terminated */
    OA_VEC(size_t) off;   /* where each starts in text */
    oa_map seen;          /* the terms met, reused between calls */
} oa_words;

#define OA_WORDS_INIT {OA_BUF_INIT, {NULL, 0, 0}, OA_MAP_INIT}

/* How many words w holds. */
static inline size_t oa_words_count(const oa_words *w)
{
    return w->off.n;
}

/* Replaces out's content with the plain form of the first word of each
 * distinct term among toks (alternative terms skipped): toks[0..n_title)
 * were read from title, the rest from text. Words shorter than three
 * characters and numbers are left out. */
int oa_words_collect(oa_analyzer *a, const char *title, const char *text, const oa_tokens *toks,
                     size_t n_title, oa_words *out);

/* The i-th word (borrowed until the next collect or free) and its length. */
const char *oa_words_at(const oa_words *w, size_t i, size_t *len);

void oa_words_free(oa_words *w);

#endif
