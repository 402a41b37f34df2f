/* add_docs.c: index initiatives held in memory (rows of a database, a
 * form), then find one of them again.
 *
 *   cc add_docs.c $(pkg-config --cflags --libs oasis) -o add_docs
 *   ./add_docs /tmp/portal.db
 *
 * Exit status: 0 on success, 2 on error.
 */
#include <stdio.h>

#include <oasis.h>

static int fail(const char *what)
{
    fprintf(stderr, "add_docs: %s: %s\n", what, oasis_error_last());
    return 2;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s INDEX\n", argv[0]);
        return 2;
    }

    /* The strings are only read during oasis_writer_add(): they may live on
     * the stack or be freed right after. */
    static const char *const cher[] = {"18"};
    static const char *const vosges_meuse[] = {"Vosges", "meuse"}; /* names work too */
    static const char *const grants[] = {"etudiants"};
    const oasis_doc docs[] = {
        /* No categories given: the library's rules find them in the text. */
        {.version = OASIS_DOC_VERSION,
         .id = "portal-1",
         .title = "Un bus médical dans les communes rurales",
         .text = "Le bus s'arrête chaque semaine dans douze communes sans médecin.",
         .departements = cher,
         .n_departements = 1,
         .source_file = "portal",
         .source_line = 1},
        {.version = OASIS_DOC_VERSION,
         .id = "portal-2",
         .title = "Bourses pour les internes en médecine générale",
         .text = "Une aide mensuelle contre un engagement d'exercer cinq ans.",
         .departements = vosges_meuse,
         .n_departements = 2,
         .categories = grants, /* given: they replace the rules */
         .n_categories = 1,
         .source_file = "portal",
         .source_line = 2},
    };

    oasis_writer *w = NULL;
    if (oasis_writer_open(&w, argv[1], NULL) != 0)
        return fail("open for writing");
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        if (oasis_writer_add(w, &docs[i]) != 0) {
            oasis_writer_free(w);
            return fail("add");
        }
    }
    int rc = oasis_writer_commit(w);
    oasis_writer_free(w);
    if (rc != 0)
        return fail("commit");

    /* A searcher sees what was committed before it was opened. */
    oasis_searcher *s = NULL;
    oasis_results *r = NULL;
    if (oasis_searcher_open(&s, argv[1]) != 0)
        return fail("open for reading");
    if (oasis_search(s, "interne", NULL, &r) != 0) {
        oasis_searcher_free(s);
        return fail("search");
    }
    for (size_t i = 0; i < oasis_results_hit_count(r); i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        printf("%s\t%s\t", h->id, h->title);
        for (size_t j = 0; j < h->n_departements; j++)
            printf("%s%s", j ? "," : "", h->departements[j]->code);
        for (size_t j = 0; j < h->n_categories; j++)
            printf("%s%s", j ? "," : "\t", h->categories[j]->slug);
        printf("\n");
    }
    oasis_results_free(r);
    oasis_searcher_free(s);
    return 0;
}
