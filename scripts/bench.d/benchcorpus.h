/* Shared by the drivers that index the JSON Lines corpus themselves (plain
 * Xapian, FTS5): one call per record, the lines that do not parse skipped. */
#ifndef BENCHCORPUS_H
#define BENCHCORPUS_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

/* fn gets the parsed object (freed after the call) and the raw line. */
typedef void (*bench_record_fn)(void *userdata, json_t *record, const char *line, size_t len);

/* Calls fn for each record of the JSON Lines file corpus; the number of
 * records, or -1 when the file cannot be read (said on stderr). */
static inline long bench_each_record(const char *corpus, bench_record_fn fn, void *userdata)
{
    FILE *f = fopen(corpus, "r");
    if (!f) {
        perror(corpus);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)len, 0, &err);
        if (!o)
            continue;
        fn(userdata, o, line, (size_t)len);
        json_decref(o);
        n++;
    }
    free(line);
    fclose(f);
    return n;
}

#endif
