/* Helpers shared by the test programs. */
#ifndef OASIS_TESTUTIL_H
#define OASIS_TESTUTIL_H

#include <stddef.h>

#include "oasis.h"

/* The project's source directory (OASIS_SOURCE_DIR, set by ctest). */
const char *t_source_dir(void);

/* The value of the environment variable name, set by ctest; exits with a
 * message when it is not set. */
const char *t_env(const char *name);

/* A path under the source directory, in a static buffer per call slot
 * (valid until the 8th next call). */
const char *t_source_path(const char *rel);

/* A new empty directory under $TMPDIR; removed with t_rmtree(). Caller
 * frees the returned string. */
char *t_mkdtemp(void);
void t_rmtree(const char *path);

/* The absolute path of path with every symlink, "." and ".." resolved
 * (realpath(); caller frees), or NULL when it does not resolve. */
char *t_real_path(const char *path);

/* Reads a whole file (NUL-terminated); aborts the test on failure. */
char *t_read_file(const char *path, size_t *len);

/* Runs argv (argv[0] a path) with stdin from /dev/null, capturing stdout and
 * stderr (caller frees both). Extra environment "NAME=value" strings in env
 * (NULL-terminated, may be NULL) are added. Returns the exit status, or -1
 * when the program did not exit normally. */
int t_run(char *const argv[], char *const env[], char **out, char **err);

/* Indexes corpus/ through the library into the index at path (created).
 * Returns 0 or the library's error code. */
int t_index_corpus(const char *path);

/* A new temporary directory (*dir, to remove with t_rmtree() and free)
 * holding corpus/ indexed at <dir>/oasis.db, written into index (cap
 * bytes) when index is not NULL, and a searcher opened on it (NULL when
 * anything failed). */
oasis_searcher *t_corpus_searcher(char **dir, char *index, size_t cap);

/* What t_corpus_setup() gives tests through *state: the temporary
 * directory, the index of corpus/ in it and a searcher open on it. */
typedef struct t_corpus_fixture {
    char *dir;
    char index[4200];
    oasis_searcher *s;
} t_corpus_fixture;

/* cmocka group setup and teardown of a t_corpus_fixture (t_corpus_searcher()). */
int t_corpus_setup(void **state);
int t_corpus_teardown(void **state);

/* cmocka group teardown of a malloc()ed fixture whose first member is
 * char *dir, a t_mkdtemp() directory: removes and frees the directory, then
 * frees the fixture. */
int t_dir_teardown(void **state);

/* cmocka per-test setup and teardown of a temporary directory
 * (t_mkdtemp()); t_tmpdir_path(rel) is "<that directory>/rel" in a static
 * buffer (valid until the 4th next call). */
int t_tmpdir_setup(void **state);
int t_tmpdir_teardown(void **state);
const char *t_tmpdir_path(const char *rel);

/* Seconds on a monotonic clock. */
double t_now(void);

/* Sleeps secs seconds, going on when a signal interrupts the sleep. */
void t_sleep(double secs);

/* unit written times times, then tail (caller frees); aborts when out of
 * memory. */
char *t_repeat(const char *unit, size_t times, const char *tail);

/* qsort() and bsearch() order of an array of strings (char *). */
int t_cmp_str(const void *a, const void *b);

/* s without its leading spaces, its trailing ones cut in place. */
char *t_trim(char *s);

/* The rows of a data file read whole (t_read_file()): returns the next line
 * from *cursor that is neither blank nor a '#' comment, its '\n' replaced
 * by a NUL, and moves *cursor past it; NULL at the end. *lineno (may be
 * NULL) counts every line read, so it holds the returned row's number. */
char *t_next_row(char **cursor, int *lineno);

/* Cuts row in place at its tabs into at most max fields (the last one keeps
 * any further tabs); returns how many. */
size_t t_split_tabs(char *row, char **fields, size_t max);

#endif
