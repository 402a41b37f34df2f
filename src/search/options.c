/* The search options: their defaults, and the version check. */
#include "search/options.h"


#include "util/error.h"

void oasis_search_options_init(oasis_search_options *opts)
{
    static const oasis_search_options defaults = OASIS_SEARCH_OPTIONS_INIT;
    *opts = defaults;
}

void oasis_search_options_init_reader(oasis_search_options *opts)
{
    oasis_search_options_init(opts);
    opts->facets = 1;
    opts->exact_total = 1;
    opts->proximity = 1;
    opts->snippet_bytes = 200;
    opts->suggest = 1;
}

int oa_search_options_of(const oasis_search_options *opts, oasis_search_options *o)
{
    oasis_search_options_init(o);
    if (!opts)
        return 0;
    if (opts->version != OASIS_SEARCH_OPTIONS_VERSION)
        return oa_error(OASIS_EINVAL, "search options version %u is not this library's (%u)",
                        opts->version, OASIS_SEARCH_OPTIONS_VERSION);
    *o = *opts;
    return 0;
}
