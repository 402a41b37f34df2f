#include "util/tsv.h"

#include <string.h>

char *oa_tsv_next_line(char **next)
{
    char *line = *next;
    if (!line || !*line)
        return NULL;
    char *nl = strchr(line, '\n');
    *next = nl ? nl + 1 : NULL;
    if (nl)
        *nl = '\0';
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        line[len - 1] = '\0';
    return line;
}

size_t oa_tsv_split(char *line, char **fields, size_t max)
{
    if (max == 0)
        return 1; /* every line has a field: more than none */
    size_t n = 0;
    fields[n++] = line;
    for (char *p = line; *p; p++) {
        if (*p == '\t') {
            *p = '\0';
            if (n == max)
                return max + 1;
            fields[n++] = p + 1;
        }
    }
    return n;
}
