/* oasis-index: reads corpus files and directories into an oasis index. */
#define _XOPEN_SOURCE 700
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
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
            "  -m, --memory MIB       memory to stay within, roughly, in MiB (default: 256,\n"
            "                         at least 32): a batch is committed before it has N\n"
            "                         documents when it would hold more\n"
            "      --compact          compact the index at the end even when it existed\n"
            "                         before this run (see man oasis-index: searches\n"
            "                         are safe where the file system can exchange two\n"
            "                         directories at once, as ext4, xfs, btrfs, tmpfs)\n"
            "      --no-compact       do not compact the index at the end; by default an\n"
            "                         index this run created is compacted (about half the\n"
            "                         size on disk); one writer unless --jobs is given\n"
            "                         (several are merged by a compaction)\n"
            "      --shards N         the index is N databases (shards) in the directory\n"
            "                         PATH, each initiative in the one its id's hash\n"
            "                         names; set when the index is created (default: 1,\n"
            "                         or what the index has); opened by the same --index\n"
            "      --jobs N           writers at once (default: the number of cores): a\n"
            "                         new index is built on N temporary shards merged at\n"
            "                         the end, a sharded index with a thread per shard;\n"
            "                         an existing single index is written by one\n"
            "      --changesets N     changesets kept for xapian-replicate (default: 10;\n"
            "                         0: none); none while an index is created\n"
            "      --full             read every file again, even those unchanged since they\n"
            "                         were indexed\n"
            "      --prune            delete the initiatives of files the index holds that\n"
            "                         are not among the PATHs any more (removed files)\n"
            "      --strict           exit with status 1 when there was any warning or any\n"
            "                         skipped record or file (they are still reported and\n"
            "                         every valid record is still indexed)\n"
            "  -q, --quiet            no progress and no summary (warnings are still shown)\n"
            "      --explain-categories\n"
            "                         print on stdout, for each initiative, each category it\n"
            "                         gets and why: ID, category, the rule that matched\n"
            "                         (corpus/category-rules.tsv:LINE) or 'given by the record';\n"
            "                         every record of the PATHs is read, and no index is\n"
            "                         written, opened or created (--index, --prune and the\n"
            "                         compaction options do nothing)\n"
            "  -h, --help             show this help and exit\n"
            "  -V, --version          show the version and exit\n"
            "\n");
    fprintf(f,
            "Re-indexing: the index records each file it read (its real path, whatever\n"
            "path reached it; size, time, content hash; its initiatives). A file unchanged\n"
            "since is not read again; a changed file is read again. An initiative held by\n"
            "several files is one document (the file whose path sorts last wins) and\n"
            "stays while any of them holds it. Initiatives of a removed file stay until a\n"
            "run with --prune.\n"
            "\n"
            "JSON Lines files are read in blocks: memory does not grow with their size\n"
            "(records and listing files, small web pages, are read whole).\n"
            "\n"
            "Input problems go to stderr as FILE:LINE: warning: message, and every valid\n"
            "record is still indexed: invalid UTF-8, NUL bytes or a line over 1 MiB skip\n"
            "the record holding them; a file in Windows-1252/Latin-1, or UTF-16 with a byte\n"
            "order mark, is converted with a warning; binary files are refused. On a\n"
            "terminal, progress is shown while indexing; a summary ends the run.\n"
            "\n"
            "Exit status: 0 when every path was read (warnings included), 1 with --strict\n"
            "when something was warned about or skipped, 2 on error (bad usage, an index\n"
            "that cannot be opened or written: locked by another writer, of another\n"
            "version, damaged, out of reach, no space left; a PATH that cannot be read).\n"
            "The message says which: only a damaged index is to be removed and rebuilt.\n");
}

typedef struct ui {
    size_t warnings;
    int progress;            /* progress lines are drawn (stderr is a terminal) */
    int drawn;               /* a progress line is on screen */
    struct timespec start;   /* of the run */
    struct timespec path_start; /* of the current PATH's reading */
    double last_draw;
    size_t indexed_before;   /* initiatives of the PATHs done */
    unsigned long long bytes_before;
} ui;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void clear_progress(ui *u)
{
    if (u->drawn) {
        fputs("\r\033[K", stderr);
        u->drawn = 0;
    }
}

static void on_warning(void *userdata, const char *file, long line, const char *message)
{
    ui *u = userdata;
    u->warnings++;
    clear_progress(u);
    if (line > 0)
        fprintf(stderr, PROG ": %s:%ld: warning: %s\n", file, line, message);
    else
        fprintf(stderr, PROG ": %s: warning: %s\n", file, message);
}

