/* Places named in the free text of a query: a département by name
 * ("Tarn", "loir et cher") or code ("53", "2A"), a région by name or
 * another name ("Bretagne", "PACA": corpus/place-names.tsv), or a commune
 * ("Vesoul", "Bourg-en-Bresse") standing for its département. A
 * département or région outranks a commune of the same name. The query
 * side boosts the initiatives of those places without excluding the
 * others. */
#ifndef OASIS_SEARCH_PLACES_H
#define OASIS_SEARCH_PLACES_H

#include <stddef.h>

#include "oasis.h"

/* A commune name shared by more départements than this is too vague. */
#define OA_PLACE_MAX_DEPTS 3
/* The longest place name, in words ("saint remy en bouzemont saint
 * genest et isson"). */
#define OA_PLACE_MAX_WORDS 8
/* The longest word (bytes, as typed) worth looking up. */
#define OA_PLACE_MAX_BYTES 128

typedef struct oa_place {
    size_t first, n;  /* the query words [first, first + n) */
    const oasis_departement *dept[OA_PLACE_MAX_DEPTS];
    size_t n_depts;
    const oasis_region *region; /* a région named: n_depts is 0 */
    const char *commune; /* borrowed from the communes table (static), */
    size_t commune_len;  /* not NUL-terminated; NULL for a département */
} oa_place;

/* One query word as typed (a run between spaces: "Loir-et-Cher",
 * "Tarn"), and whether its capital marks a name: the caller says 0 for
 * the first word of a sentence, and gives that word's capital as
 * first_capital, which counts for a place that is all the words ("Nord",
 * "Bordeaux" alone name a place; "Nord de la France" does not). */
typedef struct oa_place_word {
    const char *text;
    size_t len;
    int capital;
    int first_capital;
} oa_place_word;

/* The places among words[0..n), each covering whole words, the longest
 * name first at each word, a département before a commune of the same
 * length. A name that is also a common word (the département "Cher",
 * "Lot", "Somme"; the communes the table marks common, like "Bus" or
 * "Plan", "Le Mans") counts only when capital is set on one of its words. Numbers count
 * as codes when they have two digits (three for overseas départements).
 * Stores up to max places in out and returns how many were stored. */
size_t oa_places_find(const oa_place_word *words, size_t n, oa_place *out, size_t max);

/* 1 when text[0..len), one word as typed, names a département, a région
 * or a commune, capital or not: a word the speller leaves alone. */
int oa_places_known(const char *text, size_t len);

#endif
