/* Per-thread searchers: each worker thread has its own (a searcher is
 * used by one thread at a time), listed so that they can all be freed at
 * the end. */
#include "searchers.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct slot {
    oasis_searcher *s;
    struct slot *next;
} slot;

static const char *index_path, *synonyms_path;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot *slots;
static _Thread_local slot *mine;

void searchers_init(const char *path, const char *synonyms)
{
    index_path = path;
    synonyms_path = synonyms;
}

/* A searcher of the index with its thesaurus file (whose warnings the
 * program said when it started). */
static oasis_searcher *open_searcher(void)
{
    oasis_searcher *s = NULL;
    if (oasis_searcher_open(&s, index_path) != 0)
        return NULL;
    if (oasis_searcher_load_synonyms(s, synonyms_path, NULL, NULL) != 0) {
        oasis_searcher_free(s);
        return NULL;
    }
    return s;
}

oasis_searcher *searchers_get(void)
{
    if (!mine) {
        slot *n = calloc(1, sizeof *n);
        if (!n)
            return NULL;
        pthread_mutex_lock(&lock);
        n->next = slots;
        slots = n;
        pthread_mutex_unlock(&lock);
        mine = n;
    }
    /* Brought to the latest commit; a searcher that cannot be (the index
     * replaced or damaged) is opened anew. */
    if (mine->s && oasis_searcher_reopen(mine->s, NULL) != 0) {
        oasis_searcher_free(mine->s);
        mine->s = NULL;
    }
    if (!mine->s && !(mine->s = open_searcher()))
        return NULL;
    return mine->s;
}

void searchers_free_all(void)
{
    pthread_mutex_lock(&lock);
    while (slots) {
        slot *n = slots->next;
        oasis_searcher_free(slots->s);
        free(slots);
        slots = n;
    }
    pthread_mutex_unlock(&lock);
}
