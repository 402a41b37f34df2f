/* Growable byte buffer, always NUL-terminated. */
#ifndef OASIS_UTIL_BUF_H
#define OASIS_UTIL_BUF_H

#include <stddef.h>

typedef struct oa_buf {
    char *data;  /* NULL until the first append; NUL-terminated after it */
    size_t len;
    size_t cap;
} oa_buf;

#define OA_BUF_INIT {NULL, 0, 0}

/* Each returns 0, or OASIS_ENOMEM with the buffer unchanged. */
int oa_buf_append(oa_buf *b, const char *s, size_t n);
int oa_buf_puts(oa_buf *b, const char *s);
int oa_buf_putc(oa_buf *b, char c);
int oa_buf_printf(oa_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Makes room for extra more bytes (and the NUL) without changing the
 * contents: data[len..cap) may then be written. */
int oa_buf_reserve(oa_buf *b, size_t extra);
/* Hands the bytes to the caller (free() them); the buffer is reset.
 * Never NULL on success: an empty buffer gives "". */
char *oa_buf_detach(oa_buf *b);
void oa_buf_reset(oa_buf *b); /* length 0, memory kept */
void oa_buf_free(oa_buf *b);

/* strndup that reports OASIS_ENOMEM through oa_error; NULL on failure. */
char *oa_strndup(const char *s, size_t n);
char *oa_strdup(const char *s);

/* Reads a whole file. On success *out (caller frees) is NUL-terminated. */
int oa_read_file(const char *path, char **out, size_t *len);

#endif
