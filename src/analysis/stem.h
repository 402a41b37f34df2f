/* The Snowball French stemmer (libstemmer): the only code that uses it. */
#ifndef OASIS_ANALYSIS_STEM_H
#define OASIS_ANALYSIS_STEM_H

#include <stddef.h>

/* Not thread-safe: one per analyzer. */
typedef struct oa_stemmer oa_stemmer;

int oa_stemmer_new(oa_stemmer **out);
void oa_stemmer_free(oa_stemmer *s);

/* Stems word[0..len) (lower case, NFC). *out is borrowed: valid until the
 * next call on s; it is not NUL-terminated. */
int oa_stem(oa_stemmer *s, const char *word, size_t len, const char **out, size_t *outlen);

#endif
