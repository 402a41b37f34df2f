/* oasis-query: searches an oasis index and prints the ranked initiatives. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"
#include "oasis.h"
#include "output.h"

#define PROG "oasis-query"
#define MAX_FILTERS 128

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: " PROG " [OPTION]... WORDS...\n"
            "       " PROG " [OPTION]... --like ID\n"
            "       " PROG " [OPTION]... --batch FILE\n"
            "Search the initiatives for WORDS (French; accents, case, plural and elisions do\n"
            "not matter). Initiatives containing every word come first, then those containing\n"
            "some; each group is ranked by relevance (BM25). With no WORDS, every initiative\n"
            "the filters keep (all of them without filters) is listed by département code,\n"
            "then title. Words that are all too common to search (\"le la les\") or only\n"
            "punctuation find nothing, with a notice.\n"
            "\n"
            "Query language: \"a phrase\", +required, -excluded, AND, OR, NOT (in capitals),\n"
            "(brackets), titre:word, dept:45, region:\"grand est\", cat:logement, médec* (a\n"
            "prefix). Title words weigh more; synonyms (corpus/synonyms.tsv, and a file\n"
            "synonyms.tsv beside the index) count, less than the words typed, each\n"
            "expression of a line finding the others; words naming an action category\n"
            "(\"télémédecine\", \"logement\") also find its initiatives, after those with\n"
            "the words; a département, région or commune named (\"logement Loiret\",\n"
            "\"Bretagne\", \"PACA\", \"Vesoul\") ranks its initiatives first, and one no\n"
            "initiative is in gets a notice. A malformed query is read as plain words, with a\n"
            "notice. Words no initiative contains get a suggestion close for their length\n"
            "(\"Did you mean\"), which is searched when the query finds nothing.\n"
            "\n"
            "Filters (each repeatable; values of one filter are OR-ed, filters AND-ed):\n"
            "  -d, --dept CODE|NAME   département, by INSEE code or name (\"45\", \"loir et cher\")\n"
            "  -r, --region CODE|NAME région, by INSEE code or name (\"24\", \"Grand Est\", \"PACA\")\n"
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
            "      --color WHEN       bold titles and coloured matches: auto (on a terminal,\n"
            "                         unless NO_COLOR is set), always or never (default:\n"
            "                         auto); without colour, matches are **marked**\n"
            "      --explain          show what each hit matched, where (title, text) and\n"
            "                         with what weight, and the places and synonyms used\n"
            "      --like ID          list the initiatives most like initiative ID (its\n"
            "                         words, by relevance feedback) instead of searching\n"
            "      --synonyms FILE    add the synonym lines of FILE (corpus/synonyms.tsv's\n"
            "                         format) to the built-in ones, instead of the\n"
            "                         synonyms.tsv of the index's directory\n"
            "      --batch FILE       run each line of FILE ('-': standard input) as a\n"
            "                         query, the searcher opened once; JSON Lines out, each\n"
            "                         object tagged with \"line\": its query's line number\n"
            "      --timeout SECONDS  how long a remote database of the index (a stub's\n"
            "                         \"remote HOST:PORT\" line) may take to connect and\n"
            "                         then to answer each request (default: 10)\n"
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

/* A positive number of seconds (decimals allowed, at most a day) in ms. */
static int parse_seconds(const char *opt, const char *s, unsigned *ms)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v > 0) || v > 86400) {
        fprintf(stderr, PROG ": %s wants a number of seconds above 0 (at most 86400), not '%s'\n",
                opt, s);
        return -1;
    }
    *ms = (unsigned)(v * 1000 + 0.5);
    if (*ms == 0)
        *ms = 1;
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

enum {
    OPT_OFFSET = 256,
    OPT_JSON,
    OPT_COLOR,
    OPT_FACETS,
    OPT_NO_FACETS,
    OPT_EXPLAIN,
    OPT_LIKE,
    OPT_BATCH,
    OPT_TIMEOUT,
    OPT_SYNONYMS
};

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

/* How much of a query a message echoes: the start of a long one, cut on a
 * character boundary. */
