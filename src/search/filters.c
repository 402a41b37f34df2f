#include "search/filters.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "search/compile_ctx.h"
#include "search/query.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/error.h"

/* What a facet's values are, and which are valid. */
static const char *const facet_what[OA_N_FACETS] = {"département", "région", "category"};

static const char *facet_valid(oasis_facet f)
{
    if (f == OASIS_FACET_DEPARTEMENT)
        return "codes 01 to 95, 2A, 2B and 971 to 976, or their names";
    if (f == OASIS_FACET_REGION)
        return "the codes of the 18 régions (24, 93…) or their names";
    return oa_category_slugs();
}

/* The category whose slug or label v is, case, accents and hyphens aside
 * ("Logement", "maisons sante", "Télémédecine"), or NULL. */
static const oasis_category *category_folded(const char *v)
{
    const oasis_category *found = oa_category_find(v);
    char *key = NULL;
    if (found || oa_fold_key(v, strlen(v), &key) != 0)
        return found;
    for (size_t i = 0; i < oa_category_count() && !found; i++) {
        const oasis_category *c = oa_category_at(i);
        const char *names[2] = {c->slug, c->label};
        for (size_t k = 0; k < 2 && !found; k++) {
            char *other = NULL;
            if (oa_fold_key(names[k], strlen(names[k]), &other) == 0 && !strcmp(key, other))
                found = c;
            free(other);
        }
    }
    free(key);
    return found;
}

const char *oa_filter_code(oasis_facet f, const char *v, size_t column)
{
    const char *code = NULL;
    if (f == OASIS_FACET_DEPARTEMENT) {
        const oasis_departement *d = oasis_departement_find(v);
        code = d ? d->code : NULL;
    } else if (f == OASIS_FACET_REGION) {
        const oasis_region *r = oasis_region_find(v);
        code = r ? r->code : NULL;
    } else {
        const oasis_category *c = category_folded(v);
        code = c ? c->slug : NULL;
    }
    if (!code && column)
        oa_error(OASIS_EINVAL, "unknown %s '%s' in the query (column %zu; valid: %s)",
                 facet_what[f], v, column, facet_valid(f));
    else if (!code)
        oa_error(OASIS_EINVAL, "unknown %s '%s' (valid: %s)", facet_what[f], v, facet_valid(f));
    return code;
}

/* The filter of one facet: an OR of its prefixed terms; *out stays NULL
 * when the facet has none. */
static int facet_filter(oasis_facet f, const char *const *values, size_t n, xapc_query **out)
{
    *out = NULL;
    if (!n)
        return 0;
    const char **codes = calloc(n, sizeof *codes);
    if (!codes)
        return oa_error(OASIS_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        if (!(codes[i] = oa_filter_code(f, values[i], 0)))
            rc = OASIS_EINVAL;
    if (!rc && !(*out = oa_query_filter(oa_facet_prefix(f), codes, n)))
        rc = OASIS_ENOMEM;
    free(codes);
    return rc;
}

int oa_filters_of_options(const oasis_search_options *o, xapc_query *filters[OA_N_FACETS])
{
    for (int f = 0; f < OA_N_FACETS; f++)
        filters[f] = NULL;
    int rc;
    if ((rc = facet_filter(OASIS_FACET_DEPARTEMENT, o->departements, o->n_departements,
                           &filters[OASIS_FACET_DEPARTEMENT])) ||
        (rc = facet_filter(OASIS_FACET_REGION, o->regions, o->n_regions,
                           &filters[OASIS_FACET_REGION])) ||
        (rc = facet_filter(OASIS_FACET_CATEGORY, o->categories, o->n_categories,
                           &filters[OASIS_FACET_CATEGORY])))
        oa_filters_free(filters);
    return rc;
}

void oa_filters_free(xapc_query *filters[OA_N_FACETS])
{
    for (int f = 0; f < OA_N_FACETS; f++) {
        xapc_query_free(filters[f]);
        filters[f] = NULL;
    }
}

xapc_query *oa_filtered(const xapc_query *q, xapc_query *const *filters, int skip)
{
    xapc_query *subs[1 + OA_N_FACETS] = {(xapc_query *)q};
    size_t n = 1;
    for (int f = 0; f < OA_N_FACETS; f++)
        if (filters[f] && f != skip)
            subs[n++] = filters[f];
    return xapc_query_combine(n > 1 ? XAPC_FILTER : XAPC_AND, subs, n, 0);
}

/* ---- in a query: the dept:, region: and cat: fields ---- */

void cq_filter_item(cq_ctx *c, const oa_qnode *it, cq_elems *e)
{
    char value[256];
    size_t len = it->end - it->start;
    if (len >= sizeof value)
        len = sizeof value - 1;
    memcpy(value, c->text + it->start, len);
    value[len] = '\0';
    oasis_facet f = it->field == OA_FIELD_DEPT     ? OASIS_FACET_DEPARTEMENT
                    : it->field == OA_FIELD_REGION ? OASIS_FACET_REGION
                                                   : OASIS_FACET_CATEGORY;
    const char *code = oa_filter_code(f, value, it->column);
    if (!code) {
        c->rc = OASIS_EINVAL;
        return;
    }
    xapc_query *q = cq_term(c, oa_facet_prefix(f), code);
    if (it->mod == '-')
        cq_push(c, &e->excl, q);
    else
        cq_push(c, &e->filter[f], q);
}
