#include "index/docdata.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "util/buf.h"
#include "util/error.h"

static json_t *string_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if (json_array_append_new(a, json_string(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* 1 when s (NULL: empty) is valid UTF-8; otherwise 0 with OASIS_EFORMAT
 * recorded, naming what. */
static int valid_utf8(const char *s, const char *what)
{
    size_t bad;
    if (!s || oa_utf8_valid(s, strlen(s), &bad))
        return 1;
    oa_error(OASIS_EFORMAT, "invalid utf-8 in the %s at byte %zu", what, bad);
    return 0;
}

int oa_docdata_encode(const oasis_doc *doc, const char *id, const char *const *codes,
                      size_t n_codes, const char *const *categories, size_t n_categories,
                      char **out)
{
    *out = NULL;
    /* jansson refuses invalid UTF-8 as if memory had run out: say what. */
    if (!valid_utf8(id, "id") || !valid_utf8(doc->title, "title") ||
        !valid_utf8(doc->text, "text") || !valid_utf8(doc->source_file, "source file name"))
        return OASIS_EFORMAT;
    for (size_t i = 0; i < n_codes; i++)
        if (!valid_utf8(codes[i], "départements"))
            return OASIS_EFORMAT;
    for (size_t i = 0; i < n_categories; i++)
        if (!valid_utf8(categories[i], "categories"))
            return OASIS_EFORMAT;
    json_t *o = json_object();
    if (!o)
        goto nomem;
    if (json_object_set_new(o, "id", json_string(id)) ||
        json_object_set_new(o, "title", json_string(doc->title ? doc->title : "")) ||
        json_object_set_new(o, "text", json_string(doc->text ? doc->text : "")) ||
        json_object_set_new(o, "departements", string_array(codes, n_codes)) ||
        json_object_set_new(o, "categories", string_array(categories, n_categories)) ||
        json_object_set_new(o, "source", json_string(doc->source_file ? doc->source_file : "")) ||
        json_object_set_new(o, "line", json_integer(doc->source_line)))
        goto nomem;
    *out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (*out)
        return 0;
    return oa_error(OASIS_ENOMEM, "out of memory encoding document data");
nomem:
    json_decref(o);
    return oa_error(OASIS_ENOMEM, "out of memory encoding document data");
}

/* ---- decoding ----
 * A reader of the JSON the encoder writes, by hand: jansson builds a tree
 * of every value and copies each string twice, which showed in the cost of
 * a search. It reads any valid JSON object (keys in any order, unknown
 * keys and values of other types skipped, every escape), so data written
 * by other versions of the encoder still reads. */

typedef struct reader {
    const char *p, *end;
} reader;

static void skip_ws(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

/* Consumes ch (after white space); 0 when it is not next. */
static int take(reader *r, char ch)
{
    skip_ws(r);
    if (r->p < r->end && *r->p == ch) {
        r->p++;
        return 1;
    }
    return 0;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(oa_buf *b, unsigned cp, int *rc)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (!*rc)
        *rc = oa_buf_append(b, u, n);
}

#define BAD 1 /* malformed: a positive code, apart from the OASIS_E* ones */

/* The value of the string whose raw bytes between the quotes are s[0..n)
 * (a string's end already found: no raw quote or control byte, a
 * backslash never last), escapes decoded, into *out (a new string). 0, BAD
 * or OASIS_ENOMEM. */
static int unescape(const char *s, size_t n, char **out)
{
    const char *q = s + n;
    oa_buf b = OA_BUF_INIT;
    int rc = oa_buf_reserve(&b, n + 1);
    for (const char *p = s; p < q && !rc;) {
        const char *bs = memchr(p, '\\', (size_t)(q - p));
        if (!bs)
            bs = q;
        if (bs > p)
            rc = oa_buf_append(&b, p, (size_t)(bs - p));
        if (bs == q || rc)
            break;
        char e = bs[1];
        p = bs + 2;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char to[] = "\"\\/\b\f\n\r\t";
            rc = oa_buf_putc(&b, to[simple - "\"\\/bfnrt"]);
            continue;
        }
        unsigned cp, lo;
        if (e != 'u' || q - p < 4 || !hex4(p, &cp)) {
            rc = BAD;
            break;
        }
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00) {
            if (q - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) || lo < 0xDC00 ||
                lo >= 0xE000) {
                rc = BAD;
                break;
            }
            p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if ((cp >= 0xDC00 && cp < 0xE000) || cp == 0) {
            rc = BAD; /* a lone low surrogate, or NUL inside a C string */
            break;
        }
        put_utf8(&b, cp, &rc);
    }
    if (!rc && !b.data)
        rc = oa_buf_append(&b, "", 0);
    if (rc) {
        oa_buf_free(&b);
        return rc;
    }
    *out = oa_buf_detach(&b);
    return *out ? 0 : OASIS_ENOMEM;
}

/* Reads a string (r->p on its opening quote). With out, its decoded value
 * (a new string) goes there; the raw bytes between the quotes go to
 * raw/raw_len when asked. 0, BAD (malformed) or an error code. */
static int read_string(reader *r, char **out, const char **raw, size_t *raw_len)
{
    if (!take(r, '"'))
        return BAD;
    const char *s = r->p, *q = s;
    int escaped = 0;
    /* Eight plain bytes at a time: none a quote, a backslash or a control
     * byte (the zero-byte tests of each comparison, word-wise). */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (r->end - q >= 8) {
        uint64_t w;
        memcpy(&w, q, 8);
        uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
        uint64_t special = ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash) |
                           ((w - ones * 0x20) & ~w);
        if (special & highs)
            break;
        q += 8;
    }
    while (q < r->end && *q != '"') {
        if ((unsigned char)*q < 0x20)
            return BAD;
        if (*q == '\\') {
            escaped = 1;
            if (++q == r->end)
                return BAD;
        }
        q++;
    }
    if (q == r->end)
        return BAD;
    r->p = q + 1;
    if (raw) {
        *raw = s;
        *raw_len = (size_t)(q - s);
    }
    if (!out)
        return 0;
    if (!escaped) {
        *out = oa_strndup(s, (size_t)(q - s));
        return *out ? 0 : OASIS_ENOMEM;
    }
    return unescape(s, (size_t)(q - s), out);
}

static int skip_value(reader *r, int depth);

/* Skips a number or true, false, null: the bytes up to a delimiter. With
 * out, the number's value when it is an integer. */
static int read_scalar(reader *r, long *out)
{
    skip_ws(r);
    const char *s = r->p;
    while (r->p < r->end && !strchr(",]} \t\n\r", *r->p))
        r->p++;
    size_t n = (size_t)(r->p - s);
    if (n == 0)
        return BAD;
    if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "null", 4))) ||
        (n == 5 && !memcmp(s, "false", 5)))
        return 0;
    char buf[32];
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *e;
    long v = strtol(buf, &e, 10);
    if (out && !*e)
        *out = v;
    if (!*e || strspn(buf, "+-0123456789.eE") == n)
        return 0;
    return BAD;
}

