/* Pieces the corpus readers share: lines, trimming, warnings, the
 * département codes of a record, and the two line shapes that also serve
 * format detection. */
#ifndef OASIS_CORPUS_COMMON_H
#define OASIS_CORPUS_COMMON_H

#include <stddef.h>

#include "corpus/reader.h"

/* What a reader gets from oa_read_bytes() besides the oa_reader: the bad
 * lines of the decoded text (sorted; see corpus/encoding.h) and the progress
 * to keep current. The public readers run with none. */
typedef struct oa_read_ctx {
    const long *bad_lines;
    size_t n_bad;
    oa_read_progress *progress; /* may be NULL */
} oa_read_ctx;

int oa_read_records_ctx(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx);
int oa_read_listing_ctx(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx);
int oa_read_jsonl_ctx(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx);

/* One line s[0..n) of JSON Lines, number no: nothing when blank; skipped
 * (counted, not warned: its warning was given when it was decoded) when
 * bad; else emitted, or skipped with a warning. 0, the first non-zero value
 * of emit, or a negative error. */
int oa_corpus_jsonl_line(oa_reader *r, long no, const char *s, size_t n, int bad);

/* 1 when line (from 1) is one of ctx's bad lines. */
int oa_corpus_line_bad(const oa_read_ctx *ctx, long line);

/* Records that the bytes before pos have been read. */
void oa_corpus_progress(const oa_read_ctx *ctx, size_t pos);

/* Drops a leading UTF-8 byte order mark. */
void oa_corpus_skip_bom(const char **buf, size_t *len);

/* The next line of buf from *pos (its '\n' and a '\r' before it excluded);
 * 0 at the end of buf. */
int oa_corpus_next_line(const char *buf, size_t len, size_t *pos, const char **line,
                        size_t *n);

/* Shrinks s[0..*n) past ASCII white space and no-break spaces at both ends. */
void oa_corpus_trim(const char **s, size_t *n);

/* OASIS_EFORMAT "invalid utf-8 at line L, byte B" (B from 0 in buf), or 0. */
int oa_corpus_check_utf8(const char *buf, size_t len);

/* Reports a problem at line through r->warn and counts it. */
void oa_corpus_warn(oa_reader *r, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The distinct département codes of one record (static strings). */
#define OA_CODES_MAX 128
typedef struct oa_codes {
    const char *v[OA_CODES_MAX];
    size_t n;
} oa_codes;

/* Adds the départements named by label[0..len) to codes; a part that does
 * not resolve is a warning at line. 0 or a negative error. */
int oa_corpus_resolve(oa_reader *r, long line, const char *label, size_t len, oa_codes *codes);

/* Calls r->emit with one record; empty strings stand for absent ones. */
int oa_corpus_emit(oa_reader *r, const char *id, const char *title, const char *text,
                   const oa_codes *codes, const char *const *categories, size_t n_categories,
                   long line);

/* A records header "NN. Name" (code of 2-3 digits or 2A/2B): the
 * département its name resolves to, else NULL. *by_code (may be NULL)
 * receives the one its code names, NULL if none. */
const oasis_departement *oa_corpus_record_header(const char *s, size_t n,
                                                 const oasis_departement **by_code);

/* A line shaped as a records header whose code and name both name no
 * département ("99. Nulle part"): a code of 2-3 digits or 2A/2B, ". ", and
 * a name as département names go: at most 4 words and 48 bytes, starting
 * with a letter, without digits or sentence punctuation. Sets the code
 * (*code_len bytes at s) and the name (trimmed) and returns 1; returns 0
 * for anything else, a header that resolves included. */
int oa_corpus_unknown_header(const char *s, size_t n, size_t *code_len, const char **name,
                             size_t *name_len);

/* The next listing item introduction "[Label]" in s[from..n): a '[' at the
 * start or after white space, a label of at most OA_LABEL_MAX bytes on one
 * line that holds a letter and does not start with a lower-case one, a ']'
 * followed by white space or the end. Stores the offsets of '[' and ']'
 * and returns 1, or returns 0. "[…]" and "[sic]" are not introductions. */
#define OA_LABEL_MAX 120
int oa_corpus_find_intro(const char *s, size_t n, size_t from, size_t *open, size_t *close);

#endif
