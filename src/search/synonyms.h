/* The domain thesaurus (corpus/synonyms.tsv): lines of expressions that
 * mean the same thing, read by the French analyzer, the first of each line
 * the preferred one, the others its variants (a "use for" relation). The
 * query side looks up runs of query words in it: a variant also looks for
 * its preferred expression, weighted below the words typed ("hébergement"
 * finds "logement", "MSP" finds "maison de santé"); a preferred expression
 * is searched as typed, so a query in the corpus's own words keeps its
 * exact matches. */
#ifndef OASIS_SEARCH_SYNONYMS_H
#define OASIS_SEARCH_SYNONYMS_H

#include <stddef.h>

/* The TSV text compiled in (generated at build time from corpus/). */
extern const char oa_synonyms_tsv[];

/* One expression: its text as written and its analysed words, term[i]
 * with its accent-free alternative alt[i] or NULL (see analyzer.h). */
typedef struct oa_syn_expr {
    char *text;
    char **term;
    char **alt;
    size_t n;
    size_t group; /* the table line's group number, from 0 */
    int preferred; /* 1: the first expression of its line */
} oa_syn_expr;

typedef struct oa_thesaurus oa_thesaurus;

/* Parses a thesaurus: '#' comments and blank lines skipped, every other
 * line two or more tab-separated expressions. An expression with no word
 * left after analysis, or a line with fewer than two expressions, is
 * OASIS_EFORMAT with its line. */
int oa_thesaurus_parse(const char *tsv, oa_thesaurus **out);
void oa_thesaurus_free(oa_thesaurus *t);

/* The built-in table, compiled in already analysed (tools/gen_tables.c):
 * always 0, nothing is parsed. Static, for the process's life; thread-safe. */
int oa_thesaurus_builtin(const oa_thesaurus **out);

size_t oa_thesaurus_size(const oa_thesaurus *t);
const oa_syn_expr *oa_thesaurus_at(const oa_thesaurus *t, size_t i);

/* The longest expression whose words are the first words of the query
 * words term[0..n) / alt[0..n) (a word matches when its term or its
 * alternative is the expression's term or alternative at that place).
 * Returns its number of words (0 when none) and its index in *expr. */
size_t oa_thesaurus_match(const oa_thesaurus *t, const char *const *term,
                          const char *const *alt, size_t n, size_t *expr);

/* The synonyms of expression expr: the preferred expression of every line
 * where expr's words are a variant, each once, never expr's own words.
 * Stores up to max indexes in out; returns how many there are. */
size_t oa_thesaurus_synonyms(const oa_thesaurus *t, size_t expr, size_t *out, size_t max);

#endif
