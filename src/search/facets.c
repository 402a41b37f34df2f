/* Facet counts: one pass of the wrapper with Xapian's value-count spies
 * reads the joined value slots of every match; each key ("54,88") is split
 * here, and each code resolved through the exact tables of the taxonomy.
 * When neither is filtered, the régions are counted from the départements'
 * keys (each key's régions once), without a spy of their own. */
#include "search/facets.h"

#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "search/filters.h"
#include "search/results.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/vec.h"

unsigned oa_facet_slot(oasis_facet f)
{
    static const unsigned slot[OA_N_FACETS] = {OA_SLOT_DEPTS, OA_SLOT_REGIONS, OA_SLOT_CATEGORIES};
    return slot[f];
}

const char *oa_facet_prefix(oasis_facet f)
{
    static const char *const prefix[OA_N_FACETS] = {OA_PREFIX_DEPT, OA_PREFIX_REGION,
                                                    OA_PREFIX_CATEGORY};
    return prefix[f];
}

/* The static code (or slug) and name (or label) of a facet value; 0 when
 * the tables do not know it. */
static int facet_lookup(oasis_facet f, const char *key, const char **code, const char **name)
{
    if (f == OASIS_FACET_DEPARTEMENT) {
        const oasis_departement *d = oa_departement_find(key, strlen(key));
        if (d)
            *code = d->code, *name = d->name;
        return d != NULL;
    }
    if (f == OASIS_FACET_REGION) {
        const oasis_region *reg = oa_region_find(key, strlen(key));
        if (reg)
            *code = reg->code, *name = reg->name;
        return reg != NULL;
    }
    const oasis_category *c = oa_category_find(key);
    if (c)
        *code = c->slug, *name = c->label;
    return c != NULL;
}

/* Adds count to the value named by key[0..len) (a code or slug). Values
 * the tables do not know are left out. */
static int facet_add(oa_facet_values *fv, oasis_facet f, const char *key, size_t len, size_t count)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, key, len);
    buf[len] = '\0';
    const char *value, *name;
    if (!facet_lookup(f, buf, &value, &name))
        return 0;
    for (size_t i = 0; i < fv->n; i++) {
        if (fv->v[i].value == value) {
            fv->v[i].count += count;
            return 0;
        }
    }
    oasis_facet_value v = {value, name, count};
    return OA_VEC_PUSH(fv, v);
}

static int by_count_then_value(const void *a, const void *b)
{
    const oasis_facet_value *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* Counts facet f from spy index spy of m: each stored value is a ','-joined
 * list, so "54,88" counts once for 54 and once for 88. */
static int collect_facet(oasis_results *r, oasis_facet f, const xapc_mset *m, size_t spy)
{
    oa_facet_values *fv = &r->facets[f];
    int rc = 0;
    for (size_t j = 0; j < xapc_mset_facet_size(m, spy) && !rc; j++) {
        size_t len, count;
        const char *joined = xapc_mset_facet(m, spy, j, &len, &count);
        size_t start = 0;
        for (size_t i = 0; i <= len && !rc; i++) {
            if (i == len || joined[i] == ',') {
                rc = facet_add(fv, f, joined + start, i - start, count);
                start = i + 1;
            }
        }
    }
    if (!rc && fv->n)
        qsort(fv->v, fv->n, sizeof *fv->v, by_count_then_value);
    return rc;
}

/* The région facet from the département spy spy of m: each joined value
 * ("54,88") counts once for each région of its départements, as the
 * région slot, which the writer derives from them, would count it. */
static int regions_of_departements(oasis_results *r, const xapc_mset *m, size_t spy)
{
    oa_facet_values *fv = &r->facets[OASIS_FACET_REGION];
    int rc = 0;
    for (size_t j = 0; j < xapc_mset_facet_size(m, spy) && !rc; j++) {
        size_t len, count;
        const char *joined = xapc_mset_facet(m, spy, j, &len, &count);
        const char *seen[32]; /* 18 régions in all */
        size_t n_seen = 0, start = 0;
        for (size_t i = 0; i <= len && !rc; i++) {
            if (i < len && joined[i] != ',')
                continue;
            const oasis_departement *d = oa_departement_find(joined + start, i - start);
            start = i + 1;
            if (!d)
                continue;
            int dup = 0;
            for (size_t k = 0; k < n_seen && !dup; k++)
                dup = !strcmp(seen[k], d->region_code);
            if (dup)
                continue;
            if (n_seen < sizeof seen / sizeof *seen)
                seen[n_seen++] = d->region_code;
            rc = facet_add(fv, OASIS_FACET_REGION, d->region_code, strlen(d->region_code), count);
        }
    }
    if (!rc && fv->n)
        qsort(fv->v, fv->n, sizeof *fv->v, by_count_then_value);
    return rc;
}

int oa_facets_count(xapc_db *db, const xapc_query *q, xapc_query *const *filters,
                    oasis_results *r, size_t *total)
{
    unsigned slots[OA_N_FACETS];
    oasis_facet which[OA_N_FACETS];
    size_t n = 0;
    /* Neither filtered: the régions come from the départements' values,
     * one spy fewer over every match. */
    int derive = !filters[OASIS_FACET_DEPARTEMENT] && !filters[OASIS_FACET_REGION];
    for (int f = 0; f < OA_N_FACETS; f++)
        if (!filters[f] && !(derive && f == OASIS_FACET_REGION)) {
            slots[n] = oa_facet_slot((oasis_facet)f);
            which[n++] = (oasis_facet)f;
        }
    int rc = 0;
    for (int pass = -1; pass < OA_N_FACETS && !rc; pass++) {
        if (pass >= 0 && !filters[pass])
            continue;
        if (pass < 0 && n == 0)
            continue;
        xapc_query *fq = oa_filtered(q, filters, pass < 0 ? OA_N_FACETS : pass);
        if (!fq)
            return OASIS_ENOMEM;
        unsigned one = pass < 0 ? 0 : oa_facet_slot((oasis_facet)pass);
        xapc_mset *m;
        rc = xapc_db_search(db, fq, 0, 0, pass < 0 ? slots : &one, pass < 0 ? n : 1, &m);
        xapc_query_free(fq);
        if (rc)
            return rc;
        if (pass < 0)
            *total = xapc_mset_total(m);
        if (pass < 0)
            for (size_t i = 0; i < n && !rc; i++) {
                rc = collect_facet(r, which[i], m, i);
                if (!rc && derive && which[i] == OASIS_FACET_DEPARTEMENT)
                    rc = regions_of_departements(r, m, i);
            }
        else
            rc = collect_facet(r, (oasis_facet)pass, m, 0);
        xapc_mset_free(m);
    }
    return rc;
}
