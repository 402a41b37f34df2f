/* One searcher per worker thread of oasis-serve, opened on first use and
 * kept up to date with the index (a run of oasis-index while serving is
 * seen without a restart). */
#ifndef OASIS_SERVE_SEARCHERS_H
#define OASIS_SERVE_SEARCHERS_H

#include "oasis.h"

/* The index every searcher opens and the thesaurus file each loads
 * (oasis_searcher_load_synonyms(); NULL: the one beside the index);
 * both borrowed for the program's life. */
void searchers_init(const char *path, const char *synonyms);

/* The calling thread's searcher, opened now if needed and brought to the
 * index's latest commit. NULL when the index cannot be opened (the
 * reason is then in oasis_error_last()). */
oasis_searcher *searchers_get(void);

/* Frees every thread's searcher. Call once no worker thread is left. */
void searchers_free_all(void);

#endif
