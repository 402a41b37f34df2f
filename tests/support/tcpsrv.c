#define _POSIX_C_SOURCE 200809L
#include "tcpsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int t_tcpsrv_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* 1 when something accepts a connection on 127.0.0.1:port. */
static int accepts(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = loopback(port);
    int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* Starts the server on port in a process group of its own; its pid. */
static pid_t spawn(const char *db, int port)
{
    const char *bin = getenv("OASIS_TCPSRV");
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    setpgid(0, 0);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2); /* its connections' complaints when the test kills them */
    char *argv[] = {(char *)(bin ? bin : "xapian-tcpsrv"), "--quiet", "--interface", "127.0.0.1",
                    "--port", portstr, (char *)db, NULL};
    if (bin)
        execv(argv[0], argv);
    else
        execvp(argv[0], argv);
    fprintf(stderr, "tcpsrv: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int t_tcpsrv_start(t_tcpsrv *srv, const char *db)
{
    srv->pid = 0;
    srv->port = -1;
    for (int attempt = 0; attempt < 5; attempt++) {
        int port = t_tcpsrv_free_port();
        if (port < 0)
            break;
        pid_t pid = spawn(db, port);
        if (pid < 0)
            break;
        setpgid(pid, pid); /* also from here: no race with kill() */
        int status, exited = 0;
        for (double end = now() + 10; now() < end;) {
            if (waitpid(pid, &status, WNOHANG) == pid) {
                exited = 1;
                break;
            }
            if (accepts(port)) {
                srv->pid = pid;
                srv->port = port;
                return 0;
            }
            pause_ms(20);
        }
        if (!exited) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            fprintf(stderr, "tcpsrv: xapian-tcpsrv on port %d did not accept in 10 s\n", port);
            return -1;
        }
        /* It ended: the port was taken meanwhile, or the database is bad.
         * Another port is tried; the last attempt's status is reported. */
        if (attempt == 4)
            fprintf(stderr, "tcpsrv: xapian-tcpsrv %s ended (status %d)\n", db,
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return -1;
}

/* Sends sig to the group, then waits up to grace seconds for the server;
 * 1 when it was reaped. */
static int signal_group(t_tcpsrv *srv, int sig, double grace)
{
    kill(-srv->pid, sig);
    for (double end = now() + grace;;) {
        int status;
        if (waitpid(srv->pid, &status, WNOHANG) == srv->pid)
            return 1;
        if (now() >= end)
            return 0;
        pause_ms(10);
    }
}

void t_tcpsrv_kill(t_tcpsrv *srv)
{
    if (srv->pid <= 0)
        return;
    if (!signal_group(srv, SIGKILL, 5))
        fprintf(stderr, "tcpsrv: server %d not reaped after SIGKILL\n", (int)srv->pid);
    srv->pid = 0;
}

void t_tcpsrv_stop(t_tcpsrv *srv)
{
    if (srv->pid <= 0)
        return;
    if (!signal_group(srv, SIGTERM, 2))
        signal_group(srv, SIGKILL, 5);
    /* The connections it forked, should they outlive it. */
    kill(-srv->pid, SIGKILL);
    srv->pid = 0;
}

int t_tcpsrv_stub(const char *path, const t_tcpsrv *srvs, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "tcpsrv: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "remote 127.0.0.1:%d\n", srvs[i].port);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "tcpsrv: cannot write %s\n", path);
        return -1;
    }
    return 0;
}
