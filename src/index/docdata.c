#include "index/docdata.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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

char *oa_docdata_encode(const oasis_doc *doc, const char *id, const char *const *codes,
                        size_t n_codes, const char *const *categories, size_t n_categories)
{
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
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s)
        oa_error(OASIS_ENOMEM, "out of memory encoding document data");
    return s;
nomem:
    json_decref(o);
    oa_error(OASIS_ENOMEM, "out of memory encoding document data");
    return NULL;
}

static int take_string(json_t *o, const char *key, char **out)
{
    json_t *v = json_object_get(o, key);
    *out = oa_strdup(json_is_string(v) ? json_string_value(v) : "");
    return *out ? 0 : OASIS_ENOMEM;
}

static int take_array(json_t *o, const char *key, char ***out, size_t *n)
{
    json_t *a = json_object_get(o, key);
    size_t count = json_is_array(a) ? json_array_size(a) : 0;
    *n = 0;
    *out = calloc(count ? count : 1, sizeof **out);
    if (!*out)
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_string(v))
            continue;
        if (!((*out)[*n] = oa_strdup(json_string_value(v))))
            return OASIS_ENOMEM;
        (*n)++;
    }
    return 0;
}

int oa_docdata_decode(const char *json, size_t len, oa_docdata *out)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    json_t *o = json_loadb(json, len, 0, &jerr);
    if (!json_is_object(o)) {
        json_decref(o);
        return oa_error(OASIS_EINDEX, "stored document data is not a json object: %s", jerr.text);
    }
    int rc = take_string(o, "id", &out->id);
    if (!rc)
        rc = take_string(o, "title", &out->title);
    if (!rc)
        rc = take_string(o, "text", &out->text);
    if (!rc)
        rc = take_string(o, "source", &out->source_file);
    if (!rc)
        rc = take_array(o, "departements", &out->departements, &out->n_departements);
    if (!rc)
        rc = take_array(o, "categories", &out->categories, &out->n_categories);
    out->source_line = (long)json_integer_value(json_object_get(o, "line"));
    json_decref(o);
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