static int skip_value(reader *r, int depth)
{
    skip_ws(r);
    if (r->p == r->end || depth > OA_DOCDATA_MAX_DEPTH)
        return BAD;
    char open = *r->p;
    if (open == '"')
        return read_string(r, NULL, NULL, NULL);
    if (open != '[' && open != '{')
        return read_scalar(r, NULL);
    r->p++;
    char close = open == '[' ? ']' : '}';
    if (take(r, close))
        return 0;
    for (;;) {
        int rc;
        if (open == '{' && ((rc = read_string(r, NULL, NULL, NULL)) || (!take(r, ':') && (rc = BAD))))
            return rc;
        if ((rc = skip_value(r, depth + 1)))
            return rc;
        if (take(r, close))
            return 0;
        if (!take(r, ','))
            return BAD;
    }
}

/* A string value into *out (replacing what was there); a value of another
 * type is skipped and leaves *out as it was. */
static int read_string_field(reader *r, char **out)
{
    skip_ws(r);
    if (r->p == r->end || *r->p != '"')
        return skip_value(r, 0);
    char *v;
    int rc = read_string(r, &v, NULL, NULL);
    if (rc)
        return rc;
    free(*out);
    *out = v;
    return 0;
}

static void free_array(char **v, size_t n);

/* An array of strings into *out, *n (its other values skipped). */
static int read_array_field(reader *r, char ***out, size_t *n)
{
    skip_ws(r);
    if (r->p == r->end || *r->p != '[')
        return skip_value(r, 0);
    free_array(*out, *n);
    *out = NULL;
    *n = 0;
    r->p++;
    size_t cap = 0;
    if (take(r, ']'))
        return 0;
    for (;;) {
        skip_ws(r);
        int rc;
        if (r->p < r->end && *r->p == '"') {
            if (*n == cap) {
                size_t c2 = cap ? cap * 2 : 4;
                char **v = realloc(*out, c2 * sizeof *v);
                if (!v)
                    return oa_error(OASIS_ENOMEM, "out of memory");
                *out = v;
                cap = c2;
            }
            if ((rc = read_string(r, &(*out)[*n], NULL, NULL)))
                return rc;
            (*n)++;
        } else if ((rc = skip_value(r, 1))) {
            return rc;
        }
        if (take(r, ']'))
            return 0;
        if (!take(r, ','))
            return BAD;
    }
}

