/* Helpers of the tests that run oasis-serve for real: start it on a free
 * loopback port, wait until /healthz answers, talk HTTP/1.1 to it over a
 * socket, stop it with SIGTERM. Header-only. */
#ifndef OASIS_SERVETEST_H
#define OASIS_SERVETEST_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* A server started by st_start(). */
typedef struct st_server {
    pid_t pid;
    unsigned port;
    char log[4200]; /* its stderr, a file */
} st_server;

/* One reply: status (0 when none came), the header block (lines), the
 * body (NUL-terminated; body_len bytes). */
typedef struct st_reply {
    int status;
    char *headers;
    char *body;
    size_t body_len;
} st_reply;

static inline void st_reply_free(st_reply *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* Sends request (the whole HTTP request) to 127.0.0.1:port and reads the
 * reply until the server closes the connection (10 s at most). */
static inline st_reply st_send(unsigned port, const char *request, size_t len)
{
    st_reply r = {0, NULL, NULL, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return r;
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return r;
    }
    for (size_t sent = 0; sent < len;) {
        ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    size_t cap = 65536, got = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (got == cap)
            buf = realloc(buf, (cap *= 2) + 1);
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    if (sscanf(buf, "HTTP/1.%*d %d", &r.status) != 1 || !end) {
        r.status = 0;
        free(buf);
        return r;
    }
    size_t hl = (size_t)(end - buf);
    r.headers = malloc(hl + 1);
    memcpy(r.headers, buf, hl);
    r.headers[hl] = '\0';
    r.body_len = got - hl - 4;
    r.body = malloc(r.body_len + 1);
    memcpy(r.body, end + 4, r.body_len);
    r.body[r.body_len] = '\0';
    free(buf);
    return r;
}

/* METHOD target, HTTP/1.1, the connection closed after the reply. */
static inline st_reply st_request(unsigned port, const char *method, const char *target)
{
    size_t cap = strlen(target) + strlen(method) + 128;
    char *req = malloc(cap);
    int n = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                     method, target);
    st_reply r = st_send(port, req, (size_t)n);
    free(req);
    return r;
}

static inline st_reply st_get(unsigned port, const char *target)
{
    return st_request(port, "GET", target);
}

/* The value of header name (case ignored) in r, in buf; NULL when absent. */
static inline const char *st_header(const st_reply *r, const char *name, char *buf, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(buf, cap, "%.*s", (int)(len - (size_t)(v - p)), v);
            return buf;
        }
        p = eol ? eol + 2 : p + len;
    }
    return NULL;
}

/* Starts serve_bin --index index --listen 127.0.0.1:0 and the extra
 * arguments (NULL-terminated, may be NULL), its stderr in log; waits
 * (10 s at most) for the line naming its port. Aborts when it does not
 * come. */
static inline st_server st_start(const char *serve_bin, const char *index, const char *log,
                                 const char *const *extra)
{
    st_server s;
    memset(&s, 0, sizeof s);
    snprintf(s.log, sizeof s.log, "%s", log);
    char *argv[32] = {(char *)serve_bin, "--index", (char *)index, "--listen", "127.0.0.1:0"};
    int n = 5;
    for (size_t i = 0; extra && extra[i] && n < 31; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    fflush(NULL);
    s.pid = fork();
    if (s.pid < 0)
        abort();
    if (s.pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int err = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(null, 0);
        dup2(null, 1);
        dup2(err, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    for (int i = 0; i < 400 && !s.port; i++) {
        t_sleep(0.025);
        FILE *f = fopen(log, "r");
        char line[4096];
        while (f && fgets(line, sizeof line, f)) {
            const char *at = strstr(line, "http://127.0.0.1:");
            if (at)
                s.port = (unsigned)atoi(at + strlen("http://127.0.0.1:"));
        }
        if (f)
            fclose(f);
    }
    if (!s.port) {
        fprintf(stderr, "oasis-serve did not say its port; its stderr:\n");
        char *text = t_read_file(log, NULL);
        fprintf(stderr, "%s\n", text);
        free(text);
        kill(s.pid, SIGKILL);
        waitpid(s.pid, NULL, 0);
        abort();
    }
    return s;
}

/* Waits (10 s at most) until /healthz answers status; 1 when it did. */
static inline int st_wait_health(const st_server *s, int status)
{
    for (int i = 0; i < 400; i++) {
        st_reply r = st_get(s->port, "/healthz");
        int got = r.status;
        st_reply_free(&r);
        if (got == status)
            return 1;
        t_sleep(0.025);
    }
    return 0;
}

/* Sends SIGTERM and waits (10 s at most; then SIGKILL): the exit status,
 * -1 when a signal ended it, -2 when it had to be killed. */
static inline int st_stop(st_server *s)
{
    kill(s->pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 1000; i++) {
        pid_t p = waitpid(s->pid, &status, WNOHANG);
        if (p == s->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        t_sleep(0.01);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    return -2;
}

#endif
