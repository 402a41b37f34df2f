/* oasis-query: searches an oasis index and prints the ranked initiatives. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oasis.h"
#include "output.h"

#define PROG "oasis-query"
#define MAX_FILTERS 128

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: " PROG " [OPTION]... WORDS...\n"
            "Search the initiatives for WORDS (French; accents, case, plural and elisions do\n"
            "not matter). Initiatives containing every word come first, then those containing\n"
            "some; each group is ranked by relevance (BM25). With no WORDS, the filters list\n"
            "what they keep, and --facets alone counts the whole index.\n"
            "\n"
            "Filters (each repeatable; values of one filter are OR-ed, filters AND-ed):\n"
            "  -d, --dept CODE|NAME   département, by INSEE code or name (\"45\", \"loir et cher\")\n"
            "  -r, --region CODE|NAME région, by INSEE code or name (\"24\", \"Grand Est\")\n"
            "  -c, --category SLUG    action category (\"logement\"; see corpus/categories.tsv)\n"
            "\n"
            "Options:\n"
            "  -i, --index PATH       index to search (default: $OASIS_INDEX, else ./oasis.db)\n"
            "  -n, --limit N          show N hits (default: 10; 0: counts and facets only)\n"
            "      --offset N         skip the first N hits (default: 0)\n"
            "      --facets           count matches by département, région and category\n"
            "                         (the default); a filtered facet still counts the\n"
            "                         other choices of that facet\n"
            "      --no-facets        do not count facets\n"
            "      --json             write JSON Lines: one {\"type\":\"hit\"} object per hit,\n"
            "                         then one {\"type\":\"summary\"} object\n"
            "      --color WHEN       bold titles: auto (on a terminal, unless NO_COLOR is\n"
            "                         set), always or never (default: auto)\n"
            "  -h, --help             show this help and exit\n"
            "  -V, --version          show the version and exit\n"
            "\n"
            "Exit status: 0 when something matched, 1 when nothing did, 2 on error.\n");
}

static int parse_count(const char *opt, const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || s[0] == '-') {
        fprintf(stderr, PROG ": %s wants a number, not '%s'\n", opt, s);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

static char *join_words(int n, char **words)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *q = malloc(len);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, words[i]);
    }
    return q;
}

enum { OPT_OFFSET = 256, OPT_JSON, OPT_COLOR, OPT_FACETS, OPT_NO_FACETS };

/* Appends v to a filter list; -1 (with a message) when it is full. */
static int add_filter(const char **list, size_t *n, const char *v, const char *opt)
{
    if (*n == MAX_FILTERS) {
        fprintf(stderr, PROG ": too many %s options (at most %d)\n", opt, MAX_FILTERS);
        return -1;
    }
    list[(*n)++] = v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},     {"dept", required_argument, NULL, 'd'},
        {"region", required_argument, NULL, 'r'},    {"category", required_argument, NULL, 'c'},
        {"limit", required_argument, NULL, 'n'},     {"offset", required_argument, NULL, OPT_OFFSET},
        {"facets", no_argument, NULL, OPT_FACETS},   {"no-facets", no_argument, NULL, OPT_NO_FACETS},
        {"json", no_argument, NULL, OPT_JSON},       {"color", required_argument, NULL, OPT_COLOR},
        {"help", no_argument, NULL, 'h'},            {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *index = getenv("OASIS_INDEX");
    if (!index || !*index)
        index = "oasis.db";
    const char *depts[MAX_FILTERS], *regions[MAX_FILTERS], *categories[MAX_FILTERS];
    oasis_search_options opts = OASIS_SEARCH_OPTIONS_INIT;
    opts.departements = depts;
    opts.regions = regions;
    opts.categories = categories;
    opts.facets = 1;
    out_style style = {0, -1, 1};
    int facets_asked = 0;
    int c;
    while ((c = getopt_long(argc, argv, "i:d:r:c:n:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            index = optarg;
            break;
        case 'd':
            if (add_filter(depts, &opts.n_departements, optarg, "--dept"))
                return 2;
            break;
        case 'r':
            if (add_filter(regions, &opts.n_regions, optarg, "--region"))
                return 2;
            break;
        case 'c':
            if (add_filter(categories, &opts.n_categories, optarg, "--category"))
                return 2;
            break;
        case 'n':
            if (parse_count("--limit", optarg, &opts.limit))
                return 2;
            break;
        case OPT_FACETS:
            opts.facets = style.facets = facets_asked = 1;
            break;
        case OPT_NO_FACETS:
            opts.facets = style.facets = 0;
            break;
        case OPT_OFFSET:
            if (parse_count("--offset", optarg, &opts.offset))
                return 2;
            break;
        case OPT_JSON:
            style.json = 1;
            break;
        case OPT_COLOR:
            if (!strcmp(optarg, "always"))
                style.color = 1;
            else if (!strcmp(optarg, "never"))
                style.color = 0;
            else if (!strcmp(optarg, "auto"))
                style.color = -1;
            else {
                fprintf(stderr, PROG ": --color wants auto, always or never, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf(PROG " %s\n", oasis_version());
            return 0;
        default:
            fprintf(stderr, "Try '" PROG " --help' for more information.\n");
            return 2;
        }
    }
    int filtered = opts.n_departements || opts.n_regions || opts.n_categories;
    if (optind >= argc && !filtered && !facets_asked) {
        fprintf(stderr, PROG ": no search words given\n");
        fprintf(stderr, "Try '" PROG " --help' for more information.\n");
        return 2;
    }
    if (optind >= argc && !filtered)
        opts.limit = 0; /* --facets alone: the counts over the whole index, no list */
    if (style.color < 0) {
        const char *no_color = getenv("NO_COLOR");
        style.color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
    }
    char *query = join_words(argc - optind, argv + optind);
    if (!query) {
        fprintf(stderr, PROG ": out of memory\n");
        return 2;
    }

    int status = 2;
    oasis_searcher *s = NULL;
    oasis_results *r = NULL;
    if (oasis_searcher_open(&s, index) != 0 || oasis_search(s, query, &opts, &r) != 0) {
        fprintf(stderr, PROG ": %s\n", oasis_error_last());
        goto done;
    }
    size_t n = oasis_results_count(r);
    for (size_t i = 0; i < n; i++)
        out_hit(stdout, &style, oasis_results_hit(r, i));
    out_summary(stdout, &style, query, r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROG ": cannot write the results\n");
        goto done;
    }
    status = oasis_results_total(r) > 0 ? 0 : 1;
    if (status == 1 && !style.json)
        fprintf(stderr, PROG ": no initiative matches%s%s%s\n", *query ? " '" : "", query,
                *query ? "'" : "");
done:
    oasis_results_free(r);
    oasis_searcher_free(s);
    free(query);
    return status;
}
