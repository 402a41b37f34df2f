/* The département table as tools/gen_tables.c compiles it in from
 * corpus/departements.tsv: rows in table order, with the fold keys
 * (oa_fold_key) of the names and of the région names already made, so
 * that nothing is parsed or folded at run time. Internal to
 * src/taxonomy/departements.c (and its tests). */
#ifndef OASIS_TAXONOMY_DEPARTEMENTS_TABLE_H
#define OASIS_TAXONOMY_DEPARTEMENTS_TABLE_H

#include <stddef.h>

#include "oasis.h"

/* Slots of the code index: "00".."99" are 0..99, "2A" 100, "2B" 101,
 * "970".."979" 102..111. */
#define OA_DEPT_CODE_SLOTS 112

typedef struct oa_dept_key {
    const char *key; /* fold key of the name ("loir et cher") */
    size_t len;
    int alias;       /* offset in key past a leading article ("la reunion" -> 3), or -1 */
} oa_dept_key;

extern const oasis_departement oa_dept_table[]; /* oa_dept_count rows, table order */
extern const oa_dept_key oa_dept_keys[];        /* one per row */
extern const unsigned char oa_dept_by_len[];    /* row indexes, longest key first */
extern const unsigned char oa_dept_code_slots[OA_DEPT_CODE_SLOTS]; /* row + 1, or 0 */
extern const size_t oa_dept_count;
extern const size_t oa_dept_max_words;          /* words in the longest key */

extern const oasis_region oa_region_table[];    /* distinct régions, by code */
extern const char *const oa_region_keys[];      /* fold key of each région name */
extern const size_t oa_region_count;

/* The other names of corpus/place-names.tsv ("PACA", "IDF"), in
 * table order. */
typedef struct oa_place_name {
    const char *key;  /* fold key of the name ("paca") */
    size_t len;
    int region;       /* 1: code is a région's; 0: a département's */
    const char *code; /* INSEE code as the table writes it */
    int common;       /* 1: also an everyday word ("centre") */
} oa_place_name;

extern const oa_place_name oa_place_names[];
extern const size_t oa_place_name_count;

#endif
