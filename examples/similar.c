/* similar.c: find an initiative by a few words, then the initiatives most
 * like it (the same kind of action elsewhere, for instance).
 *
 *   cc similar.c $(pkg-config --cflags --libs oasis) -o similar
 *   ./similar oasis.db bus médical
 *   ./similar oasis.db --id 45-plan-priorite-sante
 *
 * Exit status: 0 when similar initiatives were found, 1 when none were,
 * 2 on error.
 */
#include <stdio.h>
#include <string.h>

#include <oasis.h>

static int fail(oasis_searcher *s, oasis_results *r)
{
    fprintf(stderr, "similar: %s\n", oasis_error_last());
    oasis_results_free(r);
    oasis_searcher_free(s);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s INDEX WORDS...\n       %s INDEX --id ID\n", argv[0], argv[0]);
        return 2;
    }
    oasis_searcher *s = NULL;
    oasis_results *found = NULL, *like = NULL;
    if (oasis_searcher_open(&s, argv[1]) != 0)
        return fail(s, NULL);

    /* The initiative to start from: given by id, or the best hit of the
     * words. The id is copied: it is borrowed from `found`. */
    char id[256];
    if (argc == 4 && !strcmp(argv[2], "--id")) {
        snprintf(id, sizeof id, "%s", argv[3]);
    } else {
        char words[1024] = "";
        for (int i = 2; i < argc; i++) {
            if (strlen(words) + strlen(argv[i]) + 2 > sizeof words)
                break;
            if (*words)
                strcat(words, " ");
            strcat(words, argv[i]);
        }
        oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
        o.limit = 1;
        if (oasis_search(s, words, &o, &found) != 0)
            return fail(s, found);
        const oasis_hit *best = oasis_results_hit_at(found, 0);
        if (!best) {
            fprintf(stderr, "similar: no initiative matches '%s'\n", words);
            oasis_results_free(found);
            oasis_searcher_free(s);
            return 1;
        }
        snprintf(id, sizeof id, "%s", best->id);
        printf("like: %s (%s)\n", best->title, best->id);
        oasis_results_free(found);
        found = NULL;
    }

    /* opts.like replaces the query, which must be empty. An unknown id is
     * OASIS_ENOTFOUND. */
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.like = id;
    o.limit = 5;
    if (oasis_search(s, "", &o, &like) != 0)
        return fail(s, like);
    size_t n = oasis_results_hit_count(like);
    for (size_t i = 0; i < n; i++) {
        const oasis_hit *h = oasis_results_hit_at(like, i);
        printf("%zu. %s [", h->rank, h->title);
        for (size_t j = 0; j < h->n_departements; j++)
            printf("%s%s", j ? ", " : "", h->departements[j]->code);
        printf("] %s\n", h->id);
    }
    oasis_results_free(like);
    oasis_searcher_free(s);
    return n > 0 ? 0 : 1;
}
