/* The French analyzer: the one pipeline that turns text into index terms,
 * used by the indexer and the query side alike (see docs/ARCHITECTURE.md).
 *
 *   1. validate UTF-8 (invalid input: OASIS_EFORMAT with the byte offset)
 *   2. NFC + case fold; apostrophes ’ ‘ ʼ ′ read as '
 *   3. words = runs of letters, digits and combining marks; '-' and every
 *      other character split; an apostrophe between two letters stays inside
 *      the word (l'hôpital, aujourd'hui); words joined by '-' or '/' (2 to
 *      OA_COMPOUND_PARTS of them, no space) are a compound, which also
 *      gives its parts written together (below)
 *   4. elisions stripped: l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu'
 *      quoiqu'; any apostrophe left is removed (aujourd'hui → aujourdhui)
 *   5. stop words dropped (they take no position)
 *   6. œ → oe, æ → ae, then the Snowball French stemmer
 *   7. accents stripped last
 *
 * When a word has accents and its accent-free spelling stems differently
 * (Snowball reads -ité only with its accent), that second stem follows as a
 * token flagged alt, at the same position: documents carry both, and the
 * query side searches that second stem alone (every spelling of the word
 * has it), so accents never decide a match.
 *
 * A compound ("pluri-professionnelles", "bien-être", "sport/santé") gives
 * its parts' tokens as any words, then the tokens of its parts written
 * together ("pluriprofessionnelles" → pluriprofessionnel), flagged
 * compound, at the position of its last kept part (a new position when
 * every part is a stop word) and with the byte range of the whole
 * compound: a document written either way holds the joined term, and a
 * phrase of the parts still matches ("Loir-et-Cher"). Readers of tokens
 * as a sequence of words (snippets, rules, thesaurus expressions) skip
 * compound tokens; the query side searches them beside the parts'
 * phrase.
 *
 * Every token keeps the byte range of its word in the original text. */
#ifndef OASIS_ANALYSIS_ANALYZER_H
#define OASIS_ANALYSIS_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* A document's text is analysed starting this many positions after its
 * title's last word (by the index writer and the category rules alike), so
 * a phrase never spans title and text. */
#define OA_TEXT_POS_GAP 100

/* Bump when any step above changes what terms come out: an index records the
 * version it was written with and readers refuse another one. */
#define OA_ANALYZER_VERSION "fr-2"

/* A compound of more words than this ("Saint-Remy-en-Bouzemont-…") gives
 * no joined term. */
#define OA_COMPOUND_PARTS 4

typedef struct oa_token {
    char *term;      /* NUL-terminated, owned by the token list */
    size_t term_len;
    uint32_t pos;    /* 0-based position among the kept words */
    size_t start;    /* byte range [start, end) of the word in the input, */
    size_t end;      /* elided article included ("l'attractivité") */
    int alt;         /* 1: another term of the previous token's word */
    int compound;    /* 1: the parts of a compound written together */
} oa_token;

typedef struct oa_tokens {
    oa_token *v;
    size_t n;
    size_t cap;
} oa_tokens;

#define OA_TOKENS_INIT {NULL, 0, 0}

void oa_tokens_clear(oa_tokens *t); /* n = 0, memory kept for reuse */
void oa_tokens_free(oa_tokens *t);

/* An analyzer holds a stemmer: one per thread. */
typedef struct oa_analyzer oa_analyzer;

int oa_analyzer_new(oa_analyzer **out);
void oa_analyzer_free(oa_analyzer *a);

/* Appends the tokens of text[0..len) to out (not cleared first), numbering
 * positions from first_pos. On invalid UTF-8 returns OASIS_EFORMAT with the
 * byte offset in the error message and leaves out as it was. */
int oa_analyze(oa_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               oa_tokens *out);

/* The plain form of one word as the analyzer reads it, before stop words
 * and stemming: NFC, case folded, elision and apostrophes removed, œ/æ
 * expanded, accents stripped ("L'Hôpital" → "hopital"). Replaces the
 * content of *out. Used for the spelling dictionary, where words are kept
 * unstemmed and accent-free. Invalid UTF-8: OASIS_EFORMAT. */
int oa_analyzer_plain(oa_analyzer *a, const char *word, size_t len, oa_buf *out);

/* Bytes of the apostrophe at text[0..len) (any the analyzer reads as one:
 * ' ’ ‘ ʼ ′), or 0 when text does not start with one. */
size_t oa_apostrophe_len(const char *text, size_t len);

/* The elision that starts the word word[0..len) (valid UTF-8) as typed,
 * as step 4 strips it: *bytes gets the length of the elided article or
 * pronoun with its apostrophe, whichever apostrophe it is ("l'", "L’",
 * "qu‘"), or 0 when the word has none ("aujourd'hui"). Errors: those of
 * folding (OASIS_ENOMEM). */
int oa_analyzer_elision(oa_analyzer *a, const char *word, size_t len, size_t *bytes);

/* 1 when the first letter of text[0..len) is an upper-case letter
 * ("Vesoul", "Écija"); 0 otherwise or for invalid UTF-8. */
int oa_word_capitalized(const char *text, size_t len);

/* One word or short text reduced to a comparison key: NFC, case folded,
 * accents stripped, œ/æ expanded, every run of non-alphanumeric characters
 * turned into one space, trimmed. No stemming, no stop words.
 * "Loir-et-Cher" and "loir et cher" give "loir et cher". Caller frees *out.
 * Invalid UTF-8: OASIS_EFORMAT. */
int oa_fold_key(const char *text, size_t len, char **out);

/* 1 when text[0..len) is valid UTF-8; otherwise 0 and *bad_offset (if not
 * NULL) is the offset of the first invalid byte. */
int oa_utf8_valid(const char *text, size_t len, size_t *bad_offset);

#endif
