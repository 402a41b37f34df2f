/* oasis-index: reads corpus files and directories into an oasis index. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oasis.h"

#define PROG "oasis-index"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: " PROG " [OPTION]... PATH...\n"
            "Read the initiatives in each PATH (a file, or a directory whose .txt, .jsonl\n"
            "and .ndjson files are read, sorted by name) and add them to an index.\n"
            "Formats are detected from the content: records text, listing page, JSON Lines.\n"
            "An initiative already in the index (same id) is replaced.\n"
            "\n"
            "Options:\n"
            "  -i, --index PATH       index to write (default: $OASIS_INDEX, else ./oasis.db)\n"
            "  -b, --batch-size N     documents per committed batch (default: 1000)\n"
            "  -q, --quiet            no summary at the end (warnings are still shown)\n"
            "      --explain-categories\n"
            "                         print on stdout, for each initiative, each category it\n"
            "                         got and why: ID, category, the rule that matched\n"
            "                         (corpus/category-rules.tsv:LINE) or 'given by the record'\n"
            "  -h, --help             show this help and exit\n"
            "  -V, --version          show the version and exit\n"
            "\n"
            "Warnings (an unknown département, a broken record) go to stderr as\n"
            "FILE:LINE: message; every valid record is still indexed.\n"
            "Exit status: 0 when every path was read, 2 on error.\n");
}

typedef struct warn_state {
    size_t count;
} warn_state;

static void on_warning(void *userdata, const char *file, long line, const char *message)
{
    warn_state *st = userdata;
    st->count++;
    if (line > 0)
        fprintf(stderr, PROG ": %s:%ld: warning: %s\n", file, line, message);
    else
        fprintf(stderr, PROG ": %s: warning: %s\n", file, message);
}

static void on_category(void *userdata, const char *doc_id, const char *category,
                        const char *phrase, long rule_line)
{
    (void)userdata;
    if (phrase)
        printf("%s\t%s\trule \"%s\" (corpus/category-rules.tsv:%ld)\n", doc_id, category, phrase,
               rule_line);
    else
        printf("%s\t%s\tgiven by the record\n", doc_id, category);
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || s[0] == '-' || v == 0)
        return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"batch-size", required_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},       {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},     {"explain-categories", no_argument, NULL, 'E'},
        {NULL, 0, NULL, 0}};
    const char *index = getenv("OASIS_INDEX");
    if (!index || !*index)
        index = "oasis.db";
    int quiet = 0;
    warn_state warnings = {0};
    oasis_writer_options wopts = OASIS_WRITER_OPTIONS_INIT;
    wopts.warning = on_warning;
    wopts.warning_userdata = &warnings;
    int c;
    while ((c = getopt_long(argc, argv, "i:b:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            index = optarg;
            break;
        case 'b':
            if (parse_size(optarg, &wopts.batch_size)) {
                fprintf(stderr, PROG ": --batch-size wants a positive number, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'q':
            quiet = 1;
            break;
        case 'E':
            wopts.category = on_category;
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
    if (optind >= argc) {
        fprintf(stderr, PROG ": no corpus path given\n");
        fprintf(stderr, "Try '" PROG " --help' for more information.\n");
        return 2;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    oasis_writer *w;
    if (oasis_writer_open(&w, index, &wopts) != 0) {
        fprintf(stderr, PROG ": %s\n", oasis_error_last());
        return 2;
    }
    oasis_add_stats stats = {0};
    int status = 0;
    for (int i = optind; i < argc && !status; i++) {
        if (oasis_writer_add_path(w, argv[i], &stats) != 0) {
            fprintf(stderr, PROG ": %s\n", oasis_error_last());
            status = 2;
        }
    }
    if (oasis_writer_commit(w) != 0) {
        fprintf(stderr, PROG ": %s\n", oasis_error_last());
        status = 2;
    }
    size_t total = oasis_writer_doc_count(w);
    oasis_writer_free(w);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!quiet)
        fprintf(stderr,
                PROG ": %zu file%s read, %zu initiative%s found, %zu indexed, %zu skipped, "
                     "%zu warning%s; %s holds %zu initiative%s (%.2f s)\n",
                stats.files, stats.files == 1 ? "" : "s", stats.records,
                stats.records == 1 ? "" : "s", stats.indexed, stats.skipped, warnings.count,
                warnings.count == 1 ? "" : "s", index, total, total == 1 ? "" : "s", secs);
    return status;
}
