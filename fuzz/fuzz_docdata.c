/* The stored-document decoder (index/docdata.c) on any bytes. What it
 * reads is valid UTF-8 and reads back the same once written again; and
 * whatever jansson reads as a JSON object, nested no deeper than the
 * decoder allows, it reads too, with the same values for the keys it
 * knows (the decoder may read more: numbers as written, say). */
#include <jansson.h>

#include "fuzz.h"
#include "index/docdata.h"

/* 1 when some value of v sits deeper than OA_DOCDATA_MAX_DEPTH, the
 * values of the top object being at depth 0. */
static int too_deep(json_t *v, int depth)
{
    if (depth > OA_DOCDATA_MAX_DEPTH)
        return 1;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            if (too_deep(json_array_get(v, i), depth + 1))
                return 1;
    } else if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach(v, k, m) {
            if (too_deep(m, depth + 1))
                return 1;
        }
    }
    return 0;
}

static void check_string(const char *s)
{
    FUZZ_CHECK(s != NULL);
    FUZZ_CHECK(oa_utf8_valid(s, strlen(s), NULL));
}

static void check_same(const oa_docdata *a, const oa_docdata *b)
{
    FUZZ_CHECK(!strcmp(a->id, b->id) && !strcmp(a->title, b->title) &&
               !strcmp(a->text, b->text) && !strcmp(a->source_file, b->source_file));
    FUZZ_CHECK(a->source_line == b->source_line);
    FUZZ_CHECK(a->n_departements == b->n_departements && a->n_categories == b->n_categories);
    for (size_t i = 0; i < a->n_departements; i++)
        FUZZ_CHECK(!strcmp(a->departements[i], b->departements[i]));
    for (size_t i = 0; i < a->n_categories; i++)
        FUZZ_CHECK(!strcmp(a->categories[i], b->categories[i]));
}

/* The decoder's string for key agrees with jansson's value when that is a
 * string (a value of another type leaves the decoder's as it was). */
static void agree_string(json_t *o, const char *key, const char *got)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        FUZZ_CHECK(strlen(got) == json_string_length(v) && !strcmp(got, json_string_value(v)));
}

static void agree_array(json_t *o, const char *key, char *const *got, size_t n)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_array(v))
        return;
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e))
            continue;
        FUZZ_CHECK(k < n && !strcmp(got[k], json_string_value(e)));
        k++;
    }
    FUZZ_CHECK(k == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *json = (const char *)data;
    oa_docdata d;
    int rc = oa_docdata_decode(json, size, &d);
    FUZZ_CHECK(rc == 0 || rc == OASIS_EINDEX);
    if (rc) {
        FUZZ_CHECK(d.id == NULL && d.departements == NULL);
    } else {
        check_string(d.id);
        check_string(d.title);
        check_string(d.text);
        check_string(d.source_file);
        FUZZ_CHECK(d.departements != NULL && d.categories != NULL);
        for (size_t i = 0; i < d.n_departements; i++)
            check_string(d.departements[i]);
        for (size_t i = 0; i < d.n_categories; i++)
            check_string(d.categories[i]);

        /* Written again, it reads back the same. */
        oasis_doc doc;
        memset(&doc, 0, sizeof doc);
        doc.title = d.title;
        doc.text = d.text;
        doc.source_file = d.source_file;
        doc.source_line = d.source_line;
        char *again = NULL;
        FUZZ_CHECK(oa_docdata_encode(&doc, d.id, (const char *const *)d.departements,
                                     d.n_departements, (const char *const *)d.categories,
                                     d.n_categories, &again) == 0);
        oa_docdata d2;
        FUZZ_CHECK(oa_docdata_decode(again, strlen(again), &d2) == 0);
        check_same(&d, &d2);
        oa_docdata_clear(&d2);
        free(again);
    }

    /* jansson 2.14 reads a NUL byte right after a number or a literal as
     * if it were not there ({"a":1\0}): the comparison leaves such inputs
     * out. */
    json_error_t err;
    json_t *o = memchr(json, '\0', size) ? NULL : json_loadb(json, size, 0, &err);
    if (json_is_object(o) && !too_deep(o, -1)) {
        FUZZ_CHECK(rc == 0);
        agree_string(o, "id", d.id);
        agree_string(o, "title", d.title);
        agree_string(o, "text", d.text);
        agree_string(o, "source", d.source_file);
        agree_array(o, "departements", d.departements, d.n_departements);
        agree_array(o, "categories", d.categories, d.n_categories);
        json_t *line = json_object_get(o, "line");
        if (json_is_integer(line))
            FUZZ_CHECK(d.source_line == (long)json_integer_value(line));
    }
    json_decref(o);
    oa_docdata_clear(&d);
    return 0;
}
