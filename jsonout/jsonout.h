/* The JSON text of search results, written by one piece of code for every
 * program: oasis-query --json and oasis-serve's API give the same objects
 * for the same results. Written straight into a buffer, without building
 * a tree: the text is what jansson's json_dumps(JSON_COMPACT) gives for
 * the same objects (same escapes, same numbers), a few times faster. */
#ifndef OASIS_JSONOUT_H
#define OASIS_JSONOUT_H

#include <stddef.h>

#include "oasis.h"

/* JSON text being written. A failure (out of memory, a string that is not
 * valid UTF-8) is remembered and makes jo_buf_take() give NULL. */
typedef struct jo_buf {
    char *data;
    size_t len, cap;
    int failed;
} jo_buf;

#define JO_BUF_INIT {NULL, 0, 0, 0}

/* The text written (NUL-terminated, the caller's to free; *len its length
 * when len is not NULL), or NULL when anything failed. b is empty again. */
char *jo_buf_take(jo_buf *b, size_t *len);

/* Frees the text; b is empty again. */
void jo_buf_free(jo_buf *b);

/* s as it is (JSON punctuation, a member name known to need no escape). */
void jo_raw(jo_buf *b, const char *s);

/* s as a JSON string: quotes, backslashes and control characters escaped
 * (\b \f \n \r \t, others \u00XX), everything else as it is. */
void jo_string(jo_buf *b, const char *s);

/* Numbers: an integer; a real as "%.17g", with ".0" when that reads as an
 * integer, and an exponent without "+" or leading zeros. */
void jo_int(jo_buf *b, long long v);
void jo_real(jo_buf *b, double v);

/* Why each category of a hit is there (oasis_searcher_category_reasons()),
 * in the hit's order: the rule's phrase (NULL: the record named it) and
 * its line. */
typedef struct jo_reason {
    const char *rule;
    long rule_line;
} jo_reason;

/* The members of a hit, without braces: "rank","id","score","title",
 * "departements":[{"code","name"}],"regions":[{"code","name"}],
 * "categories":[{"slug","label"}],"text","source":"FILE:LINE", then
 * "snippet" and "highlights" ([[start,end]], byte ranges in the snippet)
 * when it has a snippet, "explain" (what it matched: [{"query","kind",
 * "title","text","weight","of"?}]) when explain is set. With reasons
 * (n_categories of them), each category also has "rule" (null when its
 * record named it) and "rule_line". */
void jo_hit_members(jo_buf *b, const oasis_hit *h, int explain, const jo_reason *reasons);

/* What the results say beside the hits, as members: "query","total", then
 * "suggestion" and "corrected" when there is a suggestion, "notice" when
 * the query was read as plain words, "places" and "synonyms" with explain,
 * "facets" ({"departement":[{"code","name","count"}],"region":[…],
 * "category":[{"slug","label","count"}]}) with facets. */
void jo_summary_members(jo_buf *b, const char *query, const oasis_results *r, int facets,
                        int explain);

/* A whole page of results, as one object: the summary's members, then
 * "hits": [hit…]. */
void jo_results(jo_buf *b, const char *query, const oasis_results *r, int facets, int explain);

#endif
