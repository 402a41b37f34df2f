#include "gzip.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* The weight of a coding's parameters "; q=0.5" (1 without one). */
static double weight_of(const char *params, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (params[i] != 'q' && params[i] != 'Q')
            continue;
        size_t j = i + 1;
        while (j < len && (params[j] == ' ' || params[j] == '\t'))
            j++;
        if (j < len && params[j] == '=' &&
            (i == 0 || params[i - 1] == ';' || params[i - 1] == ' ' || params[i - 1] == '\t'))
            return strtod(params + j + 1, NULL);
    }
    return 1;
}

int gz_accepted(const char *v)
{
    /* gzip's own weight when it is named, else that of "*" (RFC 9110). */
    double gzip = -1, any = -1;
    while (v && *v) {
        while (*v == ' ' || *v == '\t' || *v == ',')
            v++;
        size_t name = strcspn(v, " \t;,"), all = strcspn(v, ",");
        if (name == 4 && !strncasecmp(v, "gzip", 4))
            gzip = weight_of(v + name, all - name);
        else if (name == 1 && *v == '*')
            any = weight_of(v + name, all - name);
        v += all;
    }
    return gzip >= 0 ? gzip > 0 : any > 0;
}

int gz_compressible(const char *type)
{
    static const char *const text[] = {"text/", "application/json", "application/javascript",
                                       "image/svg+xml"};
    for (size_t i = 0; type && i < sizeof text / sizeof *text; i++)
        if (!strncmp(type, text[i], strlen(text[i])))
            return 1;
    return 0;
}

int gz_compress_reply(srv_reply *r)
{
    if (!r->body || r->len < GZ_MIN_BYTES || !gz_compressible(r->content_type))
        return 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip wrapper; the fastest level, which already shrinks
     * the page about four times, at a fraction of the search's cost. */
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    uLong cap = deflateBound(&z, (uLong)r->len);
    unsigned char *out = malloc(cap);
    int done = 0;
    if (out) {
        z.next_in = (unsigned char *)r->body;
        z.avail_in = (uInt)r->len;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        done = deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < r->len;
    }
    deflateEnd(&z);
    if (!done) {
        free(out);
        return 0;
    }
    free(r->body);
    r->body = (char *)out;
    r->len = z.total_out;
    return 1;
}
