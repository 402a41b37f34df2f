/* index_jsonl.c: add the initiatives of a JSON Lines file to an oasis
 * index, one object per line:
 *
 *   {"id":"my-id","title":"…","text":"…","departements":["45"],"categories":["logement"]}
 *
 *   cc index_jsonl.c $(pkg-config --cflags --libs oasis) -o index_jsonl
 *   ./index_jsonl oasis.db initiatives.jsonl
 *
 * The library reads the file, resolves the départements, finds the
 * categories (unless a record names them) and replaces initiatives with the
 * same id. Problems in one record are warnings; the other records are still
 * indexed. Exit status: 0 on success, 2 on error.
 */
#include <stdio.h>

#include <oasis.h>

/* Called for each problem that does not stop indexing. The strings are
 * valid during the call only. */
static void on_warning(void *userdata, const char *file, long line, const char *message)
{
    (void)userdata;
    if (line > 0)
        fprintf(stderr, "%s:%ld: warning: %s\n", file, line, message);
    else /* about the whole file */
        fprintf(stderr, "%s: warning: %s\n", file, message);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INDEX FILE.jsonl\n", argv[0]);
        return 2;
    }

    oasis_writer_options wopts = OASIS_WRITER_OPTIONS_INIT;
    wopts.warning = on_warning;

    /* Creates the index when missing; a second writer would get
     * OASIS_ELOCKED. */
    oasis_writer *w = NULL;
    if (oasis_writer_open(&w, argv[1], &wopts) != 0) {
        fprintf(stderr, "index_jsonl: %s\n", oasis_error_last());
        return 2;
    }

    oasis_add_stats stats = OASIS_ADD_STATS_INIT;
    int rc = oasis_writer_add_path(w, argv[2], &stats);
    /* Commit explicitly: oasis_writer_free() commits too, but cannot report
     * a failure. */
    if (rc == 0)
        rc = oasis_writer_commit(w);
    if (rc != 0)
        fprintf(stderr, "index_jsonl: %s\n", oasis_error_last());
    else
        printf("indexed: %zu, skipped: %zu, warnings: %zu; in the index: %zu\n",
               stats.indexed, stats.skipped, stats.warnings, oasis_writer_doc_count(w));
    oasis_writer_free(w);
    return rc == 0 ? 0 : 2;
}
