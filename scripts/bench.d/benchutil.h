/* Shared by the benchmark's query drivers (C and C++): the query file,
 * a clock, and the latency summary every driver prints the same way. */
#ifndef BENCHUTIL_H
#define BENCHUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bench_queries {
    char **v;
    size_t n;
} bench_queries;

/* Reads one query per line (blank lines skipped); exits on failure. */
static inline bench_queries bench_read_queries(const char *path)
{
    bench_queries q = {NULL, 0};
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 0;
    char *line = NULL;
    size_t len = 0;
    ssize_t got;
    while ((got = getline(&line, &len, f)) != -1) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if (got == 0)
            continue;
        if (q.n == cap) {
            cap = cap ? cap * 2 : 1024;
            q.v = (char **)realloc(q.v, cap * sizeof *q.v);
            if (!q.v)
                exit(2);
        }
        q.v[q.n++] = strdup(line);
    }
    free(line);
    fclose(f);
    return q;
}

/* Where bench_report() writes each query's time (--times FILE), or NULL;
 * set by bench_passes(). */
static const char *bench_times_path;

/* Timed passes over the queries after the untimed one (--passes N, default
 * 3): each query keeps its fastest time, so that a pause caused by another
 * process on the machine does not count against one contender only. Also
 * reads --times FILE (bench_report()). */
static inline int bench_passes(int argc, char **argv)
{
    int passes = 3;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--passes"))
            passes = atoi(argv[i + 1]) > 0 ? atoi(argv[i + 1]) : 1;
        else if (!strcmp(argv[i], "--times"))
            bench_times_path = argv[i + 1];
    }
    return passes;
}

/* Records sample t of query i in pass (pass 1 is the first timed one). */
static inline void bench_keep_min(double *ms, size_t i, int pass, double t)
{
    if (pass == 1 || t < ms[i])
        ms[i] = t;
}

static inline double bench_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The value below which a fraction p of the sorted samples lie
 * (nearest rank). */
static inline double bench_percentile(const double *sorted, size_t n, double p)
{
    if (!n)
        return 0;
    size_t k = (size_t)(p * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return sorted[k - 1];
}

/* Prints the latencies as one JSON object on stdout, after writing each
 * query's time, in the order of the queries, to the --times file when one
 * was given. hits: hits returned in all; matches: the engine's match
 * counts added up (exact or estimated, as the engine gives them). */
static inline void bench_report(double *ms, size_t n, size_t hits, double matches)
{
    if (bench_times_path) {
        FILE *f = fopen(bench_times_path, "w");
        if (!f) {
            perror(bench_times_path);
            exit(2);
        }
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%.6f\n", ms[i]);
        if (fclose(f) != 0) {
            perror(bench_times_path);
            exit(2);
        }
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ms[i];
    qsort(ms, n, sizeof *ms, bench_cmp_double);
    printf("{\"queries\":%zu,\"mean_ms\":%.4f,\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"max_ms\":%.4f,"
           "\"hits\":%zu,\"matches\":%.0f}\n",
           n, n ? sum / (double)n : 0.0, bench_percentile(ms, n, 0.50),
           bench_percentile(ms, n, 0.99), n ? ms[n - 1] : 0.0, hits, matches);
}

#endif