#define ECHO_MAX 120
static int echo_len(const char *q)
{
    size_t n = strlen(q);
    if (n <= ECHO_MAX)
        return (int)n;
    n = ECHO_MAX;
    while (n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

static const char *echo_more(const char *q)
{
    return strlen(q) > ECHO_MAX ? "…" : "";
}

/* The index searched, named when it fails. */
static const char *index_path;

/* Runs one query and prints it; the exit status it alone would give.
 * line > 0: a --batch line (errors are written as JSON and go on). */
static int run_query(oasis_searcher *s, const char *query, const oasis_search_options *opts,
                     out_style *style, long line)
{
    oasis_results *r = NULL;
    style->line = line;
    int rc = oasis_search(s, query, opts, &r);
    if (rc != 0) {
        if (line > 0) {
            fprintf(stderr, PROG ": line %ld: %s\n", line, oasis_error_last());
            out_error(stdout, style, oasis_error_last());
        } else {
            cli_report_error(PROG, rc, index_path);
        }
        return 2;
    }
    const char *notice = oasis_results_notice(r);
    if (notice && line > 0)
        fprintf(stderr, PROG ": line %ld: %s\n", line, notice);
    else if (notice)
        fprintf(stderr, PROG ": %s\n", notice);
    rc = out_header(stdout, style, query, r);
    size_t n = oasis_results_hit_count(r);
    for (size_t i = 0; i < n && !rc; i++)
        rc = out_hit(stdout, style, oasis_results_hit_at(r, i));
    if (!rc)
        rc = out_summary(stdout, style, opts->like ? opts->like : query, r);
    int status = oasis_results_total(r) > 0 ? 0 : 1;
    if (!rc && status == 1 && !style->json)
        fprintf(stderr, PROG ": no initiative matches%s%.*s%s%s\n", *query ? " '" : "",
                echo_len(query), query, echo_more(query), *query ? "'" : "");
    if (!rc && oasis_results_corrected(r) && style->json)
        fprintf(stderr, PROG ": nothing matches '%.*s%s': showing the results for '%s'\n",
                echo_len(query), query, echo_more(query), oasis_results_suggestion(r));
    oasis_results_free(r);
    if (rc) {
        fprintf(stderr, PROG ": cannot write the results\n");
        return 2;
    }
    return status;
}

/* Each line of path ('-': standard input) as a query. 2 when a line
 * failed, else 0 when some query matched, else 1. */
static int run_batch(oasis_searcher *s, const char *path, const oasis_search_options *opts,
                     out_style *style)
{
    FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!in) {
        fprintf(stderr, PROG ": cannot read %s: %s\n", path, strerror(errno));
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    int failed = 0, matched = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        size_t i = 0;
        while (line[i] == ' ' || line[i] == '\t')
            i++;
        if (!line[i])
            continue; /* a blank line asks nothing */
        int status = run_query(s, line, opts, style, lineno);
        if (status == 2 && ferror(stdout))
            break;
        failed |= status == 2;
        matched |= status == 0;
    }
    if (ferror(in)) {
        fprintf(stderr, PROG ": cannot read %s: %s\n", path, strerror(errno));
        failed = 1;
    }
    free(line);
    if (in != stdin)
        fclose(in);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROG ": cannot write the results\n");
        return 2;
    }
    return failed ? 2 : matched ? 0 : 1;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},     {"dept", required_argument, NULL, 'd'},
        {"region", required_argument, NULL, 'r'},    {"category", required_argument, NULL, 'c'},
        {"limit", required_argument, NULL, 'n'},     {"offset", required_argument, NULL, OPT_OFFSET},
        {"facets", no_argument, NULL, OPT_FACETS},   {"no-facets", no_argument, NULL, OPT_NO_FACETS},
        {"json", no_argument, NULL, OPT_JSON},       {"color", required_argument, NULL, OPT_COLOR},
        {"explain", no_argument, NULL, OPT_EXPLAIN}, {"like", required_argument, NULL, OPT_LIKE},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"synonyms", required_argument, NULL, OPT_SYNONYMS},
        {"help", no_argument, NULL, 'h'},            {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *index = getenv("OASIS_INDEX");
    if (!index || !*index)
        index = "oasis.db";
    const char *depts[MAX_FILTERS], *regions[MAX_FILTERS], *categories[MAX_FILTERS];
    const char *batch = NULL, *synonyms = NULL;
    /* A person reads the count, the snippets and the suggestions, and the
     * best ranking costs little here. */
    oasis_search_options opts;
    oasis_search_options_init_reader(&opts);
    opts.departements = depts;
    opts.regions = regions;
    opts.categories = categories;
    oasis_searcher_options sopts;
    oasis_searcher_options_init(&sopts);
    out_style style = {0, -1, 1, 0, 0};
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
            opts.facets = style.facets = 1;
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
        case OPT_EXPLAIN:
            opts.explain = style.explain = 1;
            break;
        case OPT_LIKE:
            opts.like = optarg;
            break;
        case OPT_BATCH:
            batch = optarg;
            break;
        case OPT_TIMEOUT:
            if (parse_seconds("--timeout", optarg, &sopts.timeout_ms))
                return 2;
            break;
        case OPT_SYNONYMS:
            synonyms = optarg;
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
        default: /* -h, -V and what getopt_long() rejected */
            return cli_option_end(PROG, c, usage);
        }
    }
    const char *conflict = batch && opts.like ? "--batch and --like go separately"
                           : batch && optind < argc ? "--batch takes its queries from FILE, not words"
                           : opts.like && optind < argc ? "--like takes an id, not words"
                                                        : NULL;
    if (conflict) {
        fprintf(stderr, PROG ": %s\n", conflict);
        fprintf(stderr, "Try '" PROG " --help' for more information.\n");
        return 2;
    }
    if (batch)
        style.json = 1;
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
    index_path = index;
    cli_catch_fatal_signals(PROG, index);
    int rc = oasis_searcher_open_with(&s, index, &sopts);
    if (rc != 0)
        cli_report_error(PROG, rc, index);
    else if ((rc = oasis_searcher_load_synonyms(s, synonyms, cli_warning, (void *)PROG)) != 0)
        fprintf(stderr, PROG ": %s\n", oasis_error_last());
    else if (batch)
        status = run_batch(s, batch, &opts, &style);
    else {
        status = run_query(s, query, &opts, &style, 0);
        if (status != 2 && (fflush(stdout) != 0 || ferror(stdout))) {
            fprintf(stderr, PROG ": cannot write the results\n");
            status = 2;
        }
    }
    oasis_searcher_free(s);
    free(query);
    return status;
}
