#define _XOPEN_SOURCE 700
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oasis.h"

static char crash_message[4400], space_message[4400];
static size_t crash_len, space_len;

static void on_fatal_signal(int sig)
{
    /* liboasis aborts with errno ENOSPC (or EDQUOT) when libxapian met a
     * full disk where it cannot recover, inside a commit: not damage. */
    int full = sig == SIGABRT && (errno == ENOSPC || errno == EDQUOT);
    ssize_t n = write(STDERR_FILENO, full ? space_message : crash_message,
                      full ? space_len : crash_len);
    (void)n;
    _exit(2);
}

void cli_catch_fatal_signals(const char *prog, const char *index)
{
    static char altstack[64 * 1024]; /* the handler must run on a blown stack too */
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = altstack;
    ss.ss_size = sizeof altstack;
    sigaltstack(&ss, NULL);
    snprintf(crash_message, sizeof crash_message,
             "%s: crashed while using the index %s: if it is damaged (xapian-check %s "
             "tells), remove it and index again\n",
             prog, index, index);
    crash_len = strlen(crash_message);
    snprintf(space_message, sizeof space_message,
             "%s: stopped: no space left on device for the index %s; the batches committed "
             "before are intact: make room and run again\n",
             prog, index);
    space_len = strlen(space_message);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

void cli_report_error(const char *prog, int rc, const char *index)
{
    /* Only damage calls for a rebuild: a remote database out of reach, a
     * full disk, a lock or a feature libxapian lacks say so themselves. */
    if (rc == OASIS_ECORRUPT)
        fprintf(stderr, "%s: %s (the index %s is damaged: remove it and index again)\n", prog,
                oasis_error_last(), index);
    else
        fprintf(stderr, "%s: %s\n", prog, oasis_error_last());
}

int cli_option_end(const char *prog, int c, void (*usage)(FILE *))
{
    if (c == 'h') {
        usage(stdout);
        return 0;
    }
    if (c == 'V') {
        printf("%s %s\n", prog, oasis_version());
        return 0;
    }
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    return 2;
}

void cli_warning(void *userdata, const char *file, long line, const char *message)
{
    fprintf(stderr, "%s: %s:%ld: warning: %s\n", (const char *)userdata, file, line, message);
}
