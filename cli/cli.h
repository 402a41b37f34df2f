/* What oasis-index, oasis-query and oasis-serve share besides liboasis: how
 * they end on a fault, how they report a failed library call or a
 * malformed table line, how they answer --help, --version and a bad
 * option. No search logic here. */
#ifndef OASIS_CLI_H
#define OASIS_CLI_H

#include <stdio.h>

/* Glass tables keep no checksums, and libxapian can fault on a damaged one
 * (SIGSEGV, SIGBUS, or SIGABRT when it throws where it cannot): from this
 * call on, such a fault ends the process with status 2 and a line
 * "PROG: crashed while using the index INDEX: ..." on stderr; or, when
 * liboasis stopped the program on a full disk it met inside a commit
 * (SIGABRT with errno ENOSPC), "PROG: stopped: no space left on device for
 * the index INDEX; ...". */
void cli_catch_fatal_signals(const char *prog, const char *index);

/* Prints "PROG: <oasis_error_last()>" on stderr; for OASIS_ECORRUPT (the
 * index is damaged) adds to remove INDEX and index again. */
void cli_report_error(const char *prog, int rc, const char *index);

/* An oasis_warning_fn for a malformed line of a table the library reads:
 * "PROG: FILE:LINE: warning: MESSAGE" on stderr, userdata being PROG. */
void cli_warning(void *userdata, const char *file, long line, const char *message);

/* The end of a program's option switch, for the option c that getopt_long()
 * returned: 'h' prints usage on stdout, 'V' "PROG VERSION"; anything else
 * (an option getopt_long() rejected) "Try 'PROG --help' for more
 * information." on stderr. Returns the exit status: 0, or 2 for the last. */
int cli_option_end(const char *prog, int c, void (*usage)(FILE *));

#endif
