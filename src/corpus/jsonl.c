/* JSON Lines: one initiative per line, broken lines skipped with a warning. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/common.h"
#include "corpus/reader.h"
#include "taxonomy/departements.h"
#include "util/error.h"

/* The string member key of o: 1 with *out set, 0 when absent or null,
 * -1 when of another type. */
static int member_string(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    *out = json_string_value(v);
    return 1;
}

/* An array member of strings: its size, 0 when absent or null, -1 when it
 * is not an array of strings. */
static long member_strings(json_t *o, const char *key, json_t **arr)
{
    json_t *v = json_object_get(o, key);
    *arr = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return -1;
    for (size_t i = 0; i < json_array_size(v); i++)
        if (!json_is_string(json_array_get(v, i)))
            return -1;
    *arr = v;
    return (long)json_array_size(v);
}

/* The "departements" member: its size, 0 when absent or null, -1 when it
 * is not an array of strings (codes or names) and whole numbers (codes:
 * 1 is "01", 971 "971"). */
static long member_departements(json_t *o, json_t **arr)
{
    json_t *v = json_object_get(o, "departements");
    *arr = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *d = json_array_get(v, i);
        if (!json_is_string(d) && !json_is_integer(d))
            return -1;
    }
    *arr = v;
    return (long)json_array_size(v);
}

/* Adds the départements of one "departements" entry to codes: a label, or
 * a number written as an INSEE code (at least two digits). */
static int resolve_entry(oa_reader *r, long no, json_t *d, oa_codes *codes)
{
    if (json_is_string(d))
        return oa_corpus_resolve(r, no, json_string_value(d), json_string_length(d), codes);
    char code[32];
    json_int_t v = json_integer_value(d);
    int len = snprintf(code, sizeof code, "%02" JSON_INTEGER_FORMAT, v);
    if (v < 0) { /* "-3" is no code, though a label's '-' would split it */
        oa_corpus_warn(r, no, "unknown département '%s'", code);
        return 0;
    }
    return oa_corpus_resolve(r, no, code, (size_t)len, codes);
}

static void broken(oa_reader *r, long line, const char *reason)
{
    oa_corpus_warn(r, line, "skipped line: %s", reason);
    r->skipped++;
}

/* One non-blank line: emitted, or skipped with a warning. */
static int read_line(oa_reader *r, long no, const char *s, size_t n)
{
    json_error_t err;
    json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &err);
    if (!o) {
        oa_corpus_warn(r, no, "skipped line: invalid json at column %d: %s", err.column, err.text);
        r->skipped++;
        return 0;
    }
    int rc = 0;
    const char **cats = NULL;
    const char *id, *title, *text;
    json_t *depts, *catv;
    long nd, nc;
    if (!json_is_object(o)) {
        broken(r, no, "not a json object");
    } else if (member_string(o, "id", &id) < 0 || (id && !*id)) {
        broken(r, no, "\"id\" is not a non-empty string");
    } else if (member_string(o, "title", &title) < 0) {
        broken(r, no, "\"title\" is not a string");
    } else if (member_string(o, "text", &text) < 0) {
        broken(r, no, "\"text\" is not a string");
    } else if ((nd = member_departements(o, &depts)) < 0) {
        broken(r, no, "\"departements\" is not an array of codes and names (strings, or "
                      "whole numbers for codes)");
    } else if ((nc = member_strings(o, "categories", &catv)) < 0) {
        broken(r, no, "\"categories\" is not an array of strings");
    } else if ((!title || !*title) && (!text || !*text)) {
        broken(r, no, "no \"title\" and no \"text\"");
    } else {
        if (!title || !*title)
            oa_corpus_warn(r, no, "no \"title\": indexed untitled");
        oa_codes codes;
        codes.n = 0;
        for (long i = 0; i < nd && !rc; i++)
            rc = resolve_entry(r, no, json_array_get(depts, (size_t)i), &codes);
        if (!rc && nc > 0) {
            cats = malloc((size_t)nc * sizeof *cats);
            if (!cats)
                rc = oa_error(OASIS_ENOMEM, "out of memory");
            for (long i = 0; i < nc && !rc; i++)
                cats[i] = json_string_value(json_array_get(catv, (size_t)i));
        }
        if (!rc)
            rc = oa_corpus_emit(r, id, title, text, &codes, cats, (size_t)nc, no);
    }
    free(cats);
    json_decref(o);
    return rc;
}

int oa_corpus_jsonl_line(oa_reader *r, long no, const char *s, size_t n, int bad)
{
    oa_corpus_trim(&s, &n);
    if (n && bad) {
        r->skipped++; /* reported when it was decoded */
        return 0;
    }
    return n ? read_line(r, no, s, n) : 0;
}

int oa_read_jsonl(oa_reader *r, const char *buf, size_t len)
{
    oa_read_ctx none = {NULL, 0, NULL};
    return oa_read_jsonl_ctx(r, buf, len, &none);
}

int oa_read_jsonl_ctx(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx)
{
    int rc = oa_departements_init();
    if (!rc)
        rc = oa_corpus_check_utf8(buf, len);
    if (rc)
        return rc;
    oa_corpus_skip_bom(&buf, &len);
    size_t pos = 0;
    long no = 0;
    const char *s;
    size_t n;
    while (!rc && oa_corpus_next_line(buf, len, &pos, &s, &n)) {
        no++;
        oa_corpus_progress(ctx, pos);
        rc = oa_corpus_jsonl_line(r, no, s, n, oa_corpus_line_bad(ctx, no));
    }
    return rc;
}
