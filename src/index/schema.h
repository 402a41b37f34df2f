/* The index scheme shared by the writer and the searcher: what goes where
 * in the Xapian database. Changing any of it means bumping
 * OA_SCHEMA_VERSION: readers refuse an index of another schema. */
#ifndef OASIS_INDEX_SCHEMA_H
#define OASIS_INDEX_SCHEMA_H

#define OA_SCHEMA_VERSION "5"

/* Metadata keys. */
#define OA_META_ANALYZER "oasis.analyzer" /* OA_ANALYZER_VERSION */
#define OA_META_SCHEMA "oasis.schema"     /* OA_SCHEMA_VERSION */
#define OA_META_SOURCES "oasis.sources"   /* the sources read (index/sync.h) */
#define OA_META_SHARDS "oasis.shards"     /* shards of a sharded index, in each */

/* Term prefixes. Unprefixed terms are the stemmed words of title and text. */
#define OA_PREFIX_ID "Q"        /* unique id: one document per id */
#define OA_PREFIX_DEPT "XD"     /* département code: XD45, XD2A, XD971 */
#define OA_PREFIX_REGION "XR"   /* région code, derived from the département */
#define OA_PREFIX_CATEGORY "XC" /* category slug */
#define OA_PREFIX_TITLE "S"     /* stemmed title words (field search) */
/* Indexes written before sources had an identity also mark each document
 * with "XS" and its source path: nothing reads it. */

/* Value slots. Multi-valued fields are joined by ','. */
#define OA_SLOT_DEPTS 0
#define OA_SLOT_CATEGORIES 1
#define OA_SLOT_REGIONS 2
/* The order of a search with no words: the first département code and the
 * title's fold key (as a derived id), '\x01', then the id. */
#define OA_SLOT_ORDER 3
/* The id (the id term without its prefix): equal weights rank by it,
 * ascending, so that the order is the same on one index or its shards. */
#define OA_SLOT_ID 4

/* Title words are counted this many times (weigh more than text words). */
#define OA_TITLE_WDF 3

#endif
