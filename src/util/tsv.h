/* Reading the tab-separated tables of corpus/, in place. */
#ifndef OASIS_UTIL_TSV_H
#define OASIS_UTIL_TSV_H

#include <stddef.h>

/* Cuts the next line off *next (LF or CRLF ended), writing a NUL over its
 * end; NULL at the end of the text. */
char *oa_tsv_next_line(char **next);

/* Splits line at tabs (written over with NULs) into at most max fields;
 * returns their number, or max + 1 when there are more (fields[0..max)
 * then hold the first max; with max 0, nothing is stored). */
size_t oa_tsv_split(char *line, char **fields, size_t max);

#endif
