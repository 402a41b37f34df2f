/* Helpers shared by the test programs. */
#ifndef OASIS_TESTUTIL_H
#define OASIS_TESTUTIL_H

#include <stddef.h>

/* The project's source directory (OASIS_SOURCE_DIR, set by ctest). */
const char *t_source_dir(void);

/* A path under the source directory, in a static buffer per call slot
 * (valid until the 8th next call). */
const char *t_source_path(const char *rel);

/* A new empty directory under $TMPDIR; removed with t_rmtree(). Caller
 * frees the returned string. */
char *t_mkdtemp(void);
void t_rmtree(const char *path);

/* Reads a whole file (NUL-terminated); aborts the test on failure. */
char *t_read_file(const char *path, size_t *len);

/* Runs argv (argv[0] a path) with stdin from /dev/null, capturing stdout and
 * stderr (caller frees both). Extra environment "NAME=value" strings in env
 * (NULL-terminated, may be NULL) are added. Returns the exit status, or -1
 * when the program did not exit normally. */
int t_run(char *const argv[], char *const env[], char **out, char **err);

#endif
