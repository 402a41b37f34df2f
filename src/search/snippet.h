/* Snippets: the best short window(s) of a hit's text around the words a
 * query matched, cut at word boundaries, with the byte ranges to
 * highlight. Matching is by analysed term, so "logement" highlights
 * "logements" and "medecins" highlights "Médecins": the text is read by
 * the same analyzer as the index (Xapian's MSet::snippet cannot use it). */
#ifndef OASIS_SEARCH_SNIPPET_H
#define OASIS_SEARCH_SNIPPET_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "oasis.h"

/* What to highlight: a word, or a phrase of up to OA_PATTERN_WORDS words,
 * each word given as a term and an optional alternative (analyzer.h). A
 * phrase matches words at consecutive positions, as the index's phrases
 * do (stop words take none). */
#define OA_PATTERN_WORDS 8

typedef struct oa_pattern {
    size_t n;
    const char *term[OA_PATTERN_WORDS];
    const char *alt[OA_PATTERN_WORDS];
} oa_pattern;

typedef struct oa_snippet {
    char *text;          /* NUL-terminated */
    size_t len;
    oasis_range *hl;     /* byte ranges in text, in order, not overlapping */
    size_t n_hl;
} oa_snippet;

/* The snippet of text[0..len) for the patterns pat[0..n_pat): the window
 * of about max bytes holding the most distinct matched patterns (then the
 * most matches), starting a little before the first one (at the start of
 * its sentence when that is near); when some matched patterns are left
 * out, a second, shorter window around the first of them follows after
 * " … ". Windows are cut at white space. A matched phrase is one
 * highlighted range. This one analyses every word of the text: it is the
 * reference that oa_snippet_make_cached() must equal.
 * A window that does not reach an end of the text gets "…" there; line
 * breaks and tabs become spaces. With no match, the start of the text.
 * Invalid UTF-8 in text: OASIS_EFORMAT. out is zeroed first; free it with
 * oa_snippet_free(). */
int oa_snippet_make(oa_analyzer *a, const char *text, size_t len, const oa_pattern *pat,
                    size_t n_pat, size_t max, oa_snippet *out);
void oa_snippet_free(oa_snippet *s);

/* The words already read from texts, by chunk of text between white space,
 * with their terms: oa_snippet_make_cached() analyses only the chunks it
 * has not met before. Bounded (it starts again empty past 16 MiB). Used by
 * one thread at a time, with one analyzer; snippets do not point into it. */
typedef struct oa_snippet_cache oa_snippet_cache;

int oa_snippet_cache_new(oa_snippet_cache **out);
void oa_snippet_cache_free(oa_snippet_cache *c); /* NULL is accepted */

/* oa_snippet_make() reading the text through cache (NULL: a cache of this
 * call only), and analysing only the chunks that can hold a match: those
 * with a word starting with the first two letters of a pattern's term
 * (with every chunk when a term is shorter or not plain a-z 0-9), and
 * after a word a phrase may go on from, the next chunk. The snippet is
 * the same as oa_snippet_make()'s. */
int oa_snippet_make_cached(oa_snippet_cache *cache, oa_analyzer *a, const char *text, size_t len,
                           const oa_pattern *pat, size_t n_pat, size_t max, oa_snippet *out);

#endif
