/* The table of French départements, built into the library from
 * corpus/departements.tsv (code, name, région code, région name), and the
 * resolution of names and codes written by people. */
#ifndef OASIS_TAXONOMY_DEPARTEMENTS_H
#define OASIS_TAXONOMY_DEPARTEMENTS_H

#include <stddef.h>

#include "oasis.h"

/* The TSV text compiled in (generated at build time from corpus/). */
extern const char oa_departements_tsv[];

/* Parses the built-in table once (thread-safe); 0 or OASIS_ENOMEM /
 * OASIS_EFORMAT (a malformed table is a build defect, reported with its
 * line). Every other function here calls it. */
int oa_departements_init(void);

/* One code or name, exactly (after folding case, accents, hyphens and
 * spaces): "45", "2a", "1", "loir et cher", "Loir-et-Cher". A name that
 * starts with an article may be written without it ("Réunion"). NULL if
 * none. */
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
 * without accents, hyphens or spaces ("centre val de loire"). NULL if none. */
const oasis_region *oa_region_find(const char *s, size_t len);

#endif
