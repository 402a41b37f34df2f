/* The domain thesaurus (corpus/synonyms.tsv): lines of expressions that
 * mean the same thing, read by the French analyzer, the first of each line
 * the preferred one, the others its variants. A line is a group: the query
 * side looks up runs of query words in it, and any member also looks for
 * the other members of its groups, weighted below the words typed, the
 * preferred expression above the variants ("hébergement" finds "logement"
 * and "colocation", "logement" finds "hébergement", "MSP" finds "maison de
 * santé" and "maison médicale"). The built-in table is compiled in; a file
 * read at run time adds its lines to it (oa_thesaurus_load). */
#ifndef OASIS_SEARCH_SYNONYMS_H
#define OASIS_SEARCH_SYNONYMS_H

#include <stddef.h>

#include "oasis.h"

/* The name of a synonyms table that oasis_searcher_load_synonyms() reads
 * in the directory of the index. */
#define OA_SYNONYMS_FILE "synonyms.tsv"

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

/* Parses tsv as oa_thesaurus_parse() does, except that with warn a
 * malformed line is a warning naming file and the line, and is left out. */
int oa_thesaurus_parse_text(const char *tsv, const char *file, oasis_warning_fn warn,
                            void *userdata, oa_thesaurus **out);

/* The built-in table and the lines of the file at path after it (the same
 * format). A malformed line of the file is a warning through warn (when
 * not NULL) naming path and the line, and is left out. Errors: the file
 * cannot be read (OASIS_EIO), is not text (OASIS_EFORMAT), OASIS_ENOMEM. */
int oa_thesaurus_load(const char *path, oasis_warning_fn warn, void *userdata, oa_thesaurus **out);
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

/* The groups (table lines, from 0, counting only lines read) that hold
 * expr's words, in table order. Stores up to max in out; returns how many
 * there are. */
size_t oa_thesaurus_groups(const oa_thesaurus *t, size_t expr, size_t *out, size_t max);

/* The synonyms of expression expr: every other member of each line where
 * expr's words are a member, each once (preferred expressions first),
 * never expr's own words. Stores up to max indexes in out; returns how
 * many there are. */
size_t oa_thesaurus_synonyms(const oa_thesaurus *t, size_t expr, size_t *out, size_t max);

#endif
