#include "analysis/stem.h"

#include <limits.h>
#include <libstemmer.h>
#include <stdlib.h>

#include "oasis.h"
#include "util/error.h"

struct oa_stemmer {
    struct sb_stemmer *sb;
};

int oa_stemmer_new(oa_stemmer **out)
{
    oa_stemmer *s = malloc(sizeof *s);
    if (!s)
        return oa_error(OASIS_ENOMEM, "out of memory");
    /* NULL means out of memory or a libstemmer built without French. */
    s->sb = sb_stemmer_new("french", "UTF_8");
    if (!s->sb) {
        free(s);
        return oa_error(OASIS_ENOMEM, "cannot create the french stemmer");
    }
    *out = s;
    return 0;
}

void oa_stemmer_free(oa_stemmer *s)
{
    if (!s)
        return;
    sb_stemmer_delete(s->sb);
    free(s);
}

int oa_stem(oa_stemmer *s, const char *word, size_t len, const char **out, size_t *outlen)
{
    if (len > INT_MAX)
        return oa_error(OASIS_EINVAL, "word too long to stem");
    const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
    if (!r)
        return oa_error(OASIS_ENOMEM, "out of memory");
    *out = (const char *)r;
    *outlen = (size_t)sb_stemmer_length(s->sb);
    return 0;
}
