/* The other names people give régions and départements: short forms,
 * acronyms ("PACA", "IDF", "AURA"), compiled in from
 * corpus/place-names.tsv with their fold keys (tools/gen_tables.c). The
 * région and département lookups of departements.h read them too, so a
 * filter (--region PACA) and a query's words understand the same names. */
#ifndef OASIS_TAXONOMY_PLACENAMES_H
#define OASIS_TAXONOMY_PLACENAMES_H

#include <stddef.h>

#include "oasis.h"

/* What another name stands for: a région or a département (one of the
 * two is NULL), and whether the name is also an everyday word. */
typedef struct oa_place_alias {
    const oasis_region *region;
    const oasis_departement *departement;
    int common;
} oa_place_alias;

/* The other name whose fold key is exactly key[0..len) ("paca",
 * "nord pas de calais"): 1 with *out filled, else 0. */
int oa_place_alias_find(const char *key, size_t len, oa_place_alias *out);

/* 1 when the name of some département or région, or some other name,
 * starts with key[0..len) and a space ("pays" → "pays de la loire"). */
int oa_place_name_continues(const char *key, size_t len);

/* The number of other names, and the i-th one's fold key (static), *out
 * filled; NULL past the end. For tests. */
size_t oa_place_alias_count(void);
const char *oa_place_alias_at(size_t i, oa_place_alias *out);

#endif
