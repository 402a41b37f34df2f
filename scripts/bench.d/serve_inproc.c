/* serve_inproc: what one search of oasis-serve's /api/search costs
 * in-process, without HTTP: oasis_search() with the API's options (those
 * of oasis-query, facets on, 10 hits) over the same searches as
 * serve.lua, and the same with oasis_searcher_reopen() before each search
 * as the server's threads do.
 *
 *   serve_inproc INDEX QUERIES [--rounds N]
 *
 * Prints one JSON object: the mean microseconds of each, in wall-clock
 * time and in CPU time of the process (which another process's load on
 * the machine does not stretch). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "oasis.h"

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* One search of the k-th query, as serve.lua asks for it. */
static int search(oasis_searcher *s, const char *q, size_t k, int reopen)
{
    static const char *const dept[] = {"45"};
    static const char *const cat[] = {"logement"};
    oasis_search_options o;
    oasis_search_options_init_reader(&o);
    o.facets = 1;
    o.limit = 10;
    if (k % 3 == 1) {
        o.departements = dept;
        o.n_departements = 1;
    } else if (k % 3 == 2) {
        o.categories = cat;
        o.n_categories = 1;
    }
    if (reopen && oasis_searcher_reopen(s, NULL) != 0)
        return -1;
    oasis_results *r;
    if (oasis_search(s, q, &o, &r) != 0)
        return -1;
    oasis_results_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: serve_inproc INDEX QUERIES [--rounds N]\n");
        return 2;
    }
    int rounds = argc > 4 && !strcmp(argv[3], "--rounds") ? atoi(argv[4]) : 200;
    bench_queries all = bench_read_queries(argv[2]);
    bench_queries q = {calloc(all.n + 1, sizeof *q.v), 0};
    for (size_t i = 0; i < all.n; i++)
        if (all.v[i][0] != '#')
            q.v[q.n++] = all.v[i];
    oasis_searcher *s;
    if (oasis_searcher_open(&s, argv[1]) != 0) {
        fprintf(stderr, "serve_inproc: %s\n", oasis_error_last());
        return 1;
    }
    double mean[2], cpu[2];
    for (int reopen = 0; reopen < 2; reopen++) {
        for (size_t k = 0; k < q.n; k++) /* untimed: warm caches */
            if (search(s, q.v[k], k, reopen))
                return 1;
        double t0 = bench_now_ms(), c0 = cpu_ms();
        for (int r = 0; r < rounds; r++)
            for (size_t k = 0; k < q.n; k++)
                if (search(s, q.v[k], k, reopen)) {
                    fprintf(stderr, "serve_inproc: %s\n", oasis_error_last());
                    return 1;
                }
        mean[reopen] = (bench_now_ms() - t0) * 1000.0 / ((double)rounds * (double)q.n);
        cpu[reopen] = (cpu_ms() - c0) * 1000.0 / ((double)rounds * (double)q.n);
    }
    printf("{\"searches\":%zu,\"search_us\":%.1f,\"reopen_search_us\":%.1f,"
           "\"search_cpu_us\":%.1f,\"reopen_search_cpu_us\":%.1f}\n",
           (size_t)rounds * q.n, mean[0], mean[1], cpu[0], cpu[1]);
    oasis_searcher_free(s);
    return 0;
}