static int key_is(const char *k, size_t n, const char *name)
{
    return strlen(name) == n && !memcmp(k, name, n);
}

static int read_object(reader *r, oa_docdata *out)
{
    if (!take(r, '{'))
        return BAD;
    if (take(r, '}'))
        return 0;
    for (;;) {
        const char *k;
        size_t kn;
        int rc = read_string(r, NULL, &k, &kn);
        if (!rc && !take(r, ':'))
            rc = BAD;
        if (rc)
            return rc;
        /* A key with escapes is known by its value ("\u0069d" is "id"). */
        char *key = NULL;
        if (memchr(k, '\\', kn)) {
            if ((rc = unescape(k, kn, &key)))
                return rc;
            k = key;
            kn = strlen(key);
        }
        if (key_is(k, kn, "id"))
            rc = read_string_field(r, &out->id);
        else if (key_is(k, kn, "title"))
            rc = read_string_field(r, &out->title);
        else if (key_is(k, kn, "text"))
            rc = read_string_field(r, &out->text);
        else if (key_is(k, kn, "source"))
            rc = read_string_field(r, &out->source_file);
        else if (key_is(k, kn, "departements"))
            rc = read_array_field(r, &out->departements, &out->n_departements);
        else if (key_is(k, kn, "categories"))
            rc = read_array_field(r, &out->categories, &out->n_categories);
        else if (key_is(k, kn, "line")) {
            skip_ws(r);
            rc = r->p < r->end && (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
                     ? read_scalar(r, &out->source_line)
                     : skip_value(r, 0);
        } else
            rc = skip_value(r, 0);
        free(key);
        if (rc)
            return rc;
        if (take(r, '}'))
            return 0;
        if (!take(r, ','))
            return BAD;
    }
}

static int fill_missing(char **s)
{
    if (!*s && !(*s = oa_strdup("")))
        return OASIS_ENOMEM;
    return 0;
}

int oa_docdata_decode(const char *json, size_t len, oa_docdata *out)
{
    memset(out, 0, sizeof *out);
    size_t bad;
    reader r = {json, json + len};
    int rc = oa_utf8_valid(json, len, &bad) ? read_object(&r, out) : BAD;
    if (!rc) {
        skip_ws(&r);
        if (r.p != r.end)
            rc = BAD;
    }
    if (!rc && !(rc = fill_missing(&out->id)) && !(rc = fill_missing(&out->title)) &&
        !(rc = fill_missing(&out->text)))
        rc = fill_missing(&out->source_file);
    if (!rc && !out->departements && !(out->departements = calloc(1, sizeof(char *))))
        rc = OASIS_ENOMEM;
    if (!rc && !out->categories && !(out->categories = calloc(1, sizeof(char *))))
        rc = OASIS_ENOMEM;
    if (rc == OASIS_ENOMEM)
        oa_error(OASIS_ENOMEM, "out of memory");
    else if (rc == BAD)
        rc = oa_error(OASIS_EINDEX, "stored document data is not a valid json object");
    if (rc)
        oa_docdata_clear(out);
    return rc;
}

static void free_array(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void oa_docdata_clear(oa_docdata *d)
{
    free(d->id);
    free(d->title);
    free(d->text);
    free(d->source_file);
    free_array(d->departements, d->n_departements);
    free_array(d->categories, d->n_categories);
    memset(d, 0, sizeof *d);
}
