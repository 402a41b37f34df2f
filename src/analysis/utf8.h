/* UTF-8 primitives of the analyzer: the only code that calls utf8proc. */
#ifndef OASIS_ANALYSIS_UTF8_H
#define OASIS_ANALYSIS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Decodes one code point at s[0..len); returns its byte length (>= 1), or
 * -1 for an invalid or truncated sequence (overlong forms and surrogates
 * included). */
int oa_utf8_decode(const char *s, size_t len, int32_t *cp);

/* 1 for letters, digits (any Unicode category L*, N*) and combining marks
 * (M*): the characters words are made of. */
int oa_utf8_is_word_char(int32_t cp);

/* 1 for upper-case and title-case letters (categories Lu, Lt). */
int oa_utf8_is_upper(int32_t cp);

/* 1 for the apostrophes the analyzer reads as ': ' ’ ‘ ʼ ′ */
int oa_utf8_is_apostrophe(int32_t cp);

/* NFC + case fold of s[0..len) into *out (caller frees). */
int oa_utf8_fold(const char *s, size_t len, char **out, size_t *outlen);

/* Accents stripped (NFD, combining marks dropped, NFC) and œ → oe, æ → ae,
 * of already folded text. */
int oa_utf8_strip_accents(const char *s, size_t len, char **out, size_t *outlen);

/* Working memory reused by the *_append functions, so that the per-word path
 * of the analyzer allocates nothing once warmed up. Not shared between
 * threads. */
typedef struct oa_utf8_work {
    int32_t *cp;
    size_t cap;
} oa_utf8_work;

#define OA_UTF8_WORK_INIT {NULL, 0}

void oa_utf8_work_free(oa_utf8_work *w);

/* Appends to out the NFC + case fold of valid UTF-8 s[0..len), every
 * apostrophe (see oa_utf8_is_apostrophe) written as ' and default ignorable
 * characters (soft hyphen, zero-width joiners) dropped. */
int oa_utf8_fold_append(oa_utf8_work *w, const char *s, size_t len, oa_buf *out);

/* Appends to out s[0..len) (valid, folded UTF-8) with accents stripped and
 * œ → oe, æ → ae. */
int oa_utf8_strip_accents_append(oa_utf8_work *w, const char *s, size_t len, oa_buf *out);

/* Appends to out s[0..len) with only œ → oe and æ → ae (lower case). */
int oa_utf8_expand_ligatures_append(const char *s, size_t len, oa_buf *out);

/* 1 when s[0..len) is plain ASCII. */
int oa_utf8_is_ascii(const char *s, size_t len);

#endif
