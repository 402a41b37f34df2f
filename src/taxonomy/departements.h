/* The table of French départements, built into the library from
 * corpus/departements.tsv (code, name, région code, région name) already
 * parsed and folded at build time (tools/gen_tables.c), and the resolution
 * of names and codes written by people. */
#ifndef OASIS_TAXONOMY_DEPARTEMENTS_H
#define OASIS_TAXONOMY_DEPARTEMENTS_H

#include <stddef.h>

#include "oasis.h"

/* The TSV text compiled in (generated at build time from corpus/): the
 * table itself is compiled in parsed; the text is kept for the index's
 * record of what it was built with (src/index/sync.c). */
extern const char oa_departements_tsv[];

/* Always 0: the table is compiled in ready to use (a malformed table fails
 * the build). Kept so that callers may still check it. */
int oa_departements_init(void);

/* The département whose INSEE code is exactly code[0..len) as the table
 * writes it: "01".."95", "2A", "2B", "971".."976" (two or three
 * characters, upper-case A/B, leading zero). A constant-time lookup with
 * no folding and no allocation, for codes read back from an index (facet
 * values, stored data). Anything else ("1", "2a", " 45", names), and NULL
 * code, gives NULL: use oa_departement_find() for text written by people.
 * Returns a static entry. Thread-safe. */
const oasis_departement *oa_departement_by_code(const char *code, size_t len);

/* The région whose INSEE code is exactly code[0..len) as the table writes
 * it (two digits: "24", "01"); NULL otherwise, and for NULL code. No
 * folding, no allocation; returns a static entry. Thread-safe. */
const oasis_region *oa_region_by_code(const char *code, size_t len);

/* The fold key (oa_fold_key) of the name of the i-th département in table
 * order ("loir et cher"), static, and its length in *len (may be NULL);
 * NULL past the end. */
const char *oa_departement_key(size_t i, size_t *len);

/* One code or name, exactly (after folding case, accents, hyphens and
 * spaces): "45", "2a", "1", "loir et cher", "Loir-et-Cher". A name that
 * starts with an article may be written without it ("Réunion"); another
 * name of corpus/place-names.tsv counts too. NULL if
 * none. A canonical code ("45", "2A") is found by oa_departement_by_code()
 * without folding. */
const oasis_departement *oa_departement_find(const char *s, size_t len);

/* A label that may name several départements, joined by '&', ',', '/', ';'
 * or " et " between two names ("Meurthe-et-Moselle & Vosges"). Within each
 * part the longest run of words that is a name wins, so " et " splits only
 * where no name spans it ("Lot et Garonne" is 47; "Cher et Indre" is 18,
 * 36). Stores up to max distinct matches in out and their number in *n.
 * Returns 0 when every part resolved, OASIS_ENOTFOUND when some part did
 * not (the resolved ones are still in out; the message is "unknown
 * département 'X'" for the first such part as written), and sets *n = 0
 * for an empty label. */
int oa_departement_resolve_label(const char *label, size_t len,
                                 const oasis_departement **out, size_t max, size_t *n);

/* Every département named in free text, longest name first at each place
 * and on word boundaries ("le Loir-et-Cher" gives 41, not 18 for Cher),
 * each once, in order of first appearance. Returns how many were stored
 * (at most max). */
size_t oa_departement_scan(const char *text, size_t len,
                           const oasis_departement **out, size_t max);

/* A région by code ("24", "1" for "01") or name in any case, with or
 * without accents, hyphens or spaces ("centre val de loire"), or another
 * name of corpus/place-names.tsv ("PACA", "IDF"). NULL if none.
 * A canonical code ("24") is found by oa_region_by_code() without folding. */
const oasis_region *oa_region_find(const char *s, size_t len);

#endif
