#include "taxonomy/placenames.h"

#include <string.h>

#include "taxonomy/departements.h"
#include "taxonomy/departements_table.h"

static void fill(const oa_place_name *n, oa_place_alias *out)
{
    size_t len = strlen(n->code);
    out->region = n->region ? oa_region_by_code(n->code, len) : NULL;
    out->departement = n->region ? NULL : oa_departement_by_code(n->code, len);
    out->common = n->common;
}

int oa_place_alias_find(const char *key, size_t len, oa_place_alias *out)
{
    for (size_t i = 0; i < oa_place_name_count; i++) {
        const oa_place_name *n = &oa_place_names[i];
        if (n->len == len && !memcmp(n->key, key, len)) {
            fill(n, out);
            return out->region || out->departement;
        }
    }
    return 0;
}

/* 1 when name[0..nl) starts with key[0..len) and a space. */
static int continues(const char *name, size_t nl, const char *key, size_t len)
{
    return nl > len && name[len] == ' ' && !memcmp(name, key, len);
}

int oa_place_name_continues(const char *key, size_t len)
{
    for (size_t i = 0; i < oa_dept_count; i++)
        if (continues(oa_dept_keys[i].key, oa_dept_keys[i].len, key, len))
            return 1;
    for (size_t r = 0; r < oa_region_count; r++)
        if (continues(oa_region_keys[r], strlen(oa_region_keys[r]), key, len))
            return 1;
    for (size_t i = 0; i < oa_place_name_count; i++)
        if (continues(oa_place_names[i].key, oa_place_names[i].len, key, len))
            return 1;
    return 0;
}

size_t oa_place_alias_count(void)
{
    return oa_place_name_count;
}

const char *oa_place_alias_at(size_t i, oa_place_alias *out)
{
    if (i >= oa_place_name_count)
        return NULL;
    fill(&oa_place_names[i], out);
    return oa_place_names[i].key;
}
