/* The search options of every version of oasis_search_options, read as
 * those of this one. */
#include "search/options.h"

#include <stddef.h>
#include <string.h>

#include "util/error.h"

int oa_search_options_of(const oasis_search_options *opts, oasis_search_options *o)
{
    static const oasis_search_options defaults = OASIS_SEARCH_OPTIONS_INIT;
    static const oasis_search_options before_v3 = {
        OASIS_SEARCH_OPTIONS_VERSION, 0, 10, NULL, 0, NULL, 0, NULL, 0, 0, NULL, 200, 0,
        1, 1, 1, 1, 1};
    *o = defaults;
    if (!opts)
        return 0;
    if (opts->version == 1 || opts->version == 2) {
        *o = before_v3;
        memcpy(o, opts,
               opts->version == 1 ? offsetof(oasis_search_options, like)
                                  : offsetof(oasis_search_options, exact_total));
        o->version = OASIS_SEARCH_OPTIONS_VERSION;
        return 0;
    }
    if (opts->version != OASIS_SEARCH_OPTIONS_VERSION)
        return oa_error(OASIS_EINVAL, "search options version %u is not supported",
                        opts->version);
    *o = *opts;
    return 0;
}
