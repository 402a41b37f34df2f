/* Xapian's remote backend for the tests: a real xapian-tcpsrv (Debian's
 * xapian-tools) serving a database on a free port of 127.0.0.1, started
 * and stopped by the test, and the stub files naming such servers.
 *
 *     t_tcpsrv srv;
 *     if (t_tcpsrv_start(&srv, "/tmp/x/oasis.db") != 0) ...  // accepts now
 *     t_tcpsrv_stub("/tmp/x/remote", &srv, 1);  // "remote 127.0.0.1:PORT"
 *     ... search /tmp/x/remote ...
 *     t_tcpsrv_stop(&srv);  // the server and every connection it forked
 *
 * The server runs in a process group of its own: stopping it (or killing
 * it mid-run, t_tcpsrv_kill()) ends the connections it forked as well,
 * as when the machine goes away. Every wait is bounded. */
#ifndef OASIS_TCPSRV_H
#define OASIS_TCPSRV_H

#include <stddef.h>
#include <sys/types.h>

typedef struct t_tcpsrv {
    pid_t pid; /* the server (and its process group); 0 when stopped */
    int port;  /* the port it listens on, on 127.0.0.1 */
} t_tcpsrv;

/* Starts xapian-tcpsrv (from $PATH, or $OASIS_TCPSRV) serving the
 * database db (a glass directory) on a free port of 127.0.0.1, and waits
 * until it accepts connections (at most 10 s; a port taken meanwhile by
 * another program is replaced by another, a few times). Returns 0, or -1
 * after a message on stderr (the server is then not running). */
int t_tcpsrv_start(t_tcpsrv *srv, const char *db);

/* Kills the server and the connections it forked at once (SIGKILL to its
 * process group) and reaps it: a server that goes away mid-run. Nothing
 * when it is not running. */
void t_tcpsrv_kill(t_tcpsrv *srv);

/* Stops the server and its connections (SIGTERM, SIGKILL after 2 s) and
 * reaps it. Nothing when it is not running: may be called twice. */
void t_tcpsrv_stop(t_tcpsrv *srv);

/* A port of 127.0.0.1 that nothing listens on now (bound, then released),
 * or -1: for a server that is down. */
int t_tcpsrv_free_port(void);

/* Writes the stub file path naming the n servers srvs[0..n), one line
 * "remote 127.0.0.1:PORT" each, in order. 0, or -1 after a message. */
int t_tcpsrv_stub(const char *path, const t_tcpsrv *srvs, size_t n);

#endif