static void on_progress(void *userdata, const oasis_progress *p)
{
    ui *u = userdata;
    double now = since(&u->start);
    if (now - u->last_draw < 0.2 && p->files_done < p->files_total)
        return;
    u->last_draw = now;
    double secs = since(&u->path_start), mb = 1e6;
    double rate = secs > 0 ? (double)p->bytes_done / secs : 0;
    char left[32] = "";
    if (secs >= 1 && rate > 0 && p->bytes_total > p->bytes_done) {
        long s = (long)((double)(p->bytes_total - p->bytes_done) / rate + 0.5);
        snprintf(left, sizeof left, ", %ld:%02ld left", s / 60, s % 60);
    }
    fprintf(stderr, "\r\033[K" PROG ": %zu initiatives, file %zu/%zu, %.1f/%.1f MB, %.1f MB/s%s",
            u->indexed_before + p->indexed, p->files_done, p->files_total,
            (double)(u->bytes_before + p->bytes_done) / mb,
            (double)(u->bytes_before + p->bytes_total) / mb, rate / mb, left);
    u->drawn = 1;
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

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

enum {
    OPT_EXPLAIN = 256,
    OPT_FULL,
    OPT_PRUNE,
    OPT_STRICT,
    OPT_COMPACT,
    OPT_NO_COMPACT,
    OPT_SHARDS,
    OPT_JOBS,
    OPT_CHANGESETS
};

/* A count option of at most max (zero allowed when zero_ok). */
static int parse_count(const char *name, const char *s, int zero_ok, unsigned max, unsigned *out)
{
    size_t v = 0;
    if ((!zero_ok || strcmp(s, "0")) && (parse_size(s, &v) || v > max)) {
        fprintf(stderr, PROG ": %s wants a number from %d to %u, not '%s'\n", name,
                zero_ok ? 0 : 1, max, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"batch-size", required_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},       {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},     {"explain-categories", no_argument, NULL, OPT_EXPLAIN},
        {"full", no_argument, NULL, OPT_FULL},   {"prune", no_argument, NULL, OPT_PRUNE},
        {"strict", no_argument, NULL, OPT_STRICT}, {"memory", required_argument, NULL, 'm'},
        {"compact", no_argument, NULL, OPT_COMPACT},
        {"no-compact", no_argument, NULL, OPT_NO_COMPACT},
        {"shards", required_argument, NULL, OPT_SHARDS}, {"jobs", required_argument, NULL, OPT_JOBS},
        {"changesets", required_argument, NULL, OPT_CHANGESETS}, {NULL, 0, NULL, 0}};
    const char *index = getenv("OASIS_INDEX");
    if (!index || !*index)
        index = "oasis.db";
    int quiet = 0, prune = 0, strict = 0, compact = 1, compact_always = 0;
    ui u;
    memset(&u, 0, sizeof u);
    oasis_writer_options wopts = OASIS_WRITER_OPTIONS_INIT;
    wopts.warning = on_warning;
    wopts.warning_userdata = &u;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    wopts.jobs = cores > 1 ? (unsigned)(cores < 64 ? cores : 64) : 1;
    unsigned changesets = 10;
    int c, jobs_given = 0;
    while ((c = getopt_long(argc, argv, "i:b:m:qhV", longopts, NULL)) != -1) {
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
        case 'm':
            if (parse_size(optarg, &wopts.memory_mib) || wopts.memory_mib < 32) {
                fprintf(stderr, PROG ": --memory wants a number of MiB of at least 32, not "
                                     "'%s'\n", optarg);
                return 2;
            }
            break;
        case OPT_COMPACT:
            compact = compact_always = 1;
            break;
        case OPT_NO_COMPACT:
            compact = compact_always = 0;
            break;
        case 'q':
            quiet = 1;
            break;
        case OPT_EXPLAIN:
            /* Read-only: the library analyses into an index in memory. */
            wopts.category = on_category;
            wopts.in_memory = 1;
            break;
        case OPT_SHARDS:
            if (parse_count("--shards", optarg, 0, 1024, &wopts.shards))
                return 2;
            break;
        case OPT_JOBS:
            if (parse_count("--jobs", optarg, 0, 64, &wopts.jobs))
                return 2;
            jobs_given = 1;
            break;
        case OPT_CHANGESETS:
            if (parse_count("--changesets", optarg, 1, 100000, &changesets))
                return 2;
            wopts.changesets = changesets ? (int)changesets : -1;
            break;
        case OPT_FULL:
            wopts.full = 1;
            break;
        case OPT_PRUNE:
            prune = 1;
            break;
        case OPT_STRICT:
            strict = 1;
            break;
        default: /* -h, -V and what getopt_long() rejected */
            return cli_option_end(PROG, c, usage);
        }
    }
    /* Several writers are merged by a compaction: not without --jobs. */
    if (!compact && !jobs_given)
        wopts.jobs = 1;
    if (optind >= argc) {
        fprintf(stderr, PROG ": no corpus path given\n");
        fprintf(stderr, "Try '" PROG " --help' for more information.\n");
        return 2;
    }
    /* Progress is for a person watching, never for a log or a pipe. */
    if (!quiet && isatty(STDERR_FILENO)) {
        u.progress = 1;
        wopts.progress = on_progress;
        wopts.progress_userdata = &u;
    }

    cli_catch_fatal_signals(PROG, index);
    clock_gettime(CLOCK_MONOTONIC, &u.start);
    oasis_writer *w;
    int rc = oasis_writer_open(&w, index, &wopts);
    if (rc != 0) {
        cli_report_error(PROG, rc, index);
        return 2;
    }
    oasis_add_stats stats = OASIS_ADD_STATS_INIT;
    int status = 0;
    for (int i = optind; i < argc && !status; i++) {
        clock_gettime(CLOCK_MONOTONIC, &u.path_start);
        u.indexed_before = stats.indexed;
        u.bytes_before = stats.bytes;
        if ((rc = oasis_writer_add_path(w, argv[i], &stats)) != 0) {
            clear_progress(&u);
            cli_report_error(PROG, rc, index);
            status = 2;
        }
    }
    clear_progress(&u);
    if (!status && prune && (rc = oasis_writer_prune(w, &stats)) != 0) {
        cli_report_error(PROG, rc, index);
        status = 2;
    }
    if ((rc = oasis_writer_commit(w)) != 0) {
        /* After a failed write, the commit fails the same way: said once. */
        if (!status)
            cli_report_error(PROG, rc, index);
        status = 2;
    }
    int compacted = 0;
    double compact_secs = 0;
    if (!status && compact && !wopts.in_memory) {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        /* The index is whole without it: a failure is only a warning. */
        if ((rc = oasis_writer_compact(w, compact_always ? OASIS_COMPACT_ALWAYS : 0, &compacted)) != 0) {
            clear_progress(&u);
            fprintf(stderr, PROG ": %s: warning: not compacted: %s\n", index,
                    oasis_error_last());
            u.warnings++;
        }
        compact_secs = since(&t0);
    }
    size_t total = oasis_writer_doc_count(w);
    oasis_writer_free(w);
    double secs = since(&u.start);
    if (!quiet) {
        char removed[128] = "", compacted_note[64] = "";
        if (compacted)
            snprintf(compacted_note, sizeof compacted_note, ", compacted in %.2f s",
                     compact_secs);
        if (stats.removed || stats.removed_files)
            snprintf(removed, sizeof removed, ", %zu removed (%zu file%s pruned)", stats.removed,
                     stats.removed_files, plural(stats.removed_files));
        char holds[4200];
        if (wopts.in_memory)
            snprintf(holds, sizeof holds, "no index written");
        else
            snprintf(holds, sizeof holds, "%s holds %zu initiative%s", index, total,
                     plural(total));
        fprintf(stderr,
                PROG ": %zu file%s read, %zu unchanged, %zu initiative%s found, %zu %s, "
                     "%zu skipped, %zu warning%s%s; %s (%.2f s, %.1f MB/s%s)\n",
                stats.files, plural(stats.files), stats.unchanged, stats.records,
                plural(stats.records), stats.indexed,
                wopts.in_memory ? "analysed" : "indexed", stats.skipped, u.warnings,
                plural(u.warnings), removed, holds, secs,
                secs > 0 ? (double)stats.bytes / 1e6 / secs : 0.0, compacted_note);
    }
    if (!status && strict && (u.warnings || stats.skipped)) {
        fprintf(stderr, PROG ": --strict: %zu warning%s, %zu skipped: failing\n", u.warnings,
                plural(u.warnings), stats.skipped);
        status = 1;
    }
    return status;
}
