/* oasis_bench: in-process query latency of liboasis, through include/oasis.h
 * only. Every query runs once untimed (warm caches), then once timed; hits
 * are read as a program showing them would (title, text, départements).
 *
 *   oasis_bench INDEX QUERIES [--facets] [--bare] [--full] [--limit N] [--passes N]
 *               [--times FILE]
 *
 * The search options are the library's defaults; --bare turns off what
 * ranking the top 10 does not need (snippets, spelling suggestions,
 * synonyms, place boosts), to show what those cost; --full turns on what
 * oasis-query adds to the defaults (proximity in the ranking, exact
 * totals, snippets, spelling suggestions). A library without such options
 * makes them exit 3. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "oasis.h"

static size_t sink; /* keeps the reads of hits from being optimised away */

static int run(oasis_searcher *s, const char *query, const oasis_search_options *o,
               size_t *hits, double *matches)
{
    oasis_results *r;
    if (oasis_search(s, query, o, &r) != 0) {
        fprintf(stderr, "oasis_bench: '%s': %s\n", query, oasis_error_last());
        return -1;
    }
    size_t n = oasis_results_hit_count(r);
    for (size_t i = 0; i < n; i++) {
        const oasis_hit *h = oasis_results_hit_at(r, i);
        sink += strlen(h->title) + strlen(h->text) + h->n_departements;
    }
    for (int f = 0; f < 3; f++)
        for (size_t i = 0; i < oasis_results_facet_count(r, (oasis_facet)f); i++)
            sink += oasis_results_facet_at(r, (oasis_facet)f, i)->count;
    *hits += n;
    *matches += (double)oasis_results_total(r);
    oasis_results_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: oasis_bench INDEX QUERIES [--facets] [--bare] [--full] [--limit N]"
                        " [--passes N] [--times FILE]\n");
        return 2;
    }
    oasis_search_options o = OASIS_SEARCH_OPTIONS_INIT;
    o.limit = 10;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--facets")) {
            o.facets = 1;
        } else if (!strcmp(argv[i], "--bare")) {
#if OASIS_SEARCH_OPTIONS_VERSION >= 2
            o.snippet_bytes = 0;
            o.suggest = o.synonyms = o.places = 0;
#else
            fprintf(stderr, "oasis_bench: --bare: this library has no such options\n");
            return 3;
#endif
        } else if (!strcmp(argv[i], "--full")) {
#if OASIS_SEARCH_OPTIONS_VERSION >= 3
            o.proximity = o.exact_total = 1;
            o.snippet_bytes = 200;
            o.suggest = 1;
#else
            fprintf(stderr, "oasis_bench: --full: this library has no such options\n");
            return 3;
#endif
        } else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
            o.limit = (size_t)strtoul(argv[++i], NULL, 10);
        }
    }
    bench_queries q = bench_read_queries(argv[2]);
    oasis_searcher *s;
    if (oasis_searcher_open(&s, argv[1]) != 0) {
        fprintf(stderr, "oasis_bench: %s\n", oasis_error_last());
        return 2;
    }
    double *ms = calloc(q.n ? q.n : 1, sizeof *ms);
    size_t hits = 0;
    double matches = 0;
    int passes = bench_passes(argc, argv);
    for (int pass = 0; pass <= passes; pass++) {
        hits = 0;
        matches = 0;
        for (size_t i = 0; i < q.n; i++) {
            double t0 = bench_now_ms();
            if (run(s, q.v[i], &o, &hits, &matches))
                return 2;
            if (pass)
                bench_keep_min(ms, i, pass, bench_now_ms() - t0);
        }
    }
    bench_report(ms, q.n, hits, matches);
    fprintf(stderr, "oasis_bench: %zu\n", sink & 1);
    oasis_searcher_free(s);
    for (size_t i = 0; i < q.n; i++)
        free(q.v[i]);
    free(q.v);
    free(ms);
    return 0;
}
