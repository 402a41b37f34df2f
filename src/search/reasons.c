/* Why a hit has its categories: the rules of the classifier run again on
 * its title and text, as the writer ran them; a category no rule gives was
 * named by the record. */
#include "search/reasons.h"

#include <string.h>

#define REASONS_MAX 64 /* categories found in one document, at most */

int oa_category_reasons(oa_classifier **c, const oasis_hit *h, oasis_category_fn fn,
                        void *userdata)
{
    if (!h->n_categories)
        return 0;
    int rc = *c ? 0 : oa_classifier_new(c);
    oa_category_match found[REASONS_MAX];
    size_t n = 0;
    if (!rc)
        rc = oa_classify_doc(*c, h->title, h->text, found, REASONS_MAX, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < h->n_categories; i++) {
        const oa_category_match *m = NULL;
        for (size_t k = 0; k < n && !m; k++)
            if (found[k].category == h->categories[i] ||
                !strcmp(found[k].category->slug, h->categories[i]->slug))
                m = &found[k];
        fn(userdata, h->id, h->categories[i]->slug, m ? m->phrase : NULL, m ? m->rule_line : 0);
    }
    return 0;
}
