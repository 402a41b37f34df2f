/* embed.c: search an oasis index from C and print the hits, then how
 * the matches spread over départements, régions and categories.
 *
 *   cc embed.c $(pkg-config --cflags --libs oasis) -o embed
 *   oasis-index --index oasis.db corpus/
 *   ./embed oasis.db logement internes
 *   ./embed oasis.db --dept 45 --dept "loir et cher" santé
 *
 * Exit status: 0 when something matched, 1 when nothing did, 2 on error.
 */
#include <stdio.h>
#include <string.h>

#include <oasis.h>

#define MAX_DEPTS 16

static void print_facet(const oasis_results *r, oasis_facet facet, const char *name)
{
    size_t n = oasis_results_facet_count(r, facet);
    if (n == 0)
        return;
    printf("%s:", name);
    for (size_t i = 0; i < n; i++) {
        /* Borrowed from r: valid until oasis_results_free(r). */
        const oasis_facet_value *v = oasis_results_facet_at(r, facet, i);
        printf("%s %s %s (%zu)", i ? "," : "", v->value, v->label, v->count);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s INDEX [--dept CODE|NAME]... [WORDS]...\n", argv[0]);
        return 2;
    }

    /* The words become one query string; --dept values become a filter. */
    const char *depts[MAX_DEPTS];
    size_t n_depts = 0;
    char query[1024] = "";
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--dept") && i + 1 < argc && n_depts < MAX_DEPTS) {
            depts[n_depts++] = argv[++i];
        } else if (strlen(query) + strlen(argv[i]) + 2 <= sizeof query) {
            if (*query)
                strcat(query, " ");
            strcat(query, argv[i]);
        }
    }

    oasis_searcher *s = NULL;
    if (oasis_searcher_open(&s, argv[1]) != 0) {
        fprintf(stderr, "embed: %s\n", oasis_error_last());
        return 2;
    }

    /* The options oasis-query searches with: the same ranking. */
    oasis_search_options opts;
    oasis_search_options_init_reader(&opts);
    opts.limit = 5;
    opts.departements = depts;
    opts.n_departements = n_depts;

    oasis_results *r = NULL;
    if (oasis_search(s, query, &opts, &r) != 0) {
        fprintf(stderr, "embed: %s\n", oasis_error_last());
        oasis_searcher_free(s);
        return 2;
    }

    /* With facets the total is exact; without, it may be an estimate. */
    size_t total = oasis_results_total(r);
    printf("%zu of %s%zu initiatives\n", oasis_results_hit_count(r),
           oasis_results_total_exact(r) ? "" : "about ", total);
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        printf("%zu. %s (", h->rank, *h->title ? h->title : "untitled");
        for (size_t j = 0; j < h->n_departements; j++)
            printf("%s%s", j ? ", " : "", h->departements[j]->name);
        printf(") %s:%ld\n", h->source_file, h->source_line);
    }
    print_facet(r, OASIS_FACET_DEPARTEMENT, "départements");
    print_facet(r, OASIS_FACET_REGION, "régions");
    print_facet(r, OASIS_FACET_CATEGORY, "catégories");

    oasis_results_free(r); /* the hits and facet values go with it */
    oasis_searcher_free(s);
    return total > 0 ? 0 : 1;
}
