/* A corpus file's bytes made into the UTF-8 text the readers take.
 *
 *   - A UTF-8 byte order mark is dropped. UTF-16 and UTF-32 with a byte
 *     order mark are converted (iconv), with a warning naming the encoding.
 *   - Text that looks like UTF-16 without a byte order mark, or binary data
 *     (a known file signature, or control bytes making more than a tenth of
 *     the first 64 KiB), is refused: OASIS_EFORMAT with the reason.
 *   - Text that is not UTF-8 and holds no UTF-8 sequence of two or more bytes
 *     (or more invalid bytes than valid sequences) is read as Windows-1252,
 *     else ISO-8859-1, through iconv, with one warning for the file.
 *   - In UTF-8 text, a line holding an invalid sequence (truncated, stray
 *     continuation byte, overlong form, surrogate, beyond U+10FFFF), a NUL
 *     byte, or more than OA_LINE_MAX bytes is a bad line: one warning with
 *     its line, column and reason; its invalid bytes become U+FFFD so the
 *     text stays valid UTF-8, and the readers drop the record holding it.
 *
 * Lines are counted as the readers count them: from 1, ending at '\n'. */
#ifndef OASIS_CORPUS_ENCODING_H
#define OASIS_CORPUS_ENCODING_H

#include <stddef.h>

#include "corpus/reader.h"
#include "util/buf.h"

/* The longest line a record may hold, in bytes. */
#define OA_LINE_MAX (1024 * 1024)

typedef struct oa_text {
    const char *data;    /* UTF-8; borrowed from the input when no change
                            was needed, else owned (and NUL-terminated) */
    size_t len;
    char *owned;         /* data when it was rewritten, else NULL */
    long *bad_lines;     /* sorted line numbers of bad lines; owned */
    size_t n_bad;
    const char *encoding; /* what the bytes were read as: "UTF-8",
                             "Windows-1252", "ISO-8859-1", "UTF-16LE"... */
} oa_text;

#define OA_TEXT_INIT {NULL, 0, NULL, NULL, 0, "UTF-8"}

/* Decodes buf[0..len) (buf[len] need not be readable) into out, reporting
 * through r (warnings at the lines concerned, counted in r->warnings).
 * Returns 0; OASIS_EFORMAT with the reason when the file is refused;
 * OASIS_ENOMEM. out is to be released with oa_text_free() in every case. */
int oa_corpus_decode(oa_reader *r, const char *buf, size_t len, oa_text *out);

void oa_text_free(oa_text *t);

/* ---- Pieces of the above for reading a file in blocks (corpus/stream.c) */

/* What oa_corpus_decode() weighs to tell UTF-8 from an 8-bit encoding,
 * gathered over the pieces of a file. Zero it first. */
typedef struct oa_census {
    size_t valid, invalid; /* multi-byte sequences, invalid spots */
    long line;             /* lines before the first invalid spot, from 1 */
    long first_line;       /* line of the first invalid spot */
    int first_found;
} oa_census;

/* Adds buf[0..n) to c; returns how many bytes it took: a sequence cut by
 * the end of buf is left (unless eof), to be given again in front of the
 * next piece. Set c->line to 1 before the first piece. */
size_t oa_encoding_census(oa_census *c, const char *buf, size_t n, int eof);

/* 1 when text with census c is read as UTF-8 (as oa_corpus_decode()
 * decides), 0 when it is read as Windows-1252 or ISO-8859-1. */
int oa_encoding_is_utf8(const oa_census *c);

/* For a file without a UTF-16/32 byte order mark, its first bytes (its
 * UTF-8 one dropped; 64 KiB are enough): why it is refused as binary, ""
 * when it looks like UTF-16 without a byte order mark, NULL when neither. */
const char *oa_encoding_binary(const char *buf, size_t len);

/* The UTF-16/32 encoding named by a byte order mark at buf, with *bom its
 * length; NULL when there is none. */
const char *oa_encoding_bom(const char *buf, size_t len, size_t *bom);

/* Checks one line s[0..n) of UTF-8 text (without its '\n') as
 * oa_corpus_decode() does: *bad 1 when it is a bad line (then ++*n_bad and
 * the warning, the first 50 of a file only); fixed gets the line with its
 * invalid bytes replaced when there were some (else its length is 0). */
int oa_encoding_check_line(oa_reader *r, const char *s, size_t n, long line, size_t *n_bad,
                           oa_buf *fixed, int *bad);

/* The warning counting the bad lines beyond the first 50, if any. */
void oa_encoding_bad_summary(oa_reader *r, size_t n_bad);

#endif
