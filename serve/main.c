/* oasis-serve: answers searches over HTTP, as JSON and as a page. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http.h"
#include "oasis.h"
#include "searchers.h"

#define PROG "oasis-serve"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: " PROG " [OPTION]...\n"
            "Serve an oasis index over HTTP: a search page at / and a JSON API under /api/\n"
            "(search, initiatives, similar, facets, suggest) and /healthz. Read-only; a run of\n"
            "oasis-index on the index while serving is seen without a restart.\n"
            "\n"
            "Options:\n"
            "  -i, --index PATH       index to serve (default: $OASIS_INDEX, else ./oasis.db)\n"
            "  -l, --listen ADDR:PORT address and port to listen on (default: 127.0.0.1:8080;\n"
            "                         [::1]:8080 for IPv6; port 0: any free port)\n"
            "  -t, --threads N        worker threads, each with its own searcher (default: 4)\n"
            "      --max-connections N  connections at most (default: 256)\n"
            "      --per-ip N         connections at most from one address (default: 64)\n"
            "      --timeout SECONDS  close a connection idle this long (default: 15)\n"
            "      --log FORMAT       one line per request on stderr: text, json or none\n"
            "                         (default: text)\n"
            "      --synonyms FILE    more thesaurus lines (corpus/synonyms.tsv's format;\n"
            "                         default: synonyms.tsv beside the index, if there is one)\n"
            "  -h, --help             show this help and exit\n"
            "  -V, --version          show the version and exit\n"
            "\n"
            "Stops cleanly on SIGTERM or SIGINT. Exit status: 0 after a clean stop, 2 on\n"
            "error.\n");
}

static int parse_uint(const char *opt, const char *s, unsigned min, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || s[0] == '-' || v < min || v > max) {
        fprintf(stderr, PROG ": %s wants a number from %u to %u, not '%s'\n", opt, min, max, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* "HOST:PORT" or "[V6]:PORT" into host (buf) and port. */
static int parse_listen(const char *s, char *buf, size_t cap, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    const char *h = s, *he = colon;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':') {
            colon = NULL;
        } else {
            h = s + 1;
            he = close;
            colon = close + 1;
        }
    }
    if (!colon || he == h || (size_t)(he - h) >= cap ||
        parse_uint("--listen", colon + 1, 0, 65535, port)) {
        fprintf(stderr, PROG ": --listen wants ADDRESS:PORT, not '%s'\n", s);
        return -1;
    }
    memcpy(buf, h, (size_t)(he - h));
    buf[he - h] = '\0';
    return 0;
}

enum { OPT_MAX_CONN = 256, OPT_PER_IP, OPT_TIMEOUT, OPT_LOG, OPT_SYNONYMS };

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"max-connections", required_argument, NULL, OPT_MAX_CONN},
        {"per-ip", required_argument, NULL, OPT_PER_IP},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"log", required_argument, NULL, OPT_LOG},
        {"synonyms", required_argument, NULL, OPT_SYNONYMS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *index = getenv("OASIS_INDEX");
    if (!index || !*index)
        index = "oasis.db";
    const char *synonyms = NULL;
    char host[256] = "127.0.0.1";
    http_config cfg = {host, 8080, 4, 256, 64, 15, HTTP_LOG_TEXT};
    int c;
    while ((c = getopt_long(argc, argv, "i:l:t:hV", longopts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'i':
            index = optarg;
            break;
        case 'l':
            bad = parse_listen(optarg, host, sizeof host, &cfg.port);
            break;
        case 't':
            bad = parse_uint("--threads", optarg, 1, 256, &cfg.threads);
            break;
        case OPT_MAX_CONN:
            bad = parse_uint("--max-connections", optarg, 1, 65536, &cfg.connections);
            break;
        case OPT_PER_IP:
            bad = parse_uint("--per-ip", optarg, 1, 65536, &cfg.per_ip);
            break;
        case OPT_TIMEOUT:
            bad = parse_uint("--timeout", optarg, 1, 3600, &cfg.timeout);
            break;
        case OPT_SYNONYMS:
            synonyms = optarg;
            break;
        case OPT_LOG:
            if (!strcmp(optarg, "text"))
                cfg.log = HTTP_LOG_TEXT;
            else if (!strcmp(optarg, "json"))
                cfg.log = HTTP_LOG_JSON;
            else if (!strcmp(optarg, "none"))
                cfg.log = HTTP_LOG_NONE;
            else {
                fprintf(stderr, PROG ": --log wants text, json or none, not '%s'\n", optarg);
                bad = 1;
            }
            break;
        default: /* -h, -V and what getopt_long() rejected */
            return cli_option_end(PROG, c, usage);
        }
        if (bad)
            return 2;
    }
    if (optind < argc) {
        fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
        fprintf(stderr, "Try '" PROG " --help' for more information.\n");
        return 2;
    }
    if (cfg.per_ip > cfg.connections)
        cfg.per_ip = cfg.connections;

    cli_catch_fatal_signals(PROG, index);
    /* SIGTERM and SIGINT are taken by sigwait() below: blocked before any
     * thread starts, so that every thread inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    searchers_init(index, synonyms);
    /* The index opened once now: its thesaurus file's warnings said once,
     * a file that cannot be read an error before serving. */
    oasis_searcher *probe = NULL;
    int rc = oasis_searcher_open(&probe, index);
    if (rc)
        fprintf(stderr, PROG ": warning: %s; answering 503 until it can be opened\n",
                oasis_error_last());
    else if (oasis_searcher_load_synonyms(probe, synonyms, cli_warning, (void *)PROG) != 0) {
        fprintf(stderr, PROG ": %s\n", oasis_error_last());
        oasis_searcher_free(probe);
        return 2;
    }
    oasis_searcher_free(probe);

    struct http_server *h = http_start(&cfg);
    if (!h)
        return 2;
    fprintf(stderr, PROG ": serving %s on http://%s%s%s:%u/\n", index,
            strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "", http_port(h));
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, PROG ": stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(h);
    searchers_free_all();
    return 0;
}
