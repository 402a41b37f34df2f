#include "util/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oasis.h"
#include "util/error.h"

static int reserve(oa_buf *b, size_t extra)
{
    if (extra > (size_t)-1 - b->len - 1)
        return oa_error(OASIS_ENOMEM, "buffer too large");
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return oa_error(OASIS_ENOMEM, "out of memory");
    b->data = p;
    b->cap = cap;
    return 0;
}

int oa_buf_reserve(oa_buf *b, size_t extra)
{
    int rc = reserve(b, extra);
    if (!rc)
        b->data[b->len] = '\0';
    return rc;
}

int oa_buf_append(oa_buf *b, const char *s, size_t n)
{
    int rc = reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int oa_buf_puts(oa_buf *b, const char *s)
{
    return oa_buf_append(b, s, strlen(s));
}

int oa_buf_putc(oa_buf *b, char c)
{
    return oa_buf_append(b, &c, 1);
}

int oa_buf_printf(oa_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return oa_error(OASIS_EINVAL, "bad format");
    int rc = reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *oa_buf_detach(oa_buf *b)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (!p) {
            oa_error(OASIS_ENOMEM, "out of memory");
            return NULL;
        }
        p[0] = '\0';
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void oa_buf_reset(oa_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void oa_buf_free(oa_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *oa_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        oa_error(OASIS_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *oa_strdup(const char *s)
{
    return oa_strndup(s, strlen(s));
}

int oa_read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return oa_error(OASIS_EIO, "%s: %s", path, strerror(errno));
    oa_buf b = OA_BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if ((rc = oa_buf_append(&b, chunk, n)) != 0)
            break;
    }
    if (!rc && ferror(f))
        rc = oa_error(OASIS_EIO, "%s: read error", path);
    fclose(f);
    if (rc) {
        oa_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *out = oa_buf_detach(&b);
    return *out ? 0 : OASIS_ENOMEM;
}
